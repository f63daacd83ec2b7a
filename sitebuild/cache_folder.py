"""Where a build keeps what the next build can reuse: Pelican's reader cache (what Markdown
made of each file) and the plugin's page results and drawn pages (plugins/medical_content/
cache.py). Outside the project, in the user's cache folder, so that no commit can plant an
entry; set after the settings file is read, so that no settings file can move it.

SITE_CACHE=off builds without it; SITE_CACHE=/some/folder keeps it there instead (the tests
and `invoke bench` use their own)."""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

# What Pelican's readers make of a file depends on these settings (and the libraries' versions)
READER_SETTINGS = ("PATH", "MARKDOWN", "READERS", "TIMEZONE", "DEFAULT_LANG", "DEFAULT_DATE",
                   "DEFAULT_DATE_FORMAT", "DEFAULT_METADATA", "FILENAME_METADATA", "PATH_METADATA",
                   "EXTRA_PATH_METADATA", "FORMATTED_FIELDS", "ARTICLE_PATHS", "PAGE_PATHS",
                   "IGNORE_FILES", "TYPOGRIFY", "SUMMARY_MAX_LENGTH", "SLUGIFY_SOURCE")


def root() -> Path | None:
    chosen = os.environ.get("SITE_CACHE", "")
    if chosen.lower() in ("off", "0", "no", "false"):
        return None
    folder = Path(chosen or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache").expanduser().absolute()
    if not chosen:
        folder = folder / "prp-patient-guide"
    # A link on the way could lead anywhere, into the project too: never followed
    return folder if os.path.realpath(folder) == str(folder) else None


def settings_for(settings: dict) -> dict:
    """The cache settings for this project and these settings; none without a cache, or when
    the folder would be inside the project."""
    folder = root()
    project = Path(settings["PATH"]).resolve().parent
    if folder is None or project in [folder, *folder.parents]:
        return {"CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False, "PAGE_CACHE_PATH": ""}
    folder = folder / hashlib.sha256(str(project).encode()).hexdigest()[:16]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        writable = os.access(folder, os.W_OK) and not folder.is_symlink()
    except OSError:
        writable = False
    if not writable:  # a build without a cache is slower, never wrong
        return {"CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False, "PAGE_CACHE_PATH": ""}
    chosen = {name: settings.get(name) for name in READER_SETTINGS}
    chosen["versions"] = [metadata.version(name) for name in ("pelican", "Markdown", "Pygments")]
    text = json.dumps(chosen, sort_keys=True, default=lambda value: type(value).__name__)
    readers = hashlib.sha256(text.encode()).hexdigest()[:16]
    return {
        # Pelican's own cache of what its readers made of each file, checked by content
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "CONTENT_CACHING_LAYER": "reader",
        "CHECK_MODIFIED_METHOD": "sha256",
        "GZIP_CACHE": False,
        "CACHE_PATH": str(folder / f"pelican-{readers}"),
        "PAGE_CACHE_PATH": str(folder / "site"),
    }
