"""Names and numbers as Polish offices write them: slugs, dates, money, Roman numerals, NIP, REGON."""

from __future__ import annotations

import datetime as dt
import random

from bip.demo import texts
from bip.load.paths import short_slug
from bip.load.paths import slug as paths_slug


def slug(text: str, limit: int = 0) -> str:
    """The URL form bip gives a name, cut at a word end to at most `limit` characters when given."""
    return short_slug(text, limit) if limit else paths_slug(text)


def short(text: str, limit: int = 70) -> str:
    """Text cut at a word end, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:–- ") + "…"


def polish_date(day: dt.date) -> str:
    return f"{day.day} {texts.MONTHS_GEN[day.month - 1]} {day.year} r."


def money(value: float) -> str:
    whole, cents = f"{value:.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return " ".join(groups) + "," + cents


_ROMAN = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(number: int) -> str:
    out = "L" * (number // 50)
    number %= 50
    if number >= 40:
        out, number = out + "XL", number - 40
    for value, letters in _ROMAN:
        while number >= value:
            out, number = out + letters, number - value
    return out


def nip(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(8)]
        check = sum(d * w for d, w in zip(digits, (6, 5, 7, 2, 3, 4, 5, 6, 7), strict=True)) % 11
        if check < 10:
            s = "".join(map(str, digits)) + str(check)
            return f"{s[:3]}-{s[3:6]}-{s[6:8]}-{s[8:]}"


def regon(rng: random.Random) -> str:
    digits = [rng.randint(0, 9) for _ in range(8)]
    check = sum(d * w for d, w in zip(digits, (8, 9, 2, 3, 4, 5, 6, 7), strict=True)) % 11 % 10
    return "".join(map(str, digits)) + str(check)


# ----------------------------------------------------------------------------------------------
# Placeholders of the sentence templates, computed on first use


def warsaw_offset(moment: dt.datetime) -> int:
    """UTC offset of Poland in seconds at a UTC moment (CEST from the last Sunday of March to that of October)."""

    def last_sunday(month: int) -> dt.datetime:
        day = dt.datetime(moment.year, month, 31, 1, 0, tzinfo=dt.UTC)
        return day - dt.timedelta(days=(day.weekday() + 1) % 7)

    return 7200 if last_sunday(3) <= moment < last_sunday(10) else 3600
