"""Build tier. The real site, built with development settings: every page has the skeleton, the
disclaimer and the emergency notice, and loads nothing from another host."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest


from conftest import ROOT, output_of

CONTENT = ROOT / "content"
EXPECTED_PAGES_AT_LEAST = 5  # home, 404, guides list, one guide, the disclaimer
# What the skeleton says in each language; a page under es/ is in Spanish.
SKELETON = {
    "en": {"site": "PRP and Exosome Patient Guide", "home": "Home", "main": "Main", "breadcrumb": "Breadcrumb",
           "full": "full medical disclaimer", "disclaimer": ("education only", "does not give medical advice",
           "does not replace a consultation", "differ from person to person")},
    "es": {"site": "Guía para pacientes sobre PRP y exosomas", "home": "Inicio", "main": "Principal",
           "breadcrumb": "Ruta de navegación", "full": "aviso médico completo", "disclaimer": (
           "solo sirve para informar", "No da consejos médicos", "no reemplaza una consulta",
           "varían de una persona a otra")},
}


def lang_of(page: str) -> str:
    return "es" if page.startswith("es/") else "en"


def prefix_of(page: str) -> str:
    return "es/" if lang_of(page) == "es" else ""


def test_the_build_produces_every_page_and_no_warning(site):
    assert len(site.pages) >= EXPECTED_PAGES_AT_LEAST
    assert site.result.notices == []
    for folder in ("guides", "conditions", "pages"):
        for source in (CONTENT / folder).glob("*.md"):
            assert output_of(source) in site.pages, f"{source} was not built"


def test_every_page_has_lang_title_and_one_h1(site):
    for page in site.pages:
        soup = site.soup(page)
        assert soup.html.get("lang") == lang_of(page), page
        assert soup.title and soup.title.get_text(strip=True), page
        assert len(soup.find_all("h1")) == 1, page


def test_every_page_has_a_working_skip_link_first(site):
    for page in site.pages:
        soup = site.soup(page)
        first_link = soup.body.find("a")
        assert first_link is not None and first_link.get("href") == "#main-content", page
        target = soup.find(id="main-content")
        assert target is not None and target.name == "main", page
        assert len(soup.find_all("main")) == 1, page


def test_every_page_has_the_disclaimer_and_emergency_notice(site):
    for page in site.pages:
        soup = site.soup(page)
        box = soup.select_one("main .app-disclaimer")
        assert box is not None, f"{page}: no disclaimer"
        text = " ".join(box.get_text(" ").split())
        words = SKELETON[lang_of(page)]
        for phrase in words["disclaimer"]:
            assert phrase in text, (page, phrase)
        emergency = box.select_one(".app-disclaimer__emergency").get_text(" ")
        assert "emergen" in emergency and "911" in emergency and "999" in emergency, page
        full = box.find("a", string=re.compile(words["full"]))
        assert full is not None, page
        assert resolve(site, page, full["href"]) == site.root / prefix_of(page) / "disclaimer" / "index.html"


def test_every_page_has_header_navigation_and_footer(site):
    for page in site.pages:
        soup = site.soup(page)
        header = soup.select_one("body > header")
        name = header.select_one("a.app-header__name")
        words = SKELETON[lang_of(page)]
        assert name.get_text(strip=True) == words["site"], page
        assert resolve(site, page, name["href"]) == site.root / prefix_of(page) / "index.html", page
        assert soup.select_one(f'nav[aria-label="{words["main"]}"] a'), page
        assert soup.select_one("body > footer"), page


def test_breadcrumbs_lead_home_on_every_page_but_home(site):
    for page in site.pages:
        words = SKELETON[lang_of(page)]
        crumbs = site.soup(page).select_one(f'nav[aria-label="{words["breadcrumb"]}"]')
        if page.removeprefix(prefix_of(page)) in ("index.html", "404.html"):
            assert crumbs is None, page
            continue
        assert crumbs is not None, page
        first = crumbs.find("a")
        assert first.get_text() == words["home"]
        assert resolve(site, page, first["href"]) == site.root / prefix_of(page) / "index.html"


# Tags whose address is fetched by the browser when the page loads.
LOADED = {"link": "href", "script": "src", "img": "src", "iframe": "src", "source": "src",
          "video": "src", "audio": "src", "embed": "src", "object": "data"}


def test_no_page_loads_anything_from_another_host_or_runs_script(site):
    for page in site.pages:
        soup = site.soup(page)
        assert soup.find("script") is None, f"{page}: has a script"
        for tag, attribute in LOADED.items():
            for element in soup.find_all(tag):
                address = element.get(attribute, "")
                assert not urlsplit(address).netloc, f"{page}: loads {address}"
        for element in soup.find_all(True):
            handlers = [a for a in element.attrs if a.lower().startswith("on")]
            assert not handlers, f"{page}: inline event handler {handlers}"
            assert "style" not in element.attrs, f"{page}: inline style on <{element.name}>"
        assert soup.find("style") is None, f"{page}: inline stylesheet"
    for sheet in ("site.css", "print.css"):
        css = (site.root / "theme" / "css" / sheet).read_text()
        assert "@import" not in css and "url(" not in css and "@font-face" not in css, sheet


def resolve(site, page: str, href: str) -> Path | None:
    """The output file an internal link points to, or None for an external one."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return site.root / page
    target = (site.root / page).parent / unquote(parts.path)
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target.resolve()


def test_every_internal_link_and_anchor_resolves(site):
    ids = {}  # page -> every id on it, gathered once per page rather than searched per link

    def ids_of(page: str) -> set[str]:
        if page not in ids:
            ids[page] = {element["id"] for element in site.soup(page).find_all(id=True)}
        return ids[page]

    for page in site.pages:
        soup = site.soup(page)
        for element in soup.find_all(["a", "link"], href=True):
            href = element["href"]
            target = resolve(site, page, href)
            if target is None:
                assert href.startswith("https://"), f"{page}: external link {href} is not https"
                continue
            assert target.exists(), f"{page}: broken link {href}"
            fragment = urlsplit(href).fragment
            if fragment and target.suffix == ".html":
                assert fragment in ids_of(str(target.relative_to(site.root))), f"{page}: no #{fragment} in {href}"


@pytest.mark.parametrize("home, lang", [("index.html", "en"), ("es/index.html", "es")])
def test_home_page_leads_to_every_guide_in_its_language(site, home, lang):
    linked = {resolve(site, home, a["href"]) for a in site.soup(home).select("main a[href]")}
    pages = site.article_pages(lang)
    assert len(pages) >= 11
    for page in pages:
        assert (site.root / page).resolve() in linked, f"{home} does not link to {page}"


def test_favicon_is_ours_and_linked(site):
    favicon = site.root / "favicon.svg"
    assert favicon.read_text().startswith("<svg")
    for page in site.pages:
        icon = site.soup(page).find("link", rel="icon")
        assert resolve(site, page, icon["href"]) == favicon.resolve()


def test_404_page_exists_at_the_root(site):
    soup = site.soup("404.html")
    assert soup.h1.get_text() == "Page not found"
