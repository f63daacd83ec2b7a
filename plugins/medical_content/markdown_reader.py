"""Pelican's Markdown reader, with one Markdown converter per build instead of one per file.

Pelican builds a new `markdown.Markdown` for every file it reads, which loads and sets up
every extension again (about 1.5 ms a page, a tenth of reading a short page). Markdown's
`reset()` exists to reuse a converter between documents: it clears the stash, the
footnotes, the abbreviations, the table of contents and the metadata. Pelican's own
reader also takes the metadata preprocessor out after reading a file's metadata (so a
formatted field such as Summary is not read as metadata), so it is put back before the
next file. The output is the same, byte for byte (tests/test_markdown_reader.py).
"""

from __future__ import annotations

from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open


class ReusingMarkdownReader(MarkdownReader):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._converter: Markdown | None = None
        self._metadata_step = None  # (preprocessor, name, priority) of the metadata block

    def read(self, source_path):
        self._source_path = source_path
        if self._converter is None:
            self._converter = Markdown(**self.settings["MARKDOWN"])
            steps = self._converter.preprocessors
            priority = next(item.priority for item in steps._priority if item.name == "meta")
            self._metadata_step = (steps["meta"], "meta", priority)
        converter = self._md = self._converter
        converter.reset()
        if "meta" not in converter.preprocessors:
            converter.preprocessors.register(*self._metadata_step)
        with pelican_open(source_path) as text:
            content = converter.convert(text)
        metadata = self._parse_metadata(converter.Meta) if hasattr(converter, "Meta") else {}
        return content, metadata


def install(readers) -> None:
    """Read Markdown files with the reusing reader (the `readers_init` signal)."""
    for extension, reader_class in list(readers.reader_classes.items()):
        if reader_class is MarkdownReader:
            readers.reader_classes[extension] = ReusingMarkdownReader
