"""The structure of each data file under content/data/ (but the option grids: grid_models.py),
as pydantic models: types (strict: a number is never taken for text, nor text for a number or
a date), required and unknown fields, the allowed values and the forms of identifiers.

A field's `title` says what its value must be and its `description` how to write it; a
model's own `title` (in its config), how one entry is written: the messages (structure.py) are
made from them. Rules across fields and files stay in the loaders.
"""

from __future__ import annotations

import datetime
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo

from .structure import NONBLANK, ONE_LINE, fail


class Strict(BaseModel):
    """A table of a data file: every field typed as written, no field the model lacks."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


Text = Annotated[str, Field(pattern=NONBLANK)]  # text that says something
Line = Annotated[str, Field(pattern=ONE_LINE)]  # one line of text that says something


# --- references.toml: {key: Reference} (bibliography.py) -------------------------------------
TOPICS = ("prp", "exosomes", "other-treatments")  # the references pages; prp is the default


def _year(value: Any) -> Any:
    if (type(value) is int and 1000 <= value <= 2100) or value == "n.d.":
        return value
    raise fail("'year' {value} is not a year; write it as a number, e.g. year = 2021 "
               "(or year = \"n.d.\" for a work without one)", value=repr(value))


# A work's identifiers, as the bibliography and its verification record write them.
Doi = Annotated[str, Field(pattern=r"^10\.\d{4,9}/\S+$", title="a DOI", description="write it as 10.xxxx/yyyy")]
Pmid = Annotated[str, Field(pattern=r"^\d{1,9}$", title="a PubMed ID", description="it is digits only")]
Pmcid = Annotated[str, Field(pattern=r"^PMC\d+$", title="a PubMed Central ID", description="write it like PMC1234567")]
HttpsUrl = Annotated[str, Field(pattern=r"^https://\S+$", title="an https:// address",
                                description="the address must start with https://")]


class Reference(Strict):
    title: Text
    year: Annotated[Any, AfterValidator(_year)]
    authors: str = ""
    journal: str = ""
    doi: Doi = ""
    pmid: Pmid = ""
    pmcid: Pmcid = ""
    url: HttpsUrl = ""
    brief: str = ""
    note: str = ""
    topic: Literal[TOPICS] = Field("prp", title="a topic of the references pages",
                                   description="leave it out for prp")
    unlinked: str = ""


# --- reference-checks.toml: {key: ReferenceCheck} (reference_checks.py) -----------------------
BRIEF_NUMBER = r"^(?:F-)?[A-Z]{1,2}\d+[a-z]?$"  # R79, R11b, EH1, EK19, F-R2
CITABLE = ("Yes", "Partly")  # the brief's verification statuses that may be cited


class ReferenceCheck(Strict):
    brief: str = Field(pattern=BRIEF_NUMBER, title="a reference number of the content brief",
                       description='write it as the brief does, e.g. brief = "R79"')
    status: Literal[CITABLE] = Field(title="a status that may be cited",
                                     description="only works the brief marks Yes or Partly may be cited")
    brief_note: Text = Field("", description="write the brief's own words")
    doi: Doi = ""
    pmid: Pmid = ""
    pmcid: Pmcid = ""
    url: HttpsUrl = ""
    how: Text = Field(description='say how the identifiers were verified, e.g. how = "compared with the content brief"')
    checked: datetime.date = Field(description="write the day they were verified without quotes, e.g. checked = 2026-11-26")


ReferenceChecks = dict[str, ReferenceCheck]


# --- evidence.toml and glossary.toml (evidence_glossary.py) -----------------------------------
class Strength(Strict):
    key: Text
    label: Text
    meaning: Text


class Finding(Strict):
    strength: Text = Field(description='a key of the [[scale]], e.g. strength = "mixed"')
    summary: Text = Field(description="one plain line")
    refs: list[Text] = Field([], description='reference keys in quotes, e.g. refs = ["bennell2021"]')


class Use(Strict):
    id: Text
    name: Text
    page: str = ""
    prp: Finding
    exosomes: Finding


class Evidence(Strict):
    scale: list[Strength] = Field(min_length=1, description="the evidence scale, one [[scale]] entry per strength")
    use: list[Use] = Field([], description="one [[use]] entry per use")


class UseText(Strict):
    """A use in another language: its name and the two one-line summaries."""

    id: Text
    name: Text
    prp: Text = Field(description="the PRP summary, translated")
    exosomes: Text = Field(description="the exosomes summary, translated")


class EvidenceText(Strict):
    scale: list[Strength] = Field([], description="one [[scale]] entry per strength, translated")
    use: list[UseText] = Field([], description="one [[use]] entry per use translated so far")


class Term(Strict):
    term: Text
    definition: Text


Glossary = dict[str, Term]


# --- terminology.<lang>.toml: [[term]] tables (rules/terminology.py) ------------------------------
class TermEntry(Strict):
    # one line each: pages and data files are checked line by line
    preferred: Line = Field(description="write the one word we use")
    forbidden: list[Line] = Field(min_length=1, title="a list of the words we do not use",
                                  description='list the words we do not use, each on one line, e.g. forbidden = ["GP"]')
    note: Line = Field(description="say in a few words why we use this word")


class Terminology(Strict):
    term: list[TermEntry] = Field(min_length=1, description="add [[term]] tables with preferred, forbidden and note")


# --- page-history.toml: {page: [Change]} (page_history.py) -------------------------------------
class Change(Strict):
    model_config = ConfigDict(title='{ date = 2026-11-26, note = "First published." }')  # how one is written
    date: datetime.date = Field(description="the day, e.g. date = 2026-11-20")
    note: str = Field(description='note = "..." with one short sentence saying what changed')


PageChanges = list[Change]


# --- reviewers.toml and sign-offs.toml (signoff.py) --------------------------------------------
ROLES = ("clinical", "language")


def _listed(value: Any) -> Any:
    return [value] if isinstance(value, str) else value  # role = "clinical" is one role


def _site_language(value: str, info: ValidationInfo) -> str:
    """One of the site's languages (the loader passes them as the validation's context)."""
    languages = (info.context or {}).get("languages")
    if languages is not None and value not in languages:
        raise fail("languages: '{value}' is not a language of the site; list the site languages the "
                   "reviewer reads, from {known}, e.g. languages = [\"en\"]", value=value, known=", ".join(languages))
    return value


def _once_each(value: list[str]) -> list[str]:
    if len(set(value)) != len(value):
        raise fail("role: a role is listed twice; list each role once, e.g. role = [\"clinical\", \"language\"]")
    return value


def _shown_as_written(field: str, between: str, between_words: str, example: str):
    """A reviewer's name or credentials as pages show them ("Reviewed by NAME, CREDENTIALS on
    DATE"): letters (accents included), with only `between` among them. No digit, no invisible
    character, no sentence."""
    def check(value: str) -> str:
        if not value[:1].isalpha() or not all(c.isalpha() or c in between or unicodedata.category(c).startswith("M")
                                              for c in value):
            raise fail(field + ": '{value}' would not be shown as written (a digit, an invisible character or a "
                       "sentence); use letters, and between them only " + between_words + ", e.g. " + example,
                       value=value)
        return value
    return AfterValidator(check)


class Reviewer(Strict):
    name: Annotated[Line, _shown_as_written("name", " -'’.", "spaces, hyphens, apostrophes and full stops",
                                            'name = "Ana Pérez"')]
    credentials: Annotated[Line, _shown_as_written("credentials", " -'’.,()/",
                                                   "spaces, commas, full stops, hyphens, apostrophes, brackets and slashes",
                                                   'credentials = "MD, PhD"')]
    role: Annotated[list[Literal[ROLES]], BeforeValidator(_listed), AfterValidator(_once_each), Field(
        min_length=1, title="a reviewer's role",
        description='role = "clinical", "language" or ["clinical", "language"]')]
    languages: list[Annotated[str, AfterValidator(_site_language)]] = Field(
        min_length=1, description='the site languages the reviewer reads, e.g. languages = ["en"]')
    interests: Line = Field(description='write interests = "None declared." when there are none')


Reviewers = dict[str, Reviewer]


class SignOffEntry(Strict):
    page: Text
    reviewer: Text
    role: Literal[ROLES] = Field(title="a role")
    date: datetime.date
    digest: str  # checked against the inputs listed, by signoff_files.py
    inputs: dict[str, str]


class SignOffs(Strict):
    sign_off: list[SignOffEntry] = Field([], alias="sign-off")


# --- source-checks.toml (source_checks.py) -----------------------------------------------------
class Check(Strict):
    date: datetime.date | None = None
    outcome: str = ""


class Work(Strict):
    """A work that needs an editor's eye. `keep` (and `keep_<lang>` per other language, the
    extra fields) is the reason readers see when a retracted work stays cited."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, Annotated[str, Field(pattern=NONBLANK, title="the reason readers see, as text in quotes")]]
    status: Text
    detail: str = ""
    notice: str = ""
    date: str = ""
    keep: Text = Field("", title="the reason readers see, as text in quotes")


class SourceChecks(Strict):
    check: Check = Check()
    works: dict[str, Work] = {}
