"""`invoke sources` on recorded answers, through the real HTTP client. Tier: unit (no site is built).

Crossref, PubMed (esummary) and the PMC ID converter answer in their documented JSON formats
(tests/source_answers/) from a server on 127.0.0.1 that this module starts and stops, beside web
pages that move, vanish, hang or rate-limit. Also: the answer cache (ETag, no symlink followed),
the offline message, the results file, what `invoke reviews` shows of it, and the weekly job.
The build rule is in tests/test_source_checks_build.py."""

from __future__ import annotations

import datetime
import json
import os
import socket
import threading
import time
import tomllib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import ROOT
from test_tasks import invoke

ANSWERS = Path(__file__).parent / "source_answers"
CONTACT = "editors@example.org"
TODAY = "2026-06-01"

CROSSREF = {  # DOI -> recorded answer
    "10.5555/clean": "crossref-clean.json",
    "10.5555/retracted": "crossref-retracted.json",
    "10.5555/corrected": "crossref-corrected.json",
    "10.5555/concern": "crossref-concern.json",
    "10.5555/other-title": "crossref-other-title.json",
    "10.5555/a-notice": "crossref-notice.json",
    "10.5555/withdrawn": "crossref-withdrawn.json",
}


class Recorded(BaseHTTPRequestHandler):
    """Answers as the services and web sites would; every request is logged on the server."""

    def log_message(self, *args):  # quiet
        pass

    def send(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        try:
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the timeout case)

    def do_GET(self):
        server = self.server
        parts = urlsplit(self.path)
        server.log.append((parts.path, dict(self.headers.items()), parse_qs(parts.query)))
        count = sum(1 for p, *_ in server.log if p == parts.path)
        json_type = ("Content-Type", "application/json; charset=utf-8")
        if parts.path.startswith("/crossref/works/"):
            doi = parts.path.removeprefix("/crossref/works/")
            if doi == "10.5555/busy" and count == 1:
                return self.send(429, b"Too many requests", [("Retry-After", "1")])
            if doi == "10.5555/always-busy":
                return self.send(429, b"Too many requests", [("Retry-After", "0")])
            if doi == "10.5555/busy":
                body = (ANSWERS / "crossref-clean.json").read_bytes().replace(b'"10.5555/clean"', b'"10.5555/busy"')
            elif doi in CROSSREF:
                body = (ANSWERS / CROSSREF[doi]).read_bytes()
            else:
                return self.send(404, b"Resource not found.", [("Content-Type", "text/plain")])
            etag = f'W/"{doi}"'
            if self.headers.get("If-None-Match") == etag:
                return self.send(304, headers=[("ETag", etag)])
            return self.send(200, body, [json_type, ("ETag", etag)])
        if parts.path == "/eutils/esummary.fcgi":
            return self.send(200, (ANSWERS / "esummary.json").read_bytes(), [json_type])
        if parts.path == "/idconv/":
            return self.send(200, (ANSWERS / "idconv.json").read_bytes(), [json_type])
        html = ("Content-Type", "text/html; charset=utf-8")
        pages = {
            "/web/old": (301, [("Location", "/web/new")]),
            "/web/temporary": (302, [("Location", "/web/new")]),
            "/web/new": (200, [html]),
            "/web/gone": (404, [html]),
            "/web/forbidden": (403, [html]),
            "/web/busy": (429, [("Retry-After", "0")]),
        }
        if parts.path == "/web/slow":
            time.sleep(2)
            return self.send(200, b"<p>late</p>", [html])
        status, headers = pages.get(parts.path, (404, [html]))
        return self.send(status, b"<p>page</p>", headers)


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    httpd.log = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def ref(key, title, year, journal="", **ids):
    lines = [f"[{key}]", f"title = {json.dumps(title)}", f"year = {year}"]
    if journal:
        lines.append(f"journal = {json.dumps(journal)}")
    lines += [f"{name} = {json.dumps(value)}" for name, value in ids.items()]
    return "\n".join(lines) + "\n"


BIBLIOGRAPHY = "\n".join([
    ref("clean2012", "An example clean article – platelet-rich plasma", 2012,
        "Example Journal of Joint Research & Therapy", doi="10.5555/clean", pmid="20000001"),
    ref("retracted2015", "An example trial of injections for knee pain", 2015, "Example Orthopaedic Journal",
        doi="10.5555/retracted", pmid="20000002"),
    ref("corrected2018", "An example cohort study of tendon healing", 2018, "Example Sports Medicine",
        doi="10.5555/corrected"),
    ref("concern2019", "An example study of exosome injections", 2019, "Example Cell Therapy", doi="10.5555/concern"),
    ref("withdrawn2020", "An example preprint on hair regrowth", 2020, doi="10.5555/withdrawn"),
    ref("differs2011", "An example clean article: platelet-rich plasma", 2011, "Another Example Journal",
        doi="10.5555/clean"),
    ref("wrongwork2020", "An example review of knee injections", 2020, doi="10.5555/other-title"),
    ref("notice2021", "An example review of hair loss treatments", 2021, doi="10.5555/a-notice"),
    ref("missing2016", "An example that Crossref does not know", 2016, doi="10.5555/missing"),
    ref("busy2012", "An example clean article - platelet-rich plasma", 2012, doi="10.5555/busy"),
    ref("stuck2010", "An example behind a busy server", 2010, doi="10.5555/always-busy"),
    ref("pmconly2014", "An example of centrifugation in preparing platelet-rich plasma", 2014,
        "Example Hematology", pmcid="PMC1000001"),
    ref("pmcmismatch2013", "An example of a study of shoulder pain", 2013, pmcid="PMC1000002", pmid="20000004"),
    ref("badpmcid", "An example with a PMCID nobody knows", 2011, pmcid="PMC9999999"),
    ref("gonepmid", "An example with a PMID nobody knows", 2011, pmid="29999999"),
])
EXPECTED = {  # reference or address -> its status in the table
    "retracted2015": "RETRACTED", "withdrawn2020": "WITHDRAWN", "differs2011": "DIFFERS", "concern2019": "EXPRESSION OF CONCERN", "wrongwork2020": "MISMATCH",
    "notice2021": "MISMATCH", "pmcmismatch2013": "MISMATCH", "missing2016": "NOT FOUND",
    "badpmcid": "NOT FOUND", "gonepmid": "NOT FOUND", "/web/gone": "DEAD", "stuck2010": "NOT CHECKED",
    "/web/slow": "NOT CHECKED", "/web/busy": "NOT CHECKED", "corrected2018": "CORRECTED",
    "/web/old": "MOVED", "/web/forbidden": "REFUSED", "clean2012": "OK", "busy2012": "OK",
    "pmconly2014": "OK", "/web/temporary": "OK",
}


def page(title, body):
    return (f"Title: {title}\nDate: 2025-01-01\nReviewed: 2026-01-01\nNext_review: 2027-01-01\n"
            f"Summary: A page.\n\n{body}\n")


def make_repository(folder: Path, base: str) -> Path:
    data = folder / "content" / "data"
    data.mkdir(parents=True)
    (data / "references.toml").write_text(BIBLIOGRAPHY, "utf-8")
    guides = folder / "content" / "guides"
    guides.mkdir()
    (guides / "knee.md").write_text(page("Knee", "A trial [@retracted2015] and a review [@clean2012]."), "utf-8")
    (guides / "exosomes.md").write_text(page("Exosomes", "A study [@concern2019]."), "utf-8")
    links = " ".join(f"[{name}]({base}/web/{name})" for name in ("old", "temporary", "gone", "forbidden", "busy"))
    (guides / "links.md").write_text(page("Links", f"See {links} and <{base}/web/slow>."), "utf-8")
    return folder


def run_sources(repository: Path, server, *extra, env=None):
    return invoke(
        "sources", "--root", str(repository), "--contact", CONTACT,
        "--crossref", f"{server.base}/crossref", "--eutils", f"{server.base}/eutils",
        "--idconv", f"{server.base}/idconv/", "--timeout", "0.5", "--retries", "1",
        "--backoff", "0.05", "--site-interval", "0", *extra, env=env)


def table_rows(output: str) -> list[tuple[str, str]]:
    """(status, source) of each row of the table, in order."""
    rows, started = [], False
    for line in output.splitlines():
        if line.startswith("Status "):
            started = True
            continue
        if started and not line.strip():
            break
        if started:
            status = next(s for s in sorted(set(EXPECTED.values()), key=len, reverse=True) if line.startswith(s))
            rest = line[len(status):].split()
            source = rest[0] if rest[0] != "(page" else "/web/" + rest[2].rsplit("/web/", 1)[1]
            rows.append((status, source))
    return rows


@pytest.fixture(scope="module")
def first_run(server, tmp_path_factory):
    repository = make_repository(tmp_path_factory.mktemp("repo"), server.base)
    cache = tmp_path_factory.mktemp("cache")
    started = time.monotonic()
    run = run_sources(repository, server, "--cache", str(cache))
    return repository, cache, run, time.monotonic() - started


def test_one_table_worst_first_with_every_finding(first_run):
    repository, _cache, run, _seconds = first_run
    assert run.returncode == 1, run.stdout + run.stderr
    rows = table_rows(run.stdout)
    assert dict((source, status) for status, source in rows) == EXPECTED
    order = ["RETRACTED", "WITHDRAWN", "EXPRESSION OF CONCERN", "MISMATCH", "NOT FOUND", "DEAD", "NOT CHECKED",
             "CORRECTED", "DIFFERS", "MOVED", "REFUSED", "OK"]
    assert [order.index(status) for status, _ in rows] == sorted(order.index(status) for status, _ in rows)
    out = run.stdout
    # the notices, with their dates and DOIs, and where each finding comes from
    assert "Crossref: retraction, 10.5555/retraction-notice, 2021-03-15, source: retraction-watch" in out
    assert "PubMed: publication type 'Retracted Publication'" in out
    assert "Crossref: withdrawal, 10.5555/withdrawal-notice, 2020-07-01, source: publisher" in out
    assert "Crossref: year 2012, not 2011; Crossref: journal 'Example Journal of Joint Research & Therapy'" in out
    assert "Crossref: correction, 10.5555/correction-notice, 2019-02-01" in out
    assert "expression of concern, 10.5555/concern-notice, 2022-05-04" in out
    assert "Crossref: title 'Soil bacteria in alpine meadows'" in out
    assert "the record is a retraction notice for 10.5555/the-original-review" in out
    assert "PMC gives pmid 20000009, not 20000004" in out
    assert "moved permanently to " in out and "/web/new" in out
    assert "the page is gone (404)" in out and "the server answered 429" in out
    assert "no answer within 0.5 s" in out
    assert "Traceback" not in run.stderr


def test_titles_journals_and_identifiers_are_compared_normalised(first_run):
    """clean2012 is written with an en dash and '&', Crossref has '&#8211;', '<i>' and '&amp;',
    PubMed a hyphen, a full stop and lower case: the same work, and the DOI PubMed gives
    agrees. A pmcid-only work is found in PubMed through the ID converter."""
    _repository, _cache, run, _seconds = first_run
    line = next(line for line in run.stdout.splitlines() if " clean2012 " in line)
    assert line.startswith("OK ") and "differs" not in line.lower()
    assert next(line for line in run.stdout.splitlines() if " pmconly2014 " in line).startswith("OK ")


def test_the_client_is_polite(first_run, server):
    """The editors' contact in every request; NCBI's tool and email; one batch per NCBI
    service; Retry-After honoured after a 429, then the answer used."""
    _repository, _cache, run, seconds = first_run
    requests = [entry for entry in server.log if not entry[0].startswith("/web/slow")]
    assert requests and all(CONTACT in headers.get("User-Agent", "") for _p, headers, _q in requests)
    ncbi = [(p, q) for p, _h, q in server.log if p in ("/eutils/esummary.fcgi", "/idconv/")]
    assert sorted(p for p, _ in ncbi) == ["/eutils/esummary.fcgi", "/idconv/"]
    assert all(q["tool"] == ["prp-site-sources"] and q["email"] == [CONTACT] for _, q in ncbi)
    esummary = next(q for p, q in ncbi if p == "/eutils/esummary.fcgi")
    assert esummary["id"] == ["20000001,20000002,20000003,20000004,29999999"]  # the PMCID's PMID too
    assert [p for p, *_ in server.log].count("/crossref/works/10.5555/busy") == 2
    assert seconds >= 1, "Retry-After: 1 was not waited for"
    assert [p for p, *_ in server.log].count("/web/slow") == 2  # one retry after the timeout


def test_the_results_file_records_what_needs_an_eye(first_run):
    repository, _cache, run, _seconds = first_run
    path = repository / "content" / "data" / "source-checks.toml"
    assert "Wrote content/data/source-checks.toml" in run.stdout
    data = tomllib.loads(path.read_text("utf-8"))
    assert data["check"]["date"] == datetime.date.today()
    assert "21 sources" in data["check"]["outcome"] and "1 retracted" in data["check"]["outcome"]
    works = data["works"]
    assert works["retracted2015"]["status"] == "retracted"
    assert works["retracted2015"]["notice"] == "10.5555/retraction-notice"
    assert works["retracted2015"]["date"] == "2021-03-15"
    assert works["concern2019"]["status"] == "expression of concern"
    assert works["corrected2018"]["status"] == "corrected"
    assert "clean2012" not in works and "pmconly2014" not in works  # only what needs an eye
    assert "stuck2010" not in works  # not checked: nothing is known of it


def test_a_second_run_answers_from_the_cache_and_keeps_the_editors_reasons(first_run, server, tmp_path):
    repository, cache, _run, _seconds = first_run
    path = repository / "content" / "data" / "source-checks.toml"
    text = path.read_text("utf-8").replace(
        'status = "retracted"', 'status = "retracted"\nkeep = "Cited to explain why the trial is no longer trusted."', 1)
    path.write_text(text, "utf-8")
    before = len(server.log)
    run = run_sources(repository, server, "--cache", str(cache))
    asked = [p for p, *_ in server.log[before:]]
    assert run.returncode == 1
    assert not [p for p in asked if p.startswith(("/crossref/works/10.5555/clean", "/eutils", "/idconv", "/web/gone"))]
    assert "/crossref/works/10.5555/always-busy" in asked  # a 429 is never kept
    assert 'keep = "Cited to explain why the trial is no longer trusted."' in path.read_text("utf-8")
    entries = list(cache.rglob("*.json"))
    assert entries and all(json.loads(e.read_text("utf-8"))["format"] == 1 for e in entries)  # data, not pickles
    assert not [p for p in cache.rglob("*") if p.suffix not in (".json",) and p.is_file()]


def test_reviews_shows_the_last_check_and_the_pages_citing_flagged_works(first_run):
    repository, _cache, _run, _seconds = first_run
    run = invoke("reviews", "--today", TODAY, "--content", str(repository / "content"))
    out = run.stdout
    assert "Sources: last checked " in out and "21 sources" in out
    assert "Needs review: content/guides/exosomes.md cites [concern2019], expression of concern" in out
    assert "content/guides/knee.md cites [retracted2015], retracted" in out
    assert run.returncode == 1 and "retracted or flagged" in run.stderr


def test_stale_answers_are_revalidated_with_their_etag(server, tmp_path):
    """After a day an answer is asked again with If-None-Match; a 304 keeps it another day."""
    import sys

    sys.path.insert(0, str(ROOT))
    from sitebuild.sources.cache import Cache
    from sitebuild.sources.client import Client

    url = f"{server.base}/crossref/works/10.5555/corrected"
    cache = Cache(tmp_path / "cache", owned_from=tmp_path / "cache")
    client = Client("test (mailto:editors@example.org)", cache, timeout=2, retries=0)
    first = client.get(url)
    assert first.status == 200 and not first.from_cache and "expression" not in first.body
    entry = cache.get(url)
    assert entry.etag == 'W/"10.5555/corrected"' and entry.fresh
    cache.put(url, entry.status, entry.body, entry.headers, saved=time.time() - 2 * 24 * 3600)
    before = len(server.log)
    again = Client("test (mailto:editors@example.org)", cache, timeout=2, retries=0).get(url)
    assert again.from_cache and again.body == first.body
    assert server.log[before][1].get("If-None-Match") == 'W/"10.5555/corrected"'
    assert cache.get(url).fresh


def test_the_cache_follows_no_symlink(server, tmp_path):
    import sys

    sys.path.insert(0, str(ROOT))
    from sitebuild.sources.cache import Cache, CacheError

    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "linked").symlink_to(outside)
    with pytest.raises(CacheError, match="is a link"):
        Cache(tmp_path / "linked", owned_from=tmp_path / "linked").get("https://example.org/")
    cache = Cache(tmp_path / "cache", owned_from=tmp_path / "cache")
    url = "https://example.org/page"
    cache.put(url, 200, "x", {})
    target = outside / "secret.json"
    target.write_text(json.dumps({"format": 1, "url": url, "status": 200, "body": "planted", "headers": {},
                                  "saved": time.time()}), "utf-8")
    entry = cache._path(url)
    entry.unlink()
    entry.symlink_to(target)
    assert cache.get(url) is None  # a link is not read
    cache.put(url, 200, "new", {})
    assert json.loads(target.read_text("utf-8"))["body"] == "planted"  # nor written through
    assert not entry.is_symlink() and json.loads(entry.read_text("utf-8"))["body"] == "new"
    # through the task: a linked cache folder is refused with a plain message
    repository = make_repository(tmp_path / "repo", server.base)
    run = run_sources(repository, server, "--cache", str(tmp_path / "linked"))
    assert run.returncode == 2 and "is a link or not a folder" in run.stdout + run.stderr
    assert "Traceback" not in run.stderr


def test_the_cache_takes_no_harm_from_what_another_process_left(tmp_path, alarm):
    """Whatever lies under an entry's name or its temporary name (a pipe, a folder, JSON
    nested too deep, text that is not UTF-8, a hard link to a file elsewhere), `get` answers
    None at once and `put` neither fails nor writes anywhere but the cache."""
    import sys

    sys.path.insert(0, str(ROOT))
    from sitebuild.sources.cache import Cache

    cache = Cache(tmp_path / "cache", owned_from=tmp_path / "cache")
    urls = [f"https://example.org/{n}" for n in range(5)]
    cache.put(urls[0], 200, "x", {})  # makes the folders
    cache._path(urls[0]).unlink()
    os.mkfifo(cache._path(urls[0]))  # a pipe: opening it must not wait for a writer
    cache._path(urls[1]).mkdir()
    cache._path(urls[2]).write_text("[" * 100_000, "utf-8")
    cache._path(urls[3]).write_bytes(b"\xff\xfe not text")
    assert [cache.get(url) for url in urls[:4]] == [None] * 4
    outside = tmp_path / "outside.json"
    outside.write_text("someone's file", "utf-8")
    entry = cache._path(urls[4])
    os.link(outside, entry.with_name(f".new-{os.getpid()}-{entry.name}"))
    cache.put(urls[4], 200, "new", {})
    assert outside.read_text("utf-8") == "someone's file"
    assert cache.get(urls[4]).body == "new"
    folder_entry = cache._path(urls[1])
    cache.put(urls[1], 200, "y", {})  # an entry's name taken by a folder: not kept, no error
    assert folder_entry.is_dir()


def test_offline_says_plainly_what_was_not_checked(tmp_path):
    """Nothing listens: every source is named as not checked, exit status 3, and the last
    results file is left as it was."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    repository = make_repository(tmp_path / "repo", closed)
    results = repository / "content" / "data" / "source-checks.toml"
    results.write_text("[check]\ndate = 2026-05-01\noutcome = \"19 sources: 19 ok\"\n", "utf-8")
    run = invoke("sources", "--root", str(repository), "--contact", CONTACT, "--crossref", f"{closed}/crossref",
                 "--eutils", f"{closed}/eutils", "--idconv", f"{closed}/idconv/", "--cache", str(tmp_path / "c"),
                 "--timeout", "0.5", "--retries", "1", "--backoff", "0.01", "--site-interval", "0")
    assert run.returncode == 3, run.stdout + run.stderr
    out = run.stdout
    assert "Could not check the sources: no answer from the network." in out
    assert "This says nothing about the site" in out
    for key in ("clean2012", "retracted2015", "pmconly2014", f"{closed}/web/gone"):
        assert f"  {key}" in out
    assert "Status " not in out  # no table of guesses
    assert results.read_text("utf-8").startswith("[check]\ndate = 2026-05-01")
    assert "Traceback" not in run.stderr


def test_without_a_contact_it_says_what_to_set(tmp_path):
    repository = make_repository(tmp_path / "repo", "http://127.0.0.1:9")
    env = {k: v for k, v in os.environ.items() if k != "SOURCES_CONTACT"}
    run = invoke("sources", "--root", str(repository), env={**env, "SOURCES_CONTACT": ""})
    assert run.returncode == 2 and "--contact" in run.stderr and "SOURCES_CONTACT" in run.stderr


def test_the_default_cache_is_in_the_users_cache_folder_keyed_by_repository(tmp_path):
    import sys

    sys.path.insert(0, str(ROOT))
    from sitebuild.sources.cache import folder_for

    one, two = folder_for(tmp_path / "a", tmp_path / "cache"), folder_for(tmp_path / "b", tmp_path / "cache")
    assert one != two and one.parent == two.parent == tmp_path / "cache" / "prp-site" / "sources"
    assert ROOT not in folder_for(ROOT).parents


def test_the_weekly_job_runs_sources_and_updates_one_issue_with_the_workflow_token():
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text("utf-8"))
    job = workflow["jobs"]["sources"]
    assert job["if"] == "github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'"
    assert job["permissions"] == {"contents": "read", "issues": "write"}
    text = yaml.safe_dump(job)
    assert "invoke sources" in text and "GITHUB_TOKEN" in text
    secrets = [s for s in text.split("secrets.")[1:]]
    assert all(s.startswith("GITHUB_TOKEN") for s in secrets), "no secret but the workflow's own token"
    assert "gh issue" in text and "--body-file" in text


def test_a_linked_results_file_is_not_written_through(server, tmp_path):
    repository = make_repository(tmp_path / "repo", server.base)
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text("untouched", "utf-8")
    (repository / "content" / "data" / "source-checks.toml").symlink_to(elsewhere)
    run = run_sources(repository, server, "--cache", str(tmp_path / "cache"))
    assert run.returncode == 2 and "is a link" in run.stdout and elsewhere.read_text("utf-8") == "untouched"


def test_a_source_not_checked_keeps_its_earlier_record():
    import sys

    sys.path.insert(0, str(ROOT))
    from medical_content.data import source_checks
    from sitebuild.sources import check

    earlier = source_checks.Results(datetime.date(2026, 5, 1), "", {
        "a": source_checks.Record("a", "retracted", "notice", keep=(("en", "Reason."),)),
        "b": source_checks.Record("b", "moved", "to x"),
    })
    unchecked, fine = check.Result("a", "doi:a"), check.Result("b", "https://b")
    unchecked.add(check.NOT_CHECKED, "no answer")
    fine.add(check.OK, "")
    new = check.results_file([unchecked, fine], earlier, datetime.date(2026, 6, 1))
    assert new.records == {"a": earlier.records["a"]}  # b is fine now: gone from the file
    assert new.date == datetime.date(2026, 6, 1) and new.outcome == "2 sources: 1 not checked, 1 ok"
