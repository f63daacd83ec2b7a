"""Settings Pelican would only trip over later, checked before a build starts.

A misspelled Jinja option stops Pelican with a bare TypeError; a misspelled Markdown
extension makes it report "Could not process" for every page. Both are one mistake in a
settings file, reported once, with the setting and how to fix it.
"""

from __future__ import annotations

import inspect
import os

import jinja2
import markdown


def problems(settings: dict, settings_file: str | os.PathLike) -> list[str]:
    return _jinja_problems(settings, settings_file) + _markdown_problems(settings, settings_file)


def _jinja_problems(settings: dict, settings_file) -> list[str]:
    options = dict(settings.get("JINJA_ENVIRONMENT", {}))
    known = [n for n in inspect.signature(jinja2.Environment).parameters if n != "self"]
    unknown = [name for name in options if name not in known]
    if unknown:
        return [f"{settings_file}: JINJA_ENVIRONMENT: '{name}' is not a Jinja option; use one "
                f"of: {', '.join(known)}" for name in unknown]
    try:
        jinja2.Environment(**options)
    except Exception as error:  # noqa: BLE001 - a wrong value, reported as a message
        return [f"{settings_file}: JINJA_ENVIRONMENT: {error}; correct the value"]
    return []


def _markdown_problems(settings: dict, settings_file) -> list[str]:
    config = dict(settings.get("MARKDOWN", {}))
    configs = dict(config.get("extension_configs", {}))
    found = []
    for name in [*config.get("extensions", []), *configs]:
        try:
            markdown.Markdown(extensions=[name], extension_configs={name: configs.get(name, {})})
        except Exception as error:  # noqa: BLE001 - ImportError, a bad option, ...
            found.append(f"{settings_file}: MARKDOWN: the extension '{name}' cannot be used "
                         f"({error}); correct its name or options, e.g. "
                         "markdown.extensions.toc")
    return found
