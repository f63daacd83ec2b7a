"""The checks that need every page: links and fragments, addresses shared by two pages,
translations against their originals, the references pages' lists of citing pages, and
pages citing a retracted work. Each takes the build (build.py) and returns its problems, or,
for notices, logs them as notices."""

from __future__ import annotations

import functools
import logging
import os
from pathlib import Path

from ..data.signoff_files import sha256
from ..i18n import translations
from ..rules import checks, html_checks
from . import reference_pages
from .work import facts_of, record

log = logging.getLogger(__name__)

GENERATOR_LISTS = ("articles", "drafts", "hidden_articles", "pages", "hidden_pages", "draft_pages", "translations")


def read_source(path: str) -> str:
    """A page's text; empty when it cannot be read (Pelican itself reports that)."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def source_digest(path: str) -> str:
    """The digest of a page's bytes, as its sign-offs have it (data/page_inputs.py): the text
    read above has its line endings made alike, which a sign-off does not."""
    try:
        return sha256(Path(path).read_bytes())
    except OSError:
        return "missing"


def all_content(build, generators) -> list:
    """Every page the plugin read and checked."""
    found = []
    for generator in generators:
        for name in GENERATOR_LISTS:
            found += getattr(generator, name, [])
    return [c for c in found if c in build.records]


def fill_references_pages(build) -> list[str]:
    """The references pages: each lists the bibliography's works on its topic, with the pages
    citing them."""
    site, default = build.site, build.site.interface.default
    problems = reference_pages.topics_listed_twice(build.references_pages, default, site.label)
    # Pelican reads files in an order that follows Python's hash seed: sort the citing
    # pages, so two builds of the same commit are identical byte for byte.
    citing_in = {}
    for page in build.references_pages:
        lang = getattr(page, "lang", default)
        if lang not in citing_in:  # each language's page lists the pages in its language
            citing_in[lang] = {
                key: reference_pages.CitingPages([  # (title, source) pairs, sorted
                    page for page in sorted(pages) if build.source_lang.get(page[1], default) == lang])
                for key, pages in build.citing.items()
            }
        bibliography = site.macro("reference-list", "bibliography", lang)
        page._content = reference_pages.PLACEHOLDER.sub(
            lambda found: str(bibliography(reference_pages.works_on(site.references, found.group(1)), citing_in[lang])),
            page._content)
        # Only the ids and links are read here: the page's own HTML was checked when it was
        # read, and the list drawn into it comes from the theme's template.
        scanned = html_checks.scan(page._content, raw_html=False)
        kept = build.records[page]
        build.records[page] = record(scanned, kept.citation_places, kept.headings)
    return problems


def template_ids(content) -> set[str]:
    """Ids the theme adds around a page's content."""
    ids = {"main-content", "app-disclaimer-title"}
    facts = facts_of(content)
    if facts is not None and facts.content_type != "page":
        ids |= {"app-contents-title", "references"}
        ids |= {f"ref-{n}" for n in range(1, len(facts.references) + 1)}
    return ids


def link_and_address_problems(build, contents: list) -> list[str]:
    site = build.site
    root = Path(site.settings["PATH"])
    by_path = {c.relative_source_path.replace(os.sep, "/"): c for c in contents}
    problems = []

    # A page's ids are made into a set when a link needs them; the pages linked to most (the
    # page being checked, the glossary) are asked again and again, so the last few are kept.
    @functools.lru_cache(maxsize=64)
    def target_ids(path: str):
        if path in by_path:
            content = by_path[path]
            return template_ids(content).union(build.records[content].ids)
        return set() if (root / path).is_file() else None

    content_root = os.path.relpath(root, site.content_root) + "/"
    for content in contents:
        source = content.relative_source_path.replace(os.sep, "/")
        checker = checks.PageChecker(site.label(content.source_path), functools.partial(read_source, content.source_path))
        for href in build.records[content].links:  # each once
            if found := html_checks.link_problem(href, source, content_root, target_ids):
                hint, problem = found
                checker.add(checker.where(text=hint), problem)
        problems += checker.problems

    addresses: dict[str, list] = {}
    for content in contents:
        if content.save_as:
            addresses.setdefault(content.save_as, []).append(content)
    for sharing in addresses.values():
        for content in sharing[1:]:
            others = ", ".join(site.label(c.source_path) for c in sharing if c is not content)
            problems.append(
                f"{site.label(content.source_path)}: page: its address /{content.url} is also "
                f"used by {others}; rename one of the files (the file name is the address)")
    return problems


def translation_problems(build, generators) -> list[str]:
    """Each translation against its original; and, with REQUIRED_TRANSLATIONS, that every
    original has one (README, "Translating a page")."""
    site, settings = build.site, build.site.settings
    originals = []
    for generator in generators:
        originals += getattr(generator, "articles", []) + getattr(generator, "pages", [])
    originals = [o for o in originals if o in build.records]
    problems = []
    for original in originals:
        for translation in original.translations:
            if translation not in build.records:
                continue  # it could not be read; reported already
            found, stale = translations.pair_problems(
                original, translation, site.label, read_source, build.records.__getitem__)
            problems += found
            for notice in stale:
                if settings.get("STALE_TRANSLATION_IS_ERROR"):
                    problems.append(notice)
                else:
                    log.warning(notice, extra={"notice_only": True})
    problems += translations.missing_problems(
        originals, settings.get("REQUIRED_TRANSLATIONS", []), site.interface.languages, site.label)
    return problems


def retraction_problems(build) -> list[str]:
    """A page still citing a retracted or withdrawn work without a reason readers see: an
    error in production builds (RETRACTED_CITATION_IS_ERROR), a warning otherwise."""
    site = build.site
    found = site.cited_sources.cited_problems(
        build.citing, lambda source: build.source_lang.get(source, site.interface.default),
        lambda source: site.label(os.path.join(site.settings["PATH"], source)))
    if site.settings.get("RETRACTED_CITATION_IS_ERROR"):
        return found
    for problem in found:
        log.warning(problem, extra={"notice_only": True})
    return []
