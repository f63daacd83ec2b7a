"""Build tier. Pictures in the reader's language: the PRP drawing is drawn from the interface catalog in
the page's language, and no image on a Spanish page (an inline drawing, or an <img> of a
drawing file) carries English words; the check is fed an English drawing and must catch it.
Tier: build."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from medical_content.i18n import interface as i18n
from samples import problems_of, replace
from samples import GUIDE, GUIDE_FILE
from test_i18n import GLOSSARY_PAGES, SPANISH_GUIDE, SPANISH_GUIDE_FILE

WORD = re.compile(r"[A-Za-zÁÉÍÓÚÑáéíóúñü]{3,}")


def english_only_words() -> set[str]:
    """Words of the English interface messages that no Spanish message uses (so "PRP",
    "Plasma" and numbers, the same in both languages, are not counted as English)."""
    catalog = i18n.load(Path(__file__).resolve().parents[1] / "theme", ("en", "es"), "en")[0]["es"]
    english, spanish = set(), set()
    for message in i18n.extract():
        if isinstance(message, str):
            english.update(w.lower() for w in WORD.findall(message))
            spanish.update(w.lower() for w in WORD.findall(catalog.gettext(message)))
    return english - spanish


def image_words(soup, page_path: Path) -> list[str]:
    """Every word a reader can see or hear in the page's images: an inline <svg>'s text,
    title and description, an <img>'s alt text, and the text of an .svg file it shows."""
    found = []
    for svg in soup.find_all("svg"):
        found += [" ".join(e.get_text(" ").split()) for e in svg.find_all(["text", "title", "desc"])]
    for img in soup.find_all("img"):
        found.append(img.get("alt", ""))
        src = img.get("src", "")
        target = (page_path.parent / src).resolve()
        if src.endswith(".svg") and target.is_file():
            drawing = BeautifulSoup(target.read_text(encoding="utf-8"), "xml")
            found += [" ".join(e.get_text(" ").split()) for e in drawing.find_all(["text", "title", "desc"])]
    return [t for t in found if t]


def english_in_images(root: Path, pages, english: set[str]) -> dict[str, list[str]]:
    bad = {}
    for page in pages:
        path = root / page
        words = [w for text in image_words(BeautifulSoup(path.read_text(encoding="utf-8"), "lxml"), path)
                 for w in WORD.findall(text) if w.lower() in english]
        if words:
            bad[page] = words
    return bad


def test_no_image_on_a_spanish_page_carries_english_words(site):
    english = english_only_words()
    assert {"take", "blood", "spin", "inject", "layers", "cells"} <= english  # the measure knows the drawing's words
    spanish_pages = [p for p in site.pages if p.startswith("es/")]
    assert english_in_images(site.root, spanish_pages, english) == {}
    page = site.soup("es/what-is-prp/index.html")
    [drawing] = page.select("figure.app-figure svg")
    texts = [t.get_text() for t in drawing.find_all("text")]
    assert "1. Sacar sangre" in texts and "Glóbulos rojos" in texts and drawing.title.get_text() == "Cómo se hace el PRP"
    english_page = site.soup("what-is-prp/index.html")
    assert "1. Take blood" in [t.get_text() for t in english_page.select("figure.app-figure svg text")]
    assert not list(site.root.rglob("prp-preparation*.svg")), "no hand-made copy of the drawing is published"


def test_an_english_drawing_on_a_spanish_page_is_caught(make_site):
    english = english_only_words()
    drawing = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>Blood layers</title>'
               '<text x="1" y="5">1. Take blood</text></svg>')
    spanish_guide = replace(SPANISH_GUIDE, "## Riesgos y efectos secundarios",
                            '<img src="{static}/images/layers.svg" alt="Capas">\n\n## Riesgos y efectos secundarios')
    files = {GUIDE_FILE: GUIDE, SPANISH_GUIDE_FILE: spanish_guide, "images/layers.svg": drawing, **GLOSSARY_PAGES}
    result = make_site(files)
    spanish = [str(p.relative_to(result.output_path)) for p in result.output_path.rglob("es/**/index.html")]
    bad = english_in_images(result.output_path, spanish, english)
    assert any({"Blood", "Take", "blood"} & set(words) for words in bad.values()), bad


def test_an_unknown_drawing_fails_the_build_naming_the_page(make_site):
    from samples import LABEL

    guide = replace(GUIDE, "## Risks and side effects\n", "[[drawing: no-such-picture]]\n\n## Risks and side effects\n")
    problems = problems_of(make_site, {GUIDE_FILE: guide})
    assert any(p.startswith(f"{LABEL}: [[drawing: no-such-picture]]: no such drawing") for p in problems), problems
