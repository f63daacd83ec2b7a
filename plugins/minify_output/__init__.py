"""Pelican plugin: make the production site's HTML and CSS smaller without changing what a
page shows. Listed in PLUGINS by publishconf.py only, so development output stays readable.

HTML: comments and indentation go; runs of whitespace become one character, which the
browser would collapse anyway. `<pre>`, `<textarea>` and `<script>` are left exactly as
they are. CSS: comments go, and the spaces around `{ } ; , :` outside strings.
Runs at `finalized`, after every file is written and before sitebuild swaps the site in.
"""

from __future__ import annotations

import re
from pathlib import Path

from pelican import signals

PROTECTED = re.compile(r"(<(pre|textarea|script)\b.*?</\2>)", re.S | re.I)
COMMENT = re.compile(r"<!--(?!\[if).*?-->", re.S)
CSS_STRING_OR_COMMENT = re.compile(r"(\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*')|/\*.*?\*/", re.S)


def minify_html(html: str) -> str:
    parts = PROTECTED.split(html)
    out = []
    # split() with two groups yields: text, whole protected element, tag name, text, ...
    for index in range(0, len(parts), 3):
        text = COMMENT.sub("", parts[index])
        text = re.sub(r"[ \t]*\n\s*", "\n", text)  # indentation and blank lines
        out.append(re.sub(r"[ \t]{2,}", " ", text))
        if index + 1 < len(parts):
            out.append(parts[index + 1])
    return "".join(out).strip() + "\n"


def minify_css(css: str) -> str:
    out = []
    position = 0
    for match in CSS_STRING_OR_COMMENT.finditer(css):
        out.append(_squeeze(css[position : match.start()]))
        out.append(match.group(1) or "")  # keep strings as written; drop comments
        position = match.end()
    out.append(_squeeze(css[position:]))
    return "".join(out).strip() + "\n"


def _squeeze(css: str) -> str:
    css = re.sub(r"\s+", " ", css)
    css = re.sub(r"\s*([{};,>])\s*", r"\1", css)
    css = re.sub(r":\s+", ":", css)
    return css.replace(";}", "}")


def minify_output(pelican) -> None:
    for path in Path(pelican.output_path).rglob("*"):
        if path.suffix == ".html":
            path.write_text(minify_html(path.read_text(encoding="utf-8")), encoding="utf-8")
        elif path.suffix == ".css":
            path.write_text(minify_css(path.read_text(encoding="utf-8")), encoding="utf-8")


def register():
    signals.finalized.connect(minify_output)
