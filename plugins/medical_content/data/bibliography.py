"""The bibliography: one TOML file of references that pages cite as `[@key]`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import models
from .evidence_glossary import read_toml
from .structure import check

# Which references page lists a work (`[[all-references: topic]]`): one page holding every
# work would be over the page-weight budget. A work without a `topic` is about PRP.
TOPICS = models.TOPICS
DEFAULT_TOPIC = TOPICS[0]


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


def entry_problems(key: str, entry: models.Reference) -> list[str]:
    """The rules across one entry's fields, as '[key]: problem; fix' lines (its structure is
    the model's, models.Reference)."""
    problems = []
    linked = entry.doi or entry.pmid or entry.pmcid or entry.url
    if entry.unlinked.strip() and linked:
        problems.append(f"[{key}]: 'unlinked' is for a work with no link we may use; remove it, as the entry has one")
    # The brief's rule: a work seen only through copies is cited by authors, title, journal and
    # year, without a link; `unlinked` says why, so a missing link is never an oversight.
    if not (linked or entry.unlinked.strip()):
        problems.append(f"[{key}]: no doi, pmid, pmcid or url; add one so readers can find it "
                        "(or, for a work the brief saw only in copies, unlinked = \"why\")")
    return problems


def load(path: Path) -> tuple[dict[str, Reference], list[str]]:
    """The references in `path`, and every problem found in it (the file name is added)."""
    data, problems = read_toml(path, what="the bibliography")
    if data is None:
        return {}, problems
    references, problems = {}, []
    for key, raw in data.items():
        # one entry at a time, so that the good ones still resolve their citations
        entry, found = check(models.Reference, raw, str(path), lambda loc, data: (f"[{key}]", 0))
        found = found or [f"{path}: {p}" for p in entry_problems(key, entry)]
        problems += found
        if not found:
            fields = {k: str(v) for k, v in entry.model_dump(exclude={"note"}).items()}
            references[key] = Reference(key=key, **fields)
    return references, problems
