"""Dates as printed by Japanese editions, parsed to timezone-aware datetimes (Asia/Tokyo).

>>> parse_datetime("2025-02-01 07:05").isoformat()
'2025-02-01T07:05:00+09:00'
>>> parse_datetime("2019.07.02 07:31").isoformat()
'2019-07-02T07:31:00+09:00'
>>> parse_datetime("２０２４年３月１日（金）").isoformat()
'2024-03-01T00:00:00+09:00'
>>> parse_datetime("2011-10-15T10:30:00+0900").isoformat()
'2011-10-15T10:30:00+09:00'
>>> parse_datetime("令和6年3月1日付 朝刊").isoformat()
'2024-03-01T00:00:00+09:00'
>>> parse_datetime("2024年3月1日 午後3時").isoformat()
'2024-03-01T15:00:00+09:00'
>>> parse_datetime("20240301").isoformat()
'2024-03-01T00:00:00+09:00'
>>> parse_datetime("昨日") is None
True

Besides the Western forms (2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日, with a weekday, a time
and an offset), the forms found in Japanese exports and page headers are read: era years (令和6年,
平成元年, R6.3.1), the compact 20240301 of database exports, 午前/午後 and 15時 times, and the
trailing words of a dateline (付, 朝刊, 夕刊, 配信, 更新, JST). A number (from JSON) is read as
20240301 when it has eight digits and as Unix time in seconds or milliseconds when it has ten or
thirteen. A date without a time is midnight; a date without an offset is Japan time
(``config.DEFAULT_TZ``); a date with an offset is converted to Japan time. Impossible dates
(2024-02-30) give ``None``; a two-digit year (24/3/1) is not guessed.
"""

from __future__ import annotations

import numbers
import re
import unicodedata
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from analysis import config

TZ = ZoneInfo(config.DEFAULT_TZ)

#: First Western year of each era (元年 = year 1).
ERAS = {"明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019,
        "M": 1868, "T": 1912, "S": 1926, "H": 1989, "R": 2019}

_ERA_NAMES = "|".join(era for era in ERAS if len(era) > 1)       # 明治|大正|昭和|平成|令和
_ERA_LETTERS = "".join(era for era in ERAS if len(era) == 1)       # MTSHR (R6.3.1)
#: Words that may follow a dateline's date (2024年3月1日付 朝刊), and the marks of Japan time.
_DATELINE_WORDS = "付け?|朝刊|夕刊|配信|更新|掲載|公開|発行"
_JAPAN_TIME = "JST|[（(]JST[)）]|日本時間"

_WEEKDAY = r"(?:\s*[（(][月火水木金土日](?:曜日?)?[)）])?"
_TIME = (r"(?:[T\s]*(?:午前|午後)?\s*\d{1,2}(?::\d{2}(?::\d{2}(?:\.\d+)?)?|時(?:\s*\d{1,2}\s*分)?))?"
         rf"(?:\s*(?:{_JAPAN_TIME}))?")
_SUFFIX = rf"(?:\s*(?:{_DATELINE_WORDS})){{0,2}}"

#: A date as it appears inside a line (for building line patterns in source profiles).
DATE = (r"(?:\d{4}\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[-/.]\d{1,2}[-/.]\d{1,2})"
        rf"|(?:{_ERA_NAMES})\s*(?:元|\d{{1,2}})\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日"
        rf"|[{_ERA_LETTERS}]\d{{1,2}}\.\d{{1,2}}\.\d{{1,2}}"
        r"|(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d))"
        + _WEEKDAY + _TIME + _SUFFIX)

_FULL = re.compile(
    r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*\([月火水木金土日](?:曜日?)?\))?"
    r"(?:\s*T?\s*(?P<ampm>午前|午後)?\s*(?P<H>\d{1,2})\s*"
    r"(?::(?P<M>\d{1,2})(?::(?P<S>\d{1,2})(?:\.\d+)?)?|時(?:\s*(?P<M2>\d{1,2})\s*分)?))?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?"
)
_ERA_YEAR = re.compile(rf"^(?P<era>{_ERA_NAMES})\s*(?P<n>元|\d{{1,2}})\s*年"
                       rf"|^(?P<abbr>[{_ERA_LETTERS}])(?P<an>\d{{1,2}})(?=\.\d{{1,2}}\.\d{{1,2}}(?!\d))")
_COMPACT = re.compile(r"^(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})(?=$|[T\s])")
_TRAILER = re.compile(rf"\s*(?:{_DATELINE_WORDS}|{_JAPAN_TIME})$")   # (after NFKC: （JST） is (JST))
_ENGLISH = ("%b %d, %Y", "%B %d, %Y", "%b. %d, %Y", "%d %b %Y", "%d %B %Y")
_FILE_DATE = re.compile(r"(?<!\d)(?:(\d{4})[-_.](\d{1,2})[-_.](\d{1,2})|(\d{4})年(\d{1,2})月(\d{1,2})日"
                        r"|((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01]))(?!\d)")


def _western(text: str) -> str:
    """``text`` with an era year, a compact date and a dateline's trailing words rewritten or removed."""
    while (trailer := _TRAILER.search(text)) and trailer.start() > 0:
        text = text[:trailer.start()]
    if match := _ERA_YEAR.match(text):
        era, n = (match["era"], match["n"]) if match["era"] else (match["abbr"], match["an"])
        year = ERAS[era] + (0 if n == "元" else int(n) - 1)
        text = f"{year}{'年' if match['era'] else ''}{text[match.end():]}"
    elif match := _COMPACT.match(text):
        text = f"{match['y']}-{match['m']}-{match['d']}{text[match.end():]}"
    return text


def _from_number(value: float) -> datetime | None:
    """20240301 (eight digits), or Unix time in seconds (ten digits) or milliseconds (thirteen)."""
    if value != value or value < 0 or value == float("inf") or int(value) != value:
        return None
    digits = len(str(int(value)))
    if digits == 8:
        return parse_datetime(str(int(value)))
    if digits in (10, 13):
        seconds = value / 1000 if digits == 13 else value
        return datetime.fromtimestamp(seconds, tz=timezone.utc).astimezone(TZ)
    return None


def parse_datetime(value) -> datetime | None:
    """A datetime in Japan time from a string, number, ``datetime``/``date`` or pandas Timestamp; else None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):  # includes pandas.Timestamp
        if value != value:  # NaT
            return None
        value = value.to_pydatetime() if hasattr(value, "to_pydatetime") else value
        return value.replace(tzinfo=TZ) if value.tzinfo is None else value.astimezone(TZ)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=TZ)
    if isinstance(value, numbers.Real):  # int, float, and numpy's (a Parquet column of 20240301)
        return _from_number(float(value))
    if not isinstance(value, str):
        return None
    text = _western(unicodedata.normalize("NFKC", value).strip())
    match = _FULL.fullmatch(text)
    if not match:
        for form in _ENGLISH:
            try:
                return datetime.strptime(text, form).replace(tzinfo=TZ)
            except ValueError:
                continue
        return None
    g = match.groupdict()
    hour, minute = int(g["H"] or 0), int(g["M"] or g["M2"] or 0)
    if g["ampm"] == "午後" and hour < 12:
        hour += 12
    elif g["ampm"] == "午前" and hour == 12:
        hour = 0
    try:
        stamp = datetime(int(g["y"]), int(g["m"]), int(g["d"]), hour, minute, int(g["S"] or 0))
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
    """The date in a file name such as ``2024-03-01_社説.txt``, ``asahi_20240301.txt`` or
    ``2024_03_01.txt`` (midnight, Japan time), or None."""
    for match in _FILE_DATE.finditer(unicodedata.normalize("NFKC", name)):
        y, m, d = (part for part in match.groups() if part is not None)
        try:
            return datetime(int(y), int(m), int(d), tzinfo=TZ)
        except ValueError:
            continue
    return None
