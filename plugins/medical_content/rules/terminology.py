"""One word for one thing: the terms each language uses, and the words it does not.

content/data/terminology.<lang>.toml (terminology.en.toml, terminology.es.toml) lists, per
language, [[term]] tables:

    [[term]]
    preferred = "primary care doctor"
    forbidden = ["GP", "general practitioner"]
    note = "US readers: the site is written for the US."

The build reads every text a reader sees in that language and reports each forbidden word,
all at once, as `file: line N: 'word' ...; write 'preferred' (note)`:
- pages: content/**/*.md (a translation, <name>.<lang>.md, in its language), the title and
  summary and the body, without citation keys, link targets, heading ids and comments;
- data: the string values of content/data/*.toml and content/data/option-grids/*.toml (a
  <name>.<lang>.toml in its language), without ids, file names and other keys that are not
  text; the bibliography and its checks are left out, as titles are the works' own words;
- interface text: theme/translations/<lang>/LC_MESSAGES/messages.po, the English msgids for
  English and the msgstrs for that language.

A forbidden word is matched as a whole word (a hyphen counts as part of a word), ignoring
case, except a word written with more than one capital (GP, NICE): that one is matched as
written, so an abbreviation does not catch an everyday word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..data import models, structure
from ..data.evidence_glossary import read_toml

# Data keys whose values are names of things, not text a reader sees.
NOT_TEXT = {"id", "page", "kind", "uncited", "options", "question", "brief", "url", "doi", "pmid",
            "pmcid", "strength", "key", "slug", "use", "uses", "date", "checked", "topic"}
# Data files that are not reader text in our words: the works' own titles, and their checks.
NOT_READER_TEXT = {"references.toml", "reference-checks.toml"}
METADATA_KEPT = {"title", "summary", "menu_label"}

CITATION = re.compile(r"\[@[^\]]*\]")
LINK_TARGET = re.compile(r"\]\([^)]*\)")
HEADING_ID = re.compile(r"\{#[\w-]+\}")
HTML_ATTRIBUTE = re.compile(r"\b(?:src|href|class|id)=\"[^\"]*\"")
DIRECTIVE = re.compile(r"\[\[[^\]]*\]\]")
# Each with the characters every match of it holds.
MARKUP = (("[@", CITATION), ("](", LINK_TARGET), ("{#", HEADING_ID), ('="', HTML_ATTRIBUTE), ("[[", DIRECTIVE))
TOML_KEY = re.compile(r"^\s*([\w-]+)\s*=")
QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
INLINE_KEYS = re.compile(r"\b(" + "|".join(sorted(NOT_TEXT)) + r")\s*=\s*(\"[^\"]*\"|\[[^\]]*\])")


@dataclass(frozen=True)
class Term:
    preferred: str
    forbidden: tuple[str, ...]
    note: str
    patterns: tuple[re.Pattern, ...]


def _ignores_case(word: str) -> bool:
    return sum(c.isupper() for c in word) <= 1  # GP, NICE: matched as written


def _pattern(word: str) -> re.Pattern:
    flags = re.IGNORECASE if _ignores_case(word) else 0
    return re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", flags)


def any_word(terms: list[Term]) -> re.Pattern | None:
    """One search for all of a language's forbidden words: the same whole-word test, one
    alternative a word, each with its own case rule (a scoped (?i:...)). It finds something
    in a line exactly when one of the words' own patterns does, so only such lines are
    searched word by word (for each word as written, in the terms' order). One scan of a
    line instead of one a word: about ten times faster over a corpus of pages."""
    words = [word for term in terms for word in term.forbidden]
    if not words:
        return None
    alternatives = "|".join(f"(?{'i' if _ignores_case(w) else ''}:{re.escape(w)})" for w in words)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def load_terms(path: Path, name: str) -> tuple[list[Term], list[str]]:
    """The terms in one terminology file, and every problem in it: its structure by its model
    (data/models.py), then the rules across terms. A file with a broken term still gives its
    good terms, so the pages are checked against them in the same build."""
    data, unreadable = read_toml(path, name)
    if data is None:
        return [], unreadable

    def place(loc, data):
        if len(loc) >= 2 and loc[0] == "term" and isinstance(loc[1], int):
            return _term_place(data["term"][loc[1]], loc[1]), 2
        return "", 0

    found, problems = structure.check(models.Terminology, data, name, place)
    if found is not None:
        entries = [(number, entry) for number, entry in enumerate(found.term, 1)]
    else:  # the terms that are right on their own
        raw = data.get("term")
        alone = [structure.check(models.TermEntry, entry, name, place)[0] for entry in (raw if isinstance(raw, list) else [])]
        entries = [(number, entry) for number, entry in enumerate(alone, 1) if entry is not None]
    terms, seen = [], {}
    preferred_in = {entry.preferred.strip().lower(): _term_place(entry.model_dump(), number - 1) for number, entry in entries}
    for number, entry in entries:
        where, preferred, bad = _term_place(entry.model_dump(), number - 1), entry.preferred.strip(), False
        for word in entry.forbidden:
            key = word.strip().lower()  # "GP" and "GP " are one word
            if key == preferred.lower():
                problems.append(f"{name}: {where}: '{word}' is both preferred and forbidden; remove it from 'forbidden'")
                bad = True
            elif key in preferred_in:
                problems.append(f"{name}: {where}: '{word}' is forbidden here but preferred in {preferred_in[key]}; "
                                "keep one of the two")
                bad = True
            elif key in seen:
                problems.append(f"{name}: {where}: '{word}' is forbidden already in {seen[key]}; list it once")
                bad = True
            seen.setdefault(key, where)
        if not bad:
            words = tuple(w.strip() for w in entry.forbidden)
            terms.append(Term(preferred, words, entry.note.strip(), tuple(_pattern(w) for w in words)))
    return terms, problems


def _term_place(entry, index: int) -> str:
    """'term 2', or "term 2 ('primary care doctor')" when its preferred word is there to name it."""
    preferred = entry.get("preferred") if isinstance(entry, dict) else None
    return f"term {index + 1} ('{preferred}')" if isinstance(preferred, str) and preferred.strip() else f"term {index + 1}"


def _markdown_lines(text: str):
    """(line number, reader text) of a Markdown page."""
    in_metadata, in_comment = True, False
    for number, line in enumerate(text.splitlines(), 1):
        if in_metadata:
            if not line.strip():
                in_metadata = False
                continue
            key, _, value = line.partition(":")
            if key.strip().lower() in METADATA_KEPT:
                yield number, value
            continue
        if in_comment or line.lstrip().startswith("<!--"):
            in_comment = "-->" not in line
            continue
        for needed, pattern in MARKUP:
            if needed in line:  # most lines have no markup: no substitution to try
                line = pattern.sub(" ", line)
        yield number, line


def _toml_lines(text: str):
    """(line number, reader text) of a data file: its quoted strings, without comments, table
    names and the values of keys that name things (ids, file names)."""
    skipping = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("[") and stripped.endswith("]") and "=" not in stripped and '"' not in stripped:
            skipping = False
            continue  # a table's name: a key, not text
        key = TOML_KEY.match(line)
        if key:
            skipping = key.group(1) in NOT_TEXT
        if skipping:
            continue
        line = INLINE_KEYS.sub(" ", line)
        yield number, " ".join(CITATION.sub(" ", s) for s in QUOTED.findall(line))


def _po_lines(text: str, lang: str):
    """(line number, text) of the messages a catalog gives in `lang`: msgids for English,
    msgstrs for the catalog's language."""
    wanted = "msgid" if lang == "en" else "msgstr"
    current = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("#") or not stripped:
            current = None
            continue
        keyword = stripped.split(" ", 1)[0]
        if keyword.startswith("msg"):
            current = keyword.split("[", 1)[0]
            if current in (wanted, wanted + "_plural") or (wanted == "msgstr" and current == "msgstr"):
                yield number, stripped[len(keyword):]
        elif stripped.startswith('"') and current in (wanted, wanted + "_plural"):
            yield number, stripped


def _lang_of(path: Path, languages) -> str:
    """The language a content file is written in: <name>.<lang>.<ext>, else the default."""
    parts = path.name.split(".")
    return parts[-2] if len(parts) >= 3 and parts[-2] in languages else "en"


def _read(path: Path, root: Path) -> str | None:
    """The file's text; None for a file the build reports on its own (a symbolic link, a
    file outside the folder through a linked folder, text that is not UTF-8)."""
    if path.is_symlink() or not path.resolve().is_relative_to(root.resolve()):
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def texts(content: Path, theme: Path, languages, pages: bool = True):
    """(file, lang, lines) of every reader text the terminology check reads; without the
    Markdown pages when `pages` is False (the build checks each page with its own work)."""
    for path in sorted(content.rglob("*.md")) if pages else []:
        if (text := _read(path, content)) is not None:
            yield path, _lang_of(path, languages), _markdown_lines(text)
    data = content / "data"
    for path in sorted([*data.glob("*.toml"), *data.glob("option-grids/*.toml")]):
        if path.name in NOT_READER_TEXT or path.name.startswith("terminology."):
            continue
        if (text := _read(path, content)) is not None:
            yield path, _lang_of(path, languages), _toml_lines(text)
    for lang in languages:
        if lang == "en":
            continue
        po = theme / "translations" / lang / "LC_MESSAGES" / "messages.po"
        if po.is_file() and (text := _read(po, theme)) is not None:
            yield po, "en", _po_lines(text, "en")
            yield po, lang, _po_lines(text, lang)


@dataclass(frozen=True)
class Terminology:
    """Each language's terms, and one search for all of its forbidden words."""

    terms: dict[str, list[Term]]
    anywhere: dict[str, re.Pattern | None]
    languages: tuple[str, ...]

    def problems_in(self, name: str, lang: str, lines) -> list[str]:
        """Each forbidden word in `lines` ((number, text) pairs) of the file `name`, once."""
        problems: list[str] = []
        if (search := self.anywhere.get(lang)) is None:
            return problems
        for number, line in lines:
            if not search.search(line):
                continue
            for term in self.terms[lang]:
                for word, pattern in zip(term.forbidden, term.patterns):
                    for match in pattern.finditer(line):
                        problem = (f"{name}: line {number}: '{match.group(0)}' is not the word "
                                   f"this site uses; write '{term.preferred}' ({term.note})")
                        if problem not in problems:
                            problems.append(problem)
        return problems

    def page_problems(self, name: str, source_path: str, text: str) -> list[str]:
        """A Markdown page's forbidden words, in the language its file name says."""
        return self.problems_in(name, _lang_of(Path(source_path), self.languages), _markdown_lines(text))


def load(content: Path, languages, label) -> tuple[Terminology, list[str]]:
    """The terminology of every language, and every problem in its files."""
    problems: list[str] = []
    terms: dict[str, list[Term]] = {}
    for lang in languages:
        path = content / "data" / f"terminology.{lang}.toml"
        if not path.is_file():
            problems.append(f"{label(str(path))}: the terminology of '{lang}' is missing; "
                            "add the file with [[term]] tables (see plugins/medical_content/rules/terminology.py)")
            continue
        terms[lang], found = load_terms(path, label(str(path)))
        problems += found
    anywhere = {lang: any_word(found) for lang, found in terms.items()}
    return Terminology(terms, anywhere, tuple(languages)), problems


def check(content: Path, theme: Path, languages, label, pages: bool = True, terminology=None) -> list[str]:
    """Every forbidden word in every reader text (but the pages', when `pages` is False), and,
    unless the `terminology` is given, every problem in the terminology files, as `file: place:
    problem; fix`. `label(path)` names a file as the build's messages do."""
    problems: list[str] = []
    if terminology is None:
        terminology, problems = load(content, languages, label)
    for path, lang, lines in texts(content, theme, languages, pages):
        for problem in terminology.problems_in(label(str(path)), lang, lines):
            if problem not in problems:
                problems.append(problem)
    return problems
