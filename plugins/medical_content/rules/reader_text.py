"""Everything a reader sees passes the same wording and typed-fact rules, wherever it comes
from: not only pages, but every data file's reader-visible text (reference titles and
journals, page-history notes, grid text, glossary, evidence), the interface text of each
catalog, the text of SVG files, and the settings that appear on pages (SITE_TEXT, SITENAME,
SITE_DESCRIPTION, the funding and clinic statements).

Each finding is one line, `file: place: what; fix`. Every language's overclaim list applies
to every text (a claim pasted from another language's page is caught too), and invisible
direction-control characters are an error wherever they come from.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

from . import typed_facts
from . import wording

# Fields no reader sees as text: identifiers, links, dates, keys into other data.
NOT_SHOWN = {
    "key", "id", "brief", "doi", "pmid", "pmcid", "url", "topic", "year", "date", "checked",
    "page", "kind", "count", "strength", "refs", "references", "approx", "lang", "status",
    "how", "brief_note",
}
# Data files that are records for editors, never shown on a page.
NOT_PUBLISHED = {"reference-checks.toml", "sign-offs.toml"}
# Where a name with its title and credentials belongs (reviewers.toml): only the wording rules.
NAMED = {"name", "credentials"}


def problems(label: str, place: str, text: str, settings_values: list[str], *, facts: bool = True,
             claims: bool = True, reviews: bool = True) -> list[str]:
    """The problems of one piece of reader-visible text. `reviews=False`: the theme's own text,
    which holds the words a signed-off page is shown with."""
    found = []
    if reviews:
        found += [f"{label}: {place}: '{phrase}': {typed_facts.REVIEW_CLAIM_PROBLEM}"
                  for phrase, _line in typed_facts.review_claims(text)]
    if controls := wording.bidi_controls(text):
        found.append(f"{label}: {place}: the text contains invisible direction-control characters "
                     f"({', '.join(controls)}) that change what readers see; delete them")
    if claims:
        for phrase, sentence, advice in wording.overclaims_in_any_language(text):
            found.append(f"{label}: {place}: wording '{phrase}': overclaims in \"{sentence[:120]}\"; {advice}")
    if facts:
        for fact, problem in typed_facts.problems(text, settings_values):
            found.append(f"{label}: {place}: '{fact}': {problem}")
    return found


def strings(value, place: str = "") -> Iterator[tuple[str, str]]:
    """(place, text) of every string a reader may see in a TOML value, in order. An
    explicit stack: a deeply nested file cannot exhaust Python's recursion."""
    stack = [(place, value)]
    while stack:
        place, value = stack.pop()
        if isinstance(value, str):
            yield place, value
        elif isinstance(value, dict):
            stack.extend(reversed([(f"{place}.{key}" if place else str(key), inner)
                                   for key, inner in value.items() if str(key) not in NOT_SHOWN]))
        elif isinstance(value, list):
            stack.extend(reversed([(f"{place} {number}" if place else str(number), inner)
                                   for number, inner in enumerate(value, 1)]))


def data_problems(folder: Path, label, settings_values: list[str], checked_elsewhere=frozenset()) -> list[str]:
    """Every data file under `folder` (content/data/). `checked_elsewhere`: keys whose
    wording another check reports already (the option grids' answers)."""
    found = []
    for path in sorted(folder.rglob("*.toml")):
        if path.name in NOT_PUBLISHED or path.is_symlink():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
            continue  # the file's own loader names what is wrong with it
        file_label = label(str(path))
        for place, text in strings(data):
            field = place.rsplit(".", 1)[-1]
            found += problems(file_label, place, text, settings_values, claims=field not in checked_elsewhere,
                              facts=not (path.name == "reviewers.toml" and field in NAMED))
    return found


def settings_problems(settings: dict, settings_values: list[str], label: str = "pelicanconf.py") -> list[str]:
    """Settings shown on pages. An address is a typed fact by design, so only the wording rules
    apply to it; the reviewers come from reviewers.toml (data_problems)."""
    found = []
    for name in ("SITENAME", "SITE_DESCRIPTION", "CLINIC_NAME"):
        if value := settings.get(name):
            found += problems(label, name, str(value), [], facts=False)
    if value := settings.get("CLINIC_ADDRESS"):
        found += problems(label, "CLINIC_ADDRESS", str(value), [], facts=False)
    for name in ("FUNDING_STATEMENT", "CLINIC_RELATIONSHIP"):
        if value := settings.get(name):
            found += problems(label, name, str(value), settings_values)
    site_text = settings.get("SITE_TEXT") or {}
    for lang, texts in sorted(site_text.items() if isinstance(site_text, dict) else []):
        for name, value in sorted(texts.items() if isinstance(texts, dict) else []):
            if isinstance(value, str):
                found += problems(label, f"SITE_TEXT[{lang!r}][{name!r}]", value, settings_values,
                                  facts=name != "CLINIC_ADDRESS")
    return found
