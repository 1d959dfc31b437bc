"""Finding a publication date in one short line of a text scrape."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    # German names that differ from the English ones ("30. Juli 2018")
    "januar": 1,
    "februar": 2,
    "märz": 3,
    "mär": 3,
    "mai": 5,
    "juni": 6,
    "juli": 7,
    "okt": 10,
    "oktober": 10,
    "dez": 12,
    "dezember": 12,
}

# Offsets in hours; the ambiguous "IST" is read as India, the commoner use in news.
ZONES = {
    "utc": 0,
    "gmt": 0,
    "z": 0,
    "bst": 1,
    "cet": 1,
    "cest": 2,
    "eet": 2,
    "eest": 3,
    "msk": 3,
    "ist": 5.5,
    "sgt": 8,
    "hkt": 8,
    "jst": 9,
    "kst": 9,
    "awst": 8,
    "acst": 9.5,
    "acdt": 10.5,
    "aest": 10,
    "aedt": 11,
    "nzst": 12,
    "nzdt": 13,
    "sast": 2,
    "wat": 1,
    "cat": 2,
    "eat": 3,
    "est": -5,
    "edt": -4,
    "et": -5,
    "cst": -6,
    "cdt": -5,
    "ct": -6,
    "mst": -7,
    "mdt": -6,
    "mt": -7,
    "pst": -8,
    "pdt": -7,
    "pt": -8,
}

MONTH_WORD = (
    r"(?:jan(?:uary|uar)?|feb(?:ruary|ruar)?|mar(?:ch)?|märz|mär|apr(?:il)?|may|mai|june?|juni|july?|juli"
    r"|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?|dez(?:ember)?)"
)
_MONTH = rf"(?P<month>{MONTH_WORD})\.?"
_TIME = r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?"
_ZONE = r"(?P<zone>[A-Z]{1,4}T|Z|UTC|GMT|ET|PT|CT|MT)?\s*(?P<offset>(?:UTC|GMT)?\s*[+-]\d{1,2}(?::?\d{2})?)?"

ISO_DATE = re.compile(
    r"\b(?P<year>(?:19|20)\d{2})[-/.](?P<mon>\d{1,2})[-/.](?P<day>\d{1,2})"
    r"(?:[T\s,]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?(?:\.\d+)?)?"
    r"\s*(?P<zone>Z|UTC|GMT)?(?P<offset>[+-]\d{2}:?\d{2})?"
)
DAY_MONTH_YEAR = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?{_MONTH},?\s+(?P<year>(?:19|20)\d{{2}})\b",
    re.IGNORECASE,
)
MONTH_DAY_YEAR = re.compile(
    rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{{2}})\b",
    re.IGNORECASE,
)
YEAR = re.compile(r"(?:19|20)\d\d")
NUMERIC_DATE = re.compile(r"\b(?P<a>\d{1,2})[./](?P<b>\d{1,2})[./](?P<year>(?:19|20)\d{2})\b")
TIME_AFTER = re.compile(r"(?:[\s,|@\-–—]|at\b)*" + _TIME + r"\s*" + _ZONE, re.IGNORECASE)
TIME_BEFORE = re.compile(
    _TIME + r"\s*" + _ZONE + r"[\s,|@\-–—]*(?:on\s+)?(?:\w+day,?\s+)?$", re.IGNORECASE
)


def _offset_hours(zone: str | None, offset: str | None) -> float:
    if offset:
        m = re.search(r"([+-])\s*(\d{1,2}):?(\d{2})?", offset)
        if m:
            hours = int(m.group(2)) + int(m.group(3) or 0) / 60
            return -hours if m.group(1) == "-" else hours
    if zone:
        return ZONES.get(zone.casefold(), 0)
    return 0


def _compose(
    year: int, month: int, day: int, tm: re.Match[str] | None, zone_src: re.Match[str] | None
) -> dt.datetime | None:
    hour = minute = second = 0
    zone = offset = None
    if tm is not None:
        hour, minute = int(tm.group("hour")), int(tm.group("minute"))
        second = int(tm.group("second") or 0)
        ampm = (tm.groupdict().get("ampm") or "").casefold().replace(".", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
    if zone_src is not None:
        zone, offset = zone_src.group("zone"), zone_src.group("offset")
    if zone and zone.casefold() not in ZONES:
        zone = None
    try:
        local = dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    shift = dt.timedelta(hours=_offset_hours(zone, offset))
    return (local - shift).replace(tzinfo=dt.UTC)


def find_date(line: str) -> tuple[dt.datetime, int] | None:
    """The first date in line, in UTC (naive times are taken as UTC), with the
    number of characters the date and its time took up."""
    if YEAR.search(line) is None:
        return None  # every form below spells the year out in full
    m = ISO_DATE.search(line)
    if m:
        found = _compose(
            int(m.group("year")),
            int(m.group("mon")),
            int(m.group("day")),
            m if m.group("hour") else None,
            m,
        )
        if found:
            return found, m.end() - m.start()
    for pattern in (DAY_MONTH_YEAR, MONTH_DAY_YEAR):
        m = pattern.search(line)
        if m:
            month = MONTHS[m.group("month").casefold().rstrip(".")]
            year, day = int(m.group("year")), int(m.group("day"))
            span = m.end() - m.start()
            after = TIME_AFTER.match(line, m.end())
            if after:
                found = _compose(year, month, day, after, after)
                span += after.end() - after.start()
            else:
                before = TIME_BEFORE.search(line[: m.start()])
                found = _compose(year, month, day, before, before)
                if before:
                    span += before.end() - before.start()
            if found:
                return found, span
    m = NUMERIC_DATE.search(line)
    if m:
        a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("year"))
        day, month = (b, a) if b > 12 else (a, b)
        after = TIME_AFTER.match(line, m.end())
        found = _compose(year, month, day, after, after)
        if found:
            return found, m.end() - m.start() + (after.end() - after.start() if after else 0)
    return None
