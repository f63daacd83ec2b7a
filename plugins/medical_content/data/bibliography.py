"""The bibliography: one TOML file of references that pages cite as `[@key]`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .evidence_glossary import read_toml

DOI = re.compile(r"^10\.\d{4,9}/\S+$")
PMID = re.compile(r"^\d{1,9}$")
PMCID = re.compile(r"^PMC\d+$")
REQUIRED = ("title", "year")  # some works in the brief have no recorded authors
KNOWN = {*REQUIRED, "authors", "journal", "doi", "pmid", "pmcid", "url", "brief", "note", "topic", "unlinked"}
# Which references page lists a work (`[[all-references: topic]]`): one page holding every
# work would be over the page-weight budget. A work without a `topic` is about PRP.
DEFAULT_TOPIC = "prp"
TOPICS = (DEFAULT_TOPIC, "exosomes", "other-treatments")


@dataclass(frozen=True)
class Reference:
    key: str
    title: str
    year: str
    authors: str = ""
    journal: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    url: str = ""  # the publisher's or regulator's own page, when there is no DOI or PubMed ID
    brief: str = ""  # the reference's number in shared/content-brief.md, for reviewers
    topic: str = DEFAULT_TOPIC  # the references page that lists it
    unlinked: str = ""  # why there is no link (the brief saw only copies): none is shown

    @property
    def link(self) -> str:
        """Where the reference list links: DOI first, then PubMed, PubMed Central, address."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        if self.pmcid:
            return f"https://pmc.ncbi.nlm.nih.gov/articles/{self.pmcid}/"
        return self.url

    @property
    def link_label(self) -> str:
        if self.doi:
            return f"doi:{self.doi}"
        if self.pmid:
            return f"PubMed {self.pmid}"
        if self.pmcid:
            return self.pmcid
        return self.url


def entry_problems(key: str, entry: dict) -> list[str]:
    """What is wrong with one bibliography entry, as 'key: problem; fix' lines."""
    problems = []
    for name in REQUIRED:
        if not str(entry.get(name, "")).strip():
            problems.append(f"[{key}]: '{name}' is missing; add it")
    for name in sorted(set(entry) - KNOWN):
        problems.append(f"[{key}]: unknown field '{name}'; use one of {', '.join(sorted(KNOWN))}")
    doi, pmid = str(entry.get("doi", "")), str(entry.get("pmid", ""))
    pmcid, url = str(entry.get("pmcid", "")), str(entry.get("url", ""))
    if doi and not DOI.match(doi):
        problems.append(f"[{key}]: doi '{doi}' is not a DOI; write it as 10.xxxx/yyyy")
    if pmid and not PMID.match(pmid):
        problems.append(f"[{key}]: pmid '{pmid}' is not a PubMed ID; it is digits only")
    if pmcid and not PMCID.match(pmcid):
        problems.append(f"[{key}]: pmcid '{pmcid}' is not a PubMed Central ID like PMC1234567")
    if url and not url.startswith("https://"):
        problems.append(f"[{key}]: url '{url}' must start with https://")
    topic = entry.get("topic", DEFAULT_TOPIC)
    if topic not in TOPICS:
        problems.append(f"[{key}]: topic '{topic}' is not a topic of the references pages; "
                        f"use one of {', '.join(TOPICS)} (leave it out for {DEFAULT_TOPIC})")
    unlinked = str(entry.get("unlinked", "")).strip()
    if unlinked and (doi or pmid or pmcid or url):
        problems.append(f"[{key}]: 'unlinked' is for a work with no link we may use; remove it, as the entry has one")
    # The brief's rule: a work seen only through copies is cited by authors, title, journal and
    # year, without a link; `unlinked` says why, so a missing link is never an oversight.
    if not (doi or pmid or pmcid or url or unlinked):
        problems.append(f"[{key}]: no doi, pmid, pmcid or url; add one so readers can find it "
                        "(or, for a work the brief saw only in copies, unlinked = \"why\")")
    return problems


def load(path: Path) -> tuple[dict[str, Reference], list[str]]:
    """The references in `path`, and every problem found in it (the file name is added)."""
    data, problems = read_toml(path, what="the bibliography")
    if data is None:
        return {}, problems
    references, problems = {}, []
    for key, entry in data.items():
        if not isinstance(entry, dict):
            problems.append(f"{path}: '{key}' must be a [section] with the reference's fields")
            continue
        found = entry_problems(key, entry)
        problems += [f"{path}: {p}" for p in found]
        if not found:
            fields = {k: str(v) for k, v in entry.items() if k in KNOWN and k != "note"}
            references[key] = Reference(key=key, **fields)
    return references, problems
