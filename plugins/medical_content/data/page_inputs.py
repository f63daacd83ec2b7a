"""What a page draws in, and a digest of each: the inputs a sign-off covers (signoff.py).

A page's inputs (`page_inputs`) are its source file, the option grid(s) it draws (and their
translation), the evidence rows of its evidence tables (and their translation), the scale if
it draws it or an evidence table, every reference it, its grids or its rows cite (and the last
source check's entry for it, if any), and the glossary entries it links or, with [[glossary]],
every entry. They are worked out from the files alone, so the build, `invoke sign-off` and
`invoke reviews` always agree.
"""

from __future__ import annotations

import collections
import json
import re
import tomllib
from pathlib import Path

from ..pages import markup
from .signoff_files import sha256

GRID = re.compile(r"\[\[option-grid:\s*([^\]\s]+)\s*\]\]")
EVIDENCE_TABLE = re.compile(r"\[\[evidence-table(?::\s*([^\]]*))?\]\]")
EVIDENCE_SCALE = re.compile(r"\[\[evidence-scale(?::[^\]]*)?\]\]")  # its arguments are ignored
GLOSSARY_BLOCK = re.compile(r"\[\[glossary(?::[^\]]*)?\]\]")  # every term
GLOSSARY = re.compile(r"\]\(glossary:([\w-]+)\)")


# A [[block]] as the source holds it; the build finds it in Markdown's HTML (markup.DIRECTIVE)
SOURCE_DIRECTIVE = re.compile(r"\[\[([a-z-]+)(?::\s*([^\]<]*))?\]\]")


def unseen_in_source(source: str, html: str) -> list[str]:
    """What Markdown's HTML of a page draws in that its source, read as the sign-offs read it,
    does not show: a Markdown backslash escape (`[[evidence\\-table: ...]]`, `[@key\\]`) hides
    a block, a citation or a glossary link from the sign-off. Empty for a page written plainly."""
    def blocks(pattern, text):
        return collections.Counter((m.group(1), " ".join((m.group(2) or "").split())) for m in pattern.finditer(text))

    hidden = []
    if blocks(markup.DIRECTIVE, html) - blocks(SOURCE_DIRECTIVE, source):
        hidden.append("a [[block]]")
    if set(markup.cited_keys(html)) - set(markup.cited_keys(source)):
        hidden.append("a citation [@...]")
    if set(markup.GLOSSARY_LINK.findall(html)) - set(GLOSSARY.findall(source)):
        hidden.append("a glossary link")
    return hidden


def _value_digest(value) -> str:
    """A digest of a TOML value, independent of how the file lays it out."""
    if value is None:
        return "missing"
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return sha256(text.encode("utf-8"))


def _localized(path: str, lang: str) -> str:
    stem, dot, suffix = path.rpartition(".")
    return f"{stem}.{lang}.{suffix}"


class Sources:
    """The data files pages draw from, read once, and each file's and entry's digest, worked
    out once: many pages cite the same references and link the same terms. Parse errors are
    the build's to report (data.py, bibliography.py); here a file that cannot be read counts
    as empty."""

    def __init__(self, content: Path, settings: dict):
        self.content = content
        self.settings = settings
        self.default = settings["DEFAULT_LANG"]
        self._toml: dict[str, dict] = {}
        self._digests: dict[tuple, str] = {}

    def toml(self, relative: str) -> dict:
        if relative not in self._toml:
            try:
                self._toml[relative] = tomllib.loads((self.content / relative).read_text("utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                self._toml[relative] = {}
        return self._toml[relative]

    def file_digest(self, relative: str) -> str:
        try:
            return sha256((self.content / relative).read_bytes())
        except OSError:
            return "missing"

    def entry_digest(self, relative: str, key: str) -> str:
        """The digest of one top-level entry of a data file."""
        if (relative, key) not in self._digests:
            self._digests[relative, key] = _value_digest(self.toml(relative).get(key))
        return self._digests[relative, key]

    def row_digest(self, relative: str, use: str) -> str:
        """The digest of one evidence row (a [[use]] entry, by its id)."""
        if (relative, "use", use) not in self._digests:
            self._digests[relative, "use", use] = _value_digest(self.evidence_rows(relative).get(use))
        return self._digests[relative, "use", use]

    def evidence_rows(self, relative: str) -> dict:
        uses = self.toml(relative).get("use", [])
        return {u.get("id"): u for u in uses if isinstance(u, dict)} if isinstance(uses, list) else {}


def _refs_in(value) -> list[str]:
    """Reference keys in an evidence row: every `refs` list in it."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "refs" and isinstance(item, list):
                found += [str(r) for r in item]
            else:
                found += _refs_in(item)
    return found


def page_inputs(sources: Sources, key: str, lang: str) -> dict[str, str]:
    """{input name: digest} of everything drawn into the page `key` (its path under content/)."""
    settings, default = sources.settings, sources.default
    translated = lang != default
    try:
        text = (sources.content / key).read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    inputs = {key: sources.file_digest(key)}
    cited = list(markup.cited_keys(text))
    grids = settings.get("OPTION_GRIDS", "data/option-grids")
    for slug in GRID.findall(text):
        grid = f"{grids}/{slug}.toml"
        inputs[grid] = sources.file_digest(grid)
        try:
            cited += markup.cited_keys((sources.content / grid).read_text("utf-8"))
        except (OSError, UnicodeDecodeError):
            pass
        if translated:
            inputs[_localized(grid, lang)] = sources.file_digest(_localized(grid, lang))
    evidence = settings.get("EVIDENCE", "data/evidence.toml")
    rows = sources.evidence_rows(evidence)
    for found in EVIDENCE_TABLE.finditer(text):
        chosen = [a.strip() for a in (found.group(1) or "").split(",") if a.strip() in rows] or list(rows)
        files = [evidence] + ([_localized(evidence, lang)] if translated else [])
        for relative in files:
            for use in chosen:
                inputs[f"{relative} [use {use}]"] = sources.row_digest(relative, use)
        for use in chosen:
            cited += _refs_in(rows.get(use))
    if EVIDENCE_SCALE.search(text) or EVIDENCE_TABLE.search(text):  # a table shows the scale's labels
        for relative in [evidence] + ([_localized(evidence, lang)] if translated else []):
            inputs[f"{relative} [scale]"] = sources.entry_digest(relative, "scale")
    bibliography = settings.get("BIBLIOGRAPHY", "data/references.toml")
    # a cited work the last source check flagged: its status and the reason readers see
    checked = settings.get("SOURCE_CHECKS", "data/source-checks.toml")
    flagged = sources.toml(checked).get("works")
    for ref in dict.fromkeys(cited):
        inputs[f"{bibliography} [{ref}]"] = sources.entry_digest(bibliography, ref)
        if isinstance(flagged, dict) and ref in flagged:
            inputs[f"{checked} [works.{ref}]"] = _value_digest(flagged[ref])
    glossary = settings.get("GLOSSARY", "data/glossary.toml")
    glossary = _localized(glossary, lang) if translated else glossary
    terms = list(sources.toml(glossary)) if GLOSSARY_BLOCK.search(text) else GLOSSARY.findall(text)
    for term in dict.fromkeys(terms):
        inputs[f"{glossary} [{term}]"] = sources.entry_digest(glossary, term)
    return inputs
