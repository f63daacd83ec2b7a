"""Pelican's writer, reusing a guide, condition page or page drawn by an earlier build when
nothing it was drawn from has changed (cache.py says what a key covers). Given to Pelican
through its `get_writer` signal, as a class made for the build; every other file is written by
Pelican's own `Writer.write_file`. A page whose HTML waits in the cache (build.py, `held`) has
it put back while it is drawn or listed in a feed, and let go after."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from pelican.utils import sanitised_join
from pelican.writers import Writer

from ..cache import WarningsLogged, digest, plain_repr
from .work import facts_of


def for_build(build) -> type:
    return type("DrawnPagesWriter", (DrawnPagesWriter,), {"build": build})


def page_state(content, result_key: str) -> list:
    """Everything about a page its template shows: its HTML (filled in after its result, on a
    references page), what Pelican and the result gave it, and its result's key, which covers
    its source file and so its sign-off status."""
    names = ("metadata", "url", "save_as", "title", "lang", "status", "date", "reviewed", "next_review", "template")
    facts = content.medical
    return [content._content, result_key, plain_repr({name: getattr(content, name, None) for name in names}),
            plain_repr([facts.content_type, facts.outline, facts.history, facts.modified]),
            [reference.key for reference in facts.references], [(t.lang, t.url) for t in content.translations]]


def page_outline(content) -> list:
    """What other pages may show of a page (navigation, language links): not its text."""
    names = ("metadata", "url", "save_as", "title", "lang", "status", "date")
    facts = facts_of(content)
    return plain_repr([{name: getattr(content, name, None) for name in names}, facts and facts.content_type,
                       [(t.lang, t.url) for t in content.translations]])


def outlines_digest(contents) -> str:
    """The hash of every page's outline, page by page: one list of them all, made into JSON,
    would take 11 MiB at 5,000 pages."""
    hashed = hashlib.sha256()
    for content in sorted(contents, key=lambda c: c.relative_source_path):
        data = page_outline(content).encode()
        hashed.update(len(data).to_bytes(8, "big") + data)
    return hashed.hexdigest()


class DrawnPagesWriter(Writer):
    build = None

    def write_file(self, name, template, context, relative_urls=False, paginated=None, template_name=None,
                   override_output=False, url=None, **kwargs):
        content = kwargs.get("article") or kwargs.get("page")
        if self.build is None:
            return super().write_file(name, template, context, relative_urls, paginated, template_name,
                                      override_output, url, **kwargs)
        cache = self.build.cache
        result_key = self.build.keys.get(content) if cache is not None else None
        if result_key is None or not name or self.build.drawn_digest is None:
            with self.build.held_parts_on([content]):
                return super().write_file(name, template, context, relative_urls, paginated, template_name,
                                          override_output, url, **kwargs)
        key = digest(self.build.drawn_digest, name, template.name, [relative_urls, url, sorted(kwargs)],
                     *page_state(content, result_key))
        path = sanitised_join(self.output_path, name)
        drawn = cache.drawn(key)
        self.build.reused["drawn_of"] += 1
        if drawn is not None:
            self.build.reused["drawn"] += 1
            os.makedirs(os.path.dirname(path), exist_ok=True)
            Path(path).write_bytes(drawn)
            return None
        with self.build.held_parts_on([content]), WarningsLogged() as logged:
            written = super().write_file(name, template, context, relative_urls, paginated, template_name,
                                         override_output, url, **kwargs)
        if not logged.warned:  # a warning fails the build (sitebuild): the page is drawn, and warns, again
            cache.keep_drawn(key, Path(path).read_bytes())
        return written

    def write_feed(self, elements, *args, **kwargs):
        if self.build is None:
            return super().write_feed(elements, *args, **kwargs)
        for content in elements:  # what Pelican's feeds give as `updated`: only they read it
            if (facts := facts_of(content)) is not None and facts.modified is not None:
                content.modified = facts.modified
        with self.build.held_parts_on(elements):
            return super().write_feed(elements, *args, **kwargs)
