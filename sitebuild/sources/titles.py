"""Titles and journal names made comparable: HTML entities and tags, Unicode forms, case,
punctuation and spacing do not count as differences."""

from __future__ import annotations

import difflib
import html
import re
import unicodedata

TAGS = re.compile(r"<[^>]+>")  # Crossref titles may carry JATS/HTML markup such as <i>
NOTICE_PREFIX = re.compile(r"^\s*(retracted|withdrawn|retraction|expression of concern)\s*(article)?\s*[:\-–]\s*", re.I)


def normalise(text: str) -> str:
    text = html.unescape(TAGS.sub(" ", html.unescape(str(text))))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = "".join(c if c.isalnum() else " " for c in text.casefold())
    return " ".join(text.split())


def same_title(ours: str, theirs: str) -> bool:
    """The same work's title: equal once normalised, one the start of the other (a subtitle
    left out), or nearly equal (a word spelled differently)."""
    a, b = normalise(ours), normalise(NOTICE_PREFIX.sub("", html.unescape(theirs or "")))
    if not a or not b:
        return False
    if a == b or b.startswith(a) or a.startswith(b):
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.85


def same_journal(ours: str, names: list[str]) -> bool:
    a = normalise(ours).removeprefix("the ")
    for name in names:
        b = normalise(name).removeprefix("the ")
        if a and b and (a == b or a in b or b in a or difflib.SequenceMatcher(None, a, b).ratio() >= 0.85):
            return True
    return False
