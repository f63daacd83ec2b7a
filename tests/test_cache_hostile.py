"""Build tier. The build cache under attack (plugins/medical_content/cache.py,
sitebuild/cache_folder.py): entries damaged or planted in every way a file can be (not JSON,
JSON nested too deep, metadata of the wrong kind, a folder, a pipe or a link where an entry
or a temporary file should be) never crash a build nor change its output; a cache folder
another user can write into, or one whose subfolders are links, is never used, so a build
neither writes nor tidies (deletes) anything outside it; nor where a settings file says; a
key changes with a settings function's body, a settings object's options and every library
that shapes a kept entry."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import pytest

from test_cache import REUSED, Builds, reused, same_tree


def project_folder(builds: Builds) -> Path:
    """The folder the build keeps this project's entries in (sitebuild/cache_folder.py)."""
    project = builds.content.parent.resolve()
    return builds.cache / hashlib.sha256(str(project).encode()).hexdigest()[:16]


def test_damaged_and_planted_entries_neither_crash_a_build_nor_change_it(tmp_path, monkeypatch, alarm):
    builds = Builds(tmp_path, monkeypatch)
    first = builds.run("first", cache=True)
    folder = project_folder(builds)
    markdown = sorted((folder / "markdown").iterdir())
    results = sorted((folder / "pages").iterdir())
    drawn = sorted((folder / "drawn").iterdir())
    outside = tmp_path / "outside.txt"
    outside.write_text("not the cache's")

    def entry(kind: str, value, name: str = "title") -> bytes:
        return json.dumps({"content": "<p>planted</p>", "metadata": {name: [kind, value]}}).encode()

    markdown[0].write_bytes(b"[" * 100_000)  # JSON nested deeper than Python's json can read
    markdown[1].write_bytes(entry("date", "not a date"))
    markdown[2].write_bytes(entry("date", 2026))
    markdown[3].write_bytes(entry("named", 42))
    markdown[4].write_bytes(entry("texts", 5))
    markdown[5].write_bytes(entry("text", ["not", "text"]))
    markdown[6].write_bytes(entry("names", [1, 2]))
    markdown[7].write_bytes(b"\xff\xfe not UTF-8")
    # the right JSON types, but not what Pelican makes of that name
    markdown[9].write_bytes(entry("text", "not a date", name="date"))
    markdown[10].write_bytes(entry("named", "not a date", name="date"))
    markdown[11].write_bytes(entry("date", "2026-01-02T00:00:00", name="title"))
    markdown[12].write_bytes(entry("text", "knee, hip", name="tags"))
    markdown[13].write_bytes(entry("named", "", name="category"))
    markdown[14].write_bytes(entry("names", ["a"], name="title"))
    markdown[15].write_bytes(entry("texts", ["knee"], name="tags"))
    markdown[16].write_bytes(entry("texts", ["2026-01-02"], name="date"))
    results[0].write_bytes(b"[" * 100_000)
    for path in (results[1], markdown[8], drawn[0]):  # a folder where an entry should be
        path.unlink()
        path.mkdir()
    for path in (results[2], drawn[1]):  # a pipe: nobody will ever write into it
        path.unlink()
        os.mkfifo(path)
    for path in (results[3], drawn[2]):  # gone, and the name it is written under first taken
        path.unlink()
        path.with_name(f".new-{os.getpid()}-{path.name}").mkdir()
    for path in (results[4], drawn[3]):
        path.unlink()
        path.with_name(f".new-{os.getpid()}-{path.name}").symlink_to(outside)
    results[5].unlink()  # a pipe as the temporary name: opening it to write would wait for ever
    os.mkfifo(results[5].with_name(f".new-{os.getpid()}-{results[5].name}"))
    hard_linked = tmp_path / "hard-linked.txt"  # a file elsewhere, hard linked as the temporary name
    hard_linked.write_text("someone's file")
    results[6].unlink()
    os.link(hard_linked, results[6].with_name(f".new-{os.getpid()}-{results[6].name}"))
    outside_page = tmp_path / "outside.html"
    outside_page.write_bytes(b"<!doctype html><p>planted</p>")
    drawn[4].unlink()
    drawn[4].symlink_to(outside_page)  # a link: never read through, never written through
    with drawn[5].open("r+b") as file:  # larger than any page (sparse: no room taken)
        file.truncate(65 * 1024 * 1024)
    again = builds.run("again", cache=True)
    assert not isinstance(again, list), again
    assert same_tree(first.output_path, again.output_path) == []
    assert outside.read_text() == "not the cache's"
    assert hard_linked.read_text() == "someone's file"
    assert results[5].is_file() and results[6].is_file()  # kept again, under a new temporary file
    assert outside_page.read_bytes() == b"<!doctype html><p>planted</p>"
    assert reused(again)[0] < reused(again)[1] and reused(again)[2] < reused(again)[3]


def test_a_cache_folder_others_can_write_into_or_with_linked_subfolders_is_never_used(tmp_path, monkeypatch):
    builds = Builds(tmp_path, monkeypatch)
    folder = project_folder(builds)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    old = elsewhere / "old-file.json"
    old.write_text("someone's file")
    month_ago = time.time() - 30 * 86400
    os.utime(old, (month_ago, month_ago))
    folder.mkdir(parents=True)
    (folder / "pages").symlink_to(elsewhere)  # tidy would remove its files unused for 14 days
    # and a settings file (a stranger's pull request) asks for caches of its choosing
    chosen = {"PAGE_CACHE_PATH": str(tmp_path / "chosen-page-cache"), "CACHE_PATH": str(tmp_path / "chosen-cache"),
              "CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "SITE_CACHE": str(tmp_path / "chosen-site-cache")}
    builds.overrides.update(chosen)
    linked = builds.run("linked", cache=True)
    assert not any(REUSED.match(line) for line in linked.report)
    assert [p.name for p in elsewhere.iterdir()] == ["old-file.json"]
    assert not [name for name in os.listdir(tmp_path) if name.startswith("chosen")]
    for name in chosen:
        del builds.overrides[name]

    (folder / "pages").unlink()
    for mode in (0o777, 0o775):  # anyone, or the group, could plant an entry
        folder.chmod(mode)
        shared = builds.run(f"shared-{mode:o}", cache=True)
        assert not any(REUSED.match(line) for line in shared.report), oct(mode)
        assert any("is not used" in notice and "chmod 700" in notice for notice in shared.notices), shared.notices
        assert not any(folder.rglob("*.json")), oct(mode)
    folder.chmod(0o700)
    builds.cache.chmod(0o777)  # anyone could rename the folder away and put a link in its place
    assert not any(REUSED.match(line) for line in builds.run("open-parent", cache=True).report)
    builds.cache.chmod(0o1777)  # sticky, as /tmp: only the folder's owner may rename it
    own = builds.run("own", cache=True)
    assert any(REUSED.match(line) for line in own.report)
    assert same_tree(own.output_path, linked.output_path) == []


def test_a_key_covers_what_a_settings_function_does_and_how_a_setting_object_is_made(tmp_path):
    """A settings file can hand Pelican a function (ARTICLE_ORDER_BY, JINJA_FILTERS) or an
    object (a Markdown extension made with its options): a change to the function's body, or
    to the object's options, is a change to the site, so a key must change with it."""
    import datetime
    import importlib.util

    from markdown.extensions.toc import TocExtension

    from medical_content.cache import shared_digest

    def function_in(text: str):
        module_file = tmp_path / "settingsmodule.py"
        module_file.write_text(text, encoding="utf-8")
        spec = importlib.util.spec_from_file_location("settingsmodule", module_file)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.order

    (tmp_path / "content").mkdir()
    (tmp_path / "theme").mkdir()
    today = datetime.date(2026, 12, 7)
    base = {"PATH": str(tmp_path / "content"), "THEME": str(tmp_path / "theme")}
    keys = [
        shared_digest({**base, "ARTICLE_ORDER_BY": function_in("def order(a):\n    return a.title\n")}, today),
        shared_digest({**base, "ARTICLE_ORDER_BY": function_in("def order(a):\n    return a.date\n")}, today),
        shared_digest({**base, "MARKDOWN": {"extensions": [TocExtension(toc_depth="2-3")]}}, today),
        shared_digest({**base, "MARKDOWN": {"extensions": [TocExtension(toc_depth="1")]}}, today),
    ]
    assert len(set(keys)) == len(keys)


# Pinned libraries a build imports that shape no kept entry (or whose version another one
# pins: pydantic pins pydantic_core); every other one a build imports must be in the key.
SHAPE_NO_ENTRY = {"annotated-types", "anyio", "blinker", "docutils", "feedgenerator", "ordered-set",
                  "pydantic-core", "rich", "six", "typing-inspection", "typing-extensions",
                  "watchfiles", "webencodings"}


def test_every_library_a_build_reads_pages_with_is_in_the_key(site):
    """An upgrade of a library that shapes what is kept (python-dateutil reads a page's dates,
    which the Markdown entries keep as read) must make every entry new."""
    import sys
    from importlib.metadata import packages_distributions

    from conftest import ROOT
    from medical_content.cache import LIBRARIES

    def plain(name: str) -> str:
        return name.lower().replace("_", "-")

    pinned = {plain(line.split("==")[0]) for line in (ROOT / "requirements.txt").read_text().splitlines() if "==" in line}
    distributions = packages_distributions()
    imported = {plain(d) for module in list(sys.modules) for d in distributions.get(module.split(".")[0], [])}
    assert sorted((imported & pinned) - SHAPE_NO_ENTRY - {plain(name) for name in LIBRARIES}) == []


def test_a_settings_file_cannot_point_the_data_files_outside_the_content_folder(tmp_path):
    """The data files' settings are paths in content/: one that leaves it (absolute, `..`, a
    backslash) would be read from outside the repository and outside every key. All are
    named at once, before anything is read."""
    from conftest import SETTINGS_DEV
    from sitebuild import BuildFailed, build

    bad = {"GLOSSARY": str(tmp_path / "glossary.toml"), "REVIEWERS": "../../reviewers.toml",
           "OPTION_GRIDS": "data/../../grids", "BIBLIOGRAPHY": "data\\..\\..\\references.toml",
           "SIGN_OFFS": 42, "SOURCE_CHECKS": ""}
    with pytest.raises(BuildFailed) as failed:
        build(SETTINGS_DEV, output_path=tmp_path / "out", overrides=bad)
    for name in bad:
        assert any(f": {name}: " in problem for problem in failed.value.problems), (name, failed.value.problems)
    assert not (tmp_path / "out").exists()


def test_every_data_file_setting_the_plugin_reads_is_checked():
    """A setting the plugin joins to the content folder is a data file's path: the settings
    check must know it, or a new one could lead a build outside the repository."""
    import re

    from conftest import ROOT
    from sitebuild.settings_checks import DATA_PATH_SETTINGS

    joined = re.compile(r'/ (?:self\.)?settings(?:\.get\(|\[)"([A-Z_]+)"')
    read = {name for path in (ROOT / "plugins").rglob("*.py") for name in joined.findall(path.read_text("utf-8"))}
    assert len(read) >= 8
    assert read <= set(DATA_PATH_SETTINGS), read - set(DATA_PATH_SETTINGS)


LOSING_PLUGIN = '''
from pathlib import Path
from pelican import signals

def lose(generators):
    for path in Path({folder!r}).glob("pages/*.html"):
        path.unlink()

def register():
    signals.all_generators_finalized.connect(lose)
'''


def test_a_pages_html_lost_from_the_cache_while_the_site_is_built_fails_the_build_saying_so(tmp_path, monkeypatch):
    """A build holds each page's HTML in the cache from when the page is worked until it is
    drawn (build.py, `Build.held`). Another program removing it in between (here a plugin,
    once every page is read) fails the build with a message, not a traceback or a blank page."""
    builds = Builds(tmp_path, monkeypatch)
    builds.run("first", cache=True)  # every page's result kept
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "losing.py").write_text(LOSING_PLUGIN.format(folder=str(project_folder(builds))))
    builds.overrides |= {"PLUGINS": ["medical_content", "losing"],
                         "PLUGIN_PATHS": [str(Path(__file__).parents[1] / "plugins"), str(plugins)]}
    failed = builds.run("second", cache=True)  # results read from the cache, their HTML lost before drawing
    assert isinstance(failed, list)
    assert any("the build cache lost this page's result while the site was built" in p and "content/" in p
               for p in failed), failed
    assert not (tmp_path / "second").exists()
