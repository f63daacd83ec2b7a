"""Checks on a page's HTML: what the site never loads or runs, markup left open, images
without a text alternative, and every link's target.

The site loads nothing from another host and runs no script, so raw HTML in Markdown may
not bring in scripts, frames, forms, inline styles or event handlers.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

FORBIDDEN_TAGS = {
    "script": "pages run no script",
    "iframe": "pages embed no other site",
    "frame": "pages embed no other site",
    "object": "pages embed no plug-in content",
    "embed": "pages embed no plug-in content",
    "form": "the site has no forms; link to the contact page instead",
    "style": "styles belong in the theme's stylesheet",
    "link": "stylesheets and resources belong in the theme",
    "base": "the site sets its own addresses",
    "meta": "page metadata belongs in the metadata block",
}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
RESOURCE_ATTRIBUTES = {"src", "srcset", "data", "poster", "background"}
INTERNAL_LINK = re.compile(r"^\{(filename|static|attach)\}(.*)$")


@dataclass
class PageHtml:
    """What one pass over a page's HTML found."""

    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)  # every href
    problems: list[tuple[str, str]] = field(default_factory=list)  # (source hint, problem)


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = PageHtml()
        self.open: list[str] = []

    def problem(self, hint: str, text: str) -> None:
        self.found.problems.append((hint, text))

    def handle_starttag(self, tag, attrs):
        self._element(tag, attrs)
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self._element(tag, attrs)

    def _element(self, tag, attrs):
        attributes = dict(attrs)
        if tag in FORBIDDEN_TAGS:
            self.problem(f"<{tag}", f"raw HTML <{tag}> is not allowed: {FORBIDDEN_TAGS[tag]}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problem(f"{name}=", f"the event handler {name}= is not allowed: pages run no script")
            elif name == "style":
                self.problem("style=", "style= attributes are not allowed: styles belong in the theme")
            elif name in RESOURCE_ATTRIBUTES and value and _is_external(value):
                self.problem(value, f"<{tag}> loads {value} from another site; put the file in content/images/ instead")
        if "id" in attributes:
            self.found.ids.add(attributes["id"])
        if tag == "a" and attributes.get("href"):
            self.found.links.append(attributes["href"])
        if tag == "img" and not (attributes.get("alt") or "").strip():
            self.problem(attributes.get("src") or "<img", "the image has no alt text; describe it in words with ![what it shows](file)")

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if tag in self.open:
            while self.open and self.open[-1] != tag:
                self.problem(f"<{self.open[-1]}", f"raw HTML <{self.open.pop()}> is never closed; close it or remove it")
            self.open.pop()
        else:
            self.problem(f"</{tag}>", f"raw HTML </{tag}> closes a tag that was never opened; remove it")

    def close(self):
        super().close()
        for tag in reversed(self.open):
            self.problem(f"<{tag}", f"raw HTML <{tag}> is never closed; add </{tag}> or remove the tag")


def _is_external(address: str) -> bool:
    return any(urlsplit(part.strip().split(" ")[0]).netloc for part in address.split(","))


def scan(html: str) -> PageHtml:
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.found


def link_problem(href: str, source: str, content_root: str, target_ids) -> tuple[str, str] | None:
    """What is wrong with one link of the page at `source` (a path under content/), or None.

    `target_ids(path)` gives the ids of the page or file at `path` (a path under content/),
    or None when there is no such page or file.
    """
    parts = urlsplit(href)
    if parts.scheme in ("https", "mailto", "tel"):
        return None
    if parts.scheme == "http":
        return href, f"the link {href} is not secure; use its https:// address"
    if parts.scheme or parts.netloc:
        return href, f"the link {href} is not a web address this site can use; use https://"
    if href.startswith("#"):
        ids = target_ids(source)
        if ids is not None and href[1:] not in ids:
            return href, f"there is no section or anchor '{href}' on this page; check the heading's id"
        return None
    match = INTERNAL_LINK.match(href)
    if not match:
        return href, (
            f"the link '{href}' points inside the site without {{filename}}; write it as "
            "{filename}path/to/page.md so it stays right when addresses change"
        )
    path, _, fragment = match.group(2).partition("#")
    path = path.split("?")[0]
    base = "" if path.startswith("/") else posixpath.dirname(source)
    target = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
    ids = target_ids(target)
    if ids is None:
        return href, f"the link points to '{target}', which is not in {content_root}; check the file name"
    if fragment and match.group(1) == "filename" and fragment not in ids:
        return href, f"'{target}' has no section or anchor '#{fragment}'; check the heading's id"
    return None
