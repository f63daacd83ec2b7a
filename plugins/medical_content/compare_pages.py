"""The printable page of each option grid, at compare/<slug>/: the grid, the values
exercise, the questions to ask, the date the evidence was checked and the grid's own
references. Made by a Pelican generator from the grid's data and the theme's compare.html,
so editors never write a template for it.

A condition page links it as {filename}/data/option-grids/<slug>.toml: the generator
registers each grid's data file as generated content, so Pelican turns that link into the
printable page's address, and the site's link check finds the file it names.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup
from pelican.generators import Generator

from . import markup

SAVE_AS = "compare/{slug}/index.html"
URL = "compare/{slug}/"


@dataclass(frozen=True)
class ComparePage:
    """What Pelican's link replacement needs of a linked item: its address."""

    url: str


def listing(grids) -> list[dict]:
    """Each printable page's address and the day its evidence was checked (for the sitemap)."""
    return [{"url": URL.format(slug=slug), "checked": grids[slug].checked} for slug in sorted(grids)]


def print_href(grid) -> str:
    return "{filename}/" + grid.source


class OptionGridPages(Generator):
    """Registered through the get_generators signal; `build` is the plugin's build state."""

    build = None  # set by the plugin before Pelican makes its generators

    def generate_context(self):
        if self.build is None:
            return
        for grid in self.build.grids.values():
            self.context["generated_content"][grid.source] = ComparePage(URL.format(slug=grid.slug))

    def generate_output(self, writer):
        if self.build is None:
            return
        template = self.get_template("compare")
        draw = self.build.macro("option-grid")
        for grid in self.build.grids.values():
            html, cited, _unknown = markup.resolve_citations(str(draw(grid, level=1, titled=False)), self.build.references)
            writer.write_file(
                SAVE_AS.format(slug=grid.slug),
                template,
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                url=URL.format(slug=grid.slug),
                grid=grid,
                grid_html=Markup(html),
                references=[self.build.references[key] for key in cited],
                condition=self.context["generated_content"].get(grid.page),
            )
