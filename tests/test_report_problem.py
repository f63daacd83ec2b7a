"""Build tier. "Report a problem with this page": with EDITORIAL_CONTACT set, every page links to a mailto:
address with its title and address in the subject and body, properly percent-encoded; with
it empty, nothing at all. Never a form, a script or a tracking address."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from conftest import PINNED_TODAY, SETTINGS_DEV, SETTINGS_PROD, SITE_URL, Site
from sitebuild import build

# The link's words and the body's address label, in each language of the site.
LINK_TEXT = {"en": "Report a problem with this page", "es": "Informar de un problema con esta página"}
ADDRESS_LABEL = {"en": "Address", "es": "Dirección"}
EMAIL = "patient.help+web@example.org"
# RFC 6068: in a mailto: query value only these may appear unencoded.
QCHAR = re.compile(r"^(?:[A-Za-z0-9\-._~!$'()*+,;:@]|%[0-9A-F]{2})*$")


def build_with_email(tmp_path, settings, **overrides) -> Site:
    overrides = {"EDITORIAL_CONTACT": EMAIL, "REVIEW_CHECK_DATE": PINNED_TODAY, **overrides}
    return Site(build(settings, output_path=tmp_path / "out", overrides=overrides))


@pytest.fixture(scope="module")
def site_with_email(tmp_path_factory):
    return build_with_email(tmp_path_factory.mktemp("email"), SETTINGS_DEV)


def lang_of(site: Site, page: str) -> str:
    return site.soup(page).html["lang"]


def report_links(site: Site, page: str):
    text = LINK_TEXT[lang_of(site, page)]
    return [a for a in site.soup(page).find_all("a") if a.get_text(strip=True) == text]


def check_link(site: Site, page: str, expected_address: str) -> None:
    links = report_links(site, page)
    assert len(links) == 1, page
    href = links[0]["href"]
    parts = urlsplit(href)
    assert parts.scheme == "mailto" and unquote(parts.path) == EMAIL, href
    for pair in parts.query.split("&"):
        name, _, value = pair.partition("=")
        assert name in ("subject", "body") and QCHAR.match(value), (page, pair)
    query = parse_qs(parts.query)
    title = site.soup(page).title.get_text()
    meta_title = site.soup(page).find("meta", property="og:title")["content"]
    subject, body = query["subject"][0], query["body"][0]
    assert meta_title in subject or title in subject, (page, subject)
    assert meta_title in body or title in body, (page, body)
    assert f"{ADDRESS_LABEL[lang_of(site, page)]}: {expected_address}\r\n" in body, (page, body)


def test_with_an_email_every_page_links_to_it_with_its_title_and_address(site_with_email):
    assert site_with_email.pages
    for page in site_with_email.pages:
        check_link(site_with_email, page, "/" + page.removesuffix("index.html"))


def test_special_characters_in_a_title_are_percent_encoded(site_with_email):
    """The skin page's title has a colon and commas; a title with & or ? must not end the
    subject early."""
    page = "skin/index.html"
    href = report_links(site_with_email, page)[0]["href"]
    assert "%3A" in href and "%2C" in href and " " not in href
    from medical_content.pages.report_problem import mailto_href

    tricky = mailto_href(EMAIL, "PRP & you? 100% #1", "https://example.org/a/?b=c")
    query = parse_qs(urlsplit(tricky).query)
    assert query["subject"] == ["Problem with the page: PRP & you? 100% #1"]
    assert "Address: https://example.org/a/?b=c\r\n" in query["body"][0]


def test_the_production_link_gives_the_page_full_address(tmp_path, monkeypatch):
    monkeypatch.setenv("SITEURL", SITE_URL)
    site = build_with_email(tmp_path, SETTINGS_PROD)
    for page in ("index.html", "what-is-prp/index.html", "guides/index.html", "about/index.html"):
        check_link(site, page, f"{SITE_URL}/" + page.removesuffix("index.html"))


def test_without_an_email_there_is_no_link_and_no_trace(site):
    for page in site.pages:
        html = (site.root / page).read_text("utf-8")
        assert "mailto:" not in html and not any(text in html for text in LINK_TEXT.values()) and "app-report-problem" not in html, page


def test_the_link_is_only_a_link(site_with_email):
    for page in site_with_email.pages:
        soup = site_with_email.soup(page)
        paragraph = soup.select_one(".app-report-problem")
        assert [child.name for child in paragraph.find_all(True)] == ["a"], page
        assert soup.find("form") is None and soup.find("script", src=True) is None
        assert soup.find("img", src=re.compile("^https?:")) is None
