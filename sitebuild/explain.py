"""An error Pelican raised, as one line an editor can act on: which file (and line), what
is wrong, and how to fix it. Never a traceback."""

from __future__ import annotations

import os
import types

import jinja2


def error(exception: BaseException, settings: dict) -> str:
    if found := template_error(exception, settings):
        return found
    theme = settings.get("THEME", "theme")
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


def template_error(exception: BaseException, settings: dict) -> str | None:
    """The template and line a mistake in the theme is at, or None if it is not in one."""
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
    return None


def _template_frame(exception: BaseException, theme: str):
    """The innermost place in a theme template the error passed through, as (filename,
    lineno). Jinja rewrites a traceback to template lines only when the error leaves a
    render; a macro called from Python keeps compiled-code lines, mapped back here."""
    found = None
    tb = exception.__traceback__
    while tb is not None:
        template = tb.tb_frame.f_globals.get("__jinja_template__")
        if template is not None and template.filename:
            found = (template.filename, template.get_corresponding_lineno(tb.tb_lineno))
        elif os.path.abspath(tb.tb_frame.f_code.co_filename).startswith(theme + os.sep):
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    if found and os.path.abspath(found[0]).startswith(theme + os.sep):
        return types.SimpleNamespace(filename=found[0], lineno=found[1])
    return None
