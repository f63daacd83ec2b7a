"""Build tier. What a build keeps for the next (plugins/medical_content/cache.py,
sitebuild/cache_folder.py): after each kind of edit, a build that reuses the cache writes
byte for byte the site a build without it writes, and reports the same problems; entries are
data (JSON and HTML), never pickles, kept outside the project; a damaged entry is worked out
again; a cache folder inside the project, or through a link, is never used."""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PINNED_TODAY, ROOT, SETTINGS_DEV, SETTINGS_PROD, SITE_URL
from sitebuild import BuildFailed, build

REUSED = re.compile(r"Reused from earlier builds: (\d+) of (\d+) pages' checks, (\d+) of (\d+) drawn pages")


def same_tree(one: Path, other: Path) -> list[str]:
    """Files that differ or exist on one side only (empty: the same site)."""
    found = []

    def walk(compared, where=""):
        found.extend(f"{where}{n}" for n in compared.left_only + compared.right_only + compared.diff_files)
        found.extend(f"{where}{n}" for n in compared.funny_files)
        for name, sub in compared.subdirs.items():
            walk(sub, f"{where}{name}/")

    walk(filecmp.dircmp(one, other, ignore=[]))
    # dircmp compares by size and date first: look at the bytes of the rest too
    for path in one.rglob("*"):
        other_path = other / path.relative_to(one)
        if path.is_file() and other_path.is_file() and path.read_bytes() != other_path.read_bytes():
            found.append(str(path.relative_to(one)))
    return sorted(set(found))


class Builds:
    """The real content, copied, built with the cache and without it."""

    def __init__(self, folder: Path, monkeypatch):
        self.folder, self.monkeypatch = folder, monkeypatch
        self.content = folder / "project" / "content"
        shutil.copytree(ROOT / "content", self.content)
        self.cache = folder / "cache"
        self.overrides = {"PATH": str(self.content), "REVIEW_CHECK_DATE": PINNED_TODAY}

    def run(self, name: str, cache: bool):
        self.monkeypatch.setenv("SITE_CACHE", str(self.cache) if cache else "off")
        try:
            return build(SETTINGS_DEV, output_path=self.folder / name, overrides=self.overrides)
        except BuildFailed as failure:
            return failure.problems

    def both(self, step: str):
        """(warm result, cold result) of the same content."""
        return self.run(f"{step}-warm", cache=True), self.run(f"{step}-cold", cache=False)

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.content / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, (relative, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def reused(result) -> tuple[int, int, int, int]:
    line = next(line for line in result.report if REUSED.match(line))
    return tuple(map(int, REUSED.match(line).groups()))


def test_a_build_from_the_cache_is_the_build_without_it_after_every_kind_of_edit(tmp_path, monkeypatch):
    builds = Builds(tmp_path, monkeypatch)
    first = builds.run("first", cache=True)  # a cold build: the cache starts empty
    read, read_of, drawn, drawn_of = reused(first)
    assert read == drawn == 0 and read_of > 30 and drawn_of > 30

    again = builds.run("again", cache=True)
    assert reused(again) == (read_of, read_of, drawn_of, drawn_of)
    assert same_tree(first.output_path, again.output_path) == []

    builds.edit("guides/what-is-prp.md", "- How long will the visit take, and can I drive home afterwards?",
                "- How long will the visit take? Can I drive home afterwards?")
    warm, cold = builds.both("text")
    assert same_tree(warm.output_path, cold.output_path) == []
    assert reused(warm) == (read_of - 1, read_of, drawn_of - 1, drawn_of)  # that page alone, again

    # Blank lines change no HTML, but a page's sign-off rests on its file's bytes: checked and
    # drawn again
    path = builds.content / "guides" / "what-are-exosomes.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    warm = builds.run("blank-lines", cache=True)
    assert reused(warm) == (read_of - 1, read_of, drawn_of - 1, drawn_of)
    assert same_tree(warm.output_path, cold.output_path) == []

    # A title is in every page's navigation: every page is drawn again, one is checked again
    builds.edit("guides/side-effects-and-risks.md", "Title: Side effects and risks of PRP and exosome treatments",
                "Title: Side effects and risks of PRP and exosome care")
    warm, titled = builds.both("title")
    assert same_tree(warm.output_path, titled.output_path) == []
    assert warm.notices == titled.notices and warm.details == titled.details
    assert reused(warm) == (read_of - 1, read_of, 0, drawn_of)

    builds.edit("guides/what-is-prp.md", "- Who will give the injection", "- PRP cures knee pain for good. Who will give the injection")
    warm, cold = builds.both("broken")
    assert isinstance(cold, list) and any("cures" in p for p in cold)
    assert warm == cold  # the same problems, in the same order

    builds.edit("guides/what-is-prp.md", "- PRP cures knee pain for good. Who will give the injection", "- Who will give the injection")
    put_right = builds.run("put-right", cache=True)  # the content of the title step again
    assert same_tree(put_right.output_path, titled.output_path) == []


def test_a_file_linked_with_static_and_a_warning_while_drawing_are_the_same_with_the_cache(tmp_path, monkeypatch):
    """Pelican copies a file a page links with {static} or {attach} as soon as it has read the
    page, from its HTML: a page whose HTML waits in the cache must have it then. A page whose
    drawing warned (which fails the build) is not kept: the next build warns again."""
    builds = Builds(tmp_path, monkeypatch)
    page = builds.content / "guides" / "what-is-prp.md"
    text = page.read_text(encoding="utf-8")
    for link in ("{static}/data/references.toml", "{attach}../data/evidence.toml"):
        page.write_text(text + f"\nSee [the list]({link}).\n", encoding="utf-8")
        cold, uncached = builds.run(f"{link[1:7]}-cold", cache=True), builds.run(f"{link[1:7]}-off", cache=False)
        warm = builds.run(f"{link[1:7]}-warm", cache=True) if not isinstance(uncached, list) else cold
        for cached in (cold, warm):
            if isinstance(uncached, list):
                assert cached == uncached
            else:
                assert not isinstance(cached, list), cached
                assert same_tree(cached.output_path, uncached.output_path) == []

    page.write_text(text + "\nSee [the list]({filename}/data/references.toml).\n", encoding="utf-8")
    uncached = builds.run("warned-off", cache=False)
    assert isinstance(uncached, list) and any("references.toml" in problem for problem in uncached)
    assert builds.run("warned-cold", cache=True) == uncached
    assert builds.run("warned-again", cache=True) == uncached  # the drawn page was not kept


def test_what_a_result_rests_on_changes_its_key(tmp_path):
    """Every data file, picture and page name, the theme and the settings are in the digest
    every key starts from; a page's own text is not (only its own key has it)."""
    from medical_content.cache import shared_digest

    project = tmp_path / "project"
    for part in ("content", "theme"):
        shutil.copytree(ROOT / part, project / part)
    settings = {"PATH": str(project / "content"), "THEME": str(project / "theme"), "SITENAME": "A"}
    today = __import__("datetime").date(2026, 12, 7)
    first = shared_digest(settings, today)
    assert shared_digest(dict(settings), today) == first
    (project / "content" / "guides" / "what-is-prp.md").write_text("changed", encoding="utf-8")
    assert shared_digest(settings, today) == first
    # where a build writes and how many processes it uses change no page
    for unseen in ({"PAGE_PROCESSES": 1}, {"PAGES_PER_PROCESS": 5}, {"OUTPUT_PATH": "/elsewhere"}):
        assert shared_digest({**settings, **unseen}, today) == first, unseen
    changes = [
        lambda: (project / "content" / "data" / "glossary.toml").write_text("changed"),
        lambda: (project / "content" / "guides" / "new-page.md").write_text("x"),
        lambda: (project / "theme" / "templates" / "article.html").write_text("changed"),
        lambda: next((project / "theme" / "translations").rglob("*.po")).write_text("changed"),
        lambda: settings.update(SITENAME="B"),
        lambda: settings.update(JINJA_FILTERS={"x": str.upper}),
    ]
    seen = {first}
    for change in changes:
        change()
        digest = shared_digest(settings, today)
        assert digest not in seen
        seen.add(digest)
    assert shared_digest(settings, today.replace(day=8)) not in seen


def test_entries_are_data_kept_outside_the_project_a_damaged_one_is_worked_out_again_and_old_ones_go(tmp_path, monkeypatch):
    builds = Builds(tmp_path, monkeypatch)
    first = builds.run("first", cache=True)
    files = [p for p in builds.cache.rglob("*") if p.is_file()]
    results = [p for p in files if p.parent.name == "pages" and p.suffix == ".json"]
    results_html = [p for p in files if p.parent.name == "pages" and p.suffix == ".html"]
    markdown = [p for p in files if p.parent.name == "markdown"]
    drawn = [p for p in files if p.parent.name == "drawn"]
    assert results and markdown and drawn and len(results_html) == len(results)
    assert len(files) == len(results) + len(results_html) + len(markdown) + len(drawn)
    for path in results + markdown:
        json.loads(path.read_bytes())  # JSON, nothing else
    assert all(p.read_bytes().startswith(b"<!doctype html>") for p in drawn)
    assert all(p.with_suffix(".json") in results and not p.read_bytes().startswith(b"<!doctype") for p in results_html)
    assert not [p for p in (tmp_path / "project").rglob("*") if p.suffix == ".json" or p.name == "drawn"]

    for path in results[:5]:
        path.write_bytes(b'{"problems": "not a list"')  # cut short: not even JSON
    for path in results[5:10]:
        path.write_text(json.dumps({"html": 42}))  # JSON, but not a page's result
    for path in markdown[:3]:
        path.write_text(json.dumps({"content": "<p>x</p>", "metadata": {"title": "not a pair"}}))
    for path in markdown[3:6]:
        path.write_text(json.dumps({"content": "<p>x</p>", "metadata": {"title": ["a kind it does not know", "x"]}}))
    results[10].with_suffix(".html").unlink()  # a result whose HTML is gone
    results[11].with_suffix(".html").write_bytes(b"<p>\xff\xfe not UTF-8</p>")
    planted = json.loads(results[12].read_text())
    results[12].write_text(json.dumps(planted | {"html": "<p>planted</p>"}))  # HTML in the JSON
    # tidy: entries a build reads are marked used; those no build has used for two weeks go
    month_ago = time.time() - 30 * 86400
    for path in files:
        if path.exists():
            os.utime(path, (month_ago, month_ago))
    unused = [files[0].with_name("0" * 64 + files[0].suffix), files[-1].with_name("f" * 64 + files[-1].suffix)]
    for path in unused:
        path.write_bytes(files[0].read_bytes())
        os.utime(path, (month_ago, month_ago))
    again = builds.run("again", cache=True)
    assert reused(again)[0] == reused(again)[1] - 13
    assert same_tree(first.output_path, again.output_path) == []
    assert not any(path.exists() for path in unused)
    assert all(p.exists() and p.stat().st_mtime > time.time() - 3600 for p in files)  # read, or worked out again


@pytest.mark.parametrize("where", ["inside", "link"])
def test_a_cache_folder_inside_the_project_or_through_a_link_is_never_used(tmp_path, monkeypatch, where):
    builds = Builds(tmp_path, monkeypatch)
    if where == "inside":
        builds.cache = tmp_path / "project" / "cache"
    else:
        real = tmp_path / "elsewhere"
        real.mkdir()
        builds.cache = tmp_path / "link"
        builds.cache.symlink_to(real)
    result = builds.run("out", cache=True)
    assert not any(REUSED.match(line) for line in result.report)
    assert not [p for p in (tmp_path / "project").rglob("*") if p.is_file() and p.suffix in (".json", ".html")]
    if where == "link":
        assert list((tmp_path / "elsewhere").iterdir()) == []


@pytest.mark.process  # it runs sitebuild in new processes
def test_pages_worked_in_two_processes_make_the_site_one_process_makes(tmp_path):
    """A fresh process, as `invoke build` runs (a test process has other threads, and the build
    then works every page itself); a grid that reads too hard fails it there too."""
    content = tmp_path / "project" / "content"
    shutil.copytree(ROOT / "content", content)
    outputs = {}
    for processes in (1, 2):
        settings = tmp_path / f"settings-{processes}.py"
        settings.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
                            f"PATH = {str(content)!r}\nTHEME = {str(ROOT / 'theme')!r}\n"
                            f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\nREVIEW_CHECK_DATE = {PINNED_TODAY!r}\n"
                            f"PAGE_PROCESSES = {processes}\nPAGES_PER_PROCESS = 5\n")
        outputs[processes] = tmp_path / f"out-{processes}"
        done = subprocess.run([sys.executable, "-m", "sitebuild", str(settings), "--output", str(outputs[processes])],
                              cwd=ROOT, capture_output=True, text=True, env={**os.environ, "SITE_CACHE": "off"})
        assert done.returncode == 0, done.stdout + done.stderr
        assert ("in 2 processes" in done.stdout + done.stderr) == (processes == 2)
    assert same_tree(outputs[1], outputs[2]) == []
    # the option grids' reading is checked in a worker too (SiteInputs.grid_reading_problems)
    from test_option_grids import LONG_WORDS, QUESTION_KEYS, SAMPLE
    hard = SAMPLE
    for key in QUESTION_KEYS:
        hard = hard.replace(f"A short plain answer about {key}, with its source", LONG_WORDS, 1)
    (content / "data" / "option-grids" / "test-grid.toml").write_text(hard, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "sitebuild", str(tmp_path / "settings-2.py"), "--output",
                           str(tmp_path / "out-hard")], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "SITE_CACHE": "off"})
    assert done.returncode == 1  # (a failed build prints no report lines, so not "in 2 processes")
    assert "content/data/option-grids/test-grid.toml: option 'wait': the answers read at US grade" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_what_markdown_made_of_a_file_comes_back_the_same_from_the_cache(tmp_path):
    """Every kind of metadata value Pelican's Markdown reader gives (text, dates, a category,
    tags, authors, lists, a formatted summary) is kept as data and comes back equal; a file
    whose reading warned is not kept."""
    import datetime

    from medical_content.cache import Cache
    from medical_content.pages.reader import OurMarkdownReader
    from sitebuild import load_settings

    page = tmp_path / "content" / "guides" / "x.md"
    page.parent.mkdir(parents=True)
    settings = load_settings(SETTINGS_DEV, {"PATH": str(tmp_path / "content")})
    page.write_text("Title: A page\nDate: 2026-01-02\nModified: 2026-02-03 10:20\nTags: knee, hip\n"
                    "Author: A. Writer\nAuthors: One, Two\nCategory: guides\nSummary: Some *words*.\n"
                    "Keywords: a\n    b\n\nBody *text*.\n", encoding="utf-8")
    warned = tmp_path / "content" / "guides" / "y.md"
    warned.write_text("Title: One\nDate: 2026-01-02\nDate: 2026-01-03\n\nBody.\n", encoding="utf-8")
    cache = Cache(tmp_path / "cache", "digest")
    for sub in ("markdown", "pages", "drawn"):
        (tmp_path / "cache" / sub).mkdir(parents=True)
    reader = type("Reader", (OurMarkdownReader,), {"cache": cache})
    first = reader(settings).read(str(page))
    assert len(list((tmp_path / "cache" / "markdown").iterdir())) == 1
    again = reader(settings).read(str(page))
    assert again == first and isinstance(again[1]["date"], datetime.datetime)
    assert [type(t).__name__ for t in again[1]["tags"]] == ["Tag", "Tag"] and str(again[1]["category"]) == "guides"
    reader(settings).read(str(warned))  # Pelican warns of the second date: read again next time
    assert len(list((tmp_path / "cache" / "markdown").iterdir())) == 1


def test_a_second_production_build_in_one_process_reuses_the_first(tmp_path, monkeypatch):
    """publishconf.py imports pelicanconf.py, which stays in Python's module cache; Pelican
    changes its MARKDOWN setting in place. Each build works on its own copy of the settings, so
    the next build's keys are the same."""
    monkeypatch.delitem(sys.modules, "pelicanconf", raising=False)  # as in a new process
    monkeypatch.setenv("SITEURL", SITE_URL)
    monkeypatch.setenv("SITE_CACHE", str(tmp_path / "cache"))
    for name in ("first", "second"):
        result = build(SETTINGS_PROD, output_path=tmp_path / name, overrides={"REVIEW_CHECK_DATE": PINNED_TODAY})
    read, read_of, drawn, drawn_of = reused(result)
    assert (read, drawn) == (read_of, drawn_of) and read_of > 30
