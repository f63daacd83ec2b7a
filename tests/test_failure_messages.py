"""Build tier. Every failure names the file and the place, with no traceback: data files of the wrong
shape (a translated evidence file) and TOML nested thousands deep, all in one build."""

from __future__ import annotations

from samples import GUIDE, GUIDE_FILE, PAGE, problems_of

DEEP_LIST = "deep = " + "[" * 3000 + "]" * 3000 + "\n"
DEEP_TABLE = "deep = " + "{ a = " * 3000 + "1" + " }" * 3000 + "\n"
EVIDENCE_ES = '''scale = "not a list of tables"
use = [1, "two"]
'''
EVIDENCE_ES_FIELDS = '''[[scale]]
key = ["strong"]
label = "Fuerte"
meaning = "Varios estudios."

[[use]]
id = "knee-osteoarthritis"
name = 3
prp = "Resumen."
exosomes = { summary = "no" }
'''


def test_malformed_and_deeply_nested_data_files_are_named(make_site):
    problems = problems_of(make_site, {
        GUIDE_FILE: GUIDE, "pages/ok.md": PAGE,
        "data/evidence.es.toml": EVIDENCE_ES,
        "data/glossary.es.toml": DEEP_LIST,
        "data/page-history.toml": DEEP_TABLE,
    })
    expected = [
        "content/data/evidence.es.toml: 'scale' must be a list of [[scale]] entries, not 'not a list of tables'; "
        "write each one under its own [[scale]] line",
        "content/data/evidence.es.toml: use 1: must be a table of id, name, prp, exosomes, not 1",
        "content/data/evidence.es.toml: use 2: must be a table of id, name, prp, exosomes, not 'two'",
        "content/data/glossary.es.toml: cannot read it: values are nested too deeply",
        "content/data/page-history.toml: values are nested too deeply",
    ]
    assert [e for e in expected if not any(p.startswith(e) for p in problems)] == [], problems
    assert not any("Error" in p.split(":")[0] or "Traceback" in p or "a page is nested" in p for p in problems), problems


def test_fields_of_the_wrong_type_in_a_translated_evidence_file_are_named(make_site):
    problems = problems_of(make_site, {GUIDE_FILE: GUIDE, "pages/ok.md": PAGE, "data/evidence.es.toml": EVIDENCE_ES_FIELDS})
    expected = [
        "content/data/evidence.es.toml: [[scale]] '['strong']': 'key' must be text",
        "content/data/evidence.es.toml: use 'knee-osteoarthritis': 'name' must be text",
        "content/data/evidence.es.toml: use 'knee-osteoarthritis': 'exosomes' must be text",
    ]
    assert [e for e in expected if not any(p.startswith(e) for p in problems)] == [], problems
    assert not any("Error" in p.split(":")[0] or "Traceback" in p for p in problems), problems
