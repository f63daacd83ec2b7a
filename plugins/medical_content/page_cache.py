"""Each page's work kept on disk between development builds (README, "Performance").

A page's entry holds what Markdown made of it and what the plugin then did to it (its drawn
boxes, citations, outline, reading grade, the ids and links the site-wide link check needs)
and every problem and report line it gave. It is found by a key made of the page's own
bytes and path and of everything else that can change the result (`global_key`): every file
under the content's data/ folder, the theme, the plugins and sitebuild, the settings, the list
of files under content/ (a translation's original must exist), the pinned packages and
"today". Any change to one of those makes a new key, so the page is read and checked again;
nothing is ever looked up by date or name alone.

A cached page still reports its problems, in every build, until its inputs change. Entries
that cannot be read, or come from another format or key, are ignored with one notice and
made again. Entries no build used are removed at the end of each build.

On only with PAGE_CACHE (pelicanconf.py); production builds, tests and CI build cold.
The entries are pickles: only this machine's own builds write the folder (like .venv).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
import pickle
import sys
import tempfile
import types
from pathlib import Path

import jinja2

log = logging.getLogger(__name__)

FORMAT = "medical_content page cache 3"  # change when an entry's layout changes
FOLDER = "medical_content-pages"  # under Pelican's CACHE_PATH
TEMPLATES_FOLDER = "medical_content-templates"  # beside it: Jinja's compiled templates
PLAIN = (str, int, float, bool, type(None), datetime.date)  # datetime is a date too


def switched_on(settings: dict, name: str) -> bool:
    """A build switch: on when the setting `name` is true and the environment variable of the
    same name does not say 0, off or no (PAGE_CACHE, PARALLEL_BUILD)."""
    return bool(settings.get(name)) and os.environ.get(name, "").lower() not in {"0", "off", "no"}


def enabled(settings: dict) -> bool:
    return switched_on(settings, "PAGE_CACHE")


def canonical(value, depth: int = 0) -> str:
    """A text for a settings value that is the same in every process (no addresses, no
    hash-seed order); functions by their module, name and code."""
    if depth > 8:
        return "..."
    if isinstance(value, dict):
        items = sorted((canonical(k, depth + 1), canonical(v, depth + 1)) for k, v in value.items())
        return "{" + ",".join(f"{k}:{v}" for k, v in items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(canonical(v, depth + 1) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(canonical(v, depth + 1) for v in value)) + "}"
    if isinstance(value, PLAIN):
        return repr(value)
    if isinstance(value, types.CodeType):
        return value.co_code.hex() + canonical(value.co_consts, depth + 1) + canonical(value.co_names, depth + 1)
    code = getattr(value, "__code__", None)
    if code is not None:
        digest = hashlib.sha256(canonical(code).encode()).hexdigest()[:16]
        return f"<function {value.__module__}.{value.__qualname__} {digest}>"
    if isinstance(value, type):
        return f"<class {value.__module__}.{value.__qualname__}>"
    text = repr(value)
    return type(value).__qualname__ if " at 0x" in text else text


def _files_digest(digest, folder: Path) -> None:
    if not folder.is_dir():
        digest.update(f"missing {folder}\n".encode())
        return
    for path in sorted(folder.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        digest.update(f"{path.relative_to(folder)}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def global_key(settings: dict, today: datetime.date) -> str:
    """Everything besides the page itself that a page's result can depend on."""
    digest = hashlib.sha256(FORMAT.encode())
    content = Path(settings["PATH"])
    digest.update(f"today {today.isoformat()}\npython {sys.version}\n".encode())
    digest.update(canonical({k: v for k, v in settings.items() if k != "OUTPUT_PATH"}).encode())
    for distribution in _installed_distributions():
        digest.update(f"{distribution}\n".encode())
    plugin_root = Path(__file__).resolve().parents[1]
    folders = [content / "data", Path(settings["THEME"]), plugin_root,
               plugin_root.parent / "sitebuild", *map(Path, settings.get("THEME_TEMPLATES_OVERRIDES", []))]
    folders += [Path(p) for p in settings.get("PLUGIN_PATHS", [])]
    for folder in dict.fromkeys(f.resolve() for f in folders):
        digest.update(f"folder {folder.name}\n".encode())
        _files_digest(digest, folder)
    # The names of every file under content/ (not their bytes, each page has its own key):
    # a translation checks that its original exists, a link that its target does.
    for folder, folders, files in os.walk(content):
        folders.sort()
        relative = os.path.relpath(folder, content)
        for name in sorted(folders + files):
            digest.update(f"{os.path.normpath(os.path.join(relative, name))}\n".encode())
    return digest.hexdigest()


def _installed_distributions() -> list[str]:
    """Every installed package, with its version, as the name of its metadata folder
    ("Jinja2-3.1.6.dist-info"): the folders importlib.metadata finds on sys.path, without
    reading each package's METADATA file (a millisecond a package)."""
    found = set()
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as listing:
                found.update(e.name for e in listing if e.name.endswith((".dist-info", ".egg-info")))
        except OSError:  # not a folder (a zip file), or gone
            continue
    return sorted(found)


class PageCache:
    """Entries on disk, one file per page key; see the module's notes."""

    def __init__(self, folder: Path, key: str):
        self.folder = folder
        self.global_key = key
        self.readings: dict[str, tuple[str, dict]] = {}  # source -> (key, entry) found
        self.fresh: dict[str, tuple[str, str, dict]] = {}  # source -> (key, html, metadata) read now
        self.used: set[str] = set()
        self.ignored: list[str] = []
        self.given = self.redone = 0  # pages whose work came from the cache, and pages done again
        self.unwritable = False
        self.reading_log: WorkRecorder | None = None

    @classmethod
    def for_settings(cls, settings: dict, today: datetime.date) -> PageCache:
        """The cache kept between development builds, under CACHE_PATH."""
        return cls(Path(settings.get("CACHE_PATH", "cache")) / FOLDER, global_key(settings, today))

    def templates(self) -> jinja2.BytecodeCache | None:
        """Jinja's compiled templates, kept beside the pages so a build does not compile the
        theme again. Jinja keeps a checksum of each template's source with its code and
        compiles a template whose source changed; a damaged file is compiled again too."""
        folder = self.folder.parent / TEMPLATES_FOLDER
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None  # the page cache gives the notice when it cannot write
        return _TemplateCache(str(folder))

    def key(self, source_path: str) -> str | None:
        try:
            data = Path(source_path).read_bytes()
        except OSError:
            return None
        digest = hashlib.sha256(self.global_key.encode())
        digest.update(os.path.abspath(source_path).encode() + b"\0" + data)
        return digest.hexdigest()

    def _load(self, key: str) -> dict | None:
        path = self.folder / f"{key}.pickle"
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            self.ignored.append(f"{path.name} ({error.strerror or error})")
            return None
        try:
            entry = pickle.loads(raw)
        except Exception:  # noqa: BLE001 - any damage means: make it again
            self.ignored.append(f"{path.name} (unreadable)")
            return None
        if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("key") != key:
            self.ignored.append(f"{path.name} (written by another version or for other inputs)")
            return None
        return entry

    def shared(self, name: str, make):
        """What `make()` returns, kept like a page: for work every page shares that depends only
        on the global inputs (the option grids, with their checks and reading grades). Its
        problems are part of the value, so they are reported in every build."""
        key = hashlib.sha256(f"{self.global_key}\nshared: {name}".encode()).hexdigest()
        entry = self._load(key)
        if entry is not None:
            self.used.add(key)
            return entry["value"]
        value = make()
        self.write_entry(key, {"format": FORMAT, "key": key, "value": value})
        return value

    # Pelican's reader cache hooks (Readers.get_cached_data / cache_data), by file path.
    def get_reading(self, path: str, default):
        self._stop_recording()  # a reading that raised never reached remember_reading
        key = self.key(path)
        entry = self._load(key) if key else None
        if entry is None:
            # Pelican's reader may warn (a field given twice): kept with the entry, given again
            self.reading_log = WorkRecorder()
            logging.getLogger().addHandler(self.reading_log)
            return default
        self.used.add(key)
        self.readings[os.path.abspath(path)] = (key, entry)
        replay(entry["reading_log"])
        return entry["html"], dict(entry["metadata"])

    def remember_reading(self, path: str, reading) -> None:
        lines = self._stop_recording()
        html, metadata = reading
        key = self.key(path)
        if key and all(_plain(v) for v in metadata.values()):
            self.fresh[os.path.abspath(path)] = (key, html, dict(metadata), lines)

    def _stop_recording(self) -> list:
        recorder, self.reading_log = self.reading_log, None
        if recorder is None:
            return []
        logging.getLogger().removeHandler(recorder)
        return recorder.lines

    def cached_work(self, source_path: str) -> dict | None:
        found = self.readings.pop(os.path.abspath(source_path), None)
        if found is None:
            self.redone += 1
            return None
        self.given += 1
        return found[1]["work"]

    def store_work(self, source_path: str, work: dict) -> None:
        found = self.fresh.pop(os.path.abspath(source_path), None)
        if found is None:
            return
        key, html, metadata, reading_log = found
        self.write_entry(key, {"format": FORMAT, "key": key, "html": html, "metadata": metadata,
                               "reading_log": reading_log, "work": work})

    def write_entry(self, key: str, entry: dict) -> None:
        try:
            raw = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - a value that cannot be kept: this one stays uncached
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(handle, "wb") as file:
                file.write(raw)
            os.replace(temporary, self.folder / f"{key}.pickle")
            self.used.add(key)
        except OSError as error:
            if not self.unwritable:
                self.unwritable = True
                log.warning("The page cache cannot be written (%s); builds stay cold until it can",
                            error, extra={"notice_only": True})

    def report_ignored(self) -> None:
        """One notice for the entries ignored so far."""
        self._stop_recording()
        if self.ignored:
            shown = ", ".join(self.ignored[:3]) + (f" and {len(self.ignored) - 3} more" if len(self.ignored) > 3 else "")
            log.warning("Ignored %d page cache entr%s in %s: %s; those pages were read and checked again",
                        len(self.ignored), "y" if len(self.ignored) == 1 else "ies", self.folder, shown,
                        extra={"notice_only": True})
            self.ignored = []

    def prune(self) -> None:
        """Remove the entries this build did not use (after the site is written)."""
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.stem not in self.used:
                try:
                    path.unlink()
                except OSError:
                    pass


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates held for one build only, so a cold build compiles each template
    once: Pelican gives each generator an environment of its own, and the plugin has one
    for components. Jinja checks each template's source against its checksum here too."""

    def __init__(self):
        self._code: dict[str, tuple[str, object]] = {}  # key -> (source checksum, code object)

    def load_bytecode(self, bucket) -> None:
        kept = self._code.get(bucket.key)
        if kept is not None and kept[0] == bucket.checksum:
            bucket.code = kept[1]

    def dump_bytecode(self, bucket) -> None:
        self._code[bucket.key] = (bucket.checksum, bucket.code)


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - Jinja gives up on a cut-off file: compile it again
            bucket.reset()
            log.warning("Ignored a damaged compiled template in %s (%s); it was compiled again",
                        self.directory, os.path.basename(self._get_cache_filename(bucket)),
                        extra={"notice_only": True})

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass  # not kept: compiled again next time


def _plain(value) -> bool:
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    return isinstance(value, PLAIN)


class WorkRecorder(logging.Handler):
    """The log lines a page's work gives (reading grade, notices), to give them again when
    the page comes from the cache."""

    def __init__(self):
        super().__init__(level=logging.INFO)
        self.lines: list[tuple[str, int, str, dict]] = []

    def emit(self, record):
        extra = {k: True for k in ("report", "notice_only") if getattr(record, k, False)}
        self.lines.append((record.name, record.levelno, record.getMessage(), extra))


def replay(lines) -> None:
    for name, level, message, extra in lines:
        logging.getLogger(name).log(level, "%s", message, extra=extra)
