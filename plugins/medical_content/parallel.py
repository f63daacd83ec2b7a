"""A cold build on two processors: a second process reads and draws articles too.

Pelican reads and draws one page after another, on one processor. In a cold build
(production, CI, `PAGE_CACHE=off`) most of the time is spent on guides and condition pages,
each of which depends only on itself and the site's shared inputs: exactly what the page
cache (page_cache.py) relies on. So when a build starts reading articles, it forks a helper
process that takes the articles from the other end of the list:

- reading: the helper reads and checks an article as the build would, and leaves the result
  as a page cache entry in a private folder; the build takes it from there, as a development
  build takes a kept page (same attributes, same problems, same report lines);
- drawing: the helper draws an article into the output folder; the build records the file
  as written and gives its log lines again.

Each article is claimed once, by whichever process reaches it first (a file created with
O_EXCL), so nothing is done twice. When the build reaches an article the helper claimed, it
waits for it; if the helper has died, the build does the article itself. The output is the
same, byte for byte, as a build on one process (tests/test_parallel_build.py). The helper
writes nothing but its entries and the articles' pages, prints nothing, and is gone before
the build ends; the private folder is removed with it.

On with PARALLEL_BUILD (pelicanconf.py) when the machine gives this process two or more
processors, there is no page cache and no other thread runs; `PARALLEL_BUILD=off` in the
environment turns it off.
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import logging
import os
import pickle
import shutil
import sys
import tempfile
import threading
import time
from itertools import chain
from pathlib import Path

from pelican import signals
from pelican.contents import Article
from pelican.utils import sanitised_join
from pelican.writers import Writer

from . import page_cache

log = logging.getLogger(__name__)

WAIT_STEP = 0.0005  # seconds between looks for the helper's result


def enabled(settings: dict) -> bool:
    if not page_cache.switched_on(settings, "PARALLEL_BUILD") or page_cache.enabled(settings):
        return False
    if not hasattr(os, "fork"):
        return False
    if threading.active_count() > 1:  # a fork copies no other thread, but may copy its locks
        return False
    return len(os.sched_getaffinity(0)) >= 2 if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1) >= 2


def _name(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class Helper:
    """The helper process of one build phase, as the build sees it, and the helper's own loop."""

    def __init__(self, folder: Path, phase: str):
        self.folder = folder / phase
        self.folder.mkdir()
        self.pid: int | None = None
        self.done = False  # the helper has exited

    def claim(self, item: str) -> bool:
        """True when this process is the first to take `item`."""
        try:
            os.close(os.open(self.folder / (_name(item) + ".claim"), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            return True
        except FileExistsError:
            return False

    def result_path(self, item: str) -> Path:
        return self.folder / (_name(item) + ".result")

    def publish(self, item: str, result) -> None:
        """The helper's result for `item` (None: the build must do it itself)."""
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(handle, "wb") as file:
            pickle.dump(result, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.result_path(item))

    def result(self, item: str):
        """Wait for the helper's result for an item it claimed; None when it has none or
        has died without one."""
        path = self.result_path(item)
        while True:
            try:
                with open(path, "rb") as file:
                    return pickle.load(file)
            except FileNotFoundError:
                pass
            if self.done or self._exited():
                self.done = True
                if not path.exists():
                    return None
                continue
            time.sleep(WAIT_STEP)

    def results(self) -> int:
        """How many items the helper finished."""
        return sum(1 for _ in self.folder.glob("*.result"))

    def _exited(self) -> bool:
        try:
            pid, _status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            return True
        return pid != 0

    def start(self, work) -> None:
        """Fork; the child runs `work(self)` and exits without returning to Pelican."""
        sys.stdout.flush()
        sys.stderr.flush()
        # Objects that exist now are left alone by the collector in both processes, so it
        # does not write to (and copy) memory the two still share.
        gc.freeze()
        pid = os.fork()
        if pid:
            self.pid = pid
            return
        status = 1
        try:
            _become_quiet()
            work(self)
            status = 0
        except BaseException:  # noqa: BLE001 - the build does whatever the helper did not
            pass
        finally:
            os._exit(status)

    def stop(self) -> None:
        """Wait for the helper to exit (it has nothing left once the build has all results)."""
        if self.pid is not None and not self.done:
            try:
                os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass
            self.done = True


def _become_quiet() -> None:
    """The helper prints nothing: its log lines travel with its results."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(logging.NullHandler())
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.close(null)


class ParallelBuild:
    """The two phases of one cold build: reading articles, then drawing them."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="medical-content-build-"))
        atexit.register(shutil.rmtree, self.folder, ignore_errors=True)  # a build that failed
        self.reading: Helper | None = None
        self.drawing: Helper | None = None
        self.read_by_helper = 0
        self.readings = SharedReadings(self)

    # --- reading -------------------------------------------------------------------------
    def start_reading(self, generator) -> None:
        """At the first article: the helper reads the articles from the end of the list."""
        if self.reading is not None:
            return
        self.reading = Helper(self.folder, "reading")
        files = sorted(generator.get_files(generator.settings["ARTICLE_PATHS"],
                                           exclude=generator.settings["ARTICLE_EXCLUDES"]), reverse=True)

        def read_articles(helper: Helper) -> None:
            self.readings.in_helper = True
            for path in files:
                if not helper.claim(os.path.abspath(os.path.join(generator.path, path))):
                    continue
                try:
                    generator.readers.read_file(
                        base_path=generator.path, path=path, content_class=Article,
                        context=generator.context,
                        context_signal=signals.article_generator_context, context_sender=generator,
                    )
                finally:
                    self.readings.finish(os.path.abspath(os.path.join(generator.path, path)))

        self.reading.start(read_articles)

    # --- drawing -------------------------------------------------------------------------
    def prepare_drawing(self) -> Helper:
        """At the first article drawn: the drawing helper's folder, so the build can claim
        that article before the helper exists."""
        if self.drawing is None:
            self.drawing = Helper(self.folder, "drawing")
        return self.drawing

    def start_drawing(self, generator, writer) -> None:
        """Once the build has drawn its first article, so the helper starts with the templates
        compiled: the helper draws the articles from the end of the list."""
        if self.drawing.pid is not None:
            return
        articles = list(chain(generator.translations, generator.articles,
                              generator.hidden_translations, generator.hidden_articles))

        def draw_articles(helper: Helper) -> None:
            for article in reversed(articles):
                if not helper.claim(article.save_as):
                    continue
                recorder = page_cache.WorkRecorder()
                recorder.setLevel(logging.WARNING)
                logging.getLogger().addHandler(recorder)
                try:
                    signals.article_generator_write_article.send(generator, content=article)
                    writer.draw(article.save_as, generator.get_template(article.template), generator.context,
                                relative_urls=generator.settings["RELATIVE_URLS"], article=article, category=getattr(article, "category", None),
                                override_output=hasattr(article, "override_save_as"), url=article.url,
                                blog=True)
                    helper.publish(article.save_as, recorder.lines)
                finally:
                    logging.getLogger().removeHandler(recorder)

        self.drawing.start(draw_articles)

    def finish_reading(self) -> None:
        """Every article is read: the reading helper has exited; its entries go."""
        if self.reading is not None:
            self.reading.stop()
            self.read_by_helper = self.reading.results()
            shutil.rmtree(self.readings.folder, ignore_errors=True)

    def report(self) -> None:
        """The site is written: one line on how the work was shared."""
        if self.drawing is not None:
            self.drawing.stop()
            log.info("A second process read %d and drew %d of the articles", self.read_by_helper,
                     self.drawing.results(), extra={"report": True})

    def close(self) -> None:
        """The site is written (or the build failed): the helpers are gone, and their folder."""
        for helper in (self.reading, self.drawing):
            if helper is not None:
                helper.stop()
        self.reading = self.drawing = None
        ParallelWriter.generator = None  # it holds every page: let them go with the build
        gc.unfreeze()
        shutil.rmtree(self.folder, ignore_errors=True)


class SharedReadings(page_cache.PageCache):
    """The page cache's hooks, between the build and its reading helper: the helper stores
    each article it read as an entry; the build loads it instead of reading the article."""

    def __init__(self, build: ParallelBuild):
        super().__init__(build.folder / "entries", "one build")  # one build: one set of inputs
        self.parallel = build
        self.in_helper = False

    def get_reading(self, path: str, default):
        helper = self.parallel.reading
        if self.in_helper or helper is None or helper.claim(os.path.abspath(path)):
            return super().get_reading(path, default) if self.in_helper else default
        if helper.result(os.path.abspath(path)) is None:
            return default  # the helper could not: read it here, and report what it gives
        return super().get_reading(path, default)

    def remember_reading(self, path: str, reading) -> None:
        if self.in_helper:
            super().remember_reading(path, reading)

    def store_work(self, source_path: str, work: dict) -> None:
        if self.in_helper:
            super().store_work(source_path, work)

    def finish(self, path: str) -> None:
        """In the helper: the article is done; tell the build whether an entry waits for it."""
        key = self.key(path)
        stored = key is not None and (self.folder / f"{key}.pickle").exists()
        self.parallel.reading.publish(path, stored or None)


class ParallelWriter(Writer):
    """Pelican's writer; an article the drawing helper claimed is drawn by the helper."""

    build: ParallelBuild | None = None
    generator = None  # the articles' generator, known once it starts drawing them

    def write_file(self, name, template, context, relative_urls=False, paginated=None,
                   template_name=None, override_output=False, url=None, **kwargs):
        article, parallel = kwargs.get("article"), self.build
        if (article is None or not name or parallel is None or self.generator is None
                or signals.content_written.receivers):
            return self.draw(name, template, context, relative_urls, paginated, template_name,
                             override_output, url, **kwargs)
        helper = parallel.prepare_drawing()
        if helper.claim(name):
            drawn = self.draw(name, template, context, relative_urls, paginated, template_name,
                              override_output, url, **kwargs)
            parallel.start_drawing(self.generator, self)
            return drawn
        lines = helper.result(name)
        if lines is None:  # the helper died before drawing it
            return self.draw(name, template, context, relative_urls, paginated, template_name,
                             override_output, url, **kwargs)
        path = sanitised_join(self.output_path, name)
        if override_output:  # as Writer._open_w records a file it wrote
            self._overridden_files.add(path)
        self._written_files.add(path)
        page_cache.replay(lines)
        return None

    def draw(self, *args, **kwargs):
        return super().write_file(*args, **kwargs)


def note_generator(generator, content=None) -> None:
    """The articles' generator, for the drawing helper (article_generator_write_article)."""
    ParallelWriter.generator = generator
