"""Translated pages: how they are named, what they must say, and that they stay current.

A translation lives beside its original, named `<original name>.<lang>.md`, with `Lang: <lang>`
and `Slug: <original name>` in its metadata, so Pelican pairs the two (ARTICLE_TRANSLATION_ID
and PAGE_TRANSLATION_ID are "slug") and writes it under /<lang>/. A translated guide or
condition page also says which review of the English text it follows:
`Translation_of_reviewed: <the English page's Reviewed date>`. README, "Translating a page".

Checked here, every problem one line naming the file:
- the file name, Lang and Slug agree, and the original exists;
- the translation follows the English page's latest review (a translation of an older review
  is out of date: an error in production, a warning in development), naming both files;
- it has the same sections (the same heading ids, in order) and cites the same sources in the
  same sections in the same order as the original: nothing added, nothing dropped;
- with REQUIRED_TRANSLATIONS = ["es"], every guide, condition page and page has one.
"""

from __future__ import annotations

import sys

import difflib

import re
from pathlib import Path

from ..rules import checks
from ..pages import markup

H2_OR_CITATION = re.compile(markup.H2.pattern + "|" + markup.CITATION.pattern, re.S)


def split_name(path: str | Path, languages) -> tuple[str, str | None]:
    """('what-is-prp', 'es') for what-is-prp.es.md; ('what-is-prp', None) for what-is-prp.md."""
    stem = Path(path).stem
    base, dot, suffix = stem.rpartition(".")
    if dot and suffix in languages:
        return base, suffix
    return stem, None


def citation_places(html: str) -> list[tuple[str, str]]:
    """Each citation of the page, in order, as (id of the section it is in, reference key)."""
    places, section = [], ""
    for match in H2_OR_CITATION.finditer(html):
        if match.group(1) is not None:
            section = match.group(1)
            continue
        for key in markup.keys_of(match.group(3)):
            # interned: the same few names recur on every page, and every page keeps its list
            places.append((sys.intern(section), sys.intern(key)))
    return places


def metadata_problems(content, checker: checks.PageChecker, settings: dict, is_article: bool) -> None:
    """The naming rules of one page, in any language."""
    default = settings["DEFAULT_LANG"]
    languages = settings.get("LANGUAGES", [default])
    lang = content.lang
    base, name_lang = split_name(content.source_path, languages)
    names = ", ".join(languages)
    if lang not in languages:
        checker.add(checker.where("Lang"), f"'{lang}' is not a language of this site; use one of: {names}")
        return
    if lang == default:
        if name_lang:
            checker.add(
                checker.where("Lang"),
                f"the file name says '{name_lang}' but the page has no 'Lang: {name_lang}'; add it "
                f"(and 'Slug: {base}')",
            )
        return
    if name_lang != lang:
        checker.add(
            checker.where("Lang"),
            f"a page in '{lang}' is named after its English original with '.{lang}' before "
            f"'.md' and sits beside it, e.g. {content.metadata.get('slug') or base}.{lang}.md",
        )
    if content.metadata.get("slug") != base:
        checker.add(
            checker.where("Slug"),
            f"a translation needs 'Slug: {base}' (its original's file name), so the two pages are paired",
        )
    original = Path(content.source_path).with_name(f"{base}.md")
    if not original.is_file():
        checker.add(
            "page",
            f"there is no original '{original.name}' beside this translation; translate an "
            "existing page (invoke new --translate) or write the English page first",
        )
    if is_article:
        value = content.metadata.get("translation_of_reviewed")
        if value is None or not str(value).strip():
            checker.add(
                checker.where("Translation_of_reviewed"),
                "'Translation_of_reviewed' is missing; add the 'Reviewed' date of the English "
                "page this translation follows, as YYYY-MM-DD",
            )
        elif checks.parse_date(value) is None:
            checker.add(
                checker.where("Translation_of_reviewed"),
                f"'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-20",
            )


def pair_problems(original, translation, label, read, record_of) -> tuple[list[str], list[str]]:
    """(problems, out-of-date notices) of one translation against its original.
    `record_of(page)` is what the site-wide checks keep of a page (checks.PageRecord)."""
    problems, stale = [], []
    mine, theirs = label(translation.source_path), label(original.source_path)
    checker = checks.PageChecker(mine, lambda: read(translation.source_path))  # read for a line number only
    followed = checks.parse_date(translation.metadata.get("translation_of_reviewed") or "")
    reviewed = getattr(original, "reviewed", None)
    if followed and reviewed:
        if followed < reviewed:
            stale.append(
                f"{mine}: {checker.where('Translation_of_reviewed')}: out of date: the English "
                f"page {theirs} was reviewed on {reviewed}, after the text this translation "
                f"follows ({followed}); update the translation from it, then set "
                f"'Translation_of_reviewed: {reviewed}'"
            )
        elif followed > reviewed:
            checker.add(
                checker.where("Translation_of_reviewed"),
                f"{followed} is not a review of the English page {theirs}, last reviewed on "
                f"{reviewed}; write the date the translation follows",
            )
    original_ids, translation_ids = list(record_of(original).headings), list(record_of(translation).headings)
    if translation_ids != original_ids:
        checker.add(
            "sections",
            f"the sections differ from {theirs}: its heading ids are "
            f"{', '.join(original_ids) or 'none'}; this page has "
            f"{', '.join(translation_ids) or 'none'}. Translate every section and pin "
            "each heading's English id with {#id}",
        )
    mine_places, their_places = record_of(translation).citation_places, record_of(original).citation_places
    if mine_places != their_places:
        extra = _difference(mine_places, their_places)
        checker.add(
            "citations",
            f"the citations differ from {theirs}; cite the same sources in the same sections "
            f"in the same order ({extra})",
        )
    return problems + checker.problems, stale


def _difference(mine, theirs) -> str:
    """The first place where the two citation lists part, in words: an added, a missing or
    a different citation (aligned, so one extra citation is not reported as many)."""
    def where(place):
        return f"[@{place[1]}] in '{place[0] or 'the opening'}'"

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=mine, b=theirs, autojunk=False).get_opcodes():
        if tag == "insert":
            return f"this page leaves out {where(theirs[j1])}"
        if tag == "delete":
            return f"this page adds {where(mine[i1])}"
        if tag == "replace":
            return f"citation {i1 + 1}: {where(mine[i1])}, the original has {where(theirs[j1])}"
    return "they are in a different order"


def missing_problems(originals, required, languages, label) -> list[str]:
    """One problem per original without a translation into a required language."""
    found = []
    for lang in required:
        if lang not in languages:
            found.append(
                f"pelicanconf.py: REQUIRED_TRANSLATIONS: '{lang}' is not in LANGUAGES ({', '.join(languages)})"
            )
            continue
        for original in originals:
            if any(t.lang == lang for t in original.translations):
                continue
            source = label(original.source_path)
            wanted = str(Path(source).with_name(f"{Path(source).stem}.{lang}.md"))
            found.append(
                f"{source}: page: there is no '{lang}' translation ({wanted}); start one with "
                f"`invoke new --translate {source} --lang {lang}`"
            )
    return found


HEADING = re.compile(r"^(#{2,6})\s+(.*?)(?:\s*\{#([\w-]+)\})?\s*$")
BOX = re.compile(r'^!!!\s+([\w-]+)(?:\s+"(.*)")?\s*$')
TEXT_LINE = re.compile(r"^(\s*(?:[-*+]\s+|\d+\.\s+|>\s*)?)(.*)$")


def new_translation_text(source: str, kind: str, lang: str, today: str, gettext) -> str:
    """The Markdown `invoke new --translate` writes: the original's metadata as the fields a
    translation needs, and its body with every heading (its id pinned, required sections
    already in `lang`), box, block and citation in place, each sentence left as a TODO
    holding the English text to translate."""
    from markdown.extensions.toc import slugify

    from ..rules.schema import COMPONENTS, CONTENT_TYPES, PLACEHOLDER
    from ..rules.source_files import metadata_block

    ctype = CONTENT_TYPES[kind]
    fields = metadata_block(source)
    lines = source.splitlines()
    body = lines[len(fields):]
    required = {s.id: s.title for s in ctype.sections}
    out = []
    for field in ctype.fields:
        english = fields.get(field.key, (0, ""))[1]
        if field.key in ("date", "reviewed"):
            value = today
        elif field.kind in ("text", "summary"):
            value = f"{PLACEHOLDER} translate: {english}"
        else:
            value = f"{PLACEHOLDER} {field.help}"
        out.append(f"{field.name}: {value}")
        if field.key == "title":
            out += [f"Lang: {lang}", "Slug: {slug}"]
    if ctype.is_article:
        out.append(f"Translation_of_reviewed: {fields.get('reviewed', (0, PLACEHOLDER))[1]}")
    for name in ("menu", "menu_label"):
        if name in fields:
            value = fields[name][1]
            shown = "Menu_label" if name == "menu_label" else "Menu"
            out.append(f"{shown}: {value if name == 'menu' else PLACEHOLDER + ' translate: ' + value}")
    in_html = False
    for line in body:
        stripped = line.strip()
        if not stripped or stripped.startswith(("[[", "<!--")):
            out.append(line)
            in_html = False
            continue
        if stripped.startswith("<") or in_html:  # raw HTML, e.g. a figure: kept whole
            if not in_html:
                out.append(f"<!-- {PLACEHOLDER} translate the text in this HTML (alt text, caption) -->")
            out.append(line)
            in_html = True
            continue
        if heading := HEADING.match(line):
            hashes, text, pinned = heading.groups()
            section_id = pinned or slugify(text, "-")
            if len(hashes) == 2 and section_id in required:
                title = gettext(required[section_id])
            else:
                title = f"{PLACEHOLDER} translate: {text}"
            out.append(f"{hashes} {title} {{#{section_id}}}")
            continue
        if box := BOX.match(line):
            name, title = box.groups()
            component = COMPONENTS.get(name)
            if component and (title is None or title == component.default_title):
                title = gettext(component.default_title)
            else:
                title = f"{PLACEHOLDER} translate: {title or ''}"
            out.append(f'!!! {name} "{title}"')
            continue
        lead, text = TEXT_LINE.match(line).groups()
        out.append(f"{lead}{PLACEHOLDER} translate: {text}")
    return "\n".join(out).rstrip() + "\n"
