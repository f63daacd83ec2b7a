"""Reading grade of a page's text: Flesch-Kincaid, as textstat 0.7.8 measures it.

The text comes from html_checks.scan: paragraphs, list items and table cells, each counted
as a sentence of its own (a list item without a full stop is still one thought); citation
numbers, headings and the reference list are left out. textstat counts syllables with the
compact table in syllables.py: the same counts, without loading the whole dictionary.
"""

from __future__ import annotations

_installed = False


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
    return round(textstat.flesch_kincaid_grade(text), 1)
