"""The structured data pages draw on: the evidence for each use, and the glossary.

content/data/evidence.toml holds the one evidence-strength scale and, for each use, the
strength and a one-line summary for PRP and for exosomes with their references.
content/data/glossary.toml holds each medical term and its plain-words definition.
"""

from __future__ import annotations

import tomllib
import typing
from dataclasses import dataclass
from pathlib import Path

from . import models
from .structure import check

@dataclass(frozen=True)
class Strength:
    key: str
    label: str
    meaning: str


@dataclass(frozen=True)
class Finding:
    level: Strength
    summary: str
    refs: tuple[str, ...]

    @property
    def citation(self) -> str:
        """The references as citation markup, resolved like any other citation."""
        return f"[{'; '.join('@' + r for r in self.refs)}]" if self.refs else ""


@dataclass(frozen=True)
class Use:
    id: str
    name: str
    page: str  # the condition page's file under content/, or ""
    prp: Finding
    exosomes: Finding


@dataclass(frozen=True)
class Term:
    key: str
    term: str
    definition: str


def read_toml(path: Path, name: str | None = None, what: str = "it") -> tuple[dict | None, list[str]]:
    """A TOML data file; or None and one problem, naming the file as `name` (default: its
    path): missing, unreadable, not UTF-8, or not valid TOML (with TOML's own reason)."""
    name = name or str(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")), []
    except FileNotFoundError:
        return None, [f"{name}: the file is missing"]
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return None, [f"{name}: cannot read {what}: {error}"]
    except RecursionError:  # brackets or tables inside one another, thousands deep
        return None, [f"{name}: cannot read {what}: values are nested too deeply; write them "
                      "as plain values, lists and [sections]"]


def _read(path: Path) -> tuple[dict, list[str]]:
    data, problems = read_toml(path)
    return data or {}, problems


def _evidence_place(loc: tuple, data: dict) -> tuple[str, int]:
    """[[scale]] 'key' or use 'id' (the entry's own key when it has one), or the list."""
    if len(loc) < 2 or not isinstance(loc[1], int):
        return "", 0
    entries = data.get(loc[0])
    entry = entries[loc[1]] if isinstance(entries, list) and loc[1] < len(entries) else None
    name = "key" if loc[0] == "scale" else "id"
    own = entry.get(name) if isinstance(entry, dict) else None
    named = f"'{own}'" if own else str(loc[1] + 1)  # the entry's key, or its number
    return (f"[[scale]] {named}" if loc[0] == "scale" else f"use {named}"), 2


def _entries(path: Path, data: dict, model, name: str | None = None) -> tuple[object, list[str]]:
    """The file as `model`, every structural problem at once; when some entries are wrong,
    the right ones, so that what can be compared still is."""
    found, problems = check(model, data, name or str(path), _evidence_place)
    if found is not None:
        return found, problems
    kept = {}
    for key in ("scale", "use"):
        entries = data.get(key, [])
        item = typing.get_args(model.model_fields[key].annotation)[0]
        valid = [check(item, e, "", _evidence_place)[0] for e in entries] if isinstance(entries, list) else []
        kept[key] = [e for e in valid if e is not None]
    return model.model_construct(**kept), problems


def load_evidence(path: Path, references) -> tuple[dict[str, Strength], dict[str, Use], list[str]]:
    data, problems = _read(path)
    if not data:
        return {}, {}, problems
    evidence, problems = _entries(path, data, models.Evidence)
    scale = {e.key: Strength(e.key, e.label, e.meaning) for e in evidence.scale}
    uses = {}
    for entry in evidence.use:
        where = f"{path}: use '{entry.id}'"
        findings = {}
        for treatment in ("prp", "exosomes"):
            finding = getattr(entry, treatment)
            level = scale.get(finding.strength)
            if level is None:
                if scale:  # else the missing scale is reported once, above
                    problems.append(f"{where}: {treatment}.strength '{finding.strength}' is not on the "
                                    f"scale; use one of: {', '.join(scale)}")
                continue
            for ref in finding.refs:
                if ref not in references:
                    problems.append(f"{where}: {treatment}.refs: '{ref}' is not in the bibliography; "
                                    "add it to content/data/references.toml or correct the key")
            findings[treatment] = Finding(level, finding.summary, tuple(finding.refs))
        if len(findings) == 2:
            uses[entry.id] = Use(entry.id, entry.name, entry.page, **findings)
    return scale, uses, problems


def load_glossary(path: Path) -> tuple[dict[str, Term], list[str]]:
    data, problems = _read(path)
    terms = {}
    for key, raw in data.items():
        entry, found = check(models.Term, raw, str(path), lambda loc, data: (f"[{key}]", 0))
        problems += found
        if entry is not None:
            terms[key] = Term(key, entry.term, entry.definition)
    return terms, problems


# --- Translated data (README, "Translating a page") -----------------------------------------
# Each language has a sibling of each data file, e.g. data/glossary.es.toml and
# data/evidence.es.toml. The glossary file has the same keys with the term and definition in
# that language. The evidence file has the translated scale (same keys: label, meaning) and,
# for each use translated so far, its name and the one-line summaries (`prp`, `exosomes`);
# strengths and references stay in the English file, the one place the facts live.


def localized(path: str | Path, lang: str) -> str:
    """data/glossary.toml -> data/glossary.es.toml"""
    path = Path(path)
    return str(path.with_name(f"{path.stem}.{lang}{path.suffix}"))


def sort_key(term: str) -> str:
    """Alphabetical order that puts "Ácido" with the A's, as a Spanish reader expects."""
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", term.lower()) if not unicodedata.combining(c))


@dataclass(frozen=True)
class LanguageData:
    glossary: dict
    glossary_page: str
    scale: dict
    uses: dict

    def for_blocks(self):
        return self.scale, self.uses, self.glossary

    def glossary_and_page(self):
        return self.glossary, self.glossary_page


def load_translated_data(content: Path, settings: dict, languages, scale, uses, glossary):
    """{lang: LanguageData} for every language but the default, and the problems found."""
    from ..rules.schema import GLOSSARY_PAGE

    found, problems = {}, []
    for lang in languages:
        if lang == settings["DEFAULT_LANG"]:
            continue
        glossary_path = content / localized(settings["GLOSSARY"], lang)
        terms, trouble = load_glossary(glossary_path)
        problems += trouble
        for key in glossary:
            if key not in terms and not trouble:
                problems.append(f"{glossary_path}: [{key}] is in the English glossary but not here; add its term and definition")
        for key in terms:
            if key not in glossary:
                problems.append(f"{glossary_path}: [{key}] is not in the English glossary; use the same keys")
        evidence_path = content / localized(settings["EVIDENCE"], lang)
        raw, trouble = _read(evidence_path)
        translation, found_types = _entries(evidence_path, raw, models.EvidenceText)
        trouble += found_types
        problems += trouble
        translated_scale = {}
        for entry in translation.scale if scale else ():  # no English scale: reported; compare nothing
            if entry.key not in scale:
                problems.append(f"{evidence_path}: scale '{entry.key}' is not on the English scale ({', '.join(scale)})")
            else:
                translated_scale[entry.key] = Strength(entry.key, entry.label, entry.meaning)
        for key in scale:
            if key not in translated_scale and not trouble:
                problems.append(f"{evidence_path}: the scale has no translation of '{key}'; add a [[scale]] entry")
        translated_uses = {}
        for entry in translation.use if uses else ():  # no English uses: reported; compare nothing
            use = uses.get(entry.id)
            if use is None:
                problems.append(f"{evidence_path}: use '{entry.id}' is not in the English evidence file")
                continue
            page = use.page  # the condition page in this language once it exists
            if page and (content / localized(page, lang)).is_file():
                page = localized(page, lang)
            translated_uses[use.id] = Use(
                use.id, entry.name, page,
                Finding(translated_scale.get(use.prp.level.key, use.prp.level), entry.prp, use.prp.refs),
                Finding(translated_scale.get(use.exosomes.level.key, use.exosomes.level), entry.exosomes, use.exosomes.refs),
            )
        page = localized(GLOSSARY_PAGE, lang)
        found[lang] = LanguageData(terms, page, translated_scale, translated_uses)
    return found, problems
