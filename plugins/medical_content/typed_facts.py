"""Facts a page may not type in: phone numbers, prices and amounts of money, and people
with a title or credential. Each comes from the site's settings (CLINIC_PHONE and the other
CLINIC_* settings, CLINICAL_REVIEWER), shown with {{ NAME }} or [[clinic-contact]], so
nothing invented is published and a change is made in one place.

Text is matched after wording.normalise (full-width digits and the like read as ASCII).
"""

from __future__ import annotations

import re

from . import wording

PHONE = re.compile(
    r"(?<![\w/.-])(?:"
    r"\+\s?\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){2,5}"  # +44 20 7946 0000, +1 (555) 010-0100
    r"|\(\d{2,5}\)\s?\d{3,4}[\s.-]?\d{3,4}"  # (020) 7946 0000, (555) 010-0100
    r"|\d{3}[\s.-]\d{3}[\s.-]\d{4}"  # 555-010-0100
    r"|0\d{2,4}[\s-]?\d{3}[\s-]?\d{3,4}"  # 020 7946 0000, 01632 960000
    r"|1[\s-]?800[\s-]?\d{3}[\s-]?\d{4}"
    r")(?![\w/-])"
)
MONEY = re.compile(
    r"(?:[$£€¥₹]|\b(?:US\$|USD|EUR|GBP|AUD|CAD)\s?)\s?\d(?:[\d,.]*\d)?"
    r"|\b\d[\d,.]*\s?(?:k\s)?(?:dollars?|pounds?|euros?|USD|EUR|GBP|AUD|CAD|bucks)\b",
    re.I,
)
TITLE_NAME = re.compile(
    r"\b(?:Dr|Drs|Prof|Professor|Mr|Mrs|Ms)\.?\s+[A-Z][\w'-]++",
)
NAME_CREDENTIAL = re.compile(
    r"\b[A-Z][\w'-]+,?\s+(?:MD|M\.D\.|DO|D\.O\.|MBBS|MBChB|FRCS|FRCP|FRCSEd|FACS|FAAOS|PhD|"
    r"Ph\.D\.|RN|NP|PA-C|DPT|DNP|MSc|BSc|MRCP|MRCGP|FRACS|FRCPC)\b"
)


def problems(text: str, settings_values: list[str]) -> list[tuple[str, str]]:
    """(what was found, the problem) for each typed-in fact in `text`. The values of the
    site's settings (inserted with {{ NAME }}) are allowed."""
    for value in settings_values:
        if value:
            text = text.replace(value, " ")
    text = wording.normalise(text)
    found = []
    for match in PHONE.finditer(text):
        found.append((match.group(0), "a phone number is typed into the page; set CLINIC_PHONE in pelicanconf.py and write {{ CLINIC_PHONE }} or [[clinic-contact]]"))
    for match in MONEY.finditer(text):
        found.append((match.group(0).strip(), "a price or amount of money is typed into the page; prices are not published: describe costs in words and point readers to the clinic ([[clinic-contact]])"))
    for regex in (TITLE_NAME, NAME_CREDENTIAL):
        for match in regex.finditer(text):
            found.append((match.group(0), "a named person with a title or credential is typed into the page; the site names no one it cannot name: set CLINICAL_REVIEWER (or CLINIC_NAME) in pelicanconf.py instead"))
    return found


def phone_link_problem(href: str, clinic_phone: str) -> str | None:
    """A tel: link is allowed only to the clinic's configured number."""
    digits = re.sub(r"\D", "", href)
    if clinic_phone and digits == re.sub(r"\D", "", clinic_phone):
        return None
    return f"the phone link '{href}' is typed into the page; set CLINIC_PHONE in pelicanconf.py and use [[clinic-contact]]"
