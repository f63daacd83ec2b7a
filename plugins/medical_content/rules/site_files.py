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
- A page's Slug, Save_as and Url use a small safe alphabet (nothing that can break out of an
  attribute or name a hidden file), stay inside the site and the page's language folder, and
  never replace another output: another page, a language's home, list or 404 page, a
  printable grid, a static file or a host's configuration file. Url is the address of the
  page's own file, so no link leads elsewhere.
- A Markdown file with an upper-case extension (.MD) is an error: Pelican would skip it.
- content/extra/_headers passes an allowlist (headers_file.py); SVG files' text passes the
  wording and typed-fact rules (reader_text.py).
"""

from __future__ import annotations

import fnmatch
import os
import posixpath
import re
from pathlib import Path

from . import headers_file
from . import html_checks
from . import reader_text
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
                elif not name.endswith(MARKDOWN_EXTENSIONS) and not lower.startswith("."):
                    # Pelican reads extensions case-sensitively: new-guide.MD would be skipped
                    problems.append(
                        f"{label(path)}: the extension {os.path.splitext(name)[1]} is not lower-case, "
                        "so the page would be silently skipped; rename the file to end in .md"
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
    if lower == "_headers":
        return headers_file.problems(path, label)
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
    scanned = html_checks.scan(text, svg_file=True)
    # The drawing's words, hidden ones apart, under the same rules as a page's.
    for block in scanned.seen:
        problems += reader_text.problems(label(path), "drawing text", block, [])
    for hint, problem in dict.fromkeys(scanned.problems):
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


# A page's own address: lower-case letters, digits, "-" and "_" (never first), "." only
# before the extension; nothing a browser, a shell or a host reads specially.
SAFE_SEGMENT = re.compile(r"[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9]+)?")
SAFE_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")
# Files a static host reads as its own configuration, or serves for the whole site.
HOST_FILES = {"_headers", "_redirects", ".htaccess", ".htpasswd", "cname", "robots.txt", "sitemap.xml",
              "404.html", "favicon.ico", "favicon.svg", ".nojekyll", "netlify.toml", "vercel.json"}


def _reserved_outputs(generators, settings: dict) -> dict[str, str]:
    """Every output no page may take: static files, category lists, the site's own pages
    and each other language's home, 404 page and lists."""
    reserved: dict[str, str] = {}
    categories = []
    for generator in generators:
        for static in getattr(generator, "staticfiles", []):
            reserved[static.save_as] = f"the file {static.relative_source_path}"
        for category, _articles in getattr(generator, "categories", []):
            reserved[category.save_as] = f"the list of {category.name}"
            categories.append(category)
    default = settings.get("DEFAULT_LANG", "en")
    languages = [lang for lang in settings.get("LANGUAGES", []) if lang != default]
    for name in settings.get("DIRECT_TEMPLATES", []):
        save_as = settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html")
        if save_as:
            reserved[save_as] = f"the site's {name} page"
            if name in ("index", "404"):
                for lang in languages:
                    reserved[f"{lang}/{save_as}"] = f"the site's {name} page in '{lang}'"
    for lang in languages:
        for category in categories:
            reserved[f"{lang}/{category.save_as}"] = f"the list of {category.name} in '{lang}'"
    return reserved


def _address_of_file(save_as: str) -> str:
    return save_as.removesuffix("index.html") if save_as.endswith("index.html") else save_as


def address_problems(contents: list, generators, settings: dict, label) -> list[str]:
    """A page's Slug, Save_as and Url: a small safe alphabet, inside the site, in its own
    language's folder, its Url the address of its own file, and never another output's
    address, a printable grid's, a hidden file or a host's configuration file."""
    reserved = _reserved_outputs(generators, settings)
    default = settings.get("DEFAULT_LANG", "en")
    other_languages = {lang for lang in settings.get("LANGUAGES", []) if lang != default}
    theme_prefix = settings.get("THEME_STATIC_DIR", "theme").strip("/") + "/"
    fix = "remove the field (the file name gives the address) or write one such as my-page/index.html"
    problems = []
    for content in contents:
        where = label(content.source_path)
        metadata = getattr(content, "metadata", {})

        def report(field_name: str, problem: str) -> None:
            if field_name.lower() in metadata:
                place = field_name
            else:  # worked out from the Slug, or from the file name
                place = "Slug" if "slug" in metadata else f"{field_name}, from the file name"
            problems.append(f"{where}: metadata ({place}): {problem}")

        slug = str(getattr(content, "slug", "") or "")
        if not SAFE_SLUG.match(slug):
            report("Slug", f"'{slug}' is not a plain address; use only lower-case letters, digits and "
                           "hyphens, e.g. my-page (or remove Slug: the file name gives it)")
            continue
        bad_field = False
        for field_name, value in (("Save_as", content.save_as), ("Url", content.url)):
            if value is None:
                continue
            text = str(value).replace("\\", "/")
            normal = posixpath.normpath(text) if text else text
            if (
                "://" in text or text.startswith(("/", "//")) or normal == ".."
                or normal.startswith("../") or any(ord(c) < 32 for c in text)
                or text.lower().startswith(("javascript:", "data:", "mailto:", "tel:"))
            ):
                report(field_name, f"'{value}' leaves the site; write a path inside it, such as "
                                   "my-page/index.html, or remove the field")
                bad_field = True
                continue
            segments = text.split("/")
            if field_name == "Url" and segments[-1] == "":
                segments = segments[:-1]
            if text and not all(SAFE_SEGMENT.fullmatch(part) for part in segments):
                bad_field = True
                hidden = any(part.startswith((".", "_")) for part in segments)
                report(field_name, f"'{value}' "
                       + ("names a hidden or host configuration file (starting with . or _); "
                          if hidden else "holds characters an address may not; ")
                       + "use only lower-case letters, digits, hyphens and slashes, e.g. my-page/index.html, "
                       "or remove the field")
        if bad_field:
            continue
        save_as = str(content.save_as or "")
        url = str(content.url or "")
        lang = getattr(content, "lang", default)
        first = save_as.split("/", 1)[0] if "/" in save_as else ""
        inner = save_as[len(lang) + 1:] if lang in other_languages and first == lang else save_as
        clash = reserved.get(save_as)
        if clash is None and inner.startswith("compare/"):
            clash = "the printable option grids (compare/)"
        if clash is None and (save_as.startswith(theme_prefix) or save_as.startswith("feeds/")):
            clash = "the theme's files" if save_as.startswith(theme_prefix) else "the feeds"
        if clash is None and posixpath.basename(save_as).lower() in HOST_FILES:
            clash = f"the host's file {posixpath.basename(save_as)}"
        if clash is None and first in other_languages and first != lang:
            clash = f"a page in the '{first}' pages' folder (this page is in '{lang}')"
        if clash is None and lang in other_languages and first != lang and save_as:
            clash = f"a page outside the '{lang}/' folder of its language"
        if clash is None and inner.split("/", 1)[0] in other_languages | {default}:
            clash = "another language's pages"
        if clash:
            report("Save_as", f"'{save_as}' would replace {clash}; {fix}")
            continue
        if save_as and not save_as.endswith(".html"):
            report("Save_as", f"'{save_as}' is not a page file (.html); a page is published as "
                              "my-page/index.html; remove Save_as or write such an address")
            continue
        if save_as and url != _address_of_file(save_as) and url != save_as:
            if "url" in metadata:
                report("Url", f"'{url}' is not the address of the page's own file ({save_as}); links "
                              "would lead elsewhere; remove Url (and Save_as): the file name gives both")
            else:
                report("Save_as", f"'{save_as}' is not where the page's links lead ({url}, from the "
                                  "file name); remove Save_as: the file name gives the address")
    return problems
