"""Balanced wording: the words and phrases a page may not use as a claim. The one list.

A phrase is allowed when the sentence negates it just before ("no exosome product is
FDA-approved", "PRP has not been proven"), when it is quoted as a word ("we never write
'miracle'"), or in a question ("Is this product approved by the FDA?"): a question asks,
it does not claim. Everything else is an overclaim and fails the build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Overclaim:
    pattern: str  # a regular expression, matched case-insensitively on whole words
    advice: str  # what to write instead


OVERCLAIMS = (
    Overclaim(r"cures?|cured", "say what studies found, e.g. 'may ease pain for some people'"),
    Overclaim(r"guaranteed?|guarantees", "results differ from person to person; say so"),
    Overclaim(r"miracles?|miraculous", "describe what the treatment does, plainly"),
    Overclaim(r"risk[- ]free", "every injection has risks; name them"),
    Overclaim(r"no side[- ]effects?", "name the side effects and how often they happen"),
    Overclaim(r"(?:extremely|highly|very|remarkably) effective", "say what the studies measured"),
    Overclaim(r"proven|clinically proven", "say what the evidence shows and how strong it is"),
    Overclaim(r"breakthrough|revolutionary", "describe the treatment without promotion"),
    Overclaim(r"completely safe|totally safe|100 ?% safe|perfectly safe", "name the risks"),
    Overclaim(
        r"FDA[- ]approved|approved by the (?:US )?(?:FDA|Food and Drug Administration)",
        "PRP devices are cleared, not approved, and no exosome product is approved",
    ),
)

# Words that turn a claim into its denial when they come shortly before it in a sentence.
NEGATIONS = {
    "no", "not", "never", "none", "nor", "without", "neither", "isn't", "aren't", "wasn't",
    "hasn't", "haven't", "doesn't", "don't", "didn't", "cannot", "can't", "unapproved",
}
NEGATION_WINDOW = 6  # words before the phrase
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
QUOTES = "\"'“”‘’«»"
_COMPILED = [(re.compile(rf"\b(?:{o.pattern})\b", re.I), o) for o in OVERCLAIMS]
# All phrases in one expression: most pages have none, and one pass finds that out quickly.
_ANY = re.compile("|".join(rf"\b(?:{o.pattern})\b" for o in OVERCLAIMS), re.I)


def _tables(claims, negations):
    compiled = [(re.compile(rf"\b(?:{o.pattern})\b", re.I), o) for o in claims]
    return compiled, re.compile("|".join(rf"\b(?:{o.pattern})\b" for o in claims), re.I), negations


def _spanish():
    from .wording_es import NEGATIONS_ES, OVERCLAIMS_ES

    return _tables([Overclaim(p, a) for p, a in OVERCLAIMS_ES], NEGATIONS_ES)


# The list for each language a page can be written in (README, "Translating a page").
_LANGUAGES = {"en": (_COMPILED, _ANY, NEGATIONS), "es": _spanish()}


def overclaims(text: str, language: str = "en") -> list[tuple[str, str, str]]:
    """Each overclaim in `text` as (phrase found, its sentence, advice)."""
    compiled, any_claim, negations = _LANGUAGES.get(language, _LANGUAGES["en"])
    if not any_claim.search(text):
        return []
    found = []
    for sentence in SENTENCE_END.split(text):
        if sentence.rstrip().endswith("?") or not any_claim.search(sentence):
            continue
        for regex, claim in compiled:
            for match in regex.finditer(sentence):
                if _quoted(sentence, match) or _negated(sentence[: match.start()], negations):
                    continue
                found.append((match.group(0), sentence.strip(), claim.advice))
    return found


def _negated(before: str, negations=NEGATIONS) -> bool:
    words = re.findall(r"[\w']+", before.lower().replace("’", "'"))[-NEGATION_WINDOW:]
    return any(word in negations for word in words)


def _quoted(sentence: str, match: re.Match) -> bool:
    before, after = sentence[: match.start()].rstrip(), sentence[match.end() :].lstrip()
    return bool(before) and bool(after) and before[-1] in QUOTES and after[0] in QUOTES
