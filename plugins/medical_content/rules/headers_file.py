"""content/extra/_headers, the response headers Netlify and Cloudflare Pages send with the
site, checked against an allowlist: a header outside it (Refresh, Set-Cookie, Link,
Access-Control-Allow-Origin...) or a value that loosens the policy (script-src *, a host,
'unsafe-inline', a report address) is an error naming the line.

The file's form: comment lines (#), blank lines, a path line (/* or /some/path) and, indented
below it, `Name: value` lines.
"""

from __future__ import annotations

import re
from pathlib import Path

# Content-Security-Policy: the directives a static site without script needs, each allowed
# only 'self' or 'none' (and the directives that take no source at all).
CSP_FETCH = {"default-src", "script-src", "style-src", "img-src", "font-src", "connect-src",
             "object-src", "frame-src", "media-src", "manifest-src", "worker-src", "child-src",
             "base-uri", "form-action", "frame-ancestors", "script-src-elem", "script-src-attr",
             "style-src-elem", "style-src-attr"}
CSP_FLAGS = {"upgrade-insecure-requests", "block-all-mixed-content"}
CSP_SOURCES = {"'self'", "'none'"}
VALUES = {
    "referrer-policy": re.compile(r"(?:no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)\Z"),
    "x-content-type-options": re.compile(r"nosniff\Z"),
    "x-frame-options": re.compile(r"(?:DENY|SAMEORIGIN)\Z", re.I),
    "permissions-policy": re.compile(r"[a-z-]+=\(\)(?:,\s*[a-z-]+=\(\))*\Z"),
    "cross-origin-opener-policy": re.compile(r"same-origin\Z"),
    "cross-origin-resource-policy": re.compile(r"(?:same-origin|same-site)\Z"),
    "cross-origin-embedder-policy": re.compile(r"require-corp\Z"),
    "strict-transport-security": re.compile(r"max-age=\d{1,9}(?:;\s*includeSubDomains)?(?:;\s*preload)?\Z", re.I),
    "cache-control": re.compile(r"(?:public|private|no-cache|no-store|must-revalidate|immutable|max-age=\d{1,9})"
                                r"(?:,\s*(?:public|private|no-cache|no-store|must-revalidate|immutable|max-age=\d{1,9}))*\Z"),
}
ALLOWED = sorted(["content-security-policy", *VALUES])
PATH_LINE = re.compile(r"/[A-Za-z0-9._~/*-]*\Z")
HEADER_LINE = re.compile(r"([A-Za-z0-9-]+):\s*(.*)\Z")


def problems(path: Path, label) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return [f"{label(path)}: the file is not UTF-8 text; save it again as UTF-8"]
    found = []
    seen_path = False
    for number, line in enumerate(text.splitlines(), 1):
        where = f"{label(path)}: line {number}"
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not line[:1].isspace():
            if not PATH_LINE.match(stripped):
                found.append(f"{where}: '{stripped}' is not a path such as /* or /guides/*; write one")
            seen_path = True
            continue
        match = HEADER_LINE.match(stripped)
        if not match or not seen_path:
            found.append(f"{where}: not a header line 'Name: value' under a path; correct it")
            continue
        name, value = match.group(1).lower(), match.group(2).strip()
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            found.append(f"{where}: the value holds a control character; delete it")
        elif name == "content-security-policy":
            found += [f"{where}: Content-Security-Policy: {p}" for p in csp_problems(value)]
        elif name not in VALUES:
            found.append(f"{where}: the header {match.group(1)} is not allowed; a static host may send "
                         f"only: {', '.join(ALLOWED)}")
        elif not VALUES[name].match(value):
            found.append(f"{where}: {match.group(1)}: '{value}' is not an allowed value; keep the strict "
                         "value this file had (see its comment)")
    return found


def csp_problems(value: str) -> list[str]:
    found = []
    for directive in filter(None, (part.strip() for part in value.split(";"))):
        name, *sources = directive.split()
        name = name.lower()
        if name in CSP_FLAGS and not sources:
            continue
        if name not in CSP_FETCH:
            found.append(f"the directive '{name}' is not allowed (reports and sandbox rules send or "
                         f"change what the page does); use only: {', '.join(sorted(CSP_FETCH | CSP_FLAGS))}")
            continue
        loose = [source for source in sources if source.lower() not in CSP_SOURCES]
        if loose or not sources:
            found.append(f"'{name}' allows {' '.join(loose) or 'nothing stated'}; this site loads only "
                         "its own files: use 'self' or 'none'")
    return found
