"""One page's work: `work(page, site)` takes what Pelican read of one Markdown file
(`PageInput`) and the build's shared inputs (`inputs.SiteInputs`), and returns a `PageResult`:
its HTML with blocks, boxes, citations and settings drawn in, its outline and citations, its
review dates and history, what the site-wide checks need of it, its reading grade, and every
problem and notice. It changes nothing else, so results can be kept (cache.py) and computed in
other processes (build.py); `apply` puts a result on Pelican's page."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from html import escape, unescape

from pelican.urlwrappers import URLWrapper
from pelican.utils import SafeDatetime

from ..data import page_history, page_inputs, signoff
from ..data.page_history import Change
from ..i18n import interface as i18n
from ..i18n import translations
from ..rules import checks, html_checks, readability, schema
from . import markup, reference_pages
from .blocks import Blocks


@dataclass(frozen=True)
class PageInput:
    """What the page's work reads of one page: plain values, the same in any process."""

    source_path: str
    relative_source_path: str
    label: str  # the source as editors name it, e.g. content/guides/x.md
    source: str  # the file's text
    source_digest: str  # the file's bytes, as a sign-off digests them (line endings and all)
    html: str  # Markdown's HTML, as Pelican read it
    metadata: dict
    title: str
    lang: str
    status: str
    content_type: str | None  # None: a folder that is no kind of page

    @classmethod
    def of(cls, content, label: str, source: str, source_digest: str, default_lang: str) -> PageInput:
        ctype = schema.content_type_of(content)
        return cls(
            source_path=content.source_path, relative_source_path=content.relative_source_path, label=label,
            source=source, source_digest=source_digest, html=content._content, metadata=plain_metadata(content.metadata),
            title=str(content.title), lang=getattr(content, "lang", default_lang),
            status=str(getattr(content, "status", "")), content_type=ctype.name if ctype else None)


@dataclass
class PageResult:
    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # warnings that do not fail this build
    html: str | None = None  # None: not worked on, or kept in the cache (workers.py)
    content_type: str | None = None  # None: the page was not worked on (see problems)
    outline: list[markup.Section] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)  # reference keys, each once, as first cited
    reviewed: datetime.date | None = None
    next_review: datetime.date | None = None
    summary: str | None = None  # plain text, escaped
    history: list[Change] = field(default_factory=list)  # newest first, sign-offs among them
    sign_off: signoff.PageStatus | None = None  # None: the page has no review dates
    modified: datetime.date | None = None  # the newest change of the page history
    record: checks.PageRecord | None = None
    grade: tuple[str, float] | None = None  # (measure, value)
    lists_references: bool = False  # holds [[all-references: topic]], filled in later


def plain_metadata(metadata: dict) -> dict:
    """Pelican's metadata with its category, tag and author objects as their names."""
    def plain(value):
        if isinstance(value, URLWrapper):
            return value.name
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value

    return {key: plain(value) for key, value in metadata.items()}


def work(page: PageInput, site) -> PageResult:
    checker = checks.PageChecker(page.label, page.source)
    ctype = schema.CONTENT_TYPES.get(page.content_type) if page.content_type else None
    if ctype is None:
        folders = ", ".join(f"content/{t.folder}/" for t in schema.ARTICLE_TYPES.values())
        checker.add("page", f"this folder is not a known kind of page; move the file into {folders}")
        return PageResult(problems=checker.problems)
    lang = page.lang
    checker.translate = lambda text: site.interface.text(text, lang)
    blocks = Blocks(site, lang, page.label)
    result = PageResult(content_type=ctype.name)
    dates = _checked_html(page, site, ctype, checker, blocks, result)
    result.problems = blocks.problems + checker.problems
    result.problems += site.terminology.page_problems(page.label, page.source_path, page.source)
    result.reviewed, result.next_review = dates.get("reviewed"), dates.get("next_review")
    result.history = _history(page, site, ctype, result)
    result.modified = result.history[0].date if result.history else None
    result.history = _with_sign_offs(page, site, ctype, result)
    expiry = checks.PageChecker(page.label, page.source)
    if expired := expiry.expiry(dates, site.today()):
        if site.settings.get("EXPIRED_REVIEW_IS_ERROR"):
            result.problems.append(expired)
        else:
            result.notices.append(expired)
    return result


def _checked_html(page: PageInput, site, ctype, checker, blocks: Blocks, result: PageResult) -> dict:
    """The page's HTML drawn and checked, into `result`; its review dates."""
    lang = page.lang
    translations.metadata_problems(page, checker, site.settings, ctype.is_article)
    glossary, glossary_page = site.glossary, schema.GLOSSARY_PAGE
    if lang in site.language_data:
        glossary, glossary_page = site.language_data[lang].glossary_and_page()
    if hidden := page_inputs.unseen_in_source(page.source, page.html):
        checker.add("page", f"{' and '.join(hidden)} written with a backslash (\\) is hidden from the sign-off "
                            "records, which read the file itself; write it without backslashes")
    html, unknown_directives = markup.expand_directives(page.html, blocks.directive)
    html, _linked, unknown_terms = markup.link_glossary(html, glossary, glossary_page)
    citation_places = tuple(translations.citation_places(html))
    html, cited, unknown_refs = markup.resolve_citations(
        html, site.references, site.interface.text(i18n.CITATION_LABEL, lang))
    html, missing_settings = markup.insert_settings(
        html, {name: site.interface.site_text(name, lang) for name in schema.SETTINGS_IN_CONTENT})
    html, components = markup.expand_components(html, blocks.component)
    result.html, result.outline, result.cited = html, markup.outline(html), list(cited)
    result.lists_references = bool(reference_pages.PLACEHOLDER.search(html))

    checker.placeholders()
    dates = checker.fields(ctype, page.metadata)
    checker.whole_numbers(page.metadata)
    if page.metadata.get("template"):  # listing the theme's templates costs a directory walk
        checker.template(page.metadata["template"], site.macros[site.interface.default].list_templates())
    checker.review_dates(dates)
    checker.sections(ctype, html)
    checker.components(ctype, components)
    checker.citations(ctype, cited, unknown_refs)
    checker.settings_used(missing_settings)
    checker.glossary_links(unknown_terms)
    checker.directives(unknown_directives)
    # Markdown and the theme's templates write well-formed HTML, so only tags an editor typed
    # (a "<" in the source) can hold the mistakes html5lib finds, slowly. A citation inside a
    # link's text or an attribute breaks tags too; the citation rule or the allowlist reports it.
    typed_html = any("<" in line for line in checker.lines)
    scanned = html_checks.scan(html, raw_html=typed_html)
    result.record = record(scanned, citation_places, tuple(section.id for section in result.outline))
    for hint, problem in scanned.problems:
        checker.add(checker.where(text=hint), problem)
    title = unescape(checks.plain_text(page.title))  # as a reader sees it: &#99;ures is "cures"
    summary = unescape(checks.plain_text(page.metadata.get("summary", "")))
    if "summary" in page.metadata:
        # Plain text everywhere it goes (pages, feeds, meta tags, JSON-LD): never markup.
        result.summary = escape(summary, quote=False)
    seen = [t if t[-1:] in ".!?" else t + "."
            for t in (title, summary, *checks.metadata_seen(page.metadata)) if t] + scanned.seen
    checker.wording(seen, lang)
    checker.review_claims()
    reserved = site.shown_settings() + site.signoffs.reserved()  # names reach pages only from reviewers.toml
    checker.typed_facts(seen, reserved, scanned.phone_links + scanned.mail_links,
                        str(site.settings.get("CLINIC_PHONE", "")))
    checker.section_citations(ctype, html, scanned.citation_misplaced)
    checker.date_sense(dates, site.today())
    # The reading grade is reported and checked, not kept on the page: no template shows it.
    if ctype.reading_grade_max is not None and lang == "es":
        reading_ease = readability.inflesz(scanned.text)
        if reading_ease < schema.READING_EASE_MIN_ES:
            checker.add(
                "reading ease",
                f"the text scores {reading_ease} on INFLESZ, below "
                f"{schema.READING_EASE_MIN_ES:g} (\"bastante fácil\"); use shorter sentences and "
                "everyday words, and explain medical terms")
        result.grade = ("INFLESZ", reading_ease)
    elif ctype.reading_grade_max is not None:
        reading_grade = readability.grade(scanned.text)
        checker.reading_grade(ctype, reading_grade)
        result.grade = ("Reading grade", reading_grade)
    return dates


def record(scanned, citation_places, headings) -> checks.PageRecord:
    """What the site-wide checks need of a page, from its scan: its ids (sorted) and its
    links, each once, in order. (The build keeps one copy of each id and link, which recur
    from page to page: `Build.share`, after the record has come back from a worker.)"""
    return checks.PageRecord(
        ids=tuple(sorted(scanned.ids)),
        links=tuple(dict.fromkeys(scanned.links)),
        citation_places=tuple(citation_places), headings=tuple(headings))


def _history(page: PageInput, site, ctype, result: PageResult) -> list[Change]:
    """The page's change notes. Every published guide and condition page needs at least one;
    a draft may have none yet."""
    if not ctype.is_article:
        return []
    key = page_history.key_of(page.relative_source_path)
    if page.status == "draft" and key not in site.history.raw:
        return []
    history, problems = site.history.check_page(key, result.reviewed)
    result.problems += problems
    return history


def _with_sign_offs(page: PageInput, site, ctype, result: PageResult) -> list[Change]:
    """The page's sign-off status (the theme shows it), its sign-offs among its changes, and
    a notice naming what changed since a sign-off that has gone stale."""
    # The sign-offs read each file's header themselves (`invoke sign-off` runs without a
    # build): a header they read otherwise than Markdown does (an indented line, say) could
    # make a Spanish page pass for an English one, needing no language reviewer
    registered = site.signoffs.pages.get(page.relative_source_path.replace("\\", "/"))
    if ctype.is_article and registered != page.lang:
        seen = f"as a page in '{registered}'" if registered else "as no page with review dates"
        result.problems.append(
            f"{page.label}: metadata: the sign-off records read this header {seen}, the build as a page in "
            f"'{page.lang}'; start each 'Name: value' line at the very start of its line, with no space before it")
    status = result.sign_off = site.signoffs.of(page)
    if status is None:
        return result.history
    for role in status.roles:
        if role.state == "stale":
            result.notices.append(f"content/{status.page}: sign-off: the {role.describe()}; it is no longer "
                                  "shown as reviewed until it is signed off again")
    notes = [Change(s.date, site.interface.text(signoff.HISTORY_NOTES[s.role], status.lang)
                    % {"reviewer": s.reviewer.display}) for s in status.history]
    if notes and result.history:
        return sorted(notes + result.history, key=lambda c: c.date, reverse=True)
    return result.history


# What a page holds in place of its HTML while that is in the cache (build.py puts it back
# while the page is drawn): a comment, so a slip would show in the page's source, not as text.
IN_CACHE = "<!-- The page's HTML is in the build cache until the page is drawn. -->"


def for_site_checks(result: PageResult) -> PageResult:
    """A result without what only its own page's drawing needs (HTML, outline, history,
    sign-off status), which the cache holds until then (build.py)."""
    return dataclasses.replace(result, html=None, outline=[], history=[], sign_off=None)


@dataclass(frozen=True)
class PageFacts:
    """What the plugin adds to a Pelican page, as one attribute, `medical` (templates read
    `article.medical.outline`). One: Pelican's page has room for one more attribute, and a
    second makes every page's attribute table larger (1.5 KB a page, 7 MiB at 5,000)."""

    content_type: str
    outline: list[markup.Section]  # empty while the page is held in the cache (build.py)
    references: list  # bibliography.Reference, in the order first cited
    history: list[Change]  # newest first, sign-offs among them; empty while held
    sign_off: signoff.PageStatus | None  # None while held, and for a page without review dates
    modified: SafeDatetime | None  # the newest change: Pelican's feeds' `updated` (pages/writer.py)


def facts_of(content) -> PageFacts | None:
    """The plugin's facts of a page; None for one it did not work on."""
    return getattr(content, "medical", None)


def sign_off_of(content) -> signoff.PageStatus | None:
    """For the theme: a page's sign-off status, worked out with the page's result; None for a
    page without review dates."""
    facts = facts_of(content)
    return facts.sign_off if facts is not None else None


def apply(result: PageResult, content, references: dict) -> None:
    """Put a page's result on Pelican's page: its HTML (or what stands for it while the cache
    holds it), summary and review dates, which Pelican's page has already, and `PageFacts`."""
    content._content = result.html if result.html is not None else IN_CACHE
    content.reviewed, content.next_review = result.reviewed, result.next_review
    if result.summary is not None:
        content.metadata["summary"] = content._summary = result.summary
    day = result.modified
    content.medical = PageFacts(
        content_type=result.content_type, outline=result.outline,
        references=[references[key] for key in result.cited], history=result.history, sign_off=result.sign_off,
        modified=SafeDatetime(day.year, day.month, day.day) if day is not None else None)
