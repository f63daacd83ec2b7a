"""`invoke livereload` for real, on a copy of the project: it serves on 127.0.0.1, an edit
to an article appears without reloading by hand, and a broken edit keeps the last good site
while the terminal names the problem."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from corpus import copy_project  # noqa: E402



def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, seconds: float, what: str):
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
    return copy_project(tmp_path)


def test_livereload_rebuilds_on_edit_and_keeps_the_last_good_site(project):
    port = free_port()
    log = open(project / "livereload.log", "w+")
    server = subprocess.Popen(
        [sys.executable, "-m", "invoke", "livereload", "--port", str(port)],
        cwd=project, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/what-is-prp/"
    try:
        page = wait_for(lambda: fetch(url), 60, "the first build to be served")
        assert "What is PRP (platelet-rich plasma)?" in page
        assert "livereload.js" in page  # the script that makes the browser reload itself

        article = project / "content" / "guides" / "what-is-prp.md"
        text = article.read_text()
        article.write_text(text.replace("Title: What is PRP (platelet-rich plasma)?", "Title: What is PRP? Edited"))
        wait_for(lambda: "What is PRP? Edited" in fetch(url), 30, "the edit to appear")

        article.write_text(text.replace("[@dhillon2012]", "[@no-such-reference]", 1))
        log_text = lambda: (log.seek(0), log.read())[1]  # noqa: E731
        wait_for(lambda: "no-such-reference" in log_text(), 30, "the problem to be reported")
        assert "What is PRP? Edited" in fetch(url), "the last good site is no longer served"
        assert "Traceback" not in log_text()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
        log.close()
