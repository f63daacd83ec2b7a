"""One pass over a page's HTML, parsed the way a browser parses it: what the site allows,
every id and link, the running text the reading grade is measured on, and everything a
reader sees, for the wording rules.

The site loads nothing from another host and runs no script. Whatever a browser would
build from the raw HTML in Markdown (comments inside <textarea>, unquoted attributes,
duplicate attributes, SVG in HTML) is checked against an allowlist: only the elements and
attributes the theme and the content need, and URLs judged by the browser's own rules.
Anything else is an error; nothing is silently dropped, so an editor sees what is wrong.

The tree walked is Lexbor's (selectolax): the WHATWG HTML parsing algorithm, in C, for every
page. Three mistakes of hand-written tags (an attribute written twice, an end tag that closes
nothing, a tag never closed) are parse errors a browser repairs silently; Lexbor does not
report parse errors, so these come from html5lib, the same algorithm in pure Python and
dozens of times slower. Only HTML an editor typed can make them (Markdown and the theme's
templates write well-formed HTML), so the caller says whether the page's source could hold
any (`raw_html`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from . import html_urls
from .html_urls import INTERNAL_LINK, SCHEME, normalised_url, url_problem

# The URL rules live in html_urls.py; the site-wide link check still finds this one here.
link_problem = html_urls.link_problem

# The HTML elements content and the theme's macros use. Everything else is refused.
HTML_ELEMENTS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
    "section", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "time", "tr", "u", "ul", "aside", "nav", "svg",
}
GLOBAL_ATTRIBUTES = {"id", "class", "title", "lang", "role"}
ELEMENT_ATTRIBUTES = {
    "a": {"href", "rel", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "td": {"colspan", "rowspan", "data-label"},
    "th": {"colspan", "rowspan", "scope", "data-label"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "time": {"datetime"},
    "details": {"open"},
    "del": {"datetime"},
    "ins": {"datetime"},
    "svg": {"viewbox", "xmlns", "width", "height", "focusable", "preserveaspectratio", "version"},
}
ALLOWED_ATTRIBUTES = {name: GLOBAL_ATTRIBUTES | own for name, own in ELEMENT_ATTRIBUTES.items()}
URL_ATTRIBUTES = {"href", "src"}
REFUSED_ELEMENT_REASONS = {
    "script": "pages run no script",
    "noscript": "pages run no script",
    "iframe": "pages embed no other site",
    "frame": "pages embed no other site",
    "object": "pages embed no plug-in content",
    "embed": "pages embed no plug-in content",
    "form": "the site has no forms; link to the contact page instead",
    "style": "styles belong in the theme's stylesheet",
    "link": "stylesheets and resources belong in the theme",
    "base": "the site sets its own addresses",
    "meta": "page metadata belongs in the metadata block",
    "area": "image maps are not used; link with words instead",
    "map": "image maps are not used; link with words instead",
}

# Inline SVG and SVG files: drawing elements only. No links, animation, script, foreign
# content or images (none of a, animate, set, script, foreignObject, image, feImage). <use>
# may repeat a shape drawn on the same page (href="#id", as the icon arrays do), nothing else.
SVG_ELEMENTS = {
    "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text",
    "tspan", "title", "desc", "defs", "marker", "lineargradient", "radialgradient", "stop",
    "clippath", "mask", "pattern", "symbol", "style", "use",
}
SAME_PAGE_REFERENCE = re.compile(r"#[A-Za-z][\w.-]*")
USE_REFERENCES = {"href", "xlink:href"}
SVG_ATTRIBUTES = {
    "id", "class", "role", "viewbox", "xmlns", "version", "width", "height", "x", "y", "x1",
    "x2", "y1", "y2", "cx", "cy", "r", "rx", "ry", "d", "points", "transform", "fill",
    "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
    "stroke-dasharray", "stroke-dashoffset", "stroke-opacity", "stroke-miterlimit", "opacity",
    "font-family", "font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline",
    "letter-spacing", "dx", "dy", "marker-start", "marker-mid", "marker-end", "refx", "refy",
    "markerwidth", "markerheight", "markerunits", "orient", "offset", "stop-color",
    "stop-opacity", "gradientunits", "gradienttransform", "spreadmethod", "fx", "fy",
    "clip-path", "clip-rule", "clippathunits", "mask", "maskunits", "patternunits",
    "patterntransform", "preserveaspectratio", "focusable", "visibility", "display",
    "vector-effect", "paint-order", "lang", "xml:lang", "space", "xml:space", "type", "media",
}
# url(...) in SVG: only a reference to something drawn on the same page (url(#id)).
CSS_URL = re.compile(r"url\s*\(\s*(['\"]?)\s*(.*?)\1\s*\)", re.I | re.S)
CSS_IMPORT = re.compile(r"@import|image-set|expression\s*\(", re.I)

# Elements a browser closes on its own; left open they are not an editor's mistake.
OPTIONAL_END = {"p", "li", "dt", "dd", "tr", "td", "th", "tbody", "thead", "tfoot", "caption",
                "html", "body", "head", "colgroup", "option", "optgroup", "rt", "rp"}
# Elements whose text is running text, each block counted as a sentence of its own.
TEXT_BLOCKS = {"p", "li", "td", "th", "dd", "dt", "figcaption", "blockquote", "caption"}
BLOCK_BREAKS = TEXT_BLOCKS | {"ul", "ol", "table", "tr", "div", "section", "dl", "figure",
                              "h1", "h2", "h3", "h4", "h5", "h6", "aside", "nav", "details",
                              "summary", "br", "hr", "pre", "title", "desc", "text"}
# Elements whose text is not running text (citation numbers, headings, code, drawings).
NOT_RUNNING_TEXT = {"sup", "svg", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "code"}
NOT_SEEN = {"script", "style", "noscript", "template"}


@dataclass
class PageHtml:
    """What one pass over a page's HTML found."""

    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)  # every site-internal or fragment URL
    phone_links: list[str] = field(default_factory=list)  # every tel: URL
    mail_links: list[str] = field(default_factory=list)  # every mailto: URL
    problems: list[tuple[str, str]] = field(default_factory=list)  # (source hint, problem)
    blocks: list[str] = field(default_factory=list)  # running text, a sentence per block
    seen: list[str] = field(default_factory=list)  # all a reader sees, a sentence per block
    citation_misplaced: list[str] = field(default_factory=list)  # where a citation sits wrongly

    @property
    def text(self) -> str:
        return " ".join(self.blocks)


def parse(markup: str) -> LexborHTMLParser:
    """The tree a browser builds from `markup` as the content of a <div>."""
    return LexborHTMLParser(markup, is_fragment=True, fragment_tag="div")


def tag_mistakes(markup: str) -> list[tuple[str, str]]:
    """The mistakes in hand-written tags that a browser repairs without a word, read from
    html5lib's parse errors (Lexbor reports none): (source hint, problem) pairs."""
    import html5lib  # only pages with hand-written tags need it: most builds never load it
    from html5lib import treebuilders

    parser = html5lib.HTMLParser(tree=treebuilders.getTreeBuilder("etree"), namespaceHTMLElements=False)
    parser.parseFragment(markup, container="div")
    problems = []
    for _position, code, data in parser.errors:
        if code == "duplicate-attribute":
            problems.append(("", "a tag has the same attribute twice; browsers use the first one, so write each attribute once"))
        elif code == "unexpected-end-tag" and data.get("name") not in OPTIONAL_END:
            tag = data.get("name")
            problems.append((f"</{tag}>", f"raw HTML </{tag}> closes a tag that was never opened; remove it"))
    for element in parser.tree.openElements[1:]:
        if element.name not in OPTIONAL_END:
            problems.append((f"<{element.name}", f"raw HTML <{element.name}> is never closed; add </{element.name}> or remove the tag"))
    return problems


def scan(page: str, svg_file: bool = False, raw_html: bool = True) -> PageHtml:
    """Check `page` (HTML after Markdown, or an SVG file's text when svg_file is True).

    raw_html=False skips `tag_mistakes`, the slow part: pass it only for a page whose
    source holds no "<", so that no tag in its HTML was typed by hand."""
    found = PageHtml()
    if raw_html:
        found.problems += tag_mistakes(page)
    _Walker(found, svg_file).walk(parse(page))
    return found


def _children(node: LexborNode) -> list[LexborNode]:
    """A node's children, text and comments included. A <template>'s content is kept
    outside the tree; it is walked as its children, so nothing in it escapes the checks."""
    children = list(node.iter(include_text=True))
    if node.tag == "template":
        children += [child for content in node.template_fragments() for child in content.iter(include_text=True)]
    return children


# Pushed on the walk's stack when entering a block: leaving it ends the block's sentences.
_END_OF_BLOCK = object()
# Pushed when entering hidden content: leaving it ends the hidden text's own block.
_END_OF_HIDDEN = object()
# Attributes whose text a reader sees or hears (a tooltip, a screen reader's label, the
# label CSS shows beside a table cell on a phone).
SEEN_ATTRIBUTES = ("title", "aria-label", "aria-description", "aria-roledescription",
                   "aria-valuetext", "aria-placeholder", "data-label", "placeholder")
# Class names that hide text from sighted readers (the theme's, and the usual names).
HIDING_CLASS = re.compile(r"hidden|sr-only|screen-reader|visually|invisible|\bhide|offscreen|clip", re.I)
SEEN = frozenset(SEEN_ATTRIBUTES)
STRUCK = {"del", "s", "strike"}
# Every attribute `hides` reads but the class: an element with none of them (most) is hidden
# only if struck through or by its class.
HIDING_ATTRIBUTES = frozenset({"hidden", "aria-hidden", "display", "visibility", "style", "opacity",
                               "fill-opacity", "font-size", "fill", "transform"})


def hides(name: str, attributes: dict[str, str]) -> bool:
    """Whether an element's content is hidden from some readers (or struck through): its
    words are then a block of their own. A hidden "not" never excuses a visible claim, and
    hidden words that claim something are judged like any others."""
    if name in STRUCK:
        return True
    if not HIDING_ATTRIBUTES.isdisjoint(attributes) and _hidden_by_attributes(attributes):
        return True
    # One search of the whole attribute finds what a search of each class name would: no
    # name holds a space, and a space is not part of a word for \b.
    return bool(HIDING_CLASS.search(attributes.get("class", "")))


def _hidden_by_attributes(attributes: dict[str, str]) -> bool:
    if "hidden" in attributes or attributes.get("aria-hidden", "").strip().lower() == "true":
        return True
    if attributes.get("display", "").strip().lower() == "none" or attributes.get("visibility", "").strip().lower() in ("hidden", "collapse"):
        return True
    style = attributes.get("style", "").lower().replace(" ", "")
    if any(rule in style for rule in ("display:none", "visibility:hidden", "opacity:0", "font-size:0")):
        return True
    if any(attributes.get(name, "").strip() in ("0", "0.0", "0px", "0%") for name in ("opacity", "fill-opacity", "font-size")):
        return True
    # SVG text drawn without paint, or shrunk to nothing
    return attributes.get("fill", "").strip().lower() in ("none", "transparent") or "scale(0" in attributes.get("transform", "").replace(" ", "")


class _Walker:
    def __init__(self, found: PageHtml, svg_file: bool):
        self.found = found
        self.svg_file = svg_file
        self.running: list[str] = []
        self.seen: list[str] = []
        self.hidden: list[str] = []  # text inside hidden content, judged as its own block

    def problem(self, hint: str, text: str) -> None:
        self.found.problems.append((hint, text))

    def flush_hidden(self) -> None:
        if not self.hidden:  # most blocks: nothing hidden to end
            return
        text = " ".join("".join(self.hidden).split())
        self.hidden.clear()
        if text:
            self.found.seen.append(text if text[-1] in ".!?" else text + ".")

    def flush(self) -> None:
        self.flush_hidden()  # hidden text keeps the blocks it is written in
        for parts, out in ((self.running, self.found.blocks), (self.seen, self.found.seen)):
            if not parts:  # an empty block adds nothing
                continue
            words = "".join(parts).split()
            parts.clear()
            if out is self.found.blocks and len(words) < 2:
                continue
            if words:
                text = " ".join(words)
                # A lead-in ending with a colon is a sentence too: the list after it is separate.
                out.append(text if text[-1] in ".!?" else text.rstrip(":") + ".")

    def walk(self, fragment: LexborHTMLParser) -> None:
        # An explicit stack: deeply nested hostile markup cannot exhaust Python's recursion.
        # Each entry: (node, hidden, context, foreign). hidden: bit 1 not running text, bit 2
        # not seen; foreign: "svg" or "math" inside a drawing or a formula, else "".
        # A fragment's root (its first node) stands for the whole fragment: its iter() gives
        # every top-level node.
        top_level = list(fragment.root.iter(include_text=True)) if fragment.root is not None else []
        stack: list = [(node, 0, 0, "") for node in reversed(top_level)]
        while stack:
            entry = stack.pop()
            if entry is _END_OF_BLOCK:
                self.flush()
                continue
            if entry is _END_OF_HIDDEN:
                self.flush_hidden()
                continue
            node, hidden, context, foreign = entry
            if node.is_text_node:
                text = node.text_content or ""
                if hidden & 4:
                    if not hidden & 2:
                        self.hidden.append(text)
                    continue
                if not hidden & 1:
                    self.running.append(text)
                if not hidden & 2:
                    self.seen.append(text)
                continue
            if not node.is_element_node:  # a comment
                continue
            name = node.tag.lower()
            if not foreign and name in ("svg", "math"):
                foreign = name
            # Empty attributes come as None; names are lowercased for the allowlists (SVG's
            # viewBox) and keep their prefix (xlink:href).
            attributes = {key.lower(): value or "" for key, value in node.attributes.items()}
            context = self.check(node, name, attributes, context, foreign)
            if name in BLOCK_BREAKS:
                self.flush()
                stack.append(_END_OF_BLOCK)
            inner = hidden
            if name in NOT_RUNNING_TEXT or name in NOT_SEEN:
                inner |= 1
            if name in NOT_SEEN:
                inner |= 2
            if not hidden & 4 and hides(name, attributes):
                inner |= 4
                stack.append(_END_OF_HIDDEN)
            stack += [(child, inner, context, foreign) for child in reversed(_children(node))]
        self.flush()

    # context bits: 1 inside a heading, 2 inside a link, 4 inside a citation
    def check(self, element: LexborNode, name: str, attributes: dict[str, str], context: int, foreign: str) -> int:
        if "id" in attributes:
            self.found.ids.add(attributes["id"])
        for attribute in SEEN_ATTRIBUTES if not SEEN.isdisjoint(attributes) else ():
            if attributes.get(attribute, "").strip():  # each a block of its own
                self.found.seen.append(f"{attributes[attribute].strip()}.")
        # Stricter than a browser: HTML inside an SVG <foreignObject>, <title> or <desc> (or
        # a MathML <mi>) is judged as part of the drawing (or formula) too.
        if foreign == "svg":
            self.check_svg(element, name, attributes)
            return context
        if foreign == "math":
            self.problem(f"<{name}", f"raw HTML <{name}> (MathML) is not allowed; describe the formula in words")
            return context
        if name in REFUSED_ELEMENT_REASONS:
            self.problem(f"<{name}", f"raw HTML <{name}> is not allowed: {REFUSED_ELEMENT_REASONS[name]}")
        elif name not in HTML_ELEMENTS:
            self.problem(f"<{name}", f"raw HTML <{name}> is not allowed; use Markdown or the site's boxes ([[...]], !!!)")
        allowed = ALLOWED_ATTRIBUTES.get(name, GLOBAL_ATTRIBUTES)
        for attribute, value in attributes.items():
            if attribute.startswith("on"):
                self.problem(f"{attribute}=", f"the event handler {attribute}= is not allowed: pages run no script")
            elif attribute == "style":
                self.problem("style=", "style= attributes are not allowed: styles belong in the theme")
            elif attribute not in allowed and not attribute.startswith("aria-"):
                self.problem(f"{attribute}=", f"the attribute {attribute}= on <{name}> is not allowed; remove it")
            elif attribute in URL_ATTRIBUTES:
                self.check_url(name, attribute, value)
        if name == "img":
            alt = attributes.get("alt", "").strip()
            if not alt:
                self.problem(attributes.get("src") if len(attributes.get("src", "")) > 3 else "<img", "the image has no alt text; describe it in words with ![what it shows](file)")
            else:
                self.seen.append(f" {alt}. ")

        if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            context |= 1
        if name == "a" and not context & 4:  # the citation's own number link is fine
            context |= 2
        if name == "sup" and "app-cite" in attributes.get("class", "").split():
            if context & 1:
                self.found.citation_misplaced.append("heading")
            elif context & 2:
                self.found.citation_misplaced.append("link")
            context |= 4
        return context

    def check_url(self, name: str, attribute: str, value: str) -> None:
        problem = url_problem(value, resource=(attribute == "src"))
        if problem:
            # A short value would name the wrong line: find the tag instead.
            self.problem(value if len(value.strip()) > 3 else f"<{name}", f"<{name} {attribute}>: {problem}")
            return
        url = normalised_url(value)
        if url.lower().startswith("tel:"):
            self.found.phone_links.append(url)
        elif url.lower().startswith("mailto:"):  # checked against CLINIC_EMAIL
            self.found.mail_links.append(url)
        elif INTERNAL_LINK.match(url) or url.startswith("#") or not SCHEME.match(url):
            self.found.links.append(url)

    def check_svg(self, element: LexborNode, name: str, attributes: dict[str, str]) -> None:
        if name not in SVG_ELEMENTS:
            self.problem(f"<{name}", f"<{name}> is not allowed in a drawing: drawings hold shapes and text only (no links, animation, script, images or embedded content)")
        if name == "style":
            if not self.svg_file:
                self.problem("<style", "raw HTML <style> is not allowed: styles belong in the theme's stylesheet")
            # The style sheet is the text of all the element's own text nodes.
            css = "".join(child.text_content or "" for child in element.iter(include_text=True) if child.is_text_node)
            self.check_css(css, "<style")
        for attribute, value in attributes.items():
            if attribute.startswith("on"):
                self.problem(f"{attribute}=", f"the event handler {attribute}= is not allowed: pages run no script")
            elif attribute == "style":
                if self.svg_file:
                    self.check_css(value, "style=")
                else:
                    self.problem("style=", "style= attributes are not allowed: styles belong in the theme")
            elif name == "use" and attribute in USE_REFERENCES:
                if not SAME_PAGE_REFERENCE.fullmatch(normalised_url(value)):
                    self.problem(f"{attribute}=", f"<use {attribute}=\"{value}\"> may only repeat a shape drawn on this page (#id); remove it")
            elif attribute not in SVG_ATTRIBUTES and not attribute.startswith("aria-"):
                self.problem(f"{attribute}=", f"the attribute {attribute}= on <{name}> is not allowed in a drawing; remove it")
            else:
                self.check_css(value, f"{attribute}=")

    def check_css(self, value: str, hint: str) -> None:
        if CSS_IMPORT.search(value):
            self.problem(hint, "a drawing's styles may not import or load anything")
        for match in CSS_URL.finditer(value):
            if not normalised_url(match.group(2)).startswith("#"):
                self.problem(hint, f"url({match.group(2)}) loads something from outside the drawing; only url(#id) is allowed")
