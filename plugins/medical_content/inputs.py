"""What every page of a build shares, read once at `initialized`: the bibliography, evidence,
glossary, option grids, page history, sign-offs, source checks, interface text and the theme's
macros, with every problem found while reading them. Nothing in it changes while pages are
read, so a page's work (pages/work.py) is a function of its own inputs and of these."""

from __future__ import annotations

import datetime
import os
from functools import cached_property
from pathlib import Path

import jinja2

from .data import bibliography, option_grids, option_grids_i18n, page_history, signoff, source_checks
from .data import evidence_glossary as data
from .i18n import interface as i18n
from .rules import checks, reader_text, schema, site_files, source_files, terminology

DATA_DEFAULTS = {
    "BIBLIOGRAPHY": "data/references.toml",
    "EVIDENCE": "data/evidence.toml",
    "GLOSSARY": "data/glossary.toml",
    "PAGE_HISTORY": "data/page-history.toml",
    "OPTION_GRIDS": "data/option-grids",
}


class SiteInputs:
    """The build's shared inputs. `problems` lists what was wrong with them."""

    def __init__(self, settings: dict):
        for name, default in DATA_DEFAULTS.items():
            settings.setdefault(name, default)
        self.settings = settings
        content = Path(settings["PATH"])
        self.content_root = content.parent
        self.problems: list[str] = []
        self.references, found = bibliography.load(content / settings["BIBLIOGRAPHY"])
        self.problems += found
        self.scale, self.uses, found = data.load_evidence(content / settings["EVIDENCE"], self.references)
        self.problems += found
        self.glossary, found = data.load_glossary(content / settings["GLOSSARY"])
        self.problems += found
        self.interface = i18n.Interface(settings)
        self.problems += self.interface.problems
        self.language_data, found = data.load_translated_data(
            content, settings, self.interface.languages, self.scale, self.uses, self.glossary)
        self.problems += found
        self.grids, self.translated_grids, found = self._option_grids()  # {slug: Grid}, {lang: {slug: Grid}}
        self.problems += found
        self.problems = [self.relative(p) for p in self.problems]
        # Every data file's reader-visible text and the settings pages show (reader_text.py)
        self.problems += reader_text.data_problems(
            (content / settings["BIBLIOGRAPHY"]).parent, self.label, self.shown_settings(), set(option_grids.QUESTIONS))
        self.problems += reader_text.settings_problems(settings, self.shown_settings())
        history_path = content / settings["PAGE_HISTORY"]
        self.history = page_history.load(history_path, self.label(str(history_path)))
        self.problems += self.history.problems
        # Reviewers and sign-offs (signoff.py): each guide's and condition page's status
        self.signoffs = signoff.Register(settings, self.label, signoff.signable_pages(settings))
        self.problems += self.signoffs.problems
        self.problems += self._site_file_problems()
        # One word for one thing: the data files and catalogs here; each page in its own work
        self.terminology, found = terminology.load(content, self.interface.languages, self.label)
        self.problems += found + terminology.check(content, Path(settings["THEME"]), self.interface.languages,
                                                   self.label, pages=False, terminology=self.terminology)
        self.unreadable: set[str] = set()  # sources Pelican cannot read; already reported
        self.unreadable_history_keys: set[str] = set()
        self.markdown_files = 0
        for path in source_files.markdown_files(settings):
            self.markdown_files += 1
            is_article = path.relative_to(content).parts[0] in settings["ARTICLE_PATHS"]
            found = source_files.file_problems(path, self.label(str(path)), is_article)
            if found:
                self.unreadable.add(os.path.abspath(path))
                self.unreadable_history_keys.add(page_history.key_of(str(path.relative_to(content))))
                self.problems += found
        # The last `invoke sources` results: the reasons readers see beside a kept retracted work
        self.cited_sources = source_checks.CitedSources(settings, self.label, self.interface.default)
        self.problems += self.cited_sources.problems
        self.macros = {lang: self._macro_environment(lang) for lang in self.interface.languages}

    def _option_grids(self) -> tuple[dict, dict, list[str]]:
        folder = Path(self.settings["PATH"]) / self.settings["OPTION_GRIDS"]
        grids, problems = option_grids.load_all(folder, self.references, self.label)
        translated, found = option_grids_i18n.load_all(
            folder, grids, self.interface.languages, self.interface.default, self.label)
        return grids, translated, problems + found

    def grid_reading_problems(self) -> list[str]:
        """The option grids' reading grade (English) and ease (Spanish), checked apart from
        reading them: build.py has it worked where the pages are (workers.py)."""
        found = []
        for slug, grid in self.grids.items():
            found += option_grids.reading_problems(grid, self.label(str(self.grid_file(slug))))
        for lang, grids in sorted(self.translated_grids.items()):
            for slug, grid in grids.items():
                found += option_grids_i18n.reading_problems(grid, self.label(str(self.grid_file(slug, lang))))
        return found

    def _site_file_problems(self) -> list[str]:
        """Symbolic links, stray and active files, unsafe drawings, missing templates."""
        label, theme = self.label, Path(self.settings["THEME"])
        return (site_files.symlinks([Path(self.settings["PATH"]), theme], label)
                + site_files.stray_and_static_files(self.settings, label)
                + site_files.theme_static_problems(theme, label)
                + site_files.missing_templates(self.settings, label))

    def _macro_environment(self, lang: str) -> jinja2.Environment:
        """The theme's templates, so a component in Markdown is drawn by the same macro the
        templates use; one environment per language, so that a macro and every template it
        imports draw in that language."""
        environment = macro_environment(self.settings)
        self.interface.install(environment)
        environment.globals.update(page_lang=lang, source_notice=self.source_notice)
        return environment

    @cached_property
    def source_notice(self):
        """`source_notice(ref)` for every template: a kept retracted work's reason, in the
        language of the page drawn."""
        return self.cited_sources.template_global(lambda: self.interface.default)

    def shown_settings(self) -> list[str]:
        return [str(self.settings.get(n, "")) for n in (*schema.SETTINGS_IN_CONTENT, "EDITORIAL_CONTACT")]

    def label(self, source_path: str) -> str:
        return os.path.relpath(source_path, self.content_root)

    def relative(self, message: str) -> str:
        return message.replace(str(self.content_root) + os.sep, "")

    def grid_file(self, slug: str, lang: str | None = None) -> Path:
        folder = Path(self.settings["PATH"]) / self.settings["OPTION_GRIDS"]
        if lang and lang != self.interface.default:
            return option_grids_i18n.translation_path(folder, slug, lang)
        return folder / f"{slug}.toml"

    def grid_in(self, slug: str, lang: str):
        """The grid `slug` in `lang`; None when it has no version in that language."""
        if lang == self.interface.default:
            return self.grids.get(slug)
        return self.translated_grids.get(lang, {}).get(slug)

    def today(self) -> datetime.date:
        pinned = self.settings.get("REVIEW_CHECK_DATE")  # tests pin "today"
        return checks.parse_date(pinned) if pinned else datetime.date.today()

    def macro(self, component: str, name: str | None = None, lang: str | None = None):
        """A macro of theme/templates/components/<component>.html, drawing in `lang`."""
        environment = self.macros.get(lang) or self.macros[self.interface.default]
        module = environment.get_template(f"components/{component}.html").module
        return getattr(module, name or component.replace("-", "_"))


def macro_environment(settings: dict) -> jinja2.Environment:
    """A Jinja environment over the theme's templates with the site's Jinja options."""
    options = {k: v for k, v in settings["JINJA_ENVIRONMENT"].items() if k != "extensions"}
    loader = jinja2.FileSystemLoader(os.path.join(settings["THEME"], "templates"))
    environment = jinja2.Environment(loader=loader, extensions=["jinja2.ext.i18n"], **options)
    environment.install_null_translations(newstyle=True)
    return environment
