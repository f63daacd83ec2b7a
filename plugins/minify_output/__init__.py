"""Pelican plugin: make the production site's HTML and CSS smaller without changing what a
page shows. Listed in PLUGINS by publishconf.py only, so development output stays readable.

The work is minify-html's (pinned in requirements.txt), which parses each page by the HTML
standard's rules, as a browser does, instead of matching text: comments go, white space the
browser would collapse goes, text, attributes and links stay as they were
(tests/test_production.py compares every page's parse before and after). Closing tags, the
`<html>` and `<head>` tags and attribute quotes are what they were; `<pre>`, `<textarea>` and
`<script>` (our JSON-LD) are left alone. A stylesheet is minified by minify-html's CSS
minifier, as it minifies a `<style>` element.
Runs at `finalized`, after every file is written and before sitebuild swaps the site in.
"""

from __future__ import annotations

from pathlib import Path

import minify_html
from pelican import signals

HTML_OPTIONS = {
    "keep_closing_tags": True,  # html-validate, and editors reading the output, expect them
    "keep_html_and_head_opening_tags": True,
    "minify_css": True,  # CSS in style="" and <style>, if a template ever has any
    "minify_js": False,  # our only scripts are JSON-LD data: left exactly as written
}


def minify_page(html: str) -> str:
    return minify_html.minify(html, **HTML_OPTIONS)


def minify_css(css: str) -> str:
    """The stylesheet as minify-html minifies the same rules in a `<style>` element; the
    stylesheet unchanged when it could not stand in one."""
    if "</style" in css.lower():
        return css
    wrapped = minify_html.minify(f"<style>{css}</style>", minify_css=True)
    if not (wrapped.startswith("<style>") and wrapped.endswith("</style>")):
        return css
    return wrapped[len("<style>"):-len("</style>")] + "\n"


def minify_output(pelican) -> None:
    for path in sorted(Path(pelican.output_path).rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        if path.suffix == ".html":
            path.write_text(minify_page(path.read_text(encoding="utf-8")), encoding="utf-8")
        elif path.suffix == ".css":
            path.write_text(minify_css(path.read_text(encoding="utf-8")), encoding="utf-8")


def register():
    signals.finalized.connect(minify_output)
