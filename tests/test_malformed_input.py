"""Build tier. Pelican's silent failures and malformed files: each is a clear error naming the file, the
build exits non-zero, and the last good site is kept. Also the raw HTML, image and link
rules that keep every page self-contained."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT
from conftest import problems_of_one_build
from samples import GUIDE, GUIDE_FILE, LABEL, PAGE, case_file, case_label, problems_of, replace




MALFORMED = {
    "empty file": ("", f"{LABEL}: page: the file is empty"),
    "only whitespace": ("\n\n   \n", f"{LABEL}: page: the file is empty"),
    "not UTF-8": (replace(GUIDE, "Some risks.", "Caf\xe9 risks.").encode("latin-1"), f"{LABEL}: line 16: the file is not saved as UTF-8 text"),
    "binary": (bytes(range(256)) * 40, f"{LABEL}: page: this is not a text file"),
    "very large": (GUIDE + "More plain words in a sentence here. " * 100_000, f"{LABEL}: page: the file is 3.7 MB, more than a page can be"),
    "no metadata block": ("Just some text.\n", f"{LABEL}: line 1: there is no metadata block with a Title"),
    "no title": (replace(GUIDE, "Title: A test guide\n", ""), f"{LABEL}: line 1: there is no metadata block with a Title"),
    "no date": (replace(GUIDE, "Date: 2026-01-10\n", ""), f"{LABEL}: metadata (Date): 'Date' is missing"),
    "unreadable date": (replace(GUIDE, "Date: 2026-01-10", "Date: someday"), f"{LABEL}: line 2 (Date): 'someday' is not a date"),
    "title with HTML": (replace(GUIDE, "Title: A test guide", "Title: A <b>bold</b> guide"), f"{LABEL}: line 1 (Title): the title contains HTML markup"),
    "unclosed raw HTML": (replace(GUIDE, "Some risks.", '<div class="box">\nSome risks.'), f"{LABEL}: line 16: raw HTML <div> is never closed"),
    "stray closing tag": (replace(GUIDE, "Some text that", "Some text</span> that"), f"{LABEL}: line 12: raw HTML </span> closes a tag that was never opened"),
}


@pytest.fixture(scope="module")
def broken_site_problems(tmp_path_factory) -> list[str]:
    """One small site holding every malformed file, every raw-HTML case and every broken link,
    one file each: the build reports them all at once."""
    files = {"pages/ok.md": PAGE}
    files |= {case_file("malformed", i): text for i, (text, _) in enumerate(MALFORMED.values())}
    files |= {case_file("raw", i): replace(GUIDE, "Some risks.", f"Some risks.\n\n{markup}\n") for i, (markup, _) in enumerate(RAW_HTML.values())}
    files |= {case_file("link", i): replace(GUIDE, "Some risks.", f"Some risks. {link}") for i, (link, _) in enumerate(LINKS.values())}
    return problems_of_one_build(tmp_path_factory.mktemp("malformed"), files)


@pytest.mark.parametrize("index", range(len(MALFORMED)), ids=MALFORMED.keys())
def test_a_malformed_file_is_a_clear_error(broken_site_problems, index):
    expected = list(MALFORMED.values())[index][1].replace(LABEL, case_label("malformed", index))
    assert any(p.startswith(expected) for p in broken_site_problems), broken_site_problems


def test_pelicans_own_failure_lines_never_reach_the_editor(broken_site_problems):
    assert not any(p.startswith(("Could not process", "Skipping")) for p in broken_site_problems), broken_site_problems


def test_two_files_with_the_same_address_name_both(make_site):
    problems = problems_of(make_site, {"guides/same.md": GUIDE, "pages/same.md": PAGE})
    assert any("its address /same/ is also used by" in p and "guides/same.md" in p and "pages/same.md" in p for p in problems), problems


def test_a_plugin_that_cannot_load_fails_the_build(make_site):
    problems = problems_of(make_site, {GUIDE_FILE: GUIDE}, PLUGINS=["medical_content", "no_such_plugin"])
    assert any("Cannot load plugin `no_such_plugin`" in p for p in problems), problems


RAW_HTML = {
    "script": ('<script>alert(1)</script>', "raw HTML <script> is not allowed"),
    "iframe": ('<iframe src="https://example.org/"></iframe>', "raw HTML <iframe> is not allowed"),
    "object": ('<object data="x.swf"></object>', "raw HTML <object> is not allowed"),
    "embed": ('<embed src="x.swf">', "raw HTML <embed> is not allowed"),
    "form": ('<form action="/x"><input name="q"></form>', "raw HTML <form> is not allowed"),
    "event handler": ('<p onclick="go()">Click</p>', "the event handler onclick= is not allowed"),
    "style attribute": ('<p style="color:red">Red</p>', "style= attributes are not allowed"),
    "image from another host": ('<img src="https://example.org/a.png" alt="A picture">', "loads https://example.org/a.png from another site"),
    "image without alt": ('![](https://example.org/b.png)', "the image has no alt text"),
}


@pytest.mark.parametrize("index", range(len(RAW_HTML)), ids=RAW_HTML.keys())
def test_raw_html_that_loads_or_runs_something_fails(broken_site_problems, index):
    expected = list(RAW_HTML.values())[index][1]
    label = case_label("raw", index)
    assert any(p.startswith(f"{label}: line ") and expected in p for p in broken_site_problems), broken_site_problems


LINKS = {
    "missing page": ("[x]({filename}nothere.md)", "the link points to 'guides/nothere.md', which is not in content/"),
    "missing anchor on another page": ("[x]({filename}/pages/ok.md#nowhere)", "'pages/ok.md' has no section or anchor '#nowhere'"),
    "missing anchor on this page": ("[x](#nowhere)", "there is no section or anchor '#nowhere' on this page"),
    "internal link without {filename}": ("[x](../ok/)", "points inside the site without {filename}"),
    "insecure external link": ("[x](http://example.org/)", "is not secure; use its https:// address"),
}


@pytest.mark.parametrize("index", range(len(LINKS)), ids=LINKS.keys())
def test_a_broken_or_fragile_link_fails(broken_site_problems, index):
    expected = list(LINKS.values())[index][1]
    label = case_label("link", index)
    assert any(p.startswith(f"{label}: line 16: ") and expected in p for p in broken_site_problems), broken_site_problems


def test_working_links_and_anchors_pass(make_site):
    text = replace(GUIDE, "Some risks.", "See [the page]({filename}/pages/ok.md), [regulation](#regulatory-status), [its sources](#references) and [a study](https://doi.org/10.1001/jama.2021.19415).")
    result = make_site({GUIDE_FILE: text, "pages/ok.md": PAGE})
    assert "test-guide/index.html" in result.pages


@pytest.mark.process
def test_the_pelican_command_line_fails_with_a_message_and_no_traceback(tmp_path):
    """Pelican run directly (not through sitebuild) still fails on a content problem."""
    content = tmp_path / "content"
    (content / "guides").mkdir(parents=True)
    (content / "guides" / "test-guide.md").write_text(replace(GUIDE, "Reviewed: 2026-06-01", "Reviewed: soon"))
    (content / "data").mkdir()
    for data_file in (ROOT / "content" / "data").glob("*.toml"):
        (content / "data" / data_file.name).write_bytes(data_file.read_bytes())
    run = subprocess.run(
        [sys.executable, "-m", "pelican", str(content), "-s", str(ROOT / "pelicanconf.py"), "-o", str(tmp_path / "out")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode != 0
    output = " ".join((run.stdout + run.stderr).split())
    assert "content/guides/test-guide.md: line 3 (Reviewed): 'soon' is not a date" in output
    assert "Traceback" not in output
