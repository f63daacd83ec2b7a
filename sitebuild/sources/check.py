"""`invoke sources`: every reference of the bibliography against Crossref, PubMed and PMC,
and every other cited web address against its server. One Result per source; the report is one
table, worst first."""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from medical_content.data import bibliography
from medical_content.data import source_checks
from medical_content.data.source_checks import CONCERN, RETRACTED, WITHDRAWN

from . import titles
from .client import Client, NetworkError
from .services import Endpoints, Unanswered, crossref_work, pmc_ids, pubmed_works

# Statuses, worst first. The first six make `invoke sources` exit 1.
MISMATCH, NOT_FOUND, DEAD = "mismatch", "not found", "dead"
NOT_CHECKED = "not checked"
CORRECTED, DIFFERS, MOVED, REFUSED, OK = "corrected", "differs", "moved", "refused", "ok"
ORDER = [RETRACTED, WITHDRAWN, CONCERN, MISMATCH, NOT_FOUND, DEAD, NOT_CHECKED,
         CORRECTED, DIFFERS, MOVED, REFUSED, OK]
FAILING = set(ORDER[:6])
EXIT_OK, EXIT_FINDINGS, EXIT_NOT_CHECKED = 0, 1, 3
# Crossref update types (Crossmark) and what they make of the work they update.
UPDATE_STATUS = {"retraction": RETRACTED, "partial_retraction": RETRACTED, "removal": RETRACTED,
                 "withdrawal": WITHDRAWN, "expression_of_concern": CONCERN,
                 "correction": CORRECTED, "corrigendum": CORRECTED, "erratum": CORRECTED}
MARKDOWN_LINK = re.compile(r"\]\(\s*<?(https?://[^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|<(https?://[^>\s]+)>")
URL_FIELD = re.compile(r"""^\s*url\s*=\s*["'](https?://[^"']+)["']""", re.M)


@dataclass
class Result:
    key: str  # the reference key, or the address for a link in a page
    identifier: str  # what was checked: doi:..., PMID ..., the address
    notes: list = field(default_factory=list)  # (status, what was found)
    notice: str = ""
    notice_date: str = ""
    cited_in: tuple = ()  # for a link in a page: the files it is in

    def add(self, status: str, text: str) -> None:
        self.notes.append((status, text))

    @property
    def status(self) -> str:
        return min((s for s, _ in self.notes), key=ORDER.index, default=OK)


def _notice_text(notice) -> str:
    if notice.note:
        return notice.note
    parts = [notice.kind.replace("_", " ")]
    if notice.doi:
        parts.append(notice.doi)
    if notice.date:
        parts.append(notice.date)
    if notice.source:
        parts.append(f"source: {notice.source}")
    return ", ".join(parts)


def _plain(text: str) -> str:
    """A title as readers see it: no markup, no entities."""
    return " ".join(titles.html.unescape(titles.TAGS.sub("", titles.html.unescape(text))).split())


def _compare(result: Result, reference: bibliography.Reference, work, label: str) -> None:
    """What one service says against the bibliography entry."""
    if not work.found:
        result.add(NOT_FOUND, f"{label} does not know this identifier")
        return
    if work.is_notice:
        result.add(MISMATCH, f"{label}: the record is {work.is_notice}, not the work")
    for notice in work.notices:
        status = UPDATE_STATUS.get(notice.kind)
        if status:
            result.add(status, f"{label}: {_notice_text(notice)}")
            if status in source_checks.FLAGGED and not result.notice:
                result.notice, result.notice_date = notice.doi, notice.date
    if work.title and titles.NOTICE_PREFIX.match(titles.html.unescape(work.title)) and not work.notices:
        result.add(RETRACTED, f"{label}: the title says so: {_plain(work.title)[:60]}")
    if work.title and not titles.same_title(reference.title, work.title):
        result.add(MISMATCH, f"{label}: title '{_plain(work.title)[:80]}'")
    year = str(reference.year)
    if work.years and year.isdigit() and year not in work.years:
        result.add(DIFFERS, f"{label}: year {'/'.join(sorted(work.years))}, not {year}")
    if reference.journal and any(work.journals) and not titles.same_journal(reference.journal, work.journals):
        result.add(DIFFERS, f"{label}: journal '{_plain(next(j for j in work.journals if j))}'")
    for name, ours in (("doi", reference.doi), ("pmid", reference.pmid), ("pmcid", reference.pmcid)):
        theirs = getattr(work, name)
        if ours and theirs and ours.lower() != theirs.lower():
            result.add(MISMATCH, f"{label} gives {name} {theirs}, not {ours}")


def check_references(references: dict, client: Client, endpoints: Endpoints, contact_email: str = "") -> list[Result]:
    results = {}
    for key, ref in references.items():
        ids = [f"doi:{ref.doi}" if ref.doi else "", f"PMID {ref.pmid}" if ref.pmid else "", ref.pmcid]
        results[key] = Result(key, " ".join(i for i in ids if i) or ref.url)

    def ask(keys, service, call):
        """Run one service's lookup; the sources it was for are 'not checked' if it fails."""
        try:
            return call()
        except NetworkError as error:
            for key in keys:
                results[key].add(NOT_CHECKED, f"{service}: {error}")
        except Unanswered as error:  # its message names the service
            for key in keys:
                results[key].add(NOT_CHECKED, str(error))
        return None

    # Crossref first: its notices carry the notice's DOI and date, so they lead each row.
    for key, ref in references.items():
        if ref.doi:
            work = ask([key], "Crossref", lambda: crossref_work(client, endpoints, ref.doi))
            if work is not None:
                _compare(results[key], ref, work, "Crossref")
        elif not (ref.pmid or ref.pmcid) and ref.url:
            _check_address(results[key], ref.url, client)
    with_pmcid = {k: r for k, r in references.items() if r.pmcid}
    converted = ask(with_pmcid, "PMC", lambda: pmc_ids(client, endpoints, sorted({r.pmcid.upper() for r in with_pmcid.values()}), contact_email)) or {}
    pmid_of = {k: r.pmid for k, r in references.items() if r.pmid}
    for key, ref in with_pmcid.items():
        if ref.pmcid.upper() in converted:
            work = converted[ref.pmcid.upper()]
            _compare(results[key], ref, work, "PMC")
            if work.found and work.pmid and key not in pmid_of:
                pmid_of[key] = work.pmid  # PubMed tells the title, year and retractions
    with_pmid = list(pmid_of)
    pubmed = ask(with_pmid, "PubMed", lambda: pubmed_works(client, endpoints, sorted(set(pmid_of.values())), contact_email)) or {}
    for key in with_pmid:
        if pmid_of[key] in pubmed:
            _compare(results[key], references[key], pubmed[pmid_of[key]], "PubMed")
    return list(results.values())


def _check_address(result: Result, url: str, client: Client) -> None:
    try:
        answer = client.get(url, accept="text/html,application/xhtml+xml,*/*;q=0.8", keep_body=False)
    except NetworkError as error:
        result.add(NOT_CHECKED, str(error))
        return
    if answer.status in (404, 410):
        result.add(DEAD, f"the page is gone ({answer.status})")
    elif answer.status in (429,) or answer.status >= 500:
        result.add(NOT_CHECKED, f"the server answered {answer.status}")
    elif answer.status >= 400:
        result.add(REFUSED, f"the server refused an automatic check ({answer.status}); open it by hand")
    elif answer.status in (301, 302, 303, 307, 308):
        result.add(NOT_CHECKED, f"a redirect without an address ({answer.status})")
    elif answer.moved_permanently and answer.url != url:
        result.add(MOVED, f"moved permanently to {answer.url}")
    elif answer.url != url:
        result.add(OK, f"answers, by way of {answer.url}")


def page_addresses(content: Path, bibliography_file: Path) -> dict[str, list[str]]:
    """Every web address written in a page or a data file other than the bibliography (its
    addresses are checked with their reference): address -> the files it is in."""
    found: dict[str, list[str]] = {}
    for dirpath, dirnames, filenames in os.walk(content):  # os.walk does not enter linked folders
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_symlink() or path.resolve() == bibliography_file.resolve():
                continue
            if name.endswith(".md"):
                pattern = MARKDOWN_LINK
            elif name.endswith(".toml") and name != Path(source_checks.RESULTS).name:
                pattern = URL_FIELD
            else:
                continue
            try:
                text = path.read_text("utf-8")
            except (OSError, UnicodeDecodeError):
                continue  # the build reports it
            for match in pattern.finditer(text):
                address = next(g for g in match.groups() if g)
                found.setdefault(address, []).append(path.relative_to(content.parent).as_posix())
    return found


def check_addresses(addresses: dict[str, list[str]], client: Client) -> list[Result]:
    results = []
    for address, files in sorted(addresses.items()):
        result = Result(address, address, cited_in=tuple(dict.fromkeys(files)))
        _check_address(result, address, client)
        results.append(result)
    return results


def worst_first(results: list[Result]) -> list[Result]:
    return sorted(results, key=lambda r: (ORDER.index(r.status), r.key))


def exit_status(results: list[Result]) -> int:
    if any(r.status in FAILING for r in results):
        return EXIT_FINDINGS
    if any(r.status == NOT_CHECKED for r in results):
        return EXIT_NOT_CHECKED
    return EXIT_OK


def table(results: list[Result]) -> str:
    header = ("Status", "Source", "Checked", "Found")
    rows = []
    for result in worst_first(results):
        found = "; ".join(text for status, text in result.notes if text) or "-"
        if result.cited_in:
            found += f" (in {', '.join(result.cited_in)})"
        rows.append((result.status.upper(), result.key if result.key != result.identifier else "(page link)",
                     result.identifier, found))
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths)) + "  " + row[3]
                     for row in [header, *rows])


def summary(results: list[Result]) -> str:
    counts = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    parts = [f"{counts[s]} {s}" for s in ORDER if s in counts]
    return f"{len(results)} sources: " + ", ".join(parts)


def offline_message(results: list[Result]) -> str:
    unchecked = [r for r in worst_first(results) if r.status == NOT_CHECKED]
    if not unchecked:
        return ""
    everything = len(unchecked) == len(results)
    lines = [("Could not check the sources: no answer from the network. " if everything else
              f"Could not check {len(unchecked)} of {len(results)} sources. ")
             + "This says nothing about the site; run `invoke sources` again when online.",
             "Not checked:"]
    lines += [f"  {r.key if r.key == r.identifier else r.key + ' (' + r.identifier + ')'}: "
              f"{next(t for s, t in r.notes if s == NOT_CHECKED)}" for r in unchecked]
    return "\n".join(lines)


def results_file(results: list[Result], previous: source_checks.Results, today: datetime.date,
                 default_lang: str = "en") -> source_checks.Results:
    """The new results: every source that needs an eye, with the editors' `keep` reasons
    carried over; a source not checked this time keeps its earlier record."""
    records = {}
    for result in results:
        old = previous.records.get(result.key)
        if result.status == NOT_CHECKED:
            if old:
                records[result.key] = old
            continue
        if result.status == OK:
            continue
        detail = "; ".join(text for status, text in result.notes if status == result.status)
        records[result.key] = source_checks.Record(
            result.key, result.status, detail, result.notice, result.notice_date,
            old.keep if old and result.status in source_checks.FLAGGED else ())
    return source_checks.Results(today, summary(results), records)
