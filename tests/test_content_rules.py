"""Build tier. Every content rule the build enforces, fed bad input: the build fails, names the file
and the problem, and leaves the last good site as it was."""

from __future__ import annotations

import re

import pytest

from medical_content.rules.schema import PLACEHOLDER
from conftest import problems_of_one_build
from samples import GUIDE, GUIDE_FILE, LABEL, PAGE, case_file, problems_of, replace




def test_the_valid_samples_build(make_site):
    result = make_site({GUIDE_FILE: GUIDE, "pages/test-page.md": PAGE})
    assert "test-guide/index.html" in result.pages and "test-page/index.html" in result.pages
    assert result.notices == []


BROKEN_GUIDES = {
    "reviewed date missing": (("Reviewed: 2026-06-01\n", ""), "metadata (Reviewed): 'Reviewed' is missing"),
    "reviewed date malformed": (("Reviewed: 2026-06-01", "Reviewed: 1 June 2026"), "line 3 (Reviewed): '1 June 2026' is not a date"),
    "next review before last review": (("Next_review: 2027-06-01", "Next_review: 2026-05-01"), "line 4 (Next_review): the next review (2026-05-01) must come after the last review (2026-06-01)"),
    "next review too far away": (("Next_review: 2027-06-01", "Next_review: 2027-06-02"), "more than 12 months after the last review (2026-06-01); set it on or before 2027-06-01"),
    "summary too long": (("Summary: A short summary of a test guide.", "Summary: " + "word " * 40), "line 5 (Summary): the summary is 199 characters; shorten it to 160 or fewer"),
    "summary missing": (("Summary: A short summary of a test guide.\n", ""), "metadata (Summary): 'Summary' is missing"),
    "required section missing": (("## Regulatory status\n\nA guideline describes it [@kolasinski2020]. Some status.\n", ""), "section 'Regulatory status': the required section is missing; add '## Regulatory status'"),
    "required section renamed": (("## Questions to ask", "## Things to ask"), "section 'Questions to ask': the required section is missing"),
    "required sections out of order": (("## Risks and side effects\n\nA review lists risks [@arita2024]. Some risks.\n\n## Regulatory status\n\nA guideline describes it [@kolasinski2020]. Some status.\n", "## Regulatory status\n\nA guideline describes it [@kolasinski2020]. Some status.\n\n## Risks and side effects\n\nA review lists risks [@arita2024]. Some risks.\n"), "out of order; required sections come in this order: Risks and side effects, Regulatory status, Questions to ask"),
    "required section empty": (("## Regulatory status\n\nA guideline describes it [@kolasinski2020]. Some status.\n", "## Regulatory status\n"), "section 'Regulatory status': the section is empty"),
    "key points box missing": (('!!! key-points "Key points"\n    - One key point.\n', ""), "page: the 'Key points' box is missing"),
    "unknown citation": (("[@bennell2021]", "[@bennell2021; @nobody1999]"), "citation [@nobody1999]: 'nobody1999' is not in content/data/references.toml"),
    "placeholder left from invoke new": (("Some risks.", f"{PLACEHOLDER} write the risks."), f"line 16: unfinished text '{PLACEHOLDER}' left from `invoke new`"),
    "unknown setting in text": (("Some status.", "Call {{ CLINIC_FAX }}."), "{{ CLINIC_FAX }}: {{ CLINIC_FAX }} is not a setting pages can show"),
    "empty setting in text": (("Some status.", "Call {{ CLINIC_PHONE }}."), "{{ CLINIC_PHONE }}: CLINIC_PHONE is empty in pelicanconf.py"),
}


@pytest.fixture(scope="module")
def broken_guides_problems(tmp_path_factory) -> list[str]:
    """One build holding every broken guide, one file each: it reports them all at once."""
    files = {case_file("broken", i): replace(GUIDE, *change) for i, (change, _) in enumerate(BROKEN_GUIDES.values())}
    return problems_of_one_build(tmp_path_factory.mktemp("broken-guides"), files)


@pytest.mark.parametrize("index, expected", [(i, e) for i, (_, e) in enumerate(BROKEN_GUIDES.values())], ids=BROKEN_GUIDES.keys())
def test_a_broken_guide_fails_with_a_message_naming_file_and_problem(broken_guides_problems, index, expected):
    label = f"content/{case_file('broken', index)}: "
    assert any(p.startswith(label) and expected in p for p in broken_guides_problems), broken_guides_problems


def test_a_page_without_a_summary_fails(make_site):
    problems = problems_of(make_site, {"pages/test-page.md": replace(PAGE, "Summary: A short summary of a test page.\n", "")})
    assert any(p.startswith("content/pages/test-page.md: metadata (Summary)") for p in problems), problems


def test_a_page_in_an_unknown_folder_fails(make_site):
    problems = problems_of(make_site, {"blog/post.md": GUIDE}, ARTICLE_PATHS=["guides", "blog"])
    assert any(p.startswith("content/blog/post.md: page: this folder is not a known kind of page") for p in problems), problems


BROKEN_REFERENCES = {
    "DOI malformed": ('doi = "doi.org/10.1/x"', "doi 'doi.org/10.1/x' is not a DOI"),
    "PubMed ID malformed": ('pmid = "PMID 123"', "pmid 'PMID 123' is not a PubMed ID"),
    "address not https": ('url = "http://www.nice.org.uk/guidance/ipg637"', "must start with https://"),
    "no link at all": ("", "no doi, pmid, pmcid or url"),
}


def test_a_guide_citing_nothing_fails(make_site):
    uncited = re.sub(r" ?\[@\w+\]", "", GUIDE)
    assert "[@" not in uncited
    problems = problems_of(make_site, {GUIDE_FILE: uncited})
    assert any(p.startswith(f"{LABEL}: page: the page cites no references") for p in problems), problems


@pytest.mark.parametrize("link, expected", BROKEN_REFERENCES.values(), ids=BROKEN_REFERENCES.keys())
def test_a_malformed_bibliography_entry_fails(make_site, link, expected):
    bibliography = f'[bennell2021]\nauthors = "Bennell KL"\ntitle = "A trial"\nyear = 2021\n{link}\n'
    problems = problems_of(make_site, {GUIDE_FILE: GUIDE, "data/references.toml": bibliography})
    assert any(p.startswith("content/data/references.toml: [bennell2021]: ") and expected in p for p in problems), problems


def test_a_bibliography_entry_without_title_fails(make_site):
    bibliography = '[bennell2021]\nauthors = "Bennell KL"\nyear = 2021\ndoi = "10.1001/jama.2021.19415"\n'
    problems = problems_of(make_site, {GUIDE_FILE: GUIDE, "data/references.toml": bibliography})
    assert "content/data/references.toml: [bennell2021]: 'title' is missing; add it" in problems


def test_an_unreadable_bibliography_fails(make_site):
    problems = problems_of(make_site, {GUIDE_FILE: GUIDE, "data/references.toml": "[bennell2021\n"})
    assert any(p.startswith("content/data/references.toml: cannot read the bibliography") for p in problems)


def test_an_overdue_review_warns_in_development_and_fails_in_production(make_site):
    overdue = {"REVIEW_CHECK_DATE": "2027-06-02"}
    result = make_site({GUIDE_FILE: GUIDE}, **overdue)
    assert any(LABEL in n and "the review was due on 2027-06-01" in n for n in result.notices)
    problems = problems_of(make_site, {GUIDE_FILE: GUIDE}, EXPIRED_REVIEW_IS_ERROR=True, **overdue)
    assert any(p.startswith(f"{LABEL}: line 4 (Next_review): the review was due on 2027-06-01") for p in problems)
    assert make_site({GUIDE_FILE: GUIDE}, EXPIRED_REVIEW_IS_ERROR=True, REVIEW_CHECK_DATE="2027-06-01").notices == []


def test_every_problem_in_every_file_is_reported_in_one_run(make_site):
    files = {
        "guides/first.md": replace(GUIDE, "Reviewed: 2026-06-01", "Reviewed: soon"),
        "guides/second.md": replace(replace(GUIDE, "[@bennell2021]", "[@missing2020]"), "## Questions to ask", "## Other"),
        "pages/third.md": replace(PAGE, "Summary: A short summary of a test page.", "Summary: " + "x" * 161),
        "pages/fourth.md": "Title: Caf\xe9\n".encode("latin-1"),
        "pages/fifth.md": replace(PAGE, "Some text.", "See [x]({filename}gone.md) and <script>x()</script>."),
    }
    problems = problems_of(make_site, files)
    assert any(p.startswith("content/pages/fourth.md: line 1: the file is not saved as UTF-8") for p in problems)
    assert any(p.startswith("content/pages/fifth.md: line 4: the link points to 'pages/gone.md'") for p in problems)
    assert any(p.startswith("content/pages/fifth.md: line 4: raw HTML <script> is not allowed") for p in problems)
    assert any(p.startswith("content/guides/first.md: line 3 (Reviewed)") for p in problems)
    assert any(p.startswith("content/guides/second.md: citation [@missing2020]") for p in problems)
    assert any(p.startswith("content/guides/second.md: section 'Questions to ask'") for p in problems)
    assert any(p.startswith("content/pages/third.md: line 2 (Summary)") for p in problems)


def test_a_failed_build_leaves_the_last_good_site_byte_for_byte(make_site, tmp_path):
    result = make_site({GUIDE_FILE: GUIDE})
    before = {p: p.read_bytes() for p in sorted(result.output_path.rglob("*")) if p.is_file()}
    assert before
    problems_of(make_site, {GUIDE_FILE: replace(GUIDE, "[@bennell2021]", "[@nobody1999]")})
    after = {p: p.read_bytes() for p in sorted(result.output_path.rglob("*")) if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".output-")] == []


OVERCLAIMING = {
    "cure": "PRP can cure knee arthritis.",
    "guaranteed": "Results are guaranteed.",
    "miracle": "It is a miracle treatment for hair.",
    "risk-free": "The injection is risk-free.",
    "no side effects": "PRP has no side effects.",
    "extremely effective": "Exosomes are extremely effective.",
    "proven": "PRP is a proven treatment.",
    "FDA-approved": "PRP is FDA-approved.",
    "approved by the FDA": "This exosome product is approved by the FDA.",
    # "U.S." holds the one full stop a phrase may hold: it ends no sentence
    "approved by the U.S. FDA": "This exosome product is approved by the U.S. FDA for skin.",
    "approved by the u.s. Food and Drug Administration": "PRP is approved by the u.s. Food and Drug Administration.",
}


@pytest.fixture(scope="module")
def overclaim_problems(tmp_path_factory) -> list[str]:
    """One build holding every overclaim, one guide each, beside every balanced sentence."""
    files = {case_file("overclaim", i): replace(GUIDE, "Some risks.", sentence) for i, sentence in enumerate(OVERCLAIMING.values())}
    files |= {case_file("balanced", i): replace(GUIDE, "Some risks.", sentence) for i, sentence in enumerate(BALANCED)}
    return problems_of_one_build(tmp_path_factory.mktemp("overclaims"), files)


@pytest.mark.parametrize("index", range(len(OVERCLAIMING)), ids=OVERCLAIMING.keys())
def test_an_overclaim_fails_the_build(overclaim_problems, index):
    label = f"content/{case_file('overclaim', index)}: wording "
    assert any(p.startswith(label) and "overclaims" in p for p in overclaim_problems), overclaim_problems


BALANCED = [
    "No exosome product is FDA-approved.",
    "PRP is not approved by the FDA to treat any condition.",
    "It has not been proven to work.",
    "There is no cure for this.",
    'We never use the word "miracle".',
    "Is this product approved by the FDA?",
    "PRP is not free of risk.",
    "Is PRP approved by the U.S. FDA?",
    "PRP is not approved by the U.S. FDA to treat any condition.",
]


@pytest.mark.parametrize("index", range(len(BALANCED)), ids=BALANCED)
def test_a_negated_quoted_or_asked_phrase_is_not_an_overclaim(overclaim_problems, index):
    """In the same build as the overclaims: the balanced guides have no problem at all."""
    label = f"content/{case_file('balanced', index)}: "
    assert not [p for p in overclaim_problems if p.startswith(label)], overclaim_problems


def test_text_above_the_reading_grade_fails(make_site):
    hard = ("Intra-articular administration of autologous platelet concentrates demonstrated "
            "statistically heterogeneous improvements in patient-reported functional outcomes "
            "across randomised investigations. ") * 6
    problems = problems_of(make_site, {GUIDE_FILE: replace(GUIDE, "Some risks.", hard)})
    assert any(p.startswith(f"{LABEL}: reading grade: the text reads at US grade") and "above 8" in p for p in problems), problems


def test_the_reading_grade_is_reported_per_page(make_site):
    """One summary line naming the hardest page; each page's line with --verbose."""
    result = make_site({GUIDE_FILE: GUIDE, "guides/second.md": replace(GUIDE, "Title: A test guide", "Title: Second")})
    assert [line for line in result.report if line.startswith("Reading grade")] == [
        line for line in result.report if line.startswith("Reading grade of 2 pages: highest ")]
    assert sum(line.startswith("Reading grade") and LABEL in line for line in result.details) == 1
    assert result.summary(verbose=True).splitlines() == result.details + result.summary().splitlines()


def test_a_link_to_an_unknown_glossary_term_fails(make_site):
    problems = problems_of(make_site, {GUIDE_FILE: replace(GUIDE, "Some risks.", "Some [risks](glossary:riskiness).")})
    assert any(p.startswith(f"{LABEL}: glossary link (glossary:riskiness): 'riskiness' is not in content/data/glossary.toml") for p in problems), problems


def test_an_unknown_block_fails(make_site):
    problems = problems_of(make_site, {GUIDE_FILE: replace(GUIDE, "Some risks.", "Some risks.\n\n[[price-list]]")})
    assert any(p.startswith(f"{LABEL}: [[price-list]]: unknown block") for p in problems), problems


def test_evidence_data_with_an_unknown_strength_or_reference_fails(make_site):
    evidence = (
        '[[scale]]\nkey = "mixed"\nlabel = "Studies disagree"\nmeaning = "They disagree."\n\n'
        '[[use]]\nid = "acne"\nname = "Acne"\n'
        'prp = { strength = "strong", summary = "Text.", refs = [] }\n'
        'exosomes = { strength = "mixed", summary = "Text.", refs = ["nobody1999"] }\n'
    )
    problems = problems_of(make_site, {GUIDE_FILE: GUIDE, "data/evidence.toml": evidence})
    assert any(p.startswith("content/data/evidence.toml: use 'acne': prp.strength 'strong' is not on the scale") for p in problems), problems
    assert any("exosomes.refs: 'nobody1999' is not in the bibliography" in p for p in problems), problems


def test_a_glossary_entry_without_a_definition_fails(make_site):
    problems = problems_of(make_site, {GUIDE_FILE: GUIDE, "data/glossary.toml": '[prp]\nterm = "PRP"\n'})
    assert "content/data/glossary.toml: [prp]: 'definition' is missing; add it" in problems


CONTACT = "Title: Contact\nSummary: Contact details.\n\n[[clinic-contact]]\n"


def test_contact_details_show_only_what_is_set(make_site):
    result = make_site({"pages/contact.md": CONTACT})
    html = (result.output_path / "contact" / "index.html").read_text()
    assert "Foster Medical" in html and "have not been added to this website yet" in html
    assert "tel:" not in html and "mailto:" not in html
    result = make_site({"pages/contact.md": CONTACT}, CLINIC_PHONE="+1 555 0100", CLINIC_EMAIL="")
    html = (result.output_path / "contact" / "index.html").read_text()
    assert 'href="tel:+15550100"' in html and "mailto:" not in html
    assert "have not been added" not in html
