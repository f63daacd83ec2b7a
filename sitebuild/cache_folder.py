"""Where a build keeps what the next build can reuse (plugins/medical_content/cache.py: what
Markdown made of each file, each page's result, each drawn page, all as data): outside the
project, in the user's cache folder, so that no commit can plant an entry; set after the
settings file is read, so that no settings file can move it. Pelican's own content cache
(pickles, and every page held in memory until it is saved) stays off.

SITE_CACHE=off builds without it; SITE_CACHE=/some/folder keeps it there instead (the tests
and `invoke bench` use their own)."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

NO_CACHE = {"CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False, "PAGE_CACHE_PATH": ""}


def user_cache_root() -> Path:
    """The user's cache folder, as platformdirs finds it."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg)
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches"
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"])
    return Path.home() / ".cache"


def root() -> Path | None:
    """The folder every project's build cache is kept in; None: no cache."""
    chosen = os.environ.get("SITE_CACHE", "")
    if chosen.lower() in ("off", "0", "no", "false"):
        return None
    folder = Path(chosen).expanduser().absolute() if chosen else user_cache_root() / "prp-site" / "builds"
    # A link on the way could lead anywhere, into the project too: never followed
    return folder if os.path.realpath(folder) == str(folder) else None


def settings_for(settings: dict) -> dict:
    """The cache settings for this project: none without a cache, or when the folder would be
    inside the project or cannot be written."""
    folder = root()
    project = Path(settings["PATH"]).resolve().parent
    if folder is None or project in [folder, *folder.parents]:
        return NO_CACHE
    folder = folder / hashlib.sha256(str(project).encode()).hexdigest()[:16]
    try:  # the cache's own two folders: no one else may write into them (cache.py checks)
        folder.parent.parent.mkdir(parents=True, exist_ok=True)
        folder.parent.mkdir(mode=0o700, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return NO_CACHE  # a build without a cache is slower, never wrong
    if folder.is_symlink() or not os.access(folder, os.W_OK):
        return NO_CACHE
    return {**NO_CACHE, "PAGE_CACHE_PATH": str(folder)}
