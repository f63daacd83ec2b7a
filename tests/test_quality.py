"""Browser tier. Valid HTML (the Nu HTML Checker), Lighthouse scores, page-weight budgets, links that
never point to a copy of a paper, and the screenshot maker that keeps pictures for people."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit


from conftest import ROOT, SITE_URL
from sitebuild import browser
from tools import require

sys.path.insert(0, str(ROOT / "bench"))
from run import BUDGETS  # noqa: E402  (one set of budgets for the site and `invoke bench`)

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
HTML_VALIDATE = ROOT / "node_modules" / ".bin" / "html-validate"
HTML_VALIDATE_CONFIG = ROOT / ".htmlvalidate.cjs"
ARTIFACTS = ROOT / "test-artifacts"
LIGHTHOUSE_MINIMUM = 0.98
# Both languages: the home page and a guide in each.
LIGHTHOUSE_PAGES = ["index.html", "what-is-prp/index.html", "knee-osteoarthritis/index.html", "es/index.html",
                    "es/what-is-prp/index.html"]
# Hosts of copies, mirrors and archives of papers seen in the content brief: never link them.
# (site.oaecdn.com is not one: it is OAE Publishing's own site for its journal Extracellular
# Vesicles and Circulating Nucleic Acids, the address the brief gives for R99.)
COPY_AND_MIRROR_HOSTS = (
    "scribd.com", "docslib.org", "theswissbay.ch", "cybercemetery.unt.edu", "githubissues.com",
    "ouci.dntb.gov.ua", "transfusionevidencelibrary.com", "mlvthyndmpks.shop", "healthmedicinet.com",
    "factually.co", "discovery.researcher.life", "webarchive.nationalarchives.gov.uk",
    "em-doctors.com", "nicswell.co.uk", "cadlasys.org", "ismspringfield.com", "doaj.org",
    "researchers.mq.edu.au", "research.birmingham.ac.uk", "wako.sport", "sci-hub", "libgen",
    "researchgate.net", "academia.edu",
)


def test_every_page_is_valid_html(site, production_site):
    """Development and production (absolute, minified) output alike."""
    java = shutil.which("java")
    require(java is not None, "Java is not installed (apt-get install default-jre-headless)")
    require(VNU.exists(), f"{VNU} is missing (npm ci)")
    run = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--errors-only", "--skip-non-html", "--also-check-css",
         "--also-check-svg", str(site.root), str(production_site.root)],
        capture_output=True, text=True, timeout=300,
    )
    messages = json.loads(run.stderr or '{"messages": []}')["messages"]
    errors = [f"{m.get('url', '')}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert errors == [] and run.returncode == 0, "\n".join(errors)


def html_validate(*arguments, stdin=None) -> tuple[int, list[str]]:
    # The report goes to a file: Node may cut a long report written to a pipe short on exit.
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        run = subprocess.run([str(HTML_VALIDATE), "--config", str(HTML_VALIDATE_CONFIG),
                              "--formatter", f"json={report}", *arguments],
                             input=stdin, capture_output=True, text=True, timeout=300)
        results = json.loads(report.read_text() or "[]") if report.exists() else []
    errors = [f"{r['filePath']}:{m['line']}: [{m['ruleId']}] {m['message']}" for r in results for m in r["messages"]]
    return run.returncode, errors


def test_every_page_passes_html_validate(site, production_site):
    """html-validate's recommended rules (less the two .htmlvalidate.cjs explains), over
    every page of the development and the production build."""
    require(HTML_VALIDATE.exists(), f"{HTML_VALIDATE} is missing (npm ci)")
    pages = [str(s.root / p) for s in (site, production_site) for p in s.pages]
    code, errors = html_validate(*pages)
    assert len(pages) > 40 and errors == [] and code == 0, "\n".join(errors)
    # The check can fail: a block inside a paragraph is reported.
    code, errors = html_validate("--stdin", stdin='<!doctype html><html lang="en"><head><title>x</title></head><body><p><div>x</div></p></body></html>')
    assert code != 0 and errors


def test_external_links_are_https_and_never_a_copy_or_mirror(site):
    for page in site.pages:
        for link in site.soup(page).select("a[href]"):
            parts = urlsplit(link["href"])
            if not parts.netloc:
                continue
            assert parts.scheme == "https", f"{page}: {link['href']}"
            assert not any(host in parts.netloc for host in COPY_AND_MIRROR_HOSTS), f"{page}: {link['href']}"


def stylesheets_of(site, page, media=None):
    """The files of the page's stylesheets whose media attribute is `media` (None: none)."""
    for link in site.soup(page).find_all("link", rel="stylesheet"):
        if link.get("media") != media:
            continue
        href = link["href"].removeprefix(SITE_URL)  # production addresses are absolute
        base = site.root if href.startswith("/") else (site.root / page).parent
        yield (base / href.lstrip("/")).resolve()


def test_every_page_fits_the_budget(production_site):
    """Measured on the production build: what is published (minified) is what readers load.
    The budget counts the page and the one stylesheet a browser waits for before it draws
    the page; the print stylesheet (media="print") is fetched without blocking the drawing,
    so it is not counted, and it is the only other stylesheet a page may link."""
    site = production_site
    sizes = {}
    for page in site.pages:
        sheets = list(stylesheets_of(site, page))
        assert len(sheets) == 1, f"{page} needs {len(sheets)} stylesheets before it is drawn"
        links = site.soup(page).find_all("link", rel="stylesheet")
        assert [link.get("media") for link in links] == [None, "print"], (page, links)
        total = len(gzip.compress((site.root / page).read_bytes(), 9))
        for sheet in [*sheets, *stylesheets_of(site, page, "print")]:
            css = sheet.read_text()
            assert "@import" not in css and "@font-face" not in css, sheet
        for sheet in sheets:
            total += len(gzip.compress(sheet.read_bytes(), 9))
        sizes[page] = total
        assert not site.soup(page).find("script", src=True) and not [
            s for s in site.soup(page).find_all("script") if s.get("type") != "application/ld+json"], page
    heaviest = sorted(sizes, key=sizes.get, reverse=True)[:5]
    print("\nheaviest pages, bytes compressed with their stylesheet: " + ", ".join(f"{p} {sizes[p]}" for p in heaviest))
    over = {p: s for p, s in sizes.items() if s > BUDGETS["page_bytes"]}
    assert not over, over


def test_the_screenshot_maker_writes_each_page_at_both_widths_in_both_schemes(site, chromium, tmp_path):
    """What `invoke screenshots` does for every page (CI runs it after the tests and keeps the
    pictures as an artefact), here on one page in each language."""
    pages = ["what-is-prp/index.html", "es/index.html"]
    with browser.serve(site.root) as base:
        written = browser.screenshots(chromium, base, pages, tmp_path)
    assert len(written) == len(pages) * len(browser.VIEWPORTS) * len(browser.SCHEMES)
    for path in written:
        assert path.read_bytes().startswith(b"\x89PNG"), path
    assert {p.name for p in written} >= {"what-is-prp-375-dark.png", "es-1280-light.png"}


LIGHTHOUSE_RUNNER = ROOT / "tests" / "lighthouse.mjs"


def report_name(page: str) -> str:
    return page.replace("/", "-").removesuffix(".html")


def test_lighthouse_mobile_scores(site):
    """Lighthouse on every page of LIGHTHOUSE_PAGES in one Chromium (tests/lighthouse.mjs, one
    test, so one browser start); the reports are kept in test-artifacts/lighthouse/ for CI."""
    require(browser.chromium_available(), f"Chromium is not installed at {browser.CHROMIUM}")
    require(LIGHTHOUSE.exists(), f"{LIGHTHOUSE} is missing (npm ci)")
    node = shutil.which("node")
    require(node is not None, "Node.js is not installed")
    reports = ARTIFACTS / "lighthouse"
    shutil.rmtree(reports, ignore_errors=True)
    with browser.serve(site.root) as base:
        run = subprocess.run(
            [node, str(LIGHTHOUSE_RUNNER), browser.CHROMIUM, str(reports),
             *[f"{report_name(page)}={browser.page_url(base, page)}" for page in LIGHTHOUSE_PAGES]],
            capture_output=True, text=True, timeout=300, cwd=ROOT, env={**os.environ, "CI": "true"},
        )
    assert run.returncode == 0, run.stderr[-2000:]
    low = {}
    for page in LIGHTHOUSE_PAGES:
        categories = json.loads((reports / f"{report_name(page)}.json").read_text())["categories"]
        scores = {name: c["score"] for name, c in categories.items()}
        print(f"\nLighthouse {page}: {scores}")
        if not all(score >= LIGHTHOUSE_MINIMUM for score in scores.values()):
            low[page] = scores
    assert low == {}, low
