"""The built site in a real browser: axe-core accessibility checks at phone and desktop
widths in both colour schemes, keyboard focus, and that nothing is loaded from another host.

Locally, a missing Chromium or missing Node packages skip these tests with a message; with
CI=true a missing tool fails them (see tools.py)."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from sitebuild import browser
from tools import require

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture(scope="module")
def chromium():
    require(browser.chromium_available(), f"Chromium is not installed at {browser.CHROMIUM} (apt-get install chromium)")
    with browser.chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def served(site):
    with browser.serve(site.root) as base:
        yield base


@pytest.mark.parametrize("scheme", browser.SCHEMES)
@pytest.mark.parametrize("width", browser.VIEWPORTS)
def test_every_page_has_no_axe_violations(site, served, chromium, width, scheme):
    require(AXE.exists(), f"{AXE} is missing (npm ci)")
    context = chromium.new_context(viewport=browser.VIEWPORTS[width], color_scheme=scheme)
    guard = browser.OffsiteGuard()
    context.route("**/*", guard)
    tab = context.new_page()
    failures = {}
    for page in site.pages:
        tab.goto(browser.page_url(served, page))
        tab.add_script_tag(path=str(AXE))
        result = tab.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
        ]
        if violations:
            failures[page] = violations
    context.close()
    assert not failures, json.dumps(failures, indent=1)
    assert guard.blocked == []


def test_the_skip_link_is_the_first_stop_and_lands_on_main(site, served, chromium):
    tab = chromium.new_page()
    skip = {"en": "Skip to main content", "es": "Saltar al contenido principal"}
    for page in ("index.html", "what-is-prp/index.html", "glossary/index.html", "es/index.html", "es/glossary/index.html"):
        tab.goto(browser.page_url(served, page))
        tab.keyboard.press("Tab")
        first = tab.evaluate("() => [document.activeElement.textContent.trim(), document.activeElement.getAttribute('href')]")
        assert first == [skip["es" if page.startswith("es/") else "en"], "#main-content"], page
        assert tab.evaluate("() => { const r = document.activeElement.getBoundingClientRect(); return r.width > 0 && r.left >= 0 }"), "skip link not visible when focused"
        tab.keyboard.press("Enter")
        assert tab.evaluate("() => document.activeElement.id") == "main-content", page
    tab.close()


FOCUS_STYLE = """() => {
  const look = el => { const s = getComputedStyle(el);
    return [s.outlineStyle + s.outlineWidth + s.outlineColor, s.boxShadow, s.backgroundColor, s.color].join('|'); };
  const unchanged = [];
  for (const link of document.querySelectorAll('a[href]')) {
    if (!link.getClientRects().length) continue;
    document.activeElement.blur();
    const before = look(link);
    link.focus();
    if (!link.matches(':focus-visible') || look(link) === before) unchanged.push(link.outerHTML.slice(0, 80));
  }
  return unchanged;
}"""


@pytest.mark.parametrize("scheme", browser.SCHEMES)
def test_focus_is_visible_on_every_link(site, served, chromium, scheme):
    context = chromium.new_context(color_scheme=scheme)
    tab = context.new_page()
    for page in site.pages:
        tab.goto(browser.page_url(served, page))
        tab.keyboard.press("Tab")  # keyboard use, so focus() below shows :focus-visible
        assert tab.evaluate(FOCUS_STYLE) == [], page
    context.close()


def test_pages_request_nothing_but_their_html_css_favicon_and_images(site, served, chromium):
    context = chromium.new_context()
    guard = browser.OffsiteGuard()
    context.route("**/*", guard)
    tab = context.new_page()
    requests = []
    tab.on("request", lambda request: requests.append(request))
    for page in site.pages:
        requests.clear()
        tab.goto(browser.page_url(served, page), wait_until="load")
        kinds = [r.resource_type for r in requests]
        assert kinds.count("stylesheet") <= 1, (page, kinds)
        assert "script" not in kinds and "font" not in kinds, (page, kinds)
        assert set(kinds) <= {"document", "stylesheet", "image", "other"}, (page, kinds)
    context.close()
    assert guard.blocked == [], guard.blocked


def test_the_checks_catch_a_bad_page(tmp_path, chromium):
    """The harness itself: axe reports violations and the guard blocks another host."""
    require(AXE.exists(), f"{AXE} is missing (npm ci)")
    (tmp_path / "index.html").write_text(
        '<!doctype html><html><head><title>Bad</title></head><body>'
        '<img src="https://example.org/x.png"><p style="color:#eee;background:#fff">Faint</p></body></html>'
    )
    context = chromium.new_context()
    guard = browser.OffsiteGuard()
    context.route("**/*", guard)
    tab = context.new_page()
    with browser.serve(tmp_path) as base:
        tab.goto(base)
        tab.add_script_tag(path=str(AXE))
        result = tab.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    context.close()
    found = {v["id"] for v in result["violations"]}
    assert {"image-alt", "html-has-lang", "color-contrast"} <= found, found
    assert guard.blocked == ["https://example.org/x.png"]
