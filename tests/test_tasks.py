"""Process tier. The Invoke tasks, run as a user runs them: a new process, exit code and messages."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, SITE_URL
from medical_content.rules import schema

QUICKSTART_TASKS = ["clean", "build", "rebuild", "regenerate", "serve", "reserve", "preview", "livereload", "publish"]
OUR_TASKS = ["new", "test", "check", "screenshots", "reviews", "sources"]
CONFIG_VARIABLES = ("SITEURL", "PUBLISH_SSH_HOST", "PUBLISH_SSH_PATH", "PUBLISH_SSH_USER", "PUBLISH_SSH_PORT")


def invoke(*args, env=None, **kwargs):
    environment = {k: v for k, v in os.environ.items() if k not in CONFIG_VARIABLES}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120, **kwargs,
    )


def test_every_task_is_there():
    listing = invoke("--list")
    assert listing.returncode == 0, listing.stderr
    names = {line.split()[0] for line in listing.stdout.splitlines()[1:] if line.strip()}
    assert set(QUICKSTART_TASKS + OUR_TASKS) <= names


def test_build_writes_the_site(tmp_path):
    run = invoke("build", "--output", str(tmp_path / "out"))
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "out" / "index.html").exists()
    assert "Built" in run.stdout


def test_preview_builds_with_absolute_addresses(tmp_path):
    run = invoke("preview", "--output", str(tmp_path / "out"), env={"SITEURL": SITE_URL})
    assert run.returncode == 0, run.stderr
    soup = BeautifulSoup((tmp_path / "out" / "what-is-prp" / "index.html").read_text(), "lxml")
    assert soup.find("link", rel="stylesheet")["href"] == f"{SITE_URL}/theme/css/site.css"


@pytest.mark.parametrize("value", ["", "http://insecure.example.org", "prp.example.org"])
def test_preview_without_a_valid_siteurl_says_what_to_set(tmp_path, value):
    run = invoke("preview", "--output", str(tmp_path / "out"), env={"SITEURL": value} if value else {})
    assert run.returncode != 0
    assert "SITEURL" in run.stderr and "https://" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert not (tmp_path / "out").exists()


def test_publish_without_configuration_fails_cleanly():
    run = invoke("publish")
    assert run.returncode != 0
    for name in ("SITEURL", "PUBLISH_SSH_HOST", "PUBLISH_SSH_PATH"):
        assert name in run.stderr
    assert "Traceback" not in run.stderr + run.stdout


@pytest.mark.parametrize("kind", [name for name, t in schema.CONTENT_TYPES.items()])
def test_new_creates_a_page_with_every_required_field_and_section(tmp_path, kind):
    run = invoke("new", "--title", "Does PRP help?", "--kind", kind, "--content", str(tmp_path))
    assert run.returncode == 0, run.stderr
    ctype = schema.CONTENT_TYPES[kind]
    path = tmp_path / ctype.folder / "does-prp-help.md"
    text = path.read_text()
    assert text.startswith("Title: Does PRP help?\n")
    for field in ctype.fields:
        assert f"\n{field.name}: " in "\n" + text
    for section in ctype.sections:
        assert f"\n## {section.title}\n" in text
    for component in ctype.components:
        assert f'!!! {component.name} "{component.default_title}"' in text
    again = invoke("new", "--title", "Does PRP help?", "--kind", kind, "--content", str(tmp_path))
    assert again.returncode != 0 and "already exists" in again.stderr
    assert path.read_text() == text


def test_new_rejects_an_unknown_kind(tmp_path):
    run = invoke("new", "--title", "X", "--kind", "blog", "--content", str(tmp_path))
    assert run.returncode != 0 and "guide" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_page_from_new_does_not_build_until_it_is_finished(tmp_path, make_site):
    invoke("new", "--title", "Unfinished guide", "--content", str(tmp_path / "draft"))
    text = (tmp_path / "draft" / "guides" / "unfinished-guide.md").read_text()
    from sitebuild import BuildFailed

    with pytest.raises(BuildFailed) as failure:
        make_site({"guides/unfinished-guide.md": text})
    problems = [p for p in failure.value.problems if "unfinished-guide.md" in p]
    assert any(schema.PLACEHOLDER in p for p in problems)


def test_serve_refuses_when_nothing_is_built(tmp_path):
    run = invoke("serve", "--output", str(tmp_path / "nothing"))
    assert run.returncode != 0 and "invoke build" in run.stderr
