"""An error Pelican raised, as one line an editor can act on: which file (and line), what
is wrong, and how to fix it. Never a traceback."""

from __future__ import annotations

import os
import traceback

import jinja2


def error(exception: BaseException, settings: dict) -> str:
    theme = os.path.abspath(settings.get("THEME", "theme"))

    def label(path: str) -> str:
        return os.path.relpath(path, os.path.dirname(theme)) if path else "a template"

    if isinstance(exception, jinja2.TemplateSyntaxError):
        where = exception.filename or exception.name or ""
        return (f"{label(where)}: line {exception.lineno}: {exception.message}; fix the "
                "template's syntax")
    frame = _template_frame(exception, theme)
    if frame is not None:
        return (f"{label(frame.filename)}: line {frame.lineno}: {exception}; correct the name "
                "in the template, or give the page what the template needs")
    if isinstance(exception, jinja2.TemplateNotFound):
        return (f"{theme}: the template '{exception}' is not there; add it to "
                "theme/templates, or correct the name that asks for it")
    if isinstance(exception, OSError) and exception.filename:
        return (f"{exception.filename}: cannot write it ({exception.strerror}); make the output "
                "folder writable and leave room on the disk")
    if isinstance(exception, RecursionError):
        return ("a page is nested too deeply to build (lists or quotes inside one another); "
                "flatten it")
    return f"{type(exception).__name__}: {exception}"


def _template_frame(exception: BaseException, theme: str):
    """The innermost traceback entry inside a theme template (Jinja names the template
    file and its line in the traceback)."""
    frames = traceback.extract_tb(exception.__traceback__)
    inside = [f for f in frames if os.path.abspath(f.filename).startswith(theme + os.sep)]
    return inside[-1] if inside else None
