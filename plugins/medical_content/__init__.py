"""Pelican plugin for the site's medical content.

Signal order (see plugins/README.md):
  initialized              load the bibliography, evidence and glossary; give the theme its
                           filters and globals
  content_object_init      per page: expand [[blocks]], link glossary terms, resolve
                           [@citations], insert {{ SETTINGS }}, draw !!! boxes with the
                           theme's macros, list sections, measure the reading grade, and
                           check the page against the schema
  all_generators_finalized everything read, nothing written: fill in the references page,
                           then raise one ContentError listing every problem, if any
Handlers are module-level functions because Pelican holds them by weak reference.
"""

from __future__ import annotations

import datetime
import logging
import os
from pathlib import Path

import jinja2
from markupsafe import Markup
from pelican import signals
from pelican.contents import Static

from . import bibliography, checks, data, markup, readability, schema

log = logging.getLogger(__name__)
log.setLevel(logging.INFO)  # the per-page reading grades are reported at INFO


class ContentError(Exception):
    """Every content problem of a build. Pelican's CLI exits with `exitcode`."""

    exitcode = 1

    def __init__(self, problems: list[str]):
        self.problems = problems
        count = len(problems)
        super().__init__(
            f"{count} content problem{'s' if count != 1 else ''}:\n"
            + "\n".join(f"  - {p}" for p in problems)
        )


class _Build:
    """State of the build in progress; replaced at each `initialized`."""

    def __init__(self, settings: dict):
        self.settings = settings
        content = Path(settings["PATH"])
        self.content_root = content.parent
        self.problems: list[str] = []
        self.references, found = bibliography.load(content / settings["BIBLIOGRAPHY"])
        self.problems += found
        self.scale, self.uses, found = data.load_evidence(
            content / settings["EVIDENCE"], self.references
        )
        self.problems += found
        self.glossary, found = data.load_glossary(content / settings["GLOSSARY"])
        self.problems += found
        self.problems = [self.relative(p) for p in self.problems]
        self.macros = _macro_environment(settings)
        self.citing: dict[str, list[tuple[str, str]]] = {}  # reference -> (title, source)
        self.references_pages: list = []  # pages holding [[all-references]]

    def label(self, source_path: str) -> str:
        return os.path.relpath(source_path, self.content_root)

    def relative(self, message: str) -> str:
        return message.replace(str(self.content_root) + os.sep, "")

    def today(self) -> datetime.date:
        pinned = self.settings.get("REVIEW_CHECK_DATE")  # tests pin "today"
        return checks.parse_date(pinned) if pinned else datetime.date.today()

    def macro(self, component: str, name: str | None = None):
        module = self.macros.get_template(f"components/{component}.html").module
        return getattr(module, name or component.replace("-", "_"))


_build: _Build | None = None
ALL_REFERENCES = "<!-- all-references -->"


def _macro_environment(settings: dict) -> jinja2.Environment:
    """The theme's templates, so a component in Markdown is drawn by the same macro the
    templates use."""
    options = {k: v for k, v in settings["JINJA_ENVIRONMENT"].items() if k != "extensions"}
    loader = jinja2.FileSystemLoader(os.path.join(settings["THEME"], "templates"))
    return jinja2.Environment(loader=loader, **options)


def render_component(build: _Build, name: str, title, body: str, level: int = 2) -> str:
    """A `!!! name` box drawn by its macro in theme/templates/components/<name>.html."""
    component = schema.COMPONENTS[name]
    if title == name.capitalize():  # Markdown's stand-in when `!!! name` has no title
        title = None
    title = Markup(title or component.default_title)
    return str(build.macro(name)(title=title, body=Markup(body), level=level))


def render_directive(build: _Build, name: str, arguments: list[str]) -> str | None:
    """A `[[name: arguments]]` block; None when the name is not a block we know."""
    if name == "evidence-table":
        missing = [a for a in arguments if a not in build.uses]
        uses = [build.uses[a] for a in arguments if a in build.uses] or list(build.uses.values())
        if missing:
            build.problems.append(f"evidence-table: unknown use(s) {', '.join(missing)}")
        return str(build.macro("evidence-table")(uses))
    if name == "evidence-scale":
        return str(build.macro("evidence-table", "evidence_scale")(list(build.scale.values())))
    if name == "glossary":
        terms = sorted(build.glossary.values(), key=lambda t: t.term.lower())
        return str(build.macro("glossary")(terms))
    if name == "clinic-contact":
        details = {n: build.settings.get(n, "") for n in schema.SETTINGS_IN_CONTENT}
        return str(build.macro("clinic-contact")(details))
    if name == "all-references":
        return ALL_REFERENCES  # filled in once every page has been read
    return None


def long_date(value) -> str:
    """20 November 2026: the NHS style, the same in every locale."""
    day = checks.parse_date(value)
    return f"{day.day} {day:%B %Y}" if day else str(value)


def iso_date(value) -> str:
    day = checks.parse_date(value)
    return day.isoformat() if day else str(value)


def initialized(pelican) -> None:
    global _build
    pelican.settings.setdefault("BIBLIOGRAPHY", "data/references.toml")
    pelican.settings.setdefault("EVIDENCE", "data/evidence.toml")
    pelican.settings.setdefault("GLOSSARY", "data/glossary.toml")
    _build = _Build(pelican.settings)
    pelican.settings.setdefault("JINJA_FILTERS", {}).update(
        long_date=long_date, iso_date=iso_date
    )
    pelican.settings.setdefault("JINJA_GLOBALS", {}).update(
        CONTENT_TYPES=schema.CONTENT_TYPES,
        ARTICLE_TYPES=schema.ARTICLE_TYPES,
        EVIDENCE_SCALE=_build.scale,
    )


def content_object_init(content) -> None:
    if isinstance(content, Static) or _build is None or not content.source_path:
        return
    build = _build
    label = build.label(content.source_path)
    try:
        source = Path(content.source_path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        source = ""  # Pelican itself reports a file it cannot read
    checker = checks.PageChecker(label, source)
    ctype = schema.content_type_of(content)
    if ctype is None:
        folders = ", ".join(f"content/{t.folder}/" for t in schema.ARTICLE_TYPES.values())
        checker.add("page", f"this folder is not a known kind of page; move the file into {folders}")
        build.problems += checker.problems
        return

    html, unknown_directives = markup.expand_directives(
        content._content, lambda name, args: render_directive(build, name, args)
    )
    html, _linked, unknown_terms = markup.link_glossary(html, build.glossary, schema.GLOSSARY_PAGE)
    html, cited, unknown_refs = markup.resolve_citations(html, build.references)
    html, missing_settings = markup.insert_settings(
        html, {name: build.settings.get(name, "") for name in schema.SETTINGS_IN_CONTENT}
    )

    def render(name, title, body, level):
        if name not in schema.COMPONENTS:
            return body  # reported by the checks below
        return render_component(build, name, title, body, level)

    html, components = markup.expand_components(html, render)
    content._content = html
    content.content_type = ctype.name
    content.outline = markup.outline(html)
    content.references = [build.references[key] for key in cited]
    for key in cited:
        build.citing.setdefault(key, []).append((content.title, content.relative_source_path))
    if ALL_REFERENCES in html:
        build.references_pages.append(content)

    checker.placeholders()
    dates = checker.fields(ctype, content.metadata)
    checker.review_dates(dates)
    checker.sections(ctype, html)
    checker.components(ctype, components)
    checker.citations(ctype, cited, unknown_refs)
    checker.settings_used(missing_settings)
    checker.glossary_links(unknown_terms)
    checker.directives(unknown_directives)
    text = readability.running_text(html)
    checker.wording(text)
    if ctype.reading_grade_max is not None:
        content.reading_grade = readability.grade(html)
        checker.reading_grade(ctype, content.reading_grade)
        log.info(
            "Reading grade %4.1f  %s", content.reading_grade, label, extra={"report": True}
        )
    content.reviewed = dates.get("reviewed")
    content.next_review = dates.get("next_review")
    if expired := checker.expiry(dates, build.today()):
        if build.settings.get("EXPIRED_REVIEW_IS_ERROR"):
            checker.problems.append(expired)
        else:
            log.warning(expired, extra={"notice_only": True})
    build.problems += checker.problems


def _fill_references_pages(build: _Build) -> None:
    """The references page: every reference in the bibliography, with the pages citing it."""
    entries = sorted(build.references.values(), key=lambda r: (r.authors or r.title).lower())
    citing = {
        key: [(title, "{filename}/" + source) for title, source in pages]
        for key, pages in build.citing.items()
    }
    listing = str(build.macro("reference-list", "bibliography")(entries, citing))
    for page in build.references_pages:
        page._content = page._content.replace(ALL_REFERENCES, listing)


def all_generators_finalized(generators) -> None:
    if _build is None:
        return
    _fill_references_pages(_build)
    if _build.problems:
        raise ContentError(list(dict.fromkeys(_build.problems)))


def register():
    signals.initialized.connect(initialized)
    signals.content_object_init.connect(content_object_init)
    signals.all_generators_finalized.connect(all_generators_finalized)
