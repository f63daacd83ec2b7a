"""Pelican plugin for the site's medical content.

Signal order (see plugins/README.md):
  initialized              read every Markdown file first and report the ones Pelican
                           could not read, with the reason; load the bibliography, evidence
                           and glossary; give the theme its filters and globals
  content_object_init      per page: expand [[blocks]], link glossary terms, resolve
                           [@citations], insert {{ SETTINGS }}, draw !!! boxes with the
                           theme's macros, list sections, measure the reading grade, and
                           check the page against the schema; attach its page history
  generator_init           give each template environment the interface text (i18n.py)
  get_generators           add the generator that draws the home, 404 and list pages in
                           each other language (language_pages.py)
  all_generators_finalized everything read, nothing written: work out each language's
                           navigation, check each translation against its original
                           (translations.py), fill in the references page, check every link
                           and that no two pages share an address and that the page history
                           names only real pages, then raise one
                           ContentError listing every problem, if any
Translated pages (Lang, Slug, <name>.<lang>.md) are read like any page, in their language:
its glossary, its evidence labels, its overclaim list and, in Spanish, INFLESZ.
Handlers are module-level functions because Pelican holds them by weak reference.
"""

from __future__ import annotations

import datetime
import functools
import logging
import os
import sys
from html import escape, unescape
from pathlib import Path

import jinja2
import pelican
from markupsafe import Markup
from pelican import signals
from pelican.contents import Static
from pelican.utils import SafeDatetime

from . import (
    bibliography,
    checks,
    data,
    html_checks,
    markup,
    readability,
    schema,
    site_files,
    source_files,
)
from . import option_grids_i18n
from . import page_cache, page_history, render_cache, report_problem
from . import i18n, language_pages, translations
from . import compare_pages, option_grids, terminology
from . import markdown_reader, parallel, reference_pages

log = logging.getLogger(__name__)
log.setLevel(logging.INFO)  # the per-page reading grades are reported at INFO


class ContentError(SystemExit):
    """Every content problem of a build, as one message.

    A SystemExit, not an Exception: Pelican's command line logs any Exception with a full
    traceback, which tells an editor nothing. A SystemExit passes through it, and Python
    prints just the message and exits with status 1. sitebuild catches it like any error.
    """

    def __init__(self, problems: list[str]):
        self.problems = problems
        count = len(problems)
        super().__init__(
            f"The build failed with {count} content problem{'s' if count != 1 else ''}:\n"
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
        self.interface = i18n.Interface(settings)
        self.problems += self.interface.problems
        self.language_data, found = data.load_translated_data(
            content, settings, self.interface.languages, self.scale, self.uses, self.glossary
        )
        self.problems += found
        # Each page's work from earlier development builds (page_cache.py); None builds cold.
        self.page_cache = page_cache.PageCache.for_settings(settings, self.today()) if page_cache.enabled(settings) else None
        # {slug: Grid}, {lang: {slug: Grid}}: checked and graded once per set of inputs
        self.grids, self.translated_grids, found = (
            self.page_cache.shared("option grids", self.load_option_grids) if self.page_cache
            else self.load_option_grids())
        self.problems += found
        self.problems = [self.relative(p) for p in self.problems]
        history_path = content / settings["PAGE_HISTORY"]
        self.history = page_history.load(history_path, self.label(str(history_path)))
        self.problems += self.history.problems
        self.history_keys: set[str] = set()  # guide and condition pages, for the history check
        # Compiled templates: kept with the page cache, or for this build only
        self.template_cache = ((self.page_cache.templates() if self.page_cache is not None else None)
                               or page_cache.CompiledTemplates())
        self.macros = _macro_environment(settings, self.template_cache)
        self.interface.install_current(self.macros)
        self.citing: dict[str, list[tuple[str, str]]] = {}  # reference -> (title, source)
        self.shared: dict = {}  # one copy of each value many pages keep (see `share`)
        # page -> what the site-wide checks need of it (checks.PageRecord); emptied once they ran
        self.records: dict[object, checks.PageRecord] = {}
        self.source_lang: dict[str, str] = {}  # source -> the language it is written in
        self.references_pages: list = []  # pages holding [[all-references: topic]]
        self.unreadable: set[str] = set()  # sources Pelican cannot read; already reported
        self.problems += self.site_file_problems()
        self.problems += terminology.check(content, Path(settings["THEME"]), self.interface.languages, self.label)
        # A cold build reads and draws articles on a second process too (parallel.py).
        self.parallel = parallel.ParallelBuild() if parallel.enabled(settings) else None
        for path in source_files.markdown_files(settings):
            is_article = path.relative_to(content).parts[0] in settings["ARTICLE_PATHS"]
            found = source_files.file_problems(path, self.label(str(path)), is_article)
            if found:
                self.unreadable.add(os.path.abspath(path))
                self.history_keys.add(page_history.key_of(str(path.relative_to(content))))
                self.problems += found

    def load_option_grids(self) -> tuple[dict, dict, list[str]]:
        """The option grids in English and in each other language, and their problems."""
        folder = Path(self.settings["PATH"]) / self.settings["OPTION_GRIDS"]
        grids, problems = option_grids.load_all(folder, self.references, self.label)
        translated, found = option_grids_i18n.load_all(
            folder, grids, self.interface.languages, self.interface.default, self.label)
        return grids, translated, problems + found

    def site_file_problems(self) -> list[str]:
        """Symbolic links, stray and active files, unsafe drawings, missing templates."""
        label = self.label
        theme = Path(self.settings["THEME"])
        return (
            site_files.symlinks([Path(self.settings["PATH"]), theme], label)
            + site_files.stray_and_static_files(self.settings, label)
            + site_files.theme_static_problems(theme, label)
            + site_files.missing_templates(self.settings, label)
        )

    def label(self, source_path: str) -> str:
        return os.path.relpath(source_path, self.content_root)

    def share(self, value):
        """The build's one copy of `value` (a string or a tuple of strings): what every page
        keeps for the site-wide checks recurs from page to page."""
        return self.shared.setdefault(value, value)

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

    def macro(self, component: str, name: str | None = None):
        module = self.macros.get_template(f"components/{component}.html").module
        return getattr(module, name or component.replace("-", "_"))


_build: _Build | None = None


class _AlreadyReported(logging.Filter):
    """Hides Pelican's own vaguer messages about problems this plugin reports better:
    a file it could not process or skipped (reported with the reason by the pre-read), and
    two items sharing a slug (reported with both files by the address check)."""

    def filter(self, record):
        if _build is None:
            return True
        if record.msg.startswith(("There are %s items", "There are %s original")):
            return False
        if record.msg.startswith(("Could not process %s", "Skipping %s: could not find")):
            path = str(record.args[0])
            absolute = os.path.abspath(os.path.join(_build.settings["PATH"], path))
            return absolute not in _build.unreadable
        return True


_already_reported = _AlreadyReported()
for _name in ("pelican.generators", "pelican.contents", "pelican.utils"):
    logging.getLogger(_name).addFilter(_already_reported)


def _macro_environment(settings: dict, template_cache: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """The theme's templates, so a component in Markdown is drawn by the same macro the
    templates use."""
    options = {k: v for k, v in settings["JINJA_ENVIRONMENT"].items() if k != "extensions"}
    loader = jinja2.FileSystemLoader(os.path.join(settings["THEME"], "templates"))
    environment = jinja2.Environment(loader=loader, extensions=["jinja2.ext.i18n"],
                                     bytecode_cache=template_cache, **options)
    environment.install_null_translations(newstyle=True)  # the build installs the catalogs
    return environment


def render_component(build: _Build, name: str, title, body: str, level: int = 2) -> str:
    """A `!!! name` box drawn by its macro in theme/templates/components/<name>.html."""
    component = schema.COMPONENTS[name]
    if title == name.capitalize():  # Markdown's stand-in when `!!! name` has no title
        title = None
    title = Markup(title or build.interface.text(component.default_title, build.interface.current))
    return str(build.macro(name)(title=title, body=Markup(body), level=level))


DRAWINGS = ("prp-preparation",)  # theme/templates/components/drawing-<name>.html


def render_directive(build: _Build, name: str, arguments: list[str]) -> str | None:
    """A `[[name: arguments]]` block; None when the name is not a block we know. Drawn from
    the data of the language of the page being read."""
    lang = build.interface.current
    scale, uses, glossary = build.scale, build.uses, build.glossary
    if lang in build.language_data:
        scale, uses, glossary = build.language_data[lang].for_blocks()
    if name == "translation-review":
        return str(build.macro("translation-review")(build.settings.get("SPANISH_REVIEWER", "")))
    if name == "evidence-table":
        missing = [a for a in arguments if a not in build.uses]
        chosen = [a for a in arguments if a in build.uses] or list(build.uses)
        untranslated = [a for a in chosen if a not in uses]
        if missing:
            build.problems.append(f"evidence-table: unknown use(s) {', '.join(missing)}")
        if untranslated:
            build.problems.append(
                f"{build.settings['EVIDENCE']}: use(s) {', '.join(untranslated)} have no '{lang}' "
                f"translation in {data.localized(build.settings['EVIDENCE'], lang)}; add them there"
            )
        return str(build.macro("evidence-table")([uses[a] for a in chosen if a in uses]))
    if name == "drawing":  # a picture whose words come from the catalog, in the page's language
        if arguments not in ([d] for d in DRAWINGS):
            build.problems.append(f"{build.current_page}: [[drawing: {', '.join(arguments)}]]: no such drawing; "
                                  f"use one of {', '.join(DRAWINGS)}")
            return ""
        return str(build.macro(f"drawing-{arguments[0]}")())
    if name == "evidence-scale":
        return str(build.macro("evidence-table", "evidence_scale")(list(scale.values())))
    if name == "glossary":
        terms = sorted(glossary.values(), key=lambda t: data.sort_key(t.term))
        return str(build.macro("glossary")(terms))
    if name == "clinic-contact":
        details = {n: build.interface.site_text(n, lang) for n in schema.SETTINGS_IN_CONTENT}
        return str(build.macro("clinic-contact")(details))
    if name == "all-references":
        found, problems = reference_pages.placeholder(arguments, build.current_page)
        build.problems += problems
        return found  # filled in once every page has been read
    if name == "option-grid":
        slug = arguments[0] if len(arguments) == 1 else ""
        grid = build.grids.get(slug)
        if grid is None and build.grid_file(slug).is_file():
            return ""  # the grid's own problems are reported already
        if grid is None:
            known = ", ".join(build.grids) or "none"
            build.problems.append(
                f"{build.current_page}: [[option-grid: {', '.join(arguments)}]]: no such grid; name one "
                f"file of content/data/option-grids/ without .toml (known: {known})"
            )
            return ""
        if lang != build.interface.default:
            translated = build.grid_in(slug, lang)
            if translated is None and not build.grid_file(slug, lang).is_file():
                build.problems.append(
                    f"{build.current_page}: [[option-grid: {slug}]]: the grid has no '{lang}' version; "
                    f"create {build.label(str(build.grid_file(slug, lang)))}, a translation of "
                    f"{build.label(str(build.grid_file(slug)))} (README, \"Option grids in Spanish\")"
                )
            if translated is None:
                return ""  # reported here or by the translation's own file
            grid = translated
        return str(build.macro("option-grid")(grid, print_href=compare_pages.print_href(grid)))
    return None


def iso_date(value) -> str:
    day = checks.parse_date(value)
    return day.isoformat() if day else str(value)


def initialized(pelican) -> None:
    global _build
    if _build is not None and _build.parallel is not None:
        _build.parallel.close()  # an earlier build in this process that failed
    pelican.settings.setdefault("BIBLIOGRAPHY", "data/references.toml")
    pelican.settings.setdefault("EVIDENCE", "data/evidence.toml")
    pelican.settings.setdefault("GLOSSARY", "data/glossary.toml")
    pelican.settings.setdefault("PAGE_HISTORY", "data/page-history.toml")
    pelican.settings.setdefault("OPTION_GRIDS", "data/option-grids")
    _build = _Build(pelican.settings)
    # Whether the cache is used, after the environment had its say: sitebuild reads it later.
    pelican.settings["PAGE_CACHE"] = _build.page_cache is not None
    render_cache.start(_build.page_cache)
    # the generators' template environments share the compiled templates too
    pelican.settings["JINJA_ENVIRONMENT"] = {**pelican.settings["JINJA_ENVIRONMENT"],
                                             "bytecode_cache": _build.template_cache}
    parallel.ParallelWriter.build, parallel.ParallelWriter.generator = _build.parallel, None
    compare_pages.OptionGridPages.build = _build
    pelican.settings.setdefault("JINJA_FILTERS", {}).update(
        long_date=i18n.make_long_date(), iso_date=iso_date,
        report_problem_href=report_problem.mailto_href,
    )
    pelican.settings.setdefault("JINJA_GLOBALS", {}).update(
        CONTENT_TYPES=schema.CONTENT_TYPES,
        ARTICLE_TYPES=schema.ARTICLE_TYPES,
        EVIDENCE_SCALE=_build.scale,
        **_build.interface.globals(),
        COMPARE_PAGES=compare_pages.listing(_build.grids, _build.translated_grids, _build.interface.default),
    )


def readers_init(readers) -> None:
    """Markdown is read with one converter per build; Pelican's reader asks the page cache
    for a page's Markdown, and hands it what it read."""
    markdown_reader.install(readers)
    cache = _page_results(_build) if _build is not None else None
    if cache is not None:
        readers.get_cached_data = cache.get_reading
        readers.cache_data = cache.remember_reading


def _page_results(build: _Build):
    """Where a page's reading and work may come from instead of being done here: the page
    cache of earlier builds, or this cold build's helper process; None when neither."""
    if build.page_cache is not None:
        return build.page_cache
    return build.parallel.readings if build.parallel is not None else None


def article_preread(generator) -> None:
    if _build is not None and _build.parallel is not None:
        _build.parallel.start_reading(generator)


def get_writer(pelican_object):
    """Pelican takes one writer: the page cache's, or the two-process build's, or its own."""
    if _build is not None and _build.parallel is not None:
        return parallel.ParallelWriter
    return render_cache.get_writer(pelican_object)


def get_generators(pelican):
    """Pages no editor writes: each other language's home, 404 and lists, and the
    printable page of each option grid."""
    return [language_pages.LanguagePages, compare_pages.OptionGridPages]


def content_object_init(content) -> None:
    if isinstance(content, Static) or _build is None or not content.source_path:
        return
    build = _build
    if os.path.abspath(content.source_path) in build.unreadable:
        return  # its problems are reported already
    label = build.label(content.source_path)
    source = functools.cache(functools.partial(_read, content.source_path))  # read if needed
    checker = checks.PageChecker(label, source)
    ctype = schema.content_type_of(content)
    if ctype is None:
        folders = ", ".join(f"content/{t.folder}/" for t in schema.ARTICLE_TYPES.values())
        checker.add("page", f"this folder is not a known kind of page; move the file into {folders}")
        build.problems += checker.problems
        return

    build.current_page = label  # for problems found while drawing its [[blocks]]
    lang = getattr(content, "lang", build.interface.default)
    build.interface.current = lang
    checker.translate = lambda text: build.interface.text(text, lang)
    dates = _cached_page_work(build, content, checker, ctype, lang, label)
    citing = (content.title, content.relative_source_path)  # one tuple for all its citations
    for reference in content.references:  # each cited work once, in the order first cited
        build.citing.setdefault(reference.key, []).append(citing)
    build.source_lang[content.relative_source_path] = lang
    if reference_pages.PLACEHOLDER.search(content._content):
        build.references_pages.append(content)
    checker = checks.PageChecker(label, source)  # this page's problems are in build.problems
    content.reviewed = dates.get("reviewed")
    content.next_review = dates.get("next_review")
    _attach_history(build, content, ctype, dates.get("reviewed"))
    if expired := checker.expiry(dates, build.today()):
        if build.settings.get("EXPIRED_REVIEW_IS_ERROR"):
            checker.problems.append(expired)
        else:
            log.warning(expired, extra={"notice_only": True})
    build.problems += checker.problems


def _cached_page_work(build: _Build, content, checker, ctype, lang: str, label: str) -> dict:
    """The page's work, or what it gave last time its inputs were the same (page_cache.py):
    the same attributes, problems and report lines. Returns the page's dates."""
    cache = _page_results(build)
    work = cache.cached_work(content.source_path) if cache else None
    if work is not None:
        for name, value in work["attributes"].items():
            setattr(content, name, value)
        content.metadata.update(work["metadata"])
        # the bibliography's own entries, shared by every page, not one copy per page
        content.references = [build.references.get(r.key, r) for r in content.references]
        build.records[content] = work["record"]
        build.problems += work["problems"]
        page_cache.replay(work["log"])
        return work["dates"]
    before, metadata_before = dict(vars(content)), dict(content.metadata)
    problems_before = len(build.problems)
    recorder = page_cache.WorkRecorder()
    logging.getLogger().addHandler(recorder)
    try:
        dates = _page_work(build, content, checker, ctype, lang, label)
    finally:
        logging.getLogger().removeHandler(recorder)
    if cache:
        cache.store_work(content.source_path, {
            "attributes": {k: v for k, v in vars(content).items()
                           if k != "metadata" and (k not in before or before[k] is not v)},
            "metadata": {k: v for k, v in content.metadata.items()
                         if k not in metadata_before or metadata_before[k] is not v},
            "record": build.records[content],
            "problems": build.problems[problems_before:],
            "log": recorder.lines,
            "dates": dates,
        })
    return dates


def _page_work(build: _Build, content, checker, ctype, lang: str, label: str) -> dict:
    """Everything done to one page that depends only on the page and the global inputs
    (page_cache.global_key): its reading, boxes, citations, checks, reading grade."""
    translations.metadata_problems(content, checker, build.settings, ctype.is_article)
    content.translation_of_reviewed = content.metadata.get("translation_of_reviewed")
    glossary, glossary_page = build.glossary, schema.GLOSSARY_PAGE
    if lang in build.language_data:
        glossary, glossary_page = build.language_data[lang].glossary_and_page()
    html, unknown_directives = markup.expand_directives(
        content._content, lambda name, args: render_directive(build, name, args)
    )
    html, _linked, unknown_terms = markup.link_glossary(html, glossary, glossary_page)
    citation_places = tuple(map(build.share, translations.citation_places(html)))
    html, cited, unknown_refs = markup.resolve_citations(
        html, build.references, build.interface.text(i18n.CITATION_LABEL, lang)
    )
    html, missing_settings = markup.insert_settings(
        html, {name: build.interface.site_text(name, lang) for name in schema.SETTINGS_IN_CONTENT}
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

    checker.placeholders()
    dates = checker.fields(ctype, content.metadata)
    checker.whole_numbers(content.metadata)
    if content.metadata.get("template"):  # listing the theme's templates costs a directory walk
        checker.template(content.metadata["template"], build.macros.list_templates())
    checker.review_dates(dates)
    checker.sections(ctype, html)
    checker.components(ctype, components)
    checker.citations(ctype, cited, unknown_refs)
    checker.settings_used(missing_settings)
    checker.glossary_links(unknown_terms)
    checker.directives(unknown_directives)
    # Markdown and the theme's templates write well-formed HTML, so only tags an editor typed
    # (a "<" in the source) can hold the mistakes html5lib finds, slowly. A citation inside a
    # link's text or an attribute breaks tags too; the citation rule or the allowlist reports it.
    typed_html = any("<" in line for line in checker.lines)
    scanned = html_checks.scan(html, raw_html=typed_html)
    build.records[content] = _record(scanned, citation_places)
    for hint, problem in scanned.problems:
        checker.add(checker.where(text=hint), problem)
    title = checks.plain_text(content.title)
    summary = unescape(checks.plain_text(content.metadata.get("summary", "")))
    if "summary" in content.metadata:
        # Plain text everywhere it goes (pages, feeds, meta tags, JSON-LD): never markup.
        content.metadata["summary"] = content._summary = escape(summary, quote=False)
    seen = [t if t[-1:] in ".!?" else t + "." for t in (title, summary) if t] + scanned.seen
    checker.wording(seen, lang)
    reserved = [str(build.settings.get(n, "")) for n in (*schema.SETTINGS_IN_CONTENT, "CLINICAL_REVIEWER")]
    checker.typed_facts(seen, reserved, scanned.phone_links, str(build.settings.get("CLINIC_PHONE", "")))
    checker.section_citations(ctype, html, scanned.citation_misplaced)
    checker.date_sense(dates, build.today())
    # The reading grade is reported and checked, not kept on the page: no template shows it.
    if ctype.reading_grade_max is not None and lang == "es":
        reading_ease = readability.inflesz(scanned.text)
        if reading_ease < schema.READING_EASE_MIN_ES:
            checker.add(
                "reading ease",
                f"the text scores {reading_ease} on INFLESZ, below "
                f"{schema.READING_EASE_MIN_ES:g} (\"bastante fácil\"); use shorter sentences and "
                "everyday words, and explain medical terms",
            )
        log.info("INFLESZ        %5.1f  %s", reading_ease, label, extra={"report": True})
    elif ctype.reading_grade_max is not None:
        reading_grade = readability.grade(scanned.text)
        checker.reading_grade(ctype, reading_grade)
        log.info(
            "Reading grade %4.1f  %s", reading_grade, label, extra={"report": True}
        )
    build.problems += checker.problems
    return dates


def _record(scanned, citation_places) -> checks.PageRecord:
    """What the site-wide checks need of a page, from its scan: its ids (sorted, so a cached
    page's entry is the same in every process) and its links, each once, in order; interned,
    as the same ids and links recur on many pages. Nothing of its HTML or text."""
    return checks.PageRecord(
        ids=tuple(sorted(map(sys.intern, scanned.ids))),
        links=tuple(dict.fromkeys(map(sys.intern, scanned.links))),
        citation_places=citation_places,
    )


def _attach_history(build: _Build, content, ctype, reviewed) -> None:
    """The page's change notes for the template, and its newest change as `modified`, which
    Pelican's feeds give as the entry's `updated`. Every published guide and condition page
    needs at least one note; a draft may have none yet."""
    content.history = []
    if not ctype.is_article:
        return
    key = page_history.key_of(content.relative_source_path)
    build.history_keys.add(key)
    if getattr(content, "status", "") == "draft" and key not in build.history.raw:
        return
    content.history, problems = build.history.check_page(key, reviewed)
    build.problems += problems
    if content.history:
        newest = content.history[0].date
        content.modified = SafeDatetime(newest.year, newest.month, newest.day)


def _fill_references_pages(build: _Build) -> None:
    """The references pages: each lists the bibliography's works on its topic, with the
    pages citing them."""
    default = build.interface.default
    build.problems += reference_pages.topics_listed_twice(build.references_pages, default, build.label)
    # Pelican reads files in an order that follows Python's hash seed: sort the citing
    # pages, so two builds of the same commit are identical byte for byte.
    citing_in = {}
    for page in build.references_pages:
        lang = getattr(page, "lang", default)
        if lang not in citing_in:  # each language's page lists the pages in its language
            citing_in[lang] = {
                key: reference_pages.CitingPages([  # (title, source) pairs, sorted
                    page for page in sorted(pages)
                    if build.source_lang.get(page[1], build.interface.default) == lang])
                for key, pages in build.citing.items()
            }
        build.interface.current = lang
        page._content = reference_pages.PLACEHOLDER.sub(
            lambda found: str(build.macro("reference-list", "bibliography")(
                reference_pages.works_on(build.references, found.group(1)), citing_in[lang])),
            page._content,
        )
        # Only the ids and links are read here: the page's own HTML was checked when it was
        # read, and the list drawn into it comes from the theme's template.
        scanned = html_checks.scan(page._content, raw_html=False)
        build.records[page] = _record(scanned, build.records[page].citation_places)


def _all_content(build: _Build, generators) -> list:
    """Every page the plugin read and checked."""
    found = []
    for generator in generators:
        for name in ("articles", "drafts", "hidden_articles", "pages", "hidden_pages", "draft_pages",
                     "translations"):
            found += getattr(generator, name, [])
    return [c for c in found if c in build.records]


def _template_ids(content) -> set[str]:
    """Ids the theme adds around a page's content."""
    ids = {"main-content", "app-disclaimer-title"}
    if getattr(content, "outline", None) is not None and content.content_type != "page":
        ids |= {"app-contents-title", "references"}
        ids |= {f"ref-{n}" for n in range(1, len(content.references) + 1)}
    return ids


def _check_links_and_addresses(build: _Build, contents: list) -> None:
    root = Path(build.settings["PATH"])
    by_path = {c.relative_source_path.replace(os.sep, "/"): c for c in contents}

    # A page's ids are made into a set when a link needs them; the pages linked to most (the
    # page being checked, the glossary) are asked again and again, so the last few are kept.
    @functools.lru_cache(maxsize=64)
    def target_ids(path: str):
        if path in by_path:
            content = by_path[path]
            return _template_ids(content).union(build.records[content].ids)
        return set() if (root / path).is_file() else None

    content_root = os.path.relpath(root, build.content_root) + "/"
    for content in contents:
        source = content.relative_source_path.replace(os.sep, "/")
        checker = checks.PageChecker(build.label(content.source_path), functools.partial(_read, content.source_path))
        for href in build.records[content].links:  # each once
            if found := html_checks.link_problem(href, source, content_root, target_ids):
                hint, problem = found
                checker.add(checker.where(text=hint), problem)
        build.problems += checker.problems

    addresses: dict[str, list] = {}
    for content in contents:
        if content.save_as:
            addresses.setdefault(content.save_as, []).append(content)
    for save_as, sharing in addresses.items():
        for content in sharing[1:]:
            others = ", ".join(build.label(c.source_path) for c in sharing if c is not content)
            build.problems.append(
                f"{build.label(content.source_path)}: page: its address /{content.url} is also "
                f"used by {others}; rename one of the files (the file name is the address)"
            )


def _read(path: str) -> str:
    """A page's text; empty when it cannot be read (Pelican itself reports that)."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def all_generators_finalized(generators) -> None:
    if _build is None:
        return
    if _build.page_cache is not None:
        _build.page_cache.report_ignored()
    if _build.parallel is not None:
        _build.parallel.finish_reading()
    for generator in generators:
        if getattr(generator, "env", None) is not None:
            generator.env.globals.update(language_pages.navigation(generators, _build.interface))
    _check_translations(_build, generators)
    _fill_references_pages(_build)
    contents = _all_content(_build, generators)
    _check_links_and_addresses(_build, contents)
    if _build.history.raw:
        _build.problems += _build.history.unknown_pages(_build.history_keys)
    _build.problems += site_files.address_problems(contents, generators, _build.settings, _build.label)
    _build.records.clear()  # needed only for the checks: freed before writing
    if _build.problems:
        raise ContentError(list(dict.fromkeys(_build.problems)))


def generator_init(generator) -> None:
    """Templates come from the theme only (Pelican's built-in theme is no fallback), and
    every template Pelican draws gets the interface text of its page's language."""
    env = getattr(generator, "env", None)
    if env is None:
        return
    paths = [*generator.settings.get("THEME_TEMPLATES_OVERRIDES", []),
             os.path.join(generator.settings["THEME"], "templates")]
    simple = os.path.join(os.path.dirname(pelican.__file__), "themes", "simple", "templates")
    env.loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(paths),
        _UnusedTemplates(simple),
        jinja2.PrefixLoader({"!theme": jinja2.FileSystemLoader(paths[-1])}),
    ])
    if _build is not None:
        _build.interface.install(env)


class _UnusedTemplates(jinja2.FileSystemLoader):
    """Pelican loads the templates of pages this site never writes (tags, authors,
    archives) before it sees their output is off: those alone may come from its own theme."""

    NAMES = {"tag.html", "tags.html", "author.html", "authors.html", "archives.html",
             "period_archives.html", "categories.html"}

    def get_source(self, environment, template):
        if template not in self.NAMES:
            raise jinja2.TemplateNotFound(template)
        return super().get_source(environment, template)


def _check_translations(build: _Build, generators) -> None:
    """Each translation against its original; and, with REQUIRED_TRANSLATIONS, that every
    original has one (README, "Translating a page")."""
    originals = []
    for generator in generators:
        originals += getattr(generator, "articles", []) + getattr(generator, "pages", [])
    originals = [o for o in originals if o in build.records]
    for original in originals:
        for translation in original.translations:
            if translation not in build.records:
                continue  # it could not be read; reported already
            problems, stale = translations.pair_problems(
                original, translation, build.label, _read, lambda page: build.records[page].citation_places)
            build.problems += problems
            for notice in stale:
                if build.settings.get("STALE_TRANSLATION_IS_ERROR"):
                    build.problems.append(notice)
                else:
                    log.warning(notice, extra={"notice_only": True})
    build.problems += translations.missing_problems(
        originals, build.settings.get("REQUIRED_TRANSLATIONS", []), build.interface.languages, build.label
    )


def finalized(pelican) -> None:
    """The site is written: a notice for cache entries ignored while drawing, the entries
    no page used any more are removed, and the pages the plugin held are let go."""
    if _build is None:
        return
    _build.references_pages = []  # the pages themselves: no longer needed once written
    if _build.page_cache is not None:
        _build.page_cache.report_ignored()
        render_cache.report()
        _build.page_cache.prune()
    if _build.parallel is not None:
        _build.parallel.report()
        _build.parallel.close()


def forget_drawn_content(sender, content=None) -> None:
    """Pelican memoizes every page's HTML with its links resolved, for the whole process; it is
    needed only while that page is drawn. Forgotten before each page is drawn, a build holds one
    such copy instead of one per page (and the live preview holds none from earlier builds)."""
    pelican.contents.Content.__dict__["get_content"].cache.clear()


def register():
    signals.initialized.connect(initialized)
    signals.generator_init.connect(generator_init)
    signals.get_generators.connect(get_generators)
    signals.readers_init.connect(readers_init)
    signals.get_writer.connect(get_writer)
    signals.article_generator_preread.connect(article_preread)
    signals.article_generator_write_article.connect(parallel.note_generator)
    signals.finalized.connect(finalized)
    signals.article_generator_write_article.connect(forget_drawn_content)
    signals.page_generator_write_page.connect(forget_drawn_content)
    signals.content_object_init.connect(content_object_init)
    signals.all_generators_finalized.connect(all_generators_finalized)
