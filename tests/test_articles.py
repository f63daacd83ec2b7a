"""Build tier. Guides and condition pages: review dates, "On this page", meta description, citations
and reference lists, all read from the built HTML and compared with the Markdown source."""

from __future__ import annotations

import datetime
import re
import tomllib

import pytest

from samples import read_metadata
from conftest import ROOT, output_of
from medical_content.rules import checks
from medical_content.rules import schema

BIBLIOGRAPHY = tomllib.loads((ROOT / "content" / "data" / "references.toml").read_text("utf-8"))
SOURCES = sorted(
    path
    for ctype in schema.ARTICLE_TYPES.values()
    for path in (ROOT / "content" / ctype.folder).glob("*.md")
)
ENGLISH_SOURCES = [path for path in SOURCES if path.name.count(".") == 1]  # not name.es.md
# The heading of a page's reference list, in the page's language.
REFERENCES_HEADING = {"en": "References", "es": "Referencias"}


def language_of(source) -> str:
    return source.name.split(".")[1] if source.name.count(".") == 2 else "en"




def long_date(iso: str) -> str:
    day = datetime.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def test_there_is_at_least_one_article():
    assert SOURCES, "no guide or condition page in content/"


@pytest.mark.parametrize("source", ENGLISH_SOURCES, ids=lambda p: p.stem)
def test_review_dates_are_shown_from_metadata(site, source):
    meta = read_metadata(source)
    text = " ".join(site.soup(output_of(source)).select_one(".app-review-date").get_text(" ").split())
    # No page is signed off (content/data/sign-offs.toml): the honest label (tests/test_signoff.py)
    assert f"Evidence last checked on {long_date(meta['reviewed'])} . Not yet reviewed by a clinician." in text
    assert f"Next review due: {long_date(meta['next_review'])}" in text


SPANISH_MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                  "septiembre", "octubre", "noviembre", "diciembre"]


@pytest.mark.parametrize("source", [p for p in SOURCES if language_of(p) == "es"], ids=lambda p: p.stem)
def test_spanish_review_dates_are_shown_from_metadata_in_spanish(site, source):
    meta = read_metadata(source)
    text = " ".join(site.soup(output_of(source)).select_one(".app-review-date").get_text(" ").split())
    for label, field in (("Datos comprobados por última vez el", "reviewed"), ("Próxima revisión prevista:", "next_review")):
        day = datetime.date.fromisoformat(meta[field])
        assert f"{label} {day.day} de {SPANISH_MONTHS[day.month - 1]} de {day.year}" in text
    assert "Ningún profesional clínico la ha revisado todavía." in text


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_summary_is_the_meta_description(site, source):
    soup = site.soup(output_of(source))
    assert soup.find("meta", attrs={"name": "description"})["content"] == read_metadata(source)["summary"]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_on_this_page_lists_every_section(site, source):
    soup = site.soup(output_of(source))
    headings = [h2.get_text(strip=True) for h2 in soup.select(".app-prose h2[id]")]
    headings_in_source = [
        re.sub(r"\s*\{#[\w-]+\}$", "", line[3:]).strip()
        for line in source.read_text(encoding="utf-8").splitlines()
        if line.startswith("## ")
    ]
    assert headings == headings_in_source
    listed = [a.get_text(strip=True) for a in soup.select(".app-contents a")]
    assert listed == headings + [REFERENCES_HEADING[language_of(source)]]
    for link in soup.select(".app-contents a"):
        assert soup.find(id=link["href"][1:]), link["href"]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_required_sections_are_present_in_order_and_not_empty(site, source):
    ctype = schema.ARTICLE_TYPES[source.parent.name]
    soup = site.soup(output_of(source))
    ids = [h2["id"] for h2 in soup.select(".app-prose h2[id]")]
    positions = [ids.index(section.id) for section in ctype.sections]
    assert positions == sorted(positions)
    for section in ctype.sections:
        heading = soup.find("h2", id=section.id)
        body = []
        for sibling in heading.find_next_siblings():
            if sibling.name == "h2":
                break
            body.append(sibling.get_text(strip=True))
        assert "".join(body), f"section {section.title} is empty"
    for component in ctype.components:
        assert soup.select_one(f".app-{component.name}"), component.name


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_every_citation_resolves_and_every_reference_links_out(site, source):
    soup = site.soup(output_of(source))
    cited_keys = re.findall(r"@([\w.-]+)", " ".join(re.findall(r"\[(@[^\]]+)\]", source.read_text("utf-8"))))
    assert cited_keys, "the page cites nothing"
    assert "[@" not in soup.select_one(".app-prose").get_text(), "an unresolved citation is shown"
    items = soup.select(".app-references__list > li")
    assert [li["id"] for li in items] == [f"ref-{n}" for n in range(1, len(items) + 1)]
    targets = {a["href"][1:] for a in soup.select(".app-prose .app-cite a")}
    assert targets == {li["id"] for li in items}, "a reference is listed but never cited, or the reverse"
    listed = " ".join(li.get_text(" ") for li in items)
    for key in cited_keys:
        assert BIBLIOGRAPHY[key]["title"] in listed, key
    for item in items:
        link = item.find("a", href=True)
        if link is None:  # a work the brief saw only in copies: cited without a link (`unlinked`)
            assert any(entry.get("unlinked") and entry["title"] in item.get_text(" ") for entry in BIBLIOGRAPHY.values()), item
            continue
        assert re.match(r"https://(doi\.org/10\.|pubmed\.ncbi\.nlm\.nih\.gov/\d+/|pmc\.ncbi\.nlm\.nih\.gov/articles/PMC\d+/|[\w.-]+/)", link["href"]), link["href"]


def test_review_date_filters_match_metadata_format():
    assert checks.parse_date("2026-02-29") is None  # not a real day
    assert checks.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert checks.add_months(datetime.date(2026, 11, 26), 12) == datetime.date(2027, 11, 26)
