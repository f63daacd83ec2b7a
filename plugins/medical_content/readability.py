"""Reading grade of a page's text: Flesch-Kincaid, as textstat 0.7.8 measures it.

The text comes from html_checks.scan: paragraphs, list items and table cells, each counted
as a sentence of its own (a list item without a full stop is still one thought); citation
numbers, headings and the reference list are left out.
"""

from __future__ import annotations


def grade(text: str) -> float:
    """Flesch-Kincaid grade of running text; 0.0 when there is none."""
    if not text.strip():
        return 0.0
    import textstat  # loads its pronouncing dictionary: only when there is text to score

    return round(textstat.flesch_kincaid_grade(text), 1)
