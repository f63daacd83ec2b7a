"""Build tier. The site covers the clinic source page, corrected and cited, in plain, balanced words.

The lists of topics and uses below are the test's own, taken from the source page (the content
brief, C0 and C4), not from the schema: loosening the schema or the
evidence data cannot make these tests pass."""

from __future__ import annotations

import copy
import re
import tomllib

import pytest
import textstat

from conftest import ROOT
from medical_content.data import reference_checks
from medical_content.rules import wording

# The source page's four topics, and where our site answers each.
SOURCE_TOPICS = {
    "what PRP is": "what-is-prp/index.html",
    "what exosomes are": "what-are-exosomes/index.html",
    "what PRP with exosomes is used for": "what-is-it-used-for/index.html",
    "side effects": "side-effects-and-risks/index.html",
}
# Every use the source page lists, as words that must name a row of the uses table.
SOURCE_USES = [
    "acne", "acne scars", "rosacea", "wrinkles", "hair loss", "osteoarthritis",
    "sports injuries", "erectile dysfunction", "urinary incontinence", "sexual wellness",
    "after surgery",
]
GRADE_LIMIT = 8.0
DATA = ROOT / "content" / "data"


def prose_text(soup) -> str:
    """The page's running text: each paragraph, list item and cell a sentence of its own."""
    prose = copy.copy(soup.select_one(".app-prose"))  # the site's parsed pages are shared
    for sup in prose.select("sup"):
        sup.decompose()
    blocks = []
    for element in prose.find_all(["p", "li", "td", "th", "dd", "dt", "figcaption"]):
        if element.find(["p", "li"]):
            continue  # its own blocks are counted instead
        text = " ".join(element.get_text(" ").split())
        if len(text.split()) >= 2:
            blocks.append(text if text[-1] in ".!?" else text.rstrip(":") + ".")
    return " ".join(blocks)


@pytest.mark.parametrize("topic, page", SOURCE_TOPICS.items())
def test_every_topic_of_the_source_page_has_its_guide(site, topic, page):
    assert page in site.pages, f"no page for the source topic: {topic}"
    assert site.soup(page).select_one(".app-key-points"), topic


def test_the_contact_invitation_names_the_clinic_and_is_linked_from_every_page(site):
    contact = site.soup("contact/index.html")
    assert "Foster Medical" in contact.select_one("main").get_text()
    for page in site.pages:
        contact = "Contacto" if page.startswith("es/") else "Contact"
        links = [a for a in site.soup(page).select("footer a") if a.get_text() == contact]
        assert links, f"{page} does not link to the contact page"


def test_every_use_of_the_source_page_has_a_row_with_both_strengths(site):
    soup = site.soup("what-is-it-used-for/index.html")
    scale = {s["label"] for s in tomllib.loads((DATA / "evidence.toml").read_text())["scale"]}
    rows = {row.th.get_text(" ", strip=True).lower(): row for row in soup.select("table.app-evidence tbody tr")}
    for use in SOURCE_USES:
        matching = [name for name in rows if use in name]
        assert matching, f"no row for '{use}' in the uses table"
        for name in matching:
            badges = [" ".join(b.get_text().split()).removeprefix("Strength of evidence: ") for b in rows[name].select(".app-badge")]
            assert len(badges) == 2 and set(badges) <= scale, (name, badges)


def test_combining_prp_and_exosomes_is_covered_as_unproven(site):
    text = site.soup("what-is-it-used-for/index.html").select_one("#using-prp-and-exosomes-together").find_next("p").get_text()
    assert "no study" in text.lower()


def test_condition_pages_show_the_badges_of_their_uses(site):
    uses = tomllib.loads((DATA / "evidence.toml").read_text())["use"]
    for use in uses:
        page = use["page"].removeprefix("conditions/").removesuffix(".md") + "/index.html"
        row = site.soup(page).select_one(f"#use-{use['id']}")
        assert row is not None, f"{page} does not show the evidence for {use['id']}"
        assert len(row.select(".app-badge")) == 2


def test_each_guide_and_condition_page_reads_at_grade_8_or_below(site):
    grades = {}
    for page in site.article_pages("en"):
        grades[page] = textstat.flesch_kincaid_grade(prose_text(site.soup(page)))
    assert len(grades) >= 11
    too_hard = {p: g for p, g in grades.items() if g > GRADE_LIMIT}
    assert not too_hard, too_hard


def test_each_spanish_guide_and_condition_page_is_fairly_easy_to_read(site):
    """INFLESZ (Szigriszt-Pazos) of at least 65, "bastante fácil", measured here with textstat's
    own Spanish syllables, apart from the build's check."""
    scores = {}
    textstat.set_lang("es")
    try:
        for page in site.article_pages("es"):
            scores[page] = textstat.szigriszt_pazos(prose_text(site.soup(page)))
    finally:
        textstat.set_lang("en_US")
    assert len(scores) >= 11
    too_hard = {p: s for p, s in scores.items() if s < 65}
    assert not too_hard, too_hard


def test_no_page_overclaims(site):
    for page in site.pages:
        main = site.soup(page).select_one("main")
        text = " ".join(main.get_text(" ").split())
        assert wording.overclaims(text) == [], page


REGULATORY_STATUS = {  # words that state it, in each language
    "en": ("not approved", "No exosome product is approved"),
    "es": ("no está aprobado", "Ningún producto de exosomas está aprobado"),
}


@pytest.mark.parametrize("lang", sorted(REGULATORY_STATUS))
def test_the_regulatory_status_is_stated_correctly_on_every_guide_and_condition_page(site, lang):
    pages = site.article_pages(lang)
    assert len(pages) >= 11
    for page in pages:
        section = site.soup(page).find(id="regulatory-status").parent
        text = " ".join(section.get_text(" ").split())
        assert any(words in text for words in REGULATORY_STATUS[lang]), page


def test_no_invented_prices_or_phone_numbers(site):
    for page in site.pages:
        # The text we write; reference lists are left out, since DOIs are made of digits.
        main = copy.copy(site.soup(page).select_one("main"))  # the parsed pages are shared
        for listing in main.select(".app-references, .app-bibliography"):
            listing.extract()
        text = main.get_text(" ")
        assert not re.search(r"[$£€]\s?\d", text), f"{page} states a price"
        numbers = re.findall(r"\+?\d[\d ()-]{6,}\d", text)
        assert not [n for n in numbers if len(re.sub(r"\D", "", n)) >= 7], f"{page}: {numbers}"


def test_medical_terms_link_to_the_glossary(site):
    terms = tomllib.loads((DATA / "glossary.toml").read_text())
    glossary = site.soup("glossary/index.html")
    for key, entry in terms.items():
        assert glossary.find("dt", id=f"term-{key}").get_text() == entry["term"]
    for page in site.article_pages():
        links = site.soup(page).select('.app-prose a[href*="glossary/#term-"]')
        assert links, f"{page} links no term to the glossary"


def test_the_references_pages_list_every_source_once_with_its_link(site):
    """The bibliography is split by topic over several pages (test_reference_pages.py checks
    which): in each language every work is listed once, links to its record and is cited."""
    bibliography = tomllib.loads((DATA / "references.toml").read_text())
    for spanish in (False, True):
        items = [li for page in site.pages if page.startswith("es/") == spanish
                 for li in site.soup(page).select(".app-bibliography > li")]
        assert sorted(li["id"] for li in items) == sorted(bibliography), "a work is listed twice or not at all"
        for item in items:
            # a work the brief saw only in copies is cited without a link (`unlinked`)
            linked = not bibliography[item["id"]].get("unlinked")
            assert bool(item.find("a", href=re.compile("^https://"))) == linked, item["id"]
            assert item.select_one(".app-bibliography__cited a"), f"{item['id']} is cited nowhere"


def test_every_reference_has_a_verification_record_matching_its_identifiers():
    """content/data/reference-checks.toml records, per bibliography entry, what was checked
    against the content brief, how and when (data/reference_checks.py). An entry without a
    record, or whose brief number or identifiers differ from the verified ones, has not been
    verified; only the brief's Yes and Partly may be cited."""
    problems = reference_checks.problems(DATA / "reference-checks.toml", DATA / "references.toml")
    assert problems == [], "\n".join(problems)
