"""Corpora for the benchmark made of the site's real pages: the guides and condition pages
with their Spanish translations, each copied under new file names until the corpus holds N
articles (an article is one Markdown file; English and Spanish count apart).

A copy is a page of its own: its file is `<name>-copy-<k>.md` (and `.es.md`), the Spanish
copy's `Slug` names the copy, so the two stay a pair, and the page history gives the copy
the original's entries. An option grid belongs to one page, so copies of condition pages do
not place their grid (the `[[option-grid: ...]]` line is left out): only the original pages
draw the decision aids and their printable pages. Everything else (text, citations,
glossary links, evidence tables, links to other pages) is the real page's, so each copy
costs the build what a real page costs, and passes every content rule.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

from medical_content.rules import schema  # noqa: E402

PROJECT_PARTS = ["content", "theme", "plugins", "sitebuild", "pelicanconf.py", "publishconf.py", "tasks.py"]
GRID_LINE = re.compile(r"^[ \t]*\[\[option-grid:[^\]\n]*\]\][ \t]*\n", re.M)
REVIEWED = re.compile(r"^Reviewed:\s*(\d{4}-\d{2}-\d{2})\s*$", re.M)


def copy_project(destination: Path) -> Path:
    """A working copy of the site (content, theme, plugins, settings, tasks) in
    `destination`, for runs that edit files or commit: the livereload and gh-pages tests and
    the livereload benchmark."""
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, destination / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, destination / part)
    return destination


def real_articles() -> list[list[Path]]:
    """Each real guide and condition page with its translations (`<name>.<lang>.md`)."""
    groups = []
    for ctype in schema.ARTICLE_TYPES.values():
        folder = ROOT / "content" / ctype.folder
        for page in sorted(folder.glob("*.md")):
            if "." not in page.stem:
                groups.append([page, *sorted(folder.glob(f"{page.stem}.*.md"))])
    return groups


def newest_review(content: Path) -> str:
    """The latest `Reviewed` date of the articles under `content`: the "today" a benchmark
    build is pinned to, so no page's review lies in the future and none is overdue."""
    days = [m.group(1) for t in schema.ARTICLE_TYPES.values() for p in (content / t.folder).glob("*.md")
            for m in [REVIEWED.search(p.read_text("utf-8"))] if m]
    return max(days)


def _toml_history(key: str, entries: list[dict]) -> str:
    rows = "".join(f"  {{ date = {e['date'].isoformat()}, note = {json.dumps(e['note'], ensure_ascii=False)} }},\n"
                   for e in entries)
    return f'"{key}" = [\n{rows}]\n'


def make_corpus(destination: Path, articles: int) -> Path:
    """Write a content folder of `articles` articles: the real site's content (its pages,
    data and every guide and condition page with its translations), then copies of the
    guides and condition pages, in turn, until there are `articles`. Returns the folder."""
    groups = real_articles()
    real = sum(len(g) for g in groups)
    if articles < real:
        raise ValueError(f"a corpus holds the {real} real articles at least, not {articles}")
    content = destination / "content"
    if content.exists():
        shutil.rmtree(content)
    for folder in ["data", "pages", "extra", "images", *(t.folder for t in schema.ARTICLE_TYPES.values())]:
        if (ROOT / "content" / folder).is_dir():  # the site may have no images of its own
            shutil.copytree(ROOT / "content" / folder, content / folder)
    history_file = content / "data" / "page-history.toml"
    history = tomllib.loads(history_file.read_text("utf-8"))
    added, count, copy = [], real, 1
    while count < articles:
        copy += 1
        for group in groups:
            if count + len(group) > articles:
                raise ValueError(f"{articles} articles cannot be made of whole pages with their "
                                 f"translations ({len(group)} files each); ask for an even number")
            name = f"{group[0].stem}-copy-{copy:04d}"
            for source in group:
                text = GRID_LINE.sub("", source.read_text("utf-8"))
                text = re.sub(r"^Slug:.*$", f"Slug: {name}", text, count=1, flags=re.M)
                target = content / source.parent.name / source.name.replace(group[0].stem, name, 1)
                target.write_text(text, "utf-8")
                original = f"{source.parent.name}/{source.name}"
                added.append(_toml_history(f"{source.parent.name}/{target.name}", history[original]))
            count += len(group)
            if count == articles:
                break
    with history_file.open("a", encoding="utf-8") as file:
        file.write("\n# Copies made by bench/corpus.py, with their originals' entries\n" + "".join(added))
    return content
