"""Content rules from the schema, checked per page. Each problem is one line:

    content/guides/x.md: line 4 (Next_review): what is wrong; how to fix it
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import NamedTuple

from ..pages import markup
from . import typed_facts
from . import wording
from .dates import date_problem
from .schema import (
    COMPONENTS,
    MAX_MONTHS_BETWEEN_REVIEWS,
    PLACEHOLDER,
    SETTINGS_IN_CONTENT,
    SUMMARY_MAX_CHARS,
    UNCITED_SECTIONS,
    ContentType,
)


class PageRecord(NamedTuple):
    """What the site-wide checks need of one page once its own checks are done: no HTML and
    no text. Kept by the plugin beside the page, not on it, and dropped once they have run.
    (Every attribute a plugin adds to Pelican's page objects beyond a handful makes each
    page's attribute table several times larger.)"""

    ids: tuple[str, ...]  # the page's ids, sorted (links to #fragments are checked against them)
    links: tuple[str, ...]  # its site-internal and #fragment links, each once, in order
    citation_places: tuple[tuple[str, str], ...]  # (section id, reference key) of each citation
    headings: tuple[str, ...]  # its sections' ids, in order (a translation has the same)


# The only templates a page's Template: may name: those meant for one page of content.
CONTENT_TEMPLATES = ("article", "page")


def parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last_day in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last_day))
        except ValueError:
            continue
    raise AssertionError("unreachable")


# Metadata a reader sees besides the title and summary: the menu, the feeds' tags and authors.
SEEN_METADATA = ("menu_label", "tags", "keywords", "author", "authors", "subtitle", "description")


def metadata_seen(metadata: dict) -> list[str]:
    """The reader-visible metadata values, as plain text, one block each."""
    from html import unescape

    found = []
    for key in SEEN_METADATA:
        value = metadata.get(key)
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if item is not None and (text := unescape(plain_text(getattr(item, "name", item)))):
                found.append(text)
    return found


def plain_text(value) -> str:
    return re.sub(r"\s+", " ", markup.TAG.sub("", str(value))).strip()


HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


class PageChecker:
    """Collects the problems of one page; `where` names the place in the source file."""

    def __init__(self, label: str, source: str | Callable[[], str]):
        """`source` is the page's text, or a function that reads it: a page taken from the
        page cache, or without a broken link, never needs its lines."""
        self.label = label
        self._source = source
        self._lines: list[str] | None = None
        self.problems: list[str] = []
        self.translate = lambda text: text  # headings and box titles in the page's language

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = (self._source() if callable(self._source) else self._source).splitlines()
        return self._lines

    def where(
        self, field_name: str | None = None, section: str | None = None, text: str | None = None
    ) -> str:
        if field_name:
            pattern = re.compile(rf"^\s*{re.escape(field_name)}\s*:", re.I)
            for number, line in enumerate(self.lines, 1):
                if pattern.match(line):
                    return f"line {number} ({field_name})"
            return f"metadata ({field_name})"
        if section:
            return f"section '{section}'"
        if text:
            for number, line in enumerate(self.lines, 1):
                if text in line:
                    return f"line {number}"
        return "page"

    def add(self, where: str, problem: str) -> None:
        self.problems.append(f"{self.label}: {where}: {problem}")

    def placeholders(self) -> None:
        for number, line in enumerate(self.lines, 1):
            if PLACEHOLDER in line:
                self.add(
                    f"line {number}",
                    f"unfinished text '{PLACEHOLDER}' left from `invoke new`; "
                    "replace it with the real text",
                )

    def fields(self, ctype: ContentType, metadata: dict) -> dict[str, datetime.date]:
        dates = {}
        for f in ctype.fields:
            value = metadata.get(f.key)
            if value is None or not plain_text(value):
                self.add(
                    self.where(f.name), f"'{f.name}' is missing; add '{f.name}: ' with {f.help}"
                )
                continue
            if f.kind == "date":
                day = parse_date(value)
                reason = date_problem(day.isoformat() if day else str(value))
                if day is None or reason:
                    self.add(self.where(f.name), reason or f"'{value}' is not a date")
                else:
                    dates[f.key] = day
            if f.kind == "summary" and len(plain_text(value)) > SUMMARY_MAX_CHARS:
                self.add(
                    self.where(f.name),
                    f"the summary is {len(plain_text(value))} characters; shorten it to "
                    f"{SUMMARY_MAX_CHARS} or fewer",
                )
        return dates

    def whole_numbers(self, metadata: dict, names=("Order", "Menu")) -> None:
        for name in names:
            value = metadata.get(name.lower())
            if value is not None and not str(value).strip().isdigit():
                self.add(
                    self.where(name),
                    f"'{value}' is not a whole number; write a number, e.g. {name}: 3",
                )

    def template(self, name: str | None, known: list[str], allowed: tuple[str, ...] = CONTENT_TEMPLATES) -> None:
        if not name:
            return
        if f"{name}.html" not in known:
            self.add(
                self.where("Template"),
                f"there is no template '{name}' in the theme; use one of: {', '.join(allowed)}, "
                "or remove the Template line",
            )
        elif name not in allowed:
            self.add(
                self.where("Template"),
                f"the template '{name}' draws another part of the site, not a page; use one of: "
                f"{', '.join(allowed)}, or remove the Template line",
            )

    def review_dates(self, dates: dict[str, datetime.date]) -> None:
        reviewed, due = dates.get("reviewed"), dates.get("next_review")
        if not (reviewed and due):
            return
        if due <= reviewed:
            self.add(
                self.where("Next_review"),
                f"the next review ({due}) must come after the last review ({reviewed}); "
                "set a later date",
            )
        latest = add_months(reviewed, MAX_MONTHS_BETWEEN_REVIEWS)
        if due > latest:
            self.add(
                self.where("Next_review"),
                f"the next review ({due}) is more than {MAX_MONTHS_BETWEEN_REVIEWS} months "
                f"after the last review ({reviewed}); set it on or before {latest}",
            )

    def sections(self, ctype: ContentType, content: str) -> None:
        found = markup.outline(content)
        ids = [s.id for s in found]
        position = -1
        for section in ctype.sections:
            if section.id not in ids:
                self.add(
                    self.where(section=section.title),
                    f"the required section is missing; add '## {self.translate(section.title)}' with "
                    f"{section.help} (if you reword the heading, end it with "
                    f"{{#{section.id}}})",
                )
                continue
            index = ids.index(section.id)
            if index < position:
                order = ", ".join(s.title for s in ctype.sections)
                self.add(
                    self.where(section=section.title),
                    f"the section is out of order; required sections come in this order: {order}",
                )
            position = max(position, index)
            if not plain_text(_section_body(content, section.id)):
                self.add(
                    self.where(section=section.title),
                    f"the section is empty; write {section.help}",
                )

    def components(self, ctype: ContentType, found: list[str]) -> None:
        for name in found:
            if name not in COMPONENTS:
                known = ", ".join(COMPONENTS)
                self.add(
                    "page", f"unknown box '!!! {name}'; use one of: {known}"
                )
        for component in ctype.components:
            if component.name not in found:
                self.add(
                    "page",
                    f"the '{component.default_title}' box is missing; add "
                    f"'!!! {component.name} \"{self.translate(component.default_title)}\"' near the top with "
                    f"{component.help}",
                )

    def citations(self, ctype: ContentType, cited: list[str], unknown: list[str]) -> None:
        for key in dict.fromkeys(unknown):
            self.add(
                f"citation [@{key}]",
                f"'{key}' is not in content/data/references.toml; add the reference there "
                "or correct the key",
            )
        if ctype.needs_citations and not cited:
            self.add(
                "page",
                "the page cites no references; support its medical statements with [@key] "
                "citations",
            )

    def settings_used(self, missing: list[str]) -> None:
        for name in dict.fromkeys(missing):
            if name in SETTINGS_IN_CONTENT:
                problem = f"{name} is empty in pelicanconf.py; fill it in there or remove {{{{ {name} }}}}"
            else:
                known = ", ".join(SETTINGS_IN_CONTENT)
                problem = f"{{{{ {name} }}}} is not a setting pages can show; use one of: {known}"
            self.add(f"{{{{ {name} }}}}", problem)

    def glossary_links(self, unknown: list[str]) -> None:
        for key in dict.fromkeys(unknown):
            self.add(
                f"glossary link (glossary:{key})",
                f"'{key}' is not in content/data/glossary.toml; add the term there or correct the link",
            )

    def directives(self, unknown: list[str]) -> None:
        for name in dict.fromkeys(unknown):
            self.add(
                f"[[{name}]]",
                "unknown block; use [[evidence-table]], [[evidence-scale]], [[glossary]], "
                "[[clinic-contact]], [[all-references]] or [[option-grid: slug]]",
            )

    def wording(self, blocks: list[str], language: str = "en") -> None:
        """Everything a reader sees (title, summary, headings, boxes, cells, alt text,
        captions, drawings), one sentence per block."""
        for block in blocks:
            if controls := wording.bidi_controls(block):
                self.add(
                    self.where(text=block[:40]) if block[:40] else "page",
                    f"the text contains invisible direction-control characters "
                    f"({', '.join(controls)}) that change what readers see; delete them",
                )
        text = " ".join(blocks)
        # Every language's list, whatever the page's language: a pasted claim is caught too.
        for phrase, sentence, advice in wording.overclaims_in_any_language(text):
            self.add(
                f"wording '{phrase}'",
                f"overclaims in \"{sentence[:120]}\"; {advice}",
            )

    def review_claims(self) -> None:
        """A review said in the page's own words, in its text or its metadata (Title, Summary).
        An HTML comment, which no reader sees, is left out (its line breaks kept, for the line
        numbers)."""
        text = HTML_COMMENT.sub(lambda found: "\n" * found.group(0).count("\n"), "\n".join(self.lines))
        for found, number in typed_facts.review_claims(text):
            self.add(f"line {number}", f"'{found}': {typed_facts.REVIEW_CLAIM_PROBLEM}")

    def typed_facts(self, blocks: list[str], settings_values: list[str], phone_links: list[str], clinic_phone: str) -> None:
        for found, problem in typed_facts.problems(" \n ".join(blocks), settings_values):
            self.add(self.where(text=found), f"'{found}': {problem}")
        for href in dict.fromkeys(phone_links):
            if href.lower().startswith("mailto:"):
                if problem := typed_facts.mail_link_problem(href, settings_values):
                    self.add(self.where(text=href[len("mailto:"):]), problem)
            elif problem := typed_facts.phone_link_problem(href, clinic_phone):
                self.add(self.where(text=href.removeprefix("tel:")), problem)

    def section_citations(self, ctype: ContentType, content: str, misplaced: list[str]) -> None:
        """Every section of a guide or condition page cites a source, unless the schema says
        the section makes no medical claim; a citation sits in running text only."""
        for place in dict.fromkeys(misplaced):
            self.add(
                "citation",
                f"a citation [@key] is inside a {place}"
                + ("'s text" if place == "link" else "")
                + "; put it at the end of the sentence it supports, outside headings and links",
            )
        if not ctype.needs_citations:
            return
        uncited = {s.id for s in ctype.sections if not s.needs_citation}
        for section_id, title, body in markup.sections_with_bodies(content):
            if section_id in uncited or section_id in UNCITED_SECTIONS:
                continue
            if 'class="app-cite"' not in body:
                self.add(
                    self.where(section=title),
                    "the section cites no source; add a [@key] citation to the statements "
                    "it makes (every section of a guide or condition page needs one)",
                )

    def date_sense(self, dates: dict[str, datetime.date], today: datetime.date) -> None:
        reviewed, published = dates.get("reviewed"), dates.get("date")
        if reviewed and reviewed > today:
            self.add(
                self.where("Reviewed"),
                f"the review date {reviewed} is in the future (today is {today}); "
                "write the day the page was really checked",
            )
        if reviewed and published and published > reviewed:
            self.add(
                self.where("Date"),
                f"the page is dated {published}, after its last review ({reviewed}); a page "
                "is reviewed on or after the day it was first published",
            )

    def reading_grade(self, ctype: ContentType, grade: float) -> None:
        if ctype.reading_grade_max is not None and grade > ctype.reading_grade_max:
            self.add(
                "reading grade",
                f"the text reads at US grade {grade}, above {ctype.reading_grade_max:g}; use "
                "shorter sentences and everyday words, and explain medical terms",
            )

    def expiry(self, dates: dict[str, datetime.date], today: datetime.date) -> str | None:
        due = dates.get("next_review")
        if due and due < today:
            return (
                f"{self.label}: {self.where('Next_review')}: the review was due on {due}; "
                "check the page against the evidence, then update Reviewed and Next_review"
            )
        return None


def _section_body(content: str, section_id: str) -> str:
    start = re.search(rf"<h2\b[^>]*\bid=\"{re.escape(section_id)}\"[^>]*>.*?</h2>", content, re.S)
    if not start:
        return ""
    rest = content[start.end() :]
    following = re.search(r"<h2\b", rest)
    return rest[: following.start()] if following else rest
