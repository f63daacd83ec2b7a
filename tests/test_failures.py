"""Process tier. Every way a build can fail ends in a message naming the file (and line or setting) and
how to fix it: no traceback, a non-zero exit, the last good site untouched, no leftover
folder (even after Ctrl-C) and nothing written outside the output folder."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import stat
import subprocess
import tempfile
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from tools import require
from samples import GUIDE, GUIDE_FILE, LABEL, PAGE, problems_of, replace

DATA = ROOT / "content" / "data"


def data_with(name: str, old: str, new: str) -> dict[str, str]:
    """A content file set whose data file `name` has one change."""
    return {GUIDE_FILE: GUIDE, f"data/{name}": replace((DATA / name).read_text(), old, new)}


CASES = {
    "menu that is not a number": (
        {GUIDE_FILE: GUIDE, "pages/ok.md": replace(PAGE, "Summary:", "Menu: two\nSummary:")},
        "content/pages/ok.md: line 2 (Menu): 'two' is not a whole number; write a number, e.g. Menu: 3",
    ),
    "order that is not a number": (
        {GUIDE_FILE: replace(GUIDE, "Summary:", "Order: first\nSummary:")},
        f"{LABEL}: line 5 (Order): 'first' is not a whole number; write a number, e.g. Order: 3",
    ),
    "template that does not exist": (
        {GUIDE_FILE: GUIDE, "pages/ok.md": replace(PAGE, "Summary:", "Template: pgae\nSummary:")},
        "content/pages/ok.md: line 2 (Template): there is no template 'pgae' in the theme; use one of",
    ),
    "glossary term that is not text": (
        data_with("glossary.toml", 'term = "Allogeneic"', "term = 5"),
        "data/glossary.toml: [allogeneic]: 'term' must be text, not 5; write it in double quotes",
    ),
    "glossary entry that is not a table": (
        {GUIDE_FILE: GUIDE, "data/glossary.toml": 'stray = "x"\n' + (DATA / "glossary.toml").read_text()},
        "data/glossary.toml: [stray]: must be a table of term, definition, not 'x'; write it as a [section]",
    ),
    "evidence scale that is not a list": (
        {GUIDE_FILE: GUIDE, "data/evidence.toml": 'scale = "none"\n' + (DATA / "evidence.toml").read_text().replace("[[scale]]", "[[old-scale]]")},
        "data/evidence.toml: 'scale' must be a list of [[scale]] entries, not 'none'; write each one under its own [[scale]] line",
    ),
    "evidence refs that are not a list": (
        data_with("evidence.toml", 'refs = ["white2021"] }', 'refs = "white2021" }'),
        "data/evidence.toml: use 'acne': 'prp.refs' must be a list, not 'white2021'; reference keys in quotes",
    ),
    "deeply nested list": (
        {GUIDE_FILE: replace(GUIDE, "Some risks.", "Some risks.\n\n" + "".join("    " * i + "- x\n" for i in range(300)))},
        f"{LABEL}: line 39: lists or quotes are nested 299 levels deep, more than 20",
    ),
    "deeply nested quote": (
        {GUIDE_FILE: replace(GUIDE, "Some risks.", "Some risks.\n\n" + "> " * 30 + "x\n")},
        f"{LABEL}: line 18: lists or quotes are nested 30 levels deep, more than 20",
    ),
    "deeply nested list with old Mac line breaks": (  # a lone "\r" ends a line too
        {GUIDE_FILE: replace(GUIDE, "Some risks.", "Some risks.\r\r" + "".join("\t" * i + "- x\r" for i in range(40)))},
        f"{LABEL}: line 39: lists or quotes are nested 39 levels deep, more than 20",
    ),
}


@pytest.mark.parametrize("files, expected", CASES.values(), ids=CASES.keys())
def test_each_mistake_is_named_with_its_file_and_fix(make_site, tmp_path, files, expected):
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / "index.html").write_text("the last good site")
    problems = problems_of(make_site, files)
    assert (tmp_path / "output" / "index.html").read_text() == "the last good site"
    assert not list(tmp_path.glob(".output-*"))
    assert any(p.startswith(expected) or (expected in p and p.startswith("content/")) for p in problems), problems
    assert len(problems) < 5, problems  # one mistake, not dozens of consequences


def broken_theme(tmp_path, template: str, old: str, new: str) -> Path:
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    path = theme / "templates" / template
    path.write_text(replace(path.read_text(), old, new))
    return theme


@pytest.mark.parametrize("template, old, new, expected", [
    ("page.html", "  <h1>{{ page.title }}</h1>", "  <h1>{{ page.title }}</h1>{% if %}", "Expected an expression"),
    ("page.html", "  <h1>{{ page.title }}</h1>", "  <h1>{{ pgae.title }}</h1>", "'pgae' is undefined"),
    ("components/key-points.html", ">{{ title }}<", ">{{ titel }}<", "'titel' is undefined"),
], ids=["syntax error", "misspelled name", "misspelled name in a box"])
def test_a_template_mistake_names_the_template_and_line(make_site, tmp_path, template, old, new, expected):
    theme = broken_theme(tmp_path / "t", template, old, new)
    line = next(n for n, text in enumerate((theme / "templates" / template).read_text().splitlines(), 1) if new in text)
    problems = problems_of(make_site, {GUIDE_FILE: GUIDE, "pages/ok.md": PAGE}, THEME=str(theme))
    assert any(p.startswith(f"theme/templates/{template}: line {line}: ") and expected in p for p in problems), problems
    assert not any(p.startswith("Could not process") for p in problems), problems


@pytest.mark.parametrize("setting, value, expected", [
    ("JINJA_ENVIRONMENT", {"trim_block": True}, "JINJA_ENVIRONMENT: 'trim_block' is not a Jinja option; use one of: "),
    ("MARKDOWN", {"extension_configs": {"markdown.extensions.tabels": {}}}, "MARKDOWN: the extension 'markdown.extensions.tabels' cannot be used"),
], ids=["jinja option", "markdown extension"])
def test_a_misspelled_setting_is_named_once(make_site, setting, value, expected):
    problems = problems_of(make_site, {GUIDE_FILE: GUIDE}, **{setting: value})
    assert len(problems) == 1 and problems[0].startswith(f"{ROOT / 'pelicanconf.py'}: {expected}"), problems


sys.path.insert(0, str(ROOT / "bench"))
from corpus import copy_project  # noqa: E402


def invoke_build(project: Path, *args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "invoke", "build", *args], cwd=project,
                          capture_output=True, text=True, timeout=180, **kwargs)


def assert_failed_cleanly(run, *expected):
    output = run.stdout + run.stderr
    assert run.returncode != 0, output
    assert "Traceback" not in output, output
    for text in expected:
        assert text in output, output


def files_under(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, except Python's own bytecode caches."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture
def shared_tmp():
    """A folder another user can reach (pytest's own temporary folders are private), for the
    runs that must not be root: root may write anywhere."""
    folder = Path(tempfile.mkdtemp(prefix="site-test-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(folder)


@functools.cache
def another_user() -> tuple[list[str], dict]:
    """How to run a command without root's power to write anywhere: (command prefix,
    subprocess arguments). Root becomes user 65534, directly when that user can run this
    Python, or else in a user namespace where root's files count as its own."""
    if os.geteuid() != 0:
        return [], {}
    probe = [sys.executable, "-c", "import pelican"]
    direct = {"user": 65534, "group": 65534, "extra_groups": []}
    with contextlib.suppress(OSError):  # this Python may be in a folder only root can enter
        if subprocess.run(probe, capture_output=True, cwd="/", **direct).returncode == 0:
            return [], direct
    namespace = ["unshare", "--user", "--map-user=65534", "--map-group=65534"]
    if shutil.which("unshare") and subprocess.run(namespace + probe, capture_output=True).returncode == 0:
        return namespace, {}
    return None, {}


def invoke_build_as_another_user(project: Path, *args) -> subprocess.CompletedProcess:
    prefix, kwargs = another_user()
    require(prefix is not None, "cannot run a build as a user other than root (no access to Python, no unshare)")
    return subprocess.run([*prefix, sys.executable, "-m", "invoke", "build", *args], cwd=project,
                          capture_output=True, text=True, timeout=180, **kwargs)


def test_an_output_path_inside_a_file_is_a_message(tmp_path):
    (tmp_path / "output").write_text("a file, not a folder")
    run = invoke_build(ROOT, "--output", str(tmp_path / "output" / "site"))
    assert_failed_cleanly(run, f"{tmp_path / 'output'} is a file", "remove the file or choose another output folder")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]
    assert (tmp_path / "output").read_text() == "a file, not a folder"


def test_an_output_folder_that_is_a_file_is_left_alone(tmp_path):
    (tmp_path / "output").write_text("a file, not a folder")
    run = invoke_build(ROOT, "--output", str(tmp_path / "output"))
    assert_failed_cleanly(run, f"{tmp_path / 'output'}: the output folder is a file")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]  # no .output-old-*


def test_an_output_folder_that_cannot_be_written_is_a_message(shared_tmp):
    locked = shared_tmp / "locked"
    locked.mkdir()
    (locked / "output").mkdir()
    (locked / "output" / "index.html").write_text("the last good site")
    for folder in (locked / "output", locked):
        folder.chmod(0o555)
    run = invoke_build_as_another_user(ROOT, "--output", str(locked / "output"))
    assert_failed_cleanly(run, f"{locked / 'output'}: cannot write the output folder", "choose an output folder you can write to")
    assert (locked / "output" / "index.html").read_text() == "the last good site"
    assert sorted(p.name for p in locked.iterdir()) == ["output"]


def test_a_read_only_project_folder_is_a_message_and_nothing_is_written(shared_tmp):
    project = copy_project(shared_tmp / "project")
    for path in [project, *project.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    before = files_under(project)
    run = invoke_build_as_another_user(project)
    assert_failed_cleanly(run, f"{project / 'output'}: cannot write the output folder")
    assert files_under(project) == before


def test_a_failed_build_writes_nothing_outside_its_output_folder(tmp_path):
    project = copy_project(tmp_path / "project")
    guide = project / "content" / "guides" / "what-is-prp.md"
    guide.write_text(guide.read_text().replace("Reviewed:", "Reviewed: soon\nX-Reviewed:", 1))
    before = files_under(project)
    run = invoke_build(project, "--output", str(tmp_path / "elsewhere" / "deeper" / "site"))
    assert_failed_cleanly(run, "content/guides/what-is-prp.md: line")
    assert files_under(project) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]  # no folder made for it


def test_the_output_folder_and_files_are_readable_by_everyone(tmp_path):
    run = invoke_build(ROOT, "--output", str(tmp_path / "out"), umask=0o077)
    assert run.returncode == 0, run.stderr
    modes = {stat.S_IMODE(p.stat().st_mode) for p in [tmp_path / "out", *(tmp_path / "out").rglob("*")] if p.is_dir()}
    assert modes == {0o755}
    modes = {stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert modes == {0o644}


def wait_for(condition, seconds=60.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.mark.parametrize("delay", [None, 0.0, 0.2, 0.4], ids=["starting", "staging made", "building", "later"])
def test_ctrl_c_at_any_moment_leaves_a_whole_site_and_no_leftovers(tmp_path, delay):
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("the last good site")
    process = subprocess.Popen([sys.executable, "-m", "sitebuild", "pelicanconf.py", "--output", str(output)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               # as in a terminal, even when these tests run in the background
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    if delay is None:
        time.sleep(0.2)  # still starting Python and importing Pelican
    else:
        wait_for(lambda: any(p.name.startswith(".output-building-") for p in tmp_path.iterdir()))
        time.sleep(delay)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"], (stdout, stderr)
    # Either the last good site, untouched, or the whole new one (when the signal came as
    # the finished site was being swapped in): never a mixture.
    if (output / "what-is-prp" / "index.html").exists():
        assert (output / "index.html").read_text() != "the last good site"
    else:
        assert list(output.iterdir()) == [output / "index.html"]
        assert (output / "index.html").read_text() == "the last good site"
    # Ended by Ctrl-C: exit status 130, or (when the signal lands as Python is already
    # exiting) killed by SIGINT, which a shell reports as 130 too.
    interrupted = (130, -signal.SIGINT)
    if delay == 0.0:  # the build had only just started: it must have been interrupted
        assert process.returncode in interrupted, (stdout, stderr)
    if delay is not None and process.returncode != 0:
        assert process.returncode in interrupted and "Traceback" not in stderr, stderr
        assert "interrupted" in stderr


PROBLEMS_IN_A_NEW_PROCESS = """
import sys
from sitebuild import BuildFailed, build
try:
    build(sys.argv[1], output_path=sys.argv[2], overrides={"PATH": sys.argv[3], "REVIEW_CHECK_DATE": "2026-12-07"})
except BuildFailed as failure:
    print("\\n".join(failure.problems))
"""


def test_two_processes_list_the_same_problems_in_the_same_order(tmp_path):
    """Pelican reads the files in an order that follows Python's hash seed: the problems are
    listed sorted, each file's together, the same in every process."""
    content = tmp_path / "project" / "content"
    shutil.copytree(ROOT / "content", content)
    pages = sorted([*content.glob("guides/*.md"), *content.glob("conditions/*.md")])[::3]
    for page in pages:
        page.write_text(page.read_text("utf-8") + "\nThis is a miracle cure. Call 555-010-0199.\n", "utf-8")
    listed = []
    for seed in ("1", "4242"):
        environment = {**os.environ, "PYTHONHASHSEED": seed, "SITE_CACHE": "off",
                       "PYTHONPATH": f"{ROOT}:{ROOT / 'plugins'}"}
        run = subprocess.run([sys.executable, "-c", PROBLEMS_IN_A_NEW_PROCESS, str(ROOT / "pelicanconf.py"),
                              str(tmp_path / f"out-{seed}"), str(content)],
                             cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300)
        listed.append(run.stdout.splitlines())
    assert len(listed[0]) >= 2 * len(pages) > 0, listed[0]
    assert listed[0] == listed[1] == sorted(listed[0])
