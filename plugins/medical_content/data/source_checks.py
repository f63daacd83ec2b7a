"""The results of the last `invoke sources` run, content/data/source-checks.toml: what the
build and `invoke reviews` know about retracted, withdrawn and flagged works.

`invoke sources` (sitebuild/sources/) writes the file; editors commit it and add only `keep`
(and `keep_<lang>` for each other language) to a work that stays cited on purpose. A page citing
a retracted or withdrawn work fails a production build (RETRACTED_CITATION_IS_ERROR) unless the
work is kept; the reason is then shown to readers beside the reference, in their language.
Development builds warn. The file format is here, once, for the writer and the readers.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import models
from .evidence_glossary import read_toml
from .structure import check

RESULTS = "data/source-checks.toml"  # under content/; setting SOURCE_CHECKS
# Statuses of a work, worst first; the first three make the pages citing it need review.
RETRACTED, WITHDRAWN, CONCERN = "retracted", "withdrawn", "expression of concern"
FLAGGED = (RETRACTED, WITHDRAWN, CONCERN)
MUST_BE_KEPT = (RETRACTED, WITHDRAWN)  # a production build fails while one is cited, unkept
BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
HEADER = """\
# The last check of every source the site cites: written by `invoke sources` (README, "Checking
# sources"; sitebuild/sources/README.md). Commit it after each run.
#
# [check] says when the check ran and what it found. [works.<key>] lists each reference of
# content/data/references.toml (and each other cited address) that needs an editor's eye.
# Edit only `keep` (English) and `keep_<lang>` (each other language): a retracted or withdrawn
# work may stay cited only with a reason readers see beside the reference, e.g.
#   keep = "Cited to explain why this study is no longer trusted."
#   keep_es = "Se cita para explicar por qué este estudio ya no es confiable."
"""


@dataclass(frozen=True)
class Record:
    key: str
    status: str
    detail: str = ""
    notice: str = ""  # the DOI of the retraction, withdrawal or other notice
    date: str = ""  # the notice's date, YYYY-MM-DD
    keep: tuple[tuple[str, str], ...] = ()  # (language, reason readers see), set by editors

    def kept_in(self, lang: str) -> str:
        return dict(self.keep).get(lang, "")


@dataclass(frozen=True)
class Results:
    date: datetime.date | None = None
    outcome: str = ""
    records: dict[str, Record] = field(default_factory=dict)

    def flagged(self) -> dict[str, Record]:
        return {k: r for k, r in self.records.items() if r.status in FLAGGED}


def load(path: Path, label: str | None = None, default_lang: str = "en") -> tuple[Results, list[str]]:
    """The recorded results, and every problem in the file. A missing file is no check yet."""
    label = label or str(path)
    if not Path(path).exists():
        return Results(), []
    data, problems = read_toml(Path(path), label, "the source checks")
    if data is None:
        return Results(), problems
    if set(data) - {"check", "works"} or not isinstance(data.get("check", {}), dict) \
            or not isinstance(data.get("works", {}), dict):
        return Results(), check(models.SourceChecks, data, label, lambda loc, data: ("", 0),
                                advice="run `invoke sources` again")[1]
    found, problems = check(models.Check, data.get("check", {}), label, lambda loc, data: ("[check]", 0),
                            advice="run `invoke sources` again")
    date, outcome = (found.date, found.outcome) if found else (None, "")
    works = {}
    for key, entry in data.get("works", {}).items():  # one at a time: the good ones still count
        work, trouble = check(models.Work, entry, label, lambda loc, data: (f"[works.{key}]", 0))
        problems += trouble
        if work is not None:
            works[key] = work
    records = {}
    for key, work in works.items():
        extra = work.model_extra or {}
        unknown = sorted(name for name in extra if not name.startswith("keep_"))
        for name in unknown:
            problems.append(f"{label}: [works.{key}]: unknown field '{name}'; use one of "
                            f"status, detail, notice, date, keep, keep_<language>")
        if unknown:
            continue
        keep = [(default_lang, work.keep.strip())] if work.keep else []
        keep += [(name.removeprefix("keep_"), value.strip()) for name, value in extra.items()]
        records[key] = Record(key, work.status, work.detail, work.notice, work.date, tuple(sorted(keep)))
    return Results(date, outcome, records), problems


def _string(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)


def _key(key: str) -> str:
    return key if BARE_KEY.match(key) else _string(key)


def dump(results: Results, default_lang: str = "en") -> str:
    """The file's text: the header, [check], then each record in key order."""
    lines = [HEADER, "[check]"]
    if results.date:
        lines.append(f"date = {results.date.isoformat()}")
    lines.append(f"outcome = {_string(results.outcome)}")
    for key in sorted(results.records):
        record = results.records[key]
        lines += ["", f"[works.{_key(key)}]", f"status = {_string(record.status)}"]
        for name in ("detail", "notice", "date"):
            if value := getattr(record, name):
                lines.append(f"{name} = {_string(value)}")
        for lang, reason in record.keep:
            lines.append(f"{'keep' if lang == default_lang else 'keep_' + lang} = {_string(reason)}")
    return "\n".join(lines) + "\n"


def cited_problems(results: Results, citing: dict[str, list[tuple[str, str]]], lang_of, label: str,
                   default_lang: str = "en", name_of=str) -> list[str]:
    """One line per retracted or withdrawn work still cited without a reason in the language
    of every page citing it. `citing`: reference key -> [(page title, source file)];
    `lang_of(source)`: the language a page is written in; `name_of(source)`: how to name it."""
    problems = []
    for key, record in sorted(results.records.items()):
        if record.status not in MUST_BE_KEPT or not citing.get(key):
            continue
        sources = sorted({source for _title, source in citing[key]})
        missing = sorted({lang_of(source) for source in sources} - {lang for lang, _ in record.keep})
        if not missing:
            continue
        notice = f" (notice {record.notice}{', ' + record.date if record.date else ''})" if record.notice else ""
        names = " and ".join("keep" if lang == default_lang else f"keep_{lang}" for lang in missing)
        problems.append(
            f"{label}: [works.{key}]: this work is {record.status}{notice} and still cited by "
            f"{', '.join(map(name_of, sources))}; remove the citation, or keep it with the reason readers see: "
            f"add {names} to [works.{key}]"
        )
    return problems


class CitedSources:
    """The build's view of the results file: its problems, the reasons readers see beside a
    kept reference, and the rule for pages still citing a retracted or withdrawn work."""

    def __init__(self, settings: dict, label, default_lang: str):
        path = Path(settings["PATH"]) / settings.get("SOURCE_CHECKS", RESULTS)
        self.label = label(str(path))
        self.default_lang = default_lang
        self.results, self.problems = load(path, self.label, default_lang)
        if self.results.records:
            self.problems += self._wording_problems()

    def _wording_problems(self) -> list[str]:
        """A reason is text readers see: the same wording and typed-fact rules as a page."""
        from ..rules.checks import PageChecker

        problems = []
        for key, record in self.results.records.items():
            for lang, reason in record.keep:
                name = "keep" if lang == self.default_lang else f"keep_{lang}"
                checker = PageChecker(f"{self.label}: [works.{key}] {name}", reason)
                checker.wording([reason], lang)
                checker.typed_facts([reason], [], [], "")
                problems += [p.replace(": line 1: ", ": ", 1) for p in checker.problems]
        return problems

    def notice(self, key: str, lang: str) -> tuple[str, str] | None:
        """(status, reason) for a kept retracted or withdrawn work, in `lang`."""
        record = self.results.records.get(key)
        if record is None or record.status not in MUST_BE_KEPT:
            return None
        reason = record.kept_in(lang) or record.kept_in(self.default_lang)
        return (record.status, reason) if reason else None

    def template_global(self, current_lang):
        """`source_notice(ref)` for the theme: the page's language from the template's
        context, else `current_lang()` (components drawn while a page is read)."""
        from jinja2 import pass_context

        @pass_context
        def source_notice(context, ref):
            return self.notice(ref.key, context.get("page_lang") or current_lang())

        return source_notice

    def cited_problems(self, citing: dict, lang_of, name_of=str) -> list[str]:
        return cited_problems(self.results, citing, lang_of, self.label, self.default_lang, name_of)
