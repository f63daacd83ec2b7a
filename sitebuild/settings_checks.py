"""Settings Pelican would only trip over later, checked before a build starts.

A misspelled Jinja option stops Pelican with a bare TypeError; a misspelled Markdown
extension makes it report "Could not process" for every page. Both are one mistake in a
settings file, reported once, with the setting and how to fix it.
"""

from __future__ import annotations

import inspect
import os
import re
from urllib.parse import urlsplit

import jinja2
import markdown


def problems(settings: dict, settings_file: str | os.PathLike) -> list[str]:
    return (_jinja_problems(settings, settings_file) + _markdown_problems(settings, settings_file)
            + address_problems(settings, settings_file) + data_path_problems(settings, settings_file))


# Addresses the theme writes into href= and the feeds: https, a host name, a plain path;
# nothing that could end an attribute, start a header or carry a second address.
HOST_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+(?::\d{1,5})?\Z")
URL_PATH = re.compile(r"(?:/[A-Za-z0-9._~-]+)*/?\Z")
# A plain e-mail address: no query (?bcc=), no line breaks, no percent-encoding, no quotes.
EMAIL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\Z")
PHONE = re.compile(r"\+?[0-9][0-9 ().-]{4,30}\Z")
ADDRESS_SETTINGS = {"SITEURL": "https://prp.example.org", "FEED_DOMAIN": "https://prp.example.org",
                    "CLINIC_WEBSITE": "https://clinic.example.org"}


def url_problem(name: str, value: str) -> str | None:
    """Why `value` is not a plain https address for the setting `name`, or None."""
    example = ADDRESS_SETTINGS.get(name, "https://example.org")
    if any(c in value for c in "\"'<>`\\ ") or any(ord(c) < 32 or 0x7f <= ord(c) <= 0x9f for c in value):
        return (f"{name} {value!r} holds a quote, space, angle bracket, backslash or control character; "
                f"write a plain address such as {example}")
    parts = urlsplit(value)
    if (parts.scheme != "https" or not HOST_NAME.match(parts.netloc.lower()) or parts.query
            or parts.fragment or "?" in value or "#" in value or not URL_PATH.match(parts.path)
            or "%" in value):
        return (f"{name} {value!r} is not a plain https:// address (a host name and a simple path, "
                f"no user name, query or fragment); write one such as {example}")
    return None


def address_problems(settings: dict, settings_file) -> list[str]:
    found = []
    for name in ADDRESS_SETTINGS:
        value = settings.get(name)
        if value and (problem := url_problem(name, str(value))):
            found.append(f"{settings_file}: {name}: {problem}")
    for name in ("CLINIC_EMAIL", "EDITORIAL_CONTACT"):
        email = str(settings.get(name) or "")
        if email and not EMAIL.match(email):
            found.append(f"{settings_file}: {name}: {email!r} is not a plain e-mail address (no "
                         "query such as ?bcc=, no line breaks or %-codes, no spaces or quotes); write "
                         "one such as editors@example.org")
    phone = str(settings.get("CLINIC_PHONE") or "")
    if phone and not PHONE.match(phone):
        found.append(f"{settings_file}: CLINIC_PHONE: {phone!r} is not a phone number; write "
                     "digits with spaces, dots, hyphens or brackets, e.g. +1 555 010 0199")
    return found


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


# The data files' settings: paths inside content/ (the plugin reads PATH / value). One that
# left it would be read from outside the repository, and outside every cache key.
DATA_PATH_SETTINGS = ("BIBLIOGRAPHY", "EVIDENCE", "GLOSSARY", "PAGE_HISTORY", "OPTION_GRIDS",
                      "REVIEWERS", "SIGN_OFFS", "SOURCE_CHECKS")


def data_path_problems(settings: dict, settings_file) -> list[str]:
    found = []
    for name in DATA_PATH_SETTINGS:
        if name not in settings:
            continue  # the plugin's own default
        value = settings[name]
        parts = value.split("/") if isinstance(value, str) else []
        if not parts or "\\" in value or value.startswith("/") or any(p in ("", ".", "..") for p in parts):
            found.append(f"{settings_file}: {name}: {value!r} is not a path inside content/; write one "
                         "such as 'data/glossary.toml' (forward slashes, no '..', not absolute)")
    return found
