"""Reading measures of a page's text, counted here: Flesch-Kincaid grade (English) and
INFLESZ, the Szigriszt-Pazos perspicuity (Spanish).

The text comes from html_checks.scan: paragraphs, list items and table cells, each counted
as a sentence of its own (a list item without a full stop is still one thought); citation
numbers, headings and the reference list are left out.

The counts follow textstat 0.7.8's rules, so the numbers are the ones editors got before
and can check with textstat (tests/test_readability.py compares them on every real page):
- words: the text without punctuation (apostrophes inside English contractions kept),
  split on white space;
- sentences: runs of text up to a `.`, `!` or `?`, not counting runs of two words or fewer,
  at least one;
- syllables: English words from the CMU pronouncing dictionary (syllables.py), words it
  lacks and every Spanish word from Pyphen's hyphenation patterns (positions + 1).
"""

from __future__ import annotations

import functools
import re
from collections import Counter

ENGLISH = "en_US"  # Pyphen's language for English words the dictionary lacks
SPANISH = "es"
FLESCH_BASE_ES = 206.84  # the Spanish Flesch base INFLESZ starts from
_CONTRACTION_ENDINGS = r"[tsd]|ve|ll|re"
_LOOSE_APOSTROPHE = re.compile(r"\'(?!" + _CONTRACTION_ENDINGS + ")")
_PUNCTUATION = re.compile(r"[^\w\s\']")
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")


def words(text: str) -> list[str]:
    """The words of `text`, punctuation removed but for apostrophes of contractions."""
    if "'" in text:  # most texts have no apostrophe to look at
        text = _LOOSE_APOSTROPHE.sub("", text)
    return _PUNCTUATION.sub("", text).split()


def sentence_count(text: str) -> int:
    if not text:
        return 0
    runs = _SENTENCE.findall(text)
    return max(1, sum(1 for run in runs if len(words(run)) > 2))


@functools.cache
def _hyphenation(language: str):
    import pyphen

    return pyphen.Pyphen(lang=language)


def _english_syllables(found: list[str]) -> int:
    from . import syllables

    table, count = syllables.table(), 0
    for word, times in Counter(found).items():  # each word looked up once a page
        known = table.count(word)
        count += times * (known if known >= 0 else len(_hyphenation(ENGLISH).positions(word)) + 1)
    return count


def _spanish_syllables(found: list[str]) -> int:
    hyphenation = _hyphenation(SPANISH)
    return sum(times * (len(hyphenation.positions(word)) + 1) for word, times in Counter(found).items())


def grade(text: str) -> float:
    """Flesch-Kincaid grade of English running text, to one decimal; 0.0 when there is none."""
    found = words(text)
    sentences = sentence_count(text)
    if not found or not sentences:
        return 0.0
    per_sentence = len(found) / sentences
    per_word = _english_syllables([w.lower() for w in found]) / len(found)
    if per_word == 0:
        return 0.0
    return round((0.39 * per_sentence) + (11.8 * per_word) - 15.59, 1)


def inflesz(text: str) -> float:
    """INFLESZ of Spanish running text, to one decimal: 65 and above reads "bastante fácil".
    0.0 when there is no text."""
    found = words(text)
    sentences = sentence_count(text)
    if not found or not sentences:
        return 0.0
    per_word = _spanish_syllables([w.lower() for w in found]) / len(found)
    return round(FLESCH_BASE_ES - 62.3 * per_word - len(found) / sentences, 1)


def summary(grades: list[tuple[str, float, str]]) -> tuple[str, list[str]]:
    """One line for the end of a build, and the line of each page (`--verbose`)."""
    parts = []
    for measure, hardest in (("Reading grade", max), ("INFLESZ", min)):
        values = [(value, source) for name, value, source in grades if name == measure]
        if values:
            value, source = hardest(values)
            worst = "highest" if hardest is max else "lowest"
            parts.append(f"{measure} of {len(values)} pages: {worst} {value:.1f} ({source})")
    details = sorted(f"{name:<14}{value:5.1f}  {source}" for name, value, source in grades)
    return "; ".join(parts), details
