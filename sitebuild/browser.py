"""A real browser on the built site: Debian's Chromium driven by Playwright, held to
127.0.0.1. Used by the browser tests and by `invoke screenshots`.
"""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Chromium reaches for Google's hosts on its own; this map makes every host but 127.0.0.1
# unresolvable, so nothing leaves the machine whatever a page asks for.
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
VIEWPORTS = {"375": {"width": 375, "height": 812}, "1280": {"width": 1280, "height": 900}}
SCHEMES = ("light", "dark")


def chromium_available() -> bool:
    return Path(CHROMIUM).exists()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the test output is for failures, not for requests
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` at http://127.0.0.1:<free port>/ in a thread; yields the address."""
    from .preview import local_http_handler

    # Like the preview, it answers only Host 127.0.0.1 or localhost with its port.
    handler = functools.partial(local_http_handler(_QuietHandler), directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def chromium():
    """A headless Chromium; imports Playwright only when a browser is wanted."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class OffsiteGuard:
    """Aborts every request to a host other than 127.0.0.1 and remembers it."""

    def __init__(self):
        self.blocked: list[str] = []

    def __call__(self, route):
        url = route.request.url
        if urlsplit(url).hostname in ("127.0.0.1", None) or url.startswith("data:"):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()


def page_url(base: str, page: str) -> str:
    """The address of an output file: `guides/index.html` is served as `guides/`."""
    return base + page.removesuffix("index.html")


def screenshots(browser, base: str, pages: list[str], destination: Path) -> list[Path]:
    """Full-page PNGs of every page at each width in each colour scheme."""
    written = []
    destination.mkdir(parents=True, exist_ok=True)
    for scheme in SCHEMES:
        for width, viewport in VIEWPORTS.items():
            context = browser.new_context(viewport=viewport, color_scheme=scheme)
            guard = OffsiteGuard()
            context.route("**/*", guard)
            tab = context.new_page()
            for page in pages:
                tab.goto(page_url(base, page))
                name = page.removesuffix("index.html").strip("/").removesuffix(".html") or "home"
                name = name.replace("/", "-")
                path = destination / f"{name}-{width}-{scheme}.png"
                tab.screenshot(path=str(path), full_page=True)
                written.append(path)
            context.close()
    return written
