"""Browser tier. The built site in a real browser: axe-core accessibility checks at phone and desktop
widths in both colour schemes, keyboard focus, and that nothing is loaded from another host.

Locally, a missing Chromium or missing Node packages skip these tests with a message; with
CI=true a missing tool fails them (see tools.py)."""

from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT
from sitebuild import browser
from tools import require

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


AXE_SHARDS = 4  # the pages split into this many tests, so both workers share the work
# The dark colour scheme changes only colours (test_the_dark_scheme_changes_only_colours), so
# in it axe runs the rules that read colours; every rule runs in the light scheme at each width.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
RUN_AXE = "options => axe.run(document, options)"


def axe_failures(tab, options: dict) -> list[str]:
    result = tab.evaluate(RUN_AXE, options)
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]]


@pytest.mark.parametrize("shard", range(AXE_SHARDS))
def test_every_page_has_no_axe_violations_and_no_sideways_scroll(site, served, chromium, shard):
    """axe at phone and desktop widths in both colour schemes, and nothing to scroll sideways
    on a 375 px phone: each page is loaded once, then the viewport and the colour scheme are
    switched under it."""
    require(AXE.exists(), f"{AXE} is missing (npm ci)")
    context = chromium.new_context()
    guard = browser.OffsiteGuard()
    context.route("**/*", guard)
    tab = context.new_page()
    failures = {}
    every_rule = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
    colour_rules = {"runOnly": {"type": "rule", "values": COLOUR_RULES}}
    for page in site.pages[shard::AXE_SHARDS]:
        tab.goto(browser.page_url(served, page))
        tab.add_script_tag(path=str(AXE))
        for width, viewport in browser.VIEWPORTS.items():
            tab.set_viewport_size(viewport)
            for scheme in browser.SCHEMES:
                tab.emulate_media(color_scheme=scheme)
                found = axe_failures(tab, every_rule if scheme == "light" else colour_rules)
                if width == "375" and scheme == "light":
                    overflow = tab.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
                    found += [f"the page scrolls sideways by {overflow} px"] if overflow > 0 else []
                if found:
                    failures[f"{page} at {width} px, {scheme}"] = found
    context.close()
    assert not failures, json.dumps(failures, indent=1)
    assert guard.blocked == []


def test_the_axe_shards_cover_every_page(site):
    shards = [site.pages[shard::AXE_SHARDS] for shard in range(AXE_SHARDS)]
    assert sorted(sum(shards, [])) == sorted(site.pages)


def test_the_dark_scheme_changes_only_colours():
    """What lets the dark scheme's axe run only the colour rules: the stylesheet's dark block
    sets colour custom properties and nothing else."""
    css = (ROOT / "theme" / "static" / "css" / "site.css").read_text()
    blocks = re.findall(r"@media \(prefers-color-scheme: dark\) \{(.*?)\n\}", css, re.S)
    assert blocks, "no dark block found"
    for block in blocks:
        body = re.sub(r"/\*.*?\*/", "", block, flags=re.S)
        assert re.fullmatch(r"\s*:root\s*\{(\s*--color-[\w-]+:\s*#[0-9a-fA-F]{3,8};)+\s*\}\s*", body), body


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
        # the screen stylesheet, and the print one (media="print": fetched, not waited for)
        sheets = sorted(r.url.rsplit("/", 1)[-1] for r in requests if r.resource_type == "stylesheet")
        assert sheets == ["print.css", "site.css"], (page, sheets)
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
