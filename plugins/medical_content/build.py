"""One Pelican run of the plugin: `MedicalContent` holds the run's `Build` and its handlers are
connected to Pelican's signals (plugins/README.md lists them in order).

  initialized               read the shared inputs (inputs.py) and give the theme its filters
  content_object_init       each page Pelican read: its result (pages/work.py) from the cache
                            when its inputs are unchanged, else worked out, in worker processes
                            when there are many; results put on the pages in reading order
                            (with a cache, a page's HTML, outline and history wait there until
                            the page is drawn: `held`)
  all_generators_finalized  every page read, nothing written: the last results put on their
                            pages; the option grids' reading; the site-wide checks; one
                            ContentError listing every problem
  get_writer                a writer that reuses pages drawn by an earlier build, and puts a held
                            page's HTML back while it is drawn (pages/writer.py)
  finalized                 one summary of the reading grades; tidy the cache
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import logging
import os
import threading
from pathlib import Path

import pelican
from pelican import signals
from pelican.contents import Static

from . import cache as page_cache
from . import workers
from .data import page_history
from .inputs import SiteInputs
from .pages import compare_pages, language_pages, reader, site_checks, templates, work, writer
from .rules import checks, html_urls, placement, readability, schema, site_files

log = logging.getLogger(__name__)
log.setLevel(logging.INFO)  # the summary of reading grades is reported at INFO

WAITING_PER_PROCESS = 8  # pages read whose results are not yet on them, per worker process
PAGES_PER_PROCESS = 100  # fewer pages than this per process: one process does them all (PAGES_PER_PROCESS)


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
            + "\n".join(f"  - {p}" for p in problems))


class Build:
    """The state of one build: its shared inputs, the pages read, what the site-wide checks
    need of them, and every problem found."""

    def __init__(self, settings: dict):
        self.site = SiteInputs(settings)
        self.problems: list[str] = list(self.site.problems)
        project = Path(settings["PATH"]).resolve().parent
        self.cache = page_cache.Cache.for_build(settings, self.site.today(), project)
        self.drawn_digest: str | None = None  # set once every page is read and worked
        # (page, its input, its key, its result or a Future of it, whether it was worked out
        # in this build) in the order Pelican read them, until the result is put on the page
        self.waiting: collections.deque = collections.deque()
        self.pool: workers.Pool | None = None  # made at the first page not found in the cache
        self.grid_reading = None  # the option grids' reading problems, or a Future of them
        self.keys: dict = {}  # page -> the key of its result, which its drawn page's key includes
        self.held: set = set()  # pages whose HTML is in the cache until they are drawn
        self.records: dict = {}  # page -> checks.PageRecord, for the site-wide checks
        self.citing: dict[str, list[tuple[str, str]]] = {}  # reference -> (title, source)
        self.source_lang: dict[str, str] = {}  # source -> the language it is written in
        self.references_pages: list = []  # pages holding [[all-references: topic]]
        self.history_keys: set[str] = set(self.site.unreadable_history_keys)
        self.grades: list[tuple[str, float, str]] = []  # (measure, value, source) per page
        self.shared: dict = {}  # one copy of each value many pages keep
        self.reused = {"read": 0, "read_of": 0, "drawn": 0, "drawn_of": 0}  # what the cache saved, reported

    def page_read(self, content) -> None:
        """A page Pelican has just read: its result from the cache, or its work started (in a
        worker process while Pelican reads on, when there are many pages; here otherwise)."""
        if isinstance(content, Static) or not content.source_path:
            return
        if os.path.abspath(content.source_path) in self.site.unreadable:
            return  # its problems are reported already
        site = self.site
        page = work.PageInput.of(content, site.label(content.source_path), site_checks.read_source(content.source_path),
                                 site_checks.source_digest(content.source_path), site.interface.default)
        key = self.cache.page_key(page) if self.cache else None
        if key:
            self.keys[content] = key
        kept = self.cache.result(key) if key else None
        if kept is not None:
            kept = work.for_site_checks(kept)
            self.reused["read"] += 1
        elif self.pool is None:
            self.pool = workers.Pool(site, self.cache, self.processes())
            self.grid_reading = self.pool.grid_reading()
        # a PageResult, or a Future of one; worked out in this build, it is kept in the cache
        result = kept if kept is not None else self.pool.submit(page, key)
        # what the build needs of the page later; its text and HTML are let go
        self.waiting.append((content, dataclasses.replace(page, source="", html=""), result))
        self.reused["read_of"] += 1
        # Results are put on their pages in reading order as soon as they are there; no more
        # than a few pages per process wait, so sources and results never pile up in memory.
        while self.waiting and (len(self.waiting) > WAITING_PER_PROCESS * self.pool_size() or self.first_is_done()):
            self.take_first()

    def pool_size(self) -> int:
        return self.pool.processes if self.pool is not None else 1

    def first_is_done(self) -> bool:
        result = self.waiting[0][2]
        return isinstance(result, work.PageResult) or result.done()

    def take_first(self) -> None:
        content, page, result = self.waiting.popleft()
        if not isinstance(result, work.PageResult):  # worked in another process
            result = result.result()
        self.take(content, page, result)

    def work_pages(self) -> None:
        """The results still waiting, put on their pages in reading order (so problems are
        listed in that order)."""
        try:
            while self.waiting:
                self.take_first()
            grids = self.grid_reading if self.grid_reading is not None else self.site.grid_reading_problems()
            self.problems += grids if isinstance(grids, list) else grids.result()
        finally:
            self.stop_pool()

    def stop_pool(self) -> None:
        if self.pool is not None:
            if self.pool.processes > 1:
                log.info("Checked %d pages in %d processes", self.reused["read_of"] - self.reused["read"],
                         self.pool.processes, extra={"report": True})
            self.pool.close()
            self.pool = None

    def processes(self) -> int:
        """Worker processes for the pages: PAGE_PROCESSES (else every core) when the site has
        PAGES_PER_PROCESS pages (100) for each; one where forking is unsafe (another thread
        runs, as in the live preview)."""
        if threading.active_count() > 1 or not hasattr(os, "fork"):
            return 1
        wanted = int(self.site.settings.get("PAGE_PROCESSES") or os.cpu_count() or 1)
        per_process = int(self.site.settings.get("PAGES_PER_PROCESS") or PAGES_PER_PROCESS)
        return max(1, min(wanted, self.site.markdown_files // per_process))

    def take(self, content, page: work.PageInput, result: work.PageResult) -> None:
        self.problems += result.problems
        for notice in result.notices:
            log.warning(notice, extra={"notice_only": True})
        if result.content_type is None:
            return  # not worked on: its problems say why
        if result.html is None:  # the rest is in the cache
            if (result.lists_references or "summary" not in content.metadata
                    or any(html_urls.links_a_file(link) for link in result.record.links)):
                # its HTML is needed before the page is drawn: its list of references is
                # filled in, Pelican makes its summary from it, or Pelican reads the files
                # it links to copy them
                result = self.kept_result(content)
            else:
                self.held.add(content)
        work.apply(result, content, self.site.references)
        record = result.record
        self.records[content] = checks.PageRecord(*(tuple(map(self.share, part)) for part in record))
        citing = (content.title, content.relative_source_path)  # one tuple for all its citations
        for key in result.cited:  # each cited work once, in the order first cited
            self.citing.setdefault(key, []).append(citing)
        self.source_lang[content.relative_source_path] = page.lang
        if result.lists_references:
            self.references_pages.append(content)
        if schema.CONTENT_TYPES[page.content_type].is_article:
            self.history_keys.add(page_history.key_of(page.relative_source_path))
        if result.grade:
            self.grades.append((*result.grade, page.label))

    def kept_result(self, content) -> work.PageResult:
        """A page's whole result, HTML and all, from the cache (workers.py kept it there)."""
        result = self.cache.result(self.keys[content], with_html=True)
        if result is None:
            raise ContentError([f"{self.site.label(content.source_path)}: the build cache lost this page's result "
                                "while the site was built (did another program remove it?); build again"])
        return result

    @contextlib.contextmanager
    def held_parts_on(self, contents):
        """What the held pages' drawing needs (their HTML, outline, history and sign-off status) put on them
        while they are drawn or listed in a feed, and let go after: the build holds that of a
        few pages at a time, not of every page."""
        held = [(c, c.medical) for c in contents if c in self.held]
        for content, facts in held:
            result = self.kept_result(content)
            content._content = result.html
            content.medical = dataclasses.replace(facts, outline=result.outline, history=result.history,
                                                  sign_off=result.sign_off)
        try:
            yield
        finally:
            for content, facts in held:
                content._content, content.medical = work.IN_CACHE, facts

    def share(self, value):
        """The build's one copy of `value`: what every page keeps recurs from page to page."""
        return self.shared.setdefault(value, value)

    def finish_reading(self, generators) -> None:
        site = self.site
        self.work_pages()
        for generator in generators:
            if getattr(generator, "env", None) is not None:
                generator.env.globals.update(language_pages.navigation(generators, site.interface))
        self.problems += site_checks.translation_problems(self, generators)
        self.problems += site_checks.fill_references_pages(self)
        contents = site_checks.all_content(self, generators)
        self.problems += site_checks.link_and_address_problems(self, contents)
        if site.history.raw:
            self.problems += site.history.unknown_pages(self.history_keys)
        self.problems += site_files.address_problems(contents, generators, site.settings, site.label)
        self.problems += site_checks.retraction_problems(self)
        every_grid = [(site.interface.default, g) for g in site.grids.values()] + [
            (lang, g) for lang, grids in sorted(site.translated_grids.items()) for g in grids.values()]
        self.problems += placement.grid_problems(
            every_grid, contents, site_checks.read_source,
            lambda lang, grid: site.label(str(site.grid_file(grid.slug, lang))))
        self.problems += site.signoffs.publishing_problems()  # production: reviewed and stated
        self.records.clear()  # needed only for the checks: freed before writing
        if self.problems:
            raise ContentError(list(dict.fromkeys(self.problems)))
        if self.cache is not None:
            self.drawn_digest = page_cache.digest(self.cache.shared, writer.outlines_digest(contents),
                                                  language_pages.navigation(generators, site.interface))

    def finished(self) -> None:
        """The site is written: one summary of the reading grades; the pages are let go."""
        self.stop_pool()
        self.references_pages, self.keys, self.held = [], {}, set()
        if self.grades:
            summary, details = readability.summary(self.grades)
            log.info("%s", summary, extra={"report": True, "details": details})
        if self.cache is not None:
            self.cache.tidy()
            log.info("Reused from earlier builds: %d of %d pages' checks, %d of %d drawn pages",
                     self.reused["read"], self.reused["read_of"], self.reused["drawn"], self.reused["drawn_of"],
                     extra={"report": True})


def forget_drawn_content(sender, content=None) -> None:
    """Pelican memoizes every page's HTML with its links resolved, for the whole process; it is
    needed only while that page is drawn. Forgotten before each page is drawn, a build holds one
    such copy instead of one per page (and the live preview holds none from earlier builds)."""
    pelican.contents.Content.__dict__["get_content"].cache.clear()


class MedicalContent:
    """The plugin for one Pelican run. Pelican calls `register()` for each run, so each run
    has one; the handlers are held by the signals (not weakly), and sitebuild disconnects them
    before the next build."""

    def __init__(self):
        self.build: Build | None = None

    def initialized(self, pelican_run) -> None:
        self.build = Build(pelican_run.settings)

    def generator_init(self, generator) -> None:
        templates.theme_only(generator, self.build.site if self.build else None)

    def get_generators(self, pelican_run):
        """Pages no editor writes: each other language's home, 404 and lists, and the printable
        page of each option grid (a generator class of this build's own, as Pelican makes its
        generators from classes)."""
        if self.build is None:
            return []
        return [language_pages.LanguagePages, compare_pages.for_build(self.build.site)]

    def get_writer(self, pelican_run):
        return writer.for_build(self.build) if self.build is not None else None

    def readers_init(self, readers) -> None:
        """Our Markdown reader: it refuses the files the pre-read found unreadable, and keeps
        what Markdown made of each file in the cache (pages/reader.py)."""
        if self.build is not None:
            reader.install(readers, self.build.site.unreadable, self.build.cache)

    def content_object_init(self, content) -> None:
        if self.build is not None:
            self.build.page_read(content)

    def all_generators_finalized(self, generators) -> None:
        if self.build is not None:
            self.build.finish_reading(generators)

    def finalized(self, pelican_run) -> None:
        if self.build is not None:
            self.build.finished()


def register() -> None:
    plugin = MedicalContent()
    for signal, handler in (
        (signals.initialized, plugin.initialized),
        (signals.generator_init, plugin.generator_init),
        (signals.get_generators, plugin.get_generators),
        (signals.get_writer, plugin.get_writer),
        (signals.readers_init, plugin.readers_init),
        (signals.finalized, plugin.finalized),
        (signals.content_object_init, plugin.content_object_init),
        (signals.all_generators_finalized, plugin.all_generators_finalized),
    ):
        signal.connect(handler, weak=False)
    signals.article_generator_write_article.connect(forget_drawn_content)
    signals.page_generator_write_page.connect(forget_drawn_content)

