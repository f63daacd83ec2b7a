"""Browser tier. `invoke livereload` for real, on a copy of the project: it serves on 127.0.0.1, an edit
to an article appears without reloading by hand, and a broken edit keeps the last good site
in the output folder while the terminal names the problem and the browser shows every
problem until the edit is fixed. No production build holds any trace of that error page."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

from conftest import ROOT, wait_for
from sitebuild import browser, preview

def fetch(url: str) -> str:
    """The page's HTML, whatever its status (the preview's error page comes with 500)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.read().decode("utf-8")


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_livereload_rebuilds_on_edit_and_keeps_the_last_good_site(project, livereload_server):
    base, log_text = livereload_server
    url = base + "what-is-prp/"
    page = wait_for(lambda: fetch(url), 60, "the first build to be served")
    assert "What is PRP (platelet-rich plasma)?" in page
    assert "livereload.js" in page  # the script that makes the browser reload itself

    article = project / "content" / "guides" / "what-is-prp.md"
    text = article.read_text()
    article.write_text(text.replace("Title: What is PRP (platelet-rich plasma)?", "Title: What is PRP? Edited"))
    wait_for(lambda: "What is PRP? Edited" in fetch(url), 30, "the edit to appear")

    article.write_text(text.replace("[@dhillon2012]", "[@no-such-reference]", 1))
    wait_for(lambda: "no-such-reference" in log_text(), 30, "the problem to be reported")
    kept = (project / "output" / "what-is-prp" / "index.html").read_text("utf-8")
    assert "What is PRP? Edited" in kept, "the last good site is no longer in the output folder"
    assert "Traceback" not in log_text()


def test_a_broken_edit_shows_every_problem_in_the_browser_until_it_is_fixed(project, livereload_server, chromium):
    """In Chromium, with no reload by hand: a broken edit replaces the page with the list of
    problems (escaped), every page address shows it, and the fixed edit brings the site back."""
    base, log_text = livereload_server
    wait_for(lambda: status_of(base + "what-is-prp/") == 200, 60, "the first build to be served")
    article = project / "content" / "guides" / "what-is-prp.md"
    good = article.read_text()
    broken = good.replace("[@dhillon2012]", "[@no-such-reference]", 1)
    broken = re.sub(r"^Reviewed: .*$", "Reviewed: <b>soon</b>", broken, count=1, flags=re.M)
    assert broken.count("no-such-reference") == 1 and "<b>soon</b>" in broken

    context = chromium.new_context()
    guard = browser.OffsiteGuard()
    context.route("**/*", guard)
    tab = context.new_page()
    tab.goto(base + "what-is-prp/")
    assert tab.locator("h1").inner_text() == "What is PRP (platelet-rich plasma)?"
    tab.wait_for_function("() => !!window.LiveReload", timeout=15_000)  # its script is running

    article.write_text(broken)
    tab.wait_for_selector(f"body.{preview.MARKER}", timeout=30_000)
    assert tab.locator("h1").inner_text() == preview.PAGE_TITLE
    cells = [[cell.inner_text() for cell in row.locator("td").all()] for row in tab.locator("tbody tr").all()]
    expected = [
        ["content/guides/what-is-prp.md", "line 3 (Reviewed)", "'<b>soon</b>' is not a date",
         "write it as YYYY-MM-DD, e.g. 2026-11-20"],
        ["content/guides/what-is-prp.md", "citation [@no-such-reference]",
         "'no-such-reference' is not in content/data/references.toml", "add the reference there or correct the key"],
    ]
    # and, as the English page now cites another key, its Spanish page no longer matches it
    spanish = [row for row in cells if row not in expected]
    assert all(row in cells for row in expected) and len(spanish) == 1, cells
    assert spanish[0][0] == "content/guides/what-is-prp.es.md" and "citations differ" in " ".join(spanish[0]), cells
    assert tab.locator("tbody b").count() == 0, "problem text was taken as markup"
    tab.wait_for_function("() => !!window.LiveReload", timeout=15_000)  # so the fix can reload it
    shot = ROOT / "test-artifacts" / "preview-error-page.png"
    shot.parent.mkdir(exist_ok=True)
    tab.screenshot(path=str(shot), full_page=True)

    for address in ("", "guides/", "what-is-prp/index.html", "no/such/page/"):
        assert preview.MARKER in fetch(base + address), address
    assert status_of(base + "theme/css/site.css") == 200  # not a page: served as usual
    kept = (project / "output" / "what-is-prp" / "index.html").read_text("utf-8")
    assert preview.MARKER not in kept and "no-such-reference" not in kept

    article.write_text(good)
    tab.wait_for_selector("h1:text-is('What is PRP (platelet-rich plasma)?')", timeout=30_000)
    assert tab.locator(f"body.{preview.MARKER}").count() == 0
    assert preview.MARKER not in fetch(base + "guides/")
    context.close()
    assert guard.blocked == []
    assert "Traceback" not in log_text()


def test_a_rebuild_in_a_fresh_process_shows_its_problems_too(project, livereload_server):
    """An edit to a plugin is built in a new interpreter; its problems reach the browser."""
    base, log_text = livereload_server
    url = base + "what-is-prp/"
    wait_for(lambda: status_of(url) == 200, 60, "the first build to be served")
    schema_file = project / "plugins" / "medical_content" / "rules" / "schema.py"
    good = schema_file.read_text()
    assert "SUMMARY_MAX_CHARS = 160" in good
    schema_file.write_text(good.replace("SUMMARY_MAX_CHARS = 160", "SUMMARY_MAX_CHARS = 10", 1))

    def error_page():
        text = fetch(url)
        return text if preview.MARKER in text else None

    page = wait_for(error_page, 60, "the error page")
    assert "content/guides/what-is-prp.md" in page and "the summary is" in page
    schema_file.write_text(good)
    wait_for(lambda: status_of(url) == 200, 60, "the site to come back")
    assert "Traceback" not in log_text()


def test_no_production_build_holds_a_trace_of_the_error_page(production_site):
    """The error page lives only in the preview server's memory."""
    traces = [preview.MARKER, preview.PAGE_TITLE, "livereload"]
    for path in production_site.root.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", "replace")
            assert not [t for t in traces if t in text], path
    assert not list((ROOT / "theme").rglob("*preview*")), "the theme must not draw the error page"
