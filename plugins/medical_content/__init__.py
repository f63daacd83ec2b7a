"""Pelican plugin for the site's medical content.

Signal order (see plugins/README.md):
  initialized              load the bibliography; add the theme's filters and globals
  content_object_init      per page: resolve [@citations], draw !!! components with the
                           theme's macros, list sections, check the page against the schema
  all_generators_finalized everything has been read and nothing written yet: raise one
                           ContentError listing every problem found, so the build fails
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

from . import bibliography, checks, markup, schema

log = logging.getLogger(__name__)


class ContentError(Exception):
    """Every content problem of a build. Pelican's CLI exits with `exitcode`."""

    exitcode = 1

    def __init__(self, problems: list[str]):
        self.problems = problems
        count = len(problems)
        super().__init__(f"{count} content problem{'s' if count != 1 else ''}:\n" + "\n".join(
            f"  - {p}" for p in problems
        ))


class _Build:
    """State of the build in progress; replaced at each `initialized`."""

    def __init__(self, settings: dict):
        self.settings = settings
        self.content_root = Path(settings["PATH"]).parent
        self.problems: list[str] = []
        self.references, problems = bibliography.load(
            Path(settings["PATH"]) / settings.get("BIBLIOGRAPHY", "data/references.toml")
        )
        self.problems += [self.relative_message(p) for p in problems]
        self.macros = _macro_environment(settings)

    def label(self, source_path: str) -> str:
        return os.path.relpath(source_path, self.content_root)

    def relative_message(self, message: str) -> str:
        return message.replace(str(self.content_root) + os.sep, "")

    def today(self) -> datetime.date:
        pinned = self.settings.get("REVIEW_CHECK_DATE")  # tests pin "today"
        return checks.parse_date(pinned) if pinned else datetime.date.today()


_build: _Build | None = None


def _macro_environment(settings: dict) -> jinja2.Environment:
    """The theme's templates, so a component in Markdown is drawn by the same macro the
    templates use."""
    options = {k: v for k, v in settings["JINJA_ENVIRONMENT"].items() if k != "extensions"}
    loader = jinja2.FileSystemLoader(os.path.join(settings["THEME"], "templates"))
    return jinja2.Environment(loader=loader, **options)


def render_component(
    environment: jinja2.Environment, name: str, title, body: str, level: int = 2
) -> str:
    """A component drawn by its macro in theme/templates/components/<name>.html."""
    component = schema.COMPONENTS[name]
    if title == name.capitalize():  # Markdown's stand-in when `!!! name` has no title
        title = None
    macro = getattr(
        environment.get_template(f"components/{name}.html").module, name.replace("-", "_")
    )
    title = Markup(title or component.default_title)
    return str(macro(title=title, body=Markup(body), level=level))


def long_date(value) -> str:
    """20 November 2026: the NHS style, the same in every locale."""
    day = checks.parse_date(value)
    return f"{day.day} {day:%B %Y}" if day else str(value)


def iso_date(value) -> str:
    day = checks.parse_date(value)
    return day.isoformat() if day else str(value)


def initialized(pelican) -> None:
    global _build
    _build = _Build(pelican.settings)
    pelican.settings.setdefault("JINJA_FILTERS", {}).update(
        long_date=long_date, iso_date=iso_date
    )
    pelican.settings.setdefault("JINJA_GLOBALS", {}).update(
        CONTENT_TYPES=schema.CONTENT_TYPES, ARTICLE_TYPES=schema.ARTICLE_TYPES
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

    html, cited, unknown = markup.resolve_citations(content._content, build.references)
    html, missing_settings = markup.insert_settings(
        html, {name: build.settings.get(name, "") for name in schema.SETTINGS_IN_CONTENT}
    )
    def render(name, title, body, level):
        if name not in schema.COMPONENTS:
            return body  # reported by the checks below
        return render_component(build.macros, name, title, body, level)

    html, components = markup.expand_components(html, render)
    content._content = html
    content.content_type = ctype.name
    content.outline = markup.outline(html)
    content.references = [build.references[key] for key in cited]

    checker.placeholders()
    dates = checker.fields(ctype, content.metadata)
    checker.review_dates(dates)
    checker.sections(ctype, html)
    checker.components(ctype, components)
    checker.citations(ctype, cited, unknown)
    checker.settings_used(missing_settings)
    content.reviewed = dates.get("reviewed")
    content.next_review = dates.get("next_review")
    if expired := checker.expiry(dates, build.today()):
        if build.settings.get("EXPIRED_REVIEW_IS_ERROR"):
            checker.problems.append(expired)
        else:
            log.warning(expired, extra={"notice_only": True})
    build.problems += checker.problems


def all_generators_finalized(generators) -> None:
    if _build is not None and _build.problems:
        raise ContentError(list(dict.fromkeys(_build.problems)))


def register():
    signals.initialized.connect(initialized)
    signals.content_object_init.connect(content_object_init)
    signals.all_generators_finalized.connect(all_generators_finalized)
