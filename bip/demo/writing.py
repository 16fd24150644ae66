"""Sentence templates filled with names drawn on first use; Markdown paragraphs, lists and tables."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from bip.demo import words
from bip.demo.model import (
    Unit,
)
from bip.demo.names import money, polish_date

if TYPE_CHECKING:
    from bip.demo.documents import Builders

_UNIT_KEYS = {
    "unit": "name", "office": "office", "place": "place", "place_loc": "place_loc", "head_title": "head_title",
    "head_title_gen": "head_title_gen", "council": "council", "council_gen": "council_gen",
    "address_line": "address_line", "phone": "phone", "domain": "domain",
}
_YEAR_KEYS = {"year": 0, "next_year": 1, "prev_year": -1, "year_plus4": 4}


class Context(dict[str, str]):
    """Values for `{name}` in bip.demo.texts, drawn lazily so that a template pays for what it uses."""

    def __init__(self, gen: Builders, unit: Unit, day: dt.date, **fixed: str):
        super().__init__(fixed)
        self.gen, self.unit, self.day = gen, unit, day

    def fill(self, template: str) -> str:
        return template.format_map(self)

    def __missing__(self, key: str) -> str:
        value = self.make(key)
        self[key] = value
        return value

    def make(self, key: str) -> str:  # noqa: C901 - one flat table of names
        rng, unit, day = self.gen.rng, self.unit, self.day
        if key in _UNIT_KEYS:
            return str(getattr(unit, _UNIT_KEYS[key]))
        if key in _YEAR_KEYS:
            return str(day.year + _YEAR_KEYS[key])
        if key == "date_text":
            return polish_date(day)
        if key == "email":
            return f"sekretariat@{unit.domain}"
        if key == "department":
            return rng.choice(words.DEPARTMENTS) if unit.flavour == "jst" else "sekretariat"
        if key == "room":
            return str(rng.randint(1, 40))
        if key in ("village", "village2"):
            return rng.choice(words.VILLAGES)
        if key == "street":
            return rng.choice(words.STREETS)
        if key == "street_new":
            return rng.choice(words.NEW_STREET_NAMES)
        if key == "plot":
            return f"{rng.randint(1, 450)}/{rng.randint(1, 20)}"
        if key == "area_ha":
            return f"0,{rng.randint(300, 9999):04d}"
        if key in ("price", "wadium"):
            return money(rng.randint(20, 3000) * 1000 if key == "price" else rng.randint(2, 50) * 1000)
        if key == "deadline_text":
            return polish_date(day + dt.timedelta(days=rng.randint(14, 30)))
        if key == "event_text":
            return polish_date(day + dt.timedelta(days=rng.randint(7, 21)))
        if key == "done_date":
            return polish_date(day + dt.timedelta(days=rng.randint(90, 240)))
        if key == "area":
            return rng.choice(words.PUBLIC_TASK_AREAS)
        if key == "supply":
            return rng.choice(words.SUPPLIES)
        if key == "controller":
            return rng.choice(words.CONTROLLERS)
        if key == "count":
            return str(rng.randint(2, 40))
        if key == "percent":
            return str(rng.choice((50, 60, 63, 70, 80, 85, 95)))
        if key == "tender_subject":
            return self.fill(rng.choice(words.TENDER_SUBJECTS))
        if key == "subject_short":
            return rng.choice(("program współpracy z organizacjami pozarządowymi", "strategia rozwoju",
                               "zmiana nazwy ulicy", "budżet obywatelski", "plan gospodarki niskoemisyjnej"))
        if key in ("law_year", "law_pos", "art"):
            return {"law_year": str(min(day.year, 2025) - rng.randint(0, 1)), "law_pos": str(rng.randint(40, 1900)),
                    "art": str(rng.randint(1, 15))}[key]
        raise KeyError(key)


def is_female(name: str) -> bool:
    return name.split(" ", 1)[0].endswith("a")


def paragraphs(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p)


def bullet(items: list[str], ordered: bool = False) -> str:
    return "\n".join(f"{n}. {item}" if ordered else f"- {item}" for n, item in enumerate(items, 1))


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
