"""Unit tier. One word for one thing: the terminology files (content/data/terminology.<lang>.toml) and
the check that holds pages, grids, the glossary, data and interface text to them, fed varied
bad input. Tier: unit (one build test at the end: Tier: build)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from medical_content.rules import terminology
from samples import GUIDE, GUIDE_FILE, LABEL, problems_of, replace

TERMS_EN = '''
[[term]]
preferred = "primary care doctor"
forbidden = ["GP", "general practitioner"]
note = "the usual US name"

[[term]]
preferred = "aging"
forbidden = ["ageing"]
note = "US spelling"

[[term]]
preferred = "physical therapist"
forbidden = ["physiotherapist"]
note = "US name"
'''
TERMS_ES = '''
[[term]]
preferred = "sildenafilo"
forbidden = ["sildenafil"]
note = "nombre genérico en español"

[[term]]
preferred = "Situación regulatoria"
forbidden = ["Situación legal"]
note = "'legal' confunde"
'''


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def run(tmp_path, files: dict[str, str]) -> list[str]:
    write(tmp_path, {"content/data/terminology.en.toml": TERMS_EN, "content/data/terminology.es.toml": TERMS_ES, **files})
    return terminology.check(tmp_path / "content", tmp_path / "theme", ("en", "es"),
                             lambda p: str(Path(p).relative_to(tmp_path)))


PAGE = """Title: Skin ageing and PRP
Date: 2026-11-26
Summary: What helps.

## What it is {#ageing}

Ask your GP or a physiotherapist [@ageing2020]. See [the gp page](glossary:ageing).
A word in a GPS or a gp lowercase is not the abbreviation. Anti-ageing creams are one word.
<!-- ageing in a comment is not read -->
"""
SPANISH = """Title: El PRP
Date: 2026-11-26

## Situación legal {#regulatory-status}

Pastillas como el sildenafil. El sildenafilo no es un error.
"""
GRID = '''title = "Skin ageing: choices"
page = "conditions/skin.md"
[[option]]
id = "ageing"
name = "Wait"
works = "A physiotherapist can help [@x]."
numbers = [{ question = "works", count = 5, says = "had less ageing" }]
'''
GLOSSARY = '''[ageing]
term = "Ageing"
definition = "Getting older."
'''
CATALOG = '''#: theme/templates/x.html:1
msgid "Regulatory status and the GP"
msgstr "Situación legal y fisioterapia"

msgid "Ageing"
msgstr "Envejecimiento"
'''


def test_every_forbidden_word_is_named_by_file_and_line_all_at_once(tmp_path):
    problems = run(tmp_path, {
        "content/conditions/skin.md": PAGE,
        "content/conditions/skin.es.md": SPANISH,
        "content/data/option-grids/skin.toml": GRID,
        "content/data/glossary.toml": GLOSSARY,
        "theme/translations/es/LC_MESSAGES/messages.po": CATALOG,
    })
    expected = [
        "content/conditions/skin.md: line 1: 'ageing' is not the word this site uses; write 'aging' (US spelling)",
        "content/conditions/skin.md: line 7: 'GP' is not the word this site uses; write 'primary care doctor'",
        "content/conditions/skin.md: line 7: 'physiotherapist' is not the word this site uses; write 'physical therapist'",
        "content/conditions/skin.es.md: line 4: 'Situación legal' is not the word this site uses; write 'Situación regulatoria'",
        "content/conditions/skin.es.md: line 6: 'sildenafil' is not the word this site uses; write 'sildenafilo'",
        "content/data/option-grids/skin.toml: line 1: 'ageing'",
        "content/data/option-grids/skin.toml: line 6: 'physiotherapist'",
        "content/data/option-grids/skin.toml: line 7: 'ageing'",
        "content/data/glossary.toml: line 2: 'Ageing'",
        "theme/translations/es/LC_MESSAGES/messages.po: line 3: 'Situación legal'",
        "theme/translations/es/LC_MESSAGES/messages.po: line 2: 'GP'",
        "theme/translations/es/LC_MESSAGES/messages.po: line 5: 'Ageing'",
    ]
    for message in expected:
        assert any(p.startswith(message) for p in problems), (message, problems)
    assert len(problems) == len(expected), problems


def test_names_links_ids_comments_and_longer_words_are_not_read(tmp_path):
    problems = run(tmp_path, {"content/conditions/skin.md": PAGE, "content/conditions/skin.es.md": SPANISH,
                              "content/data/option-grids/skin.toml": GRID})
    text = "\n".join(problems)
    assert "line 5" not in text.split("skin.md")[1].split("\n")[0]  # {#ageing} heading id
    assert not any("skin.md: line 8" in p or "skin.md: line 9" in p for p in problems)  # GPS, gp, Anti-ageing, comment
    assert not any("line 4: 'ageing'" in p and "option-grids" in p for p in problems)  # id = "ageing"
    assert not any("sildenafilo" in p.split("'")[1] for p in problems)


def term(preferred='"a"', forbidden='["b"]', note='"n"', extra="") -> str:
    """One [[term]] table; None leaves a field out."""
    fields = {"preferred": preferred, "forbidden": forbidden, "note": note}
    return "[[term]]\n" + "".join(f"{k} = {v}\n" for k, v in fields.items() if v is not None) + extra


BAD_TERMS = {
    "no preferred": (term(preferred=None), "term 1: 'preferred' is missing; add it (write the one word we use)"),
    "preferred blank": (term(preferred='"  "'), "term 1: 'preferred' is empty"),
    "preferred a number": (term(preferred="3"), "term 1: 'preferred' must be text, not 3"),
    "forbidden not a list": (term(forbidden='"b"'), "term 1 ('a'): 'forbidden' must be a list of the words we do not use, not 'b'"),
    "forbidden empty": (term(forbidden="[]"), "term 1 ('a'): 'forbidden' has 0 items; give at least 1"),
    "a forbidden word blank": (term(forbidden='["b", " "]'), "term 1 ('a'): 'forbidden' item 2 is empty"),
    "no note": (term(note=None), "term 1 ('a'): 'note' is missing"),
    "note a list": (term(note='["n"]'), "term 1 ('a'): 'note' must be text, not ['n']"),
    "unknown field": (term(extra='see = "c"\n'), "term 1 ('a'): unknown field 'see'; use one of forbidden, note, preferred"),
    "preferred is forbidden": (term(forbidden='["A"]'), "'A' is both preferred and forbidden"),
    "forbidden twice": (term() + term('"c"', '["B"]'), "term 2 ('c'): 'B' is forbidden already in term 1 ('a')"),
    "no terms": ('title = "x"\n', "'term' is missing; add it (add [[term]] tables"),
    "unknown top field": ('title = "x"\n', "unknown field 'title'; use one of term"),
    "terms not tables": ('term = "x"\n', "'term' must be a list of [[term]] entries, not 'x'"),
    "one table, not a list": (term().replace("[[term]]", "[term]"),
                              "'term' must be a list of [[term]] entries, not a table; write each one under its own [[term]] line"),
    "a term not a table": ('term = ["a"]\n', "term 1: must be a table of preferred, forbidden, note, not 'a'"),
    "forbidden twice but for a space": (term(forbidden='["GP"]') + term('"c"', '["GP "]'),
                                        "term 2 ('c'): 'GP ' is forbidden already in term 1 ('a')"),
    "a word on two lines": (term(forbidden='["general\\npractitioner"]'),
                            "term 1 ('a'): 'forbidden' item 1 runs over several lines; write it on one line"),
    "preferred in one term, forbidden in another": (
        term('"doctor"', '["physician"]') + term('"physician"', '["medic"]'),
        "term 1 ('doctor'): 'physician' is forbidden here but preferred in term 2 ('physician'); keep one of the two"),
    "unreadable": ('[[term]\n', "cannot read it"),
}


@pytest.mark.parametrize("text, expected", BAD_TERMS.values(), ids=BAD_TERMS.keys())
def test_a_bad_terminology_file_is_reported(tmp_path, text, expected):
    path = tmp_path / "terminology.en.toml"
    path.write_text(text, encoding="utf-8")
    terms, problems = terminology.load_terms(path, "content/data/terminology.en.toml")
    assert any(p.startswith("content/data/terminology.en.toml: ") and expected in p for p in problems), problems


def test_every_error_of_a_terminology_file_is_reported_at_once_and_its_good_terms_still_apply(tmp_path):
    path = tmp_path / "terminology.en.toml"
    path.write_text('[[term]]\npreferred = "a"\nforbidden = ["b"]\nnote = "n"\n'
                    '[[term]]\npreferred = 3\nforbidden = "d"\nnote = "n"\ncolour = "x"\n'
                    '[[term]]\npreferred = "e"\nforbidden = ["f"]\nnote = "n"\n', encoding="utf-8")
    terms, problems = terminology.load_terms(path, "terms")
    assert [t.preferred for t in terms] == ["a", "e"]
    assert len(problems) == 3 and all(p.startswith("terms: term 2: ") for p in problems), problems


def test_a_missing_terminology_file_is_reported(tmp_path):
    (tmp_path / "content" / "data").mkdir(parents=True)
    problems = terminology.check(tmp_path / "content", tmp_path / "theme", ("en",), str)
    assert len(problems) == 1 and "the terminology of 'en' is missing" in problems[0]


def test_the_real_site_uses_one_word_for_one_thing():
    problems = terminology.check(ROOT / "content", ROOT / "theme", ("en", "es"), lambda p: str(Path(p).relative_to(ROOT)))
    assert problems == []
    for lang, seeds in (("en", {"primary care doctor", "physical therapist", "aging", "anemia"}),
                        ("es", {"micropunción", "sildenafilo", "médula ósea", "Situación regulatoria", "visto bueno (de la FDA)"})):
        terms, found = terminology.load_terms(ROOT / "content" / "data" / f"terminology.{lang}.toml", lang)
        assert found == [] and seeds <= {t.preferred for t in terms}
    # "cleared" is never "autorizado" in Spanish: readers take it for "approved" (review 3, s4)
    terms, _ = terminology.load_terms(ROOT / "content" / "data" / "terminology.es.toml", "es")
    forbidden = {word for t in terms for word in t.forbidden}
    assert {"autorizado", "autorizados", "autorizó", "autorizaron"} <= forbidden
    # "evidence" is "datos", never "pruebas", which also means medical tests (review 3, s16)
    assert {"pruebas sólidas", "buenas pruebas", "Solidez de las pruebas", "Pruebas revisadas"} <= forbidden


def test_a_page_with_a_forbidden_word_fails_the_build_naming_it(make_site):
    """Tier: build."""
    guide = replace(GUIDE, "## Risks and side effects\n", "Ask your GP about ageing skin.\n\n## Risks and side effects\n")
    problems = problems_of(make_site, {GUIDE_FILE: guide})
    assert any(p.startswith(f"{LABEL}: line ") and "'GP'" in p and "primary care doctor" in p for p in problems), problems
    assert any(p.startswith(f"{LABEL}: line ") and "'ageing'" in p for p in problems), problems


def test_files_the_build_reports_on_its_own_are_skipped_not_crashed_on(tmp_path):
    """A page not saved as UTF-8 and a symbolic link are reported by the build's file checks;
    the terminology check reads neither (and never follows the link)."""
    outside = tmp_path / "outside.md"
    outside.write_text("Ask your GP.", encoding="utf-8")
    (tmp_path / "content" / "pages").mkdir(parents=True)
    (tmp_path / "content" / "pages" / "latin.md").write_bytes("Title: Caf\xe9 ageing\n".encode("latin-1"))
    (tmp_path / "content" / "pages" / "link.md").symlink_to(outside)
    problems = run(tmp_path, {})
    assert problems == []
