"""Addresses in a page's HTML, judged by a browser's rules: which URLs an href or a src may
hold (`url_problem`, used by html_checks' pass over each page), and where a site-internal link
leads (`link_problem`, used once every page is read). Split from html_checks.py, whose callers
still import these names from there.
"""

from __future__ import annotations

import posixpath
import re

INTERNAL_LINK = re.compile(r"^[{|](filename|static|attach)[}|](.*)$", re.S)
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# Leading and trailing C0 controls and spaces, and tabs and newlines anywhere: a browser
# drops them before it reads a URL.
URL_TRIM = re.compile(r"^[\x00-\x20]+|[\x00-\x20]+$")
URL_DROP = re.compile(r"[\t\n\r]")


def links_a_file(url: str) -> bool:
    """A {static} or {attach} link: Pelican copies the file it names as soon as it has read
    the page, from the page's HTML."""
    found = INTERNAL_LINK.match(url)
    return found is not None and found.group(1) in ("static", "attach")


def normalised_url(value: str) -> str:
    """A URL as a browser reads it: control characters and spaces trimmed, tabs and
    newlines removed (entities are already decoded by the parser)."""
    if value.isprintable() and value[:1] != " " and value[-1:] != " ":
        return value  # no control character anywhere, no space at either end: nothing to drop
    return URL_DROP.sub("", URL_TRIM.sub("", value))


def url_problem(value: str, resource: bool) -> str | None:
    """Why a URL in an href (resource=False) or src (resource=True) is not allowed, or None.

    Allowed: https: (links only), mailto: and tel: (links only), #fragments and the site's
    own files through {filename}, {static} or {attach}."""
    url = normalised_url(value)
    if INTERNAL_LINK.match(url) or (not resource and url.startswith("#")):
        return None
    scheme = SCHEME.match(url)
    if scheme:
        name = scheme.group(1).lower()
        rest = url[scheme.end():].replace("\\", "/")
        if name == "https" and not resource:
            if not rest.startswith("//") or not rest[2:].split("/")[0]:
                return f"the link '{value}' is not a full address; write it as https://host/path"
            return None
        if name in ("mailto", "tel") and not resource:
            return None
        if name == "http":
            if resource:
                return f"it loads {value} from another site; put the file in content/images/ and use {{static}}"
            return f"the link {value} is not secure; use its https:// address"
        if resource and name == "https":
            return f"it loads {value} from another site; put the file in content/images/ and use {{static}}"
        return f"the address '{value}' uses {name}:, which this site does not allow; use https://, mailto:, #section or {{filename}}"
    slashed = url.replace("\\", "/")
    if slashed.startswith("//"):
        return f"the address '{value}' points to another host; write the full https:// address" + (
            "" if not resource else ", or put the file in content/images/ and use {static}")
    if resource:
        return f"the image address '{value}' is not a file of this site; put the file in content/images/ and use {{static}}/images/..."
    return None  # a relative link: judged by the link check (it must use {filename})


def link_problem(href: str, source: str, content_root: str, target_ids) -> tuple[str, str] | None:
    """What is wrong with one site-internal link of the page at `source` (a path under
    content/), or None. The scheme checks are done by `scan`.

    `target_ids(path)` gives the ids of the page or file at `path` (a path under content/),
    or None when there is no such page or file.
    """
    if href.startswith("#"):
        ids = target_ids(source)
        if ids is not None and href[1:] not in ids:
            return href, f"there is no section or anchor '{href}' on this page; check the heading's id"
        return None
    match = INTERNAL_LINK.match(href)
    if not match:
        if SCHEME.match(href):
            return None
        return href, (
            f"the link '{href}' points inside the site without {{filename}}; write it as "
            "{filename}path/to/page.md so it stays right when addresses change"
        )
    kind = match.group(1)
    path, _, fragment = match.group(2).partition("#")
    path = path.split("?")[0].replace("\\", "/").replace("%20", " ")
    base = "" if path.startswith("/") else posixpath.dirname(source)
    target = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
    if target == ".." or target.startswith("../") or posixpath.isabs(target):
        return href, (
            f"the {{{kind}}} link '{href}' points outside {content_root}; link only to files "
            f"inside {content_root}"
        )
    ids = target_ids(target)
    if ids is None:
        return href, f"the link points to '{target}', which is not in {content_root}; check the file name"
    if fragment and kind == "filename" and fragment not in ids:
        return href, f"'{target}' has no section or anchor '#{fragment}'; check the heading's id"
    return None
