"""Process tier. A cold build on two processors (plugins/medical_content/parallel.py) gives, byte for byte
and problem for problem, what a build on one processor gives, and leaves nothing behind."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PINNED_TODAY, ROOT, SITE_URL
from medical_content import parallel

sys.path.insert(0, str(ROOT / "bench"))
from corpus import make_corpus  # noqa: E402
from run import settings_files  # noqa: E402


def test_this_machine_can_build_on_two_processors():
    # CI machines have two; without them the tests below would compare one build with itself.
    assert len(os.sched_getaffinity(0)) >= 2, "the parallel build tests need two processors"


def build(settings: Path, output: Path, parallel_on: bool, temporary: Path) -> subprocess.CompletedProcess:
    temporary.mkdir(parents=True, exist_ok=True)
    environment = {**os.environ, "PAGE_CACHE": "off", "PARALLEL_BUILD": "on" if parallel_on else "off",
                   "TMPDIR": str(temporary), "SITEURL": SITE_URL}
    return subprocess.run([sys.executable, "-m", "sitebuild", str(settings), "--output", str(output)],
                          cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600)


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def helper_counts(run: subprocess.CompletedProcess) -> str:
    return next((line for line in run.stdout.splitlines() if "second process" in line), "")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """80 articles (the real ones topped up with generated ones), with the benchmark's settings."""
    folder = tmp_path_factory.mktemp("corpus")
    content = make_corpus(folder, 80)
    return settings_files(folder, content)["ours"]


@pytest.mark.parametrize("settings", ["corpus", "production"])
def test_two_processors_build_what_one_builds(settings, corpus, tmp_path):
    settings_file = corpus if settings == "corpus" else ROOT / "publishconf.py"
    one = build(settings_file, tmp_path / "one", False, tmp_path / "tmp-one")
    two = build(settings_file, tmp_path / "two", True, tmp_path / "tmp-two")
    assert one.returncode == two.returncode == 0, one.stderr + two.stderr
    assert "second process" not in one.stdout
    # the helper did take part: it read and drew some of the articles
    counts = helper_counts(two)
    assert counts and " 0 " not in f" {counts} ", two.stdout
    first, second = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    # the helper's private folder is gone
    assert list((tmp_path / "tmp-two").iterdir()) == []


def test_problems_in_the_helpers_articles_are_reported(tmp_path):
    """Every article has a mistake: both builds fail with the same problems, naming every file."""
    content = make_corpus(tmp_path, 40)
    broken = sorted((content / "guides").glob("synthetic-*.md")) + sorted((content / "conditions").glob("synthetic-*.md"))
    assert len(broken) >= 15
    for page in broken:
        page.write_text(page.read_text().replace("Reviewed: 2026-11-01", "Reviewed: 2026-11-31"))
    settings = settings_files(tmp_path, content)["ours"]
    one = build(settings, tmp_path / "one", False, tmp_path / "tmp-one")
    two = build(settings, tmp_path / "two", True, tmp_path / "tmp-two")
    assert one.returncode == two.returncode == 1
    problems_one = sorted(line for line in one.stderr.splitlines() if line.startswith("  - "))
    problems_two = sorted(line for line in two.stderr.splitlines() if line.startswith("  - "))
    assert problems_one == problems_two
    for page in broken:
        assert any(page.name in line and "2026-11-31" in line for line in problems_two), page.name
    assert not (tmp_path / "two").exists()
    assert list((tmp_path / "tmp-two").iterdir()) == []


def test_an_item_the_helper_could_not_finish_is_left_to_the_build(tmp_path):
    build_folder = parallel.ParallelBuild()
    try:
        helper = parallel.Helper(build_folder.folder, "test")

        def claim_and_die(own: parallel.Helper):
            own.claim("finished")
            own.publish("finished", "the helper's result")
            own.claim("unfinished")
            raise RuntimeError("the helper dies half way")

        helper.start(claim_and_die)
        deadline = time.monotonic() + 30
        while not (helper.folder / (parallel._name("unfinished") + ".claim")).exists():
            assert time.monotonic() < deadline
            time.sleep(0.01)
        assert not helper.claim("finished") and not helper.claim("unfinished")
        assert helper.result("finished") == "the helper's result"
        started = time.monotonic()
        assert helper.result("unfinished") is None  # the build does it itself
        assert time.monotonic() - started < 10
        assert helper.claim("never claimed")
    finally:
        build_folder.close()
    assert not build_folder.folder.exists()
