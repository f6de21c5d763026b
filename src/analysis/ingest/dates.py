"""Dates as printed by Japanese editions, parsed to timezone-aware datetimes (Asia/Tokyo).

>>> parse_datetime("2025-02-01 07:05").isoformat()
'2025-02-01T07:05:00+09:00'
>>> parse_datetime("2019.07.02 07:31").isoformat()
'2019-07-02T07:31:00+09:00'
>>> parse_datetime("２０２４年３月１日（金）").isoformat()
'2024-03-01T00:00:00+09:00'
>>> parse_datetime("2011-10-15T10:30:00+0900").isoformat()
'2011-10-15T10:30:00+09:00'
>>> parse_datetime("昨日") is None
True

A date without a time is midnight; a date without an offset is Japan time (``config.DEFAULT_TZ``);
a date with an offset is converted to Japan time. Impossible dates (2024-02-30) give ``None``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from analysis import config

TZ = ZoneInfo(config.DEFAULT_TZ)

#: A date as it appears inside a line (for building line patterns in source profiles).
DATE = (r"\d{4}\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[-/.]\d{1,2}[-/.]\d{1,2})"
        r"(?:\s*[（(][月火水木金土日][)）])?"
        r"(?:[T\s]*\d{1,2}(?::\d{2}(?::\d{2})?|時\s*\d{1,2}\s*分?))?")

_FULL = re.compile(
    r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*\([月火水木金土日]\))?"
    r"(?:\s*T?\s*(?P<H>\d{1,2})\s*[:時]\s*(?P<M>\d{1,2})\s*分?(?::(?P<S>\d{1,2})(?:\.\d+)?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?"
)
_FILE_DATE = re.compile(r"(?<!\d)(\d{4})(?:-(\d{1,2})-(\d{1,2})|年(\d{1,2})月(\d{1,2})日)(?!\d)")


def parse_datetime(value) -> datetime | None:
    """A datetime in Japan time from a string, ``datetime``/``date`` or pandas Timestamp; else None."""
    if value is None:
        return None
    if isinstance(value, datetime):  # includes pandas.Timestamp
        if value != value:  # NaT
            return None
        value = value.to_pydatetime() if hasattr(value, "to_pydatetime") else value
        return value.replace(tzinfo=TZ) if value.tzinfo is None else value.astimezone(TZ)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=TZ)
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    match = _FULL.fullmatch(text)
    if not match:
        return None
    g = match.groupdict()
    try:
        stamp = datetime(int(g["y"]), int(g["m"]), int(g["d"]), int(g["H"] or 0), int(g["M"] or 0),
                         int(g["S"] or 0))
    except ValueError:
        return None
    if not g["tz"]:
        return stamp.replace(tzinfo=TZ)
    if g["tz"] == "Z":
        return stamp.replace(tzinfo=timezone.utc).astimezone(TZ)
    sign = 1 if g["tz"][0] == "+" else -1
    digits = g["tz"][1:].replace(":", "")
    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return stamp.replace(tzinfo=timezone(sign * offset)).astimezone(TZ)


def date_from_name(name: str) -> datetime | None:
    """The date in a file name such as ``2024-03-01_社説.txt`` (midnight, Japan time), or None."""
    match = _FILE_DATE.search(unicodedata.normalize("NFKC", name))
    if not match:
        return None
    y, m1, d1, m2, d2 = match.groups()
    try:
        return datetime(int(y), int(m1 or m2), int(d1 or d2), tzinfo=TZ)
    except ValueError:
        return None
