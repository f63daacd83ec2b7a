"""Process tier. The preview servers answer only their own Host and Origin.

A request whose Host is not 127.0.0.1 or
localhost with the server's port is refused (DNS rebinding), and the live preview's reload
WebSocket accepts only its own pages' Origin. One `invoke livereload` runs on a copy of
the project, and `invoke serve`'s handler on loopback."""

from __future__ import annotations

import base64
import functools
import http.client
import os
import socket
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

from sitebuild import preview
from conftest import free_port, wait_for

BAD_HOSTS = [
    "evil.example", "evil.example:{port}", "127.0.0.1.evil.example:{port}", "localhost.evil.example",
    "127.0.0.1:{other}", "localhost:{other}", "127.0.0.1", "0.0.0.0:{port}", "[::1]:{port}",
    "127.0.0.1:{port}@evil.example", "LOCALHOST:{port} x", "",
]
REFUSED = (400, 403)  # 400: a Host so malformed the server library refuses it itself
GOOD_HOSTS = ["127.0.0.1:{port}", "localhost:{port}", "LocalHost:{port}"]


def status(port: int, host: str | None, path: str = "/") -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.putrequest("GET", path, skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def websocket_answer(port: int, origin: str | None, host: str) -> bytes:
    key = base64.b64encode(os.urandom(16)).decode()
    lines = ["GET /livereload HTTP/1.1", f"Host: {host}", "Upgrade: websocket", "Connection: Upgrade",
             f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        return connection.recv(200)


def test_the_live_preview_answers_only_its_own_host_and_origin(livereload_server):
    base, _log = livereload_server
    port = int(base.rsplit(":", 1)[1].strip("/"))
    wait_for(lambda: status(port, f"127.0.0.1:{port}") == 200, 60, "the preview")
    fill = functools.partial(str.format, port=port, other=port + 1)
    for host in GOOD_HOSTS:
        assert status(port, fill(host)) == 200, host
    for host in BAD_HOSTS:
        for path in ("/", "/livereload.js", "/theme/css/site.css", "/forcereload"):
            assert status(port, fill(host), path) in REFUSED, (host, path)
    assert status(port, None) in REFUSED
    own = f"http://127.0.0.1:{port}"
    assert websocket_answer(port, own, f"127.0.0.1:{port}").startswith(b"HTTP/1.1 101")
    assert websocket_answer(port, f"http://localhost:{port}", f"localhost:{port}").startswith(b"HTTP/1.1 101")
    for origin in ("https://evil.example", f"http://127.0.0.1:{port}.evil.example", "null",
                   f"http://127.0.0.1:{port + 1}", f"http://localhost:{port + 1}", f"http://evil.example:{port}"):
        assert websocket_answer(port, origin, f"127.0.0.1:{port}").startswith(b"HTTP/1.1 403"), origin
    # the right Origin through a rebound name is still refused by the Host rule
    assert websocket_answer(port, own, f"evil.example:{port}").startswith(b"HTTP/1.1 403")


def test_invoke_serve_answers_only_its_own_host(tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><title>x</title>")
    port = free_port()
    handler = functools.partial(preview.local_http_handler(SimpleHTTPRequestHandler, port), directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        fill = functools.partial(str.format, port=port, other=port + 1)
        for host in GOOD_HOSTS:
            assert status(port, fill(host)) == 200, host
        for host in BAD_HOSTS:
            assert status(port, fill(host)) in REFUSED, host
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_the_test_and_screenshot_server_answers_only_its_own_host(tmp_path):
    from sitebuild import browser

    (tmp_path / "index.html").write_text("<!doctype html><title>x</title>")
    with browser.serve(tmp_path) as base:
        port = int(base.rsplit(":", 1)[1].strip("/"))
        assert status(port, f"127.0.0.1:{port}") == 200
        for host in BAD_HOSTS:
            assert status(port, host.format(port=port, other=port + 1)) in REFUSED, host
