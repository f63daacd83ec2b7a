"""Balanced wording: the words and phrases a page may not use as a claim. The one list.

Phrases are kept per language (LANGUAGES: language code -> its phrases and the words that
deny them); a new language adds one entry. Every language's list applies to every page (a
claim pasted from a page in another language is caught too). A phrase is allowed when a
negation in the same clause governs it ("no exosome product is FDA-approved", "PRP has not
been proven"), when it is quoted as a word ("we never write 'miracle'"), or in a question
that really asks ("Is this product approved by the FDA?", "¿El PRP está aprobado por la
FDA?"). A negation in another clause excuses nothing ("No doubt about it, PRP cures knee
pain" is an overclaim), nor one that compares ("Nothing cures knee pain like PRP"); a
question that leads claims ("Did you know PRP is FDA-approved?", "Why...?", "Isn't it...?",
"So it is proven?", "¿Sabía que...?", "¿No es...?").

Text is compared as a reader sees it, not as it is typed: Unicode compatibility forms
(full-width letters, ligatures) are folded (NFKC), zero-width characters and soft hyphens
removed, Cyrillic and Greek letters that look like Latin ones read as Latin, accents are
ignored ("garantia" is "garantía") and every kind of hyphen reads as "-".
Every step is one pass over the text: a page of any size is checked in linear time.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass



@dataclass(frozen=True)
class Overclaim:
    pattern: str  # a regular expression, matched case-insensitively on whole words
    advice: str  # what to write instead


@dataclass(frozen=True)
class Language:
    overclaims: tuple[Overclaim, ...]
    negations: frozenset[str]  # words that deny a claim that follows in the same clause
    not_denials: frozenset[str]  # words after a negation that make it emphasis ("no doubt")
    clause_breaks: str  # a regular expression: where one clause ends and the next begins


_PERCENT = r"(?:100\s?%|100\s?per\s?cent|one hundred per\s?cent|a hundred per\s?cent)"
ENGLISH = Language(
    overclaims=(
        Overclaim(r"cures?|cured|curing|curative|cure-alls?", "say what studies found, e.g. 'may ease pain for some people'"),
        Overclaim(r"guaranteed?|guarantees", "results differ from person to person; say so"),
        Overclaim(r"miracles?|miraculous", "describe what the treatment does, plainly"),
        Overclaim(r"risk[- ]?free|free (?:of|from) (?:any |all )?risks?", "every injection has risks; name them"),
        Overclaim(
            r"(?:no|zero|without any) (?:side[- ]?effects?|risks?|complications?)(?: at all| whatsoever)?",
            "name the side effects and risks and how often they happen",
        ),
        Overclaim(
            rf"(?:extremely|highly|very|remarkably|incredibly|{_PERCENT}) effective",
            "say what the studies measured",
        ),
        Overclaim(r"(?:clinically |scientifically )?proven", "say what the evidence shows and how strong it is"),
        Overclaim(r"breakthrough|revolutionary|game[- ]changer", "describe the treatment without promotion"),
        Overclaim(
            rf"(?:completely|totally|perfectly|absolutely|entirely|{_PERCENT}) safe",
            "name the risks",
        ),
        Overclaim(
            r"FDA[- ]approved|approved by (?:the )?(?:US |U\.S\. )?(?:FDA|Food and Drug Administration)"
            r"|(?:FDA|Food and Drug Administration) (?:has |have |had )?(?:fully )?approved",
            "PRP devices are cleared, not approved, and no exosome product is approved",
        ),
    ),
    negations=frozenset({
        "no", "not", "never", "none", "nor", "without", "neither", "isn't", "aren't", "wasn't",
        "hasn't", "haven't", "doesn't", "don't", "didn't", "cannot", "can't", "unapproved",
        "won't", "shouldn't", "nothing",
    }),
    not_denials=frozenset({"doubt", "question", "wonder", "only", "longer"}),
    clause_breaks=r"[,;:()\u2013\u2014]| - |\b(?:but|and|yet|so|although|though|while|whereas|because|however)\b",
)


def _spanish() -> Language:
    from .wording_es import NEGATIONS_ES, NOT_DENIALS_ES, OVERCLAIMS_ES

    return Language(
        overclaims=tuple(Overclaim(pattern, advice) for pattern, advice in OVERCLAIMS_ES),
        negations=frozenset(NEGATIONS_ES),
        not_denials=frozenset(NOT_DENIALS_ES),
        clause_breaks=r"[,;:()\u2013\u2014]| - |\b(?:pero|aunque|mientras|porque|sino|sin embargo)\b",
    )


# The list for each language a page can be written in (README, "Translating a page").
LANGUAGES = {"en": ENGLISH, "es": _spanish()}

NEGATION_WINDOW = 6  # words before the phrase, within its clause
LOOK_BACK = 80  # characters: enough for NEGATION_WINDOW words, and keeps each look bounded
# A sentence ends at . ! or ? and a space (also after "U.S.", which may end one: "... across the
# U.S. What are the risks?"; a phrase that holds it is judged in both sentences, _overclaims).
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
QUOTES = "\"'“”‘’«»"
WORD = re.compile(r"[\w']+")

# Hyphens of every kind read as "-" in a phrase ("FDA‐approved", "risk‑free"); an en or em
# dash between two letters too ("risk–free"), while the clause breaks are still found on the
# text as written. One character for one, so positions stay the same.
HYPHENS = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2212\ufe63\uff0d", "-"))
ALL_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"))
JOINING_DASH = re.compile(r"(?<=\w)[\u2013\u2014](?=\w)")

# Invisible characters a reader never sees: removed before matching.
# Every format character (zero-width spaces and joiners, soft hyphen, word joiner, invisible
# operators, tag characters, direction controls: those are also reported), every combining
# mark left over after NFKC (a precomposed "é" is one letter and stays), variation selectors
# and the Hangul fillers, which draw nothing.
def _invisible() -> dict[int, None]:
    codes = [*range(0x20000), *range(0xE0000, 0xE01F0)]
    found = {c for c in codes if unicodedata.category(chr(c)) in ("Cf", "Mn", "Me")}
    return dict.fromkeys(sorted(found | {0x115F, 0x1160, 0x3164, 0xFFA0}), None)


INVISIBLE = _invisible()
# Characters that reorder what a reader sees: an error, never silently accepted.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# Cyrillic and Greek letters drawn like Latin ones.
LOOK_ALIKES = str.maketrans(
    "аеорсухіјѕԁһкмнтвАВЕКМНОРСТХУІЈЅԌ"
    "αβεικνορτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdhkmhtbABEKMHOPCTXYIJSG"
    "aBeiKvopTuxABEZHIKMNOPTYX",
)


def _accent_table() -> dict[int, str]:
    """Latin letters with accents, each to its plain letter (one character to one, so
    positions in the folded text are positions in the original)."""
    table = {}
    for code in range(0xC0, 0x250):
        plain = "".join(c for c in unicodedata.normalize("NFD", chr(code)) if not unicodedata.combining(c))
        if len(plain) == 1 and plain != chr(code):
            table[code] = plain
    return table


# "garantia" and "garantía", "clinicamente" and "clínicamente" read alike: phrases and text
# are compared without accents.
ACCENTS = _accent_table()


_ACCENTED = re.compile("[" + "".join(map(chr, ACCENTS)) + "]")
# The same table with every other character below U+0250 mapped to itself: translate() finds
# each character of a Spanish text in it instead of handling a missing key for most of them
# (about twice as fast; the same result).
_FOLD_TABLE = {code: ACCENTS.get(code, chr(code)) for code in range(0x250)}


def fold(text: str) -> str:
    # translate() looks each character up in a dict: skipped for text without an accent
    return text.translate(_FOLD_TABLE) if _ACCENTED.search(text) else text


@dataclass(frozen=True)
class _Compiled:
    language: Language
    any: re.Pattern  # every phrase, one named group each, matched on lower-case text
    any_ignoring_case: re.Pattern  # the same, for text whose lower case changes its length
    breaks: re.Pattern
    negations: frozenset[str] = frozenset()  # as written and without accents
    not_denials: frozenset[str] = frozenset()


def _compile(language: Language) -> _Compiled:
    # Matching lower-cased text without re.I is markedly faster in Python's re.
    groups = "|".join(f"(?P<c{i}>{fold(o.pattern.lower())})" for i, o in enumerate(language.overclaims))
    return _Compiled(
        language,
        re.compile(rf"\b(?:{groups})\b"),
        re.compile(rf"\b(?:{groups})\b", re.I),
        re.compile(language.clause_breaks.lower()),
        frozenset(language.negations | {fold(w) for w in language.negations}),
        frozenset(language.not_denials | {fold(w) for w in language.not_denials}),
    )


_COMPILED = {code: _compile(language) for code, language in LANGUAGES.items()}


def _any_language(flags: int = 0) -> re.Pattern:
    """Every language's phrases in one search, without the groups that name them: it finds
    something exactly when one language's `any` does, so a text it finds nothing in (most
    texts) is searched once, not once a language."""
    phrases = "|".join(f"(?:{fold(o.pattern.lower())})" for language in LANGUAGES.values() for o in language.overclaims)
    return re.compile(rf"\b(?:{phrases})\b", flags)


_ANY_LANGUAGE, _ANY_LANGUAGE_IGNORING_CASE = _any_language(), _any_language(re.I)


# Any character the two tables change: most texts have none, and translate() is slow (it
# looks each character up in a dict), so a text without one is left as it is. A set, not a
# regular expression: Python's re tests a class of 2,000 characters, many beyond U+FFFF, one
# by one (16 ms for a page of 20,000 characters; the set takes about 1 ms).
_TRANSLATED = frozenset(map(chr, [*INVISIBLE, *LOOK_ALIKES]))


def normalise(text: str) -> str:
    """`text` as a reader sees it, for matching: NFKC, invisible characters removed,
    look-alike letters read as Latin."""
    text = unicodedata.normalize("NFKC", text)
    if _TRANSLATED.isdisjoint(text):
        return text
    return text.translate(INVISIBLE).translate(LOOK_ALIKES)


def bidi_controls(text: str) -> list[str]:
    """The direction-control characters in `text`, as U+XXXX."""
    return sorted({f"U+{ord(c):04X}" for c in BIDI_CONTROLS.findall(text)})


# A question asks, and does not claim, when it begins as a question does ("Is this product
# approved by the FDA?", "What are the risks?", "¿El PRP está aprobado por la FDA?") and
# does not lead: "Did you know PRP is FDA-approved?", "Why is PRP so effective?", "It is a
# miracle cure?", "Isn't it a miracle?", "¿Sabía que...?", "¿No es un milagro?" all claim.
ASKING = re.compile(
    r"(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|shall|may|might|must|"
    r"what|which|how|when|where|who|whom|whose)\b|¿"
)
RHETORICAL = re.compile(
    r"(?:(?:is|are|was|were|do|does|did|has|have|can|could|would|will|should|wo|ca)n'?t|"
    r"(?:is|are|was|were|do|does|did|has|have|can|could|would|will|should) not|why|how come|"
    r"who (?:wouldn't|would not|doesn't|does not)|what if|¿\s*(?:no|acaso|por que|quien no)\b)\b"
)
ASKING_CAPITAL = re.compile(
    r"(?<=[\s\"“])(?:Is|Are|Was|Were|Do|Does|Did|Has|Have|Had|Can|Could|Will|Would|Should|May|Might|Must|"
    r"What|Which|How|When|Where|Who)\b|¿"
)
LEADING = re.compile(r"\b(?:know|knew|heard|reali[sz]e[ds]?|aware|sabia[ns]?|sabe[ns]?|sabias|conocia)\b")


def _asks(sentence: str) -> tuple[bool, int]:
    """Whether a question really asks; and how many characters at its start are a
    rhetorical opening ("Isn't"), whose negation excuses nothing."""
    lowered = fold(sentence.lower()).replace("’", "'")
    body = lowered.lstrip(" \"'“‘-*•(")
    skipped = len(lowered) - len(body)
    if rhetorical := RHETORICAL.match(body):
        return False, skipped + rhetorical.end()
    if not ASKING.match(body) and (capital := ASKING_CAPITAL.search(sentence)):
        body = lowered[capital.start():]  # "Questions to ask Is this product...?": a heading ran on
    return bool(ASKING.match(body)) and not LEADING.search(body), 0


# "Nothing cures knee pain like PRP", "no other treatment works as well": a negation that
# compares is a claim. (Matched on the clause after the phrase.)
COMPARING_NEGATIONS = {"nothing", "nobody", "other", "nada", "nadie", "otro", "otra"}
COMPARISON = re.compile(r"\b(?:like|than|compares?|beats?|matches|como|igual|mejor)\b")


@dataclass(frozen=True)
class _Prepared:
    """A text made ready for every language's phrases (the same for all of them)."""
    text: str  # as a reader sees it (normalise)
    written: str  # lower case without accents: where clauses break
    searched: str  # the same with every hyphen as "-": where phrases are found
    lowered: bool  # False when lower case changes the text's length: match ignoring case


_HYPHEN = re.compile("[" + "".join(map(chr, HYPHENS)) + "]")


def _prepare(text: str) -> _Prepared:
    text = normalise(text)
    lower = text.lower()
    lowered = len(lower) == len(text)
    written = fold(lower) if lowered else fold(text)
    searched = written.translate(HYPHENS) if _HYPHEN.search(written) else written
    if "\u2013" in searched or "\u2014" in searched:
        searched = JOINING_DASH.sub("-", searched)
    return _Prepared(text, written, searched, lowered)


def overclaims(text: str, language: str = "en") -> list[tuple[str, str, str]]:
    """Each overclaim in `text` as (phrase found, its sentence, advice)."""
    return _overclaims(_prepare(text), _COMPILED.get(language, _COMPILED["en"]))


def _overclaims(prepared: _Prepared, compiled: _Compiled, begin: int = 0) -> list[tuple[str, str, str]]:
    """The claims of one language; `begin`: no phrase of any language starts before it.

    Phrases are found in the whole text, one search, and each is judged in its sentence: the
    sentences it starts and ends in, as a phrase may hold a full stop ("approved by the U.S.
    FDA" is one claim, which a search sentence by sentence never saw whole)."""
    text, written, searched = prepared.text, prepared.written, prepared.searched
    matcher = compiled.any if prepared.lowered else compiled.any_ignoring_case
    if not matcher.search(searched, begin):
        return []
    breaks = list(SENTENCE_END.finditer(text))
    starts = [0] + [b.end() for b in breaks]  # where each sentence begins
    ends = [b.start() for b in breaks] + [len(text)]  # and ends
    asked: dict[tuple[int, int], tuple[bool, int]] = {}
    found = []
    for match in matcher.finditer(searched, begin):
        first = bisect.bisect_right(starts, match.start()) - 1
        last = bisect.bisect_right(starts, match.end() - 1) - 1
        start, position = starts[first], ends[last]
        sentence = text[start:position]
        opening = 0
        if sentence.rstrip().endswith("?"):
            if (first, last) not in asked:
                asked[first, last] = _asks(sentence)
            asks, opening = asked[first, last]
            if asks:
                continue
        # Only the clause the phrase is in, and only a few words back: a bounded look per
        # phrase keeps the whole check linear.
        window = max(start + opening, match.start() - LOOK_BACK)
        for boundary in compiled.breaks.finditer(written, window, match.start()):
            window = boundary.end()
        phrase_start, phrase_end = match.start() - start, match.end() - start
        if _quoted(sentence, phrase_start, phrase_end):
            continue
        negated, recent = _negated(searched[window : match.start()], compiled)
        if negated and COMPARING_NEGATIONS.intersection(recent):
            # "Nothing cures knee pain like PRP": look at the rest of the clause
            after = written[match.end() : min(position, match.end() + LOOK_BACK)]
            if clause_end := compiled.breaks.search(after):
                after = after[: clause_end.start()]
            negated = not COMPARISON.search(after)
        if negated:
            continue
        claim = compiled.language.overclaims[int(match.lastgroup[1:])]
        found.append((sentence[phrase_start:phrase_end], sentence.strip(), claim.advice))
    return found


def overclaims_in_any_language(text: str) -> list[tuple[str, str, str]]:
    """Each overclaim in `text` by every language's list: a claim pasted from another
    language's page is caught as well."""
    prepared = _prepare(text)
    if not (first := (_ANY_LANGUAGE if prepared.lowered else _ANY_LANGUAGE_IGNORING_CASE).search(prepared.searched)):
        return []
    found = []
    for language in LANGUAGES:
        # Each language's first phrase is at or after the first phrase of any language.
        found += [claim for claim in _overclaims(prepared, _COMPILED[language], first.start()) if claim not in found]
    return found


def _negated(before: str, compiled: _Compiled) -> tuple[bool, list[str]]:
    """Whether a negation in the words just before a phrase denies it; and those words."""
    words = WORD.findall(before.lower().replace("’", "'"))
    recent = words[-NEGATION_WINDOW:]
    following = recent[1:] + [""]
    return any(word in compiled.negations and after_word not in compiled.not_denials
               for word, after_word in zip(recent, following)), recent


def _quoted(sentence: str, start: int, end: int) -> bool:
    before, after = sentence[max(0, start - 3) : start].rstrip(), sentence[end : end + 3].lstrip()
    return bool(before) and bool(after) and before[-1] in QUOTES and after[0] in QUOTES
