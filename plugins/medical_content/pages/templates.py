"""What Pelican's template environments get from the plugin: templates from the theme only,
the interface text of each page's language, and the filters and globals the theme uses."""

from __future__ import annotations

import os

import jinja2
import pelican

from ..rules import checks, schema
from . import compare_pages, report_problem, work


def iso_date(value) -> str:
    day = checks.parse_date(value)
    return day.isoformat() if day else str(value)


def json_ld(data):
    """schema.org data for a <script type="application/ld+json">: Jinja's `tojson` (the same
    escaping of <, >, & and ', so no text can close the element), written compactly and in
    UTF-8 rather than \\u escapes: the same data in fewer bytes on every page."""
    return jinja2.utils.htmlsafe_json_dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def add_filters_and_globals(env, site) -> None:
    """Into each of Pelican's template environments, not into the settings: the settings stay
    plain data (Pelican's reader cache stores them with any page that has tags)."""
    from ..i18n import interface as i18n

    env.filters.update(
        long_date=i18n.long_date, iso_date=iso_date, json_ld=json_ld,
        report_problem_href=report_problem.mailto_href)
    env.globals.update(
        CONTENT_TYPES=schema.CONTENT_TYPES,
        ARTICLE_TYPES=schema.ARTICLE_TYPES,
        EVIDENCE_SCALE=site.scale,
        sign_off_of=work.sign_off_of,  # a guide's or condition page's sign-offs (signoff.py)
        source_notice=site.source_notice,
        **site.interface.globals(),
        COMPARE_PAGES=compare_pages.listing(site.grids, site.translated_grids, site.interface.default))


def theme_only(generator, site) -> None:
    """Templates come from the theme only (Pelican's built-in theme is no fallback), and every
    template Pelican draws gets the interface text of its page's language (`generator_init`)."""
    env = getattr(generator, "env", None)
    if env is None:
        return
    paths = [*generator.settings.get("THEME_TEMPLATES_OVERRIDES", []),
             os.path.join(generator.settings["THEME"], "templates")]
    simple = os.path.join(os.path.dirname(pelican.__file__), "themes", "simple", "templates")
    env.loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(paths),
        UnusedTemplates(simple),
        jinja2.PrefixLoader({"!theme": jinja2.FileSystemLoader(paths[-1])}),
    ])
    if site is not None:
        site.interface.install(env)
        add_filters_and_globals(env, site)


class UnusedTemplates(jinja2.FileSystemLoader):
    """Pelican loads the templates of pages this site never writes (tags, authors,
    archives) before it sees their output is off: those alone may come from its own theme."""

    NAMES = {"tag.html", "tags.html", "author.html", "authors.html", "archives.html",
             "period_archives.html", "categories.html"}

    def get_source(self, environment, template):
        if template not in self.NAMES:
            raise jinja2.TemplateNotFound(template)
        return super().get_source(environment, template)
