"""Regular expressions that first look ahead for a character a match can start with.

Python's `re` tries every alternative of a pattern at every position of the text; a pattern
that begins with a character class is skipped along the text much faster. The wording and
typed-fact checks run on every page, so their patterns start with such a look-ahead, worked
out here from the pattern itself (with the parser Python's own compiler uses): a new
alternative can never be hidden by a hand-written list that was not updated.
"""

from __future__ import annotations

import re
from re import _constants as op, _parser

_REPEATS = {op.MAX_REPEAT, op.MIN_REPEAT, getattr(op, "POSSESSIVE_REPEAT", op.MAX_REPEAT)}
_ZERO_WIDTH = {op.AT, op.ASSERT, op.ASSERT_NOT}  # \b, ^, look-arounds: they consume nothing
_CATEGORIES = {op.CATEGORY_DIGIT: r"\d", op.CATEGORY_WORD: r"\w", op.CATEGORY_SPACE: r"\s"}


def compile_with_lookahead(pattern: str, flags: int = 0) -> re.Pattern:
    """`pattern` compiled, behind a look-ahead for the characters a match can start with
    (matched with the same flags, so re.I applies to it too). The matches are the same."""
    start = first_characters(pattern, flags)
    return re.compile(f"(?=[{start}])(?:{pattern})" if start else pattern, flags)


def first_characters(pattern: str, flags: int = 0) -> str | None:
    """The characters a match of `pattern` can start with, as the inside of a character
    class; None when the pattern can match an empty text or starts with something this does
    not follow (a negated class, say), so no look-ahead can be taken."""

    def first(items) -> tuple[list[str], bool]:  # (class parts, whether it can match nothing)
        found: list[str] = []
        for code, argument in items:
            if code is op.LITERAL:
                return found + [re.escape(chr(argument))], False
            if code is op.IN:
                for kind, value in argument:
                    if kind is op.LITERAL:
                        found.append(re.escape(chr(value)))
                    elif kind is op.RANGE:
                        found.append(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
                    elif kind is op.CATEGORY and value in _CATEGORIES:
                        found.append(_CATEGORIES[value])
                    else:
                        raise ValueError(kind)
                return found, False
            if code in _ZERO_WIDTH:
                continue
            if code is op.BRANCH:
                empty = False
                for alternative in argument[1]:
                    parts, can_be_empty = first(alternative)
                    found += parts
                    empty |= can_be_empty
            elif code is op.SUBPATTERN:
                parts, empty = first(argument[3])
                found += parts
            elif code in _REPEATS:
                parts, empty = first(argument[2])
                found += parts
                empty = empty or argument[0] == 0
            else:
                raise ValueError(code)
            if not empty:
                return found, False
        return found, True

    try:
        parts, can_be_empty = first(_parser.parse(pattern, flags))
    except ValueError:
        return None
    return None if can_be_empty or not parts else "".join(sorted(set(parts)))
