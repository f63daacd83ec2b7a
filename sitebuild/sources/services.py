"""What Crossref and NCBI say about a work, read from their documented JSON answers:
Crossref's REST API (/works/{doi}), NCBI E-utilities (esummary.fcgi, db=pubmed, JSON) and the
PMC ID Converter API. The base addresses are settings (Endpoints), so tests point them at a
server on 127.0.0.1."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from .client import Client

TOOL = "prp-site-sources"  # NCBI asks for a tool name without spaces
BATCH = 200  # the ID converter's limit, and a safe one for esummary


@dataclass(frozen=True)
class Endpoints:
    crossref: str = "https://api.crossref.org"
    eutils: str = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
    idconv: str = "https://pmc.ncbi.nlm.nih.gov/tools/idconv/api/v1/articles/"


@dataclass
class Notice:
    kind: str  # retraction, withdrawal, expression_of_concern, correction...
    doi: str = ""
    date: str = ""
    source: str = ""  # "publisher", "retraction-watch"...
    note: str = ""  # said instead, when the service gives no notice of its own (PubMed)


@dataclass
class Work:
    """One service's record of a work; `found` False when the identifier does not resolve."""
    service: str
    found: bool = True
    title: str = ""
    years: set = field(default_factory=set)
    journals: list = field(default_factory=list)
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    notices: list = field(default_factory=list)
    is_notice: str = ""  # the record is itself a notice (e.g. a retraction notice), not a work
    pubtypes: list = field(default_factory=list)


class Unanswered(Exception):
    """A service gave no usable answer (network, rate limit, server error)."""


def _json(answer, what: str) -> dict:
    if answer.status != 200:
        raise Unanswered(f"{what} answered {answer.status}")
    try:
        data = json.loads(answer.body)
    except ValueError:
        raise Unanswered(f"{what} sent an answer that is not JSON") from None
    if not isinstance(data, dict):
        raise Unanswered(f"{what} sent an unexpected answer")
    return data


def _date(parts) -> str:
    try:
        numbers = [int(n) for n in parts["date-parts"][0] if n is not None]
    except (KeyError, IndexError, TypeError, ValueError):
        return ""
    return "-".join(f"{n:02d}" if i else str(n) for i, n in enumerate(numbers))


def crossref_work(client: Client, endpoints: Endpoints, doi: str) -> Work:
    answer = client.get(f"{endpoints.crossref.rstrip('/')}/works/{quote(doi, safe='/')}")
    if answer.status == 404:
        return Work("Crossref", found=False)
    message = _json(answer, "Crossref").get("message")
    if not isinstance(message, dict):
        raise Unanswered("Crossref sent an answer without a message")
    years = set()
    for name in ("issued", "published-print", "published-online", "published"):
        if year := _date(message.get(name, {}))[:4]:
            years.add(year)
    notices = [Notice(str(u.get("type", "")), str(u.get("DOI", "")), _date(u.get("updated", {})),
                      str(u.get("source", "")))
               for u in message.get("updated-by", []) if isinstance(u, dict)]
    updates_to = [u for u in message.get("update-to", []) if isinstance(u, dict)
                  and str(u.get("DOI", "")).lower() != doi.lower()]
    titles = message.get("title") or [""]
    return Work(
        "Crossref",
        title=str(titles[0]),
        years=years,
        journals=[str(t) for t in (message.get("container-title") or []) + (message.get("short-container-title") or [])],
        doi=str(message.get("DOI", doi)),
        notices=notices,
        is_notice=(f"a {updates_to[0].get('type', 'notice')} notice for {updates_to[0].get('DOI', '')}"
                   if updates_to else ""),
    )


def _ncbi_query(client: Client, contact_email: str, **params) -> str:
    params = {**params, "tool": TOOL}
    if contact_email:
        params["email"] = contact_email
    return urlencode(params)


# PubMed publication types of a record that is itself a notice, not the work.
NOTICE_PUBTYPES = {"Retraction of Publication": "a retraction notice", "Published Erratum": "an erratum notice",
                   "Expression of Concern": "an expression of concern"}


def pubmed_works(client: Client, endpoints: Endpoints, pmids: list[str], contact_email: str = "") -> dict[str, Work]:
    """PMID -> its PubMed record, from esummary (JSON), in batches."""
    works = {}
    for start in range(0, len(pmids), BATCH):
        batch = pmids[start:start + BATCH]
        query = _ncbi_query(client, contact_email, db="pubmed", id=",".join(batch), retmode="json")
        result = _json(client.get(f"{endpoints.eutils.rstrip('/')}/esummary.fcgi?{query}"), "PubMed").get("result")
        if not isinstance(result, dict):
            raise Unanswered("PubMed sent an answer without a result")
        for pmid in batch:
            record = result.get(pmid)
            if not isinstance(record, dict) or record.get("error"):
                works[pmid] = Work("PubMed", found=False)
                continue
            ids = {str(a.get("idtype")): str(a.get("value", "")) for a in record.get("articleids", [])
                   if isinstance(a, dict)}
            pubtypes = [str(p) for p in record.get("pubtype", [])]
            notices = ([Notice("retraction", note="publication type 'Retracted Publication'")]
                       if "Retracted Publication" in pubtypes else [])
            year = re.match(r"\d{4}", str(record.get("pubdate", "")) or str(record.get("epubdate", "")))
            works[pmid] = Work(
                "PubMed",
                title=str(record.get("title", "")),
                years={year.group()} if year else set(),
                journals=[str(record.get("fulljournalname", "")), str(record.get("source", ""))],
                doi=ids.get("doi", ""),
                pmid=pmid,
                pmcid=ids.get("pmc", ""),
                notices=notices,
                is_notice=next((NOTICE_PUBTYPES[p] for p in pubtypes if p in NOTICE_PUBTYPES), ""),
                pubtypes=pubtypes,
            )
    return works


def pmc_ids(client: Client, endpoints: Endpoints, pmcids: list[str], contact_email: str = "") -> dict[str, Work]:
    """PMCID -> the PMID and DOI the PMC ID Converter gives it."""
    works = {}
    for start in range(0, len(pmcids), BATCH):
        batch = pmcids[start:start + BATCH]
        query = _ncbi_query(client, contact_email, ids=",".join(batch), format="json")
        data = _json(client.get(f"{endpoints.idconv}?{query}"), "the PMC ID converter")
        if data.get("status") not in (None, "ok"):
            raise Unanswered(f"the PMC ID converter said: {data.get('message', data.get('status'))}")
        for record in data.get("records", []):
            if not isinstance(record, dict):
                continue
            asked = str(record.get("requested-id") or record.get("pmcid", "")).upper()
            if record.get("status") == "error" or record.get("errmsg") or not record.get("pmcid"):
                works[asked] = Work("PMC", found=False)
            else:
                works[str(record["pmcid"]).upper()] = Work(
                    "PMC", doi=str(record.get("doi", "")), pmid=str(record.get("pmid", "")),
                    pmcid=str(record["pmcid"]).upper())
        for pmcid in batch:
            works.setdefault(pmcid.upper(), Work("PMC", found=False))
    return works
