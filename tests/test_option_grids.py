"""Build tier. Option grids (decision aids): every rule the grid schema enforces, fed bad input (fairness:
a "no treatment" column, every number in a drawn row drawn against its own comparison, the
serious risks named in every option that carries them); the grids as built on the condition
pages and on their printable pages; and the icon arrays, whose drawn figures must match the
numbers said in words."""

from __future__ import annotations

import re
import tomllib

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from medical_content.data import bibliography
from medical_content.i18n import interface as i18n
from medical_content.data import option_grids
from medical_content.data import option_grids_i18n
from samples import GUIDE, GUIDE_FILE, LABEL, problems_of, replace

GRIDS = ROOT / "content" / "data" / "option-grids"
CONDITIONS = sorted(p.stem for p in (ROOT / "content" / "conditions").glob("*.md") if "." not in p.stem)
QUESTION_KEYS = ("involves", "works", "timing", "risks", "visits", "guidance")


def option_text(option_id: str, name: str, kind: str, extra: str = "") -> str:
    answers = "\n".join(f'{key} = "A short plain answer about {key}, with its source [@bennell2021]."' for key in QUESTION_KEYS)
    return f'[[option]]\nid = "{option_id}"\nname = "{name}"\nkind = "{kind}"\n{answers}\n{extra}'


SAMPLE = (
    'title = "A test grid"\npage = "guides/test-guide.md"\nchecked = 2026-11-26\n'
    'values = ["Avoiding needles", "Strong research", "Few visits"]\n\n'
    + option_text("wait", "Wait and see", "none") + "\n"
    + option_text("gel", "A gel", "alternative") + "\n"
    + option_text("prp", "PRP", "prp",
                  'numbers = [{ question = "risks", count = 65, alone = true, says = "had pain" }]\n').replace(
        'risks = "A short plain answer about risks, with its source [@bennell2021]."',
        'risks = "65 in 100 people had pain after it [@bennell2021]."')
)


@pytest.fixture(scope="module")
def references():
    found, problems = bibliography.load(ROOT / "content" / "data" / "references.toml")
    assert problems == []
    return found


def load(tmp_path, references, text: str):
    path = tmp_path / "test-grid.toml"
    path.write_text(text, encoding="utf-8")
    return option_grids.load(path, references, "content/data/option-grids/test-grid.toml")


def test_the_sample_grid_is_valid(tmp_path, references):
    grid, problems = load(tmp_path, references, SAMPLE)
    assert problems == []
    assert [o.id for o in grid.options] == ["wait", "gel", "prp"]
    [(name, question, arrays)] = grid.array_groups
    assert (name, question) == ("PRP", "What are the main risks?") and [a.words for a in arrays] == ["65 in 100 people had pain"]


LONG_WORDS = ("Intra-articular corticosteroid administration demonstrated statistically significant "
              "improvements in symptomatology compared with conventional pharmacological management")
BROKEN_GRIDS = {
    "no PRP option": (('kind = "prp"', 'kind = "alternative"'), "options: there is no PRP option"),
    "no 'no treatment' column": (('kind = "none"', 'kind = "alternative"'), "options: there is no 'no treatment' or 'no new treatment' option"),
    "a number in a drawn row left undrawn": (("about risks, with its source", "about risks: 10 in 100 had a rash"),
                                             "option 'wait', question 'risks': the answer gives 10 in 100 but draws no icon array for it"),
    "a drawn result without its comparison": (("count = 65, alone = true", "count = 65"),
                                               "option 'prp', question 'risks': draws 65 in 100 with nothing to compare it with"),
    "the comparison said but not drawn": (("65 in 100 people had pain after it", "65 in 100 people had pain after it, and 33 in 100 after salt water"),
                                          "option 'prp', question 'risks': the answer gives 33 in 100 but draws no icon array for it"),
    "icon array alone not true or false": (("alone = true", 'alone = "yes"'),
                                           "option 'prp', question 'risks': 'alone' must be true or false, not 'yes'; write true or false, without quotes"),
    "uncited answer with a number": (('name = "A gel"', 'name = "A gel"\nuncited = ["works"]'),
                                     "option 'gel', question 'works' (How well does it work?): is listed in 'uncited'"),
    "uncited lists an unknown question": (('name = "A gel"', 'name = "A gel"\nuncited = ["cost"]'),
                                          "option 'gel': uncited 'cost' is not a question of the grid; use one of involves, works,"),
    "serious risk left out of an option": (('[[option]]\nid = "wait"', '[[serious_risk]]\nwords = "stroke"\noptions = ["prp"]\n\n[[option]]\nid = "wait"'),
                                           "option 'prp', question 'risks': does not name the serious risk 'stroke'"),
    "serious risk names an unknown option": (('[[option]]\nid = "wait"', '[[serious_risk]]\nwords = "risks"\noptions = ["fillers"]\n\n[[option]]\nid = "wait"'),
                                             "serious_risk 'risks': option 'fillers' is not in this grid"),
    "urgent box malformed": (('values = [', 'urgent = "Call 911"\nvalues = ['), "'urgent' must be a table of title, signs, not 'Call 911'; write it as urgent = {"),
    "urgent sign uncited": (('values = [', 'urgent = { title = "Call 911 if you have", signs = ["a sudden change in sight"] }\nvalues = ['),
                            "'urgent', sign 1: cites no source"),
    "urgent sign unknown source": (('values = [', 'urgent = { title = "Call 911 if you have", signs = ["loss of sight [@nobody1999]"] }\nvalues = ['),
                                   "'urgent', sign 1: 'nobody1999' is not in content/data/references.toml"),
    "serious risk without words": (('[[option]]\nid = "wait"', '[[serious_risk]]\noptions = ["prp"]\n\n[[option]]\nid = "wait"'),
                                   "serious_risk 1: 'words' is missing; add it (the risk in words"),
    "too few alternatives": (('kind = "alternative"', 'kind = "exosomes"'), "options: there are 1 alternatives to PRP; give at least 2"),
    "unknown kind": (('kind = "alternative"', 'kind = "surgery"'), "option 'gel': kind 'surgery' is not known"),
    "answer missing": (('visits = "A short plain answer about visits, with its source [@bennell2021]."\n', ""),
                       "option 'wait', question 'visits' (How many visits?): the answer is missing"),
    "answer not cited": (('works = "A short plain answer about works, with its source [@bennell2021]."', 'works = "It works."'),
                         "option 'wait', question 'works' (How well does it work?): the answer cites no source"),
    "unknown reference": (("about timing, with its source [@bennell2021]", "about timing [@nobody1999]"),
                          "option 'wait', question 'timing' (How soon does it help, and how long does it last?): 'nobody1999' is not in content/data/references.toml"),
    "answer too long": (("about involves, with its source", "about involves " + "and more " * 25),
                        "option 'wait', question 'involves' (What does it involve?): the answer is 57 words; shorten it to 45 or fewer"),
    "overclaiming word": (("about guidance, with its source", "about guidance. It is a proven cure"),
                          "option 'wait', question 'guidance' (What do guideline bodies and regulators say?): wording 'proven': overclaims"),
    "icon array count out of range": (("count = 65", "count = 165"), "option 'prp', question 'risks': count 165 is not a whole number from 0 to 100"),
    "icon array not said in words": (("65 in 100 people had pain", "Most people had pain"),
                                     "option 'prp', question 'risks': the icon array draws 65 in 100, but the answer does not say '65 in 100'"),
    "icon array without words": (('says = "had pain"', 'says = ""'), "option 'prp', question 'risks': 'says' is empty; say what happened"),
    "icon array approx but no 'about'": (("count = 65", "count = 65, approx = true"),
                                         "option 'prp', question 'risks': the icon array is marked approx, but the answer does not say 'about 65 in 100'"),
    "icon array approx not true or false": (("count = 65", 'count = 65, approx = "yes"'),
                                            "option 'prp', question 'risks': 'approx' must be true or false, not 'yes'; write true or false, without quotes"),
    "row mixes denominators": (("about risks, with its source", "about risks: 6 in 10 had pain"),
                               "question 'risks': the row mixes denominators: 'in 10' (option 'wait'), 'in 100' (option 'prp')"),
    "duplicate option id": (('id = "gel"', 'id = "wait"'), "option 'wait': the id is used twice"),
    "evidence date missing": (("checked = 2026-11-26\n", ""), "'checked' is missing; add it (the day the evidence was checked"),
    "evidence date quoted": (("checked = 2026-11-26", 'checked = "26 November 2026"'), "'checked' must be a date, not '26 November 2026'"),
    "values missing": (('values = ["Avoiding needles", "Strong research", "Few visits"]\n', ""), "'values' is missing; add it ('What matters most to you?' statements"),
    "unknown field": (('title = "A test grid"', 'title = "A test grid"\nsubtitle = "x"'), "unknown field 'subtitle'; use one of checked, intro,"),
    "unknown option field": (('name = "A gel"', 'name = "A gel"\ncost = "high"'), "option 'gel': unknown field 'cost'"),
}


@pytest.mark.parametrize("change, expected", BROKEN_GRIDS.values(), ids=BROKEN_GRIDS.keys())
def test_a_broken_grid_is_rejected_naming_file_option_and_question(tmp_path, references, change, expected):
    grid, problems = load(tmp_path, references, replace(SAMPLE, *change))
    assert grid is None
    assert any(p.startswith("content/data/option-grids/test-grid.toml: ") and expected in p for p in problems), problems


def test_answers_above_reading_grade_8_are_rejected(tmp_path, references):
    text = SAMPLE
    for key in QUESTION_KEYS:
        text = text.replace(f"A short plain answer about {key}, with its source", LONG_WORDS, 1)
    grid, problems = load(tmp_path, references, text)
    assert problems == []  # read apart from loading (the build works it out where it works its pages)
    problems = option_grids.reading_problems(grid, "content/data/option-grids/test-grid.toml")
    assert any(re.search(r"^content/data/option-grids/test-grid.toml: option 'wait': the answers read at US grade "
                         r"\d+\.\d, above 8; .*\(hardest: question '\w+'\)", p) for p in problems), problems
    assert option_grids.reading_problems(load(tmp_path, references, SAMPLE)[0], "x") == []


def test_an_unreadable_grid_is_rejected(tmp_path, references):
    grid, problems = load(tmp_path, references, 'title = "unclosed\n')
    assert grid is None and problems[0].startswith("content/data/option-grids/test-grid.toml: cannot read it")


def test_a_bad_grid_fails_the_build_with_every_problem(make_site):
    broken = replace(replace(SAMPLE, 'kind = "prp"', 'kind = "alternative"'), "[@bennell2021]", "[@nobody1999]")
    guide = replace(GUIDE, "## Risks and side effects\n", "[[option-grid: test-grid]]\n\n## Risks and side effects\n")
    problems = problems_of(make_site, {GUIDE_FILE: guide, "data/option-grids/test-grid.toml": broken})
    assert any(p.startswith("content/data/option-grids/test-grid.toml: options: there is no PRP option") for p in problems), problems
    assert any("option 'wait', question 'involves'" in p and "nobody1999" in p for p in problems), problems
    assert not any("no such grid" in p for p in problems), "a broken grid is reported once, by its own file"


def test_placing_an_unknown_grid_fails_the_build_naming_the_page(make_site):
    guide = replace(GUIDE, "## Risks and side effects\n", "[[option-grid: no-such-grid]]\n\n## Risks and side effects\n")
    problems = problems_of(make_site, {GUIDE_FILE: guide})
    assert any(p.startswith(f"{LABEL}: [[option-grid: no-such-grid]]: no such grid") for p in problems), problems


def test_a_valid_grid_is_drawn_where_it_is_placed_with_its_printable_page(make_site):
    guide = replace(GUIDE, "## Risks and side effects\n", "[[option-grid: test-grid]]\n\n## Risks and side effects\n")
    result = make_site({GUIDE_FILE: guide, "data/option-grids/test-grid.toml": SAMPLE})
    assert "compare/test-grid/index.html" in result.pages
    page = (result.output_path / "test-guide" / "index.html").read_text()
    assert 'href="../compare/test-grid/">Print this comparison</a>' in page


# --- The real grids, as built, in each language ------------------------------------------

LANGS = ("en", "es")
PREFIX = {"en": "", "es": "es/"}


def grid_data(slug: str, lang: str = "en") -> dict:
    """The grid's data in `lang`; a translation takes each option's kind from the English."""
    english = tomllib.loads((GRIDS / f"{slug}.toml").read_text(encoding="utf-8"))
    if lang == "en":
        return english
    data = tomllib.loads((GRIDS / f"{slug}.{lang}.toml").read_text(encoding="utf-8"))
    kinds = {o["id"]: o["kind"] for o in english["option"]}
    uncited = {o["id"]: o.get("uncited", []) for o in english["option"]}
    return {**data, "page": english["page"],
            "option": [{**o, "kind": kinds[o["id"]], "uncited": uncited[o["id"]]} for o in data["option"]]}


@pytest.fixture(scope="module")
def interface():
    """The catalogs' text, to read the interface strings a page in each language shows."""
    translations, problems = i18n.load(ROOT / "theme", LANGS, "en")
    assert problems == []
    return lambda message, lang: translations[lang].gettext(message)


def words(element) -> str:
    return " ".join(element.get_text(" ").split())


def test_every_condition_page_has_a_grid_in_other_treatments(site):
    assert len(CONDITIONS) == 6
    for lang in LANGS:
        for slug in CONDITIONS:
            soup = site.soup(f"{PREFIX[lang]}{slug}/index.html")
            grids = soup.select(".app-prose .app-grid")
            assert len(grids) == 1, (lang, slug)
            section = grids[0].find_previous("h2")
            assert section["id"] == "other-treatments-to-discuss", (lang, slug)
            assert grid_data(slug, lang)["page"] == f"conditions/{slug}.md"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", CONDITIONS)
def test_the_grid_is_one_table_a_row_per_option_with_header_cells_labels_and_cited_answers(site, interface, slug, lang):
    """One table, drawn once: a row per option (its name the row header, the row the
    option's block on a phone), a column per question; each answer carries its question as
    the label a phone shows above it."""
    data = grid_data(slug, lang)
    names = [o["name"] for o in data["option"]]
    kinds = [o["kind"] for o in data["option"]]
    assert "prp" in kinds and "none" in kinds and sum(k in ("none", "first-step", "alternative") for k in kinds) >= 2
    questions = [interface(q, lang) for q in option_grids.QUESTIONS.values()]
    grid = site.soup(f"{PREFIX[lang]}{slug}/index.html").select_one(".app-grid")
    [table] = grid.select("table")
    assert "app-grid__table" in table["class"]
    corner, *header = table.select_one("thead tr").find_all(["td", "th"])
    assert corner.name == "td" and words(corner) == ""
    assert [words(th) for th in header] == questions and all(th.name == "th" and th["scope"] == "col" for th in header)
    rows = table.select("tbody tr")
    assert [words(r.th) for r in rows] == names
    assert all(r.th["scope"] == "row" and r["class"] == ["app-grid__option"] for r in rows)
    for row, option in zip(rows, data["option"]):
        cells = row.find_all("td")
        assert [c["data-label"] for c in cells] == questions, (slug, option["id"])
        for key, cell in zip(option_grids.QUESTIONS, cells):
            cited = bool(cell.select("sup.app-cite a[href^='#ref-']"))
            assert cited != (key in option.get("uncited", [])), (slug, option["id"], key)
    # drawn once: no second copy of the options or their answers
    assert len(grid.find_all(string=lambda s: s.strip() == names[0])) == 1


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", CONDITIONS)
def test_values_questions_date_and_print_link_are_on_the_page(site, interface, slug, lang):
    data = grid_data(slug, lang)
    grid = site.soup(f"{PREFIX[lang]}{slug}/index.html").select_one(".app-grid")
    assert [words(li) for li in grid.select(".app-grid__values li")] == data["values"]
    assert [words(li.strong) for li in grid.select(".app-grid__bran li")] == [
        interface(w, lang) for w in ("Benefits:", "Risks:", "Alternatives:", "Nothing:")]
    assert grid.select_one(".app-grid__meta time")["datetime"] == data["checked"].isoformat()
    link = grid.select_one("a.app-grid__print")
    assert words(link) == interface("Print this comparison", lang)
    target = (site.root / PREFIX[lang] / slug / link["href"]).resolve() / "index.html"
    assert target == (site.root / PREFIX[lang] / "compare" / slug / "index.html").resolve() and target.is_file()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", CONDITIONS)
def test_the_printable_page_has_the_grid_values_questions_date_and_its_references(site, slug, lang):
    data = grid_data(slug, lang)
    soup = site.soup(f"{PREFIX[lang]}compare/{slug}/index.html")
    assert soup.html["lang"] == lang
    assert words(soup.find("h1")) == data["title"]
    grid = soup.select_one(".app-compare .app-grid")
    assert grid["aria-labelledby"] == soup.find("h1")["id"]
    assert len(grid.select("table.app-grid__table tbody tr")) == len(data["option"])
    assert len(grid.select("table.app-grid__table thead th")) == len(option_grids.QUESTIONS)
    assert [words(li) for li in grid.select(".app-grid__values li")] == data["values"]
    assert len(grid.select(".app-grid__bran li")) == 4
    assert grid.select_one(".app-grid__meta time")["datetime"] == data["checked"].isoformat()
    assert grid.select_one("a.app-grid__print") is None
    texts = [o[key] for o in data["option"] for key in QUESTION_KEYS] + data.get("urgent", {}).get("signs", [])
    cited = {k.strip().lstrip("@") for text in texts
             for m in re.finditer(r"\[@([^\]]+)\]", text) for k in m.group(1).split(";")}
    assert len(soup.select(".app-references li")) == len(cited)
    numbers = {int(a["href"].removeprefix("#ref-")) for a in grid.select("sup.app-cite a")}
    assert numbers == set(range(1, len(cited) + 1))
    assert soup.select_one(".app-disclaimer")
    # It links back to the condition page in its own language.
    back = soup.select_one(".app-compare__note a")["href"]
    assert (site.root / PREFIX[lang] / "compare" / slug / back).resolve() == (site.root / PREFIX[lang] / slug).resolve()


def shown(group) -> list[tuple[int, int]]:
    """(y, x) of each figure of a group that falls inside the 100 by 100 drawing, in drawing
    order: a row is ten figures 10 apart from its x, and a row moved sideways shows only the
    figures still inside (the SVG shows nothing outside its viewBox)."""
    places = []
    for use in group.find_all("use", recursive=False):
        x, y = int(use.get("x", 0)), int(use.get("y", 0))
        for k in range(10) if use["href"].endswith("-row") else range(1):
            if 0 <= x + 10 * k < 100:
                places.append((y, x + 10 * k))
    return places


def drawn(figure) -> tuple[int, int]:
    """Filled and outlined figures of an icon array, each place drawn once."""
    on, off = shown(figure.select_one("g.app-icons__on")), shown(figure.select_one("g.app-icons__off"))
    assert len(set(on + off)) == len(on + off), "a figure drawn twice"
    return len(on), len(off)


# How each language says "N in 100" for a screen reader, in the caption and in the answers.
IN_100 = {"en": ("{n} in 100", "{n} in 100 people "), "es": ("{n} de cada 100", "{n} de cada 100 personas ")}
ABOUT = {"en": r"(?:About )?", "es": r"(?:Unas )?"}


def test_icon_arrays_draw_the_numbers_their_words_say(site):
    arrays = {"en": 0, "es": 0}
    for page in site.pages:
        soup = site.soup(page)
        lang = soup.html["lang"]
        for figure in soup.select("figure.app-icons"):
            arrays[lang] += 1
            filled, outlined = drawn(figure)
            assert filled + outlined == 100, page
            caption = words(figure.figcaption)
            in_answer, in_caption = IN_100[lang]
            # An array marked approx (our conversion of a source's count) starts "About" / "Unas".
            said = re.match(ABOUT[lang] + re.escape(in_caption).replace(r"\{n\}", r"(\d+)"), caption)
            assert said and int(said.group(1)) == filled, (page, caption, filled)
            assert figure.svg["aria-hidden"] == "true"
            # The same number is in the grid's answers, in words, for every reader.
            grid = figure.find_parent(class_="app-grid")
            assert in_answer.format(n=filled) in words(grid.select_one(".app-grid__table")), (page, caption)
            # Row by row: the filled figures come first, in reading order.
            positions = shown(figure.select_one("g.app-icons__on"))
            assert positions == sorted(positions) == [(i - i % 10, i % 10 * 10) for i in range(filled)]
    expected = sum(len(o.get("numbers", [])) for s in CONDITIONS for o in grid_data(s)["option"])
    # each grid on its condition page and its printable page, in each language
    assert expected >= 6 and arrays == {"en": 2 * expected, "es": 2 * expected}


# --- Spanish grids: <slug>.es.toml checked against the English grid --------------------------

def option_text_es(option_id: str, name: str, extra: str = "") -> str:
    answers = "\n".join(f'{key} = "Una respuesta corta y clara sobre {key}, con su fuente [@bennell2021]."' for key in QUESTION_KEYS)
    return f'[[option]]\nid = "{option_id}"\nname = "{name}"\n{answers}\n{extra}'


SAMPLE_ES = (
    'title = "Una tabla de prueba"\nchecked = 2026-11-26\n'
    'values = ["No tener agujas", "Estudios sólidos", "Pocas visitas"]\n\n'
    + option_text_es("wait", "Esperar") + "\n"
    + option_text_es("gel", "Un gel") + "\n"
    + option_text_es("prp", "PRP", 'numbers = [{ question = "risks", count = 65, says = "tuvieron dolor" }]\n').replace(
        'risks = "Una respuesta corta y clara sobre risks, con su fuente [@bennell2021]."',
        'risks = "65 de cada 100 personas tuvieron dolor tras él [@bennell2021]."')
)
ES_FILE = "content/data/option-grids/test-grid.es.toml"


def load_es(tmp_path, references, text: str):
    english, problems = load(tmp_path, references, SAMPLE)
    assert problems == []
    path = tmp_path / "test-grid.es.toml"
    path.write_text(text, encoding="utf-8")
    return option_grids_i18n.load(path, english, "es", ES_FILE)


def test_the_spanish_sample_grid_is_valid_and_keeps_the_english_facts(tmp_path, references):
    grid, problems = load_es(tmp_path, references, SAMPLE_ES)
    assert problems == []
    assert grid.lang == "es" and grid.page == "guides/test-guide.es.md" and grid.source == "data/option-grids/test-grid.es.toml"
    assert [(o.id, o.kind) for o in grid.options] == [("wait", "none"), ("gel", "alternative"), ("prp", "prp")]
    [(name, question, [array])] = grid.array_groups
    assert (name, question, array.count, array.says) == ("PRP", "What are the main risks?", 65, "tuvieron dolor")
    assert grid.checked_words == "26 de noviembre de 2026"


HARD_SPANISH = ("La administración intraarticular de corticosteroides demostró mejorías estadísticamente "
                "significativas en la sintomatología comparada con la farmacoterapia convencional")
BROKEN_SPANISH_GRIDS = {
    "option missing": ((option_text_es("gel", "Un gel") + "\n", ""), "option 'gel': is missing; translate the option 'gel'"),
    "option not in English": (('id = "gel"', 'id = "gelatina"'), "option 'gelatina': is not an option of test-grid.toml"),
    "options reordered": ((option_text_es("wait", "Esperar") + "\n" + option_text_es("gel", "Un gel"),
                           option_text_es("gel", "Un gel") + "\n" + option_text_es("wait", "Esperar")),
                          "options: give the options in the order of test-grid.toml"),
    "question missing": (('visits = "Una respuesta corta y clara sobre visits, con su fuente [@bennell2021]."\n', ""),
                         "option 'wait', question 'visits' (How many visits?): the answer is missing"),
    "different citation": (("sobre works, con su fuente [@bennell2021]", "sobre works [@arita2024]"),
                           "option 'wait', question 'works' (How well does it work?): cites [@arita2024], but the English answer cites [@bennell2021]"),
    "citation dropped": (("sobre timing, con su fuente [@bennell2021]", "sobre timing"),
                         "option 'wait', question 'timing' (How soon does it help, and how long does it last?): cites none"),
    "different number": (("65 de cada 100 personas tuvieron dolor", "65 de cada 100 personas, 3 veces, tuvieron dolor"),
                         "option 'prp', question 'risks' (What are the main risks?): gives the numbers [100, 3, 65], but the English answer gives [100, 65]"),
    "icon array count differs": (("count = 65", "count = 66"), "option 'prp', numbers: draws 66 in 100 ('risks'), but test-grid.toml draws 65 in 100 ('risks')"),
    "icon array dropped": (('numbers = [{ question = "risks", count = 65, says = "tuvieron dolor" }]\n', ""),
                           "option 'prp', numbers: draws no icon arrays, but test-grid.toml draws 65 in 100 ('risks')"),
    "icon array not said the Spanish way": (("65 de cada 100 personas", "65 in 100 personas"),
                                            "option 'prp', question 'risks': the icon array draws 65 in 100, but the answer does not say '65 de cada 100'"),
    "icon array without words": (('says = "tuvieron dolor"', 'says = ""'), "option 'prp', question 'risks': 'says' is empty; say what happened"),
    "icon array approx differs": (("count = 65", "count = 65, approx = true"),
                                  "option 'prp', question 'risks': 'approx' is True here but False in test-grid.toml"),
    "overclaim": (("sobre guidance, con su fuente", "sobre guidance. Es una cura garantizada"),
                  "option 'wait', question 'guidance' (What do guideline bodies and regulators say?): wording 'cura garantizada': overclaims"),
    "answer too long": (("sobre involves, con su fuente", "sobre involves " + "y algo más " * 20),
                        "option 'wait', question 'involves' (What does it involve?): the answer is 68 words; shorten it to 55 or fewer"),
    "other date": (("checked = 2026-11-26", "checked = 2026-11-01"), "'checked': is 2026-11-01, not the date of test-grid.toml (2026-11-26)"),
    "values count differs": (('"Pocas visitas"]', '"Pocas visitas", "Otra"]'), "'values': give the 3 statements of test-grid.toml"),
    "kind in the translation": (('name = "Un gel"', 'name = "Un gel"\nkind = "alternative"'), "option 'gel': unknown field 'kind'"),
    "title missing": (('title = "Una tabla de prueba"\n', ""), "'title' is missing; add it"),
}


@pytest.mark.parametrize("change, expected", BROKEN_SPANISH_GRIDS.values(), ids=BROKEN_SPANISH_GRIDS.keys())
def test_a_broken_spanish_grid_is_rejected_naming_file_option_and_question(tmp_path, references, change, expected):
    grid, problems = load_es(tmp_path, references, replace(SAMPLE_ES, *change))
    assert grid is None
    assert any(p.startswith(f"{ES_FILE}: ") and expected in p for p in problems), problems


def test_spanish_answers_below_inflesz_65_are_rejected(tmp_path, references):
    text = SAMPLE_ES
    for key in QUESTION_KEYS:
        text = text.replace(f"Una respuesta corta y clara sobre {key}, con su fuente", HARD_SPANISH, 1)
    grid, problems = load_es(tmp_path, references, text)
    assert problems == []
    problems = option_grids_i18n.reading_problems(grid, ES_FILE)
    assert any(re.search(rf"^{ES_FILE}: option 'wait': the answers score -?\d+\.\d on INFLESZ, below 65 .*\(hardest: question '\w+'\)", p)
               for p in problems), problems
    assert option_grids_i18n.reading_problems(load_es(tmp_path, references, SAMPLE_ES)[0], ES_FILE) == []


@pytest.mark.parametrize("slug", CONDITIONS)
def test_each_real_spanish_grid_reads_at_inflesz_65_or_above(references, slug):
    english, problems = option_grids.load(GRIDS / f"{slug}.toml", references, slug)
    spanish, problems = option_grids_i18n.load(GRIDS / f"{slug}.es.toml", english, "es", slug)
    assert problems == []
    ease = option_grids_i18n.reading_ease(spanish)
    print(f"INFLESZ {slug}: {ease}")
    assert ease >= 65





def spanish_site_files(spanish_grid: str | None = SAMPLE_ES) -> dict[str, str]:
    from test_i18n import with_spanish, SPANISH_GUIDE, SPANISH_GUIDE_FILE

    grid_block = "[[option-grid: test-grid]]\n\n"
    files = with_spanish(**{
        GUIDE_FILE: replace(GUIDE, "## Risks and side effects\n", grid_block + "## Risks and side effects\n"),
        SPANISH_GUIDE_FILE: replace(SPANISH_GUIDE, "## Riesgos y efectos secundarios", grid_block + "## Riesgos y efectos secundarios"),
    })
    files["data/option-grids/test-grid.toml"] = SAMPLE
    if spanish_grid is not None:
        files["data/option-grids/test-grid.es.toml"] = spanish_grid
    return files


def test_a_spanish_page_drawing_a_grid_without_a_spanish_version_fails_naming_the_file(make_site):
    problems = problems_of(make_site, spanish_site_files(spanish_grid=None))
    assert any(p.startswith("content/guides/test-guide.es.md: [[option-grid: test-grid]]: the grid has no 'es' version; "
                            f"create {ES_FILE}, a translation of content/data/option-grids/test-grid.toml") for p in problems), problems


def test_a_broken_spanish_grid_fails_the_build_once_by_its_own_file(make_site):
    problems = problems_of(make_site, spanish_site_files(replace(SAMPLE_ES, "count = 65", "count = 66")))
    assert any(p.startswith(f"{ES_FILE}: option 'prp', numbers: draws 66 in 100") for p in problems), problems
    assert not any("has no 'es' version" in p for p in problems), problems


def test_a_spanish_grid_of_no_english_grid_or_language_or_grids_that_read_too_hard_fail(make_site):
    """Grids that read too hard, in either language, fail the same build: their reading is
    checked apart from loading them, where the pages are worked (in a worker process when
    there are several; tests/test_cache.py runs that case)."""
    files = spanish_site_files()
    files["data/option-grids/no-such-grid.es.toml"] = SAMPLE_ES
    files["data/option-grids/test-grid.fr.toml"] = SAMPLE_ES
    hard, hard_es = SAMPLE, SAMPLE_ES
    for key in QUESTION_KEYS:
        hard = hard.replace(f"A short plain answer about {key}, with its source", LONG_WORDS, 1)
        hard_es = hard_es.replace(f"Una respuesta corta y clara sobre {key}, con su fuente", HARD_SPANISH, 1)
    files["data/option-grids/test-grid.toml"], files["data/option-grids/test-grid.es.toml"] = hard, hard_es
    problems = problems_of(make_site, files)
    assert any(p.startswith("content/data/option-grids/no-such-grid.es.toml: there is no English grid no-such-grid.toml") for p in problems), problems
    assert any(p.startswith("content/data/option-grids/test-grid.fr.toml: 'fr' is not another language of the site") for p in problems), problems
    assert any(p.startswith("content/data/option-grids/test-grid.toml: option 'wait': the answers read at US grade")
               for p in problems), problems
    assert any(p.startswith(f"{ES_FILE}: option 'wait': the answers score") and "on INFLESZ, below 65" in p
               for p in problems), problems


def test_a_spanish_page_draws_the_spanish_grid_and_its_spanish_printable_page(make_site):
    from test_i18n import english_messages, visible_spanish_text

    result = make_site(spanish_site_files())
    messages = english_messages()
    page = BeautifulSoup((result.output_path / "es" / "test-guide" / "index.html").read_text(), "lxml")
    grid = page.select_one(".app-grid")
    assert [words(th) for th in grid.select("tbody th")] == ["Esperar", "Un gel", "PRP"]
    assert words(grid.select_one("thead th")) == grid.select_one("tbody td")["data-label"] == "¿En qué consiste?"
    assert words(grid.select_one(".app-grid__meta")).startswith("Datos revisados el 26 de noviembre de 2026")
    assert words(grid.select_one("figure.app-icons figcaption")) == (
        "65 de cada 100 personas tuvieron dolor. El estudio no tenía grupo de comparación.")
    assert {words(s) for s in grid.select("sup.app-cite .app-visually-hidden")} == {"referencia"}
    link = grid.select_one("a.app-grid__print")
    assert words(link) == "Imprimir esta comparación" and link["href"] == "../../es/compare/test-grid/"
    printable = BeautifulSoup((result.output_path / "es" / "compare" / "test-grid" / "index.html").read_text(), "lxml")
    assert printable.html["lang"] == "es" and words(printable.h1) == "Una tabla de prueba"
    assert printable.select_one(".app-compare__note a")["href"] == "../../../es/test-guide/"
    assert printable.select_one(".app-language__link")["href"] == "../../../compare/test-grid/"
    english = BeautifulSoup((result.output_path / "compare" / "test-grid" / "index.html").read_text(), "lxml")
    assert english.select_one(".app-language__link")["href"] == "../../es/compare/test-grid/"
    for soup in (page, printable):
        text = visible_spanish_text(soup)
        assert [m for m in messages if m in text] == []


def test_the_real_spanish_condition_and_printable_pages_have_no_english_interface_text(site):
    from test_i18n import english_messages, visible_spanish_text

    messages = english_messages()
    for slug in CONDITIONS:
        for page in (f"es/{slug}/index.html", f"es/compare/{slug}/index.html"):
            text = visible_spanish_text(BeautifulSoup((site.root / page).read_text(), "lxml"))
            assert [m for m in messages if m in text] == [], page


def test_the_printable_pages_link_each_other_and_are_in_the_sitemap_with_alternates(production_site):
    import xml.etree.ElementTree as ElementTree

    from conftest import SITE_URL

    sitemap = ElementTree.parse(production_site.root / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    by_loc = {u.find("s:loc", ns).text: u for u in sitemap}
    for slug in CONDITIONS:
        expected = {"en": f"{SITE_URL}/compare/{slug}/", "es": f"{SITE_URL}/es/compare/{slug}/",
                    "x-default": f"{SITE_URL}/compare/{slug}/"}
        for lang in LANGS:
            soup = production_site.soup(f"{PREFIX[lang]}compare/{slug}/index.html")
            assert soup.html["lang"] == lang
            links = {l["hreflang"]: l["href"] for l in soup.find_all("link", rel="alternate", hreflang=True)}
            assert links == expected, (lang, slug)
            entry = by_loc[expected[lang]]
            assert {l.get("hreflang"): l.get("href") for l in entry.findall("x:link", ns)} == expected


# --- Fair comparison: the rules held on the real grids and on a translation -------------

def test_each_real_grid_is_a_fair_comparison(references):
    """Every real grid has a "no treatment" column; in a row with pictures every option's
    "N in 100" is drawn, beside its own comparison; the serious risks are named in every
    option the grid lists for them; and the skin grid lists stroke and loss of sight for
    both fillers and PRP (the review's finding M5)."""
    grids, problems = option_grids.load_all(GRIDS, references, str)
    assert problems == [] and sorted(grids) == CONDITIONS
    for grid in grids.values():
        assert any(o.kind == "none" for o in grid.options), grid.slug
        for key in option_grids.QUESTIONS:
            if not any(o.arrays_for(key) for o in grid.options):
                continue
            for option in grid.options:
                drawn = option.arrays_for(key)
                assert len(drawn) != 1 or option.kind == "none" or drawn[0].alone, (grid.slug, option.id, key)
    skin = dict(grids["skin"].serious_risks)
    assert set(skin["stroke"]) == set(skin["loss of sight"]) == {"fillers", "prp"}
    knee = [o.id for o in grids["knee-osteoarthritis"].options]
    assert {"no-new-treatment", "tablets", "hyaluronic-acid"} <= set(knee)
    assert "botulinum-toxin" in [o.id for o in grids["skin"].options]
    assert "no-treatment" in [o.id for o in grids["sexual-and-urinary-health"].options]


SERIOUS = SAMPLE.replace("[[option]]", '[[serious_risk]]\nwords = "pain"\noptions = ["prp"]\n\n[[option]]', 1)
SERIOUS_ES = SAMPLE_ES.replace("[[option]]", '[[serious_risk]]\nwords = "dolor"\n\n[[option]]', 1)


@pytest.mark.parametrize("spanish, expected", [
    (SAMPLE_ES, "serious_risk: give one [[serious_risk]] words = \"...\" for each of the 1"),
    (SERIOUS_ES.replace('words = "dolor"', 'words = "derrame cerebral"'),
     "option 'prp', question 'risks': does not name the serious risk 'derrame cerebral' ('pain' in test-grid.toml)"),
])
def test_a_translation_names_each_serious_risk_where_the_english_does(tmp_path, references, spanish, expected):
    english, problems = load(tmp_path, references, SERIOUS)
    assert problems == [] and english.serious_risks == (("pain", ("prp",)),)
    path = tmp_path / "test-grid.es.toml"
    path.write_text(spanish, encoding="utf-8")
    grid, problems = option_grids_i18n.load(path, english, "es", ES_FILE)
    assert grid is None and any(p.startswith(ES_FILE) and expected in p for p in problems), problems
    path.write_text(SERIOUS_ES, encoding="utf-8")
    grid, problems = option_grids_i18n.load(path, english, "es", ES_FILE)
    assert problems == [] and grid.serious_risks == (("dolor", ("prp",)),)


def test_an_uncited_answer_that_states_nothing_from_a_source_is_accepted(tmp_path, references):
    gel = SAMPLE.split("[[option]]")[2]
    fixed = gel.replace('name = "A gel"', 'name = "A gel"\nuncited = ["visits"]').replace(
        'visits = "A short plain answer about visits, with its source [@bennell2021]."', 'visits = "No visits are needed."')
    grid, problems = load(tmp_path, references, SAMPLE.replace(gel, fixed))
    assert problems == [] and grid.options[1].uncited == ("visits",)


def test_a_picture_whose_study_had_no_comparison_says_so(site, interface):
    for lang in LANGS:
        soup = site.soup(f"{PREFIX[lang]}sexual-and-urinary-health/index.html")
        captions = [words(c) for c in soup.select(".app-grid figcaption")]
        alone = [c for c in captions if interface("The study had no comparison group.", lang) in c]
        assert len(alone) == 1 and "94" in alone[0], captions


def test_the_printable_sheet_keeps_the_urgent_box_and_the_page_draws_it_once(site, interface):
    """m20: a sheet on paper carries the sight-loss and stroke signs; the condition page has
    its own box, so its grid does not repeat it."""
    for lang in LANGS:
        sheet = site.soup(f"{PREFIX[lang]}compare/skin/index.html")
        [box] = sheet.select(".app-compare .app-care-card--urgent")
        text = words(box)
        assert "911" in text and len(box.select("li sup.app-cite a[href^='#ref-']")) == 2, text
        assert not site.soup(f"{PREFIX[lang]}skin/index.html").select(".app-grid .app-care-card--urgent")


@pytest.mark.parametrize("spanish, expected", [
    (lambda es: es, "'urgent': is missing; translate the urgent box of test-grid.toml"),
    (lambda es: es.replace("values = [", 'urgent = { title = "Llame al 911 si tiene", signs = ["algo [@arita2024]"] }\nvalues = [', 1),
     "'urgent': give the signs of test-grid.toml, in its order, citing the same sources"),
])
def test_a_translation_keeps_the_urgent_box(tmp_path, references, spanish, expected):
    english_text = SAMPLE.replace("values = [", 'urgent = { title = "Call 911 if you have", signs = ["loss of sight [@karam2020]"] }\nvalues = [', 1)
    english, problems = load(tmp_path, references, english_text)
    assert problems == [] and english.urgent == ("Call 911 if you have", ("loss of sight [@karam2020]",))
    path = tmp_path / "test-grid.es.toml"
    path.write_text(spanish(SAMPLE_ES), encoding="utf-8")
    grid, problems = option_grids_i18n.load(path, english, "es", ES_FILE)
    assert grid is None and any(expected in p for p in problems), problems
