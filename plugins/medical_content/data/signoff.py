"""Clinical and language sign-offs: who checked a page, when, and exactly what they checked.

Two data files (README, "From draft to published"; contract in plugins/README.md):

- content/data/reviewers.toml: the people who may sign off pages, one table per reviewer id
  (name, credentials, role "clinical" and/or "language", languages, declared interests).
  Names reach pages only from here: the typed-in-name rule forbids them anywhere else.
- content/data/sign-offs.toml: written by `invoke sign-off PAGE... --reviewer ID`, one
  [[sign-off]] per page and reviewer: the page, who, in which role, when, and a sha256 digest
  of every input drawn into the page, each input with its own digest so that a later change
  names the input that changed.

A page's inputs (`page_inputs`) are its source file, the option grid(s) it draws (and their
translation), the evidence rows of its evidence tables (and their translation), the scale if
it draws it, every reference it, its grids or its rows cite, and the glossary entries it
links. They are worked out from the files alone, so the build, `invoke sign-off` and
`invoke reviews` always agree. Only pages with review dates (guides and condition pages, and
their translations) are signed off. A page in the site's own language needs a current
clinical sign-off; a translation needs a clinical and a language sign-off, each by a reviewer
who reads its language. The newest sign-off of each role counts.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..pages import markup
from ..i18n.interface import N_
from .page_history import Change

log = logging.getLogger(__name__)

ROLES = ("clinical", "language")
REVIEWER_FIELDS = {"name", "credentials", "role", "languages", "interests"}
SIGN_OFF_FIELDS = {"page", "reviewer", "role", "date", "digest", "inputs"}
# The settings a published site needs besides sign-offs (empty by default: never invented).
STATEMENTS = {
    "EDITORIAL_CONTACT": "an address readers can write to the editors at (not the clinic's)",
    "FUNDING_STATEMENT": "who funds the website",
    "CLINIC_RELATIONSHIP": "the website's relationship with the clinic whose contact page it carries",
}
TRANSLATED_STATEMENTS = ("FUNDING_STATEMENT", "CLINIC_RELATIONSHIP")
GRID = re.compile(r"\[\[option-grid:\s*([^\]\s]+)\s*\]\]")
EVIDENCE_TABLE = re.compile(r"\[\[evidence-table(?::\s*([^\]]*))?\]\]")
EVIDENCE_SCALE = re.compile(r"\[\[evidence-scale\]\]")
GLOSSARY = re.compile(r"\]\(glossary:([\w-]+)\)")
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


@dataclass(frozen=True)
class RoleStatus:
    role: str
    state: str  # "current", "stale" or "missing"
    sign_off: SignOff | None = None
    changed: tuple[str, ...] = ()  # the inputs that changed since the sign-off

    @property
    def current(self) -> bool:
        return self.state == "current"

    def describe(self) -> str:
        if self.state == "current":
            return f"{self.role}: current ({self.sign_off.reviewer.id}, {self.sign_off.date})"
        if self.state == "stale":
            return (f"{self.role}: stale since the sign-off of {self.sign_off.date} by "
                    f"{self.sign_off.reviewer.id}; changed: {', '.join(self.changed)}")
        return f"{self.role}: missing"


@dataclass(frozen=True)
class PageStatus:
    page: str
    lang: str
    roles: tuple[RoleStatus, ...]

    @property
    def current(self) -> bool:
        return all(r.current for r in self.roles)

    @property
    def stale(self) -> bool:
        return any(r.state == "stale" for r in self.roles)

    def role(self, name: str) -> RoleStatus | None:
        return next((r for r in self.roles if r.role == name), None)

    @property
    def history(self) -> list[SignOff]:
        """The sign-offs that count now, for the page history."""
        return [r.sign_off for r in self.roles if r.sign_off is not None]


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _value_digest(value) -> str:
    """A digest of a TOML value, independent of how the file lays it out."""
    if value is None:
        return "missing"
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return sha256(text.encode("utf-8"))


def overall_digest(inputs: dict[str, str]) -> str:
    return sha256("".join(f"{name}\t{value}\n" for name, value in sorted(inputs.items())).encode("utf-8"))


def _localized(path: str, lang: str) -> str:
    stem, dot, suffix = path.rpartition(".")
    return f"{stem}.{lang}.{suffix}"


class Sources:
    """The data files pages draw from, read once. Parse errors are the build's to report
    (data.py, bibliography.py); here a file that cannot be read counts as empty."""

    def __init__(self, content: Path, settings: dict):
        self.content = content
        self.settings = settings
        self.default = settings["DEFAULT_LANG"]
        self._toml: dict[str, dict] = {}

    def toml(self, relative: str) -> dict:
        if relative not in self._toml:
            try:
                self._toml[relative] = tomllib.loads((self.content / relative).read_text("utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                self._toml[relative] = {}
        return self._toml[relative]

    def file_digest(self, relative: str) -> str:
        try:
            return sha256((self.content / relative).read_bytes())
        except OSError:
            return "missing"

    def evidence_rows(self, relative: str) -> dict:
        uses = self.toml(relative).get("use", [])
        return {u.get("id"): u for u in uses if isinstance(u, dict)} if isinstance(uses, list) else {}


def _refs_in(value) -> list[str]:
    """Reference keys in an evidence row: every `refs` list in it."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "refs" and isinstance(item, list):
                found += [str(r) for r in item]
            else:
                found += _refs_in(item)
    return found


def page_inputs(sources: Sources, key: str, lang: str) -> dict[str, str]:
    """{input name: digest} of everything drawn into the page `key` (its path under content/)."""
    settings, default = sources.settings, sources.default
    translated = lang != default
    try:
        text = (sources.content / key).read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    inputs = {key: sources.file_digest(key)}
    cited = list(markup.cited_keys(text))
    grids = settings.get("OPTION_GRIDS", "data/option-grids")
    for slug in GRID.findall(text):
        grid = f"{grids}/{slug}.toml"
        inputs[grid] = sources.file_digest(grid)
        try:
            cited += markup.cited_keys((sources.content / grid).read_text("utf-8"))
        except (OSError, UnicodeDecodeError):
            pass
        if translated:
            inputs[_localized(grid, lang)] = sources.file_digest(_localized(grid, lang))
    evidence = settings.get("EVIDENCE", "data/evidence.toml")
    rows = sources.evidence_rows(evidence)
    for found in EVIDENCE_TABLE.finditer(text):
        chosen = [a.strip() for a in (found.group(1) or "").split(",") if a.strip() in rows] or list(rows)
        files = [evidence] + ([_localized(evidence, lang)] if translated else [])
        for relative in files:
            these = sources.evidence_rows(relative)
            for use in chosen:
                inputs[f"{relative} [use {use}]"] = _value_digest(these.get(use))
        for use in chosen:
            cited += _refs_in(rows.get(use))
    if EVIDENCE_SCALE.search(text):
        for relative in [evidence] + ([_localized(evidence, lang)] if translated else []):
            inputs[f"{relative} [scale]"] = _value_digest(sources.toml(relative).get("scale"))
    bibliography = settings.get("BIBLIOGRAPHY", "data/references.toml")
    for ref in dict.fromkeys(cited):
        inputs[f"{bibliography} [{ref}]"] = _value_digest(sources.toml(bibliography).get(ref))
    glossary = settings.get("GLOSSARY", "data/glossary.toml")
    glossary = _localized(glossary, lang) if translated else glossary
    for term in dict.fromkeys(GLOSSARY.findall(text)):
        inputs[f"{glossary} [{term}]"] = _value_digest(sources.toml(glossary).get(term))
    return inputs


def load_reviewers(path: Path, label: str, languages: list[str]) -> tuple[dict[str, Reviewer], list[str]]:
    """The reviewers in `path`; a missing file means no reviewers."""
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}, []
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return {}, [f"{label}: cannot read it ({error}); write one table per reviewer:\n{REVIEWER_EXAMPLE}"]
    found, all_problems = {}, []
    for rid, entry in raw.items():
        place = f"{label}: [{rid}]"
        if not isinstance(entry, dict):
            all_problems.append(f"{place}: a reviewer is a table; write it as:\n{REVIEWER_EXAMPLE}")
            continue
        problems = []
        unknown = sorted(set(entry) - REVIEWER_FIELDS)
        missing = sorted(REVIEWER_FIELDS - set(entry))
        if unknown:
            problems.append(f"{place}: unknown field(s) {', '.join(unknown)}; a reviewer has "
                            f"{', '.join(sorted(REVIEWER_FIELDS))}")
        if missing:
            problems.append(f"{place}: missing field(s) {', '.join(missing)}; write "
                            "interests = \"None declared.\" when there are none")
        texts = {n: entry.get(n) for n in ("name", "credentials", "interests")}
        bad = [n for n, v in texts.items() if n in entry and (not isinstance(v, str) or not v.strip() or "\n" in v)]
        if bad:
            problems.append(f"{place}: {', '.join(bad)}: write each as one line of text in double quotes")
        roles = entry.get("role", [])
        roles = [roles] if isinstance(roles, str) else roles
        if "role" in entry and (not isinstance(roles, list) or not roles or any(r not in ROLES for r in roles)):
            problems.append(f"{place}: role: use \"clinical\", \"language\" or [\"clinical\", \"language\"]")
        langs = entry.get("languages", [])
        if "languages" in entry and (not isinstance(langs, list) or not langs or any(l not in languages for l in langs)):
            problems.append(f"{place}: languages: list the site languages the reviewer reads, from "
                            f"{', '.join(languages)}, e.g. languages = [\"en\"]")
        all_problems += problems
        if problems:
            continue
        found[rid] = Reviewer(rid, " ".join(texts["name"].split()), " ".join(texts["credentials"].split()),
                              tuple(roles), tuple(langs), " ".join(texts["interests"].split()))
    return found, all_problems


def load_sign_offs(path: Path, label: str, reviewers: dict[str, Reviewer],
                   page_lang) -> tuple[list[SignOff], list[str]]:
    """The sign-offs in `path` (a missing file means none). `page_lang(page)` is the language
    of a page under content/, or None when there is no such page to sign off."""
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return [], []
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return [], [f"{label}: cannot read it ({error}); the file is written by `invoke sign-off`: "
                    "restore it from git"]
    entries = raw.get("sign-off", [])
    found, problems = [], []
    if set(raw) - {"sign-off"} or not isinstance(entries, list):
        return [], [f"{label}: the file holds only [[sign-off]] entries written by `invoke sign-off`"]
    for number, entry in enumerate(entries, 1):
        place = f"{label}: sign-off {number}"
        if not isinstance(entry, dict) or set(entry) != SIGN_OFF_FIELDS:
            problems.append(f"{place}: a sign-off has exactly the fields {', '.join(sorted(SIGN_OFF_FIELDS))}; "
                            "write it with `invoke sign-off`")
            continue
        page, rid, role, day = entry["page"], entry["reviewer"], entry["role"], entry["date"]
        place = f"{place} ({page})"
        reviewer = reviewers.get(rid)
        lang = page_lang(page) if isinstance(page, str) else None
        inputs = entry["inputs"]
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
        elif type(day) is not datetime.date:
            problems.append(f"{place}: date: write the day as YYYY-MM-DD")
        elif not isinstance(inputs, dict) or not all(isinstance(v, str) for v in inputs.values()) \
                or entry["digest"] != overall_digest(inputs):
            problems.append(f"{place}: the digest does not match the inputs listed; sign-offs are "
                            "written by `invoke sign-off`, never by hand")
        else:
            found.append(SignOff(page, reviewer, role, day, entry["digest"], tuple(sorted(inputs.items()))))
    return found, problems


def status_of(page: str, lang: str, default: str, inputs: dict[str, str],
              sign_offs: list[SignOff]) -> PageStatus:
    roles = ["clinical"] + (["language"] if lang != default else [])
    result = []
    for role in roles:
        mine = [s for s in sign_offs if s.page == page and s.role == role]
        if not mine:
            result.append(RoleStatus(role, "missing"))
            continue
        newest = max(enumerate(mine), key=lambda pair: (pair[1].date, pair[0]))[1]
        signed = dict(newest.inputs)
        changed = tuple(sorted(n for n in set(signed) | set(inputs) if signed.get(n) != inputs.get(n)))
        result.append(RoleStatus(role, "stale" if changed else "current", newest, changed))
    return PageStatus(page, lang, tuple(result))


class Register:
    """Reviewers, sign-offs and each page's sign-off status for one build (or one task)."""

    def __init__(self, settings: dict, label, pages: dict[str, str]):
        """`pages`: {page under content/: its language} of every page signed off (signable_pages)."""
        page_lang = pages.get
        self.pages = pages
        content = Path(settings["PATH"])
        self.settings = settings
        self.default = settings["DEFAULT_LANG"]
        self.languages = list(dict.fromkeys([self.default, *settings.get("LANGUAGES", [])]))
        self.sources = Sources(content, settings)
        reviewers_path = content / settings.get("REVIEWERS", "data/reviewers.toml")
        sign_offs_path = content / settings.get("SIGN_OFFS", "data/sign-offs.toml")
        self.reviewers, self.problems = load_reviewers(reviewers_path, label(str(reviewers_path)), self.languages)
        self.sign_offs, found = load_sign_offs(sign_offs_path, label(str(sign_offs_path)), self.reviewers, page_lang)
        self.problems += found
        self.statuses: dict[str, PageStatus] = {}

    def status(self, page: str, lang: str) -> PageStatus:
        if page not in self.statuses:
            inputs = page_inputs(self.sources, page, lang)
            self.statuses[page] = status_of(page, lang, self.default, inputs, self.sign_offs)
        return self.statuses[page]

    def of(self, content) -> PageStatus | None:
        """For the theme: a page's sign-off status; None for a page without review dates. Kept
        here, not on the page, which holds as few attributes as it can (plugins/README.md)."""
        key = content.relative_source_path.replace("\\", "/")
        lang = self.pages.get(key)
        return self.status(key, lang) if lang else None

    def reserved(self) -> list[str]:
        """Reviewer names as pages show them: allowed by the typed-in-name rule."""
        return [v for r in self.reviewers.values() for v in (r.display, r.name)]

    def language_reviewers(self) -> list[Reviewer]:
        """Who checks the translations: language reviewers of the site's other languages."""
        return [r for r in self.reviewers.values()
                if "language" in r.roles and set(r.languages) - {self.default}]

    def publishing_problems(self) -> list[str]:
        """Why the site may not be published as reviewed: every page without a current
        sign-off, and every missing statement. Empty in draft mode or development."""
        if not self.settings.get("SIGN_OFF_REQUIRED") or self.settings.get("DRAFT_SITE"):
            return []
        fix = ("; sign it off with `invoke sign-off content/{page} --reviewer ID` once a reviewer "
               "has checked it, or publish a draft (README, \"From draft to published\")")
        problems = []
        for page, lang in sorted(self.pages.items()):
            status = self.status(page, lang)
            if not status.current:
                why = "; ".join(r.describe() for r in status.roles if not r.current)
                problems.append(f"content/{page}: sign-off: no current sign-off ({why})" + fix.format(page=page))
        for name, what in STATEMENTS.items():
            if not str(self.settings.get(name, "")).strip():
                problems.append(f"pelicanconf.py: {name} is empty: set it to {what} before publishing "
                                "(never a made-up value), or publish a draft")
            elif name in TRANSLATED_STATEMENTS:
                for lang in self.languages[1:]:
                    if not str(self.settings.get("SITE_TEXT", {}).get(lang, {}).get(name, "")).strip():
                        problems.append(f"pelicanconf.py: SITE_TEXT['{lang}']['{name}'] is empty: "
                                        f"give {name} in '{lang}' too")
        return problems


def sign_off_text(page: str, reviewer: Reviewer, role: str, day: datetime.date, inputs: dict[str, str]) -> str:
    """The [[sign-off]] entry `invoke sign-off` appends to sign-offs.toml."""
    def q(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = ["", "[[sign-off]]", f"page = {q(page)}", f"reviewer = {q(reviewer.id)}", f"role = {q(role)}",
             f"date = {day.isoformat()}", f"digest = {q(overall_digest(inputs))}", "[sign-off.inputs]"]
    lines += [f"{q(name)} = {q(value)}" for name, value in sorted(inputs.items())]
    return "\n".join(lines) + "\n"


def signable_pages(settings: dict) -> dict[str, str]:
    """{page under content/: its language} of every page with review dates."""
    from .reviews import pages_with_reviews

    default = settings["DEFAULT_LANG"]
    return {p.key: p.lang or default for p in pages_with_reviews(Path(settings["PATH"]))}


# The page history's line for a sign-off, in the page's language (theme/translations).
HISTORY_NOTES = {
    "clinical": N_("Reviewed by %(reviewer)s, a clinician."),
    "language": N_("The translation was checked by %(reviewer)s."),
}


def attach(register: Register, content, translate) -> None:
    """The page's sign-offs in its page history, and a notice naming what changed since a
    sign-off that has gone stale. (The theme asks `Register.of` for the page's status.)"""
    status = register.of(content)
    if status is None:
        return
    key, lang = status.page, status.lang
    notes = [Change(s.date, translate(HISTORY_NOTES[s.role], lang) % {"reviewer": s.reviewer.display})
             for s in status.history]
    if notes and getattr(content, "history", None):
        content.history = sorted(notes + content.history, key=lambda c: c.date, reverse=True)
    for role in status.roles:
        if role.state == "stale":
            log.warning(f"content/{key}: sign-off: the {role.describe()}; it is no longer shown "
                        "as reviewed until it is signed off again", extra={"notice_only": True})


# [[name]] blocks for the about page: drawn from reviewers.toml and the settings.
BLOCKS = ("reviewers", "funding-and-clinic", "editorial-contact")


def render_block(name: str, register: Register, macro, site_text, lang: str) -> str:
    if name == "reviewers":
        return str(macro("governance", "reviewers")(list(register.reviewers.values())))
    if name == "funding-and-clinic":
        return str(macro("governance", "funding_and_clinic")(
            site_text("FUNDING_STATEMENT", lang), site_text("CLINIC_RELATIONSHIP", lang),
            site_text("CLINIC_NAME", lang)))
    return str(macro("governance", "editorial_contact")(str(register.settings.get("EDITORIAL_CONTACT", ""))))


def sign(settings: dict, paths: list[Path], reviewer_id: str, role: str,
         day: datetime.date) -> tuple[str, list[str], list[str]]:
    """What `invoke sign-off` appends to sign-offs.toml for `paths` (files, or folders of
    pages), the pages it signs, and every problem (then nothing is written)."""
    content = Path(settings["PATH"]).resolve()
    pages = signable_pages(settings)
    page_lang = pages.get
    register = Register(settings, lambda p: f"content/{Path(p).resolve().relative_to(content).as_posix()}", pages)
    problems = list(register.problems)
    reviewer = register.reviewers.get(reviewer_id)
    if reviewer is None:
        known = ", ".join(register.reviewers) or "none yet"
        problems.append(f"--reviewer {reviewer_id!r}: no such reviewer in content/data/reviewers.toml "
                        f"(known: {known}); add the person there first, as they agreed to be named")
    elif not role and len(reviewer.roles) > 1:
        problems.append(f"--role: {reviewer_id} is a {' and '.join(reviewer.roles)} reviewer; say which "
                        "review this is, e.g. --role clinical")
    elif role and role not in reviewer.roles:
        problems.append(f"--role {role}: {reviewer_id} is not a {role} reviewer in reviewers.toml")
    role = role or (reviewer.roles[0] if reviewer else "")
    if day > datetime.date.today():
        problems.append(f"--date {day}: a sign-off cannot be in the future")
    keys = []
    for path in paths:
        path = Path(path).resolve()
        try:
            relative = path.relative_to(content).as_posix()
        except ValueError:
            problems.append(f"{path}: not a page under content/")
            continue
        found = [k for k in sorted(filter(page_lang, _under(content, path))) if k == relative or path.is_dir()]
        if not found:
            problems.append(f"content/{relative}: not a guide or condition page (only pages with review "
                            "dates are signed off)")
        keys += found
    text, signed = "", []
    for key in dict.fromkeys(keys) if reviewer else []:
        lang = page_lang(key)
        if lang not in reviewer.languages:
            problems.append(f"content/{key}: {reviewer.id} does not read '{lang}' (languages in reviewers.toml)")
            continue
        inputs = page_inputs(register.sources, key, lang)
        now = status_of(key, lang, register.default, inputs, register.sign_offs).role(role)
        if now is not None and now.current and now.sign_off.reviewer.id == reviewer_id:
            continue  # signed off already, by the same person, for exactly this text
        if now is None:
            problems.append(f"content/{key}: a page in '{lang}' needs no {role} sign-off")
            continue
        text += sign_off_text(key, reviewer, role, day, inputs)
        signed.append(key)
    return ("" if problems else text), signed, problems


def _under(content: Path, path: Path) -> list[str]:
    files = sorted(path.rglob("*.md")) if path.is_dir() else [path]
    return [f.resolve().relative_to(content).as_posix() for f in files]
