"""Browser tier. The content security policy in Chromium: every page works under the _headers file's
policy, every production page carries the policy as a <meta> tag, and served WITHOUT the
_headers file (as GitHub Pages serves it) no page runs any script or reaches another host,
even when every link is activated."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from conftest import SITE_URL
from sitebuild import browser
from test_production import header_rules, output_file_for

# What a <meta> policy cannot hold (the browser ignores it there).
NOT_IN_META = ("frame-ancestors", "report-uri", "sandbox")


def meta_policy(site, page: str) -> str | None:
    tag = site.soup(page).find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    return tag["content"] if tag else None


def test_every_production_page_carries_the_policy_as_a_meta_tag(production_site):
    full = header_rules(production_site)["Content-Security-Policy"]
    expected = "; ".join(d.strip() for d in full.split(";") if d.strip().split(" ")[0] not in NOT_IN_META)
    for page in production_site.pages:
        soup = production_site.soup(page)
        tag = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert tag is not None and tag["content"] == expected, page
        # The policy must come before anything it governs.
        assert soup.head.find_all(["meta", "link", "script", "style"])[:2][-1] is tag, page


CSP_LISTENER = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def load_under_headers(chromium, site, pages, headers):
    """Open each page as if served from the live address with the headers file applied."""
    context = chromium.new_context()
    context.add_init_script(CSP_LISTENER)

    def fulfil(route):
        path = output_file_for(site, route.request.url)
        if path.is_file():
            route.fulfill(path=str(path), headers=headers)
        else:
            route.fulfill(status=404, body="not found")

    context.route(f"{SITE_URL}/**", fulfil)
    guard = browser.OffsiteGuard()
    context.route(re.compile(r"^(?!" + re.escape(SITE_URL) + ").*"), guard)
    tab = context.new_page()
    console = []
    tab.on("console", lambda message: console.append(message.text))
    found = {}
    for page in pages:
        tab.goto(f"{SITE_URL}/" + page.removesuffix("index.html"), wait_until="load")
        violations = tab.evaluate("window.__violations") + [m for m in console if "Content Security Policy" in m]
        if violations:
            found[page] = violations
        console.clear()
    context.close()
    return found, guard.blocked


def test_every_page_works_under_the_content_security_policy(production_site, chromium):
    headers = header_rules(production_site)
    found, blocked = load_under_headers(chromium, production_site, production_site.pages, headers)
    # The check can fail: an inline style on a page is a violation it reports.
    canary = production_site.root / "csp-canary.html"
    canary.write_text('<!doctype html><html lang="en"><title>x</title><p style="color:red">x</p></html>')
    try:
        canary_found, _ = load_under_headers(chromium, production_site, ["csp-canary.html"], headers)
    finally:
        canary.unlink()
    assert found == {} and blocked == [], (found, blocked)
    assert canary_found, "the policy check did not report an inline style"



class _Session:
    """One tab on the site served from its files without headers; records every script the
    page itself compiles, every policy violation and every request to another host."""

    def __init__(self, chromium, root: Path):
        self.root = root
        self.context = chromium.new_context()
        self.context.route(f"{SITE_URL}/**", self.fulfil)
        self.offsite: list[str] = []
        self.allowed_navigation: str | None = None
        self.context.route(re.compile(r"^(?!" + re.escape(SITE_URL) + ").*"), self.guard)
        self.tab = self.context.new_page()
        self.scripts: list[str] = []
        self.violations: list[str] = []
        self.tab.on("console", self.console)
        self.cdp = self.context.new_cdp_session(self.tab)
        self.cdp.on("Debugger.scriptParsed", self.script_parsed)
        self.cdp.send("Debugger.enable")

    def fulfil(self, route):
        path = self.root / urlsplit(route.request.url).path.lstrip("/")
        path = path / "index.html" if path.is_dir() else path
        if path.is_file():
            route.fulfill(path=str(path))  # no Content-Security-Policy header
        else:
            route.fulfill(status=404, body="not found")

    def guard(self, route):
        request = route.request
        # Following a link to another site is the reader's choice, not the page's request.
        if request.is_navigation_request() and request.url == self.allowed_navigation:
            route.abort()
            return
        if not request.url.startswith(("data:", "about:")):
            self.offsite.append(request.url)
        route.abort()

    def console(self, message):
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.violations.append(message.text)

    def script_parsed(self, event):
        # Only the page's own scripts: they carry the address of their document or file.
        # Playwright's helpers have none (and mostly run in an isolated world).
        # Chromium's own error page (shown for a blocked link to another site) is no page's.
        url = event.get("url", "")
        if event.get("executionContextAuxData", {}).get("isDefault") and url and not url.startswith("chrome-error:"):
            self.scripts.append(url)

    def open(self, url: str):
        for attempt in range(3):
            try:
                self.tab.goto(url, wait_until="load")
                return
            except Exception:  # noqa: BLE001 - an aborted link's error page may still be arriving
                if attempt == 2:
                    raise
                self.tab.wait_for_load_state("load")

    def activate_links(self, page_url: str, hrefs: list[str]) -> None:
        for href in hrefs:
            if self.tab.url != page_url:
                self.open(page_url)
            target = urldefrag(urljoin(page_url, href)).url
            self.allowed_navigation = target if not target.startswith(SITE_URL) else None
            element = self.tab.locator(f'a[href="{href}"], area[href="{href}"]').first
            if href.startswith("#"):
                element.dispatch_event("click", timeout=5000)
                continue
            if target.startswith(SITE_URL):
                # Our own page or file: let it load, so a script it carried would run and be seen.
                with self.tab.expect_navigation(wait_until="load", timeout=10_000):
                    element.dispatch_event("click", timeout=5000)
            elif target.startswith(("https:", "http:")):
                # Another site: the guard aborts the navigation, so it never loads; the request
                # itself is the event to wait for.
                with self.tab.expect_request(lambda request: request.is_navigation_request(), timeout=10_000):
                    element.dispatch_event("click", timeout=5000)
            else:
                # mailto:, tel:, javascript: make no request; a script they ran is reported by
                # the time the page below has loaded again.
                element.dispatch_event("click", timeout=5000)
            self.open(page_url)

    def close(self):
        self.context.close()


def link_targets(site, page: str) -> list[str]:
    soup = site.soup(page)
    return list(dict.fromkeys(a["href"] for a in soup.select("a[href], area[href]")))


LINK_SHARDS = 2  # the pages split into this many tests, so both workers share the work


def link_plan(site) -> list[list[tuple[str, list[str]]]]:
    """Each page with the links it is the first to hold (each address once per site: a link
    repeated on every page behaves alike), in LINK_SHARDS shards with about as many links each."""
    activated, plan = set(), []
    for page in site.pages:
        hrefs = [h for h in link_targets(site, page) if h not in activated]
        activated.update(hrefs)
        plan.append((page, hrefs))
    shards = [[] for _ in range(LINK_SHARDS)]
    for page, hrefs in sorted(plan, key=lambda item: -len(item[1])):
        min(shards, key=lambda shard: sum(len(h) + 1 for _, h in shard)).append((page, hrefs))
    return shards


@pytest.mark.parametrize("shard", range(LINK_SHARDS))
def test_without_headers_no_page_runs_script_or_reaches_another_host(production_site, chromium, shard):
    shards = link_plan(production_site)
    assert sum(len(hrefs) for shard in shards for _, hrefs in shard) > 20, "too few links for the check to mean anything"
    session = _Session(chromium, production_site.root)
    try:
        for page, hrefs in shards[shard]:
            url = f"{SITE_URL}/" + page.removesuffix("index.html")
            session.open(url)
            session.activate_links(url, hrefs)
        scripts, violations, offsite = session.scripts, session.violations, session.offsite
    finally:
        session.close()
    assert scripts == [] and violations == [] and offsite == [], (scripts, violations, offsite)


def test_the_link_shards_cover_every_page(production_site):
    shards = link_plan(production_site)
    assert sorted(page for shard in shards for page, _ in shard) == sorted(production_site.pages)


CANARY = """<!doctype html><html lang="en"><head><meta charset="utf-8">{policy}<title>x</title></head>
<body><script>document.title = "ran"</script>
<img src="https://tracker.example/pixel.png" alt="x">
<a id="js" href="javascript:document.title='ran'">go</a></body></html>"""


def test_the_check_sees_script_and_offsite_requests(production_site, chromium):
    """The detector can fail: a canary page runs script and loads from another host when it
    has no policy, and is stopped (and reported) when it carries the site's meta policy."""
    policy = meta_policy(production_site, "index.html")
    canary = production_site.root / "canary.html"
    found = {}
    for name, meta in (("bare", ""), ("policy", f'<meta http-equiv="Content-Security-Policy" content="{policy}">')):
        canary.write_text(CANARY.format(policy=meta))
        session = _Session(chromium, production_site.root)
        try:
            session.open(f"{SITE_URL}/canary.html")
            session.activate_links(f"{SITE_URL}/canary.html", ["javascript:document.title='ran'"])
            found[name] = (list(session.scripts), list(session.violations), list(session.offsite))
        finally:
            session.close()
            canary.unlink()
    scripts, _violations, offsite = found["bare"]
    assert scripts and set(offsite) == {"https://tracker.example/pixel.png"}, found["bare"]
    scripts, violations, offsite = found["policy"]
    assert scripts == [] and offsite == [] and violations, found["policy"]
