"""Option grids in the site's other languages: content/data/option-grids/<slug>.<lang>.toml.

A translation is a full parallel file, simplest for an editor: the English file with its text
translated. It has the same fields (title, checked, intro, values, and one [[option]] per
English option with the same id, name, every question and the same `numbers`), except
`page` and `kind`, which stay in the English file, the one place they live.

Checked against the English grid, each problem named by file, option and question:
- the same options (same ids, same order) and every question answered;
- each answer cites the same [@keys] in the same order as the English answer;
- each answer gives the same numbers as the English one (27.6 may be written 27,6), and
  every icon array draws the English count and is said in words in the answer, in that
  language's way ("65 de cada 100");
- the same `checked` date; the same number of `values`;
- one [[serious_risk]] words = "..." for each of the English grid's, in its order, each said
  in the risks answer of every option the English grid lists for it;
- the language's overclaim list (wording.py), answers at most ANSWER_MAX_WORDS[lang] words,
  and, for Spanish, each option's answers together read at INFLESZ 65 or above (as the
  English grid's option answers are held to US grade 8).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..pages import markup
from ..rules import readability
from ..rules import schema
from ..rules import wording
from . import grid_models
from .evidence_glossary import localized, read_toml
from .option_grids import QUESTIONS, Grid, IconArray, Option, _sentence, place
from .structure import check

# "N in 100" in each language: what an icon array's answer must say.
FREQUENCY_WORDS = {"es": "{count} de cada {of}"}
# Spanish takes about a fifth more words than English to say the same thing.
ANSWER_MAX_WORDS = {"es": 55}
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def translation_path(folder: Path, slug: str, lang: str) -> Path:
    return folder / f"{slug}.{lang}.toml"


def load_all(folder: Path, grids: dict[str, Grid], languages, default: str, label):
    """{lang: {slug: Grid}} of every translation in `folder` that passes, and every problem."""
    found: dict[str, dict[str, Grid]] = {lang: {} for lang in languages if lang != default}
    problems: list[str] = []
    if not folder.is_dir():
        return found, problems
    for path in sorted(folder.glob("*.*.toml")):
        slug, _, lang = path.stem.rpartition(".")
        name = label(str(path))
        if lang not in found:
            known = ", ".join(found) or "none"
            problems.append(f"{name}: '{lang}' is not another language of the site ({known}); "
                            f"name the file <slug>.<language>.toml")
            continue
        original = grids.get(slug)
        if original is None:
            if not (folder / f"{slug}.toml").is_file():
                problems.append(f"{name}: there is no English grid {slug}.toml to translate; "
                                "name the file after an English grid")
            continue  # else the English grid's own problems are reported already
        grid, trouble = load(path, original, lang, name)
        problems += trouble
        if grid is not None:
            found[lang][slug] = grid
    return found, problems


def load(path: Path, original: Grid, lang: str, name: str) -> tuple[Grid | None, list[str]]:
    data, unreadable = read_toml(path, name)
    if data is None:
        return None, unreadable
    english = f"{original.source.removeprefix('data/option-grids/')}"
    raw, problems = check(grid_models.GridText, data, name, place)
    if raw is None:
        return None, problems  # the comparison below needs the structure right

    def add(place: str, problem: str) -> None:
        problems.append(f"{name}: {place}: {problem}")

    if original.intro and not raw.intro.strip():
        add("'intro'", f"is missing; translate the intro of {english}")
    if raw.checked != original.checked:
        add("'checked'", f"is {raw.checked}, not the date of {english} ({original.checked.isoformat()}); "
                         "translate the grid again when its evidence is re-checked")
    if len(raw.values) != len(original.values):
        add("'values'", f"give the {len(original.values)} statements of {english}, translated, as a list of strings")

    by_id = {e.id: e for e in raw.option}
    english_ids = [o.id for o in original.options]
    for option_id in by_id:
        if option_id not in english_ids:
            add(f"option '{option_id}'", f"is not an option of {english}; use the English ids")
    if [i for i in by_id if i in english_ids] != [i for i in english_ids if i in by_id]:
        add("options", f"give the options in the order of {english}")
    options = []
    for english_option in original.options:
        entry = by_id.get(english_option.id)
        if entry is None:
            add(f"option '{english_option.id}'", f"is missing; translate the option '{english_option.id}' of {english}")
            continue
        option = _option(entry, english_option, lang, english, add)
        if option is not None:
            options.append(option)
    serious = _serious_risks(raw.serious_risk, original, options, english, add)
    urgent = _urgent(raw.urgent, original, english, lang, add)
    if problems:
        return None, problems
    return Grid(
        slug=original.slug, title=raw.title, page=localized(original.page, lang),
        checked=original.checked, intro=raw.intro, values=tuple(raw.values),
        options=tuple(options), source=f"data/option-grids/{path.name}", lang=lang,
        serious_risks=serious, urgent=urgent,
    ), problems


def _urgent(raw, original: Grid, english: str, lang: str, add):
    """The English grid's urgent box, translated: the same signs citing the same sources."""
    from .option_grids import urgent_box

    if original.urgent is None:
        if raw is not None:
            add("'urgent'", f"{english} has no urgent box; remove it here")
        return None
    if raw is None:
        add("'urgent'", f"is missing; translate the urgent box of {english}")
        return None
    box = urgent_box(raw, None, add, lang)
    if box is None:
        return None
    if [markup.cited_keys(s) for s in box[1]] != [markup.cited_keys(s) for s in original.urgent[1]]:
        add("'urgent'", f"give the signs of {english}, in its order, citing the same sources")
    return box


def _serious_risks(raw: list[grid_models.SeriousRiskText], original: Grid, options: list[Option], english: str, add):
    """The English grid's serious risks in this language, each named where the English names it."""
    words = [e.words.strip() for e in raw]
    if len(words) != len(original.serious_risks):
        add("serious_risk", f"give one [[serious_risk]] words = \"...\" for each of the {len(original.serious_risks)} "
                            f"in {english}, in its order, translated")
        return ()
    by_id = {o.id: o for o in options}
    for said, (english_words, listed) in zip(words, original.serious_risks):
        for option_id in listed:
            option = by_id.get(option_id)
            if option is not None and said.lower() not in option.answers.get("risks", "").lower():
                add(f"option '{option_id}', question 'risks'", f"does not name the serious risk '{said}' "
                    f"('{english_words}' in {english}); say it in the risks answer")
    return tuple(zip(words, (listed for _w, listed in original.serious_risks)))


def _option(entry: grid_models.OptionText, english_option: Option, lang: str, english: str, add) -> Option | None:
    where = f"option '{english_option.id}'"
    answers = {}
    limit = ANSWER_MAX_WORDS.get(lang, 55)
    for key, question in QUESTIONS.items():
        place = f"{where}, question '{key}' ({question})"
        answer = " ".join(getattr(entry, key).split())
        source = english_option.answers[key]
        answers[key] = answer
        if markup.cited_keys(answer) != markup.cited_keys(source):
            add(place, f"cites {_shown(markup.cited_keys(answer))}, but the English answer cites {_shown(markup.cited_keys(source))}; "
                       "cite the same sources in the same order")
        text = markup.CITATION.sub("", answer)
        said, english_said = _numbers(text), _numbers(markup.CITATION.sub("", source))
        if said != english_said:
            add(place, f"gives the numbers {_shown(said, '')}, but the English answer gives "
                       f"{_shown(english_said, '')}; give the same numbers")
        words = len(text.split())
        if words > limit:
            add(place, f"the answer is {words} words; shorten it to {limit} or fewer")
        for phrase, sentence, advice in wording.overclaims_in_any_language(text):
            add(place, f"wording '{phrase}': overclaims in \"{sentence}\"; {advice}")
    drawn = [(a.question, a.count) for a in entry.numbers]
    english_drawn = [(n.question, n.count) for n in english_option.numbers]
    if drawn != english_drawn:
        add(f"{where}, numbers", f"draws {_arrays(drawn)}, but {english} draws {_arrays(english_drawn)}; "
                                 "give the same icon arrays in the same order, with 'says' translated")
        return None
    numbers = []
    for raw, english_array in zip(entry.numbers, english_option.numbers):
        place = f"{where}, question '{english_array.question}'"
        words = FREQUENCY_WORDS.get(lang, "{count} in {of}").format(count=english_array.count, of=100)
        if not re.search(rf"(?<!\d){re.escape(words)}\b", answers.get(english_array.question, "")):
            add(place, f"the icon array draws {english_array.count} in 100, but the answer does not say "
                       f"'{words}'; give the same number in words")
        if raw.approx != english_array.approx:
            add(place, f"'approx' is {raw.approx!r} here but {english_array.approx!r} in {english}; "
                       "mark the same icon arrays as approximate in both languages")
            continue
        numbers.append(IconArray(english_array.question, english_array.count, raw.says.strip(), english_array.approx,
                                 english_array.alone))
    return Option(english_option.id, entry.name, english_option.kind, answers, tuple(numbers),
                  english_option.uncited)


def reading_problems(grid: Grid, name: str) -> list[str]:
    """A Spanish grid's options' answers, each option's together, held to the Spanish pages'
    reading ease, as the English ones are held to grade 8 (option_grids.reading_problems,
    which says why this is apart from `load`)."""
    if grid.lang != "es":
        return []
    problems = []
    for option in grid.options:
        if len(option.answers) != len(QUESTIONS):
            continue
        plain = {k: _sentence(markup.CITATION.sub("", a)) for k, a in option.answers.items()}
        ease = readability.inflesz(" ".join(plain.values()))
        if ease < schema.READING_EASE_MIN_ES:
            hardest = min(plain, key=lambda k: readability.inflesz(plain[k]))
            problems.append(f"{name}: option '{option.id}': the answers score {ease} on INFLESZ, below "
                            f"{schema.READING_EASE_MIN_ES:g} (\"bastante fácil\"); use shorter sentences and "
                            f"everyday words (hardest: question '{hardest}')")
    return problems


def reading_ease(grid: Grid) -> float:
    """INFLESZ of the whole grid's answers, as the build reports it."""
    return readability.inflesz(" ".join(_sentence(markup.CITATION.sub("", a))
                                        for o in grid.options for a in o.answers.values()))


def _numbers(text: str) -> list[str]:
    return sorted(n.replace(",", ".") for n in NUMBER.findall(text))


def _shown(items: list[str], prefix: str = "@") -> str:
    return "[" + ", ".join(prefix + i for i in items) + "]" if items else "none"


def _arrays(drawn) -> str:
    return ", ".join(f"{c} in 100 ('{q}')" for q, c in drawn) or "no icon arrays"

