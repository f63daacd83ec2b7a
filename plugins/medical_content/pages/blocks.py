"""What a page's Markdown asks to be drawn: `[[name: arguments]]` blocks and `!!! name` boxes,
each by its macro in theme/templates/components/, in the page's language. One `Blocks` per page
collects the problems found while drawing."""

from __future__ import annotations

from markupsafe import Markup

from ..data import signoff
from ..data import evidence_glossary as data
from ..rules import schema
from . import compare_pages, reference_pages

DRAWINGS = ("prp-preparation",)  # theme/templates/components/drawing-<name>.html


class Blocks:
    def __init__(self, site, lang: str, label: str):
        self.site, self.lang, self.label = site, lang, label
        self.problems: list[str] = []

    def macro(self, component: str, name: str | None = None):
        return self.site.macro(component, name, self.lang)

    def component(self, name: str, title, body: str, level: int = 2) -> str:
        """A `!!! name` box; a name the schema does not know is left as its body (the page's
        checks report it)."""
        if name not in schema.COMPONENTS:
            return body
        if title == name.capitalize():  # Markdown's stand-in when `!!! name` has no title
            title = None
        title = Markup(title or self.site.interface.text(schema.COMPONENTS[name].default_title, self.lang))
        return str(self.macro(name)(title=title, body=Markup(body), level=level))

    def directive(self, name: str, arguments: list[str]) -> str | None:
        """A `[[name: arguments]]` block; None when the name is not a block we know. Drawn from
        the data of the page's language."""
        site, lang = self.site, self.lang
        scale, uses, glossary = site.scale, site.uses, site.glossary
        if lang in site.language_data:
            scale, uses, glossary = site.language_data[lang].for_blocks()
        if name == "translation-review":
            reviewers = site.signoffs.language_reviewers()
            return str(self.macro("translation-review")(", ".join(r.display for r in reviewers)))
        if name in signoff.BLOCKS:  # who reviews, funding, the clinic, the editors' address
            return signoff.render_block(name, site.signoffs, self.macro, site.interface.site_text, lang)
        if name == "evidence-table":
            return self.evidence_table(arguments, uses)
        if name == "drawing":  # a picture whose words come from the catalog, in the page's language
            if arguments not in ([d] for d in DRAWINGS):
                self.problems.append(f"{self.label}: [[drawing: {', '.join(arguments)}]]: no such drawing; "
                                     f"use one of {', '.join(DRAWINGS)}")
                return ""
            return str(self.macro(f"drawing-{arguments[0]}")())
        if name == "evidence-scale":
            return str(self.macro("evidence-table", "evidence_scale")(list(scale.values())))
        if name == "glossary":
            return str(self.macro("glossary")(sorted(glossary.values(), key=lambda t: data.sort_key(t.term))))
        if name == "clinic-contact":
            details = {n: site.interface.site_text(n, lang) for n in schema.SETTINGS_IN_CONTENT}
            return str(self.macro("clinic-contact")(details))
        if name == "all-references":
            found, problems = reference_pages.placeholder(arguments, self.label)
            self.problems += problems
            return found  # filled in once every page has been read
        if name == "option-grid":
            return self.option_grid(arguments)
        return None

    def evidence_table(self, arguments: list[str], uses: dict) -> str:
        site = self.site
        missing = [a for a in arguments if a not in site.uses]
        chosen = [a for a in arguments if a in site.uses] or list(site.uses)
        untranslated = [a for a in chosen if a not in uses]
        if missing:
            self.problems.append(f"evidence-table: unknown use(s) {', '.join(missing)}")
        if untranslated:
            self.problems.append(
                f"{site.settings['EVIDENCE']}: use(s) {', '.join(untranslated)} have no '{self.lang}' "
                f"translation in {data.localized(site.settings['EVIDENCE'], self.lang)}; add them there")
        return str(self.macro("evidence-table")([uses[a] for a in chosen if a in uses]))

    def option_grid(self, arguments: list[str]) -> str:
        site, lang = self.site, self.lang
        slug = arguments[0] if len(arguments) == 1 else ""
        grid = site.grids.get(slug)
        if grid is None and site.grid_file(slug).is_file():
            return ""  # the grid's own problems are reported already
        if grid is None:
            known = ", ".join(site.grids) or "none"
            self.problems.append(
                f"{self.label}: [[option-grid: {', '.join(arguments)}]]: no such grid; name one "
                f"file of content/data/option-grids/ without .toml (known: {known})")
            return ""
        if lang != site.interface.default:
            translated = site.grid_in(slug, lang)
            if translated is None and not site.grid_file(slug, lang).is_file():
                self.problems.append(
                    f"{self.label}: [[option-grid: {slug}]]: the grid has no '{lang}' version; "
                    f"create {site.label(str(site.grid_file(slug, lang)))}, a translation of "
                    f"{site.label(str(site.grid_file(slug)))} (README, \"Option grids in Spanish\")")
            if translated is None:
                return ""  # reported here or by the translation's own file
            grid = translated
        return str(self.macro("option-grid")(grid, print_href=compare_pages.print_href(grid)))
