"""Reading grade of a page's text: Flesch-Kincaid, as textstat 0.7.8 measures it.

The text comes from html_checks.scan: paragraphs, list items and table cells, each counted
as a sentence of its own (a list item without a full stop is still one thought); citation
numbers, headings and the reference list are left out. Syllables come from the compact
table in syllables.py: the same counts, without loading the whole dictionary.
"""

from __future__ import annotations

import functools
import sys

ENGLISH = "en_US"  # textstat's language for the grade
SPANISH = "es"  # and for INFLESZ
# textstat keeps the last 128 texts given to each of its measures in lru caches, with what
# it made of them (the text without punctuation, its list of words...): a few MiB that the
# next page never uses. Its per-language objects (dictionaries, settings) are kept.
_PER_TEXT = ("textstat.backend.counts.", "textstat.backend.metrics.", "textstat.backend.selections.",
             "textstat.backend.transformations.")
_text_caches: list = []


def _forget_texts() -> None:
    """Empty textstat's caches of whole texts, once a page's text is measured."""
    if not _text_caches:
        found = {id(value): value for name, module in list(sys.modules.items())
                 if name.startswith(_PER_TEXT) for value in vars(module).values()
                 if hasattr(value, "cache_clear") and hasattr(value, "cache_info")
                 and getattr(value, "__module__", "").startswith(_PER_TEXT)}
        _text_caches.extend(found.values())
    for cached in _text_caches:
        cached.cache_clear()


def grade(text: str) -> float:
    """Flesch-Kincaid grade of running text; 0.0 when there is none.

    textstat's own formula and counts (words, sentences, the words it splits), with the
    syllables of each word counted here: textstat asks the table for a list of phones per
    word and counts their stress digits, which is most of the time a grade takes. The grade
    is the same (tests/test_readability.py)."""
    if not text.strip():
        return 0.0
    from textstat.backend.counts import count_sentences, count_words

    try:
        words, sentences = count_words(text), count_sentences(text)
        if not words or not sentences:
            return 0.0
        per_sentence, per_word = words / sentences, _english_syllables(text) / words
        if per_sentence == 0 or per_word == 0:
            return 0.0
        return round((0.39 * per_sentence) + (11.8 * per_word) - 15.59, 1)
    finally:
        _forget_texts()


def _english_syllables(text: str) -> int:
    """Syllables as textstat 0.7.8 counts them in US English: from the CMU dictionary, or
    from Pyphen's hyphenation for a word the dictionary lacks."""
    from textstat.backend.selections import list_words

    from . import syllables

    table, hyphenation = syllables.table(), _hyphenation(ENGLISH)
    count = 0
    for word in list_words(text, lowercase=True):
        found = table.count(word)
        count += found if found >= 0 else len(hyphenation.positions(word)) + 1
    return count


@functools.cache
def _hyphenation(language: str):
    """textstat's Pyphen for `language`, its patterns parsed as words need them."""
    from textstat.backend.utils._get_pyphen import get_pyphen

    from . import syllables

    syllables.install_hyphenation(language)
    return get_pyphen(language)


def inflesz(text: str) -> float:
    """INFLESZ (Szigriszt-Pazos perspicuity) of Spanish running text, as textstat 0.7.8
    measures it: 65 and above reads "bastante fácil". 0.0 when there is no text.

    textstat's language is global state: it is set to Spanish for this one measurement and
    always put back, so the English grade of the next page is never measured as Spanish.
    Spanish syllables come from Pyphen's bundled Spanish dictionary (nothing is downloaded).
    """
    if not text.strip():
        return 0.0
    import textstat

    _hyphenation(SPANISH)  # before textstat makes its own Pyphen for Spanish
    textstat.set_lang(SPANISH)
    try:
        return round(textstat.szigriszt_pazos(text), 1)
    finally:
        textstat.set_lang(ENGLISH)
        _forget_texts()
