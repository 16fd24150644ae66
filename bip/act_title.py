"""What the title of a Polish act says about it: its number, date, case reference, year and issuer.

"Uchwała Nr V/42/2024 Rady Gminy Świdnica z dnia 26 września 2024 r. w sprawie …" gives the number
V/42/2024, the date 2024-09-26 and the issuer "Rada Gminy Świdnica" (the issuer's genitive in the title
turned back into the nominative an editor writes in `author`). `bip new` fills the header from it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bip.polish_dates import act_date

_NUMBER = re.compile(r"\b(?:Nr|nr|NR|Numer|numer)\.?\s+([^\s,;]+)")
_REFERENCE = re.compile(r"\b([A-ZŁŚŻŹĆŃÓĘĄ]{2,}\.\d+(?:\.\d+)+)\b")
_YEAR = re.compile(r"\bza\s+(?:rok\s+)?(\d{4})\b")
# where the issuer's name ends in a title
_ISSUER_END = re.compile(r"\s+(?:z\s+dnia|w\s+sprawie|o|z|za|na|dotycząc\w*|zmieniając\w*)\s|[,;(]|$")

# an issuer's first words in the genitive (as in a title) → the nominative
ISSUERS = {
    "Rady Miejskiej": "Rada Miejska",
    "Rady": "Rada",
    "Sejmiku": "Sejmik",
    "Zarządu": "Zarząd",
    "Wójta": "Wójt",
    "Burmistrza": "Burmistrz",
    "Prezydenta": "Prezydent",
    "Starosty": "Starosta",
    "Marszałka": "Marszałek",
    "Przewodniczącego": "Przewodniczący",
    "Dyrektora": "Dyrektor",
    "Kierownika": "Kierownik",
    "Komisji": "Komisja",
    "Sekretarza": "Sekretarz",
    "Skarbnika": "Skarbnik",
}


@dataclass(frozen=True)
class ActTitle:
    number: str = ""
    date: dt.date | None = None
    reference: str = ""
    year: int | None = None
    issuer: str = ""


def _issuer(rest: str) -> str:
    for genitive, nominative in ISSUERS.items():
        if rest.startswith(genitive + " ") or rest == genitive:
            end = _ISSUER_END.search(rest, len(genitive))
            tail = rest[len(genitive):end.start() if end else len(rest)].strip()
            return f"{nominative} {tail}".strip()
    return ""


def parse(title: str) -> ActTitle:
    """Everything the title states; what it does not state is empty."""
    title = " ".join(title.split())
    number = _NUMBER.search(title)
    issuer = ""
    if number:
        issuer = _issuer(title[number.end():].lstrip())
    else:  # "Zarządzenie Wójta Gminy …", "Obwieszczenie Starosty …": the issuer follows the first word
        first = title.split(" ", 1)
        issuer = _issuer(first[1]) if len(first) == 2 else ""
    reference = _REFERENCE.search(title)
    year = _YEAR.search(title)
    return ActTitle(
        number=number.group(1).rstrip(".") if number else "",
        date=act_date(title),
        reference=reference.group(1) if reference else "",
        year=int(year.group(1)) if year else None,
        issuer=issuer,
    )
