"""Tier: unit. The structure of every data file under content/data/ (the pydantic models of
data/models.py and data/grid_models.py): each kind of file fed a file with several mistakes
of different kinds (a wrong type, a missing field, an unknown field, a value not allowed, a
bad form), each mistake named by file, place, what is wrong and how to fix it, all at once,
in our words (never pydantic's), by calling the loaders without a build."""

from __future__ import annotations

import datetime

import pytest

from conftest import ROOT
from medical_content.data import (bibliography, evidence_glossary, option_grids, option_grids_i18n, page_history,
                                  reference_checks, signoff_files, source_checks)
from medical_content.rules import terminology

QUESTIONS = ("involves", "works", "timing", "risks", "visits", "guidance")


def written(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def assert_named(problems: list[str], expected: list[str]) -> None:
    """Each expected message is there (as the start of one), there is no other, and none is
    pydantic's own wording."""
    missing = [e for e in expected if not any(p.startswith(e) for p in problems)]
    assert missing == [], problems
    assert len(problems) == len(expected), problems
    for problem in problems:
        assert "Input should" not in problem and "pydantic" not in problem and "Traceback" not in problem, problem
        assert "; " in problem, problem  # every message says how to fix it


@pytest.fixture(scope="module")
def references():
    found, problems = bibliography.load(ROOT / "content" / "data" / "references.toml")
    assert problems == []
    return found


def test_the_real_data_files_pass(references):
    data = ROOT / "content" / "data"
    scale, uses, problems = evidence_glossary.load_evidence(data / "evidence.toml", references)
    assert problems == [] and scale and uses
    terms, problems = evidence_glossary.load_glossary(data / "glossary.toml")
    assert problems == [] and terms
    assert page_history.load(data / "page-history.toml", "page-history.toml").problems == []
    assert source_checks.load(data / "source-checks.toml", "source-checks.toml")[1] == []
    grids, problems = option_grids.load_all(data / "option-grids", references, str)
    assert problems == [] and len(grids) == 6


def test_the_verification_record_of_the_bibliography(tmp_path):
    """reference-checks.toml: its structure by its model, then the rules across it and the
    bibliography, every problem at once."""
    bibliography_path = written(tmp_path, "references.toml", (
        '[ok]\nbrief = "R1"\ntitle = "A"\nyear = 2020\ndoi = "10.1000/a"\n\n'
        '[unrecorded]\nbrief = "R2"\ntitle = "B"\nyear = 2020\npmid = "12"\n\n'
        '[moved]\nbrief = "R3"\ntitle = "C"\nyear = 2020\ndoi = "10.1000/new"\n\n'
        '[renumbered]\nbrief = "R5"\ntitle = "D"\nyear = 2020\npmid = "34"\n\n'
        '[copied]\nbrief = "R6"\ntitle = "E"\nyear = 2020\nurl = "https://example.org/copy.pdf"\n\n'
        '[broken]\nbrief = "R7"\ntitle = "F"\nyear = 2020\n\n'
        '[unnumbered]\ntitle = "G"\nyear = 2020\npmid = "56"\n\n'
        '[ahead]\nbrief = "R8"\ntitle = "H"\nyear = 2020\npmid = "78"\n\n'
        '[noted]\nbrief = "R10"\ntitle = "I"\nyear = 2020\npmid = "90"\n'))
    record = 'how = "compared with the brief"\nchecked = 2026-11-26\n'
    records = written(tmp_path, "reference-checks.toml", (
        f'[ok]\nbrief = "R1"\nstatus = "Yes"\ndoi = "10.1000/a"\n{record}\n'
        f'[moved]\nbrief = "R3"\nstatus = "Partly"\ndoi = "10.1000/old"\n{record}\n'
        f'[renumbered]\nbrief = "R4"\nstatus = "Yes"\npmid = "34"\n{record}\n'
        f'[copied]\nbrief = "R6"\nstatus = "Partly"\nbrief_note = "Partly (a copy seen)"\nurl = "https://example.org/copy.pdf"\n{record}\n'
        '[broken]\nbrief = "7"\nstatus = "No"\npmid = 7\nchecked = "2026-11-26"\nshade = "x"\n\n'
        f'[gone]\nbrief = "R9"\nstatus = "Yes"\n{record}\n'
        f'[unnumbered]\nbrief = "R11"\nstatus = "Yes"\npmid = "56"\n{record}\n'
        '[ahead]\nbrief = "R8"\nstatus = "Yes"\npmid = "78"\nhow = "compared"\nchecked = 2026-12-08\n\n'
        f'[noted]\nbrief = "R10"\nstatus = "Yes"\npmid = "90"\nbrief_note = " "\n{record}'))
    problems = reference_checks.problems(records, bibliography_path, today=datetime.date(2026, 12, 7))
    name = str(records)
    assert_named(problems, [
        f"{name}: [broken]: brief '7' is not a reference number of the content brief; write it as the brief does",
        f"{name}: [broken]: status 'No' is not a status that may be cited; use one of Yes, Partly",
        f"{name}: [broken]: 'pmid' must be a PubMed ID, not 7; it is digits only",
        f"{name}: [broken]: 'checked' must be a date, not '2026-11-26'",
        f"{name}: [broken]: 'how' is missing; add it",
        f"{name}: [broken]: unknown field 'shade'; use one of brief, brief_note, checked, doi, how,",
        f"{bibliography_path}: [unrecorded]: no verification record; check the entry against the content brief",
        f"{bibliography_path}: [moved]: identifiers {{'doi': '10.1000/new'}} differ from the verified {{'doi': '10.1000/old'}}",
        f"{bibliography_path}: [renumbered]: brief 'R5' differs from the verified 'R4'",
        f"{bibliography_path}: [copied]: the brief saw only a copy; link it by doi or pmid",
        f"{name}: [gone]: recorded, but not in the bibliography; remove the record",
        f"{bibliography_path}: [unnumbered]: the brief's number is missing; write brief = \"R11\" as its verification record gives it",
        f"{name}: [ahead]: checked 2026-12-08 is after today; write the day the identifiers were verified",
        f"{name}: [noted]: 'brief_note' is empty; write the brief's own words, or leave it out",
    ])


def test_a_terminology_file(tmp_path):
    path = written(tmp_path, "terminology.en.toml", (
        'colour = "red"\n'
        '[[term]]\npreferred = "a"\nforbidden = "b"\n\n'
        '[[term]]\npreferred = ""\nforbidden = ["c", 3]\nnote = "n"\nsee = "x"\n'))
    terms, problems = terminology.load_terms(path, "terminology.en.toml")
    assert terms == []
    assert_named(problems, [
        "terminology.en.toml: unknown field 'colour'; use one of term",
        "terminology.en.toml: term 1 ('a'): 'forbidden' must be a list of the words we do not use, not 'b'",
        "terminology.en.toml: term 1 ('a'): 'note' is missing; add it",
        "terminology.en.toml: term 2: 'preferred' is empty; write the one word we use",
        "terminology.en.toml: term 2: 'forbidden' item 2 must be text, not 3",
        "terminology.en.toml: term 2: unknown field 'see'; use one of forbidden, note, preferred",
    ])


def test_the_bibliography(tmp_path):
    path = written(tmp_path, "references.toml", (
        'stray = "not a table"\n\n'
        '[smith2020]\ntitle = "A trial"\nyear = "2020"\ndoi = "doi.org/10.1/x"\npmid = 123\ncolour = "red"\n\n'
        '[jones2019]\nauthors = "Jones A"\nyear = 2019\ntopic = "knees"\nurl = "http://example.org/x"\n\n'
        '[lee2018]\ntitle = " "\nyear = 2018\npmcid = "PMC12"\nunlinked = "Seen only in copies."\n\n'
        '[good2021]\ntitle = "A good entry"\nyear = 2021\npmid = "12345"\n'))
    found, problems = bibliography.load(path)
    assert list(found) == ["good2021"] and found["good2021"].year == "2021"
    assert_named(problems, [
        f"{path}: [smith2020]: 'year' '2020' is not a year; write it as a number, e.g. year = 2021",
        f"{path}: [smith2020]: doi 'doi.org/10.1/x' is not a DOI; write it as 10.xxxx/yyyy",
        f"{path}: [smith2020]: 'pmid' must be a PubMed ID, not 123; it is digits only",
        f"{path}: [smith2020]: unknown field 'colour'; use one of authors, brief, doi,",
        f"{path}: [jones2019]: 'title' is missing; add it",
        f"{path}: [jones2019]: topic 'knees' is not a topic of the references pages; use one of prp, exosomes, "
        "other-treatments (leave it out for prp)",
        f"{path}: [jones2019]: url 'http://example.org/x' is not an https:// address; the address must start with https://",
        f"{path}: [lee2018]: 'title' is empty; write it",
        f"{path}: [stray]: must be a table of title, year,",
    ])
    # the rule across fields (a link, or the reason there is none) waits for the structure
    assert not any("'unlinked' is for" in p for p in problems)


def test_the_evidence_and_the_glossary(tmp_path, references):
    evidence = written(tmp_path, "data/evidence.toml", (
        '[[scale]]\nkey = "mixed"\nlabel = "Studies disagree"\nmeaning = "They disagree."\n\n'
        '[[scale]]\nkey = "strong"\nlabel = 5\n\n'
        '[[use]]\nid = "acne"\nname = "Acne"\nshade = "red"\n'
        'prp = { strength = "mixed", summary = "Text.", refs = "bennell2021" }\n'
        'exosomes = { strength = "mixed", summary = "Text.", refs = [3] }\n\n'
        '[[use]]\nid = "hair"\nname = "Hair"\nprp = "mixed"\n'
        'exosomes = { strength = "mixed", summary = "Text.", refs = ["bennell2021"] }\n\n'
        '[[use]]\nid = "skin"\nname = "Skin"\n'
        'prp = { strength = "mixed", summary = "Text.", refs = ["nobody1999"] }\n'
        'exosomes = { strength = "weak", summary = "Text.", refs = [] }\n'))
    scale, uses, problems = evidence_glossary.load_evidence(evidence, references)
    assert list(scale) == ["mixed"] and uses == {}
    assert_named(problems, [
        f"{evidence}: [[scale]] 'strong': 'label' must be text, not 5; write it in double quotes",
        f"{evidence}: [[scale]] 'strong': 'meaning' is missing; add it",
        f"{evidence}: use 'acne': unknown field 'shade'; use one of exosomes, id, name, page, prp",
        f"{evidence}: use 'acne': 'prp.refs' must be a list, not 'bennell2021'; reference keys in quotes",
        f"{evidence}: use 'acne': 'exosomes.refs' item 1 must be text, not 3",
        f"{evidence}: use 'hair': 'prp' must be a table of strength, summary, refs, not 'mixed'",
        # the rules across files, on the entries whose structure is right
        f"{evidence}: use 'skin': prp.refs: 'nobody1999' is not in the bibliography",
        f"{evidence}: use 'skin': exosomes.strength 'weak' is not on the scale; use one of: mixed",
    ])
    glossary = written(tmp_path, "data/glossary.toml", (
        'stray = 3\n\n[prp]\nterm = "PRP"\n\n[plasma]\nterm = ["Plasma"]\ndefinition = ""\nsee = "blood"\n\n'
        '[cell]\nterm = "Cell"\ndefinition = "The smallest living unit."\n'))
    terms, problems = evidence_glossary.load_glossary(glossary)
    assert list(terms) == ["cell"]
    assert_named(problems, [
        f"{glossary}: [prp]: 'definition' is missing; add it",
        f"{glossary}: [plasma]: 'term' must be text, not ['Plasma']",
        f"{glossary}: [plasma]: 'definition' is empty; write it",
        f"{glossary}: [plasma]: unknown field 'see'; use one of definition, term",
        f"{glossary}: [stray]: must be a table of term, definition, not 3",
    ])


def test_the_translated_evidence_and_glossary(tmp_path, references):
    content = tmp_path / "content"
    scale, uses, problems = evidence_glossary.load_evidence(ROOT / "content" / "data" / "evidence.toml", references)
    glossary, problems = evidence_glossary.load_glossary(ROOT / "content" / "data" / "glossary.toml")
    term = next(iter(glossary))
    use = next(iter(uses))
    written(content, "data/glossary.es.toml", "".join(
        f'[{key}]\nterm = "T"\ndefinition = "D."\n\n' for key in glossary if key != term) + f'[{term}]\nterm = 3\n')
    evidence = written(content, "data/evidence.es.toml", "".join(
        f'[[scale]]\nkey = "{key}"\nlabel = "L"\nmeaning = "M."\n\n' for key in scale) + (
        f'[[use]]\nid = "{use}"\nname = "N"\nprp = {{ summary = "S." }}\nexosomes = "S."\nkind = "x"\n'))
    settings = {"DEFAULT_LANG": "en", "GLOSSARY": "data/glossary.toml", "EVIDENCE": "data/evidence.toml"}
    found, problems = evidence_glossary.load_translated_data(content, settings, ["en", "es"], scale, uses, glossary)
    label = content / "data" / "glossary.es.toml"
    assert_named(problems, [
        f"{label}: [{term}]: 'term' must be text, not 3",
        f"{label}: [{term}]: 'definition' is missing; add it",
        f"{evidence}: use '{use}': 'prp' must be text, not a table; the PRP summary, translated",
        f"{evidence}: use '{use}': unknown field 'kind'; use one of exosomes, id, name, prp",
    ])
    assert found["es"].uses == {} and set(found["es"].scale) == set(scale)


def test_the_page_history(tmp_path):
    path = written(tmp_path, "page-history.toml", (
        '"guides/a.md" = [\n'
        '  { date = "last spring", note = "Fixed a typo." },\n'
        '  { date = 2026-05-01T10:00:00, note = "Added a study.", author = "Someone" },\n'
        '  { note = 5 },\n'
        '  "First published.",\n'
        ']\n'
        '"guides/b.md" = { date = 2026-01-10, note = "First published." }\n'
        '"guides/c.md" = [{ date = 2026-01-10, note = "First published." }]\n'))
    history = page_history.load(path, "content/data/page-history.toml")
    label = "content/data/page-history.toml"
    assert_named(history.problems, [
        f"{label}: guides/a.md: entry 1: 'date' must be a date, not 'last spring'",
        f"{label}: guides/a.md: entry 2: 'date' 2026-05-01 10:00:00 has a time of day; write the day only, as YYYY-MM-DD",
        f"{label}: guides/a.md: entry 2: unknown field 'author'; use one of date, note",
        f"{label}: guides/a.md: entry 3: 'date' is missing; add it (the day, e.g. date = 2026-11-20)",
        f"{label}: guides/a.md: entry 3: 'note' must be text, not 5",
        f"{label}: guides/a.md: entry 4: must be a table of date, note, not 'First published.'; write it as "
        '{ date = 2026-11-26, note = "First published." }',
        f"{label}: guides/b.md: must be a list of tables, not a table; write it as [{{ date = 2026-11-26,",
    ])
    # reported once, with the file; a page whose entries are right is checked as before
    assert history.check_page("guides/a.md", None) == ([], [])
    assert history.check_page("guides/c.md", None)[0][0].date == datetime.date(2026, 1, 10)


def test_the_reviewers_and_the_sign_offs(tmp_path):
    path = written(tmp_path, "reviewers.toml", (
        '[dr-a]\nname = "A Person"\ncredentials = "MD"\nrole = "surgeon"\nlanguages = ["en", "fr"]\n'
        'interests = "None declared."\n\n'
        '[dr-b]\nname = "B\\nPerson"\ncredentials = 3\nrole = ["clinical"]\nlanguages = []\nphone = "x"\n\n'
        '[dr-c]\nname = "C Person"\ncredentials = "RN"\nrole = "language"\nlanguages = ["es"]\ninterests = "None declared."\n\n'
        # shown on pages as "Reviewed by NAME, CREDENTIALS on DATE": what would read as something else
        '[dr-d]\nname = "\u200b"\ncredentials = "MD on 1 January 2020. Reviewed by Prof. Famous"\n'
        'role = ["clinical", "clinical"]\nlanguages = ["en"]\ninterests = "None declared."\n'))
    reviewers, problems = signoff_files.load_reviewers(path, "reviewers.toml", ["en", "es"])
    assert list(reviewers) == ["dr-c"] and reviewers["dr-c"].roles == ("language",)
    assert_named(problems, [
        "reviewers.toml: [dr-a]: role 'surgeon' is not a reviewer's role; use one of clinical, language",
        "reviewers.toml: [dr-a]: languages: 'fr' is not a language of the site; list the site languages the "
        "reviewer reads, from en, es",
        "reviewers.toml: [dr-b]: 'name' runs over several lines; write it on one line",
        "reviewers.toml: [dr-b]: 'credentials' must be text, not 3",
        "reviewers.toml: [dr-b]: 'languages' has 0 items; give at least 1: the site languages the reviewer reads",
        "reviewers.toml: [dr-b]: 'interests' is missing; add it (write interests = \"None declared.\"",
        "reviewers.toml: [dr-b]: unknown field 'phone'; use one of credentials, interests, languages, name, role",
        "reviewers.toml: [dr-d]: name: '\u200b' would not be shown as written",
        "reviewers.toml: [dr-d]: credentials: 'MD on 1 January 2020. Reviewed by Prof. Famous' would not be shown as written",
        "reviewers.toml: [dr-d]: role: a role is listed twice; list each role once",
    ])
    entry = ('[[sign-off]]\npage = "guides/x.es.md"\nreviewer = "dr-c"\nrole = "{role}"\ndate = {date}\n'
             'digest = "sha256:0"\ninputs = {{}}\n{extra}\n')
    sign_offs = written(tmp_path, "sign-offs.toml", "".join([
        entry.format(role="linguist", date="2026-11-25", extra=""),
        entry.format(role="language", date='"yesterday"', extra='note = "x"'),
        entry.format(role="language", date="2026-11-25", extra=""),
        entry.format(role="language", date="2031-01-01", extra=""),
    ]))
    found, problems = signoff_files.load_sign_offs(sign_offs, "sign-offs.toml", reviewers, {"guides/x.es.md": "es"}.get,
                                                   datetime.date(2026, 12, 7))
    fix = "sign-offs are written by `invoke sign-off`, never by hand: restore the file from git"
    assert found == [] and all(p.endswith(fix) for p in problems[:3])
    assert_named(problems, [
        f"sign-offs.toml: sign-off 1 (guides/x.es.md): role 'linguist' is not a role; use one of clinical, language; {fix}",
        "sign-offs.toml: sign-off 2 (guides/x.es.md): 'date' must be a date, not 'yesterday'; write it as YYYY-MM-DD",
        "sign-offs.toml: sign-off 2 (guides/x.es.md): unknown field 'note'; use one of date, digest, inputs, page, reviewer, role",
        # the rule across fields, once the structure is right
        "sign-offs.toml: sign-off 3 (guides/x.es.md): the digest does not match the inputs listed",
        "sign-offs.toml: sign-off 4 (guides/x.es.md): it is dated 2031-01-01, after today (2026-12-07)",
    ])


def test_the_source_checks(tmp_path):
    path = written(tmp_path, "source-checks.toml", (
        '[check]\ndate = "2026-11-20"\noutcome = 3\n\n'
        '[works.smith2020]\nstatus = "retracted"\nkeep = ""\nkeep_es = 4\n\n'
        '[works.jones2019]\ndetail = "no status"\n\n'
        '[works.lee2018]\nstatus = "withdrawn"\nshade = "red"\n\n'
        '[works.good2021]\nstatus = "retracted"\nkeep = "Cited to explain why it is no longer trusted."\n'))
    results, problems = source_checks.load(path, "source-checks.toml")
    assert list(results.records) == ["good2021"] and results.date is None
    assert_named(problems, [
        "source-checks.toml: [check]: 'date' must be a date, not '2026-11-20'; write it as YYYY-MM-DD, without quotes; "
        "run `invoke sources` again",
        "source-checks.toml: [check]: 'outcome' must be text, not 3; write it in double quotes, e.g. \"...\"; run `invoke sources` again",
        "source-checks.toml: [works.smith2020]: 'keep' is empty; write it, or leave it out",
        "source-checks.toml: [works.smith2020]: 'keep_es' must be text, not 4",
        "source-checks.toml: [works.jones2019]: 'status' is missing; add it",
        "source-checks.toml: [works.lee2018]: unknown field 'shade'; use one of status, detail, notice, date, keep, keep_<language>",
    ])


def grid_option(option_id: str, kind: str, extra: str = "") -> str:
    answers = "".join(f'{key} = "A short plain answer about {key} [@bennell2021]."\n' for key in QUESTIONS)
    return f'[[option]]\nid = "{option_id}"\nname = "{option_id.title()}"\nkind = "{kind}"\n{answers}{extra}\n'


GRID = ('title = "A test grid"\npage = "guides/test-guide.md"\nchecked = 2026-11-26\n'
        'values = ["Avoiding needles", "Strong research", "Few visits"]\n\n'
        + grid_option("wait", "none") + grid_option("gel", "alternative") + grid_option("prp", "prp"))


def test_an_option_grid_and_its_translation(tmp_path, references):
    label = "content/data/option-grids/test-grid.toml"
    english, problems = option_grids.load(written(tmp_path, "test-grid.toml", GRID), references, label)
    assert problems == [] and [o.id for o in english.options] == ["wait", "gel", "prp"]
    broken = (GRID.replace("checked = 2026-11-26", 'checked = "26 November 2026"\nsubtitle = "x"\nurgent = "Call 911"')
              .replace('values = ["Avoiding needles", "Strong research", "Few visits"]', 'values = ["Few visits"]')
              .replace('kind = "alternative"', 'kind = "surgery"\nuncited = ["cost"]')
              .replace('visits = "A short plain answer about visits [@bennell2021]."\n', "", 1)
              .replace('kind = "prp"', 'kind = "prp"\nnumbers = [{ question = "risks", count = 165, says = "", alone = "yes" }]')
              + '[[serious_risk]]\noptions = "prp"\n')
    grid, problems = option_grids.load(written(tmp_path, "test-grid.toml", broken), references, label)
    assert grid is None
    assert_named(problems, [
        f"{label}: 'checked' must be a date, not '26 November 2026'; the day the evidence",
        f"{label}: unknown field 'subtitle'; use one of checked, intro, option, page, serious_risk, title, urgent, values",
        f"{label}: 'values' has 1 item; give at least 3: 'What matters most to you?' statements",
        f"{label}: option 'wait', question 'visits' (How many visits?): the answer is missing; add it (write a short "
        "answer with its source [@key])",
        f"{label}: option 'gel': kind 'surgery' is not known; use one of prp, none, first-step, alternative, exosomes",
        f"{label}: option 'gel': uncited 'cost' is not a question of the grid; use one of involves, works,",
        f"{label}: option 'prp', question 'risks': count 165 is not a whole number from 0 to 100",
        f"{label}: option 'prp', question 'risks': 'says' is empty; say what happened to those people",
        f"{label}: option 'prp', question 'risks': 'alone' must be true or false, not 'yes'; write true or false, without quotes",
        f"{label}: serious_risk 1: 'words' is missing; add it (the risk in words",
        f"{label}: serious_risk 1: 'options' must be a list, not 'prp'; the ids of the options",
        f"{label}: 'urgent' must be a table of title, signs, not 'Call 911'; write it as urgent = {{ title = ",
    ])
    es = "content/data/option-grids/test-grid.es.toml"
    translation = (GRID.replace('page = "guides/test-guide.md"\n', "").replace('name = "Gel"', "name = 3")
                   .replace("checked = 2026-11-26", "checked = 2026-11-26T10:00:00"))
    grid, problems = option_grids_i18n.load(written(tmp_path, "test-grid.es.toml", translation), english, "es", es)
    assert grid is None
    assert_named(problems, [
        f"{es}: 'checked' 2026-11-26 10:00:00 has a time of day; write the day only, as YYYY-MM-DD",
        f"{es}: option 'wait': unknown field 'kind'; use one of guidance, id, involves, name, numbers, risks,",
        f"{es}: option 'gel': 'name' must be text, not 3; translate the English one",
        f"{es}: option 'gel': unknown field 'kind'",
        f"{es}: option 'prp': unknown field 'kind'",
    ])
