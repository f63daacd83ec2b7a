"""Transformations of a page's HTML after Markdown: citations, components, outline.

Each function takes HTML and returns HTML (or facts about it) and never raises for bad
input: it reports problems instead, so the build can list every one of them at once.
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Callable, Mapping
from typing import NamedTuple

CITATION = re.compile(r"\[@([\w.-]+(?:\s*;\s*@[\w.-]+)*)\]")
ADMONITION_OPEN = re.compile(r'<div class="admonition ([\w -]+)">')
DIV_TAG = re.compile(r"<(/?)div\b[^>]*>")
ADMONITION_TITLE = re.compile(r'^\s*<p class="admonition-title">(.*?)</p>\s*', re.S)
H2 = re.compile(r"<h2\b[^>]*\bid=\"([^\"]+)\"[^>]*>(.*?)</h2>", re.S)
TAG = re.compile(r"<[^>]+>")
DIRECTIVE = re.compile(r"<p>\[\[([a-z-]+)(?::\s*([^\]<]*))?\]\]</p>")
GLOSSARY_LINK = re.compile(r'href="glossary:([\w-]+)"')
SETTING = re.compile(r"\{\{\s*([A-Z][A-Z0-9_]*)\s*\}\}")


def keys_of(citation: str) -> list[str]:
    """The keys inside one citation's brackets: "@a; @b" gives ["a", "b"]."""
    return [key.strip().lstrip("@") for key in citation.split(";")]


def cited_keys(text: str) -> list[str]:
    """Every key cited in `text`, in order, repeats included."""
    return [key for match in CITATION.finditer(text) for key in keys_of(match.group(1))]


def expand_directives(
    content: str, render: Callable[[str, list[str]], str | None]
) -> tuple[str, list[str]]:
    """Replace each paragraph `[[name]]` or `[[name: a, b]]` by `render(name, [a, b])`.

    Returns the new HTML and the directives `render` did not know (it returned None).
    """
    unknown: list[str] = []

    def replace(match: re.Match) -> str:
        arguments = [a.strip() for a in (match.group(2) or "").split(",") if a.strip()]
        rendered = render(match.group(1), arguments)
        if rendered is None:
            unknown.append(match.group(1))
            return match.group(0)
        return rendered

    return DIRECTIVE.sub(replace, content), unknown


def link_glossary(content: str, terms: Mapping[str, object], glossary_source: str):
    """Point `[words](glossary:key)` links at the term on the glossary page (through
    Pelican's {filename} links, so the address is right in every build).

    Returns the new HTML, the keys linked and the keys that are not in the glossary.
    """
    linked: list[str] = []
    unknown: list[str] = []

    def replace(match: re.Match) -> str:
        key = match.group(1)
        (linked if key in terms else unknown).append(key)
        return f'href="{{filename}}{glossary_source}#term-{key}"'

    return GLOSSARY_LINK.sub(replace, content), linked, unknown


def insert_settings(content: str, values: Mapping[str, str]) -> tuple[str, list[str]]:
    """Replace `{{ CLINIC_NAME }}` and the like by the setting's value, escaped.

    Returns the new HTML and the names that are not site settings or are empty.
    """
    missing: list[str] = []

    def replace(match: re.Match) -> str:
        value = values.get(match.group(1), "")
        if not value:
            missing.append(match.group(1))
            return match.group(0)
        return html.escape(str(value))

    return SETTING.sub(replace, content), missing


def resolve_citations(
    content: str, known: Mapping[str, object], label: str = "reference"
) -> tuple[str, list[str], list[str]]:
    """Replace each `[@key]` or `[@a; @b]` by numbered links to the page's reference list.
    `label` is what a screen reader says before the number, in the page's language.

    Returns the new HTML, the cited keys in order of first citation, and the unknown keys.
    """
    order: list[str] = []
    unknown: list[str] = []

    def replace(match: re.Match) -> str:
        keys = keys_of(match.group(1))
        links = []
        for key in keys:
            if key not in known:
                unknown.append(key)
                continue
            if key not in order:
                order.append(key)
            number = order.index(key) + 1
            links.append(
                f'<a href="#ref-{number}"><span class="app-visually-hidden">{html.escape(label)} </span>'
                f"{number}</a>"
            )
        if not links:
            return match.group(0)
        return f'<sup class="app-cite">[{", ".join(links)}]</sup>'

    return CITATION.sub(replace, content), order, unknown


def expand_components(
    content: str, render: Callable[[str, str | None, str, int], str]
) -> tuple[str, list[str]]:
    """Replace each Markdown admonition (`!!! name "Title"`) by
    `render(name, title, body, heading_level)`: a box before the page's first section is
    headed at level 2, one inside a section at level 3, so headings never skip a level.

    Returns the new HTML and the names of the components found, in order.
    """
    found: list[str] = []
    out: list[str] = []
    position = 0
    while match := ADMONITION_OPEN.search(content, position):
        end, inner_end = _matching_div_end(content, match.end())
        if end is None:
            break  # unclosed markup: leave it for the HTML checks to report
        name = match.group(1).strip()
        body = content[match.end() : inner_end]
        title = None
        if title_match := ADMONITION_TITLE.match(body):
            title = title_match.group(1)
            body = body[title_match.end() :]
        found.append(name)
        out.append(content[position : match.start()])
        level = 3 if "<h2" in content[: match.start()] else 2
        out.append(render(name, title, body.strip(), level))
        position = end
    out.append(content[position:])
    return "".join(out), found


def _matching_div_end(content: str, start: int) -> tuple[int | None, int | None]:
    depth = 1
    for tag in DIV_TAG.finditer(content, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.end(), tag.start()
    return None, None


class Section(NamedTuple):
    """A level-2 section: its id and plain title (templates read `section.id`)."""

    id: str
    title: str


def outline(content: str) -> list[Section]:
    """The page's level-2 sections, for the "On this page" list: id and plain title.
    Interned: every page keeps its outline, and the same headings recur on many pages."""
    return [
        Section(sys.intern(m.group(1)), sys.intern(html.unescape(TAG.sub("", m.group(2))).strip()))
        for m in H2.finditer(content)
    ]


def sections_with_bodies(content: str) -> list[tuple[str, str, str]]:
    """The page's level-2 sections: (id, plain title, HTML up to the next level-2 heading)."""
    found = list(H2.finditer(content))
    sections = []
    for index, match in enumerate(found):
        end = found[index + 1].start() if index + 1 < len(found) else len(content)
        title = html.unescape(TAG.sub("", match.group(2))).strip()
        sections.append((match.group(1), title, content[match.end() : end]))
    return sections
