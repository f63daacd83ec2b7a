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


def test_grades_match_textstat_with_the_full_dictionary(site, tmp_path):
    texts = [html_checks.scan(site.soup(page).select_one(".app-prose").decode_contents()).text
             for page in site.article_pages()]
    ours = [readability.grade(text, tmp_path) for text in texts]
    theirs = [textstat_with_full_dictionary(text) for text in texts]
    assert len(ours) >= 11 and ours == theirs


def test_the_table_is_cached_and_answers_like_cmudict(tmp_path):
    table = syllables.load(tmp_path)
    assert list(tmp_path.glob("cmudict-*-syllables.json"))
    assert len(table) > 100_000
    assert table["platelet"][0] == ["0", "0"]  # two syllables: PLEYT-LAHT
    assert syllables.load(tmp_path)["injection"] == table["injection"]
    with pytest.raises(KeyError):
        table["notaword"]
