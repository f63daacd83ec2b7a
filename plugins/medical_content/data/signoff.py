"""Clinical and language sign-offs: who checked a page, when, and exactly what they checked.

Two data files (README, "From draft to published"; contract in plugins/README.md):

- content/data/reviewers.toml: the people who may sign off pages, one table per reviewer id
  (name, credentials, role "clinical" and/or "language", languages, declared interests).
  Names reach pages only from here: the typed-in-name rule forbids them anywhere else.
- content/data/sign-offs.toml: written by `invoke sign-off PAGE... --reviewer ID`, one
  [[sign-off]] per page and reviewer: the page, who, in which role, when, and a sha256 digest
  of every input drawn into the page, each input with its own digest so that a later change
  names the input that changed.

The files are read and checked in signoff_files.py; what a page draws in (its inputs, each
with a digest) is worked out in page_inputs.py. Here: what the sign-offs mean. Only pages with review dates (guides and condition pages, and
their translations) are signed off. A page in the site's own language needs a current
clinical sign-off; a translation needs a clinical and a language sign-off, each by a reviewer
who reads its language. The newest sign-off of each role counts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from ..i18n.interface import N_
from ..rules.checks import parse_date
from .page_inputs import Sources, page_inputs
from .signoff_files import Reviewer, SignOff, load_reviewers, load_sign_offs, sign_off_text


# The settings a published site needs besides sign-offs (empty by default: never invented).
STATEMENTS = {
    "EDITORIAL_CONTACT": "an address readers can write to the editors at (not the clinic's)",
    "FUNDING_STATEMENT": "who funds the website",
    "CLINIC_RELATIONSHIP": "the website's relationship with the clinic whose contact page it carries",
}
TRANSLATED_STATEMENTS = ("FUNDING_STATEMENT", "CLINIC_RELATIONSHIP")


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
        # tests pin "today" (REVIEW_CHECK_DATE), as the build does
        today = parse_date(settings.get("REVIEW_CHECK_DATE") or "") or datetime.date.today()
        self.sign_offs, found = load_sign_offs(sign_offs_path, label(str(sign_offs_path)), self.reviewers, page_lang,
                                               today)
        self.problems += found
        self.statuses: dict[str, PageStatus] = {}

    def status(self, page: str, lang: str) -> PageStatus:
        if page not in self.statuses:
            inputs = page_inputs(self.sources, page, lang)
            self.statuses[page] = status_of(page, lang, self.default, inputs, self.sign_offs)
        return self.statuses[page]

    def of(self, content) -> PageStatus | None:
        """A page's sign-off status (worked out with its result, pages/work.py); None for a page
        without review dates."""
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
