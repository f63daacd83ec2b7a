"""The structure of an option grid, content/data/option-grids/<slug>.toml (`Grid`), and of its
translation, <slug>.<lang>.toml (`GridText`), as pydantic models (see models.py for the
other data files, structure.py for how their errors are told). The rules across fields,
options and files are in option_grids.py and option_grids_i18n.py.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from ..i18n.interface import N_
from .models import Strict, Text

# The rows: the questions patients ask, in the order they are shown (interface text: the
# theme's catalogs translate them).
QUESTIONS = {
    "involves": N_("What does it involve?"),
    "works": N_("How well does it work?"),
    "timing": N_("How soon does it help, and how long does it last?"),
    "risks": N_("What are the main risks?"),
    "visits": N_("How many visits?"),
    "guidance": N_("What do guideline bodies and regulators say?"),
}
# What kind of option each column is; the grid must offer the first three kinds.
KINDS = {
    "prp": "PRP",
    "none": "no treatment, or no new treatment",
    "first-step": "the usual first step, or no new treatment",
    "alternative": "another usual treatment",
    "exosomes": "exosome products",
}
ICON_ARRAY_SIZE = 100

Question = Annotated[Literal[tuple(QUESTIONS)], Field(title="a question of the grid")]
Answer = Annotated[str, Field(pattern=r"\S", description="write a short answer with its source [@key]")]
Count = Annotated[int, Field(ge=0, le=ICON_ARRAY_SIZE, title=f"a whole number from 0 to {ICON_ARRAY_SIZE}",
                            description=f"give how many people in {ICON_ARRAY_SIZE} the array draws")]


class IconArray(Strict):
    """numbers = [{ question = "risks", count = 65, says = "had pain" }]: 65 in 100 people drawn."""

    question: Question
    count: Count
    says: Text = Field(description="say what happened to those people, in words, e.g. says = \"had pain\"")
    approx: bool = False  # we turned a source's count into "in 100": the caption says "About"
    alone: bool = False  # the study had no comparison group: the caption says so


class Urgent(Strict):
    model_config = ConfigDict(title='urgent = { title = "Call 911 ... if you have", signs = ["a sign [@key]", ...] }')
    title: Text
    signs: list[Text] = Field(min_length=1, description='each sign with its source, e.g. "a sign [@key]"')


class Option(Strict):
    id: Text
    name: Text
    kind: Literal[tuple(KINDS)]
    numbers: list[IconArray] = []
    uncited: list[Question] = Field([], title="a question of the grid", description="the questions whose answers state nothing from a source")
    involves: Answer
    works: Answer
    timing: Answer
    risks: Answer
    visits: Answer
    guidance: Answer


class SeriousRisk(Strict):
    """[[serious_risk]] words = "stroke", options = ["fillers", "prp"]"""

    words: Text = Field(description='the risk in words, e.g. words = "stroke"')
    options: list[Text] = Field(min_length=1, description='the ids of the options that carry it, e.g. options = ["prp"]')


class Grid(Strict):
    title: Text
    page: Text = Field(description="the condition page's file under content/")
    checked: datetime.date = Field(description="the day the evidence was checked, e.g. checked = 2026-11-26")
    intro: str = ""
    values: list[Text] = Field(min_length=3, max_length=8,
                               description="'What matters most to you?' statements, as a list of text")
    option: list[Option] = []
    serious_risk: list[SeriousRisk] = []
    urgent: Urgent | None = None


# --- A translation: the same fields, but `page` and each option's `kind`, which stay in the
# English file, the one place they live; a serious risk gives only its words.
class OptionText(Strict):
    id: Text
    name: Text = Field(description="translate the English one")
    numbers: list[IconArray] = []
    involves: Answer
    works: Answer
    timing: Answer
    risks: Answer
    visits: Answer
    guidance: Answer


class SeriousRiskText(Strict):
    words: Text = Field(description="the English grid's serious risk, translated")


class GridText(Strict):
    title: Text
    checked: datetime.date = Field(description="the English grid's date")
    intro: str = ""
    values: list[Text] = Field(description="the English grid's statements, translated")
    option: list[OptionText] = []
    serious_risk: list[SeriousRiskText] = []
    urgent: Urgent | None = None
