"""Build tier. Clinical sign-off: reviewers as data, sign-offs bound to a digest of each page's inputs, the
honest review labels, production refusing what is not signed off or stated, draft mode.
Tier: build

The reviewers here are fictional and live only in each test's temporary copy of the content;
the repository's own reviewers.toml stays empty until a real person agrees."""

from __future__ import annotations

import datetime
import re
import shutil

import pytest

from samples import read_metadata
from bs4 import BeautifulSoup

from conftest import PINNED_TODAY, ROOT, SETTINGS_DEV, SETTINGS_PROD, SITE_URL
from medical_content.data import signoff
from sitebuild import BuildFailed, build, load_settings

FICTIONAL_REVIEWERS = """
[test-clinician]
name = "Test Clinician"
credentials = "MD"
role = "clinical"
languages = ["en", "es"]
interests = "None declared."

[test-linguist]
name = "Test Linguist"
credentials = "MA"
role = "language"
languages = ["es"]
interests = "Paid by the site's owner for translation checks."
"""
STATEMENTS = {
    "EDITORIAL_CONTACT": "editors@example.org",
    "FUNDING_STATEMENT": "A test statement of who funds the site.",
    "CLINIC_RELATIONSHIP": "A test statement of the link with the clinic.",
}
SPANISH_STATEMENTS = {
    "FUNDING_STATEMENT": "Una declaración de prueba sobre quién financia el sitio.",
    "CLINIC_RELATIONSHIP": "Una declaración de prueba sobre el vínculo con la clínica.",
}
SIGNED_DAY = datetime.date(2026, 11, 25)
ARTICLES = sorted(p.relative_to(ROOT / "content").as_posix()
                  for folder in ("guides", "conditions") for p in (ROOT / "content" / folder).glob("*.md"))


@pytest.fixture
def content(tmp_path):
    """A copy of the real content with the fictional reviewers."""
    folder = tmp_path / "content"
    shutil.copytree(ROOT / "content", folder)
    (folder / "data" / "reviewers.toml").write_text(FICTIONAL_REVIEWERS, "utf-8")
    return folder


def sign(content, pages, reviewer, role=""):
    settings = load_settings(SETTINGS_DEV, {"PATH": str(content)})
    text, signed, problems = signoff.sign(settings, [content / p for p in pages], reviewer, role, SIGNED_DAY)
    assert problems == []
    with (content / "data" / "sign-offs.toml").open("a", encoding="utf-8") as file:
        file.write(text)
    return signed


def edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def soup(result, page):
    return BeautifulSoup((result.output_path / page).read_text("utf-8"), "lxml")


def review_text(result, page):
    text = " ".join(soup(result, page).select_one(".app-review-date").get_text(" ").split())
    return re.sub(r" ([.,:])", r"\1", text)


def test_signed_pages_name_their_reviewer_and_any_later_change_makes_the_sign_off_stale(content, tmp_path):
    sign(content, ["guides/what-is-prp.md", "conditions/after-surgery.md", "conditions/knee-osteoarthritis.md",
                   "conditions/hair-loss.md", "conditions/skin.md", "guides/what-is-prp.es.md",
                   "conditions/tendon-and-sports-injuries.md",
                   "conditions/knee-osteoarthritis.es.md"], "test-clinician")
    sign(content, ["guides/what-is-prp.es.md"], "test-linguist")
    # After the sign-off: the page, its grid, an evidence row it draws, a reference it cites,
    # a glossary entry it links.
    edit(content / "conditions/after-surgery.md", "A large 2023 review", "A big 2023 review")
    edit(content / "data/option-grids/knee-osteoarthritis.toml", "Losing weight", "Losing some weight")
    edit(content / "data/evidence.toml", "We found no study of PRP for acne itself.",
         "We found no study of PRP for acne.")
    edit(content / "data/references.toml", 'title = "Is autologous', 'title = "Is the autologous')
    edit(content / "data/glossary.toml", "A strong cord that joins", "A strong cord joining")
    result = build(SETTINGS_DEV, output_path=tmp_path / "out",
                   overrides={"PATH": str(content), "REVIEW_CHECK_DATE": PINNED_TODAY})

    signed_en = review_text(result, "what-is-prp/index.html")
    assert "Reviewed by Test Clinician, MD on 25 November 2026." in signed_en
    assert "Not yet reviewed" not in signed_en
    history = soup(result, "what-is-prp/index.html").select_one(".app-page-history").get_text(" ")
    assert "Reviewed by Test Clinician, MD, a clinician." in " ".join(history.split())
    signed_es = review_text(result, "es/what-is-prp/index.html")
    assert "Revisada por Test Clinician, MD el 25 de noviembre de 2026." in signed_es
    assert "Traducción comprobada por Test Linguist, MA el 25 de noviembre de 2026." in signed_es
    # A Spanish page with a clinical sign-off alone still lacks its language sign-off.
    assert "Ningún revisor que lee este idioma" in review_text(result, "es/knee-osteoarthritis/index.html")
    never = review_text(result, "what-are-exosomes/index.html")
    assert "Evidence last checked on 26 November 2026. Not yet reviewed by a clinician." in never
    assert "has changed since" not in never

    changed = {  # page -> the input its notice must name
        "conditions/after-surgery.md": "conditions/after-surgery.md",
        "conditions/knee-osteoarthritis.md": "data/option-grids/knee-osteoarthritis.toml",
        "conditions/knee-osteoarthritis.es.md": "data/option-grids/knee-osteoarthritis.toml",
        "conditions/skin.md": "data/evidence.toml [use acne]",
    }
    changed["conditions/hair-loss.md"] = "data/references.toml [kieling2024]"
    changed["conditions/tendon-and-sports-injuries.md"] = "data/glossary.toml [tendon]"
    notices = "\n".join(result.notices)
    for page, input_name in changed.items():
        line = next((n for n in result.notices if n.startswith(f"content/{page}: sign-off")), "")
        assert input_name in line, (page, input_name, notices)
        built = ("es/" if page.endswith(".es.md") else "") + page.split("/")[1].split(".")[0] + "/index.html"
        assert "has changed since" in review_text(result, built) or "ha cambiado" in review_text(result, built)
    assert "content/guides/what-is-prp.md: sign-off" not in notices
    assert "content/guides/what-is-prp.es.md: sign-off" not in notices

    about = " ".join(soup(result, "about/index.html").select_one(".app-reviewers").get_text().split())
    assert "Test Clinician, MD: clinical reviewer (EN, ES). Declared interests: None declared." in about
    assert "Paid by the site's owner for translation checks." in about

    # A title is in every page's navigation: every page is drawn again, each signed page's
    # status read back from the result its first build kept (cache.py)
    edit(content / "guides/side-effects-and-risks.md", "Title: Side effects and risks of PRP and exosome treatments",
         "Title: Side effects and risks of PRP and exosome care")
    again = build(SETTINGS_DEV, output_path=tmp_path / "again",
                  overrides={"PATH": str(content), "REVIEW_CHECK_DATE": PINNED_TODAY})
    assert any(line.startswith("Reused from earlier builds: ") and not line.startswith("Reused from earlier builds: 0 ")
               for line in again.report)
    assert review_text(again, "what-is-prp/index.html") == signed_en
    assert review_text(again, "es/what-is-prp/index.html") == signed_es
    assert review_text(again, "after-surgery/index.html") == review_text(result, "after-surgery/index.html")

    # A sign-off covers the file's bytes: line endings changed alone make it stale, though
    # Markdown makes the same page of them, in a build that reuses kept results too
    path = content / "guides/what-is-prp.md"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    crlf = build(SETTINGS_DEV, output_path=tmp_path / "crlf",
                 overrides={"PATH": str(content), "REVIEW_CHECK_DATE": PINNED_TODAY})
    stale = review_text(crlf, "what-is-prp/index.html")
    assert "has changed since" in stale and "Reviewed by" not in stale
    assert any(n.startswith("content/guides/what-is-prp.md: sign-off: the clinical: stale") for n in crlf.notices), crlf.notices


def test_a_production_build_of_todays_content_fails_listing_every_unsigned_page_and_statement(tmp_path, monkeypatch):
    monkeypatch.setenv("SITEURL", SITE_URL)
    monkeypatch.setenv("PUBLISH_DRAFT", "false")
    with pytest.raises(BuildFailed) as failure:
        build(SETTINGS_PROD, output_path=tmp_path / "out", overrides={"REVIEW_CHECK_DATE": PINNED_TODAY})
    problems = failure.value.problems
    for page in ARTICLES:
        roles = "clinical: missing; language: missing" if page.endswith(".es.md") else "clinical: missing"
        assert f"content/{page}: sign-off: no current sign-off ({roles})" in "\n".join(problems), page
    for name in signoff.STATEMENTS:
        assert any(p.startswith(f"pelicanconf.py: {name} is empty") for p in problems), name
    assert len(problems) == len(ARTICLES) + len(signoff.STATEMENTS), problems
    assert not (tmp_path / "out").exists()


def test_production_passes_once_every_page_is_signed_off_and_the_statements_are_given(content, tmp_path, monkeypatch):
    sign(content, ARTICLES, "test-clinician")
    sign(content, [p for p in ARTICLES if p.endswith(".es.md")], "test-linguist")
    monkeypatch.setenv("SITEURL", SITE_URL)
    monkeypatch.setenv("PUBLISH_DRAFT", "false")
    settings = load_settings(SETTINGS_PROD)
    site_text = {**settings["SITE_TEXT"], "es": {**settings["SITE_TEXT"]["es"], **SPANISH_STATEMENTS}}
    overrides = {"PATH": str(content), "REVIEW_CHECK_DATE": PINNED_TODAY, "SITE_TEXT": site_text, **STATEMENTS}
    # Spanish pages need both sign-offs, and the statements need their Spanish text too.
    half = {**overrides, "SITE_TEXT": settings["SITE_TEXT"]}
    (content / "data/sign-offs.toml").write_text(
        (content / "data/sign-offs.toml").read_text("utf-8").rsplit("\n[[sign-off]]\n", 1)[0] + "\n", "utf-8")
    with pytest.raises(BuildFailed) as failure:
        build(SETTINGS_PROD, output_path=tmp_path / "half", overrides=half)
    assert sorted(failure.value.problems) == sorted([
        "content/guides/what-is-prp.es.md: sign-off: no current sign-off (language: missing); sign it off "
        "with `invoke sign-off content/guides/what-is-prp.es.md --reviewer ID` once a reviewer has checked "
        "it, or publish a draft (README, \"From draft to published\")",
        *(f"pelicanconf.py: SITE_TEXT['es']['{n}'] is empty: give {n} in 'es' too" for n in SPANISH_STATEMENTS),
    ])
    sign(content, ["guides/what-is-prp.es.md"], "test-linguist")

    result = build(SETTINGS_PROD, output_path=tmp_path / "out", overrides=overrides)
    assert "Allow: /" in (result.output_path / "robots.txt").read_text().splitlines()
    for page in result.pages:
        page_soup = soup(result, page)
        assert not page_soup.find("meta", attrs={"name": "robots"}), page
        assert not page_soup.select(".app-draft-banner"), page
    import json
    data = json.loads(soup(result, "what-is-prp/index.html").find("script", type="application/ld+json").string)
    assert data["reviewedBy"] == {"@type": "Person", "name": "Test Clinician, MD"}
    about = soup(result, "es/about/index.html").get_text(" ")
    for text in (*SPANISH_STATEMENTS.values(), "editors@example.org"):
        assert text in about
    assert not soup(result, "about/index.html").select(".app-governance-note")


def test_the_about_page_says_plainly_what_is_not_yet_in_place(site):
    for page, words in (("about/index.html", "Not yet in place:"), ("es/about/index.html", "Todavía falta:")):
        notes = [" ".join(n.get_text(" ").split()) for n in site.soup(page).select(".app-governance-note")]
        assert len(notes) == 4 and all(n.startswith(words) for n in notes), notes
        assert "Foster Medical" in notes[2]


def test_a_draft_carries_the_banner_noindex_and_the_robots_rule_on_every_page(production_site):
    assert production_site.result.pages
    for page in production_site.pages:
        page_soup = production_site.soup(page)
        banner = page_soup.select_one(".app-draft-banner")
        words = "Borrador:" if page_soup.html["lang"] == "es" else "Draft: not yet reviewed by a clinician."
        assert banner is not None and words in banner.get_text(), page
        assert page_soup.find("meta", attrs={"name": "robots", "content": "noindex"}), page
    robots = (production_site.root / "robots.txt").read_text().splitlines()
    assert "Disallow: /" in robots and "Allow: /" not in robots


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_publish_draft_takes_only_true_or_false(tmp_path, monkeypatch, value):
    monkeypatch.setenv("SITEURL", SITE_URL)
    monkeypatch.setenv("PUBLISH_DRAFT", value)
    with pytest.raises(BuildFailed) as failure:
        build(SETTINGS_PROD, output_path=tmp_path / "out")
    assert failure.value.problems == [f"publishconf.py: PUBLISH_DRAFT is {value!r}; set it to true or false"]


def test_bad_reviewers_and_sign_offs_are_each_named(content, tmp_path):
    sign(content, ["guides/what-is-prp.md"], "test-clinician")
    (content / "data" / "reviewers.toml").write_text(FICTIONAL_REVIEWERS + """
[no-interests]
name = "Someone"
credentials = "MD"
role = "clinical"
languages = ["en"]

[bad-role]
name = "Someone Else"
credentials = "MD"
role = "surgeon"
languages = ["fr"]
interests = "None declared."
""", "utf-8")
    sign_offs = content / "data" / "sign-offs.toml"
    good = sign_offs.read_text("utf-8")
    forged = good[good.index("[[sign-off]]"):].replace('digest = "sha256:', 'digest = "sha256:0', 1)
    others = "".join(f'\n[[sign-off]]\npage = "{page}"\nreviewer = "{who}"\nrole = "clinical"\n'
                     'date = 2026-11-25\ndigest = "x"\ninputs = {}\n'
                     for page, who in (("guides/what-is-prp.es.md", "test-linguist"), ("guides/gone.md", "test-clinician")))
    sign_offs.write_text(good + "\n" + forged + others, "utf-8")
    with pytest.raises(BuildFailed) as failure:
        build(SETTINGS_DEV, output_path=tmp_path / "out", overrides={"PATH": str(content), "REVIEW_CHECK_DATE": PINNED_TODAY})
    text = "\n".join(failure.value.problems)
    assert ("content/data/reviewers.toml: [no-interests]: 'interests' is missing; add it "
            "(write interests = \"None declared.\" when there are none)") in text
    assert "content/data/reviewers.toml: [bad-role]: role 'surgeon' is not a reviewer's role; use one of" in text
    assert "content/data/reviewers.toml: [bad-role]: languages:" in text
    assert re.search(r"sign-offs.toml: sign-off 2 \(guides/what-is-prp.md\): the digest does not match", text), text
    assert "sign-off 3 (guides/what-is-prp.es.md): test-linguist is not a clinical reviewer" in text
    assert "sign-off 4 (guides/gone.md): there is no guide or condition page content/guides/gone.md" in text


def test_sign_off_refuses_an_unknown_reviewer_a_wrong_language_and_a_page_without_review_dates(content):
    settings = load_settings(SETTINGS_DEV, {"PATH": str(content)})
    _, _, problems = signoff.sign(settings, [content / "guides/what-is-prp.md"], "nobody", "", SIGNED_DAY)
    assert problems[0].startswith("--reviewer 'nobody': no such reviewer")
    _, _, problems = signoff.sign(settings, [content / "guides/what-is-prp.md", content / "pages/about.md"],
                                  "test-linguist", "", SIGNED_DAY)
    assert problems == ["content/pages/about.md: not a guide or condition page (only pages with review dates "
                        "are signed off)",
                        "content/guides/what-is-prp.md: test-linguist does not read 'en' (languages in reviewers.toml)"]
    text, signed, problems = signoff.sign(settings, [content / "guides"], "test-clinician", "", SIGNED_DAY)
    assert problems == [] and len(signed) == 10 and text.count("[[sign-off]]") == 10


def test_invoke_reviews_shows_each_sign_off_and_fails_when_a_signed_page_has_gone_stale(content):
    from test_tasks import invoke

    sign(content, ["guides/what-is-prp.md", "guides/what-is-prp.es.md", "conditions/skin.md"], "test-clinician")
    run = invoke("reviews", "--today", PINNED_TODAY, "--content", str(content))
    assert run.returncode == 0, run.stdout + run.stderr  # nothing stale: unsigned pages are not an error
    assert "22 pages: 2 signed off and current, 0 stale, 20 not yet signed off." in run.stdout
    edit(content / "data/evidence.toml", "We found no study of PRP for acne itself.", "We found no study of PRP for acne.")
    run = invoke("reviews", "--today", PINNED_TODAY, "--content", str(content))
    assert run.returncode == 1
    report = run.stdout.split("\nSign-offs")[1]
    skin = report.split("content/conditions/skin.md")[1].split("\nen ")[0]
    assert "clinical: stale since the sign-off of 2026-11-25 by test-clinician; changed: data/evidence.toml [use acne]" in skin
    dates = read_metadata(content / "guides" / "what-is-prp.es.md")
    prp_es = report.split(f"content/guides/what-is-prp.es.md (reviewed {dates['reviewed']}, next {dates['next_review']})")[1]
    assert prp_es.splitlines()[1:3] == ["      clinical: current (test-clinician, 2026-11-25)", "      language: missing"]
    assert "1 stale" in run.stdout


def test_a_header_the_sign_offs_read_otherwise_than_markdown_fails_the_build(content, tmp_path):
    """Markdown reads a header line indented by up to three spaces; a Spanish page whose Lang
    line the sign-off records missed would pass for English and need no language reviewer."""
    for name, indent in (("what-is-prp.es.md", " "), ("what-are-exosomes.es.md", "   ")):
        page = content / "guides" / name
        text = page.read_text("utf-8")
        order = re.search(r"^Order: .*\n", text, re.M).group(0)
        page.write_text(text.replace("Lang: es\n", "", 1).replace(order, f"{order}{indent}Lang: es\n", 1), "utf-8")
    with pytest.raises(BuildFailed) as failure:
        build(SETTINGS_DEV, output_path=tmp_path / "out", overrides={"PATH": str(content), "REVIEW_CHECK_DATE": PINNED_TODAY})
    for name in ("what-is-prp.es.md", "what-are-exosomes.es.md"):
        assert [p for p in failure.value.problems if p.startswith(f"content/guides/{name}: metadata: the sign-off records read")]


def test_every_block_a_signed_page_draws_is_part_of_its_sign_off(content, tmp_path):
    """An evidence table shows the scale's labels; [[glossary]] shows every term; the scale's
    block counts with any arguments. A change to any of them after a sign-off makes it stale."""
    skin = content / "conditions" / "skin.md"
    edit(skin, "[[evidence-table: acne-scars, acne, rosacea, wrinkles]]",
         "[[evidence-table: acne-scars, acne, rosacea, wrinkles]]\n\n[[glossary]]\n\n[[evidence-scale: all]]")
    sign(content, ["conditions/skin.md"], "test-clinician")
    before = signoff.page_inputs(signoff.Sources(content, load_settings(SETTINGS_DEV, {"PATH": str(content)})),
                                 "conditions/skin.md", "en")
    assert "data/evidence.toml [scale]" in before and "data/glossary.toml [tendon]" in before
    edit(content / "data/evidence.toml", 'label = "No research in people"', 'label = "Some research in people"')
    edit(content / "data/glossary.toml", "A strong cord that joins", "A strong cord joining")
    result = build(SETTINGS_DEV, output_path=tmp_path / "out", overrides={"PATH": str(content), "REVIEW_CHECK_DATE": PINNED_TODAY})
    assert "has changed since" in review_text(result, "skin/index.html")
    line = next(n for n in result.notices if n.startswith("content/conditions/skin.md: sign-off"))
    assert "data/evidence.toml [scale]" in line and "data/glossary.toml [tendon]" in line


def test_a_reason_for_keeping_a_flagged_work_makes_the_citing_pages_sign_off_stale(content, tmp_path):
    """The last source check's entry for a cited work (a retraction, and the reason readers see
    beside the reference) is part of the citing page's sign-off."""
    sign(content, ["guides/what-is-prp.md"], "test-clinician")
    with (content / "data" / "source-checks.toml").open("a", encoding="utf-8") as file:
        file.write('\n[works.anitua2023]\nstatus = "expression of concern"\n')
    result = build(SETTINGS_DEV, output_path=tmp_path / "out", overrides={"PATH": str(content), "REVIEW_CHECK_DATE": PINNED_TODAY})
    assert "has changed since" in review_text(result, "what-is-prp/index.html")
    line = next(n for n in result.notices if n.startswith("content/guides/what-is-prp.md: sign-off"))
    assert "data/source-checks.toml [works.anitua2023]" in line


def test_a_block_or_citation_hidden_from_the_sign_off_by_a_backslash_fails_the_build(content, tmp_path):
    escaped = {  # page -> (as written, with a Markdown backslash escape)
        "skin.md": ("[[evidence-table: acne-scars, acne, rosacea, wrinkles]]",
                    "[[evidence\\-table: acne-scars, acne, rosacea, wrinkles]]"),
        "hair-loss.md": ("[[evidence-table: hair-loss]]", "\\[\\[evidence-table: hair-loss]]"),
        "after-surgery.md": ("[@beitzel2015]", "[@beitzel2015\\]"),  # cited once on the page
    }
    for name, (old, new) in escaped.items():
        edit(content / "conditions" / name, old, new)
    with pytest.raises(BuildFailed) as failure:
        build(SETTINGS_DEV, output_path=tmp_path / "out", overrides={"PATH": str(content), "REVIEW_CHECK_DATE": PINNED_TODAY})
    for name in escaped:
        assert [p for p in failure.value.problems
                if p.startswith(f"content/conditions/{name}: page: ") and "hidden from the sign-off records" in p], (name, failure.value.problems)


def test_a_review_typed_in_a_page_or_a_data_file_fails_the_build(content, tmp_path):
    """Only a sign-off shows a page as reviewed, in the theme's words: a page, its summary or
    a data file saying so in its own words fails, with a listed reviewer's name or none."""
    sign(content, ["guides/what-is-prp.md"], "test-clinician")
    guide = content / "guides" / "what-is-prp.md"
    text = guide.read_text("utf-8").replace("\nSummary: ", "\nSummary: Medically reviewed. ", 1)
    text += "\n<!-- An editor's note, which no reader sees: reviewed by nobody yet. -->\n"
    text += "\nReviewed by Test Clinician, MD on 25 November 2026.\n"
    guide.write_text(text, "utf-8")
    spanish = content / "guides" / "what-is-prp.es.md"
    spanish.write_text(spanish.read_text("utf-8") + "\nEsta página fue REVISADA POR un médico.\n", "utf-8")
    edit(content / "data" / "page-history.toml", 'note = "First published."', 'note = "First published; checked by our doctors."')
    with pytest.raises(BuildFailed) as failure:
        build(SETTINGS_DEV, output_path=tmp_path / "out", overrides={"PATH": str(content), "REVIEW_CHECK_DATE": PINNED_TODAY})
    problems = failure.value.problems
    last_line = len(text.splitlines())
    for start in ("content/guides/what-is-prp.md: line 6: 'medically reviewed': a review is typed into the text",
                  f"content/guides/what-is-prp.md: line {last_line}: 'reviewed by': a review is typed into the text",
                  "content/guides/what-is-prp.es.md: line ",
                  "content/data/page-history.toml: "):
        assert [p for p in problems if p.startswith(start) and "never in its own words" in p], (start, problems)
    assert len([p for p in problems if p.startswith("content/guides/what-is-prp.md: line ") and "never in its own words" in p]) == 2
