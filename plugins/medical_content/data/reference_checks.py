"""content/data/reference-checks.toml: how each entry of the bibliography was verified against
the content brief (its number there, the brief's status, the identifiers as verified, how and
when). Editors write it by hand after checking a new or changed entry.

It is not read by the build: `make test` compares it with the bibliography
(tests/test_content.py), so a reference that was never verified, or whose identifiers changed
after it was, cannot reach the site through CI. The structure is checked by its model
(models.ReferenceCheck: only the brief's Yes and Partly may be cited); the rules across the two
files are here.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from . import models
from .evidence_glossary import read_toml
from .structure import check

IDENTIFIERS = ("doi", "pmid", "pmcid", "url")


def problems(records_path: Path, bibliography_path: Path, label=str, today: datetime.date | None = None) -> list[str]:
    """Every problem of the verification record, and every bibliography entry it does not
    vouch for, as `file: [key]: what; fix`. `label(path)` names a file in the messages; no
    record may be dated after `today` (default: the day it runs)."""
    today = today or datetime.date.today()
    name, bibliography_name = label(records_path), label(bibliography_path)
    records, found = read_toml(records_path, name, "the reference checks")
    bibliography, unreadable = read_toml(bibliography_path, bibliography_name, "the bibliography")
    if records is None or bibliography is None:
        return found + unreadable
    result = []
    verified = {}
    for key, raw in records.items():
        # one record at a time, so that a broken record does not hide the others' problems
        record, found = check(models.ReferenceCheck, raw, name, lambda loc, data: (f"[{key}]", 0))
        result += found
        if record is not None and record.checked > today:
            result.append(f"{name}: [{key}]: checked {record.checked.isoformat()} is after today; write the day "
                          "the identifiers were verified")
        elif record is not None:
            verified[key] = record
    for key, entry in bibliography.items():
        if not isinstance(entry, dict):
            continue  # the bibliography's own check reports it
        if key not in records:
            result.append(f"{bibliography_name}: [{key}]: no verification record; check the entry against the "
                          f"content brief, then add [{key}] to {name}")
            continue
        record = verified.get(key)
        if record is None:
            continue  # its own problems are listed above
        if "brief" not in entry:
            result.append(f"{bibliography_name}: [{key}]: the brief's number is missing; write brief = "
                          f"\"{record.brief}\" as its verification record gives it")
        elif entry.get("brief") != record.brief:
            result.append(f"{bibliography_name}: [{key}]: brief {entry.get('brief')!r} differs from the verified "
                          f"{record.brief!r}; check the entry against the brief again")
        listed = {field: str(entry[field]) for field in IDENTIFIERS if field in entry}
        checked = {field: getattr(record, field) for field in IDENTIFIERS if getattr(record, field)}
        if listed != checked:
            result.append(f"{bibliography_name}: [{key}]: identifiers {listed} differ from the verified {checked}; "
                          "verify the new ones, then update the record")
        if "copy" in record.brief_note.lower() and not {"doi", "pmid"} & set(listed):
            result.append(f"{bibliography_name}: [{key}]: the brief saw only a copy; link it by doi or pmid, "
                          "never the copy")
    for key in sorted(set(records) - set(bibliography)):
        result.append(f"{name}: [{key}]: recorded, but not in the bibliography; remove the record")
    return result
