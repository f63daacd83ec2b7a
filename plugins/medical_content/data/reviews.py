"""The review report behind `invoke reviews`: every page with review dates (guides, condition
pages and their translations), soonest first, marking the overdue ones and those due soon.

It reads each file's metadata block the way the build does (`source_files.metadata_block`,
the schema's fields, `checks.parse_date`), without building the site, so it runs in a second.
A page's kind comes from its `Category` field or, as Pelican does, from its folder's name:
`content/guides/x.md`, `content/guides/x.es.md` and `content/es/guides/x.md` are all guides.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

from ..rules import schema
from ..rules.checks import parse_date
from ..rules.source_files import MARKDOWN_EXTENSIONS, metadata_block

DUE_SOON_DAYS = 60  # how far ahead the report warns by default
REVIEW_FIELDS = (schema.REVIEWED, schema.NEXT_REVIEW)


@dataclass(frozen=True)
class PageReview:
    key: str  # the source file under content/, as in page-history.toml
    title: str
    lang: str  # the Lang field; "" when the page has none
    reviewed: datetime.date | None
    next_review: datetime.date | None
    problem: str = ""  # why the dates cannot be read, if they cannot

    def days_left(self, today: datetime.date) -> int | None:
        return (self.next_review - today).days if self.next_review else None


def _has_review_dates(ctype: schema.ContentType | None) -> bool:
    return ctype is not None and all(f in ctype.fields for f in REVIEW_FIELDS)


def pages_with_reviews(content: Path) -> list[PageReview]:
    """Every Markdown file under `content` whose kind of page carries review dates, or that
    has review fields of its own."""
    found = []
    for dirpath, dirnames, filenames in os.walk(content):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(MARKDOWN_EXTENSIONS):
                continue
            path = Path(dirpath) / name
            try:
                text = path.read_text(encoding="utf-8").lstrip("\ufeff")
            except (OSError, UnicodeDecodeError):
                continue  # the build names such a file; it has no dates to report
            fields = metadata_block(text)
            category = fields.get("category", (0, path.parent.name))[1].strip().lower()
            ctype = schema.ARTICLE_TYPES.get(category)
            if not _has_review_dates(ctype) and not any(f.key in fields for f in REVIEW_FIELDS):
                continue
            found.append(_review_of(path, content, fields))
    return found


def _review_of(path: Path, content: Path, fields: dict) -> PageReview:
    key = path.relative_to(content).as_posix()
    dates, problems = {}, []
    for field in REVIEW_FIELDS:
        line, value = fields.get(field.key, (0, ""))
        day = parse_date(value) if value else None
        if day is None:
            where = f"line {line} ({field.name})" if line else f"metadata ({field.name})"
            what = f"'{value}' is not a date" if value else f"'{field.name}' is missing"
            problems.append(f"content/{key}: {where}: {what}; write it as YYYY-MM-DD")
        dates[field.key] = day
    return PageReview(
        key=key,
        title=fields.get("title", (0, ""))[1],
        lang=fields.get("lang", (0, ""))[1],
        reviewed=dates["reviewed"],
        next_review=dates["next_review"],
        problem="; ".join(problems),
    )


def soonest_first(pages: list[PageReview]) -> list[PageReview]:
    """Pages whose dates cannot be read come first: nobody can tell when they are due."""
    return sorted(pages, key=lambda p: (p.next_review is not None, p.next_review or datetime.date.min, p.key))


def status(page: PageReview, today: datetime.date, due_within: int) -> str:
    days = page.days_left(today)
    if days is None:
        return "NO DATE"
    if days < 0:
        return f"OVERDUE by {-days} day{'s' if days != -1 else ''}"
    if days <= due_within:
        return "due today" if days == 0 else f"due in {days} day{'s' if days != 1 else ''}"
    return ""


def report(pages: list[PageReview], today: datetime.date, due_within: int, only_due: bool,
           default_lang: str = "en") -> tuple[str, bool]:
    """The report's text, and whether any page is overdue or has dates nobody can read."""
    pages = soonest_first(pages)
    overdue = [p for p in pages if p.next_review is None or p.next_review < today]
    due_soon = [p for p in pages if p not in overdue and p.days_left(today) <= due_within]
    shown = overdue + due_soon if only_due else pages
    with_lang = any(p.lang for p in pages)
    header = ["Next review", "Last review", "Status"] + (["Lang"] if with_lang else []) + ["Page"]
    rows = []
    for page in shown:
        row = [
            page.next_review.isoformat() if page.next_review else "-",
            page.reviewed.isoformat() if page.reviewed else "-",
            status(page, today, due_within),
        ]
        if with_lang:
            row.append(page.lang or default_lang)  # a page without Lang is in the default language
        row.append(f"{page.key} - {page.title}" if page.title else page.key)
        rows.append(row)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]

    def format_row(cells):
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)) + "  " + cells[-1]

    scope = f"due within {due_within} days" if only_due else "all pages with review dates"
    lines = [f"Page reviews on {today.isoformat()} ({scope}; soonest first)", ""]
    lines += [format_row(header), *map(format_row, rows)] if rows else ["No page is due."]
    lines += [""] + [f"Cannot read: {p.problem}" for p in pages if p.problem]
    lines.append(
        f"{len(pages)} page{'s' if len(pages) != 1 else ''} with review dates: "
        f"{len(overdue)} overdue, {len(due_soon)} due in the next {due_within} days."
    )
    if overdue:
        lines.append(
            "Overdue: check each page against the evidence, then update Reviewed and "
            "Next_review and add a line to content/data/page-history.toml (README, Review routine)."
        )
    return "\n".join(text.rstrip() for text in lines), bool(overdue)


def sources_report(content: Path) -> tuple[str, bool]:
    """The last `invoke sources` check (content/data/source-checks.toml): its date and
    outcome, and each page citing a retracted, withdrawn or flagged work, which needs a
    review. True when such a page has no reason recorded for keeping the citation."""
    from ..pages.markup import CITATION, keys_of
    from .source_checks import RESULTS, load

    path = content / RESULTS
    results, problems = load(path, f"content/{RESULTS}")
    if problems:
        return "\n".join(["Sources: cannot read the last check:", *problems]), True
    if results.date is None:
        return "Sources: never checked; run `invoke sources` (README, Checking sources).", False
    lines = [f"Sources: last checked {results.date.isoformat()}: {results.outcome or 'no outcome recorded'}"]
    flagged = results.flagged()
    citing: dict[str, list[str]] = {}
    if flagged:
        for page in sorted(content.rglob("*")):
            if page.suffix not in MARKDOWN_EXTENSIONS or page.is_symlink() or not page.is_file():
                continue
            try:
                text = page.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            cited = {key for match in CITATION.finditer(text) for key in keys_of(match.group(1))}
            for key in sorted(cited & set(flagged)):
                citing.setdefault(key, []).append(page.relative_to(content).as_posix())
    attention = False
    for key, record in sorted(flagged.items()):
        for page in citing.get(key, []):
            kept = f" (kept: {record.keep[0][1]})" if record.keep else ""
            attention = attention or not record.keep
            lines.append(f"Needs review: content/{page} cites [{key}], {record.status}"
                         f"{' (' + record.detail + ')' if record.detail else ''}{kept}")
    if attention:
        lines.append("Remove each citation of a retracted or flagged work, or record why it stays "
                     f"(keep = ... in content/{RESULTS}; README, Checking sources).")
    return "\n".join(lines), attention


def sign_off_report(settings: dict) -> tuple[str, bool]:
    """Per page and language: its review dates and each sign-off it needs (current, stale
    with the inputs changed since, or missing); and whether a page signed off as reviewed has
    gone stale (it would be published saying so no longer). See signoff.py."""
    from . import signoff

    content = Path(settings["PATH"])
    default = settings["DEFAULT_LANG"]
    register = signoff.Register(settings, lambda p: os.path.relpath(p, content.parent), signoff.signable_pages(settings))
    lines = ["Sign-offs (a clinical one for every page; a language one too for a translation)", ""]
    counts = {"current": 0, "stale": 0, "missing": 0}
    for page in sorted(pages_with_reviews(content), key=lambda p: (p.lang or default, p.key)):
        lang = page.lang or default
        status = register.status(page.key, lang)
        dates = f"reviewed {page.reviewed or '-'}, next {page.next_review or '-'}"
        lines.append(f"{lang}  content/{page.key} ({dates})")
        for role in status.roles:
            lines.append(f"      {role.describe()}")
        state = "current" if status.current else "stale" if status.stale else "missing"
        counts[state] += 1
    lines += [""] + [f"Cannot use: {p}" for p in register.problems]
    lines.append(f"{sum(counts.values())} pages: {counts['current']} signed off and current, "
                 f"{counts['stale']} stale, {counts['missing']} not yet signed off.")
    if counts["stale"]:
        lines.append("Stale: a reviewer checks what changed, then `invoke sign-off content/PAGE --reviewer ID` "
                     "(README, \"From draft to published\").")
    return "\n".join(lines), bool(counts["stale"] or register.problems)
