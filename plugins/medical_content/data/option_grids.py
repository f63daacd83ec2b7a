"""Option grids: decision aids that set PRP side by side with the usual alternatives.

One TOML file per grid in content/data/option-grids/<slug>.toml (the slug is the file name).
A condition page places its grid with `[[option-grid: <slug>]]`; the theme's macro in
theme/templates/components/option-grid.html draws it, and each grid also gets a printable
page of its own at compare/<slug>/ (see OptionGridPages).

The rules every grid must pass, each problem named by file, option and question:
- the options: PRP, a "no treatment" or "no new treatment" column (kind "none"), and at
  least two alternatives to PRP in all;
- a fair picture (the same format for every option in a row): where a row draws any icon
  array, every "N in 100" an option gives in that row is drawn, and an option drawn alone
  (one array in the row) is the "none" column, or is marked `alone = true` (its study had
  no comparison group: the caption says so);
- every serious risk the grid names in [[serious_risk]] (e.g. "stroke" for every face
  injection) is said in the risks answer of each option it lists;
- an answer that makes no claim from a source (e.g. "No visits are needed.") may go
  uncited only when the option lists the question in `uncited`, and then has no number;
- `urgent` (optional): title and signs (each cited) of the urgent-help box the printable
  sheet carries, as the condition page's box does: a sheet on paper keeps the warning;
- every option answers every question, in at most ANSWER_MAX_WORDS words, and cites its
  source as [@key] from the bibliography;
- no overclaiming words (wording.py) and each option's answers read at US grade 8 or below;
- a number drawn as an icon array is 0 to 100 and is said in words, "N in 100", in the
  answer it belongs to; every "N in M" in one row uses the same M.

Each grid has a version in each other site language beside it, <slug>.<lang>.toml (e.g.
knee-osteoarthritis.es.toml): the same ids with the text translated; its rules are in
option_grids_i18n.py. The structure of both files (fields, types, the questions and kinds of
option) is in grid_models.py; the rules here. The question texts are interface text (theme catalogs).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from ..pages import markup
from ..rules import readability
from ..rules import schema
from ..rules import wording
from . import grid_models
from .evidence_glossary import read_toml
from .grid_models import ICON_ARRAY_SIZE, QUESTIONS
from .structure import check

ALTERNATIVES_MIN = 2  # options other than PRP and exosomes, the first step among them
ANSWER_MAX_WORDS = 45  # a grid cell, not a paragraph
FREQUENCY = re.compile(r"\b(\d+) in (\d+)\b")
DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class IconArray:
    """`count` in 100 people, drawn as 100 figures with `count` filled in."""

    question: str
    count: int
    says: str  # what happened to them, e.g. "had a side effect after PRP"
    approx: bool = False  # we turned a source's count into "in 100": the caption says "About"
    alone: bool = False  # the study had no comparison group: the caption says so

    @property
    def words(self) -> str:
        about = "about " if self.approx else ""
        return f"{about}{self.count} in {ICON_ARRAY_SIZE} people {self.says}"

    @property
    def filled(self) -> list[tuple[str, int, int]]:
        return _figures(0, self.count)

    @property
    def outlined(self) -> list[tuple[str, int, int]]:
        return _figures(self.count, ICON_ARRAY_SIZE)


def _figures(first: int, last: int) -> list[tuple[str, int, int]]:
    """Figures first..last-1 of a 10 by 10 array as ("row", x, y), a row of ten, and ("one",
    x, y), a single figure, in drawing units of 10 per figure. A row's first or last few
    figures are one row moved sideways, so that only they fall inside the drawing (an SVG
    shows nothing outside its viewBox): one element where up to nine single figures were."""
    drawn, i = [], first
    while i < last:
        row, column = i - i % 10, i % 10
        end = min(last, row + 10)  # this row's figures are i..end-1
        if column == 0 or end == row + 10:
            # moved left by the figures it leaves out at its end, or right by those before it
            drawn.append(("row", (end - row - 10) * 10 if column == 0 else column * 10, row))
            i = end
        else:  # a run inside a row, touching neither end: figure by figure
            drawn.append(("one", column * 10, row))
            i += 1
    return drawn


@dataclass(frozen=True)
class Option:
    id: str
    name: str
    kind: str
    answers: dict[str, str]  # question key -> answer, with [@key] citations
    numbers: tuple[IconArray, ...]
    uncited: tuple[str, ...] = ()  # questions whose answers state no sourced claim

    def arrays_for(self, question: str) -> list[IconArray]:
        return [n for n in self.numbers if n.question == question]


@dataclass(frozen=True)
class Grid:
    slug: str
    title: str
    page: str  # the condition page's file under content/
    checked: datetime.date  # the day the evidence was last checked
    intro: str
    values: tuple[str, ...]  # "What matters most to you?" statements
    options: tuple[Option, ...]
    source: str  # the data file, under content/
    lang: str = "en"  # the language its text is written in
    serious_risks: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (words, option ids)
    urgent: tuple[str, tuple[str, ...]] | None = None  # (title, signs) of the sheet's urgent box

    @property
    def questions(self) -> list[tuple[str, str]]:
        return list(QUESTIONS.items())

    @property
    def array_groups(self) -> list[tuple[str, str, list[IconArray]]]:
        """The icon arrays by option and question: (option name, question, arrays); the
        template translates the question."""
        groups = []
        for option in self.options:
            for key, question in QUESTIONS.items():
                if arrays := option.arrays_for(key):
                    groups.append((option.name, question, arrays))
        return groups

    @property
    def checked_words(self) -> str:
        """26 November 2026 (26 de noviembre de 2026), as the theme's long_date filter writes dates."""
        from ..i18n.interface import long_date_in

        return long_date_in(self.checked, self.lang)


def load_all(folder: Path, references, label) -> tuple[dict[str, Grid], list[str]]:
    """Every grid in `folder`, and every problem found, as `file: place: problem; fix`.
    `label(path)` names a file the way the build's messages do."""
    grids, problems = {}, []
    if not folder.is_dir():
        return grids, problems
    for path in sorted(folder.glob("*.toml")):
        if "." in path.stem:
            continue  # a translation, <slug>.<lang>.toml: option_grids_i18n.py reads it
        grid, found = load(path, references, label(str(path)))
        problems += found
        if grid is not None and not found:
            grids[grid.slug] = grid
    return grids, problems


def place(loc: tuple, data: dict):
    """How messages name a place in a grid or its translation: option 'prp', question
    'risks' (What are the main risks?), serious_risk 2, 'urgent' (see structure.py)."""
    head = loc[0] if loc else ""
    if head == "option" and len(loc) >= 2 and isinstance(loc[1], int):
        entry = data["option"][loc[1]]
        own = entry.get("id") if isinstance(entry, dict) else None
        where = f"option '{own if isinstance(own, str) and own.strip() else loc[1] + 1}'"
        if len(loc) >= 3 and loc[2] in QUESTIONS:
            return f"{where}, question '{loc[2]}' ({QUESTIONS[loc[2]]})", 3, "the answer"
        if len(loc) >= 5 and loc[2] == "numbers" and isinstance(loc[3], int):
            array = entry["numbers"][loc[3]]
            question = array.get("question") if isinstance(array, dict) else None
            return (f"{where}, question '{question}'" if question in QUESTIONS else f"{where}, numbers"), 4
        return where, 2
    if head == "serious_risk" and len(loc) >= 2 and isinstance(loc[1], int):
        return f"serious_risk {loc[1] + 1}", 2
    return ("'urgent'", 1) if head == "urgent" and len(loc) >= 2 else ("", 0)


def load(path: Path, references, name: str) -> tuple[Grid | None, list[str]]:
    data, unreadable = read_toml(path, name)
    if data is None:
        return None, unreadable
    raw, problems = check(grid_models.Grid, data, name, place)
    if raw is None:
        return None, problems  # the rules below need the structure right

    def add(place: str, problem: str) -> None:
        problems.append(f"{name}: {place}: {problem}")

    options = [_option(entry, references, add) for entry in raw.option]
    _check_options(options, add)
    _check_rows(options, add)
    _check_pictures(options, add)
    serious = _serious_risks(raw.serious_risk, options, add)
    urgent = urgent_box(raw.urgent, references, add)
    if problems:
        return None, problems
    return Grid(
        slug=path.stem, title=raw.title, page=raw.page, checked=raw.checked,
        intro=raw.intro, values=tuple(raw.values), options=tuple(options),
        source=f"data/option-grids/{path.name}", serious_risks=serious, urgent=urgent,
    ), problems


def _option(entry: grid_models.Option, references, add) -> Option:
    where = f"option '{entry.id}'"
    answers = {}
    for key, question in QUESTIONS.items():
        place = f"{where}, question '{key}' ({question})"
        answer = " ".join(getattr(entry, key).split())
        answers[key] = answer
        cited = markup.cited_keys(answer)
        if key in entry.uncited:
            if cited or DIGIT.search(answer):
                add(place, "is listed in 'uncited', so it states no sourced fact: no [@key] and no number; "
                           "cite the source and take the question out of 'uncited'")
        elif not cited:
            add(place, "the answer cites no source; add [@key] from content/data/references.toml, "
                       "or, if it states nothing from a source, list the question in 'uncited'")
        for key_ in cited:
            if key_ not in references:
                add(place, f"'{key_}' is not in content/data/references.toml; add it or correct the key")
        words = len(markup.CITATION.sub("", answer).split())
        if words > ANSWER_MAX_WORDS:
            add(place, f"the answer is {words} words; shorten it to {ANSWER_MAX_WORDS} or fewer")
        for phrase, sentence, advice in wording.overclaims_in_any_language(markup.CITATION.sub("", answer)):
            add(place, f"wording '{phrase}': overclaims in \"{sentence}\"; {advice}")
    numbers = [_icon_array(raw, where, answers, add) for raw in entry.numbers]
    return Option(entry.id, entry.name, entry.kind, answers, tuple(n for n in numbers if n), tuple(entry.uncited))


def _icon_array(raw: grid_models.IconArray, where: str, answers: dict[str, str], add) -> IconArray | None:
    question, count = raw.question, raw.count
    place = f"{where}, question '{question}'"
    if f"{count} in {ICON_ARRAY_SIZE}" not in answers[question]:
        add(place, f"the icon array draws {count} in {ICON_ARRAY_SIZE}, but the answer does not say "
                   f"'{count} in {ICON_ARRAY_SIZE}'; give the same number in words")
        return None
    if raw.approx and f"about {count} in {ICON_ARRAY_SIZE}" not in answers[question].lower():
        add(place, f"the icon array is marked approx, but the answer does not say "
                   f"'about {count} in {ICON_ARRAY_SIZE}'; say 'about' in the answer too")
        return None
    return IconArray(question, count, raw.says.strip(), raw.approx, raw.alone)


def _check_options(options: list[Option], add) -> None:
    kinds = [o.kind for o in options]
    if "prp" not in kinds:
        add("options", "there is no PRP option; add one with kind = \"prp\"")
    if "none" not in kinds:
        add("options", "there is no 'no treatment' or 'no new treatment' option; add one with kind = \"none\"")
    alternatives = sum(k in ("none", "first-step", "alternative") for k in kinds)
    if alternatives < ALTERNATIVES_MIN:
        add("options", f"there are {alternatives} alternatives to PRP; give at least {ALTERNATIVES_MIN}, the first step among them")
    seen = set()
    for option in options:
        if option.id in seen:
            add(f"option '{option.id}'", "the id is used twice; give each option its own id")
        seen.add(option.id)


def reading_problems(grid: Grid, name: str) -> list[str]:
    """Each option's answers together, held to the pages' reading grade. Apart from `load`,
    as a page's grade is apart from reading it: the build works it out where it works its
    pages (workers.py), so the pronouncing dictionary is loaded there, not in the build's
    own process."""
    problems = []
    for option in grid.options:
        if len(option.answers) == len(QUESTIONS):
            text = " ".join(_sentence(markup.CITATION.sub("", a)) for a in option.answers.values())
            grade = readability.grade(text)
            if grade > schema.READING_GRADE_MAX:
                hardest = max(option.answers,
                              key=lambda k: readability.grade(_sentence(markup.CITATION.sub("", option.answers[k]))))
                problems.append(f"{name}: option '{option.id}': the answers read at US grade {grade}, above "
                                f"{schema.READING_GRADE_MAX:g}; use shorter sentences and everyday words "
                                f"(hardest: question '{hardest}')")
    return problems


def _check_rows(options: list[Option], add) -> None:
    """One denominator per row, so a reader compares like with like."""
    for key in QUESTIONS:
        denominators = {}
        for option in options:
            for _count, of in FREQUENCY.findall(option.answers.get(key, "")):
                denominators.setdefault(of, option.id)
        if len(denominators) > 1:
            found = ", ".join(f"'in {d}' (option '{o}')" for d, o in denominators.items())
            add(f"question '{key}'", f"the row mixes denominators: {found}; give every option's numbers out of the same number")


def _check_pictures(options: list[Option], add) -> None:
    """The same format for every option in a row: once a row has pictures, every number an
    option gives there "in 100" is drawn, and each option is drawn beside its own comparison."""
    for key in QUESTIONS:
        if not any(o.arrays_for(key) for o in options):
            continue
        for option in options:
            drawn = [a.count for a in option.arrays_for(key)]
            said = [int(n) for n, of in FREQUENCY.findall(option.answers.get(key, "")) if of == str(ICON_ARRAY_SIZE)]
            for count in said:
                if count not in drawn:
                    add(f"option '{option.id}', question '{key}'", f"the answer gives {count} in {ICON_ARRAY_SIZE} but draws "
                        f"no icon array for it, while other options in this row are drawn; add one to 'numbers' "
                        f"(with 'says' naming the outcome), so every option is shown the same way")
            if len(drawn) == 1 and option.kind != "none" and not option.arrays_for(key)[0].alone:
                add(f"option '{option.id}', question '{key}'", f"draws {drawn[0]} in {ICON_ARRAY_SIZE} with nothing to compare "
                    "it with; draw its comparison group too (e.g. the placebo group of the same trial), or, "
                    "if the study had none, mark the array alone = true")


def _serious_risks(raw: list[grid_models.SeriousRisk], options: list[Option], add) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """[[serious_risk]] words = "stroke", options = ["fillers", "prp"]: each listed option's risks
    answer names it, so no option looks safer than another with the same danger."""
    found, ids = [], {o.id: o for o in options}
    for entry in raw:
        words = entry.words.strip()
        for option_id in entry.options:
            if option_id not in ids:
                add(f"serious_risk '{words}'", f"option '{option_id}' is not in this grid; use an option id")
            elif words.lower() not in ids[option_id].answers.get("risks", "").lower():
                add(f"option '{option_id}', question 'risks'", f"does not name the serious risk '{words}', which this "
                    "grid names for it; say it in the risks answer, as for the other options that carry it")
        found.append((words, tuple(entry.options)))
    return tuple(found)


def urgent_box(raw: grid_models.Urgent | None, references, add, lang: str = "en"):
    """`urgent = { title = "...", signs = ["... [@key]", ...] }`: (title, signs), or None."""
    if raw is None:
        return None
    for number, sign in enumerate(raw.signs, 1):
        cited = markup.cited_keys(sign)
        if not cited:
            add(f"'urgent', sign {number}", "cites no source; add [@key]")
        for key in cited:
            if references is not None and key not in references:
                add(f"'urgent', sign {number}", f"'{key}' is not in content/data/references.toml")
    for text in (raw.title, *raw.signs):
        for phrase, sentence, advice in wording.overclaims(markup.CITATION.sub("", text), lang):
            add("'urgent'", f"wording '{phrase}': overclaims in \"{sentence}\"; {advice}")
    return raw.title.strip(), tuple(s.strip() for s in raw.signs)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."

