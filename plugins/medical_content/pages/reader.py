"""The Markdown reader Pelican uses for our pages (given through its `readers_init` signal):
Pelican's own, which refuses a file the pre-read found unreadable (its problems are reported
already, better than Pelican's "Could not process"; rules/source_files.py) and, with the
build's cache, keeps what Markdown made of each file as data, so an unchanged file is not
converted again. A file whose reading logged a warning, or whose metadata holds a value this
module cannot write as data, is not kept: it is read again, and warns again, every build."""

from __future__ import annotations

import os
from pathlib import Path

from pelican.readers import MarkdownReader
from pelican.urlwrappers import URLWrapper
from pelican.utils import SafeDatetime

from ..cache import WarningsLogged
from ..rules.source_files import AlreadyReported


def install(readers, unreadable: set[str], cache) -> None:
    reader = type("OurMarkdownReader", (OurMarkdownReader,), {"unreadable": frozenset(unreadable), "cache": cache})
    for extension, reader_class in list(readers.reader_classes.items()):
        if reader_class is MarkdownReader:
            readers.reader_classes[extension] = reader


class OurMarkdownReader(MarkdownReader):
    unreadable: frozenset = frozenset()
    cache = None

    def read(self, source_path):
        if os.path.abspath(source_path) in self.unreadable:
            raise AlreadyReported(source_path)
        if self.cache is None:
            return super().read(source_path)
        key = self.cache.markdown_key(source_path, Path(source_path).read_bytes())
        kept = self.cache.markdown(key)
        if kept is not None and (metadata := self.revived(kept["metadata"])) is not None:
            return kept["content"], metadata
        with WarningsLogged() as logged:
            content, metadata = super().read(source_path)
        plain = as_data(metadata)
        if not logged.warned and plain is not None:
            self.cache.keep_markdown(key, {"content": content, "metadata": plain})
        return content, metadata

    def revived(self, plain: dict) -> dict | None:
        """The kept metadata as Pelican's reader gives it; None when a value is not what
        Pelican makes of that name (a damaged or planted entry: the file is read again)."""
        metadata = {}
        try:
            for name, (kind, value) in plain.items():
                if kind in ("text", "texts"):
                    metadata[name] = value
                    # a date, tags or a category are never kept as text (a tag equals its text:
                    # compared by type too)
                    made = self.process_metadata(name, value)
                    ok = made == value and type(made) is type(value) and (
                        kind == "text" or all(type(v) is str for v in made))
                elif kind == "date":
                    metadata[name] = SafeDatetime.fromisoformat(value)
                    ok = self.process_metadata(name, value) == metadata[name]  # only a date's name
                elif kind in ("named", "names"):  # Pelican makes the category, tag and author objects
                    metadata[name] = self.process_metadata(name, value)
                    made = metadata[name] if kind == "names" else [metadata[name]]
                    ok = isinstance(made, list) and bool(made) and all(isinstance(v, URLWrapper) for v in made)
                else:
                    return None
                if not ok:
                    return None
        except (ValueError, TypeError, AttributeError, OverflowError):  # what Pelican raises on a bad value
            return None
        return metadata


def as_data(metadata: dict) -> dict | None:
    """The metadata as JSON data: each value with its kind; None when a value is of a kind
    not listed here."""
    plain = {}
    for name, value in metadata.items():
        if isinstance(value, str):
            plain[name] = ("text", str(value))
        elif isinstance(value, SafeDatetime) and value.tzinfo is None:
            plain[name] = ("date", value.isoformat())
        elif isinstance(value, URLWrapper):
            plain[name] = ("named", value.name)
        elif isinstance(value, list) and value and all(type(v) is str for v in value):
            plain[name] = ("texts", list(value))
        elif isinstance(value, list) and value and all(isinstance(v, URLWrapper) for v in value):
            plain[name] = ("names", [v.name for v in value])
        else:
            return None
    return plain

