"""The live preview's error page: while a rebuild under `invoke livereload` (`make serve`)
has failed, every HTML address shows the list of problems instead of the last good page.

The page exists only here, in the development server's memory: nothing is written to the
output folder, and no production build can contain it. The livereload server adds its script
to the page like to any other, so the browser reloads after the next rebuild and, once the
problems are fixed, shows the site again by itself.
"""

from __future__ import annotations

import html
import re
from pathlib import PurePosixPath

PAGE_TITLE = "The preview could not be rebuilt"
MARKER = "app-preview-error"  # the tests look for it, in the preview and in production builds

# Our problems read `file: place: what is wrong; how to fix it` (see plugins/README.md).
FILE = re.compile(r"^(?P<file>[^\s:][^:]*?\.(?:md|markdown|toml|py|html|css|svg|txt))(?::\s+(?P<rest>.*))?$", re.S)
# A place is a line, a field, a section, a citation, a setting, a page key...: a short label
# before the next colon, never a sentence.
PLACE = re.compile(r"^(?P<place>[\w./-]+\.md: entry \d+|[^:;]{1,48}?):\s+(?P<rest>.*)$", re.S)


class BuildStatus:
    """The outcome of the latest build; the server reads it on every request."""

    def __init__(self):
        self.problems: list[str] = []

    def failed(self, problems: list[str]) -> None:
        self.problems = list(problems) or ["The build failed without saying why; see the terminal."]

    def succeeded(self) -> None:
        self.problems = []


STATUS = BuildStatus()


def split_problem(problem: str) -> dict[str, str]:
    """A problem's file, place, what is wrong and how to fix it; parts it lacks are ""."""
    parts = {"file": "", "place": "", "what": problem.strip(), "fix": ""}
    if match := FILE.match(parts["what"]):
        parts["file"], parts["what"] = match["file"], (match["rest"] or "").strip()
        if (match := PLACE.match(parts["what"])) and ". " not in match["place"]:
            parts["place"], parts["what"] = match["place"], match["rest"].strip()
    what, separator, fix = parts["what"].partition("; ")
    if separator:
        parts["what"], parts["fix"] = what, fix
    return parts


def error_page(problems: list[str]) -> str:
    """The HTML page listing every problem, every piece of text escaped."""
    count = len(problems)
    rows = []
    for problem in problems:
        part = {k: html.escape(v) for k, v in split_problem(problem).items()}
        rows.append(
            "<tr>"
            f"<td><code>{part['file'] or '-'}</code></td>"
            f"<td>{part['place'] or '-'}</td>"
            f"<td>{part['what']}</td>"
            f"<td>{part['fix'] or '-'}</td>"
            "</tr>"
        )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(PAGE_TITLE)} ({count} problem{'s' if count != 1 else ''})</title>
<style>
  body {{ font: 1rem/1.5 system-ui, sans-serif; margin: 0; color: #212b32; background: #fff; }}
  main {{ max-width: 72rem; margin: 0 auto; padding: 1.5rem; }}
  .{MARKER}__banner {{ border-left: 8px solid #d5281b; background: #fde8e6; padding: 1rem 1.5rem; }}
  h1 {{ margin: 0 0 .5rem; font-size: 1.75rem; }}
  table {{ border-collapse: collapse; width: 100%; margin-top: 1.5rem; }}
  th, td {{ text-align: left; vertical-align: top; padding: .5rem; border-bottom: 1px solid #d8dde0; }}
  th {{ border-bottom-width: 2px; }}
  caption {{ text-align: left; font-weight: 700; }}
  code {{ font-size: .9375rem; overflow-wrap: anywhere; }}
  @media (prefers-color-scheme: dark) {{
    body {{ color: #f0f4f5; background: #121619; }}
    .{MARKER}__banner {{ background: #3b1512; }}
    th, td {{ border-color: #4c6272; }}
  }}
</style>
</head>
<body class="{MARKER}">
<main>
<div class="{MARKER}__banner" role="alert">
<h1>{html.escape(PAGE_TITLE)}</h1>
<p>The last edit left {count} problem{'s' if count != 1 else ''}. Fix {'them' if count != 1 else 'it'} and save:
this page reloads by itself and shows the site again once the build succeeds.</p>
</div>
<table>
<caption class="{MARKER}__caption">Every problem, as the terminal lists it</caption>
<thead><tr><th scope="col">File</th><th scope="col">Place</th><th scope="col">What is wrong</th><th scope="col">How to fix it</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<p>Nothing was published: the output folder still holds the last good build. This page
exists only in the live preview (<code>make serve</code>); a production build never contains it.</p>
</main>
</body>
</html>
"""


def is_page_address(path: str) -> bool:
    """True for an address that shows an HTML page: `/`, `/guides/`, `/x/index.html`, `/x`."""
    name = PurePosixPath("/" + path).name
    return path == "" or path.endswith("/") or name.endswith((".html", ".htm")) or "." not in name


def error_page_handler(base):
    """A subclass of livereload's static file handler that answers every page address with
    the error page while the latest build has failed; CSS, images and livereload's own files
    are served as usual."""

    class ErrorPageHandler(base):
        async def get(self, path, include_body=True):
            if STATUS.problems and is_page_address(path):
                self.set_status(500, "Build failed")
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.set_header("Cache-Control", "no-store")
                self.finish(error_page(STATUS.problems) if include_body else None)
                return
            await super().get(path, include_body)

    return ErrorPageHandler


# The preview answers only requests addressed to itself: a web page on another site that
# makes the browser ask http://127.0.0.1:8000/ through a name it controls (DNS rebinding)
# sends that name as Host, and a page elsewhere that opens the reload WebSocket sends its
# own Origin. Both are refused.
LOCAL_NAMES = ("127.0.0.1", "localhost")


def host_allowed(host: str | None, port: int) -> bool:
    """True for a Host header naming this server: 127.0.0.1 or localhost, with its port
    (without one only on port 80, where browsers leave it out)."""
    if not host:
        return False
    names = {f"{name}:{port}" for name in LOCAL_NAMES}
    if int(port) == 80:
        names.update(LOCAL_NAMES)
    return host.lower() in names


def origin_allowed(origin: str | None, port: int) -> bool:
    """True for an Origin that is one of the preview's own pages."""
    return bool(origin) and any(origin.lower() == f"http://{host}" for host in
                                [f"{name}:{port}" for name in LOCAL_NAMES]
                                + (list(LOCAL_NAMES) if int(port) == 80 else []))


def local_server(server_class):
    """A subclass of livereload's Server whose web application answers only requests with
    this server's own Host (any other: 403, before any handler runs) and whose reload
    WebSocket accepts only its own pages' Origin. Built with livereload's and Tornado's
    public classes: the application and handlers are subclasses, nothing is patched."""
    from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler
    from livereload.server import LiveScriptInjector
    from tornado import escape, web

    class LocalApplication(web.Application):
        port = 0

        def find_handler(self, request, **kwargs):
            if not host_allowed(request.headers.get("Host"), self.port):
                return self.get_handler_delegate(request, web.ErrorHandler, {"status_code": 403})
            return super().find_handler(request, **kwargs)

    class LocalReloadHandler(LiveReloadHandler):
        def check_origin(self, origin):
            return origin_allowed(origin, self.application.port)

    class LocalServer(server_class):
        def application(self, port, host, liveport=None, debug=None, live_css=True):
            # livereload's Server.application, with one port and the classes above.
            LiveReloadHandler.watcher = self.watcher
            LiveReloadHandler.live_css = live_css
            script = escape.utf8(
                '<script type="text/javascript">(function(){'
                'var s=document.createElement("script");'
                f'var port={int(port)};'
                's.src="//"+window.location.hostname+":"+port+"/livereload.js?port="+port;'
                'document.head.appendChild(s);'
                '})();</script>'
            )

            class Injector(LiveScriptInjector):
                pass

            Injector.script = script
            handlers = [
                (r"/livereload", LocalReloadHandler),
                (r"/forcereload", ForceReloadHandler),
                (r"/livereload.js", LiveReloadJSHandler),
                *self.get_web_handlers(script),
            ]
            app = LocalApplication(handlers=handlers, debug=bool(debug), transforms=[Injector])
            app.port = int(port)
            app.listen(int(port), address=host)

    return LocalServer


def local_http_handler(base, port: int | None = None):
    """`invoke serve`'s handler (http.server's): the same Host rule as the live preview.
    Without `port`, the port the server listens on."""

    class LocalHTTPHandler(base):
        def parse_request(self):
            if not super().parse_request():
                return False
            if not host_allowed(self.headers.get("Host"), port or self.server.server_address[1]):
                self.send_error(403, "This preview answers only 127.0.0.1 and localhost")
                return False
            return True

    return LocalHTTPHandler
