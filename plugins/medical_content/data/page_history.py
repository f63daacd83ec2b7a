"""Page history: the dated change notes editors write for each guide and condition page.

They live in one data file, content/data/page-history.toml, not in the pages themselves, keyed
by the page's source file under content/ (so a translation such as `guides/x.es.md` or
`es/guides/x.md` has entries of its own), newest first:

    "guides/what-is-prp.md" = [
      { date = 2027-02-03, note = "Added the 2027 review of knee studies." },
      { date = 2026-11-26, note = "First published." },
    ]

The build checks the file (see `check_page` and `unknown_pages`), the article template shows
the notes as "Page history", and the newest date becomes the page's `modified` time, which
Pelican's Atom feeds give as the entry's `updated`.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..rules import checks
from . import models
from .structure import check
from ..rules.source_files import METADATA_LINE

NOTE_MAX_CHARS = 200  # one short sentence: GOV.UK's change notes are about this long
FIRST_PUBLISHED = "First published."
SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")
SENTENCE_BREAK = re.compile(r"[.!?][\"')\]]*\s+\S")  # another sentence follows
DATE_IN_SOURCE = re.compile(r"\bdate\s*=\s*\"?([^\s\",}]+)")
EXAMPLE = '{ date = 2026-11-26, note = "First published." }'


@dataclass(frozen=True)
class Change:
    date: datetime.date
    note: str


def _parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return None  # a day, not a moment: the notes are dated by day
    return checks.parse_date(value)


def key_of(relative_source_path: str) -> str:
    """The history key of a page: its source path under content/, with forward slashes."""
    return relative_source_path.replace("\\", "/")


class PageHistory:
    """The history file, read once per build. `problems` holds what is wrong with the file
    as a whole; each page's own problems come from `check_page`."""

    def __init__(self, path: Path, label: str):
        self.label = label  # e.g. content/data/page-history.toml, as messages show it
        self.problems: list[str] = []
        self.raw: dict[str, object] = {}
        self.changes: dict[str, list[tuple[int, models.Change]]] = {}  # each page's well-formed entries
        self.broken: set[str] = set()  # pages with a malformed entry: reported with the file's problems
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.problems.append(
                f"{label}: the file is missing; create it with one entry per guide and condition "
                f'page, e.g. "guides/what-is-prp.md" = [{EXAMPLE}]'
            )
            return
        except (OSError, UnicodeDecodeError) as error:
            self.problems.append(f"{label}: cannot read it ({error}); save it as UTF-8 text")
            return
        try:
            self.raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            self.problems += self._explain_syntax_error(text, error)
        except RecursionError:  # brackets or tables inside one another, thousands deep
            self.problems.append(f"{label}: values are nested too deeply; write each page's "
                                 "changes as a list of tables")
        for key, entries in self.raw.items():  # the structure of every entry, at once
            self.changes[key] = []
            if not isinstance(entries, list):
                self.problems += check(models.PageChanges, entries, label, lambda loc, data, key=key: (key, 0))[1]
                self.broken.add(key)
                continue
            for number, entry in enumerate(entries, 1):
                change, found = check(models.Change, entry, label, lambda loc, data, key=key, number=number: (
                    f"{key}: entry {number}", 0))
                self.problems += found
                if found:
                    self.broken.add(key)
                else:
                    self.changes[key].append((number, change))

    def _explain_syntax_error(self, text: str, error: Exception) -> list[str]:
        """TOML rejects an impossible date such as 2026-13-01 with a message about brackets;
        find such dates and name them, else pass TOML's own message on."""
        found = []
        for number, line in enumerate(text.splitlines(), 1):
            for match in DATE_IN_SOURCE.finditer(line.split("#", 1)[0]):
                if _parse_date(match.group(1)) is None:
                    found.append(
                        f"{self.label}: line {number}: '{match.group(1)}' is not a date; write it "
                        "as YYYY-MM-DD, e.g. 2026-11-20"
                    )
        return found or [
            f"{self.label}: the file is not valid TOML ({error}); each page is written as "
            f'"guides/page.md" = [{EXAMPLE}, ...], notes in double quotes'
        ]

    def check_page(self, key: str, reviewed: datetime.date | None) -> tuple[list[Change], list[str]]:
        """The page's changes, newest first, and every problem with them."""
        where = f"{self.label}: {key}"
        if self.problems and not self.raw:
            return [], []  # the file itself is broken: reported once already
        entries = self.changes.get(key)
        if not entries and key not in self.broken:
            return [], [
                f"{where}: the page has no history; add a line "
                f'"{key}" = [{EXAMPLE}] with the day it was first published'
            ]
        changes, problems = [], []
        for number, entry in entries or []:
            note_problem = self._note_problem(entry.note)
            if note_problem:
                problems.append(f"{where}: entry {number}: {note_problem}")
            else:
                changes.append(Change(entry.date, " ".join(entry.note.split())))
        if key in self.broken:  # what else is wrong with the page's entries; its dates may be out
            return [], problems
        for number, (newer, older) in enumerate(zip(changes, changes[1:]), 2):
            if older.date > newer.date:
                problems.append(
                    f"{where}: the change of {older.date} comes after the change of {newer.date}; "
                    "list the newest change first"
                )
                break
        if changes and reviewed is not None:
            newest = max(change.date for change in changes)
            if newest > reviewed:
                problems.append(
                    f"{where}: the newest change ({newest}) is after the page's last review "
                    f"(Reviewed: {reviewed}); a change is recorded once the page has been checked: "
                    f"update Reviewed and Next_review in {key}, or correct the date"
                )
        return (changes if not problems else []), problems

    @staticmethod
    def _note_problem(note: str) -> str | None:
        """What is wrong with a note's words (its type is the model's, models.Change)."""
        if not note.strip():
            return 'the note is missing; add note = "..." with one short sentence saying what changed'
        text = " ".join(note.split())
        if "\n" in note.strip():
            return "the note runs over several lines; write one short sentence on one line"
        if len(text) > NOTE_MAX_CHARS:
            return (
                f"the note is {len(text)} characters; shorten it to one sentence of at most "
                f"{NOTE_MAX_CHARS} characters"
            )
        if SENTENCE_BREAK.search(text):
            return f"the note '{text}' is more than one sentence; say what changed in one sentence"
        if not SENTENCE_END.search(text):
            return f"the note '{text}' is not a sentence; end it with a full stop"
        return None

    def unknown_pages(self, known: set[str]) -> list[str]:
        """Entries for pages that are not guide or condition pages of this site."""
        return [
            f"{self.label}: {key}: there is no guide or condition page content/{key}; correct "
            "the path, or remove the entry if the page was deleted or renamed"
            for key in self.raw
            if key not in known
        ]


def load(path: Path, label: str) -> PageHistory:
    return PageHistory(path, label)


def entry_line(key: str, day: datetime.date, note: str = FIRST_PUBLISHED) -> str:
    """The TOML line that starts a page's history, e.g. for `invoke new`."""
    return f'"{key}" = [{{ date = {day.isoformat()}, note = "{note}" }}]\n'


def first_published_history(content: Path, folders) -> str:
    """A history file giving every article under `content/<folder>/` one "First published."
    entry on its Date (or Reviewed, when earlier): for generated sites, such as the
    benchmark's corpus and test sites, that have no editors' history."""
    lines = []
    for folder in folders:
        for path in sorted((content / folder).rglob("*.md")):
            day = _first_day(path)
            lines.append(entry_line(key_of(str(path.relative_to(content))), day))
    return "".join(lines)


def _first_day(path: Path) -> datetime.date:
    days = []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    for line in text.splitlines():
        match = METADATA_LINE.match(line)
        if not match:
            break
        day = _parse_date(match.group(2)) if match.group(1).lower() in ("date", "reviewed") else None
        if day:
            days.append(day)
    return min(days, default=datetime.date(2026, 1, 1))
