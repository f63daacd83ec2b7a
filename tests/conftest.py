"""Shared test fixtures: the real site, built once per session (per worker) in process, one
Chromium per session, and helpers to build small variants of it with bad input. Also the
tiers: each test module's first line starts with its tier, which becomes a marker (see
tests/README.md)."""

from __future__ import annotations

import functools
import gc
import os
import re
import signal
import socket
import subprocess
import sys
import time
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sitebuild import BuildFailed, BuildResult, browser, build
from medical_content.data import page_history
from medical_content.rules.schema import ARTICLE_TYPES
from tools import require

ROOT = Path(__file__).resolve().parents[1]
SETTINGS_DEV = ROOT / "pelicanconf.py"
SETTINGS_PROD = ROOT / "publishconf.py"
# Tests pin "today" so that a review date does not start failing them as the calendar moves.
PINNED_TODAY = "2026-12-07"  # the newest review date of the real pages, or later
# Settings for a test's own small site: "today" pinned, and no translation required, as its
# pages are written for one rule at a time (the tests of REQUIRED_TRANSLATIONS turn it on).
TEST_SITE_SETTINGS = {"REVIEW_CHECK_DATE": PINNED_TODAY, "REQUIRED_TRANSLATIONS": []}
SITE_URL = "https://prp.example.org"
HISTORY_FILE = "page-history.toml"  # content/data/; make_site writes one for its own pages


# Cheapest first. `make check` runs unit and build; `make test` runs all four.
TIERS = {
    "unit": "pure functions: no build, no other process",
    "build": "builds in this process: the shared real-site builds and small sites with bad input",
    "process": "runs commands in new processes: invoke tasks, copies of the project, Pelican's CLI",
    "browser": "Chromium, the HTML validators and Lighthouse",
}


def pytest_configure(config):
    for tier, what in TIERS.items():
        config.addinivalue_line("markers", f"{tier}: {what}")
    config.addinivalue_line("markers", "tier_missing: the module's first line names no tier")


def module_tier(module) -> str | None:
    """The tier a module's docstring names in its first line: "Build tier. ..." at its start,
    or "... Tier: build" in it."""
    first_line = (module.__doc__ or "").lstrip().split("\n", 1)[0]
    found = re.match(r"(\w+) tier\. ", first_line) or re.search(r"\bTier: (\w+)", first_line)
    return found.group(1).lower() if found and found.group(1).lower() in TIERS else None


def pytest_collection_modifyitems(config, items):
    """Each test gets its module's tier unless it is marked with another (a process test in a
    build module, say); every test of a module that names no tier fails, saying so (a usage
    error here would only stop pytest-xdist's workers, with no word of why)."""
    for item in items:
        if any(item.get_closest_marker(tier) for tier in TIERS):
            continue
        tier = module_tier(item.module)
        item.add_marker(tier or "tier_missing")


def pytest_runtest_setup(item):
    if item.get_closest_marker("tier_missing"):
        pytest.fail(f"{item.module.__name__}: the module's first line must name its tier: start it with "
                    f"{', '.join(t.title() + ' tier.' for t in TIERS)}", pytrace=False)


# No page of today's content is signed off, so a production build publishes only as a draft
# (banner, noindex, Disallow); tests/test_signoff.py turns this off to test the refusal.
os.environ["PUBLISH_DRAFT"] = "true"


@pytest.fixture(scope="session", autouse=True)
def own_cache(tmp_path_factory):
    """Each test process keeps its builds' cache in a folder of its own, not the user's
    (sitebuild/cache_folder.py): builds of the same content within a session reuse it."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SITE_CACHE", str(tmp_path_factory.mktemp("cache")))
    yield
    mp.undo()


@pytest.fixture(autouse=True)
def earlier_tests_set_aside_from_the_garbage_collector():
    """What the session holds when a test starts (built sites, parsed pages) is set aside from
    the garbage collector: a build ends with a full collection (sitebuild._forget_pages), which
    otherwise walks the whole session's heap, a third of `make check`'s time. A build of the
    test still frees its own pages: they were made after."""
    gc.freeze()
    yield


@dataclass(eq=False)  # hashable, so soup() can be cached per site
class Site:
    """A built site and easy access to its pages."""

    result: BuildResult

    @property
    def root(self) -> Path:
        return self.result.output_path

    @property
    def pages(self) -> list[str]:
        return self.result.pages

    @functools.cache
    def soup(self, page: str) -> BeautifulSoup:
        return BeautifulSoup((self.root / page).read_text(encoding="utf-8"), "lxml")

    def article_pages(self, lang: str | None = None) -> list[str]:
        """Pages drawn with the article template (they carry review dates), in every
        language or only in `lang`."""
        return [p for p in self.pages if self.soup(p).select_one(".app-review-date")
                and lang in (None, self.soup(p).html.get("lang"))]


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Site:
    """The real site with development settings."""
    output = tmp_path_factory.mktemp("site") / "output"
    return Site(build(SETTINGS_DEV, output_path=output, overrides={"REVIEW_CHECK_DATE": PINNED_TODAY}))


@pytest.fixture(scope="session")
def production_site(tmp_path_factory) -> Site:
    """The real site with production settings and an absolute address."""
    output = tmp_path_factory.mktemp("production") / "output"
    mp = pytest.MonkeyPatch()
    mp.setenv("SITEURL", SITE_URL)
    try:
        result = build(SETTINGS_PROD, output_path=output, overrides={"REVIEW_CHECK_DATE": PINNED_TODAY})
    finally:
        mp.undo()
    return Site(result)


def output_of(source: Path) -> str:
    """The built page of a Markdown source: name.md is name/index.html, and its translation
    name.es.md is es/name/index.html (addresses come from file names, README)."""
    name, *lang = source.name.removesuffix(".md").split(".")
    return "/".join([*lang, name, "index.html"])


def add_real_data(content: Path, own_history: bool = False) -> None:
    """Give a test's content folder the real data files (bibliography, evidence, glossary,
    grids...), keeping any the test wrote itself, and a page history naming its own pages:
    the real history names the real pages only."""
    real = ROOT / "content" / "data"
    for data_file in sorted(real.glob("*.toml")):  # not the option grids: their pages are not here
        target = content / "data" / data_file.relative_to(real)
        if data_file.name == HISTORY_FILE or target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(data_file, target)
    history = content / "data" / HISTORY_FILE
    if not own_history:  # written anew, so a second build in one folder covers its new pages
        history.parent.mkdir(parents=True, exist_ok=True)
        history.write_text(page_history.first_published_history(content, ARTICLE_TYPES), "utf-8")


@pytest.fixture
def make_site(tmp_path):
    """Build a site from the given content files (path under content/ -> text) with the real
    theme and plugins; the real data files (bibliography, evidence, glossary) are used
    unless the test gives its own, and the page history gives each of its guide and
    condition pages one "First published." entry."""

    def make(files: dict[str, str | bytes], **overrides) -> BuildResult:
        return build_small_site(tmp_path, files, **overrides)

    return make


def build_small_site(folder: Path, files: dict[str, str | bytes], **overrides) -> BuildResult:
    """What make_site builds, in `folder`: for a module-scoped site that many tests read (one
    build holding one broken file per rule proves every rule at once)."""
    content = folder / "content"
    for relative, text in files.items():
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    add_real_data(content, own_history=f"data/{HISTORY_FILE}" in files)
    settings = {"PATH": str(content), **TEST_SITE_SETTINGS, **overrides}
    return build(SETTINGS_DEV, output_path=folder / "output", overrides=settings)


def problems_of_one_build(folder: Path, files: dict[str, str | bytes], **overrides) -> list[str]:
    """The problems of a small site that must fail to build (every file's, at once)."""
    try:
        build_small_site(folder, files, **overrides)
    except BuildFailed as failure:
        return failure.problems
    raise AssertionError("the build passed, but it holds broken files")


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole session (per worker): each test opens its own
    context, so tests share the process but no state."""
    require(browser.chromium_available(), f"Chromium is not installed at {browser.CHROMIUM} (apt-get install chromium)")
    with browser.chromium() as chromium:
        yield chromium


@pytest.fixture(scope="session")
def served(site):
    """The development build served at http://127.0.0.1:<free port>/ for the session."""
    with browser.serve(site.root) as base:
        yield base


# The live preview, for the tests that run `invoke livereload` (test_livereload,
# test_hostile_preview).

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, seconds: float, what: str):
    """Poll `predicate` until it gives a true value (a server's answer has no event to wait on)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if value := predicate():
                return value
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"timed out after {seconds} s waiting for {what}")


@pytest.fixture
def project(tmp_path):
    """A copy of the project (bench/corpus.py's copy_project)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import copy_project

    return copy_project(tmp_path)


@pytest.fixture
def livereload_server(project):
    """`invoke livereload` on the project copy: yields (base address, log reader)."""
    port = free_port()
    log = open(project / "livereload.log", "w+")
    server = subprocess.Popen(
        [sys.executable, "-m", "invoke", "livereload", "--port", str(port)],
        cwd=project, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        yield f"http://127.0.0.1:{port}/", lambda: (log.seek(0), log.read())[1]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
        log.close()


@pytest.fixture
def alarm():
    """A test that could wait for ever (a pipe planted where a cache entry should be) fails after
    60 s instead."""
    def stop(*_):
        raise TimeoutError("the test waited on a planted entry")
    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)
