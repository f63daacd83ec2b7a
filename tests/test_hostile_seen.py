"""Everything a reader sees passes the wording and typed-fact rules. Tier: build.

Hidden words excuse nothing, leading questions and "nothing ... like" claim, both languages' lists
apply to every page (matched without accents), and data files, settings shown on pages, the
interface catalogs, SVG files and _headers are checked too. Typed facts in every common
format. One production build per corpus. Tier: build."""

from __future__ import annotations

import re
import shutil

from conftest import ROOT
from samples import replace
from test_hostile import failed_build, hostile_content

OVERCLAIM = "overclaims in"
PHONE = "a phone number is typed into the page"
PRICE = "a price or amount of money is typed into the page"
PERSON = "a named person with a title or credential is typed into the page"


def assert_all_named(problems: list[str], expected: list[tuple[str, str]]) -> None:
    """Each (file under content/ or a path from the repository root, text) is named in one
    problem; no traceback."""
    missing = [
        (path, text) for path, text in expected
        if not any(p.startswith(f"{path}: ") and text in p for p in problems)
    ]
    assert not missing, (missing, problems)
    assert not any("Traceback" in p for p in problems)


def test_hidden_words_questions_and_both_languages(tmp_path, monkeypatch):
    problems = failed_build(hostile_content("seen", tmp_path), tmp_path, monkeypatch)
    g = "content/guides/"
    assert_all_named(problems, [
        # a hidden "not" excuses nothing: class, aria-hidden, SVG display/visibility, struck
        (g + "hidden-not-class.md", "wording 'FDA-approved': overclaims in \"PRP is FDA-approved.\""),
        (g + "hidden-not-sr-only.md", "wording 'risk-free'"),
        (g + "hidden-not-aria.md", "wording 'cure'"),
        (g + "hidden-not-svg.md", "wording 'FDA-approved'"),
        (g + "hidden-not-svg-visibility.md", "wording 'completely safe'"),
        (g + "struck-not.md", "wording 'guaranteed'"),
        (g + "hidden-not-svg-paint.md", "wording 'risk-free'"),
        (g + "hidden-not-svg-paint.md", "wording 'miracle'"),
        # an invisible operator inside a word, a combining stroke over a letter
        (g + "invisible-operator.md", "wording 'cures'"),
        (g + "invisible-operator.md", "wording 'completely safe'"),
        # hyphens and joining dashes of other kinds
        (g + "unicode-hyphen.md", "wording 'FDA\u2010approved'"),
        (g + "en-dash-joined.md", "wording 'risk\u2013free'"),
        # hidden words that claim are judged like visible ones
        (g + "hidden-claim.md", "wording 'miracle'"),
        # leading questions and comparisons claim
        (g + "question-did-you-know.md", "wording 'FDA-approved'"),
        (g + "question-did-you-know.md", "wording 'risk-free'"),
        (g + "question-why.md", "wording 'miracle'"),
        (g + "question-isnt.md", "wording 'zero side effects'"),
        (g + "question-statement.md", "wording 'clinically proven'"),
        (g + "nothing-like.md", "wording 'cures'"),
        (g + "nothing-compares.md", "wording 'proven'"),
        # attributes and metadata a reader sees
        (g + "aria-label.md", "wording 'FDA-approved'"),
        (g + "data-label.md", "wording 'Risk-free'"),
        (g + "title-attribute.md", "wording 'breakthrough'"),
        (g + "title-entity.md", "wording 'cures'"),
        (g + "title-entity-hex.md", "wording 'miracle'"),
        (g + "tags.md", "wording 'risk-free'"),
        ("content/pages/menu-label.md", "wording 'Miracle'"),
        # Spanish forms, with and without accents, on any page
        (g + "es-100-por-ciento.md", "wording '100 por ciento seguro'"),
        (g + "es-libre-de-riesgos.md", "wording 'libre de riesgos'"),
        (g + "es-riesgo-cero.md", "wording 'Riesgo cero'"),
        (g + "es-sin-complicaciones.md", "wording 'sin complicaciones'"),
        (g + "es-100-eficaz.md", "wording '100 % eficaz'"),
        (g + "es-aprobados-por-fda.md", "wording 'aprobados por FDA'"),
        (g + "es-clinicamente.md", "wording 'clinicamente probado'"),
        (g + "es-garantia.md", "wording 'garantia'"),
        (g + "es-curativo.md", "wording 'tratamiento curativo'"),
        (g + "es-sin-acentos.md", "wording 'cientificamente demostrado'"),
        (g + "es-sin-acentos.md", "wording 'sin ningun riesgo'"),
        # each language's list on the other language's page
        ("content/pages/pasted.md", "wording 'sin riesgos'"),
        ("content/pages/pasted.es.md", "wording 'cures'"),
        # SVG files' text, hidden "not" included
        ("content/images/claim.svg", "drawing text: wording 'Guaranteed'"),
        ("content/images/hidden-not.svg", "drawing text: wording 'FDA-approved'"),
        ("content/images/phone.svg", f"'555-010-0199': {PHONE}"),
        # _headers: only allowlisted headers and strict values
        ("content/extra/_headers", "line 2: the header Refresh is not allowed"),
        ("content/extra/_headers", "line 3: Content-Security-Policy: 'script-src' allows *"),
        ("content/extra/_headers", "line 3: Content-Security-Policy: 'img-src' allows https://tracker.example"),
        ("content/extra/_headers", "line 3: Content-Security-Policy: the directive 'report-uri' is not allowed"),
        ("content/extra/_headers", "line 4: the header Set-Cookie is not allowed"),
        ("content/extra/_headers", "line 5: the header Access-Control-Allow-Origin is not allowed"),
        ("content/extra/_headers", "line 6: X-Frame-Options: 'ALLOW-FROM https://evil.example' is not an allowed value"),
        ("content/extra/_headers", "line 7: Referrer-Policy: 'unsafe-url' is not an allowed value"),
    ])
    # A real question asks; it claims nothing.
    assert not any(p.startswith(g + "ok-question.md: ") and OVERCLAIM in p for p in problems), problems
    assert not any(p.startswith("content/extra/_headers: line 8") for p in problems)


def test_typed_facts_in_every_format(tmp_path, monkeypatch):
    problems = failed_build(hostile_content("facts", tmp_path), tmp_path, monkeypatch, CLINIC_EMAIL="clinic@example.org")
    g = "content/guides/"
    expected = [
        ("phone-es-3-3-3.md", f"'912 345 678': {PHONE}"),
        ("phone-es-2-3-2-2.md", f"'91 234 56 78': {PHONE}"),
        ("phone-es-intl.md", f"'+34 912 345 678': {PHONE}"),
        ("phone-mx.md", f"'+52 55 1234 5678': {PHONE}"),
        ("phone-en-dash.md", f"'555-123-4567': {PHONE}"),
        ("phone-em-dash.md", f"'555-123-4567': {PHONE}"),
        ("phone-minus-sign.md", f"'555-123-4567': {PHONE}"),
        ("phone-dots.md", f"'555.010.0199': {PHONE}"),
        ("phone-vanity.md", f"'1-800-PRP-KNEE': {PHONE}"),
        ("phone-vanity-local.md", f"'555-PRP-KNEE': {PHONE}"),
        ("phone-zero-width.md", f"'555-010-0199': {PHONE}"),
        ("phone-soft-hyphen.md", f"'555-010-0199': {PHONE}"),
        ("phone-bare-digits.md", f"'5550100199': {PHONE}"),
        ("price-euro-after.md", f"'450 €': {PRICE}"),
        ("price-euro-thousands.md", f"'1.200 €': {PRICE}"),
        ("price-dollar-after.md", f"'450$': {PRICE}"),
        ("price-dolares.md", f"'450 dólares': {PRICE}"),
        ("price-words.md", f"'five hundred dollars': {PRICE}"),
        ("price-words-es.md", f"'quinientos pesos': {PRICE}"),
        ("price-chf.md", f"'CHF 450': {PRICE}"),
        ("price-usd.md", f"'USD 450': {PRICE}"),
        ("price-code-after.md", f"'1,200 MXN': {PRICE}"),
        ("name-dra.md", f"'Dra. García': {PERSON}"),
        ("name-doctor-lower.md", f"'doctor Juan Pérez': {PERSON}"),
        ("name-doctor.md", f"'Doctor Jane Smith': {PERSON}"),
        ("name-md-brackets.md", f"'Smith (MD)': {PERSON}"),
        ("name-md-comma.md", f"'Smith, MD': {PERSON}"),
        ("email-typed.md", "'help@clinic-example.org': an e-mail address is typed into the page"),
        ("mailto-bcc.md", "the e-mail link 'mailto:clinic@example.org?bcc=spy@evil.example' is typed into the page"),
        ("mailto-crlf.md", "the e-mail link 'mailto:clinic@example.org%0D%0ABcc:spy@evil.example'"),
        ("phone-parens-dash.md", f"'(555)-010-0199': {PHONE}"),
        ("phone-full-width.md", f"'555-010-0199': {PHONE}"),
        ("name-no-space.md", f"'Dr.Smith': {PERSON}"),
        ("phone-local.md", f"'phone 555-0100': {PHONE}"),
        ("phone-bidi.md", "invisible direction-control characters (U+202E)"),
        ("phone-bidi.md", f"'555-010-0199': {PHONE}"),
        ("price-hidden.md", f"'$450': {PRICE}"),
        # fields the feeds carry
        ("feed-author.md", f"line 5: 'Dr. Evil': {PERSON}"),
        ("feed-tags.md", f"line 5: '555-010-0199': {PHONE}"),
    ]
    assert_all_named(problems, [(g + name, text) for name, text in expected])
    # Years, sample sizes, "65 in 100", PMIDs, DOIs, page ranges and weeks are no typed facts.
    assert not any(p.startswith(g + "ok-numbers.md: ") for p in problems), problems


def test_data_files_settings_and_catalogs_are_read_as_readers_see_them(tmp_path, monkeypatch):
    content = hostile_content("template", tmp_path)  # one ordinary guide, the real data files
    data = content / "data"

    def edit(name: str, old: str, new: str) -> None:
        path = data / name
        text = path.read_text("utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), "utf-8")

    edit("references.toml", 'title = "Combined effect of microneedling and platelet-rich plasma for the treatment of acne scars: a meta-analysis"',
         'title = "A miracle cure for acne scars"')
    edit("references.toml", 'journal = "Frontiers in Medicine"', 'journal = "Call 555-010-0199 for Frontiers"')
    edit("glossary.toml", "Your own plasma with more platelets in it than your blood normally has.",
         "Your own plasma, a risk-free treatment. Ask Dr. House.")
    edit("glossary.es.toml", 'term = "Anemia"', 'term = "Anemia \u202etratamiento curativo\u202c"')
    edit("evidence.toml", "We found no study of PRP for acne itself. The studies are about acne scars.",
         "Clinically proven for acne, from $99.")
    edit("evidence.es.toml", "No encontramos ningún estudio del PRP para el acné en sí. Los estudios tratan de las cicatrices de acné.",
         "Eficacia garantizada, 450 € por sesión.")
    edit("page-history.toml", 'note = "First published."', 'note = "First published. It is 100% safe; see Dra. Pérez."')
    grid = (ROOT / "content" / "data" / "option-grids" / "skin.toml").read_text("utf-8")
    grid = replace(grid, 'page = "conditions/skin.md"', 'page = "guides/ordinary.md"')
    grid = re.sub(r'^intro = "', 'intro = "A guaranteed fix for wrinkles, from £300. ', grid, count=1, flags=re.M)
    assert "£300" in grid
    (data / "option-grids").mkdir()
    (data / "option-grids" / "skin.toml").write_text(grid, "utf-8")
    guide = content / "guides" / "ordinary.md"
    guide.write_text(guide.read_text("utf-8").replace("Some risks.", "Some risks.\n\n[[option-grid: skin]]\n", 1), "utf-8")
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    po = theme / "translations" / "es" / "LC_MESSAGES" / "messages.po"
    text = po.read_text("utf-8")
    for old, new in [('msgstr "Puntos clave"', 'msgstr "Puntos clave<script>alert(1)</script>"'),
                     ('msgstr "Correo electrónico"', 'msgstr "Cura garantizada"')]:
        assert old in text
        text = text.replace(old, new, 1)
    po.write_text(text, "utf-8")
    # A made-up reviewer, in this test's own copy only.
    (data / "reviewers.toml").write_text(
        '[jsmith]\nname = "Dr Jane Smith"\ncredentials = "MD"\nrole = "clinical"\nlanguages = ["en"]\n'
        'interests = "Consults for a lab that guarantees results."\n', "utf-8")
    settings = {
        "THEME": str(theme),
        "SITE_TEXT": {"es": {"SITENAME": "PRP: cura garantizada", "SITE_DESCRIPTION": "Llame al 912 345 678."}},
        "FUNDING_STATEMENT": "Funded by a clinic whose treatment is guaranteed; call 555-010-0199.",
        "CLINIC_RELATIONSHIP": "Tratamiento 100 % eficaz en nuestra clínica.",
        "SITENAME": "The miracle PRP guide",
    }
    problems = failed_build(content, tmp_path, monkeypatch, **settings)
    assert_all_named(problems, [
        ("content/data/references.toml", "kang2022.title: wording 'miracle'"),
        ("content/data/references.toml", f"kang2022.journal: '555-010-0199': {PHONE}"),
        ("content/data/glossary.toml", "prp.definition: wording 'risk-free'"),
        ("content/data/glossary.toml", f"prp.definition: 'Dr. House': {PERSON}"),
        ("content/data/glossary.es.toml", "anemia.term: the text contains invisible direction-control characters (U+202C, U+202E)"),
        ("content/data/glossary.es.toml", "anemia.term: wording 'tratamiento curativo'"),
        ("content/data/evidence.toml", "wording 'Clinically proven'"),
        ("content/data/evidence.toml", f"'$99': {PRICE}"),
        ("content/data/evidence.es.toml", "wording 'garantizada'"),
        ("content/data/evidence.es.toml", f"'450 €': {PRICE}"),
        ("content/data/option-grids/skin.toml", "intro: wording 'guaranteed'"),
        ("content/data/option-grids/skin.toml", f"intro: '£300': {PRICE}"),
        ("content/data/page-history.toml", "wording '100% safe'"),
        ("content/data/page-history.toml", f"'Dra. Pérez': {PERSON}"),
        ("theme/translations/es/LC_MESSAGES/messages.po", "the translation holds markup its English message does not (</script>, <script>)"),
        ("theme/translations/es/LC_MESSAGES/messages.po", "wording 'Cura garantizada'"),
        ("pelicanconf.py", "SITE_TEXT['es']['SITENAME']: wording 'cura garantizada'"),
        ("pelicanconf.py", f"SITE_TEXT['es']['SITE_DESCRIPTION']: '912 345 678': {PHONE}"),
        ("pelicanconf.py", "FUNDING_STATEMENT: wording 'guaranteed'"),
        ("pelicanconf.py", f"FUNDING_STATEMENT: '555-010-0199': {PHONE}"),
        ("pelicanconf.py", "CLINIC_RELATIONSHIP: wording '100 % eficaz'"),
        ("content/data/reviewers.toml", "jsmith.interests: wording 'guarantees'"),
        ("pelicanconf.py", "SITENAME: wording 'miracle'"),
    ])
    # A reviewer's name may carry a title and credentials: that is where they belong.
    assert not any(p.startswith("content/data/reviewers.toml: jsmith.name:") for p in problems), problems
