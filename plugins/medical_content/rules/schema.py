"""The content schema: what every kind of page must have. The one place that says so.

The build (validation), the theme (navigation titles), `invoke new` (the starting template)
and the tests all read this module. Change a rule here and all of them follow.
"""

from __future__ import annotations

from dataclasses import dataclass

# Text that `invoke new` leaves for the editor to replace. A page still containing it is
# unfinished and never builds.
PLACEHOLDER = "TODO:"

# Site settings a page may show with `{{ NAME }}`, so a clinic's details live in one place.
SETTINGS_IN_CONTENT = (
    "SITENAME",
    "CLINIC_NAME",
    "CLINIC_PHONE",
    "CLINIC_EMAIL",
    "CLINIC_ADDRESS",
    "CLINIC_WEBSITE",
)

SUMMARY_MAX_CHARS = 160  # the length search engines show as a page description
READING_GRADE_MAX = 8.0  # Flesch-Kincaid, US school grade: NHS reading age 9 to 14
# Spanish guides and condition pages: INFLESZ (Szigriszt-Pazos) 65 or more, "bastante fácil".
READING_EASE_MIN_ES = 65.0
GLOSSARY_PAGE = "/pages/glossary.md"
MAX_SOURCE_BYTES = 512_000  # a page's Markdown; anything larger is pasted material  # where [words](glossary:key) links point
MAX_MONTHS_BETWEEN_REVIEWS = 12  # this evidence moves fast
MAX_NESTING = 20  # lists or quotes inside one another; deeper is pasted or broken text


@dataclass(frozen=True)
class Field:
    name: str  # as written in the metadata block; Pelican lowercases it
    kind: str  # "text", "date" or "summary"
    help: str  # what to write, in words an editor understands

    @property
    def key(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Section:
    """A level-2 heading a page must have. Its id comes from the heading text; an editor who
    rewords the heading keeps the rule satisfied by pinning the id: `## New words {#id}`."""

    id: str
    title: str
    help: str
    needs_citation: bool = True  # False: the section makes no medical claim of its own


@dataclass(frozen=True)
class Component:
    """A box written in Markdown as `!!! name "Title"` and drawn by the theme's macro."""

    name: str
    default_title: str
    help: str


@dataclass(frozen=True)
class ContentType:
    name: str
    folder: str  # under content/; for articles also the category
    title: str  # shown in navigation and breadcrumbs
    fields: tuple[Field, ...]
    sections: tuple[Section, ...] = ()  # required, in this order; others may come between
    components: tuple[Component, ...] = ()  # required somewhere on the page
    needs_citations: bool = False
    reading_grade_max: float | None = None  # None: not measured (e.g. the glossary)
    is_article: bool = True


TITLE = Field("Title", "text", "the question or topic, in plain words")
SUMMARY = Field(
    "Summary",
    "summary",
    f"one or two plain sentences, at most {SUMMARY_MAX_CHARS} characters; "
    "search engines show it",
)
DATE = Field("Date", "date", "the day the page was first published, as YYYY-MM-DD")
REVIEWED = Field(
    "Reviewed", "date", "the day the whole page was last checked against the evidence"
)
NEXT_REVIEW = Field(
    "Next_review",
    "date",
    f"when the page must be checked again, at most {MAX_MONTHS_BETWEEN_REVIEWS} months "
    "after Reviewed",
)

# Components the theme can draw from Markdown. The theme has one macro for each.
KEY_POINTS = Component(
    "key-points", "Key points", "three to five short bullet points with the main messages"
)
WARNING = Component("warning", "Important", "something the reader must not miss")
URGENT = Component(
    "urgent", "Get medical help now if", "the symptoms that need urgent help, as a list"
)
COMPONENTS = {c.name: c for c in (KEY_POINTS, WARNING, URGENT)}

RISKS = Section(
    "risks-and-side-effects",
    "Risks and side effects",
    "the common, uncommon and rare risks, with how often where it is known, "
    "or a sentence and a link to the side effects guide",
)
REGULATORY = Section(
    "regulatory-status",
    "Regulatory status",
    "what regulators have and have not approved, or a sentence and a link to where the "
    "site explains it",
)
QUESTIONS = Section(
    "questions-to-ask",
    "Questions to ask",
    "questions to take to a consultation, as a list",
    needs_citation=False,
)
# Sections of guides and condition pages that make no medical claim of their own, so need
# no citation (the required ones say so with needs_citation=False).
# "How to read this page" explains the evidence labels: a reading aid, not a claim.
UNCITED_SECTIONS = {"questions-to-ask", "how-to-read-this-page"}
STUDIES = Section(
    "what-the-studies-show",
    "What the studies show",
    "what the research found for this use, with citations, including where it did not help",
)
OTHER_TREATMENTS = Section(
    "other-treatments-to-discuss",
    "Other treatments to discuss",
    "the usual treatments for this problem that a doctor may suggest instead",
)

ARTICLE_FIELDS = (TITLE, DATE, REVIEWED, NEXT_REVIEW, SUMMARY)

CONTENT_TYPES: dict[str, ContentType] = {
    "guide": ContentType(
        name="guide",
        folder="guides",
        title="Guides",
        fields=ARTICLE_FIELDS,
        sections=(RISKS, REGULATORY, QUESTIONS),
        components=(KEY_POINTS,),
        needs_citations=True,
        reading_grade_max=READING_GRADE_MAX,
    ),
    "condition": ContentType(
        name="condition",
        folder="conditions",
        title="Conditions",
        fields=ARTICLE_FIELDS,
        sections=(STUDIES, OTHER_TREATMENTS, RISKS, REGULATORY, QUESTIONS),
        components=(KEY_POINTS,),
        needs_citations=True,
        reading_grade_max=READING_GRADE_MAX,
    ),
    "page": ContentType(
        name="page",
        folder="pages",
        title="Pages",
        fields=(TITLE, SUMMARY),
        is_article=False,
    ),
}

ARTICLE_TYPES = {t.folder: t for t in CONTENT_TYPES.values() if t.is_article}


def content_type_of(content) -> ContentType | None:
    """The type of a Pelican Article or Page, or None for an unknown category."""
    from pelican.contents import Article

    if not isinstance(content, Article):
        return CONTENT_TYPES["page"]
    return ARTICLE_TYPES.get(content.category.slug)


def new_page_text(type_name: str, title: str, today: str) -> str:
    """The Markdown `invoke new` writes: every required field and section, to be filled in."""
    ctype = CONTENT_TYPES[type_name]
    values = {"title": title, "date": today, "reviewed": today}
    lines = []
    for f in ctype.fields:
        lines.append(f"{f.name}: {values.get(f.key, f'{PLACEHOLDER} {f.help}')}")
    lines.append("")
    lines.append(f"{PLACEHOLDER} an opening paragraph: who this page is for and what it covers.")
    for component in ctype.components:
        lines += ["", f'!!! {component.name} "{component.default_title}"']
        lines.append(f"    - {PLACEHOLDER} {component.help}")
    for section in ctype.sections:
        lines += ["", f"## {section.title}", "", f"{PLACEHOLDER} {section.help}."]
    if ctype.needs_citations:
        lines += [
            "",
            f"<!-- {PLACEHOLDER} cite sources from content/data/references.toml as [@key]; "
            "the numbered reference list is added for you. -->",
        ]
    return "\n".join(lines) + "\n"
