"""The structured data pages draw on: the evidence for each use, and the glossary.

content/data/evidence.toml holds the one evidence-strength scale and, for each use, the
strength and a one-line summary for PRP and for exosomes with their references.
content/data/glossary.toml holds each medical term and its plain-words definition.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path


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


def _text(value) -> bool:
    return isinstance(value, str)


def _type_problems(where: str, entry, fields: dict[str, str]) -> list[str]:
    """Fields of the wrong type, as `where: 'field' must be ...` lines."""
    if not isinstance(entry, dict):
        return [f"{where}: must be a table of {', '.join(fields)}"]
    wanted = {"text": (_text, "text in quotes, e.g. \"...\""),
              "table": (lambda v: isinstance(v, dict), "a table, e.g. { strength = \"...\", summary = \"...\", refs = [] }"),
              "list of text": (lambda v: isinstance(v, list) and all(map(_text, v)), "a list of keys in quotes, e.g. [\"bennell2021\"]")}
    found = []
    for name, kind in fields.items():
        check, example = wanted[kind]
        if name in entry and not check(entry[name]):
            found.append(f"{where}: '{name}' must be {example}, not {entry[name]!r}")
    return found


def load_evidence(path: Path, references) -> tuple[dict[str, Strength], dict[str, Use], list[str]]:
    data, problems = _read(path)
    for name in ("scale", "use"):
        if name in data and not (isinstance(data[name], list) and all(isinstance(e, dict) for e in data[name])):
            problems.append(f"{path}: {name}: must be a list of [[{name}]] entries; write each "
                            f"one under its own [[{name}]] line")
            data = {**data, name: []}
    scale = {}
    for entry in data.get("scale", []):
        found = _type_problems(f"{path}: [[scale]] '{entry.get('key', '?')}'", entry,
                               {"key": "text", "label": "text", "meaning": "text"})
        if found:
            problems += found
            continue
        key, label, meaning = entry.get("key", ""), entry.get("label", ""), entry.get("meaning", "")
        if not (key and label and meaning):
            problems.append(f"{path}: a [[scale]] entry needs key, label and meaning")
            continue
        scale[key] = Strength(key, label, meaning)
    if data and not scale:
        problems.append(f"{path}: the evidence scale ([[scale]] entries) is missing")
    uses = {}
    for entry in data.get("use", []):
        use_id = entry.get("id", "")
        where = f"{path}: use '{use_id or '?'}'"
        found = _type_problems(where, entry, {"id": "text", "name": "text", "page": "text",
                                              "prp": "table", "exosomes": "table"})
        for treatment in ("prp", "exosomes"):
            if isinstance(entry.get(treatment), dict):
                found += _type_problems(f"{where}: {treatment}", entry[treatment],
                                        {"strength": "text", "summary": "text", "refs": "list of text"})
        if found:
            problems += found
            continue
        if not use_id or not entry.get("name"):
            problems.append(f"{where}: needs an id and a name")
            continue
        findings = {}
        for treatment in ("prp", "exosomes"):
            finding = entry.get(treatment, {})
            level = scale.get(finding.get("strength", ""))
            if level is None:
                if not scale:
                    continue  # the missing scale is reported once, above
                problems.append(
                    f"{where}: {treatment}.strength '{finding.get('strength', '')}' is not on the "
                    f"scale; use one of: {', '.join(scale)}"
                )
                continue
            if not str(finding.get("summary", "")).strip():
                problems.append(f"{where}: {treatment}.summary is missing; add one plain line")
            unknown = [r for r in finding.get("refs", []) if r not in references]
            for ref in unknown:
                problems.append(f"{where}: {treatment}.refs: '{ref}' is not in the bibliography")
            findings[treatment] = Finding(level, finding.get("summary", ""), tuple(finding.get("refs", [])))
        if len(findings) == 2:
            uses[use_id] = Use(use_id, entry["name"], entry.get("page", ""), **findings)
    return scale, uses, problems


def load_glossary(path: Path) -> tuple[dict[str, Term], list[str]]:
    data, problems = _read(path)
    terms = {}
    for key, entry in data.items():
        if not isinstance(entry, dict):
            problems.append(f"{path}: [{key}]: must be a [{key}] section with term and "
                            "definition; a value outside a section belongs in one")
            continue
        found = _type_problems(f"{path}: [{key}]", entry, {"term": "text", "definition": "text"})
        if found:
            problems += found
            continue
        if not entry.get("term") or not entry.get("definition"):
            problems.append(f"{path}: [{key}] needs a term and a definition")
            continue
        terms[key] = Term(key, entry["term"], entry["definition"])
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
        for name in ("scale", "use"):
            if name in raw and not (isinstance(raw[name], list) and all(isinstance(e, dict) for e in raw[name])):
                trouble.append(f"{evidence_path}: {name}: must be a list of [[{name}]] entries; write "
                               f"each one under its own [[{name}]] line, as in {settings['EVIDENCE']}")
                raw = {**raw, name: []}
        problems += trouble
        translated_scale = {}
        for entry in raw.get("scale", []):
            if found_types := _type_problems(f"{evidence_path}: [[scale]] '{entry.get('key', '?')}'", entry,
                                             {"key": "text", "label": "text", "meaning": "text"}):
                problems += found_types
                continue
            key = entry.get("key", "")
            if not scale:
                break  # the English scale could not be read: that is reported, compare nothing
            if key not in scale:
                problems.append(f"{evidence_path}: scale '{key}' is not on the English scale ({', '.join(scale)})")
            elif not (entry.get("label") and entry.get("meaning")):
                problems.append(f"{evidence_path}: scale '{key}' needs a label and a meaning")
            else:
                translated_scale[key] = Strength(key, entry["label"], entry["meaning"])
        for key in scale:
            if key not in translated_scale and not trouble:
                problems.append(f"{evidence_path}: the scale has no translation of '{key}'; add a [[scale]] entry")
        translated_uses = {}
        for entry in raw.get("use", []):
            if found_types := _type_problems(f"{evidence_path}: use '{entry.get('id', '?')}'", entry,
                                             {"id": "text", "name": "text", "prp": "text", "exosomes": "text"}):
                problems += found_types
                continue
            use = uses.get(entry.get("id", ""))
            if use is None and not uses:
                break  # the English uses could not be read: that is reported, compare nothing
            if use is None:
                problems.append(f"{evidence_path}: use '{entry.get('id', '')}' is not in the English evidence file")
                continue
            if not all(str(entry.get(k, "")).strip() for k in ("name", "prp", "exosomes")):
                problems.append(f"{evidence_path}: use '{use.id}' needs name, prp and exosomes (the summaries)")
                continue
            page = use.page  # the condition page in this language once it exists
            if page and (content / localized(page, lang)).is_file():
                page = localized(page, lang)
            translated_uses[use.id] = Use(
                use.id, entry["name"], page,
                Finding(translated_scale.get(use.prp.level.key, use.prp.level), entry["prp"], use.prp.refs),
                Finding(translated_scale.get(use.exosomes.level.key, use.exosomes.level), entry["exosomes"], use.exosomes.refs),
            )
        page = localized(GLOSSARY_PAGE, lang)
        found[lang] = LanguageData(terms, page, translated_scale, translated_uses)
    return found, problems
