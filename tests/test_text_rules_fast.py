"""Unit tier. The text rules' fast paths find exactly what the plain rules find.

Terminology, wording, typed facts, the HTML checks' hidden text and URLs, and the reading
grades: each fast path is compared with the rule as it was written before it was made fast,
on thousands of generated texts full of near misses and odd characters.
"""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

import pytest

from conftest import ROOT
from medical_content.rules import html_checks, readability, syllables, terminology, typed_facts, wording

SEED = 23
# Characters that trip a fast path that is not exact: case forms a regular expression's
# ignore-case matching treats specially (dotted and dotless i, long s, the Kelvin sign),
# letters whose lower case changes the length, accents, every kind of hyphen and dash,
# invisible characters, look-alike letters, full-width forms, quotes and sentence ends.
ODD = ["İ", "ı", "ſ", "K", "ß", "é", "É", "ñ", "Ñ", "ó", "\u00ad", "\u200b", "\u2010", "\u2011",
       "\u2013", "\u2014", "\u2212", "\uff0d", "а", "е", "о", "Ｐ", "５", "’", "“", "”", "«", "»",
       "'", '"', "-", "_", "/", ".", "?", "¿", "!", ",", ";", ":", "(", ")", " ", "  ", "\n", "@", "$",
       "€", "%", "+"]
FILLER = ("the", "doctor", "Dr", "call", "phone", "tel", "not", "no", "never", "sin", "ni", "nada",
          "is", "are", "did", "you", "know", "like", "than", "pero", "and", "but", "2024", "555",
          "0100", "12", "1-800", "USD", "eur", "dollars", "pesos", "five", "hundred", "cinco",
          "MD", "M.D.", "PhD", "Smith", "Ana", "Sra.", "example.org", "a@b.co", "¿Está", "Is",
          "Why", "Nothing", "otro", "k", "clínicamente", "FDA", "approved", "por", "la")


def mutate(rng: random.Random, word: str) -> str:
    """A word changed the ways a reader's text, or a stranger's, changes it."""
    choice = rng.randrange(9)
    if choice == 0:
        return word.upper()
    if choice == 1:
        return word.title()
    if choice == 2 and word:
        i = rng.randrange(len(word))
        return word[:i] + rng.choice(ODD) + word[i + 1:]
    if choice == 3 and word:
        i = rng.randrange(len(word) + 1)
        return word[:i] + rng.choice(ODD) + word[i:]
    if choice == 4:
        return rng.choice(["x", "-", "_", "9", "é"]) + word
    if choice == 5:
        return word + rng.choice(["s", "-", "_", "ed", "é", "2"])
    if choice == 6:
        return unicodedata.normalize("NFD", word)
    return word


def texts(rng: random.Random, phrases: list[str], count: int, length: int = 14) -> list[str]:
    found = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randrange(1, length)):
            source = rng.random()
            word = rng.choice(phrases) if source < 0.4 else rng.choice(FILLER) if source < 0.85 else rng.choice(ODD)
            parts.append(mutate(rng, word) if rng.random() < 0.5 else word)
            parts.append(rng.choice([" ", " ", " ", ", ", ". ", "? ", " - ", "\n", "", "–", "'"]))
        found.append("".join(parts))
    return found


# --- terminology -----------------------------------------------------------------------------

def reference_terminology(terms: list[terminology.Term], lines: list[str]) -> list[tuple[int, str, str]]:
    """Each word's own pattern over every line, one at a time: the check before its one
    search a line."""
    return [(number, term.preferred, match.group(0))
            for number, line in enumerate(lines)
            for term in terms
            for pattern in term.patterns
            for match in pattern.finditer(line)]


def fast_terminology(terms: list[terminology.Term], lines: list[str]) -> list[tuple[int, str, str]]:
    anywhere = terminology.any_word(terms)
    return reference_terminology(terms, [line if anywhere.search(line) else "" for line in lines])


@pytest.mark.parametrize("lang", ["en", "es"])
def test_one_search_a_line_finds_every_forbidden_word(lang):
    terms, problems = terminology.load_terms(ROOT / "content" / "data" / f"terminology.{lang}.toml", "terms")
    assert terms and not problems
    words = [w for term in terms for w in term.forbidden]
    lines = texts(random.Random(f"{SEED}{lang}"), words, 3000)
    slow, fast = reference_terminology(terms, lines), fast_terminology(terms, lines)
    assert fast == slow
    assert len(slow) > 300  # the generated lines do hold forbidden words


def test_terminology_check_reports_the_same_problems_in_the_same_order(tmp_path):
    """The whole check over a content folder against the check word by word."""
    rng = random.Random(SEED)
    content = tmp_path / "content"
    (content / "data").mkdir(parents=True)
    for lang in ("en", "es"):
        (content / "data" / f"terminology.{lang}.toml").write_text(
            (ROOT / "content" / "data" / f"terminology.{lang}.toml").read_text("utf-8"), "utf-8")
    terms = {lang: terminology.load_terms(content / "data" / f"terminology.{lang}.toml", "x")[0] for lang in ("en", "es")}
    words = [w for found in terms.values() for term in found for w in term.forbidden]
    for number in range(30):
        body = "\n".join(texts(rng, words, 20)).replace("\n\n", "\n")
        suffix = ".es.md" if number % 2 else ".md"
        (content / f"page-{number}{suffix}").write_text(f"Title: Page {number}\n\n{body}\n", "utf-8")
    label = str
    fast = terminology.check(content, tmp_path / "theme", ("en", "es"), label)
    slow, seen = [], set()
    for path, lang, lines in terminology.texts(content, tmp_path / "theme", ("en", "es")):
        for number, line in lines:
            for term in terms[lang]:
                for pattern in term.patterns:
                    for match in pattern.finditer(line):
                        problem = (f"{label(str(path))}: line {number}: '{match.group(0)}' is not the word "
                                   f"this site uses; write '{term.preferred}' ({term.note})")
                        if problem not in seen:
                            seen.add(problem)
                            slow.append(problem)
    assert fast == slow and len(slow) > 100


def test_markup_is_left_out_of_a_line_as_before():
    """A substitution is skipped on a line without the characters its every match holds."""
    rng = random.Random(SEED + 8)
    pieces = ["[@smith2020]", "[@a; @b]", "[link](https://x.org)", "](", "{#id}", "{#", 'href="x"',
              'class="a b"', '="', "[[clinic-contact]]", "[[", "]]", "[", "]", "(", ")", "GP", " ", "@", "#"]
    lines = ["".join(rng.choice(pieces) for _ in range(rng.randrange(0, 8))) for _ in range(3000)]
    page = "Title: x\n\n" + "\n".join(lines)
    expected = []
    for number, line in enumerate(page.splitlines(), 1):
        if number > 2 and not line.lstrip().startswith("<!--"):
            for pattern in (terminology.CITATION, terminology.LINK_TARGET, terminology.HEADING_ID,
                            terminology.HTML_ATTRIBUTE, terminology.DIRECTIVE):
                line = pattern.sub(" ", line)
            expected.append((number, line))
    assert [line for line in terminology._markdown_lines(page) if line[0] > 2] == expected


# --- wording ---------------------------------------------------------------------------------

PHRASES = [
    "cures", "cure-all", "guaranteed", "miracle", "risk-free", "risk free", "free of any risks",
    "no side effects", "zero risks at all", "very effective", "100% effective", "clinically proven",
    "proven", "breakthrough", "game changer", "completely safe", "100 per cent safe", "FDA-approved",
    "FDA approved", "approved by the FDA", "approved by the US Food and Drug Administration",
    "FDA has fully approved", "cura garantizada", "curan", "curó", "garantía", "garantizados",
    "milagroso", "sin riesgos", "libre de todo riesgo", "sin ningún efecto secundario",
    "sin complicaciones", "tratamiento curativo", "100 % seguro", "totalmente segura",
    "cien por ciento eficaz", "aprobado por la FDA", "la FDA ha aprobado", "clínicamente probado",
    "está demostrado", "muy eficaz", "revolucionario", "no doubt", "not", "nothing cures like",
]


def reference_overclaims(text: str, language: str = "en") -> list[tuple[str, str, str]]:
    """One language's check as it was written before: every table applied to every text,
    every sentence searched. (It cannot see a phrase that holds a sentence's full stop, "approved
    by the U.S. FDA": the phrases above hold none; test_a_phrase_across_a_full_stop_is_judged_
    in_both_sentences has those.)"""
    compiled = wording._COMPILED.get(language, wording._COMPILED["en"])
    text = wording.normalise(text)
    lower = text.lower()
    written = (lower if len(lower) == len(text) else text).translate(wording.ACCENTS)
    matcher = compiled.any if len(lower) == len(text) else compiled.any_ignoring_case
    searched = wording.JOINING_DASH.sub("-", written.translate(wording.HYPHENS))
    if not matcher.search(searched):
        return []
    found = []
    position = 0
    for sentence in wording.SENTENCE_END.split(text):
        start = text.index(sentence, position) if sentence else position
        position = start + len(sentence)
        opening = 0
        if sentence.rstrip().endswith("?"):
            asks, opening = wording._asks(sentence)
            if asks:
                continue
        for match in matcher.finditer(searched, start, position):
            window = max(start + opening, match.start() - wording.LOOK_BACK)
            for boundary in compiled.breaks.finditer(written, window, match.start()):
                window = boundary.end()
            phrase_start, phrase_end = match.start() - start, match.end() - start
            if wording._quoted(sentence, phrase_start, phrase_end):
                continue
            negated, recent = wording._negated(searched[window : match.start()], compiled)
            if negated and wording.COMPARING_NEGATIONS.intersection(recent):
                after = written[match.end() : min(position, match.end() + wording.LOOK_BACK)]
                if clause_end := compiled.breaks.search(after):
                    after = after[: clause_end.start()]
                negated = not wording.COMPARISON.search(after)
            if negated:
                continue
            claim = compiled.language.overclaims[int(match.lastgroup[1:])]
            found.append((sentence[phrase_start:phrase_end], sentence.strip(), claim.advice))
    return found


def test_a_text_made_ready_once_is_the_text_each_language_read():
    for text in texts(random.Random(SEED), PHRASES, 3000):
        text = wording.normalise(text)
        lower = text.lower()
        written = (lower if len(lower) == len(text) else text).translate(wording.ACCENTS)
        prepared = wording._prepare(text)
        assert prepared.written == written
        assert prepared.searched == wording.JOINING_DASH.sub("-", written.translate(wording.HYPHENS))
        assert prepared.lowered == (len(lower) == len(text))
        assert wording.fold(text) == text.translate(wording.ACCENTS)


def test_one_search_for_every_language_finds_every_claim():
    rng = random.Random(SEED + 1)
    found = 0
    for text in texts(rng, PHRASES, 3000):
        slow = []
        for language in wording.LANGUAGES:
            slow += [claim for claim in reference_overclaims(text, language) if claim not in slow]
        assert wording.overclaims_in_any_language(text) == slow, text
        for language in wording.LANGUAGES:
            assert wording.overclaims(text, language) == reference_overclaims(text, language), text
        found += len(slow)
    assert found > 500


# --- typed facts -----------------------------------------------------------------------------

FACTS = [
    "555-010-0100", "555.010.0100", "(555) 010-0100", "+1 (555) 010-0100", "+44 20 7946 0000",
    "+34 912 345 678", "91 234 56 78", "(91) 234 56 78", "55 1234 5678", "020 7946 0000",
    "1-800-555-0100", "1-800-PRP-KNEE", "555-PRP-KNEE", "5550100199", "call 555-0100",
    "llame al 555 0100", "teléfono: 555-0100", "$450", "€ 1.200", "CHF 450", "USD 450", "us$ 20", "USD  450", "eur\u00a0 7", "ſek 9",
    "450 €", "450$", "450 dólares", "five hundred dollars", "quinientos dólares", "2 k $",
    "Dr. Smith", "Dra. Ana López", "Drs. Ruiz", "Prof. Ana", "Professor Jones", "Mrs Smith",
    "Ms. Lee", "Sr. Gómez", "Srta. Ana", "Lic. Ruiz", "Licda. Ana", "doctor Juan Pérez", "Profesora Ana", "Jane Smith, MD",
    "Jane Smith (MD)", "Ana Ruiz, Ph.D.", "Smith RN", "info@example.org", "a.b+c@x-y.co.uk",
]


def reference_typed_facts(text: str, settings_values: list[str]) -> list[tuple[str, str]]:
    """The typed-fact check as it was: every pattern tried at every character."""
    for value in settings_values:
        if value:
            text = text.replace(value, " ")
    text = wording.BIDI_CONTROLS.sub("", wording.normalise(text)).translate(typed_facts.DASHES)
    found = [(m.group(0), "email") for m in typed_facts.EMAIL.finditer(text)]
    found += [(m.group(0), "phone") for m in typed_facts.PHONE.finditer(text)]
    money = [m.group(0).strip() for m in typed_facts.MONEY.finditer(text)]
    for match in typed_facts.CURRENCY_WORD.finditer(text):
        if words := typed_facts.NUMBER_WORDS_BEFORE.search(text, max(0, match.start() - typed_facts.WORDS_BEFORE), match.start()):
            money.append(text[words.start() : match.end()])
    found += [(amount, "money") for amount in money]
    for regex in (re.compile(typed_facts.TITLE_NAME.pattern.replace(
            "Doctor|doctor|Doctora|doctora|Profesor|profesor|Profesora|profesora",
            "[Dd]octor|[Dd]octora|[Pp]rofesor|[Pp]rofesora")), typed_facts.NAME_CREDENTIAL):
        found += [(m.group(0), "named") for m in regex.finditer(text)]
    return found


KINDS = {"e-mail": "email", "phone": "phone", "price": "money", "named": "named"}


def kind(problem: str) -> str:
    return next(short for word, short in KINDS.items() if word in problem)


def test_patterns_tried_where_a_match_can_begin_find_every_match():
    rng = random.Random(SEED + 2)
    fast = [(typed_facts.PHONE, typed_facts.PHONE_START, 0), (typed_facts.TITLE_NAME, typed_facts.TITLE_START, 0),
            (typed_facts.MONEY, typed_facts.MONEY_START, typed_facts.CODE_REACH)]
    assert typed_facts.CODE_REACH == 5  # "USD", then two spaces, then the amount's first digit
    found = 0
    for text in texts(rng, FACTS, 3000):
        for pattern, start, reach in fast:
            slow = [m.span() for m in pattern.finditer(text)]
            assert [m.span() for m in typed_facts._finditer(pattern, start, text, reach)] == slow, (pattern.pattern[:40], text)
            found += len(slow)
    assert found > 1000


def test_typed_facts_finds_the_same_facts_in_the_same_order():
    rng = random.Random(SEED + 3)
    found = 0
    for text in texts(rng, FACTS, 3000):
        values = ["555-010-0100"] if rng.random() < 0.2 else []
        slow = reference_typed_facts(text, values)
        fast = [(fact, kind(problem)) for fact, problem in typed_facts.problems(text, values)]
        assert fast == slow, text
        found += len(slow)
    assert found > 1000


def test_the_title_pattern_spelled_out_is_the_pattern_with_classes():
    """`Doctor|doctor|...` in place of `[Dd]octor|...`: the same matches."""
    with_classes = re.compile(typed_facts.TITLE_NAME.pattern.replace(
        "Doctor|doctor|Doctora|doctora|Profesor|profesor|Profesora|profesora",
        "[Dd]octor|[Dd]octora|[Pp]rofesor|[Pp]rofesora"))
    assert with_classes.pattern != typed_facts.TITLE_NAME.pattern
    for text in texts(random.Random(SEED + 4), FACTS + ["doctora", "Profesor", "profesora Ana", "Doctor Ana Ruiz"], 2000):
        assert [m.span() for m in typed_facts.TITLE_NAME.finditer(text)] == [m.span() for m in with_classes.finditer(text)]


# --- the HTML checks' hidden text --------------------------------------------------------------

def reference_hides(name: str, attributes: dict[str, str]) -> bool:
    """`hides` as it was: every attribute read for every element, each class name searched."""
    if name in html_checks.STRUCK or "hidden" in attributes or attributes.get("aria-hidden", "").strip().lower() == "true":
        return True
    if attributes.get("display", "").strip().lower() == "none" or attributes.get("visibility", "").strip().lower() in ("hidden", "collapse"):
        return True
    style = attributes.get("style", "").lower().replace(" ", "")
    if any(rule in style for rule in ("display:none", "visibility:hidden", "opacity:0", "font-size:0")):
        return True
    if any(attributes.get(name, "").strip() in ("0", "0.0", "0px", "0%") for name in ("opacity", "fill-opacity", "font-size")):
        return True
    if attributes.get("fill", "").strip().lower() in ("none", "transparent") or "scale(0" in attributes.get("transform", "").replace(" ", ""):
        return True
    return any(html_checks.HIDING_CLASS.search(token) for token in attributes.get("class", "").split())


def test_hidden_content_is_found_as_before():
    rng = random.Random(SEED + 5)
    names = ["p", "span", "del", "s", "strike", "text", "div", "g"]
    values = {
        "hidden": ["", "hidden"], "aria-hidden": ["true", " TRUE ", "false", ""],
        "display": ["none", " None", "block"], "visibility": ["hidden", "collapse", "visible"],
        "style": ["display: none", "color:red", "opacity:0", "font-size : 0", ""],
        "opacity": ["0", "0.0", "1", " 0px "], "fill-opacity": ["0%", "0.5"], "font-size": ["0", "12"],
        "fill": ["none", "transparent", "red"], "transform": ["scale(0)", "scale( 0.5)", "rotate(3)"],
        "class": ["sr-only", "a b", "visually-hidden", "hide", "unhide", "x\u00a0offscreen", "clipart",
                  "HIDDEN", "", "grid  box", "a\thidden", "show"],
        "id": ["x"], "href": ["#a"], "title": ["t"],
    }
    hidden = 0
    for _ in range(5000):
        attributes = {key: rng.choice(values[key]) for key in rng.sample(sorted(values), rng.randrange(0, 4))}
        name = rng.choice(names)
        assert html_checks.hides(name, attributes) == reference_hides(name, attributes), (name, attributes)
        hidden += reference_hides(name, attributes)
    assert 1000 < hidden < 4500


# --- reading grades ----------------------------------------------------------------------------

def test_syllables_counted_once_a_word_sum_as_every_word_counted():
    rng = random.Random(SEED + 6)
    vocabulary = ["plasma", "rodilla", "tratamiento", "inyección", "the", "platelet", "injection",
                  "knee", "zzqx", "médico", "a", "osteoarthritis", "exosomas"]
    spanish = readability._hyphenation(readability.SPANISH)
    for _ in range(200):
        found = [rng.choice(vocabulary) for _ in range(rng.randrange(0, 60))]
        assert readability._spanish_syllables(found) == sum(len(spanish.positions(w)) + 1 for w in found)
        table = syllables.table()
        english = readability._hyphenation(readability.ENGLISH)
        expected = sum(table.count(w) if table.count(w) >= 0 else len(english.positions(w)) + 1 for w in found)
        assert readability._english_syllables(found) == expected


def test_the_split_keeps_the_url_rules_importable_from_html_checks():
    from medical_content.rules import html_urls

    assert html_checks.link_problem is html_urls.link_problem
    assert html_checks.url_problem is html_urls.url_problem
    assert html_checks.SCHEME is html_urls.SCHEME
    assert all(len(path.read_text("utf-8").splitlines()) <= 400
               for path in (Path(html_checks.__file__), Path(html_urls.__file__)))


def test_a_url_without_control_characters_or_end_spaces_is_read_as_written():
    from medical_content.rules import html_urls

    rng = random.Random(SEED + 7)
    pieces = ["https://", "example.org", "/a b", "#x", "{filename}", "page.md", " ", "\t", "\n", "\r",
              "\x00", "\x1f", "\x7f", "\u00a0", "\u2028", "é", "java", "script:", "%20"]
    for _ in range(5000):
        value = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 6)))
        assert html_urls.normalised_url(value) == html_urls.URL_DROP.sub("", html_urls.URL_TRIM.sub("", value)), repr(value)


@pytest.mark.parametrize("text, expected", [
    ("PRP is approved by the U.S. FDA for knee pain.", ["approved by the U.S. FDA"]),
    ("It is approved by the u.s. Food and Drug Administration.", ["approved by the u.s. Food and Drug Administration"]),
    ("Is PRP approved by the U.S. FDA?", []),
    ("PRP is not approved by the U.S. FDA.", []),
    ("PRP is approved by the U.S. FDA. Is it safe?", ["approved by the U.S. FDA"]),
    # "U.S." may end a sentence: the next one is read on its own
    ("PRP is a miracle cure, available across the U.S. What are the risks?", ["miracle", "cure"]),
    ("PRP is a miracle cure, available across the U.S. Is it right for you?", ["miracle", "cure"]),
    ("Made in the U.S. Isn't PRP a miracle?", ["miracle"]),
    ("Sold across the U.S. Is PRP a miracle?", []),
], ids=["claim", "lower case", "question", "denied", "claim then question", "then a question",
        "then a yes-no question", "then a rhetorical question", "then a real question"])
def test_a_phrase_across_a_full_stop_is_judged_in_both_sentences(text, expected):
    assert [found for found, _, _ in wording.overclaims_in_any_language(text)] == expected
