"""Build tier. The references pages: the bibliography split by topic (its `topic` field), one page per
topic in each language, each work on its topic's page and no other (README, "Citing
sources"); bad topics, in the bibliography or in the block, fail the build."""

from __future__ import annotations

import posixpath
import tomllib

import pytest

from conftest import ROOT
from samples import GUIDE, GUIDE_FILE, PAGE, problems_of, replace

BIBLIOGRAPHY = tomllib.loads((ROOT / "content" / "data" / "references.toml").read_text("utf-8"))
# The page each topic belongs on, in the English edition; a work with no topic is about PRP.
TOPIC_PAGES = {
    "prp": "references/index.html",
    "exosomes": "exosome-references/index.html",
    "other-treatments": "other-treatment-references/index.html",
}
LANGUAGE_PREFIXES = {"en": "", "es": "es/"}


def listed_works(site) -> dict[str, list[str]]:
    """Every bibliography item on the site: its key -> the pages listing it."""
    found: dict[str, list[str]] = {}
    for page in site.pages:
        for item in site.soup(page).select(".app-bibliography > li[id]"):
            found.setdefault(item["id"], []).append(page)
    return found


def test_the_bibliography_uses_every_topic():
    used = {entry.get("topic", "prp") for entry in BIBLIOGRAPHY.values()}
    assert used == set(TOPIC_PAGES)


@pytest.mark.parametrize("lang", LANGUAGE_PREFIXES)
def test_each_work_is_listed_on_its_topics_page_and_nowhere_else(site, lang):
    prefix = LANGUAGE_PREFIXES[lang]
    listed = {key: [p for p in pages if p.startswith("es/") == (lang == "es")]
              for key, pages in listed_works(site).items()}
    for key, entry in BIBLIOGRAPHY.items():
        expected = prefix + TOPIC_PAGES[entry.get("topic", "prp")]
        assert listed.get(key) == [expected], (key, listed.get(key))
    assert set(listed) == set(BIBLIOGRAPHY)


def linked_page(page: str, href: str) -> str:
    """The built file a relative link on `page` leads to."""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), href.split("#")[0]))
    return target + "/index.html" if href.split("#")[0].endswith("/") else target


@pytest.mark.parametrize("lang", LANGUAGE_PREFIXES)
def test_each_references_page_links_the_others_in_its_language(site, lang):
    pages = [LANGUAGE_PREFIXES[lang] + page for page in TOPIC_PAGES.values()]
    for page in pages:
        soup = site.soup(page)
        assert soup.html["lang"] == lang
        linked = {linked_page(page, a["href"]) for a in soup.select("main a[href]")
                  if not a.find_parent(class_="app-bibliography")}
        assert set(pages) - {page} <= linked, (page, sorted(linked))


@pytest.mark.parametrize("lang", LANGUAGE_PREFIXES)
def test_the_cited_in_lists_are_sorted_and_in_the_pages_language(site, lang):
    for page in (LANGUAGE_PREFIXES[lang] + page for page in TOPIC_PAGES.values()):
        for item in site.soup(page).select(".app-bibliography > li"):
            links = item.select(".app-bibliography__cited a")
            titles = [a.get_text() for a in links]
            assert links and titles == sorted(titles), (page, item["id"], titles)
            for link in links:
                assert site.soup(linked_page(page, link["href"])).html["lang"] == lang, (page, link["href"])


def test_an_unknown_topic_in_the_bibliography_fails_naming_file_and_key(make_site):
    text = (ROOT / "content" / "data" / "references.toml").read_text("utf-8")
    broken = replace(text, '[bennell2021]\n', '[bennell2021]\ntopic = "knees"\n')
    problems = problems_of(make_site, {GUIDE_FILE: GUIDE, "data/references.toml": broken})
    assert ("content/data/references.toml: [bennell2021]: topic 'knees' is not a topic of the "
            "references pages; use one of prp, exosomes, other-treatments (leave it out for prp)") in problems


def test_an_unknown_topic_in_the_block_fails_naming_the_page(make_site):
    page = replace(PAGE, "Some text.", "[[all-references: knees]]")
    problems = problems_of(make_site, {GUIDE_FILE: GUIDE, "pages/sources.md": page})
    assert ("content/pages/sources.md: [[all-references: knees]]: not a topic of the bibliography; "
            "name one of prp, exosomes, other-treatments (or none for prp)") in problems


def test_a_topic_listed_on_two_pages_of_one_language_fails(make_site):
    page = replace(PAGE, "Some text.", "[[all-references: exosomes]]")
    problems = problems_of(make_site, {GUIDE_FILE: GUIDE, "pages/a.md": page, "pages/b.md": page})
    assert ("content/pages/b.md: [[all-references: exosomes]]: this topic is listed already by "
            "content/pages/a.md; list each topic once, on one page") in problems

