"""Process tier. The page cache (plugins/medical_content/page_cache.py, render_cache.py) is safe: after an
edit to any kind of input, a build with the cache gives exactly what a cold build gives, byte
for byte, or the same problems; a page with a problem fails every build until it is fixed;
a damaged or foreign cache is ignored with a notice.

Each build runs as `python -m sitebuild` in a copy of the project, as `invoke build` and the
live preview run it (a fresh process reads an edited plugin or settings file). The cold build
is the same command with PAGE_CACHE=off.
"""

from __future__ import annotations

import filecmp
import os
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PINNED_TODAY, ROOT

sys.path.insert(0, str(ROOT / "bench"))
from corpus import copy_project  # noqa: E402

SETTINGS = f"""\
import os, sys
sys.path.insert(0, os.path.dirname(__file__))
from pelicanconf import *  # noqa
REVIEW_CHECK_DATE = {PINNED_TODAY!r}
"""
CACHE = Path("cache") / "medical_content-pages"
TEMPLATES = Path("cache") / "medical_content-templates"  # Jinja's compiled templates


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    folder = copy_project(tmp_path_factory.mktemp("cache") / "project")
    (folder / "cached.py").write_text(SETTINGS)
    return folder


def run_build(project: Path, output: str, cached: bool) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PAGE_CACHE": "on" if cached else "off"}
    return subprocess.run([sys.executable, "-m", "sitebuild", "cached.py", "--output", output],
                          cwd=project, env=environment, capture_output=True, text=True, check=False)


def problems(run: subprocess.CompletedProcess) -> list[str]:
    return sorted(line for line in run.stderr.splitlines() if line.startswith("  - "))


def differences(left: Path, right: Path) -> list[str]:
    """Files that differ or exist on one side only, anywhere below the two folders."""
    found = []
    compared = filecmp.dircmp(left, right)
    found += [f"only in one: {n}" for n in compared.left_only + compared.right_only]
    _match, mismatch, errors = filecmp.cmpfiles(left, right, compared.common_files, shallow=False)
    found += [str(left / n) for n in mismatch + errors]
    for name in compared.common_dirs:
        found += differences(left / name, right / name)
    return found


def assert_same_as_cold(project: Path) -> subprocess.CompletedProcess:
    warm = run_build(project, "output", cached=True)
    cold = run_build(project, "output-cold", cached=False)
    assert warm.returncode == cold.returncode, (warm.stderr[-2000:], cold.stderr[-2000:])
    assert problems(warm) == problems(cold)
    if cold.returncode == 0:
        assert differences(project / "output", project / "output-cold") == []
    return warm


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


EDITS = [  # (kind of input, file, text, replacement): each changes what a cold build makes
    # (the option grid stands for any data kind added later: all of content/data/ is in the key)
    ("page", "content/guides/what-is-prp.md", "Title: What is PRP (platelet-rich plasma)?",
     "Title: What is PRP, platelet-rich plasma?"),
    ("data file", "content/data/references.toml", 'title = "Platelet-rich plasma therapy – future or trend?"',
     'title = "Platelet-rich plasma therapy: future or trend?"'),
    ("option grid", "content/data/option-grids/after-surgery.toml",
     'intro = "For people having surgery to repair a torn rotator cuff in the shoulder.',
     'intro = "For people who are having surgery to repair a torn rotator cuff in the shoulder.'),
    ("template", "theme/templates/article.html", "{{ article.content|safe }}",
     "<!-- edited -->{{ article.content|safe }}"),
    ("macro", "theme/templates/components/key-points.html", "{% macro key_points(title, body, level=2) %}",
     "{% macro key_points(title, body, level=2) %}<!-- edited -->"),
    ("settings", "pelicanconf.py", 'CLINIC_NAME = "Foster Medical"', 'CLINIC_NAME = "Foster Medical Centre"'),
    # The schema last: it makes every page fail, and the cache must report it on every one.
    ("schema", "plugins/medical_content/schema.py", "SUMMARY_MAX_CHARS = 160", "SUMMARY_MAX_CHARS = 20"),
]


def test_each_kind_of_edit_builds_what_a_cold_build_builds(project):
    first = run_build(project, "output", cached=True)
    assert first.returncode == 0, first.stderr[-3000:]
    assert len(list((project / CACHE).glob("*.pickle"))) > 20  # the pages and their drawings
    assert_same_as_cold(project)
    for kind, relative, old, new in EDITS:
        before = (project / "output").exists() and {
            p: p.read_bytes() for p in (project / "output").rglob("*.html")}
        edit(project / relative, old, new)
        warm = assert_same_as_cold(project)
        if kind == "schema":
            assert warm.returncode == 1 and "summary" in warm.stderr.lower()
        else:
            assert warm.returncode == 0, (kind, warm.stderr[-3000:])
            after = {p: p.read_bytes() for p in (project / "output").rglob("*.html")}
            assert after != before, f"the {kind} edit changed nothing; the test would prove nothing"


def test_a_page_with_a_problem_fails_every_build_until_fixed(project):
    page = project / "content" / "guides" / "what-are-exosomes.md"
    original = page.read_text("utf-8")
    schema = project / "plugins" / "medical_content" / "schema.py"
    schema.write_text(schema.read_text("utf-8").replace("SUMMARY_MAX_CHARS = 20", "SUMMARY_MAX_CHARS = 160"), "utf-8")
    try:
        # One problem the plugin finds, one Pelican's Markdown reader warns about.
        broken = original.replace("\n\n", "\n\nTODO: finish this.\n\n", 1)
        broken = broken.replace("\nDate: ", "\nDate: 2026-01-05\nDate: ", 1)
        page.write_text(broken, "utf-8")
        runs = [run_build(project, "output", cached=True) for _ in range(2)]
        for run in runs:
            assert run.returncode == 1
            assert any("what-are-exosomes.md" in p and "TODO:" in p for p in problems(run)), run.stderr
            assert any("Duplicate definition of `date`" in p for p in problems(run)), run.stderr
        assert problems(runs[0]) == problems(runs[1])
        # Another page's edit, the problem page itself untouched and cached: still fails.
        edit(project / "content" / "guides" / "what-is-prp.md", "Title: What is PRP", "Title: What is PRP,")
        assert problems(run_build(project, "output", cached=True)) == problems(runs[0])
    finally:
        page.write_text(original, "utf-8")
    assert run_build(project, "output", cached=True).returncode == 0


def cache_report(run: subprocess.CompletedProcess) -> tuple[int, int, int, int]:
    """From the build's report: pages given by the cache, pages, drawings copied, drawings."""
    found = re.search(r"The page cache gave (\d+) of (\d+) pages and (\d+) of (\d+) drawings", run.stdout)
    assert found, run.stdout[-2000:]
    return tuple(int(n) for n in found.groups())


def test_an_unchanged_site_is_copied_and_an_edit_redoes_its_page(project):
    assert run_build(project, "output", cached=True).returncode == 0
    given, pages, copied, drawings = cache_report(run_build(project, "output", cached=True))
    assert given == pages > 20
    # Every page's drawing and every list page (home, categories, in each language) is copied;
    # only the printable option grids, one per grid file, are drawn every time.
    printable = len(list((project / "content" / "data" / "option-grids").glob("*.toml")))
    assert drawings - copied == printable > 0
    edit(project / "content" / "guides" / "what-are-exosomes.md", "Title: What are exosomes", "Title: What are exosomes,")
    given, pages_after, _copied, _drawings = cache_report(run_build(project, "output", cached=True))
    assert (given, pages_after) == (pages - 1, pages)


def test_an_option_grid_with_a_problem_fails_every_build_until_fixed(project):
    """The option grids are checked once per set of inputs and kept like a page."""
    grid = project / "content" / "data" / "option-grids" / "after-surgery.toml"
    original = grid.read_text("utf-8")
    try:
        grid.write_text(original + '\nnot_a_field = "x"\n', "utf-8")
        runs = [run_build(project, "output", cached=True) for _ in range(2)]
        for run in runs:
            assert run.returncode == 1
            assert any("after-surgery.toml" in p and "not_a_field" in p for p in problems(run)), run.stderr
        assert problems(runs[0]) == problems(runs[1])
    finally:
        grid.write_text(original, "utf-8")
    assert run_build(project, "output", cached=True).returncode == 0


def test_a_damaged_or_foreign_cache_is_ignored_with_a_notice(project):
    assert run_build(project, "output", cached=True).returncode == 0
    entries = sorted((project / CACHE).glob("*.pickle"))
    entries[0].write_bytes(b"\x80\x05 not a pickle at all")
    entries[1].write_bytes(pickle.dumps({"format": "some other tool's cache", "key": entries[1].stem}))
    entries[2].write_bytes(pickle.dumps(["a list, not an entry"]))
    compiled = sorted((project / TEMPLATES).iterdir())
    assert len(compiled) > 10  # the theme's templates and macros
    for number, path in enumerate(compiled):  # foreign, or cut off where Jinja itself fails
        path.write_bytes(b"not compiled code" if number % 2 else path.read_bytes()[:40])
    warm = assert_same_as_cold(project)
    assert warm.returncode == 0, warm.stderr[-3000:]
    assert "Ignored 3 page cache entries" in warm.stdout
    assert "unreadable" in warm.stdout and "another version" in warm.stdout
    assert "Ignored a damaged compiled template" in warm.stdout
    # Made again: the next build finds no page entry to ignore. (A damaged compiled template
    # is compiled again when a build next uses it; one only drawn into kept pages may wait.)
    again = run_build(project, "output", cached=True)
    assert again.returncode == 0 and "page cache entr" not in again.stdout


def test_production_builds_read_every_page_afresh(project):
    shutil.rmtree(project / "cache", ignore_errors=True)
    (project / "prod.py").write_text(SETTINGS.replace("from pelicanconf", "from publishconf"))
    environment = {**os.environ, "SITEURL": "https://prp.example.org"}
    environment.pop("PAGE_CACHE", None)  # as CI and `invoke preview` run it
    run = subprocess.run([sys.executable, "-m", "sitebuild", "prod.py", "--output", "output-prod"],
                         cwd=project, env=environment, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    assert not (project / "cache").exists()
