"""Build tier. The site as it grows: list pages paginate, the home page stays short, the benchmark's
corpus of copied real pages passes every content rule (so `invoke bench` measures real builds), and
what a build keeps of each page stays small (the memory budget of `invoke bench`)."""

from __future__ import annotations

import gc
import sys
import weakref

from bs4 import BeautifulSoup

from conftest import ROOT, SETTINGS_DEV, TEST_SITE_SETTINGS
from samples import GUIDE, replace
from sitebuild import build, load_settings

sys.path.insert(0, str(ROOT / "bench"))
from corpus import make_corpus  # noqa: E402

SETTINGS = load_settings(SETTINGS_DEV)


def soup(result, page) -> BeautifulSoup:
    return BeautifulSoup((result.output_path / page).read_text(), "lxml")


def test_list_pages_paginate_and_the_home_page_stays_short(make_site):
    per_page, home_limit = SETTINGS["DEFAULT_PAGINATION"], SETTINGS["HOME_LIST_LIMIT"]
    count = per_page + 5
    files = {f"guides/guide-{n:02d}.md": replace(GUIDE, "Title: A test guide", f"Title: Guide {n:02d}") for n in range(count)}
    result = make_site(files)
    first, second = soup(result, "guides/index.html"), soup(result, "guides/page/2/index.html")
    assert len(first.select(".app-card")) == per_page and len(second.select(".app-card")) == count - per_page
    assert first.select_one('.app-pagination a[rel="next"]')["href"] == "../guides/page/2/"
    assert second.select_one('.app-pagination a[rel="prev"]')["href"] == "../../../guides/"
    assert "Page 2 of 2" in second.select_one(".app-pagination").get_text()
    assert "(page 2 of 2)" in second.h1.get_text()
    home = soup(result, "index.html")
    assert len(home.select("#section-guides ~ .app-card-list .app-card, section .app-card")) == home_limit
    assert home.find("a", string=f"See all {count} guides")["href"] == "./guides/"


def test_the_benchmark_corpus_passes_every_content_rule(tmp_path):
    content = make_corpus(tmp_path, 40)
    result = build(SETTINGS_DEV, output_path=tmp_path / "out", overrides={"PATH": str(content), **TEST_SITE_SETTINGS})
    real = sum(1 for folder in ("guides", "conditions") for _ in (ROOT / "content" / folder).glob("*.md"))
    copies = [p for p in result.pages if "-copy-" in p]
    assert len(copies) == 40 - real  # the real guides and condition pages, topped up with copies
    assert result.notices == []


def test_a_build_keeps_little_of_each_page_and_lets_every_page_go(tmp_path, monkeypatch):
    """The memory a build of thousands of pages needs: what the plugin keeps of a page for
    the site-wide checks is its ids, links and citation places (never its HTML or text),
    and is dropped once the checks have run; with a cache, a page's HTML, outline and history
    wait there until the page is drawn, not on the page; the plugin adds one attribute to
    Pelican's page (a second makes each page's attribute table 1.5 KB larger); and once the
    site is written nothing holds a page, not even Pelican's memoized HTML (nor, in the live
    preview, until the next build)."""
    from medical_content.build import Build
    from medical_content.pages import site_checks, work
    from medical_content.rules import checks

    pages, records, attributes, builds, held = [], [], {}, [], {}
    pelicans = {}  # the attributes Pelican gave each page
    page_read, link_and_address_problems = Build.page_read, site_checks.link_and_address_problems

    def remember_page(build, content):
        pelicans[content.source_path] = set(vars(content))
        page_read(build, content)
        pages.append(weakref.ref(content))

    def look_at_records(build, contents):
        builds.append(build)
        records.extend(build.records.values())
        attributes.update({c.source_path: set(vars(c)) - pelicans.get(c.source_path, set()) for c in contents})
        held.update({c.source_path: (c._content == work.IN_CACHE, c.medical.outline, c.medical.history)
                     for c in contents if c in build.held})
        return link_and_address_problems(build, contents)

    monkeypatch.setattr(Build, "page_read", remember_page)
    monkeypatch.setattr(site_checks, "link_and_address_problems", look_at_records)
    content = make_corpus(tmp_path, 40)
    build(SETTINGS_DEV, output_path=tmp_path / "out", overrides={"PATH": str(content), **TEST_SITE_SETTINGS})

    assert records and all(type(r) is checks.PageRecord for r in records)
    kept = [s for r in records for s in (*r.ids, *r.links, *(part for place in r.citation_places for part in place))]
    assert all(type(s) is str and "<" not in s and len(s) < 300 for s in kept)
    assert [b.records for b in builds] == [{}]
    synthetic = {path: added for path, added in attributes.items() if "-copy-" in path}
    assert synthetic and all(added == {"medical"} for added in synthetic.values()), sorted(synthetic.items())[:3]
    assert set(synthetic) <= set(held) and all(h == (True, [], []) for h in held.values())
    gc.collect()
    assert len(pages) > 40 and [p() for p in pages if p() is not None] == []
