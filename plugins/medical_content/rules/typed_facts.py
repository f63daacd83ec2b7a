"""Facts a page may not type in: phone numbers, prices and amounts of money, and people
with a title or credential. Each comes from the site's settings (CLINIC_PHONE and the other
CLINIC_* settings, content/data/reviewers.toml), shown with {{ NAME }} or [[clinic-contact]], so
nothing invented is published and a change is made in one place.

Text is matched after wording.normalise (full-width digits and the like read as ASCII).
"""

from __future__ import annotations

import re

from . import wording

# Any dash a keyboard or a word processor makes reads as "-" (one character for one).
DASHES = wording.ALL_DASHES
PHONE = re.compile(
    r"(?<![\w/.-])(?:"
    r"\+\s?\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){2,5}"  # +44 20 7946 0000, +1 (555) 010-0100, +34 912 345 678
    r"|\(\d{2,5}\)[\s.-]?\d{3,4}[\s.-]?\d{3,4}"  # (020) 7946 0000, (555) 010-0100, (555)-010-0100
    r"|\(\d{2,3}\)[\s.-]?\d{3}[\s.-]\d{2}[\s.-]\d{2}"  # (91) 234 56 78
    r"|\d{3}[\s.-]\d{3}[\s.-]\d{3,4}"  # 555-010-0100, 555.010.0100, 912 345 678
    r"|\d{2}[\s.-]\d{3}[\s.-]\d{2}[\s.-]\d{2}"  # 91 234 56 78
    r"|\d{2}[\s.-]\d{4}[\s.-]\d{4}"  # 55 1234 5678 (Mexico City)
    r"|0\d{2,4}[\s-]?\d{3}[\s-]?\d{3,4}"  # 020 7946 0000, 01632 960000
    r"|1[\s.-]?8\d\d[\s.-]?[\dA-Z]{3}[\s.-]?[\dA-Z]{4}"  # 1-800-555-0100, 1-800-PRP-KNEE
    r"|\(?\d{3}\)?[\s.-]?(?=[\dA-Z-]*[A-Z])[A-Z\d]{3}[\s.-][A-Z\d]{4}"  # 555-PRP-KNEE
    r"|\d{10,11}"  # 5550100199
    r")(?![\w/-])"
    # a 7-digit local number, when the text says it is one: "call 555-0100", "llame al 555 0100"
    r"|(?i:\b(?:call|phone|tel|telephone|llame(?: al)?|llamar(?: al)?|tel[eé]fono)\b\W{0,3})\d{3}[\s.-]\d{4}(?![\w/-])"
)
# Where a phone number can begin: a "+", "(" or digit, or the start of the word that says
# it is one (the start of each alternative above, without the look-behind).
PHONE_START = re.compile(r"[+(\d]|(?i:\b(?:call|phone|tel|llam))")
_CURRENCY_WORDS = (r"dollars?|bucks|pounds?|euros?|pesos?|d[oó]lares|d[oó]lar|libras?|francs?|francos?|"
                   r"yen|rupees?|reales|soles")
_CURRENCY_CODES = r"US\$|USD|EUR|GBP|AUD|CAD|CHF|MXN|JPY|CNY|INR|BRL|ARS|COP|CLP|PEN|NZD|SEK|NOK|DKK|ZAR"
_NUMBERS = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
            r"thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|"
            r"uno?|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|veinte|treinta|cuarenta|"
            r"cincuenta|sesenta|setenta|ochenta|noventa|cien|ciento|doscientos|trescientos|"
            r"cuatrocientos|quinientos|seiscientos|setecientos|ochocientos|novecientos|mil|"
            r"mill[oó]n|millones")
MONEY = re.compile(
    rf"(?:[$£€¥₹]|\b(?:{_CURRENCY_CODES})\s?)\s?\d(?:[\d,.]*\d)?"  # $450, € 1.200, CHF 450, USD 450
    rf"|\b\d(?:[\d,.\s]*\d)?\s?(?:k\s)?(?:[$£€¥₹]|(?:{_CURRENCY_WORDS}|{_CURRENCY_CODES})\b)",  # 450 €, 450$, 450 dólares
    re.I,
)
# Where an amount can begin: at a currency sign or a digit, or at a currency code, which
# stands at most CODE_REACH characters before a digit (the code, up to two spaces, a digit).
MONEY_START = re.compile(r"[$£€¥₹\d]")
CODE_REACH = max(len(code.replace("\\", "")) for code in _CURRENCY_CODES.split("|")) + 2
# An amount in words ("five hundred dollars", "quinientos dólares"): each currency word found,
# then the words just before it read backwards from it (one alternation at every position
# of a page would be slow).
CURRENCY_WORD = re.compile(rf"\b(?:{_CURRENCY_WORDS})\b", re.I)
NUMBER_WORDS_BEFORE = re.compile(rf"\b(?:(?:{_NUMBERS}|a|and|y)[\s-]+)*(?:{_NUMBERS})[\s-]+\Z", re.I)
WORDS_BEFORE = 80  # characters: a long amount in words


_NAME = r"[A-ZÁÉÍÓÚÑÜ][\w'’-]+"
_TITLES = r"Dr|Drs|Dra|Dras|Dres|Prof|Profa|Professor|Mr|Mrs|Ms|Sr|Sra|Srta|Lic|Licda"
# Each case spelled out: a search for alternatives that each begin with a letter skips fast
# to the next possible first letter, where a class ([Dd]) makes it try every character.
_TITLE_WORDS = r"Doctor|doctor|Doctora|doctora|Profesor|profesor|Profesora|profesora"
TITLE_NAME = re.compile(
    rf"\b(?:{_TITLES})(?:\.\s*|\s+){_NAME}"
    rf"|\b(?:{_TITLE_WORDS})\s+{_NAME}(?:\s+{_NAME})?",
)
TITLE_START = re.compile(rf"{_TITLES}|{_TITLE_WORDS}")  # the title, without the \b before it
_CREDENTIALS = (r"MD|M\.D\.|DO|D\.O\.|MBBS|MBChB|FRCS|FRCP|FRCSEd|FACS|FAAOS|PhD|Ph\.D\.|RN|NP|PA-C|"
                r"DPT|DNP|MSc|BSc|MRCP|MRCGP|FRACS|FRCPC")
NAME_CREDENTIAL = re.compile(
    rf"\b[A-Z][\w'-]+,?\s+(?:{_CREDENTIALS})\b"
    rf"|\b{_NAME}\s+\((?:{_CREDENTIALS})\)"  # Jane Smith (MD)
)
CREDENTIAL = re.compile(_CREDENTIALS)  # in every match of NAME_CREDENTIAL
EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
_DASH = re.compile("[" + "".join(map(chr, DASHES)) + "]")

# A page's review is shown from its sign-offs (content/data/sign-offs.toml), in the theme's
# words: a page, a data file or a setting that says so in its own words would show a review no
# clinician signed. (Matched on lower-case text without accents; the theme's catalog, which
# holds those words, is not checked for it.)
REVIEW_CLAIM = re.compile(
    r"\b(?:(?:medically|clinically) )?reviewed by\b|\b(?:medically|clinically) reviewed\b"
    r"|\bchecked by (?:a |an |our )?(?:doctor|clinician|physician|nurse|expert)s?\b"
    r"|\brevisad[oa]s? por\b|\btraduccion comprobada por\b|\brevisad[oa]s? (?:medica|clinica)mente\b")
REVIEW_CLAIM_PROBLEM = ("a review is typed into the text; a page is shown as reviewed only from its sign-off "
                        "(`invoke sign-off`), never in its own words: remove it")


def review_claims(text: str) -> list[tuple[str, int]]:
    """Each phrase of `text` that says the page was reviewed (lower case, without accents),
    with the number of its line (the steps before matching keep every line break)."""
    read = wording.fold(wording.normalise(text).lower())
    return [(m.group(0), read.count("\n", 0, m.start()) + 1) for m in REVIEW_CLAIM.finditer(read)]


def _finditer(pattern: re.Pattern, start: re.Pattern, text: str, reach: int = 0):
    """`pattern.finditer(text)`, trying `pattern` only where `start` finds that one of its
    matches can begin, or up to `reach` characters before (a search a regular expression does
    fast, skipping most of the text, where `pattern` with its look-behinds and alternatives
    is tried at every character). The places are tried in order, so the first match is the
    leftmost, as finditer's; none of these patterns matches an empty string, so the next
    search begins where a match ends, as finditer's does."""
    position = 0
    while begins := start.search(text, position):
        for place in range(max(position, begins.start() - reach), begins.start() + 1):
            if match := pattern.match(text, place):
                yield match
                position = match.end()
                break
        else:
            position = begins.start() + 1


def problems(text: str, settings_values: list[str]) -> list[tuple[str, str]]:
    """(what was found, the problem) for each typed-in fact in `text`. The values of the
    site's settings (inserted with {{ NAME }}) are allowed."""
    for value in settings_values:
        if value:
            text = text.replace(value, " ")
    # Hidden characters inside a number (zero-width, soft hyphen, direction controls) are
    # dropped, and every kind of dash reads as "-", before matching.
    text = wording.BIDI_CONTROLS.sub("", wording.normalise(text))
    if _DASH.search(text):  # translate() is slow: only a text with a dash to change
        text = text.translate(DASHES)
    found = []
    for match in EMAIL.finditer(text) if "@" in text else ():
        found.append((match.group(0), "an e-mail address is typed into the page; set CLINIC_EMAIL in pelicanconf.py and write {{ CLINIC_EMAIL }} or [[clinic-contact]]"))
    for match in _finditer(PHONE, PHONE_START, text):
        found.append((match.group(0), "a phone number is typed into the page; set CLINIC_PHONE in pelicanconf.py and write {{ CLINIC_PHONE }} or [[clinic-contact]]"))
    money = [match.group(0).strip() for match in _finditer(MONEY, MONEY_START, text, CODE_REACH)]
    for match in CURRENCY_WORD.finditer(text):
        if words := NUMBER_WORDS_BEFORE.search(text, max(0, match.start() - WORDS_BEFORE), match.start()):
            money.append(text[words.start() : match.end()])
    for amount in money:
        found.append((amount, "a price or amount of money is typed into the page; prices are not published: describe costs in words and point readers to the clinic ([[clinic-contact]])"))
    named = _finditer(TITLE_NAME, TITLE_START, text)
    credentials = NAME_CREDENTIAL.finditer(text) if CREDENTIAL.search(text) else ()
    for matches in (named, credentials):
        for match in matches:
            found.append((match.group(0), "a named person with a title or credential is typed into the page; the site names no one it cannot name: a reviewer goes in content/data/reviewers.toml (the clinic in CLINIC_NAME)"))
    return found


def phone_link_problem(href: str, clinic_phone: str) -> str | None:
    """A tel: link is allowed only to the clinic's configured number."""
    digits = re.sub(r"\D", "", href)
    if clinic_phone and digits == re.sub(r"\D", "", clinic_phone):
        return None
    return f"the phone link '{href}' is typed into the page; set CLINIC_PHONE in pelicanconf.py and use [[clinic-contact]]"


def mail_link_problem(href: str, settings_values: list[str]) -> str | None:
    """A mailto: link is allowed only to the clinic's configured address, with nothing after
    it (no ?bcc=, no encoded line breaks)."""
    address = href[len("mailto:"):]
    if address and address in settings_values and "?" not in address and "%" not in address:
        return None
    return (f"the e-mail link '{href}' is typed into the page; set CLINIC_EMAIL in pelicanconf.py "
            "and use [[clinic-contact]] (a link carries no ?subject=, ?bcc= or %-codes)")
