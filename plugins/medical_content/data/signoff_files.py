"""The two sign-off files: content/data/reviewers.toml (who may sign pages off) and
content/data/sign-offs.toml (who signed which page off, when, and the digest of what they
checked), read and checked, and the entry `invoke sign-off` appends. Their structure is in
models.py; the rules across files (a reviewer exists, has the role and reads the page's
language, the digest matches) are here. signoff.py says what the sign-offs mean.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from . import models
from .structure import check

ROLES = models.ROLES
REVIEWER_EXAMPLE = ('[a-reviewer]\nname = "..."\ncredentials = "..."\nrole = "clinical"\n'
                    'languages = ["en"]\ninterests = "None declared."')


@dataclass(frozen=True)
class Reviewer:
    id: str
    name: str
    credentials: str
    roles: tuple[str, ...]
    languages: tuple[str, ...]
    interests: str

    @property
    def display(self) -> str:
        """How the reviewer is named on pages: "NAME, CREDENTIALS"."""
        return f"{self.name}, {self.credentials}"


@dataclass(frozen=True)
class SignOff:
    page: str
    reviewer: Reviewer
    role: str
    date: datetime.date
    digest: str
    inputs: tuple[tuple[str, str], ...]


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def overall_digest(inputs: dict[str, str]) -> str:
    return sha256("".join(f"{name}\t{value}\n" for name, value in sorted(inputs.items())).encode("utf-8"))


def load_reviewers(path: Path, label: str, languages: list[str]) -> tuple[dict[str, Reviewer], list[str]]:
    """The reviewers in `path`; a missing file means no reviewers."""
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}, []
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return {}, [f"{label}: cannot read it ({error}); write one table per reviewer:\n{REVIEWER_EXAMPLE}"]
    found, all_problems = {}, []
    for rid, raw_entry in raw.items():
        entry, problems = check(models.Reviewer, raw_entry, label, lambda loc, data: (f"[{rid}]", 0),
                                context={"languages": languages})
        all_problems += problems
        if problems:
            continue
        found[rid] = Reviewer(rid, " ".join(entry.name.split()), " ".join(entry.credentials.split()),
                              tuple(entry.role), tuple(entry.languages), " ".join(entry.interests.split()))
    return found, all_problems


def load_sign_offs(path: Path, label: str, reviewers: dict[str, Reviewer],
                   page_lang, today: datetime.date) -> tuple[list[SignOff], list[str]]:
    """The sign-offs in `path` (a missing file means none). `page_lang(page)` is the language
    of a page under content/, or None when there is no such page to sign off."""
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return [], []
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return [], [f"{label}: cannot read it ({error}); the file is written by `invoke sign-off`: "
                    "restore it from git"]

    def where(number: int, entry) -> str:
        page = entry.get("page") if isinstance(entry, dict) else None
        return f"sign-off {number}" + (f" ({page})" if isinstance(page, str) else "")

    def place(loc, data):  # the whole file's: [[sign-off]] entries only
        if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(data.get("sign-off"), list):
            return where(loc[1] + 1, data["sign-off"][loc[1]]), 2
        return "", 0

    advice = "sign-offs are written by `invoke sign-off`, never by hand: restore the file from git"
    entries = raw.get("sign-off", [])
    if set(raw) - {"sign-off"} or not isinstance(entries, list):
        return [], check(models.SignOffs, raw, label, place, advice)[1]
    found, problems = [], []
    for number, raw_entry in enumerate(entries, 1):  # one at a time: each entry's problems, at once
        entry, trouble = check(models.SignOffEntry, raw_entry, label,
                               lambda loc, data: (where(number, data), 0), advice)
        problems += trouble
        if entry is None:
            continue
        page, rid, role = entry.page, entry.reviewer, entry.role
        place = f"{label}: sign-off {number} ({page})"
        reviewer = reviewers.get(rid)
        lang = page_lang(page)
        if lang is None:
            problems.append(f"{place}: there is no guide or condition page content/{page}; remove the "
                            "entry if the page was deleted or renamed")
        elif reviewer is None:
            problems.append(f"{place}: reviewer '{rid}' is not in reviewers.toml; add the reviewer "
                            "there or remove the entry")
        elif role not in reviewer.roles:
            problems.append(f"{place}: {reviewer.id} is not a {role} reviewer in reviewers.toml")
        elif lang not in reviewer.languages:
            problems.append(f"{place}: {reviewer.id} does not read '{lang}' (languages in reviewers.toml)")
        elif entry.date > today:
            problems.append(f"{place}: it is dated {entry.date}, after today ({today}); a sign-off is dated "
                            "the day it is made, by `invoke sign-off`: restore the file from git")
        elif entry.digest != overall_digest(entry.inputs):
            problems.append(f"{place}: the digest does not match the inputs listed; sign-offs are "
                            "written by `invoke sign-off`, never by hand")
        else:
            found.append(SignOff(page, reviewer, role, entry.date, entry.digest, tuple(sorted(entry.inputs.items()))))
    return found, problems


def sign_off_text(page: str, reviewer: Reviewer, role: str, day: datetime.date, inputs: dict[str, str]) -> str:
    """The [[sign-off]] entry `invoke sign-off` appends to sign-offs.toml."""
    def q(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = ["", "[[sign-off]]", f"page = {q(page)}", f"reviewer = {q(reviewer.id)}", f"role = {q(role)}",
             f"date = {day.isoformat()}", f"digest = {q(overall_digest(inputs))}", "[sign-off.inputs]"]
    lines += [f"{q(name)} = {q(value)}" for name, value in sorted(inputs.items())]
    return "\n".join(lines) + "\n"
