"""Checks on the Markdown files themselves, before Pelican reads them.

Pelican drops a file it cannot read with a bare "Could not process FILE", and skips an
article without a title or date. Reading each file first lets the build say why, in words
an editor can act on: empty, not text, not UTF-8, too large, no metadata block, a date it
cannot read, a title with HTML in it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .dates import date_problem
from .schema import MAX_NESTING, MAX_SOURCE_BYTES

MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown")
METADATA_LINE = re.compile(r"^([A-Za-z0-9_-]+):\s*(.*)$")
HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
LIST_OR_QUOTE = re.compile(r"^([ \t]*)((?:>[ \t]*)*)(?:[-*+]|\d+[.)])?")
# Each level of nesting takes at least one space, tab or ">" at the start of a line: a file
# without a run of more of them than the limit allows needs no closer look. (A run anywhere
# counts, so this holds whichever characters end a line.)
_AS_SPACES = str.maketrans("\t>", "  ")
_DEEP_RUN = " " * (MAX_NESTING + 1)


def _may_be_deep(text: str) -> bool:
    if "\t" in text or ">" in text:
        text = text.translate(_AS_SPACES)
    return _DEEP_RUN in text


def nesting_problem(text: str, label: str) -> str | None:
    """Lists or quotes nested so deeply that Markdown would run out of stack: the first
    line past the limit, and how deep it goes."""
    if not _may_be_deep(text):
        return None
    first, deepest = None, 0
    for number, line in enumerate(text.splitlines(), 1):
        indent, quotes = LIST_OR_QUOTE.match(line).groups()
        depth = len(indent.expandtabs(4)) // 4 + quotes.count(">")
        deepest = max(deepest, depth)
        if depth > MAX_NESTING and first is None:
            first = number
    if first is None:
        return None
    return (f"{label}: line {first}: lists or quotes are nested {deepest} levels deep, more "
            f"than {MAX_NESTING}; flatten them, or split the text into sections")


def markdown_files(settings: dict) -> list[Path]:
    root = Path(settings["PATH"])
    folders = list(settings["ARTICLE_PATHS"]) + list(settings["PAGE_PATHS"])
    found = []
    for folder in folders:
        for dirpath, _dirnames, filenames in os.walk(root / folder):
            found += [Path(dirpath) / n for n in filenames if n.endswith(MARKDOWN_EXTENSIONS)]
    return sorted(set(found))


def metadata_block(text: str) -> dict[str, tuple[int, str]]:
    """The `Name: value` lines at the top of a file: lowercased name -> (line, value)."""
    fields = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            break
        match = METADATA_LINE.match(line)
        if not match:
            break
        fields[match.group(1).lower()] = (number, match.group(2).strip())
    return fields


def file_problems(path: Path, label: str, is_article: bool) -> list[str]:
    """Problems that stop Pelican from reading `path` properly; empty when it can."""
    size = path.stat().st_size
    if size > MAX_SOURCE_BYTES:
        return [
            f"{label}: page: the file is {size / 1_000_000:.1f} MB, more than a page can be "
            f"({MAX_SOURCE_BYTES // 1000} KB); split it into several pages or remove pasted material"
        ]
    data = path.read_bytes()
    if b"\x00" in data:
        return [f"{label}: page: this is not a text file; save the page as plain text (Markdown)"]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return [
            f"{label}: line {line}: the file is not saved as UTF-8 text; save it again with "
            "UTF-8 encoding (most editors offer this under 'Save as')"
        ]
    if not text.strip():
        return [f"{label}: page: the file is empty; start a page with `invoke new`"]
    fields = metadata_block(text.lstrip("\ufeff"))
    if "title" not in fields:
        return [
            f"{label}: line 1: there is no metadata block with a Title at the top; begin the "
            "file with lines such as 'Title: ...', then a blank line"
        ]
    if nested := nesting_problem(text, label):
        return [nested]
    problems = []
    number, title = fields["title"]
    if HTML_TAG.search(title):
        problems.append(
            f"{label}: line {number} (Title): the title contains HTML markup; write it as plain text"
        )
    if "summary" in fields and HTML_TAG.search(fields["summary"][1]):
        problems.append(
            f"{label}: line {fields['summary'][0]} (Summary): the summary contains HTML markup; "
            "write it as plain text"
        )
    if is_article and "date" in fields:
        number, value = fields["date"]
        if reason := date_problem(value):
            problems.append(f"{label}: line {number} (Date): {reason}")
    if is_article and "date" not in fields:
        problems.append(
            f"{label}: metadata (Date): 'Date' is missing; add 'Date: ' with the day the page "
            "was first published, as YYYY-MM-DD"
        )
    return problems


class AlreadyReported(Exception):
    """Raised instead of reading a file whose problems the pre-read reported. Pelican logs
    it as "Could not process FILE" with this exception as the cause; sitebuild leaves such
    a message out, seeing `already_reported` on the cause (not by matching Pelican's text)."""

    already_reported = True
