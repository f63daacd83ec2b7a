"""Why a date an editor typed cannot be used, in words: the build says what is impossible
about it (a year out of range, a 13th month, 30 February), never just "could not process"."""

from __future__ import annotations

import calendar
import datetime
import re

EARLIEST_YEAR = 1990  # nothing on this site was written before PRP clinics existed
LATEST_YEAR = 2100
ISO_DAY = re.compile(r"^(\d{1,6})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.+Z-]*)?$")


def date_problem(value: str) -> str | None:
    """None when `value` is a usable YYYY-MM-DD date; otherwise what is wrong with it."""
    text = str(value).strip()
    match = ISO_DAY.match(text)
    if not match:
        return f"'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-20"
    year, month, day = (int(part) for part in match.groups())
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return (f"'{text}' is not a date: the year {year} is impossible for this site; write a "
                f"year between {EARLIEST_YEAR} and {LATEST_YEAR}, as YYYY-MM-DD")
    if not 1 <= month <= 12:
        return f"'{text}' is not a date: there is no month {month}; write it as YYYY-MM-DD"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return (f"'{text}' is not a date: {calendar.month_name[month]} {year} has no day {day}; "
                "write it as YYYY-MM-DD")
    try:
        datetime.datetime.fromisoformat(text)
    except ValueError:
        return f"'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-20"
    return None
