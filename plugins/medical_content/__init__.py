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

from .data import bibliography
from .rules import checks
from .data import evidence_glossary as data
from .rules import html_checks
from .pages import markup
from .rules import readability
from .rules import schema
from .rules import site_files
from .rules import source_files
from .data import option_grids_i18n
from .data import page_history
from .pages import report_problem
from .i18n import interface as i18n
from .pages import language_pages
from .i18n import translations
from .pages import compare_pages
from .data import option_grids
from .rules import terminology
from .pages import reference_pages
from .rules import placement
from .rules import reader_text
from .data import signoff
from .data import source_checks

log = logging.getLogger(__name__)
log.setLevel(logging.INFO)  # the summary of reading grades is reported at INFO


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
        # {slug: Grid}, {lang: {slug: Grid}}
        self.grids, self.translated_grids, found = self.load_option_grids()
        self.problems += found
        self.problems = [self.relative(p) for p in self.problems]
        # Every data file's reader-visible text and the settings pages show (reader_text.py)
        shown = [str(settings.get(n, "")) for n in (*schema.SETTINGS_IN_CONTENT, "EDITORIAL_CONTACT")]
        self.problems += reader_text.data_problems(
            (content / settings["BIBLIOGRAPHY"]).parent, self.label, shown, set(option_grids.QUESTIONS))
        self.problems += reader_text.settings_problems(settings, shown)
        history_path = content / settings["PAGE_HISTORY"]
        self.history = page_history.load(history_path, self.label(str(history_path)))
        self.problems += self.history.problems
        self.history_keys: set[str] = set()  # guide and condition pages, for the history check
        # Reviewers and sign-offs (signoff.py): each guide's and condition page's status
        self.signoffs = signoff.Register(settings, self.label, signoff.signable_pages(settings))
        self.problems += self.signoffs.problems
        self.macros = _macro_environment(settings)
        self.interface.install_current(self.macros)
        self.citing: dict[str, list[tuple[str, str]]] = {}  # reference -> (title, source)
        self.shared: dict = {}  # one copy of each value many pages keep (see `share`)
        # page -> what the site-wide checks need of it (checks.PageRecord); emptied once they ran
        self.records: dict[object, checks.PageRecord] = {}
        self.source_lang: dict[str, str] = {}  # source -> the language it is written in
        self.references_pages: list = []  # pages holding [[all-references: topic]]
        self.unreadable: set[str] = set()  # sources Pelican cannot read; already reported
        self.grades: list[tuple[str, float, str]] = []  # (measure, value, source) per page
        self.problems += self.site_file_problems()
        self.problems += terminology.check(content, Path(settings["THEME"]), self.interface.languages, self.label)
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



def _macro_environment(settings: dict) -> jinja2.Environment:
    """The theme's templates, so a component in Markdown is drawn by the same macro the
    templates use."""
    options = {k: v for k, v in settings["JINJA_ENVIRONMENT"].items() if k != "extensions"}
    loader = jinja2.FileSystemLoader(os.path.join(settings["THEME"], "templates"))
    environment = jinja2.Environment(loader=loader, extensions=["jinja2.ext.i18n"], **options)
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
        reviewers = build.signoffs.language_reviewers()
        return str(build.macro("translation-review")(", ".join(r.display for r in reviewers)))
    if name in signoff.BLOCKS:  # who reviews, funding, the clinic, the editors' address
        return signoff.render_block(name, build.signoffs, build.macro, build.interface.site_text, lang)
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


def json_ld(data) -> Markup:
    """schema.org data for a <script type="application/ld+json">: Jinja's `tojson` (the same
    escaping of <, >, & and ', so no text can close the element), written compactly and in
    UTF-8 rather than \\u escapes: the same data in fewer bytes on every page."""
    return jinja2.utils.htmlsafe_json_dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def start_build(pelican) -> _Build:
    """The build's state, made from Pelican's settings once they are read (`initialized`)."""
    pelican.settings.setdefault("BIBLIOGRAPHY", "data/references.toml")
    pelican.settings.setdefault("EVIDENCE", "data/evidence.toml")
    pelican.settings.setdefault("GLOSSARY", "data/glossary.toml")
    pelican.settings.setdefault("PAGE_HISTORY", "data/page-history.toml")
    pelican.settings.setdefault("OPTION_GRIDS", "data/option-grids")
    build = _Build(pelican.settings)
    _start_source_checks(build)
    pelican.settings.setdefault("JINJA_FILTERS", {}).update(
        long_date=i18n.make_long_date(), iso_date=iso_date, json_ld=json_ld,
        report_problem_href=report_problem.mailto_href,
    )
    pelican.settings.setdefault("JINJA_GLOBALS", {}).update(
        CONTENT_TYPES=schema.CONTENT_TYPES,
        ARTICLE_TYPES=schema.ARTICLE_TYPES,
        EVIDENCE_SCALE=build.scale,
        sign_off_of=build.signoffs.of,  # a guide's or condition page's sign-offs (signoff.py)
        **build.interface.globals(),
        COMPARE_PAGES=compare_pages.listing(build.grids, build.translated_grids, build.interface.default),
    )
    return build


def readers_init(build: _Build, readers) -> None:
    """Markdown files the pre-read found unreadable are left out: their problems are
    reported already, better than Pelican's "Could not process" (source_files.py)."""
    source_files.leave_out_unreadable(readers, build.unreadable)


def get_generators(build: _Build):
    """Pages no editor writes: each other language's home, 404 and lists, and the
    printable page of each option grid (a generator class of this build's own, as Pelican
    makes its generators from classes)."""
    return [language_pages.LanguagePages, compare_pages.for_build(build)]


def content_object_init(build: _Build, content) -> None:
    if isinstance(content, Static) or not content.source_path:
        return
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
    dates = _page_work(build, content, checker, ctype, lang, label)
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
    signoff.attach(build.signoffs, content, build.interface.text)
    if expired := checker.expiry(dates, build.today()):
        if build.settings.get("EXPIRED_REVIEW_IS_ERROR"):
            checker.problems.append(expired)
        else:
            log.warning(expired, extra={"notice_only": True})
    build.problems += checker.problems


def _page_work(build: _Build, content, checker, ctype, lang: str, label: str) -> dict:
    """Everything done to one page that depends only on the page and the build's shared
    inputs: its reading, boxes, citations, checks, reading grade."""
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
    title = unescape(checks.plain_text(content.title))  # as a reader sees it: &#99;ures is "cures"
    summary = unescape(checks.plain_text(content.metadata.get("summary", "")))
    if "summary" in content.metadata:
        # Plain text everywhere it goes (pages, feeds, meta tags, JSON-LD): never markup.
        content.metadata["summary"] = content._summary = escape(summary, quote=False)
    seen = [t if t[-1:] in ".!?" else t + "." for t in (title, summary, *checks.metadata_seen(content.metadata)) if t] + scanned.seen
    checker.wording(seen, lang)
    reserved = [str(build.settings.get(n, "")) for n in (*schema.SETTINGS_IN_CONTENT, "EDITORIAL_CONTACT")]
    reserved += build.signoffs.reserved()  # names reach pages only from reviewers.toml
    checker.typed_facts(seen, reserved, scanned.phone_links + scanned.mail_links, str(build.settings.get("CLINIC_PHONE", "")))
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
        build.grades.append(("INFLESZ", reading_ease, label))
    elif ctype.reading_grade_max is not None:
        reading_grade = readability.grade(scanned.text)
        checker.reading_grade(ctype, reading_grade)
        build.grades.append(("Reading grade", reading_grade, label))
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


def all_generators_finalized(build: _Build, generators) -> None:
    for generator in generators:
        if getattr(generator, "env", None) is not None:
            generator.env.globals.update(language_pages.navigation(generators, build.interface))
    _check_translations(build, generators)
    _fill_references_pages(build)
    contents = _all_content(build, generators)
    _check_links_and_addresses(build, contents)
    if build.history.raw:
        build.problems += build.history.unknown_pages(build.history_keys)
    build.problems += site_files.address_problems(contents, generators, build.settings, build.label)
    _cited_retractions(build)
    every_grid = [(build.interface.default, g) for g in build.grids.values()] + [
        (lang, g) for lang, grids in sorted(build.translated_grids.items()) for g in grids.values()]
    build.problems += placement.grid_problems(
        every_grid, contents, _read, lambda lang, grid: build.label(str(build.grid_file(grid.slug, lang))))
    build.problems += build.signoffs.publishing_problems()  # production: reviewed and stated
    build.records.clear()  # needed only for the checks: freed before writing
    if build.problems:
        raise ContentError(list(dict.fromkeys(build.problems)))


def _start_source_checks(build: _Build) -> None:
    """The last `invoke sources` results (source_checks.py): the reasons readers see beside
    a kept retracted work, in every template environment."""
    build.cited_sources = source_checks.CitedSources(build.settings, build.label, build.interface.default)
    build.problems += build.cited_sources.problems
    notice = build.cited_sources.template_global(lambda: build.interface.current)
    build.settings.setdefault("JINJA_GLOBALS", {})["source_notice"] = notice
    build.macros.globals["source_notice"] = notice


def _cited_retractions(build: _Build) -> None:
    """A page still citing a retracted or withdrawn work without a reason readers see:
    an error in production builds (RETRACTED_CITATION_IS_ERROR), a warning otherwise."""
    found = build.cited_sources.cited_problems(
        build.citing, lambda source: build.source_lang.get(source, build.interface.default),
        lambda source: build.label(os.path.join(build.settings["PATH"], source)))
    if build.settings.get("RETRACTED_CITATION_IS_ERROR"):
        build.problems += found
    else:
        for problem in found:
            log.warning(problem, extra={"notice_only": True})


def generator_init(build: _Build | None, generator) -> None:
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
    if build is not None:
        build.interface.install(env)


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


def finalized(build: _Build) -> None:
    """The site is written: one summary of the reading grades, and the pages the plugin
    held are let go."""
    build.references_pages = []  # the pages themselves: no longer needed once written
    if build.grades:
        summary, details = readability.summary(build.grades)
        log.info("%s", summary, extra={"report": True, "details": details})


def forget_drawn_content(sender, content=None) -> None:
    """Pelican memoizes every page's HTML with its links resolved, for the whole process; it is
    needed only while that page is drawn. Forgotten before each page is drawn, a build holds one
    such copy instead of one per page (and the live preview holds none from earlier builds)."""
    pelican.contents.Content.__dict__["get_content"].cache.clear()


class MedicalContent:
    """The plugin for one Pelican run: its build state and its handlers on Pelican's signals.
    Pelican calls `register()` for each run, so each run has one; the handlers are held by the
    signals (not weakly), and sitebuild disconnects them before the next build."""

    def __init__(self):
        self.build: _Build | None = None

    def initialized(self, pelican) -> None:
        self.build = start_build(pelican)

    def generator_init(self, generator) -> None:
        generator_init(self.build, generator)

    def get_generators(self, pelican):
        return get_generators(self.build) if self.build is not None else []

    def readers_init(self, readers) -> None:
        if self.build is not None:
            readers_init(self.build, readers)

    def content_object_init(self, content) -> None:
        if self.build is not None:
            content_object_init(self.build, content)

    def all_generators_finalized(self, generators) -> None:
        if self.build is not None:
            all_generators_finalized(self.build, generators)

    def finalized(self, pelican) -> None:
        if self.build is not None:
            finalized(self.build)


def register():
    plugin = MedicalContent()
    for signal, handler in (
        (signals.initialized, plugin.initialized),
        (signals.generator_init, plugin.generator_init),
        (signals.get_generators, plugin.get_generators),
        (signals.readers_init, plugin.readers_init),
        (signals.finalized, plugin.finalized),
        (signals.content_object_init, plugin.content_object_init),
        (signals.all_generators_finalized, plugin.all_generators_finalized),
    ):
        signal.connect(handler, weak=False)
    signals.article_generator_write_article.connect(forget_drawn_content)
    signals.page_generator_write_page.connect(forget_drawn_content)
