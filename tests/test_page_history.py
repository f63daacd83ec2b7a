"""Build tier. Page history: the change notes in content/data/page-history.toml, each rule fed bad input,
the "Page history" at the foot of every guide and condition page, and the newest change as
the Atom feed entry's `updated`."""

from __future__ import annotations

import datetime
import tomllib
import xml.etree.ElementTree as ElementTree

import pytest

from conftest import ROOT, SITE_URL, output_of
from medical_content.data import page_history
from samples import GUIDE, GUIDE_FILE, PAGE, problems_of, replace

HISTORY = "data/page-history.toml"
HISTORY_LABEL = "content/data/page-history.toml"
KEY = GUIDE_FILE  # guides/test-guide.md; GUIDE was reviewed on 2026-06-01
ATOM = "{http://www.w3.org/2005/Atom}"
REAL_HISTORY = tomllib.loads((ROOT / "content" / HISTORY).read_text("utf-8"))


def history(*entries: str, key: str = KEY) -> str:
    return f'"{key}" = [\n' + "".join(f"  {entry},\n" for entry in entries) + "]\n"


FIRST = '{ date = 2026-01-10, note = "First published." }'
LONG_NOTE = "Added " + " and ".join(["the results of a new study"] * 7) + "."

BAD_HISTORY = {
    "impossible date": (
        history('{ date = 2026-13-01, note = "Fixed a typo." }', FIRST),
        f"{HISTORY_LABEL}: line 2: '2026-13-01' is not a date",
    ),
    "date as words": (
        history('{ date = "last spring", note = "Fixed a typo." }', FIRST),
        f"{HISTORY_LABEL}: {KEY}: entry 1: 'date' must be a date, not 'last spring'; the day, e.g.",
    ),
    "date with a time": (
        history('{ date = 2026-05-01T10:00:00, note = "Fixed a typo." }', FIRST),
        f"{HISTORY_LABEL}: {KEY}: entry 1: 'date' 2026-05-01 10:00:00 has a time of day; write the day only",
    ),
    "no date": (history('{ note = "Fixed a typo." }', FIRST), f"{HISTORY_LABEL}: {KEY}: entry 1: 'date' is missing; add it (the day, e.g. date = 2026-11-20)"),
    "oldest first": (
        history(FIRST, '{ date = 2026-05-01, note = "Fixed a typo." }'),
        f"{HISTORY_LABEL}: {KEY}: the change of 2026-05-01 comes after the change of 2026-01-10; list the newest change first",
    ),
    "newer than the review": (
        history('{ date = 2026-07-01, note = "Fixed a typo." }', FIRST),
        f"{HISTORY_LABEL}: {KEY}: the newest change (2026-07-01) is after the page's last review (Reviewed: 2026-06-01)",
    ),
    "no note": (history("{ date = 2026-05-01 }", FIRST), f"{HISTORY_LABEL}: {KEY}: entry 1: 'note' is missing; add it (note = "),
    "empty note": (history('{ date = 2026-05-01, note = " " }', FIRST), f"{HISTORY_LABEL}: {KEY}: entry 1: the note is missing"),
    "two sentences": (
        history('{ date = 2026-05-01, note = "Fixed a typo. Added a study." }', FIRST),
        f"{HISTORY_LABEL}: {KEY}: entry 1: the note 'Fixed a typo. Added a study.' is more than one sentence",
    ),
    "not a sentence": (
        history('{ date = 2026-05-01, note = "typo fix" }', FIRST),
        f"{HISTORY_LABEL}: {KEY}: entry 1: the note 'typo fix' is not a sentence; end it with a full stop",
    ),
    "too long": (
        history(f'{{ date = 2026-05-01, note = "{LONG_NOTE}" }}', FIRST),
        f"{HISTORY_LABEL}: {KEY}: entry 1: the note is {len(LONG_NOTE)} characters; shorten it to one sentence of at most 200",
    ),
    "several lines": (
        history('{ date = 2026-05-01, note = "Fixed a typo\\nin the summary." }', FIRST),
        f"{HISTORY_LABEL}: {KEY}: entry 1: the note runs over several lines",
    ),
    "unknown field": (
        history('{ date = 2026-05-01, note = "Fixed a typo.", author = "Someone" }', FIRST),
        f"{HISTORY_LABEL}: {KEY}: entry 1: unknown field 'author'; use one of date, note",
    ),
    "not a list": (f'"{KEY}" = "First published."\n', f"{HISTORY_LABEL}: {KEY}: must be a list of tables, not 'First published.'; write it as [{{ date = "),
    "empty list": (history(key=KEY), f"{HISTORY_LABEL}: {KEY}: the page has no history; add a line"),
    "page missing from the file": ("", f"{HISTORY_LABEL}: {KEY}: the page has no history"),
    "entry for an unknown page": (
        history(FIRST) + history(FIRST, key="guides/deleted-guide.md"),
        f"{HISTORY_LABEL}: guides/deleted-guide.md: there is no guide or condition page content/guides/deleted-guide.md",
    ),
    "entry for a page that is not a guide": (
        history(FIRST) + history(FIRST, key="pages/ok.md"),
        f"{HISTORY_LABEL}: pages/ok.md: there is no guide or condition page content/pages/ok.md",
    ),
    "broken TOML": (history(FIRST).replace("]", ""), f"{HISTORY_LABEL}: the file is not valid TOML"),
}


@pytest.mark.parametrize("text, expected", BAD_HISTORY.values(), ids=BAD_HISTORY.keys())
def test_a_bad_page_history_names_the_file_the_page_and_the_fix(make_site, text, expected):
    problems = problems_of(make_site, {GUIDE_FILE: GUIDE, "pages/ok.md": PAGE, HISTORY: text})
    assert any(p.startswith(expected) for p in problems), problems


def test_every_problem_in_the_history_is_reported_at_once(make_site):
    text = history('{ date = "soon", note = "Fixed a typo." }', '{ date = 2026-01-10, note = "first" }')
    text += history(FIRST, key="guides/gone.md")
    problems = problems_of(make_site, {GUIDE_FILE: GUIDE, HISTORY: text})
    assert sum(p.startswith(HISTORY_LABEL) for p in problems) == 3, problems


def test_a_missing_history_file_says_how_to_start_it(make_site):
    problems = problems_of(make_site, {GUIDE_FILE: GUIDE}, PAGE_HISTORY="data/no-such-history.toml")
    assert any(p.startswith(f"{HISTORY_LABEL.replace('page-history', 'no-such-history')}: the file is missing") for p in problems), problems


def test_a_good_history_builds_and_a_draft_needs_none(make_site):
    draft = replace(GUIDE, "Title: A test guide", "Title: A draft guide\nStatus: draft")
    text = history('{ date = 2026-05-01, note = "Added a study from 2026." }', FIRST)
    result = make_site({GUIDE_FILE: GUIDE, "guides/draft-guide.md": draft, HISTORY: text})
    assert "test-guide/index.html" in result.pages


def test_the_real_history_covers_every_guide_and_condition_page():
    pages = {
        str(p.relative_to(ROOT / "content")) for folder in ("guides", "conditions") for p in (ROOT / "content" / folder).glob("*.md")
    }
    assert set(REAL_HISTORY) == pages
    for key, entries in REAL_HISTORY.items():
        assert entries[-1]["note"] == FIRST_PUBLISHED[language_of(key)], key


# The oldest note of each page, in the page's language, and the labels the page shows.
FIRST_PUBLISHED = {"en": page_history.FIRST_PUBLISHED, "es": "Publicada por primera vez."}
LABELS = {"en": ("Page history", "Show all updates"), "es": ("Historial de la página", "Ver todas las actualizaciones")}


def language_of(key: str) -> str:
    parts = key.removesuffix(".md").split(".")
    return parts[1] if len(parts) == 2 else "en"


def test_every_guide_and_condition_page_shows_its_history_newest_first(site):
    pages = site.article_pages()
    assert pages
    for page in pages:
        soup = site.soup(page)
        section = soup.select_one("section.app-page-history")
        assert section is not None, page
        key = next(k for k in REAL_HISTORY if page == output_of(ROOT / "content" / k))
        heading, show_all = LABELS[language_of(key)]
        assert section.find("h2").get_text(strip=True) == heading
        expected = [(e["date"].isoformat(), e["note"]) for e in REAL_HISTORY[key]]
        details = section.find("details")
        assert details is not None and show_all in details.find("summary").get_text()
        shown = [(li.time["datetime"], li.get_text(" ", strip=True).split(": ", 1)[1]) for li in details.find_all("li")]
        assert shown == expected, page
        last_updated = section.find("p").find_all("time")[-1]["datetime"]
        assert last_updated == expected[0][0]
    for page in set(site.pages) - set(pages):
        assert site.soup(page).select_one(".app-page-history") is None, page


def test_the_history_note_is_shown_as_text_never_as_markup(make_site):
    text = history('{ date = 2026-05-01, note = "Replaced <b>bold</b> words with plain ones." }', FIRST)
    result = make_site({GUIDE_FILE: GUIDE, HISTORY: text})
    html = (result.output_path / "test-guide" / "index.html").read_text("utf-8")
    assert "Replaced &lt;b&gt;bold&lt;/b&gt; words with plain ones." in html


@pytest.mark.parametrize("kind", ["guides", "conditions"])
def test_the_feed_gives_the_newest_change_as_each_entry_update(production_site, kind):
    feed = ElementTree.parse(production_site.root / "feeds" / f"{kind}.atom.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        link = entry.find(f"{ATOM}link").get("href").removeprefix(f"{SITE_URL}/").strip("/")
        newest = REAL_HISTORY[f"{kind}/{link}.md"][0]["date"]
        updated = datetime.datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
        assert updated.date() == newest, link


def test_the_feed_update_follows_a_new_history_entry(make_site):
    """With a later change, the feed's `updated` moves and `published` stays."""
    text = history('{ date = 2026-05-01, note = "Added a study from 2026." }', FIRST)
    result = make_site({GUIDE_FILE: GUIDE, HISTORY: text}, SITEURL=SITE_URL, FEED_DOMAIN=SITE_URL,
                       CATEGORY_FEED_ATOM="feeds/{slug}.atom.xml", RELATIVE_URLS=False)
    entry = ElementTree.parse(result.output_path / "feeds" / "guides.atom.xml").getroot().find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}updated").text.startswith("2026-05-01")
    assert entry.find(f"{ATOM}published").text.startswith("2026-01-10")


def test_invoke_new_starts_the_page_history_of_a_guide_or_condition(tmp_path):
    from test_tasks import invoke

    (tmp_path / "data").mkdir()
    (tmp_path / HISTORY).write_text(history(FIRST), "utf-8")
    for kind in ("condition", "page"):
        run = invoke("new", "--title", "Does PRP help?", "--kind", kind, "--content", str(tmp_path))
        assert run.returncode == 0, run.stderr
    entries = tomllib.loads((tmp_path / HISTORY).read_text("utf-8"))
    assert list(entries) == [KEY, "conditions/does-prp-help.md"]  # a plain page keeps no history
    assert entries["conditions/does-prp-help.md"] == [
        {"date": datetime.date.today(), "note": page_history.FIRST_PUBLISHED}
    ]
