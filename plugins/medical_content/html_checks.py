"""One pass over a page's HTML: what the site never loads or runs, markup left open, images
without a text alternative, every id and link, and the running text the reading grade is
measured on.

The site loads nothing from another host and runs no script, so raw HTML in Markdown may
not bring in scripts, frames, forms, inline styles or event handlers.

A regular-expression tokenizer, not html.parser: the HTML comes from Markdown and our own
macros, and one pass this way costs a fraction of html.parser's (see README, Performance).
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
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
# Elements whose text is running text, each block counted as a sentence of its own.
TEXT_BLOCKS = {"p", "li", "td", "th", "dd", "dt", "figcaption", "blockquote"}
# Elements whose text is not running text (citation numbers, headings, code, drawings).
NOT_TEXT = {"sup", "script", "style", "svg", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "code"}
INTERNAL_LINK = re.compile(r"^\{(filename|static|attach)\}(.*)$")

TOKEN = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][\w:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
ATTRIBUTE = re.compile(r"([^\s=/>\"']+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+)))?")


@dataclass
class PageHtml:
    """What one pass over a page's HTML found."""

    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)  # every href of an <a>
    problems: list[tuple[str, str]] = field(default_factory=list)  # (source hint, problem)
    blocks: list[str] = field(default_factory=list)  # running text, a sentence per block

    @property
    def text(self) -> str:
        return " ".join(self.blocks)


def scan(page: str) -> PageHtml:
    found = PageHtml()
    open_tags: list[str] = []
    current: list[str] = []
    skipping = 0
    position = 0

    def flush():
        text = " ".join(html.unescape("".join(current)).split())
        current.clear()
        if len(text.split()) >= 2:
            # A lead-in ending with a colon is a sentence too: the list after it is separate.
            found.blocks.append(text if text[-1] in ".!?" else text.rstrip(":") + ".")

    for token in TOKEN.finditer(page):
        if not skipping:
            current.append(page[position : token.start()])
        position = token.end()
        closing, name = token.group(1), token.group(2)
        if name is None:
            continue  # a comment
        tag = name.lower()
        if tag in NOT_TEXT:
            skipping += -1 if closing else (0 if tag in VOID else 1)
            skipping = max(skipping, 0)
        elif tag in TEXT_BLOCKS or tag in ("ul", "ol", "table", "tr", "div", "section"):
            flush()
        if closing:
            _close(tag, open_tags, found)
            continue
        attribute_text = token.group(3)
        if attribute_text.strip() or tag in FORBIDDEN_TAGS or tag == "img":
            _element(tag, attribute_text, found)
        if tag not in VOID and not attribute_text.rstrip().endswith("/"):
            open_tags.append(tag)
    if not skipping:
        current.append(page[position:])
    flush()
    for tag in reversed(open_tags):
        found.problems.append((f"<{tag}", f"raw HTML <{tag}> is never closed; add </{tag}> or remove the tag"))
    return found


def _element(tag: str, attribute_text: str, found: PageHtml) -> None:
    if not attribute_text.strip():
        if tag in FORBIDDEN_TAGS:
            found.problems.append((f"<{tag}", f"raw HTML <{tag}> is not allowed: {FORBIDDEN_TAGS[tag]}"))
        elif tag == "img":
            found.problems.append(("<img", "the image has no alt text; describe it in words with ![what it shows](file)"))
        return
    attributes = {}
    for match in ATTRIBUTE.finditer(attribute_text):
        value = next((v for v in match.group(2, 3, 4) if v is not None), "")
        attributes[match.group(1).lower()] = html.unescape(value)
    if tag in FORBIDDEN_TAGS:
        found.problems.append((f"<{tag}", f"raw HTML <{tag}> is not allowed: {FORBIDDEN_TAGS[tag]}"))
    for name, value in attributes.items():
        if name.startswith("on"):
            found.problems.append((f"{name}=", f"the event handler {name}= is not allowed: pages run no script"))
        elif name == "style":
            found.problems.append(("style=", "style= attributes are not allowed: styles belong in the theme"))
        elif name in RESOURCE_ATTRIBUTES and value and _is_external(value):
            found.problems.append((value, f"<{tag}> loads {value} from another site; put the file in content/images/ instead"))
    if "id" in attributes:
        found.ids.add(attributes["id"])
    if tag == "a" and attributes.get("href"):
        found.links.append(attributes["href"])
    if tag == "img" and not attributes.get("alt", "").strip():
        found.problems.append((attributes.get("src") or "<img", "the image has no alt text; describe it in words with ![what it shows](file)"))


def _close(tag: str, open_tags: list[str], found: PageHtml) -> None:
    if tag in VOID:
        return
    if tag not in open_tags:
        found.problems.append((f"</{tag}>", f"raw HTML </{tag}> closes a tag that was never opened; remove it"))
        return
    while open_tags[-1] != tag:
        unclosed = open_tags.pop()
        found.problems.append((f"<{unclosed}", f"raw HTML <{unclosed}> is never closed; close it or remove it"))
    open_tags.pop()


def _is_external(address: str) -> bool:
    return any(urlsplit(part.strip().split(" ")[0]).netloc for part in address.split(","))


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
