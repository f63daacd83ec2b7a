"""The printable page of each option grid, at compare/<slug>/: the grid, the values
exercise, the questions to ask, the date the evidence was checked and the grid's own
references. Made by a Pelican generator from the grid's data and the theme's compare.html,
so editors never write a template for it.

A condition page links it as {filename}/data/option-grids/<slug>.toml: the generator
registers each grid's data file as generated content, so Pelican turns that link into the
printable page's address, and the site's link check finds the file it names.

A grid's translation (<slug>.es.toml) gets its own printable page under the language's
prefix, es/compare/<slug>/, drawn with that language's interface text; the Spanish
condition page links it the same way, through the translation's file.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup
from pelican.generators import Generator

from ..i18n import interface as i18n
from . import markup

SAVE_AS = "{prefix}compare/{slug}/index.html"
URL = "{prefix}compare/{slug}/"


@dataclass(frozen=True)
class ComparePage:
    """What Pelican's link replacement needs of a linked item: its address."""

    url: str


def listing(grids, translated, default: str) -> list[dict]:
    """Each printable page's address, the day its evidence was checked and its versions in
    every language, (lang, url), the default language first (for the sitemap)."""
    found = []
    for slug in sorted(grids):
        versions = [(default, URL.format(prefix="", slug=slug))]
        versions += [(lang, URL.format(prefix=i18n.address_prefix(lang, default), slug=slug))
                     for lang, in_lang in sorted(translated.items()) if slug in in_lang]
        found += [{"url": url, "checked": grids[slug].checked, "versions": versions} for _lang, url in versions]
    return found


def print_href(grid) -> str:
    return "{filename}/" + grid.source


def for_build(site) -> type:
    """The generator class for one build: Pelican makes its generators from classes it is
    given (get_generators), so the build's state comes with a class made for it."""
    return type("OptionGridPages", (OptionGridPages,), {"site": site})


class OptionGridPages(Generator):
    """Registered through the get_generators signal, as `for_build(build)`: `site` is the
    build's shared inputs (inputs.SiteInputs)."""

    site = None

    def every_grid(self):
        """(lang, grid) of every grid in every language, the default language first."""
        default = self.site.interface.default
        yield from ((default, grid) for grid in self.site.grids.values())
        for lang, grids in sorted(self.site.translated_grids.items()):
            yield from ((lang, grid) for grid in grids.values())

    def generate_context(self):
        if self.site is None:
            return
        default = self.site.interface.default
        for lang, grid in self.every_grid():
            url = URL.format(prefix=i18n.address_prefix(lang, default), slug=grid.slug)
            self.context["generated_content"][grid.source] = ComparePage(url)

    def generate_output(self, writer):
        if self.site is None:
            return
        template = self.get_template("compare")
        default = self.site.interface.default
        for lang, grid in self.every_grid():
            draw = self.site.macro("option-grid", lang=lang)  # in the page's language
            label = self.site.interface.text(i18n.CITATION_LABEL, lang)
            html, cited, _unknown = markup.resolve_citations(str(draw(grid, level=1, titled=False)), self.site.references, label)
            writer.write_file(
                SAVE_AS.format(prefix=i18n.address_prefix(lang, default), slug=grid.slug),
                template,
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                url=URL.format(prefix=i18n.address_prefix(lang, default), slug=grid.slug),
                page_lang=lang,
                grid=grid,
                grid_html=Markup(html),
                references=[self.site.references[key] for key in cited],
                condition=self.context["generated_content"].get(grid.page),
            )
