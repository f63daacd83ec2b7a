"""Process tier. Interrupted builds leave nothing behind (sitebuild owns the output swap): a stop signal is
handled like Ctrl-C, and after a SIGKILL, which no process can handle, the next build removes
what the killed one left, never a folder another build is writing, nor anything through a
link. The real site is built in a fresh process each time."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT


def start_build(output: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "sitebuild", "pelicanconf.py", "--output", str(output)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_staging(folder: Path, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while not any(p.name.startswith(".output-building-") for p in folder.iterdir()):
        assert time.monotonic() < deadline, "the build made no staging folder"
        time.sleep(0.02)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_stop_signal_leaves_the_last_good_site_and_no_folders(tmp_path, stop):
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("the last good site")
    process = start_build(output)
    wait_for_staging(tmp_path)
    time.sleep(0.3)  # reading and checking pages
    process.send_signal(stop)
    stdout, stderr = process.communicate(timeout=120)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"], (stdout, stderr)
    if process.returncode != 0:  # it may have finished just before the signal came
        assert process.returncode == 130 and "interrupted" in stderr and "Traceback" not in stderr, stderr
        assert [p.name for p in output.iterdir()] == ["index.html"]
        assert (output / "index.html").read_text() == "the last good site"


def test_the_next_build_removes_what_a_killed_build_left(tmp_path):
    output = tmp_path / "output"
    process = start_build(output)
    wait_for_staging(tmp_path)
    process.kill()
    process.communicate(timeout=60)
    left = [p for p in tmp_path.iterdir() if p.name.startswith(".output-building-")]
    assert left  # SIGKILL: nothing could tidy up
    retired = tmp_path / ".output-old-abc123"  # killed while removing the site it replaced
    (retired / "guide").mkdir(parents=True)
    (retired / "guide" / "index.html").write_text("old")

    # Beside them: a folder another build is writing (it holds the lock), and links by the
    # leftover names, one to a folder of someone else's files.
    busy = tmp_path / ".output-building-busy"
    busy.mkdir()
    holder = os.open(busy, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(holder, fcntl.LOCK_EX)
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "keep.txt").write_text("keep")
    (tmp_path / ".output-building-link").symlink_to(precious)
    (tmp_path / ".output-old-link").symlink_to(precious)
    try:
        run = subprocess.run([sys.executable, "-m", "sitebuild", "pelicanconf.py", "--output", str(output)],
                             cwd=ROOT, capture_output=True, text=True, timeout=300)
    finally:
        os.close(holder)
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".output-building-busy", ".output-building-link", ".output-old-link", "output", "precious"]
    assert (precious / "keep.txt").read_text() == "keep"
    assert (output / "what-is-prp" / "index.html").is_file()
