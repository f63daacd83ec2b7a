"""Reading grade of a page's text (Flesch-Kincaid, textstat 0.7.8).

Only running text is scored: paragraphs, list items and table cells, each counted as a
sentence of its own (a list item without a full stop is still one thought). Citation
numbers, headings, figures' code and the reference list are left out.
"""

from __future__ import annotations

from html.parser import HTMLParser

import textstat

BLOCKS = {"p", "li", "td", "th", "dd", "dt", "figcaption", "blockquote"}
SKIPPED = {"sup", "script", "style", "svg", "h1", "h2", "h3", "h4", "h5", "h6"}


class _TextBlocks(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self._skip += 1
        elif tag in BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self._skip = max(0, self._skip - 1)
        elif tag in BLOCKS:
            self._flush()

    def handle_data(self, data):
        if not self._skip:
            self._current.append(data)

    def _flush(self):
        text = " ".join("".join(self._current).split())
        self._current = []
        if len(text.split()) >= 2:
            # A lead-in ending with a colon is a sentence too: the list after it is separate.
            self.blocks.append(text if text[-1] in ".!?" else text.rstrip(":") + ".")

    def close(self):
        super().close()
        self._flush()


def running_text(html: str) -> str:
    parser = _TextBlocks()
    parser.feed(html)
    parser.close()
    return " ".join(parser.blocks)


def grade(html: str) -> float:
    """Flesch-Kincaid grade of the page's running text; 0.0 when there is no text."""
    text = running_text(html)
    return round(textstat.flesch_kincaid_grade(text), 1) if text else 0.0
