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


def _read(path: Path) -> tuple[dict, list[str]]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")), []
    except FileNotFoundError:
        return {}, [f"{path}: the file is missing"]
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        return {}, [f"{path}: cannot read it: {error}"]


def load_evidence(path: Path, references) -> tuple[dict[str, Strength], dict[str, Use], list[str]]:
    data, problems = _read(path)
    scale = {}
    for entry in data.get("scale", []):
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
        if not use_id or not entry.get("name"):
            problems.append(f"{where}: needs an id and a name")
            continue
        findings = {}
        for treatment in ("prp", "exosomes"):
            finding = entry.get(treatment, {})
            level = scale.get(finding.get("strength", ""))
            if level is None:
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
        if not isinstance(entry, dict) or not entry.get("term") or not entry.get("definition"):
            problems.append(f"{path}: [{key}] needs a term and a definition")
            continue
        terms[key] = Term(key, entry["term"], entry["definition"])
    return terms, problems
