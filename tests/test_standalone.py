"""Process tier. The project stands alone: a copy of it with nothing beside it builds, and its content
tests pass, in CI mode (where a missing file fails instead of skipping). Nothing in it may
read outside the repository, such as a shared folder next to the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def project_files() -> list[str]:
    """The files a clone of the repository has: tracked, and new ones not ignored."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}


def test_a_lone_copy_builds_and_passes_its_content_tests_in_ci_mode(tmp_path):
    lone = tmp_path / "nothing-beside" / "site"
    for name in project_files():
        (lone / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, lone / name)
    assert sorted(p.name for p in lone.parent.iterdir()) == ["site"]
    before = snapshot(lone)
    environment = {**os.environ, "CI": "true", "PYTHONDONTWRITEBYTECODE": "1"}
    build = subprocess.run([sys.executable, "-m", "invoke", "build", "--output", str(tmp_path / "out")],
                           cwd=lone, env=environment, capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stdout + build.stderr
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
                            "tests/test_content.py", "tests/test_articles.py"],
                           cwd=lone, env=environment, capture_output=True, text=True, timeout=600)
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-2000:]
    assert " passed" in tests.stdout and "skipped" not in tests.stdout, tests.stdout[-2000:]
    assert snapshot(lone) == before  # the copy's files are unchanged
    assert sorted(p.name for p in lone.parent.iterdir()) == ["site"]  # nothing written beside it
