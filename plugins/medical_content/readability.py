"""Reading grade of a page's text: Flesch-Kincaid, as textstat 0.7.8 measures it.

The text comes from html_checks.scan: paragraphs, list items and table cells, each counted
as a sentence of its own (a list item without a full stop is still one thought); citation
numbers, headings and the reference list are left out. textstat counts syllables with the
compact table in syllables.py: the same counts, without loading the whole dictionary.
"""

from __future__ import annotations

import sys

_installed = False
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
    """Flesch-Kincaid grade of running text; 0.0 when there is none."""
    global _installed
    if not text.strip():
        return 0.0
    import textstat

    if not _installed:
        from . import syllables

        syllables.install()
        _installed = True
    try:
        return round(textstat.flesch_kincaid_grade(text), 1)
    finally:
        _forget_texts()


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

    textstat.set_lang("es")
    try:
        return round(textstat.szigriszt_pazos(text), 1)
    finally:
        textstat.set_lang("en_US")
        _forget_texts()
