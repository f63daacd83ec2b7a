"""The site as it grows: list pages paginate, the home page stays short, and the
benchmark's synthetic corpus passes every content rule (so `invoke bench` measures real
builds)."""

from __future__ import annotations

import sys
from pathlib import Path

from bs4 import BeautifulSoup

from conftest import PINNED_TODAY, ROOT, SETTINGS_DEV, TEST_SITE_SETTINGS
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
    articles = [p for p in result.pages if p.startswith("synthetic-")]
    assert len(articles) == 40 - real  # the real guides and condition pages, topped up
    assert result.notices == []
    empty = make_corpus(tmp_path / "empty", 0)
    assert not any(Path(empty).glob("*/*.md"))
