"""Build the site the safe way. tasks.py and the tests both build through `build()`.

Pelican on its own drops a page it cannot read, skips an article without a date and ignores a
plugin it cannot load, all with exit code 0; with `--fatal warnings` it stops at the first
warning only. Here every warning and error Pelican or a plugin logs is collected, the whole
list is reported at once, and the build fails. The site is written into a fresh folder beside
the output folder and swapped in only when the build succeeded, so a failed build never
leaves a half-written site behind.
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import gc
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import blinker
import pelican.contents
from pelican import Pelican
from pelican import log as pelican_log
from pelican.plugins import signals
from pelican.settings import read_settings

from . import cache_folder, explain, settings_checks

__all__ = ["INTERRUPTED", "BuildFailed", "BuildResult", "build", "load_settings"]

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
EVERY_LEVEL = 1  # a log level below DEBUG: Pelican then drops no message as a repeat

INTERRUPTED = "The build was interrupted (Ctrl-C or a stop signal). Nothing was published: the output folder still holds the last good build."


class BuildFailed(Exception):
    """The build stopped; `problems` lists every reason, one line each, for an editor."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        heading = f"The build failed with {count} problem{'s' if count != 1 else ''}:"
        lines = [heading] + [f"  - {problem}" for problem in self.problems]
        lines.append("Nothing was published: the output folder still holds the last good build.")
        return "\n".join(lines)


@dataclass
class BuildResult:
    output_path: Path
    seconds: float
    pages: list[str] = field(default_factory=list)  # output files ending in .html, relative
    notices: list[str] = field(default_factory=list)  # warnings that do not fail this build
    report: list[str] = field(default_factory=list)  # summaries plugins give, e.g. of grades
    details: list[str] = field(default_factory=list)  # the line of each page behind them

    def summary(self, verbose: bool = False) -> str:
        """What an editor sees after a good build; `verbose` adds each page's line."""
        lines = (self.details if verbose else []) + self.report
        lines += [f"Warning: {notice}" for notice in self.notices]
        lines.append(f"Built {len(self.pages)} pages into {self.output_path} in {self.seconds:.2f} s")
        return "\n".join(lines)


class _Collector(logging.Handler):
    """Keeps every warning and error logged during a build, and the report lines plugins
    log at INFO with `extra={"report": True}` (and the lines of their `details`, if any)."""

    def __init__(self):
        super().__init__(level=logging.INFO)
        self.records: list[logging.LogRecord] = []
        self.report: list[str] = []
        self.details: list[str] = []
        self.causes: dict[int, BaseException] = {}  # id(record) -> the error being handled

    def emit(self, record):
        if getattr(record, "report", False):
            self.report.append(record.getMessage())
            self.details += getattr(record, "details", [])
        elif record.levelno >= logging.WARNING:
            self.records.append(record)
            # Pelican logs "Could not process FILE" without the reason (unless DEBUG); it
            # is the exception being handled while the message is logged.
            if record.levelno >= logging.ERROR and sys.exc_info()[1] is not None:
                self.causes[id(record)] = sys.exc_info()[1]


def _describe(record: logging.LogRecord, cause: BaseException | None = None, settings=None) -> str:
    message = record.getMessage().strip()
    if cause is not None:
        # A mistake in a template is reported once, at its line, not once per page.
        return explain.template_error(cause, settings) or f"{message}: {explain.error(cause, settings)}"
    if record.exc_info and record.exc_info[1] is not None:
        error = record.exc_info[1]
        detail = str(error).strip() or type(error).__name__
        if detail not in message:
            message = f"{message}: {detail}"
    return message


def load_settings(settings_file: str | os.PathLike, overrides: dict | None = None) -> dict:
    """Pelican's settings from a file; a broken settings file raises BuildFailed.

    A copy: the values of a settings module that another imports (publishconf.py imports
    pelicanconf.py) stay in Python's module cache, and Pelican changes some of them in place
    (its Markdown reader adds to MARKDOWN), so a second build in the process would start from
    other settings."""
    try:
        return copy.deepcopy(read_settings(str(settings_file), override=overrides or {}))
    except SystemExit as stop:  # publishconf.py stops this way when SITEURL is missing
        raise BuildFailed([str(stop.code)]) from None
    except FileNotFoundError as error:
        raise BuildFailed([f"{settings_file}: settings file not found ({error})"]) from None
    except Exception as error:  # a typo in a settings file is an editor's error too
        raise BuildFailed([f"{settings_file}: cannot load the settings: {error}"]) from None


def build(
    settings_file: str | os.PathLike = "pelicanconf.py",
    *,
    output_path: str | os.PathLike | None = None,
    overrides: dict | None = None,
) -> BuildResult:
    """Build the site into `output_path` (default: the settings' OUTPUT_PATH).

    Raises BuildFailed listing every problem; the output folder is then left as it was.
    """
    started = time.perf_counter()
    settings = load_settings(settings_file, overrides)
    settings.update(cache_folder.settings_for(settings))
    final = Path(output_path or settings["OUTPUT_PATH"]).resolve()
    problems = settings_checks.problems(settings, settings_file)
    if problems:
        raise BuildFailed(problems)
    created, staging, lock = [], None, None
    with _stop_signal_interrupts():
        try:
            with _interrupts_deferred():
                _remove_leftovers(final)
                created, staging = _make_staging(final)
                lock = _hold(staging)
            return _build_into(settings, staging, final, started)
        except BaseException:  # a failure, Ctrl-C or a stop signal: leave nothing behind
            with _interrupts_deferred():
                if staging is not None:
                    shutil.rmtree(staging, ignore_errors=True)
                for folder in reversed(created):  # folders made for the output, innermost first
                    with contextlib.suppress(OSError):
                        folder.rmdir()
            raise
        finally:
            if lock is not None:
                os.close(lock)


def _build_into(settings: dict, staging: Path, final: Path, started: float) -> BuildResult:
    settings["OUTPUT_PATH"] = str(staging)
    collector = _Collector()
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(collector)
    root.setLevel(min(previous_level or logging.WARNING, logging.WARNING))
    # Pelican drops a warning it has logged once before in this process, and all but the
    # first few of a kind (its --logs-dedup-min-level): every build reports every warning
    # of its own, however many builds the process runs (the tests run many).
    pelican_log.init(handler=None, logs_dedup_min_level=EVERY_LEVEL)
    # Plugins connect to Pelican's signals for the life of the process: disconnect them, so
    # that this build runs exactly the plugins its own settings list.
    for pelican_signal in vars(signals).values():
        if isinstance(pelican_signal, blinker.Signal):
            for receiver in list(pelican_signal.receivers_for(blinker.ANY)):
                pelican_signal.disconnect(receiver)
    problems: list[str] = []
    try:
        Pelican(settings).run()
    except (Exception, SystemExit) as error:  # noqa: BLE001 - a message, never a traceback
        # A plugin's error may carry its own list of problems (medical_content's does).
        problems.extend(getattr(error, "problems", None) or [explain.error(error, settings)])
    finally:
        root.removeHandler(collector)
        root.setLevel(previous_level)
        _forget_pages()

    notices, report = [], collector.report
    for record in collector.records:
        cause = collector.causes.get(id(record))
        if getattr(cause, "already_reported", False):
            continue  # a plugin stopped Pelican reading a file whose problems it reported
        if getattr(record, "notice_only", False):
            notices.append(_describe(record))
        else:
            problems.append(_describe(record, cause, settings))
    # Files named as the plugin names them, from the project folder (Pelican gives full paths).
    project = str(Path(settings["PATH"]).resolve().parent) + os.sep
    problems = [problem.replace(project, "") for problem in problems]
    # The same message twice helps nobody; sorted, each file's problems stand together, in
    # the same order in every process (Pelican reads the files in an order that follows
    # Python's hash seed).
    problems = sorted(dict.fromkeys(problems))
    notices.sort()
    report.sort()

    if problems:
        raise BuildFailed(problems)

    pages = _make_readable_and_list_pages(staging)
    with _interrupts_deferred():
        _swap_in(staging, final)
    details = sorted(collector.details)
    return BuildResult(final, time.perf_counter() - started, pages, notices, report, details)


def _forget_pages() -> None:
    """Pelican memoizes each page's HTML and summary, keyed by the page, for the life of the
    process: every page of the build would stay in memory while the site is listed, made
    readable and swapped in (and, in the live preview, until the next build). The site is
    written: forget them, and free the pages (they refer to one another, so only the
    garbage collector can)."""
    for name in ("get_content", "get_summary"):
        memoized = vars(pelican.contents.Content).get(name)
        if memoized is not None:
            memoized.cache.clear()
    gc.collect()


def _make_staging(final: Path) -> tuple[list[Path], Path]:
    """The empty folder the site is built in, beside `final`, and the folders made for it.
    Problems with the output folder are an editor's error, named with how to fix them."""
    if final.exists() and not final.is_dir():
        raise BuildFailed([f"{final}: the output folder is a file; remove the file or choose "
                           "another output folder (invoke build --output FOLDER)"])
    missing = [folder for folder in [final.parent, *final.parent.parents] if not folder.exists()]
    blocking = next((f for f in [final.parent, *final.parent.parents] if f.exists()), None)
    if blocking is not None and not blocking.is_dir():
        raise BuildFailed([f"{final}: cannot make the output folder there, as {blocking} is a "
                           "file; remove the file or choose another output folder"])
    created: list[Path] = []
    try:
        for folder in reversed(missing):  # outermost first
            folder.mkdir()
            created.append(folder)
        staging = Path(tempfile.mkdtemp(prefix=f".{final.name}-building-", dir=final.parent))
    except OSError as error:
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        where = Path(error.filename or final.parent)
        if where.name.startswith(f".{final.name}-building-"):
            where = where.parent  # the folder it is made in, not the name it was to have
        raise BuildFailed([f"{final}: cannot write the output folder ({where}: "
                           f"{error.strerror or error}); choose an output folder you can write "
                           "to (invoke build --output FOLDER), or make this one writable"]) from None
    return created, staging


def _make_readable_and_list_pages(folder: Path) -> list[str]:
    """Folders 0755 and files 0644, whatever the umask (mkdtemp makes 0700): a web server,
    or `rsync -p`, must be able to read what is published. Returns the pages (.html files)
    below `folder`, sorted: one walk does both."""
    pages = []
    folder.chmod(0o755)
    for where, folders, files in os.walk(folder):
        for name in folders:
            os.chmod(os.path.join(where, name), 0o755)
        for name in files:
            path = os.path.join(where, name)
            os.chmod(path, 0o644)
            if name.endswith(".html"):
                pages.append(os.path.relpath(path, folder))
    return sorted(pages)


@contextlib.contextmanager
def _interrupts_deferred():
    """Ctrl-C and a stop signal wait until the block is done, so they never stop a build
    half way through making, swapping or removing its folders; they then interrupt."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received = []
    previous = {number: signal.signal(number, lambda number, frame: received.append(number))
                for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if received:
            raise KeyboardInterrupt


def _interrupt(number, frame):
    raise KeyboardInterrupt


@contextlib.contextmanager
def _stop_signal_interrupts():
    """A stop signal (SIGTERM, SIGHUP: a closed terminal, a process manager) ends the build
    the way Ctrl-C does, so its folders are removed; by default it would kill the process
    on the spot and leave them. A SIGKILL cannot be caught: `_remove_leftovers` tidies up
    after it, at the next build."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, _interrupt) for number in STOP_SIGNALS
                if number != signal.SIGINT}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _hold(staging: Path) -> int:
    """Lock `staging` for as long as this process lives (the system lets go of the lock when
    the process ends, however it ends): a folder nobody holds was left by a killed build."""
    descriptor = os.open(staging, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    return descriptor


def _remove_leftovers(final: Path) -> None:
    """Folders a killed build left beside `final`: a site being built that no build holds
    any more, or a retired site it had not finished removing. Only real folders with those
    names; never a link, and nothing is followed through one."""
    if not final.parent.is_dir():
        return
    for path in final.parent.iterdir():
        if path.is_symlink() or not path.is_dir():
            continue
        if path.name.startswith(f".{final.name}-old-"):
            shutil.rmtree(path, ignore_errors=True)
        elif path.name.startswith(f".{final.name}-building-"):
            try:
                descriptor = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
            except OSError:
                continue
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # another build is writing it
            finally:
                os.close(descriptor)
            shutil.rmtree(path, ignore_errors=True)


def _swap_in(staging: Path, final: Path) -> None:
    """Replace `final` with `staging` using renames, so the site is never half there; the
    retired site is then removed."""
    retired = None
    try:
        if final.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{final.name}-old-", dir=final.parent))
            retired.rmdir()
            final.rename(retired)
        staging.rename(final)
    except OSError as error:
        if retired is not None and retired.exists() and not final.exists():
            retired.rename(final)  # put the last good site back
        raise BuildFailed([f"{final}: cannot replace the output folder ({error.strerror or error}); "
                           "make it and the folder it is in writable, or choose another output "
                           "folder (invoke build --output FOLDER)"]) from None
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)
