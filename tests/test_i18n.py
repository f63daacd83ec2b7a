"""Build tier. The Spanish edition: interface text from the catalogs, pages paired both ways, translated
data, and every rule for translated pages fed bad input (README, "Translating a page")."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, SETTINGS_PROD, SITE_URL, TEST_SITE_SETTINGS, add_real_data, problems_of_one_build
from medical_content.data import evidence_glossary as data
from medical_content.i18n import interface as i18n
from medical_content.rules import schema
from medical_content.rules import wording
from samples import GUIDE, GUIDE_FILE, PAGE, case_file, case_label, problems_of, replace
from sitebuild import build

SPANISH_GUIDE_FILE = "guides/test-guide.es.md"
SPANISH_LABEL = "content/guides/test-guide.es.md"
SPANISH_GUIDE = """\
Title: Una guía de prueba
Lang: es
Slug: test-guide
Date: 2026-01-10
Reviewed: 2026-06-01
Next_review: 2027-06-01
Translation_of_reviewed: 2026-06-01
Summary: Un resumen corto de una guía de prueba.

!!! key-points
    - Un punto clave.

## Sobre esto {#about-it}

Un texto que cita una fuente [@bennell2021]. Lea sobre el [plasma](glossary:plasma).

## Riesgos y efectos secundarios {#risks-and-side-effects}

Una revisión enumera riesgos [@arita2024]. Algunos riesgos.

## Situación regulatoria {#regulatory-status}

Una guía lo describe [@kolasinski2020]. Algo de la situación.

## Preguntas para su médico {#questions-to-ask}

- ¿Una pregunta?
"""
PAGE_FILE, SPANISH_PAGE_FILE = "pages/test-page.md", "pages/test-page.es.md"
SPANISH_PAGE = """\
Title: Una página de prueba
Lang: es
Slug: test-page
Summary: Un resumen corto de una página de prueba.

Un texto.
"""
CATALOG = i18n.catalog_path(ROOT / "theme", "es")


GLOSSARY_PAGES = {f"pages/{name}": (ROOT / "content" / "pages" / name).read_text()
                  for name in ("glossary.md", "glossary.es.md")}


def with_spanish(**changes) -> dict[str, str]:
    files = {GUIDE_FILE: GUIDE, SPANISH_GUIDE_FILE: SPANISH_GUIDE, **GLOSSARY_PAGES}
    files.update(changes)
    return files


def soup_of(result, page) -> BeautifulSoup:
    return BeautifulSoup((result.output_path / page).read_text(encoding="utf-8"), "lxml")


def english_messages() -> list[str]:
    """Interface messages long enough to be English words (not "PRP"), and not the same word
    in Spanish ("Plasma")."""
    spanish = i18n.load(ROOT / "theme", ("en", "es"), "en")[0]["es"]
    return [m for m in i18n.extract() if isinstance(m, str) and "%(" not in m and "<" not in m and len(m) > 4
            and spanish.gettext(m) != m]


# --- The catalogs -------------------------------------------------------------------------

def test_every_interface_message_has_a_spanish_translation():
    assert i18n.missing_translations("es") == []


def test_a_new_untranslated_template_string_is_reported(tmp_path):
    for name in ("theme", "babel.cfg", "plugins/medical_content/i18n/interface.py"):
        source = ROOT / name
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target)
    (tmp_path / "theme" / "templates" / "new.html").write_text('<p>{{ _("A brand new notice") }}</p>\n')
    missing = i18n.missing_translations("es", tmp_path)
    assert len(missing) == 1 and '"A brand new notice"' in missing[0] and "new.html" in missing[0]


def test_a_fuzzy_or_empty_translation_counts_as_missing(tmp_path):
    shutil.copytree(ROOT / "theme", tmp_path / "theme")
    shutil.copy(ROOT / "babel.cfg", tmp_path)
    (tmp_path / "plugins" / "medical_content" / "i18n").mkdir(parents=True)
    shutil.copy(ROOT / "plugins" / "medical_content" / "i18n" / "interface.py", tmp_path / "plugins" / "medical_content" / "i18n")
    catalog = i18n.catalog_path(tmp_path / "theme", "es")
    text = replace(catalog.read_text(), 'msgstr "Saltar al contenido principal"', 'msgstr ""')
    text = replace(text, 'msgid "On this page"', '#, fuzzy\nmsgid "On this page"')
    catalog.write_text(text)
    missing = "\n".join(i18n.missing_translations("es", tmp_path))
    assert '"Skip to main content"' in missing and '"On this page"' in missing


@pytest.mark.parametrize("damage", [
    lambda text: text + '\nmsgid "Cut off',  # the end of the file lost
    lambda text: text.replace("msgstr", "msgstrr", 1),  # a keyword misspelled
], ids=["cut-off", "misspelled-keyword"])
def test_a_catalog_babel_cannot_read_is_an_error_naming_its_line(tmp_path, damage):
    from medical_content.i18n import interface

    catalog = interface.catalog_path(tmp_path / "theme", "es")
    catalog.parent.mkdir(parents=True)
    text = interface.catalog_path(ROOT / "theme", "es").read_text("utf-8")
    catalog.write_text(damage(text), "utf-8")
    _translations, problems = interface.load(tmp_path / "theme", ["en", "es"], "en")
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{catalog}: line ") and "the catalog cannot be read there" in problems[0]


def test_the_schema_text_shown_to_readers_is_marked_for_translation():
    shown = {c.default_title for c in schema.COMPONENTS.values()}
    shown |= {t.title for t in schema.CONTENT_TYPES.values()}
    shown |= {s.title for t in schema.CONTENT_TYPES.values() for s in t.sections}
    assert shown <= set(i18n.PYTHON_STRINGS)


def test_the_catalog_has_no_compiled_binary_and_the_template_is_current():
    assert not list((ROOT / "theme" / "translations").rglob("*.mo"))  # compiled in memory
    pot = (ROOT / "theme" / "translations" / "messages.pot").read_text()
    for message in english_messages():
        assert f'"{message}"' in pot or message[:40] in pot, f"run `invoke translations`: {message}"


def test_spanish_dates_are_written_in_spanish_style():
    day = datetime.date(2026, 11, 26)
    assert i18n.long_date_in(day, "es") == "26 de noviembre de 2026"
    assert i18n.long_date_in(day, "en") == "26 November 2026"


# --- The real site ------------------------------------------------------------------------

SPANISH_PAGES = ["es/index.html", "es/404.html", "es/guides/index.html", "es/conditions/index.html",
                 *(f"es/{slug}/index.html" for slug in ("about", "contact", "disclaimer", "privacy", "glossary", "references",
                                                       "exosome-references", "other-treatment-references"))]


def test_the_spanish_edition_exists_under_es(site):
    for page in SPANISH_PAGES:
        assert page in site.pages, page
        soup = site.soup(page)
        assert soup.html["lang"] == "es", page
        assert soup.select_one(".app-skip-link").get_text() == "Saltar al contenido principal"
        assert soup.select_one(".app-disclaimer__title").get_text() == "Esto no es un consejo médico"
        emergency = soup.select_one(".app-disclaimer__emergency").get_text()
        assert "911 en Estados Unidos, México" in emergency and "112 en España" in emergency
        assert soup.select_one(".app-disclaimer a")["href"].endswith("es/disclaimer/")
        labels = [a.get_text() for a in soup.select(".app-nav__link")]
        assert labels[:2] == ["Guías", "Afecciones"] and "Glosario" in labels and "Quiénes somos" in labels


def visible_spanish_text(soup) -> str:
    """The page's text, leaving out what is marked as another language (an article not
    translated yet, the language switch) and the references (original titles)."""
    for element in soup.select('[lang]:not(html)'):
        if not element.decomposed and element["lang"] != "es":
            element.decompose()
    for element in soup.select(".app-bibliography, .app-references__list, script"):
        element.decompose()
    return " ".join(soup.body.get_text(" ").split())


def test_a_spanish_reader_meets_no_english_interface_text(site):
    messages = english_messages()
    for page in SPANISH_PAGES:
        text = visible_spanish_text(BeautifulSoup((site.root / page).read_text(), "lxml"))
        found = [m for m in messages if m in text]
        assert found == [], (page, found)


def test_articles_not_yet_translated_are_listed_in_english_and_marked(make_site):
    result = make_site({GUIDE_FILE: GUIDE})  # a guide with no Spanish page yet
    soup = BeautifulSoup((result.output_path / "es" / "index.html").read_text(), "lxml")
    card = soup.select_one(".app-card")
    assert card["lang"] == "en" and card.a["hreflang"] == "en"
    assert card.select_one(".app-card__lang").get_text() == "(en inglés)"


def test_the_spanish_home_lists_the_spanish_guides(site):
    soup = site.soup("es/index.html")
    cards = soup.select(".app-card")
    assert cards and not soup.select(".app-card__lang")
    assert all(card.a["href"].startswith("../es/") for card in cards), [c.a["href"] for c in cards]


def alternates(soup) -> dict[str, str]:
    return {link["hreflang"]: link["href"] for link in soup.find_all("link", rel="alternate", hreflang=True)}


@pytest.mark.parametrize("slug", ["about", "contact", "disclaimer", "privacy", "glossary", "references",
                                  "exosome-references", "other-treatment-references"])
def test_each_page_and_its_translation_link_each_other(site, production_site, slug):
    live_english, live_spanish = production_site.soup(f"{slug}/index.html"), production_site.soup(f"es/{slug}/index.html")
    assert alternates(live_english) == alternates(live_spanish) == {
        "en": f"{SITE_URL}/{slug}/", "es": f"{SITE_URL}/es/{slug}/", "x-default": f"{SITE_URL}/{slug}/"}
    english, spanish = site.soup(f"{slug}/index.html"), site.soup(f"es/{slug}/index.html")
    assert alternates(english) == {}  # development: relative addresses, which hreflang may not use
    switch = english.select_one(".app-language__link")
    assert switch.get_text() == "Español" and switch["href"] == f"../es/{slug}/" and switch["lang"] == "es"
    assert spanish.select_one(".app-language__link").get_text() == "English"
    note = spanish.select_one(".app-translation-note")
    assert note.a["href"] == f"../../{slug}/" and "traducción" in note.get_text()


def test_a_page_without_a_translation_offers_no_switch(make_site, tmp_path, monkeypatch):
    files = {GUIDE_FILE: GUIDE, PAGE_FILE: PAGE}  # neither has a Spanish page
    page = BeautifulSoup((make_site(files).output_path / "test-guide" / "index.html").read_text(), "lxml")
    assert not page.select(".app-language")
    monkeypatch.setenv("SITEURL", SITE_URL)
    live = build(SETTINGS_PROD, output_path=tmp_path / "live",
                 overrides={"PATH": str(tmp_path / "content"), **TEST_SITE_SETTINGS})
    assert not alternates(BeautifulSoup((live.output_path / "test-guide" / "index.html").read_text(), "lxml"))


def test_the_home_404_and_lists_link_their_other_language(production_site):
    for page, address in (("index.html", ""), ("guides/index.html", "guides/"), ("404.html", "404.html")):
        for prefix in ("", "es/"):
            found = alternates(production_site.soup(prefix + page))
            assert found == {"en": f"{SITE_URL}/{address}", "es": f"{SITE_URL}/es/{address}",
                             "x-default": f"{SITE_URL}/{address}"}, prefix + page


def test_spanish_pages_link_the_spanish_glossary(site):
    link = site.soup("es/about/index.html").select_one('.app-prose a[href*="glossary"]')
    assert link["href"] == "../../es/glossary/#term-prp"
    terms = [dt.get_text() for dt in site.soup("es/glossary/index.html").select(".app-glossary dt")]
    assert "Plaquetas" in terms and terms == sorted(terms, key=data.sort_key)
    assert terms.index("Autólogo") < terms.index("Centrífuga")  # "Á" files with the A's


def test_the_about_page_explains_translation_and_names_no_reviewer(site):
    for page, words in (("about/index.html", "no native Spanish-speaking clinical reviewer"),
                        ("es/about/index.html", "ningún profesional clínico cuya lengua materna sea el español")):
        soup = site.soup(page)
        assert soup.select(".app-prose h2")[-1]["id"] == "how-we-translate-our-pages", page
        assert words in soup.select_one(".app-translation-review").get_text(), page


def test_a_language_reviewer_in_reviewers_toml_is_named(make_site):
    fictional = ('[test-linguist]\nname = "Test Linguist"\ncredentials = "MA"\nrole = "language"\n'
                 'languages = ["es"]\ninterests = "None declared."\n')
    result = make_site({"pages/about.md": "Title: About\nSummary: About.\n\n[[translation-review]]\n",
                        "data/reviewers.toml": fictional})
    text = soup_of(result, "about/index.html").select_one(".app-translation-review").get_text()
    assert "Test Linguist, MA" in text and "no native" not in text


# --- A Spanish guide, and its rules with bad input -------------------------------------------

def test_a_spanish_guide_is_drawn_in_spanish(make_site):
    result = make_site(with_spanish())
    soup = soup_of(result, "es/test-guide/index.html")
    assert soup.html["lang"] == "es"
    assert soup.select_one(".app-contents__title").get_text() == "En esta página"
    assert soup.select_one(".app-references h2").get_text() == "Referencias"
    assert soup.select_one(".app-key-points__title").get_text() == "Puntos clave"
    review = soup.select_one(".app-review-date").get_text(" ")
    assert "Datos comprobados por última vez el 1 de junio de 2026 ." in " ".join(review.split())
    note = soup.select_one(".app-translation-note")
    assert note.a["href"] == "../../test-guide/" and "1 de junio de 2026" in note.get_text()
    assert [a.get_text() for a in soup.select(".app-breadcrumbs a")] == ["Inicio", "Guías"]
    assert soup.select_one('.app-prose a[href*="glossary"]')["href"].endswith("es/glossary/#term-plasma")
    assert any("INFLESZ" in line and SPANISH_LABEL in line for line in result.details)
    listed = soup_of(result, "es/guides/index.html").select_one(".app-card a")
    assert listed["href"] == "../../es/test-guide/" and "hreflang" not in listed.attrs


BAD_SPANISH_GUIDES = [
    ("Slug: test-guide\n", "", "needs 'Slug: test-guide'"),
    ("Translation_of_reviewed: 2026-06-01\n", "", "'Translation_of_reviewed' is missing"),
    ("Translation_of_reviewed: 2026-06-01", "Translation_of_reviewed: June", "'June' is not a date"),
    ("Translation_of_reviewed: 2026-06-01", "Translation_of_reviewed: 2026-07-01", "is not a review of the English page content/guides/test-guide.md"),
    ("## Situación regulatoria {#regulatory-status}", "## Situación regulatoria", "the required section is missing; add '## Situación regulatoria'"),
    ("!!! key-points\n    - Un punto clave.\n", "", "add '!!! key-points \"Puntos clave\"'"),
    ("## Sobre esto {#about-it}", "## Sobre esto {#about}", "the sections differ from content/guides/test-guide.md"),
    ("[@bennell2021]", "[@bennell2021; @dhillon2012]", "this page adds [@dhillon2012] in 'about-it'"),
    ("[@bennell2021]", "", "this page leaves out [@bennell2021] in 'about-it'"),
    ("(glossary:plasma)", "(glossary:nothing)", "'nothing' is not in content/data/glossary.toml"),
    ("Un texto que cita", "Es una cura garantizada y 100 % segura, sin riesgos, aprobada por la FDA. Un texto que cita", "wording 'cura garantizada'"),
    ("Algunos riesgos.", "Es un milagro.", "wording 'milagro'"),
    ("Un texto que cita", "La administración estadounidense correspondiente reglamentariamente considera extraordinariamente complicadísimas determinadas características farmacológicas. Un texto que cita", "below 65"),
    ("Algunos riesgos.", "<script>alert(1)</script>", "raw HTML <script> is not allowed"),
]


@pytest.fixture(scope="module")
def bad_spanish_problems(tmp_path_factory) -> list[str]:
    """One small site: for each case an English guide and its broken Spanish translation, named
    case by case (`spanish-N.md`, `spanish-N.es.md`); the build reports every case at once."""
    files = dict(GLOSSARY_PAGES)
    for index, (old, new, _) in enumerate(BAD_SPANISH_GUIDES):
        slug = f"spanish-{index}"
        files[case_file("spanish", index)] = GUIDE
        spanish = replace(SPANISH_GUIDE, old, new) if old else SPANISH_GUIDE
        files[case_file("spanish", index, "es")] = spanish.replace("Slug: test-guide", f"Slug: {slug}")
    return problems_of_one_build(tmp_path_factory.mktemp("bad-spanish"), files)


@pytest.mark.parametrize("index", range(len(BAD_SPANISH_GUIDES)), ids=[c[2][:40] for c in BAD_SPANISH_GUIDES])
def test_a_bad_spanish_guide_fails_with_a_clear_message(bad_spanish_problems, index):
    expected = BAD_SPANISH_GUIDES[index][2].replace("test-guide", f"spanish-{index}")
    label = case_label("spanish", index, "es")
    assert any(expected in p and p.startswith(label) for p in bad_spanish_problems), bad_spanish_problems


def test_negated_spanish_claims_and_questions_pass():
    text = ("Ningún producto de exosomas está aprobado por la FDA. No es un tratamiento sin riesgos. "
            "Nunca decimos «milagro». ¿Es una cura garantizada? El PRP no cura la artrosis.")
    assert wording.overclaims(text, "es") == []
    assert [f[0] for f in wording.overclaims("Es 100 % seguro y no tiene efectos. Es sin efectos secundarios.", "es")] == ["100 % seguro", "sin efectos secundarios"]


def test_a_translation_must_be_named_after_its_original(make_site):
    problems = problems_of(make_site, {**with_spanish(), SPANISH_GUIDE_FILE: GUIDE.replace("A test guide", "x"), "guides/otra.md": SPANISH_GUIDE})
    assert any("content/guides/otra.md" in p and "test-guide.es.md" in p for p in problems), problems


def test_a_translation_without_an_original_fails(make_site):
    problems = problems_of(make_site, {**GLOSSARY_PAGES, SPANISH_GUIDE_FILE: SPANISH_GUIDE})
    assert any(p.startswith(SPANISH_LABEL) and "there is no original 'test-guide.md'" in p for p in problems), problems


def test_a_file_named_as_a_translation_needs_its_lang(make_site):
    problems = problems_of(make_site, with_spanish(**{SPANISH_GUIDE_FILE: replace(SPANISH_GUIDE, "Lang: es\n", "")}))
    assert any(p.startswith(SPANISH_LABEL) and "no 'Lang: es'" in p for p in problems), problems


def test_an_unknown_language_fails(make_site):
    problems = problems_of(make_site, with_spanish(**{SPANISH_GUIDE_FILE: replace(SPANISH_GUIDE, "Lang: es", "Lang: fr")}))
    assert any("'fr' is not a language of this site" in p for p in problems), problems


STALE_ENGLISH = replace(replace(GUIDE, "Reviewed: 2026-06-01", "Reviewed: 2026-09-01"), "Next_review: 2027-06-01", "Next_review: 2027-09-01")


def test_an_out_of_date_translation_is_a_warning_in_development(make_site):
    result = make_site(with_spanish(**{GUIDE_FILE: STALE_ENGLISH}))
    stale = [n for n in result.notices if "out of date" in n]
    assert len(stale) == 1 and stale[0].startswith(SPANISH_LABEL) and "content/guides/test-guide.md" in stale[0]
    assert "2026-09-01" in stale[0]


def test_an_out_of_date_translation_stops_a_production_build(make_site, tmp_path, monkeypatch):
    files = with_spanish(**{GUIDE_FILE: STALE_ENGLISH})
    problems = problems_of(make_site, files, STALE_TRANSLATION_IS_ERROR=True)
    assert any(p.startswith(SPANISH_LABEL) and "out of date" in p and "content/guides/test-guide.md" in p for p in problems)
    assert "STALE_TRANSLATION_IS_ERROR = True" in SETTINGS_PROD.read_text()


def test_the_real_site_requires_every_page_in_spanish(site):
    """Every English page of the real site has its Spanish page, and the setting that makes a
    missing one an error is on (the build of `site` would have failed otherwise)."""
    assert '\nREQUIRED_TRANSLATIONS = ["es"]\n' in (ROOT / "pelicanconf.py").read_text()
    english = [p for p in site.pages if not p.startswith("es/") and p.endswith("/index.html")
               and p.count("/") == 1 and (site.root / "es" / p).exists() is False]
    assert english == [], f"pages with no Spanish version: {english}"


def test_required_translations_when_on_report_every_missing_one(make_site):
    files = {**with_spanish(), PAGE_FILE: PAGE, "guides/other.md": replace(GUIDE, "A test guide", "Another")}
    problems = problems_of(make_site, files, REQUIRED_TRANSLATIONS=["es"])
    missing = [p for p in problems if "there is no 'es' translation" in p]
    assert sorted(p.split(":")[0] for p in missing) == ["content/guides/other.md", "content/pages/test-page.md"], problems
    assert "invoke new --translate content/pages/test-page.md --lang es" in "\n".join(missing)
    make_site({**files, "guides/other.es.md": replace(SPANISH_GUIDE, "Slug: test-guide", "Slug: other"),
               SPANISH_PAGE_FILE: SPANISH_PAGE}, REQUIRED_TRANSLATIONS=["es"])


@pytest.mark.parametrize("name, old, new, expected", [
    ("glossary.es.toml", '[tendon]\nterm = "Tendón"', '[tendon-es]\nterm = "Tendón"',
     ["glossary.es.toml: [tendon] is in the English glossary but not here", "[tendon-es] is not in the English glossary"]),
    ("evidence.es.toml", 'key = "mixed"', 'key = "mezclado"',
     ["scale 'mezclado' is not on the English scale", "the scale has no translation of 'mixed'"]),
], ids=["glossary", "evidence scale"])
def test_the_spanish_data_must_match_the_english(make_site, name, old, new, expected):
    broken = replace((ROOT / "content" / "data" / name).read_text(), old, new)
    problems = problems_of(make_site, {GUIDE_FILE: GUIDE, f"data/{name}": broken})
    for message in expected:
        assert any(message in p for p in problems), (message, problems)


def test_a_spanish_page_draws_the_translated_scale_and_needs_translated_uses(make_site):
    result = make_site({PAGE_FILE: PAGE + "\n[[evidence-scale]]\n", SPANISH_PAGE_FILE: SPANISH_PAGE + "\n[[evidence-scale]]\n"})
    labels = [b.get_text(" ", strip=True) for b in soup_of(result, "es/test-page/index.html").select(".app-badge")]
    assert "Solidez de los datos: Buenos datos de que no ayuda" in labels
    scale_only = (ROOT / "content" / "data" / "evidence.es.toml").read_text().split("[[use]]")[0]
    problems = problems_of(make_site, {PAGE_FILE: PAGE + "\n[[evidence-table: acne]]\n",
                                       SPANISH_PAGE_FILE: SPANISH_PAGE + "\n[[evidence-table: acne]]\n",
                                       "data/evidence.es.toml": scale_only})
    assert any("acne have no 'es' translation" in p and "evidence.es.toml" in p for p in problems), problems


# --- Production: feeds, sitemap, schema.org -----------------------------------------------------

@pytest.fixture(scope="module")
def production_with_spanish(tmp_path_factory):
    root = tmp_path_factory.mktemp("es-production")
    content = root / "content"
    for relative, text in {**with_spanish(), PAGE_FILE: PAGE, SPANISH_PAGE_FILE: SPANISH_PAGE}.items():
        (content / relative).parent.mkdir(parents=True, exist_ok=True)
        (content / relative).write_text(text)
    add_real_data(content)
    mp = pytest.MonkeyPatch()
    mp.setenv("SITEURL", SITE_URL)
    try:
        return build(SETTINGS_PROD, output_path=root / "output",
                     overrides={"PATH": str(content), **TEST_SITE_SETTINGS})
    finally:
        mp.undo()


def test_there_is_one_atom_feed_per_language(production_with_spanish):
    atom = "{http://www.w3.org/2005/Atom}"
    for lang, url in (("en", f"{SITE_URL}/test-guide/"), ("es", f"{SITE_URL}/es/test-guide/")):
        feed = ElementTree.parse(production_with_spanish.output_path / "feeds" / f"all-{lang}.atom.xml").getroot()
        assert [e.find(f"{atom}link").get("href") for e in feed.findall(f"{atom}entry")] == [url]
    head = soup_of(production_with_spanish, "es/index.html")
    feeds = [link["href"] for link in head.find_all("link", type="application/atom+xml")]
    assert feeds == [f"{SITE_URL}/feeds/all-es.atom.xml"]  # the Spanish page offers the Spanish feed


def test_the_sitemap_lists_each_language_with_its_alternates(production_with_spanish):
    sitemap = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    xhtml = "{http://www.w3.org/1999/xhtml}"
    urls = ElementTree.parse(production_with_spanish.output_path / "sitemap.xml").getroot()
    by_loc = {u.find(f"{sitemap}loc").text: u for u in urls}
    for loc in (f"{SITE_URL}/test-guide/", f"{SITE_URL}/es/test-guide/", f"{SITE_URL}/es/", f"{SITE_URL}/es/test-page/"):
        links = {l.get("hreflang"): l.get("href") for l in by_loc[loc].findall(f"{xhtml}link")}
        assert set(links) == {"en", "es", "x-default"}, loc
    guide = {l.get("hreflang"): l.get("href") for l in by_loc[f"{SITE_URL}/es/test-guide/"].findall(f"{xhtml}link")}
    assert guide == {"en": f"{SITE_URL}/test-guide/", "es": f"{SITE_URL}/es/test-guide/", "x-default": f"{SITE_URL}/test-guide/"}


def test_schema_org_data_names_the_language_and_the_translation(production_with_spanish):
    for page, lang, other in (("test-guide/index.html", "en", "workTranslation"), ("es/test-guide/index.html", "es", "translationOfWork")):
        data = json.loads(soup_of(production_with_spanish, page).find("script", type="application/ld+json").string)
        assert data["inLanguage"] == lang
        assert data[other][0]["inLanguage"] == ("es" if lang == "en" else "en")
    spanish = json.loads(soup_of(production_with_spanish, "es/test-guide/index.html").find("script", type="application/ld+json").string)
    assert spanish["breadcrumb"]["itemListElement"][0] == {"@type": "ListItem", "position": 1, "name": "Inicio", "item": f"{SITE_URL}/es/"}


# --- invoke new --translate ----------------------------------------------------------------------

def invoke(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.mark.process
def test_new_translate_starts_a_translation_with_every_heading_and_field(tmp_path, make_site, site):
    source = tmp_path / "content" / "guides" / "what-is-prp.md"
    source.parent.mkdir(parents=True)
    shutil.copy(ROOT / "content" / "guides" / "what-is-prp.md", source)
    run = invoke("new", "--translate", str(source), "--lang", "es")
    assert run.returncode == 0, run.stderr
    text = (source.parent / "what-is-prp.es.md").read_text()
    for line in ("Lang: es", "Slug: what-is-prp", "Translation_of_reviewed: ", '!!! key-points "Puntos clave"',
                 "## Riesgos y efectos secundarios {#risks-and-side-effects}",
                 "## Situación regulatoria {#regulatory-status}", "## Preguntas para su médico {#questions-to-ask}"):
        assert line in text, line
    history = (tmp_path / "content" / "data" / "page-history.toml").read_text()
    assert '"guides/what-is-prp.es.md" = [{ date = ' in history  # its page history is started too
    english_ids = [h["id"] for h in site.soup("what-is-prp/index.html").select(".app-prose h2[id]")]
    assert len(english_ids) > 3 and all(f"{{#{i}}}" in text for i in english_ids)
    problems = problems_of(make_site, {"guides/what-is-prp.md": source.read_text(), "guides/what-is-prp.es.md": text})
    assert any("unfinished text 'TODO:'" in p for p in problems)


@pytest.mark.parametrize("args, expected", [
    (["--translate", "content/pages/about.es.md"], "is itself a translation"),
    (["--translate", "content/pages/about.md", "--lang", "fr"], "--lang fr"),
    (["--translate", "content/pages/nothing.md"], "does not exist"),
    (["--translate", "content/pages/about.md"], "already exists"),
])
@pytest.mark.process
def test_new_translate_refuses_bad_requests(args, expected):
    run = invoke("new", *args)
    assert run.returncode != 0 and expected in run.stderr and "Traceback" not in run.stderr


@pytest.mark.process
def test_invoke_translations_check_passes_on_the_real_catalog():
    run = invoke("translations", "--check")
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.process
def test_invoke_translations_extracts_a_new_string_and_asks_for_its_translation(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import copy_project

    copy_project(tmp_path)
    shutil.copy(ROOT / "babel.cfg", tmp_path)
    (tmp_path / "theme" / "templates" / "new.html").write_text('<p>{{ _("A brand new notice") }}</p>\n')
    run = invoke("translations", cwd=tmp_path)
    assert run.returncode == 1 and '"A brand new notice"' in run.stderr and "Traceback" not in run.stderr
    assert 'msgid "A brand new notice"' in (tmp_path / "theme" / "translations" / "messages.pot").read_text()
    catalog = i18n.catalog_path(tmp_path / "theme", "es").read_text()
    assert 'msgid "A brand new notice"\nmsgstr ""' in catalog
    assert 'msgstr "Saltar al contenido principal"' in catalog  # existing translations are kept


def test_spanish_lists_paginate_in_spanish(make_site):
    guides = {f"guides/guide-{n:02}.md": replace(GUIDE, "A test guide", f"Guide {n:02}") for n in range(21)}
    result = make_site(guides)
    first, second = soup_of(result, "es/guides/index.html"), soup_of(result, "es/guides/page/2/index.html")
    assert first.select_one(".app-pagination__item").get_text() == "Página 1 de 2"
    assert first.select_one('a[rel="next"]').get_text() == "Siguiente página"
    assert second.html["lang"] == "es" and len(second.select(".app-card")) == 1
    assert second.title.get_text().startswith("Guías (página 2 de 2)")
