"""The answer cache of `invoke sources`: one JSON file per address, in the user's cache folder
(XDG_CACHE_HOME, else ~/.cache; ~/Library/Caches on macOS; %LOCALAPPDATA% on Windows), under
prp-site/sources/<a hash of the repository's path>/, never inside the working tree.

Data only: JSON read with json.loads, never pickle. No symlink is followed: the folders this
cache makes must be real folders; entries are read and written as the build's cache does
(plugins/medical_content/entry_files.py: a plain file only, a new answer in a new file renamed
over the old one). A damaged entry is asked again.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from medical_content import entry_files

from ..cache_folder import user_cache_root

ONE_DAY = 24 * 60 * 60
FORMAT = 1  # bump when the entries change shape; older entries are then ignored
LARGEST_ENTRY = 16 * 1024 * 1024  # a source's page, well under it; anything larger is not ours


class CacheError(Exception):
    """The cache folder cannot be used safely (a symlink, or not a folder)."""


def folder_for(repository: Path, root: Path | None = None) -> Path:
    """This repository's cache folder: one per working copy, keyed by its resolved path."""
    key = hashlib.sha256(str(Path(repository).resolve()).encode("utf-8")).hexdigest()[:16]
    return (root or user_cache_root()) / "prp-site" / "sources" / key


@dataclass
class Entry:
    status: int
    body: str
    headers: dict
    saved: float
    max_age: float

    @property
    def etag(self) -> str:
        return self.headers.get("etag", "")

    @property
    def fresh(self) -> bool:
        return 0 <= time.time() - self.saved < self.max_age


class Cache:
    def __init__(self, folder: Path, max_age: float = ONE_DAY, owned_from: Path | None = None):
        """`owned_from`: the first folder of `folder` this cache may create (and so checks is
        no link); by default the three last parts (prp-site/sources/<key>)."""
        self.folder = Path(folder)
        self.max_age = max_age
        self.owned_from = Path(owned_from) if owned_from else self.folder.parent.parent
        self._ready = False

    def _prepare(self) -> None:
        if self._ready:
            return
        owned = [self.folder, *self.folder.parents]
        owned = owned[: owned.index(self.owned_from) + 1] if self.owned_from in owned else [self.folder]
        os.makedirs(owned[-1].parent, exist_ok=True)  # the user's cache folder itself
        for path in reversed(owned):
            try:
                os.mkdir(path, 0o700)
            except FileExistsError:
                pass
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
                raise CacheError(f"{path} is a link or not a folder; remove it, or give "
                                 "another cache folder")
        self._ready = True

    def _path(self, url: str) -> Path:
        return self.folder / (hashlib.sha256(url.encode("utf-8")).hexdigest() + ".json")

    def get(self, url: str) -> Entry | None:
        self._prepare()
        raw = entry_files.read(self._path(url), LARGEST_ENTRY)  # missing, a link, not a file: None
        try:
            data = json.loads(raw.decode("utf-8")) if raw is not None else None
            if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("url") != url:
                return None
            return Entry(int(data["status"]), str(data["body"]), dict(data["headers"]),
                         float(data["saved"]), self.max_age)
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return None  # a damaged entry is asked again

    def put(self, url: str, status: int, body: str, headers: dict, saved: float | None = None) -> None:
        self._prepare()
        data = {"format": FORMAT, "url": url, "status": status, "body": body,
                "headers": headers, "saved": time.time() if saved is None else saved}
        entry_files.write(self._path(url), json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def touch(self, url: str, entry: Entry) -> None:
        """Revalidated (304 Not Modified): fresh for another day."""
        self.put(url, entry.status, entry.body, entry.headers)
