"""What the build may read and publish: only files inside the repository's content/ and
theme/ folders, each of a kind the site uses.

- A symbolic link anywhere under content/ or theme/ is an error: it could bring in a file
  from outside the repository (the build machine's passwords, its environment).
- Only Markdown is read as a page; any other file in a page folder (.rst, .html, ...) is
  reported, neither read nor silently skipped.
- Static folders (content/images, content/extra, theme/static) hold no HTML or script, and
  each SVG drawing passes the same allowlist as a page's inline SVG.
- Every template the build draws with exists in the theme: Pelican would otherwise fall
  back to its own built-in theme without a word.
- A page's Save_as and Url stay inside the site and never replace another output.
"""

from __future__ import annotations

import fnmatch
import os
import posixpath
import re
from pathlib import Path

from . import html_checks
from .source_files import MARKDOWN_EXTENSIONS

# Files that would run as a page or script on the site's own address.
ACTIVE_EXTENSIONS = (".html", ".htm", ".xhtml", ".xht", ".shtml", ".js", ".mjs", ".svgz", ".php")
DATA_EXTENSIONS = (".toml",)
# XML features an HTML parser reads differently from a browser's XML parser.
XML_ONLY = re.compile(r"<!(?:DOCTYPE|ENTITY|\[CDATA\[)|<\?(?!xml\s)", re.I)
# The templates Pelican draws every build with; DIRECT_TEMPLATES are added from the settings.
REQUIRED_TEMPLATES = ("base", "article", "page", "category", "index")


def _ignored(name: str, settings: dict) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in settings.get("IGNORE_FILES", []))


def symlinks(roots: list[Path], label) -> list[str]:
    problems = []
    for root in roots:
        if root.is_symlink():
            problems.append(f"{label(root)}: is a symbolic link; replace it with the real folder")
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            for name in sorted(dirnames + filenames):
                path = Path(dirpath) / name
                if path.is_symlink():
                    problems.append(
                        f"{label(path)}: is a symbolic link (to {os.readlink(path)}); the build "
                        "publishes only real files inside the repository: copy the file in, or remove the link"
                    )
    return problems


def stray_and_static_files(settings: dict, label) -> list[str]:
    """Files in content/ that are not Markdown pages, data or allowed static files."""
    root = Path(settings["PATH"])
    page_folders = {*settings["ARTICLE_PATHS"], *settings["PAGE_PATHS"]}
    static_folders = set(settings["STATIC_PATHS"])
    data_folders = {posixpath.dirname(settings[n]) for n in ("BIBLIOGRAPHY", "EVIDENCE", "GLOSSARY") if settings.get(n)}
    problems = []
    for dirpath, _dirnames, filenames in os.walk(root):
        folder = os.path.relpath(dirpath, root)
        top = "" if folder == os.curdir else folder.split(os.sep)[0]  # "" for a file in content/ itself
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            if os.path.islink(path) or _ignored(name, settings):
                continue  # a link is reported by symlinks()
            lower = name.lower()
            if top in static_folders:
                problems += static_file_problems(Path(path), label)
            elif top in page_folders:
                if not lower.endswith(MARKDOWN_EXTENSIONS) and not lower.startswith("."):
                    problems.append(
                        f"{label(path)}: only Markdown pages (.md) are read; this file is neither "
                        "read nor published: rewrite it as Markdown or remove it"
                    )
            elif top in data_folders and lower.endswith(DATA_EXTENSIONS):
                continue
            else:
                problems.append(
                    f"{label(path)}: this file is in no folder the site reads or publishes; move "
                    f"pages into {', '.join(sorted(page_folders))} and files into "
                    f"{', '.join(sorted(static_folders))}, or remove it"
                )
    return problems


def theme_static_problems(theme: Path, label) -> list[str]:
    problems = []
    for dirpath, _dirnames, filenames in os.walk(theme / "static"):
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if not path.is_symlink():
                problems += static_file_problems(path, label)
    return problems


def static_file_problems(path: Path, label) -> list[str]:
    lower = path.name.lower()
    if lower.startswith(".") and lower != ".nojekyll":
        return [
            f"{label(path)}: hidden files (such as .htaccess) are not published: they can "
            "change how a host serves the site; remove it"
        ]
    if lower.endswith(ACTIVE_EXTENSIONS):
        return [
            f"{label(path)}: {path.suffix} files are not published: a page or script here would "
            "run on the site's address; make it a Markdown page, or remove it"
        ]
    if not lower.endswith(".svg"):
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return [f"{label(path)}: the drawing is not UTF-8 text; save it again as UTF-8 SVG"]
    problems = []
    if XML_ONLY.search(text):
        problems.append(
            f"{label(path)}: drawing: DOCTYPE, ENTITY, CDATA and processing instructions are not "
            "allowed in a drawing (browsers read SVG files as XML); remove them"
        )
    lines = text.splitlines()
    for hint, problem in dict.fromkeys(html_checks.scan(text, svg_file=True).problems):
        number = next((n for n, line in enumerate(lines, 1) if hint and hint in line), None)
        where = f"line {number}" if number else "drawing"
        problems.append(f"{label(path)}: {where}: {problem}")
    return problems


def missing_templates(settings: dict, label) -> list[str]:
    folder = Path(settings["THEME"]) / "templates"
    names = dict.fromkeys([*REQUIRED_TEMPLATES, *settings.get("DIRECT_TEMPLATES", [])])
    return [
        f"{label(folder / (name + '.html'))}: the theme template is missing; restore it "
        "(the build never falls back to Pelican's own theme)"
        for name in names
        if not (folder / f"{name}.html").is_file()
    ]


def address_problems(contents: list, generators, settings: dict, label) -> list[str]:
    """A page's Save_as and Url: inside the site, and not another output's address."""
    reserved: dict[str, str] = {}
    for generator in generators:
        for static in getattr(generator, "staticfiles", []):
            reserved[static.save_as] = f"the file {static.relative_source_path}"
        for category, _articles in getattr(generator, "categories", []):
            reserved[category.save_as] = f"the list of {category.name}"
    for name in settings.get("DIRECT_TEMPLATES", []):
        save_as = settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html")
        if save_as:
            reserved[save_as] = f"the site's {name} page"
    theme_prefix = settings.get("THEME_STATIC_DIR", "theme").strip("/") + "/"
    problems = []
    for content in contents:
        where = label(content.source_path)
        for field_name, value in (("Save_as", content.save_as), ("Url", content.url)):
            if value is None:
                continue
            text = str(value).replace("\\", "/")
            normal = posixpath.normpath(text) if text else text
            if (
                "://" in text or text.startswith(("/", "//")) or normal == ".."
                or normal.startswith("../") or any(ord(c) < 32 for c in text)
            ):
                problems.append(
                    f"{where}: metadata ({field_name}): '{value}' leaves the site; write a path "
                    "inside it, such as my-page/index.html, or remove the field"
                )
                continue
            if field_name != "Save_as" or not text:
                continue
            for candidate in (normal, text):
                clash = reserved.get(candidate)
                if clash is None and (candidate.startswith(theme_prefix) or candidate.startswith("feeds/")):
                    clash = "the theme's files" if candidate.startswith(theme_prefix) else "the feeds"
                if clash:
                    problems.append(
                        f"{where}: metadata (Save_as): '{value}' would replace {clash}; remove "
                        "Save_as (the file name gives the address) or choose a free one"
                    )
                    break
    return problems
