"""The references pages: the bibliography split by topic (the `topic` field of
content/data/references.toml), each topic listed by the page holding
`[[all-references: topic]]`, in each language, with the pages citing each work."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..data.bibliography import DEFAULT_TOPIC, TOPICS

# Left in a page's HTML by its [[all-references]] block, filled in once every page is read.
PLACEHOLDER = re.compile(r"<!-- all-references: ([a-z-]+) -->")


def placeholder(arguments: list[str], page: str) -> tuple[str, list[str]]:
    """The placeholder for `[[all-references]]` or `[[all-references: topic]]`, and what is
    wrong with the block, naming the page."""
    topic = arguments[0] if arguments else DEFAULT_TOPIC
    if len(arguments) > 1 or topic not in TOPICS:
        return "", [
            f"{page}: [[all-references: {', '.join(arguments)}]]: not a topic of the bibliography; "
            f"name one of {', '.join(TOPICS)} (or none for {DEFAULT_TOPIC})"
        ]
    return f"<!-- all-references: {topic} -->", []


class CitingPages(Sequence):
    """The (title, link) pairs of the pages citing one work, from (title, source path) pairs.
    A references page shows a few of them and counts the rest: the links are made only for
    those shown, not for every citation of every page of a large site."""

    def __init__(self, pages: list[tuple[str, str]]):
        self._pages = pages

    @staticmethod
    def _pair(page: tuple[str, str]) -> tuple[str, str]:
        title, source = page
        return title, "{filename}/" + source

    def __len__(self) -> int:
        return len(self._pages)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._pair(page) for page in self._pages[index]]
        return self._pair(self._pages[index])


def works_on(references, topic: str) -> list:
    """The works on one topic, by first author (or title), as a reader looks them up."""
    works = [r for r in references.values() if r.topic == topic]
    return sorted(works, key=lambda r: ((r.authors or r.title).lower(), r.key))


def topics_listed_twice(pages, default_lang: str, label) -> list[str]:
    """A topic listed twice in one language: each work belongs on one page."""
    listed: dict[tuple, list] = {}
    for page in sorted(pages, key=lambda p: p.source_path):
        for topic in PLACEHOLDER.findall(page._content):
            listed.setdefault((getattr(page, "lang", default_lang), topic), []).append(page)
    return [
        f"{label(page.source_path)}: [[all-references: {topic}]]: this topic is listed already "
        f"by {label(listing[0].source_path)}; list each topic once, on one page"
        for (_lang, topic), listing in listed.items() for page in listing[1:]
    ]
