"""Checking the sources the site cites (`invoke sources`); see README.md in this folder."""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass
from pathlib import Path

from medical_content.data import bibliography
from medical_content.data import source_checks

from . import check
from .cache import Cache, CacheError, folder_for
from .client import Client
from .services import TOOL, Endpoints

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
__all__ = ["Options", "Endpoints", "run", "user_agent"]


def user_agent(contact: str) -> str:
    """Who is asking, and how to reach them (Crossref's and NCBI's etiquette)."""
    how = f"mailto:{contact}" if EMAIL.match(contact) else f"+{contact}"
    return f"{TOOL}/1.0 ({how})"


@dataclass
class Options:
    contact: str  # an e-mail address or an https:// page where the editors can be reached
    endpoints: Endpoints = Endpoints()
    cache_folder: Path | None = None  # default: the user's cache folder (cache.py)
    use_cache: bool = True
    timeout: float = 20.0
    retries: int = 3
    backoff: float = 2.0
    other_interval: float = 1.0  # seconds between requests to one web site


@dataclass
class Report:
    text: str
    code: int
    results: list


def run(root: Path, options: Options, results_path: Path | None = None, write: bool = True,
        today: datetime.date | None = None) -> Report:
    """Check every source of the site in `root`; write the results file unless nothing could
    be checked (an offline run keeps the last check)."""
    content = root / "content"
    bibliography_file = content / "data" / "references.toml"
    references, problems = bibliography.load(bibliography_file)
    if problems:
        return Report("The bibliography has problems; fix them first (invoke build names them):\n  "
                      + "\n  ".join(problems), 2, [])
    results_path = results_path or content / source_checks.RESULTS
    if results_path.is_symlink():
        return Report(f"{results_path} is a link; make it a plain file (nothing is written through a link).", 2, [])
    previous, problems = source_checks.load(results_path)
    if problems:
        return Report("\n".join(problems), 2, [])
    cache = None
    if options.use_cache:
        folder = options.cache_folder or folder_for(root)
        if folder.resolve() == root.resolve() or root.resolve() in folder.resolve().parents:
            return Report(f"The cache folder {folder} is inside the repository; choose one outside it.", 2, [])
        cache = Cache(folder, owned_from=None if options.cache_folder is None else folder)
    client = Client(user_agent(options.contact), cache, timeout=options.timeout, retries=options.retries,
                    backoff=options.backoff, other_interval=options.other_interval)
    email = options.contact if EMAIL.match(options.contact) else ""
    try:
        results = check.check_references(references, client, options.endpoints, email)
        cited = {ref.url for ref in references.values()}  # checked with their reference
        addresses = check.page_addresses(content, bibliography_file)
        results += check.check_addresses({a: f for a, f in addresses.items() if a not in cited}, client)
    except CacheError as error:
        return Report(f"The answer cache cannot be used: {error}.", 2, [])
    code = check.exit_status(results)
    lines = [f"invoke sources, {(today or datetime.date.today()).isoformat()}: {len(results)} sources, "
             f"{client.requests} requests (answers kept a day in {cache.folder if cache else 'no cache'})", ""]
    everything_unchecked = all(r.status == check.NOT_CHECKED for r in results)
    if not everything_unchecked:
        lines += [check.table(results), "", check.summary(results) + "."]
    if offline := check.offline_message(results):
        lines += [offline] if everything_unchecked else ["", offline]
    if write and not everything_unchecked:
        new = check.results_file(results, previous, today or datetime.date.today())
        _write(results_path, source_checks.dump(new))
        lines.append(f"Wrote {results_path.relative_to(root) if root in results_path.parents else results_path}; commit it.")
    if code == check.EXIT_FINDINGS:
        lines.append("Some sources need an editor (see above): README, \"Checking sources\".")
    return Report("\n".join(lines), code, results)


def _write(path: Path, text: str) -> None:
    """Written beside the file and renamed over it: a link put there meanwhile is replaced,
    never written through, and a stopped run leaves the old file whole."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o644)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
    os.replace(temporary, path)
