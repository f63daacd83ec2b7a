"""Synthetic corpora for the benchmark: N articles that pass the site's content schema,
with citations, glossary links and the boxes a real guide has, and the real data files.

Every article is a variation of the same plain-language template, so each costs the build
about what a real guide costs.
"""

from __future__ import annotations

import random
import shutil
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

from medical_content import page_history, schema  # noqa: E402

SENTENCES = [
    "Doctors are still testing whether this treatment helps.",
    "Small studies found a small benefit, but the studies were not well run.",
    "The largest study found it did no better than a salt-water injection.",
    "Pain and swelling for a few days are common after an injection.",
    "Ask your doctor what the usual treatments are and how they compare.",
    "Results differ from person to person.",
    "Tell your doctor about any medicine you take to thin your blood.",
    "The kits that make it are cleared as devices, but the treatment is not approved.",
    "Infection is not common, but it is the serious problem reported most often.",
    "We found no study that compared the two treatments directly.",
]
GLOSSARY_WORDS = [("platelets", "platelet"), ("plasma", "plasma"), ("placebo", "placebo"), ("off-label", "off-label")]


PROJECT_PARTS = ["content", "theme", "plugins", "sitebuild", "pelicanconf.py", "publishconf.py", "tasks.py"]


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


def _paragraph(rng: random.Random, keys: list[str]) -> str:
    sentences = rng.sample(SENTENCES, 4)
    word, key = rng.choice(GLOSSARY_WORDS)
    sentences[0] = sentences[0].rstrip(".") + f", including for [{word}](glossary:{key})."
    cited = "; ".join("@" + k for k in rng.sample(keys, 2))
    return " ".join(sentences) + f" [{cited}]"


def article(number: int, kind: str, rng: random.Random, keys: list[str]) -> str:
    ctype = schema.CONTENT_TYPES[kind]
    lines = [
        f"Title: Synthetic {kind} number {number}",
        f"Date: 2026-{1 + number % 10:02d}-{1 + number % 28:02d}",  # before Reviewed
        "Reviewed: 2026-11-01",
        "Next_review: 2027-10-01",
        f"Order: {number}",
        f"Summary: A synthetic {kind} used to measure how long the site takes to build.",
        "",
        '!!! key-points "Key points"',
        "    - Doctors are still testing whether this treatment helps.",
        "    - Pain and swelling for a few days are common.",
        "",
        "## What this page covers",
        "",
        _paragraph(rng, keys),
        "",
        _paragraph(rng, keys),
    ]
    for section in ctype.sections:
        lines += ["", f"## {section.title}", "", _paragraph(rng, keys)]
    return "\n".join(lines) + "\n"


def make_corpus(destination: Path, articles: int, seed: int = 1) -> Path:
    """Write a content folder of `articles` articles: the site's real guides, condition
    pages and other pages (they link to each other), topped up with synthetic articles.
    With 0 articles, the folder holds only the data files: an empty site.
    Returns the content folder."""
    content = destination / "content"
    if content.exists():
        shutil.rmtree(content)
    shutil.copytree(ROOT / "content" / "data", content / "data")
    kinds = list(schema.ARTICLE_TYPES.values())
    real = [p for t in kinds for p in (ROOT / "content" / t.folder).glob("*.md")]
    if articles >= len(real):
        for folder in ["pages", "extra", "images", *(t.folder for t in kinds)]:
            if (ROOT / "content" / folder).is_dir():  # the site may have no images of its own
                shutil.copytree(ROOT / "content" / folder, content / folder)
    keys = list(tomllib.loads((ROOT / "content" / "data" / "references.toml").read_text()))
    rng = random.Random(seed)
    first = len(real) + 1 if articles >= len(real) else 1
    for number in range(first, articles + 1):
        ctype = kinds[number % len(kinds)]
        folder = content / ctype.folder
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"synthetic-{number:05d}.md").write_text(article(number, ctype.name, rng, keys), "utf-8")
    for ctype in kinds:
        (content / ctype.folder).mkdir(parents=True, exist_ok=True)
    # Every article needs a page history; the real one names only the real pages.
    history = page_history.first_published_history(content, [t.folder for t in kinds])
    (content / "data" / "page-history.toml").write_text(history, "utf-8")
    return content
