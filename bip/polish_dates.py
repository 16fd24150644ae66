"""Dates as Polish documents and clerks write them: "26 września 2024 r.", "26.09.2024", "2024-09-26".

Used to read the date out of an act's title (`bip new`), to show the ISO form of a date an editor wrote
another way (the hint of `bip check`), and to write dates in pages and diffs (`date_pl`).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from zoneinfo import ZoneInfo

from slugify import slugify

# genitive month names (as in "26 września 2024"), written without Polish letters
MONTHS = {
    "stycznia": 1, "lutego": 2, "marca": 3, "kwietnia": 4, "maja": 5, "czerwca": 6, "lipca": 7,
    "sierpnia": 8, "wrzesnia": 9, "pazdziernika": 10, "listopada": 11, "grudnia": 12,
}
_WORDS = re.compile(r"\b(\d{1,2})\s+([^\W\d_]+)\s+(\d{4})(?:\s*r\b\.?)?", re.UNICODE)
_DOTTED = re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_AFTER_DNIA = re.compile(r"\bz\s+dnia\s+", re.IGNORECASE)


def _date(year: str, month: int | str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def find_date(text: str) -> tuple[dt.date, int, int] | None:
    """The first date written in `text` and where it is (start, end); None when there is none."""
    found: list[tuple[int, int, dt.date]] = []
    for match in _WORDS.finditer(text):
        month = MONTHS.get(slugify(match.group(2), lowercase=True))
        value = _date(match.group(3), month, match.group(1)) if month else None
        if value:
            found.append((match.start(), match.end(), value))
    for match in _DOTTED.finditer(text):
        value = _date(match.group(3), match.group(2), match.group(1))
        if value:
            found.append((match.start(), match.end(), value))
    for match in _ISO.finditer(text):
        value = _date(match.group(1), match.group(2), match.group(3))
        if value:
            found.append((match.start(), match.end(), value))
    if not found:
        return None
    start, end, value = min(found, key=lambda item: item[0])
    return value, start, end


def act_date(title: str) -> dt.date | None:
    """The date of an act's title: the one after "z dnia" when there is one, else the first one."""
    after = _AFTER_DNIA.search(title)
    if after:
        found = find_date(title[after.end():])
        if found and found[1] == 0:
            return found[0]
    found = find_date(title)
    return found[0] if found else None


def as_written(text: str) -> dt.date | None:
    """The date an editor meant by `text` when it is a whole date in another form (12.03.2024, 12 marca 2024)."""
    found = find_date(text.strip())
    if found is None or found[1] != 0 or found[2] != len(text.strip()):
        return None
    return found[0]


def to_date(value: object) -> dt.date | None:
    """A date from YAML: a date, a date-time (its day) or ISO text; None for anything else."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


WARSAW = ZoneInfo("Europe/Warsaw")


def local(value: dt.datetime) -> dt.datetime:
    """Times are shown as Polish citizens read them: in Warsaw time, whatever zone git recorded."""
    return value.astimezone(WARSAW) if value.tzinfo else value


def date_pl(value: object) -> str:
    """"5 czerwca 2024 r.", with the hour when it is not midnight (Warsaw time); "—" for nothing."""
    try:
        return _date_pl(value)
    except TypeError:  # not hashable: not a date either
        return _format_pl(value)


@lru_cache(maxsize=8192, typed=True)  # babel is slow to format; a unit shows the same dates on many pages
def _date_pl(value: object) -> str:
    return _format_pl(value)


def _format_pl(value: object) -> str:
    from babel.dates import format_date, format_datetime  # only where dates are shown

    if isinstance(value, dt.datetime):
        value = local(value)
        if value.hour == 0 and value.minute == 0 and value.second == 0:
            return format_date(value.date(), format="long", locale="pl") + " r."
        return format_datetime(value, "d MMMM y 'r.', 'godz.' HH:mm", locale="pl")
    if isinstance(value, dt.date):
        return format_date(value, format="long", locale="pl") + " r."
    return str(value) if value not in (None, "") else "—"
