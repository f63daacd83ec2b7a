"""Reading and writing one cache entry safely, for the build's cache (cache.py) and the answer
cache of `invoke sources` (sitebuild/sources/cache.py): whatever another process left under an
entry's name, the worst outcome is an entry not read or not kept, never a file touched outside
the cache, a build that waits for ever, or a crash.

- `read`: only a plain file (not a link, a folder or a pipe) of at most `largest` bytes;
- `write`: into a new file under this process's own name, then renamed over the entry (a rename
  replaces a link, it never writes through one; a file left under the temporary name, perhaps a
  hard link to a file elsewhere, is removed first, never written into)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # opening a pipe does not wait for a writer


def read(path: Path, largest: int) -> bytes | None:
    try:
        descriptor = os.open(path, os.O_RDONLY | NOFOLLOW | NONBLOCK)
    except OSError:
        return None  # missing, or a link
    try:
        with os.fdopen(descriptor, "rb") as file:
            found = os.fstat(file.fileno())
            if not stat.S_ISREG(found.st_mode) or found.st_size > largest:
                return None
            data = file.read(found.st_size + 1)  # (reading `largest` bytes would set aside that much each time)
    except OSError:
        return None
    return data if len(data) == found.st_size else None  # else it changed while read: not trusted


def write(path: Path, data: bytes) -> bool:
    """True when the entry was written."""
    temporary = path.with_name(f".new-{os.getpid()}-{path.name}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW
    try:
        descriptor = os.open(temporary, flags, 0o600)
    except FileExistsError:
        try:
            os.unlink(temporary)  # removes a name, never what a link leads to
            descriptor = os.open(temporary, flags, 0o600)
        except OSError:
            return False  # a folder, say: not kept; everything works without it
    except OSError:
        return False
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        return False
    return True
