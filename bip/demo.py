"""`bip demo`: a realistic BIP region (units, pages, PDFs) with a git history, for benchmarks and tests.

The whole history is written as one `git fast-import` stream; the same seed gives the same commits.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import queue
import random
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bip import demo_data as words
from bip.demo_data import texts
from bip.doctypes import COMMON, DOCTYPES, Field

REGION_NAME = "Regionalny Biuletyn Informacji Publicznej Województwa Lubuskiego"
REGION_URL = "https://bip.lubuskie.example"
ADMIN = ("Regionalny Administrator BIP", "administrator@bip.lubuskie.example")
START = dt.datetime(2020, 1, 1, 8, 0, tzinfo=dt.UTC)
END = dt.datetime(2026, 10, 31, 15, 0, tzinfo=dt.UTC)
IMPORT_FROM = dt.date(2016, 1, 1)
FUTURE_EMBARGO = "2099-01-01T08:00:00+01:00"
# Names the generator never gives a file or folder (URLs the build writes itself).
RESERVED = frozenset({"wersje", "zmiany", "rejestr-zmian", "szukaj", "redakcja", "deklaracja-dostepnosci",
                      "archiwum", "static", "instrukcja", "informacje-nieudostepnione"})
GITIGNORE = b"/public/\n/public.*\n/.bip-cache/\n"


_POLISH = str.maketrans("ąćęłńóśźż", "acelnoszz")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str, limit: int = 0) -> str:
    """The URL form bip gives a name (bip.load.paths.slug) for Polish text, cut at a word end under `limit`."""
    value = _NOT_SLUG.sub("-", text.lower().translate(_POLISH)).strip("-")
    if limit and len(value) > limit:
        value = value[:limit].rsplit("-", 1)[0] if "-" in value[:limit] else value[:limit]
    return value


def short(text: str, limit: int = 70) -> str:
    """Text cut at a word end, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:–- ") + "…"


@dataclass
class DemoSummary:
    units: int
    pages: int
    commits: int
    attachments: int
    seconds: float


# ----------------------------------------------------------------------------------------------
# Small helpers: Polish dates, money, numbers, YAML, PDF


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


# Text that YAML reads back as the same string without quotes: dates (bip keeps them as text) or
# words that start with a letter, hold no comment or newline and do not end in a space or colon.
_PLAIN = re.compile(
    r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)?)?"
    r"|(?!(?i:y|n|yes|no|on|off|true|false|null)$)[A-Za-zĄĆĘŁŃÓŚŹŻąćęłńóśźż„(][^\n#\"]*(?<![ :])"
)


def scalar(value: Any) -> str:
    """One YAML scalar: plain where that reads back as the same text, else JSON-style double quotes."""
    kind = type(value)
    if kind is str:
        if _PLAIN.fullmatch(value) and ": " not in value:
            return value
        return json.dumps(value, ensure_ascii=False)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    return scalar(str(value))


def yaml_text(data: dict[str, Any], indent: str = "") -> str:
    """Block YAML of the few shapes used here (scalars, dicts, lists of scalars or flat dicts)."""
    lines: list[str] = []
    for key, value in data.items():
        name = scalar(key)
        if isinstance(value, dict):
            lines.append(f"{indent}{name}:\n{yaml_text(value, indent + '  ').rstrip()}")
        elif isinstance(value, list):
            lines.append(f"{indent}{name}:")
            for item in value:
                if isinstance(item, dict):
                    prefix = indent + "  - "
                    for item_key, item_value in item.items():
                        lines.append(f"{prefix}{scalar(item_key)}: {scalar(item_value)}")
                        prefix = indent + "    "
                else:
                    lines.append(f"{indent}  - {scalar(item)}")
        else:
            lines.append(f"{indent}{name}: {scalar(value)}")
    return "\n".join(lines) + "\n" if lines else ""


_ASCII = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ–—„”’()\\", "acelnoszzACELNOSZZ--\"\"'[]/")
_PDF_HEAD = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
    b"/Contents 5 0 R >>\nendobj\n"
    b"4 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>\nendobj\n"
)
_PDF_OFFSETS = [_PDF_HEAD.index(b"%d 0 obj" % n) for n in range(1, 5)]


def _pdf_text(value: str) -> bytes:
    return value[:90].translate(_ASCII).encode("ascii", "replace")


def pdf(title: str, lines: list[str]) -> bytes:
    """A minimal valid one-page PDF 1.4 (Helvetica, ASCII text, no dates), under 1.5 KB."""
    heading = _pdf_text(title)
    stream = b"BT /F1 13 Tf 56 780 Td (" + heading + b") Tj /F1 10 Tf" + b"".join(
        b" 0 -18 Td (" + _pdf_text(line) + b") Tj" for line in lines[:6]) + b" ET"
    content = b"5 0 obj\n<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream\nendobj\n"
    info = b"6 0 obj\n<< /Title (" + heading + b") /Producer (bip demo) >>\nendobj\n"
    offsets = [*_PDF_OFFSETS, len(_PDF_HEAD), len(_PDF_HEAD) + len(content)]
    xref = offsets[-1] + len(info)
    table = b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return b"".join((_PDF_HEAD, content, info, b"xref\n0 7\n0000000000 65535 f \n", table,
                     b"trailer\n<< /Size 7 /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref))


def warsaw_offset(moment: dt.datetime) -> int:
    """UTC offset of Poland in seconds at a UTC moment (CEST from the last Sunday of March to that of October)."""

    def last_sunday(month: int) -> dt.datetime:
        day = dt.datetime(moment.year, month, 31, 1, 0, tzinfo=dt.UTC)
        return day - dt.timedelta(days=(day.weekday() + 1) % 7)

    return 7200 if last_sunday(3) <= moment < last_sunday(10) else 3600


# ----------------------------------------------------------------------------------------------
# Front matter from the document type table


def _fallback(spec: Field, day: dt.date) -> Any:
    """A value of the right kind for a key the generator has no own rule for (a new key in DOCTYPES)."""
    if spec.kind == "enum":
        return spec.values[0]
    if spec.kind == "date":
        return day.isoformat()
    if spec.kind == "datetime":
        return f"{day.isoformat()}T10:00:00+01:00"
    if spec.kind == "int":
        return day.year
    if spec.kind == "bool":
        return False
    if spec.kind in ("list", "attachments"):
        return []
    return str(spec.example) if isinstance(spec.example, str) and spec.example not in ("today", "…") else spec.label


def _fits(spec: Field, value: Any) -> Any:
    if spec.kind == "enum":
        return value if value in spec.values else spec.values[0]
    if spec.kind == "int":
        return int(value)
    return value


def front_matter(type_name: str, title: str, own: dict[str, Any], common: dict[str, Any], day: dt.date) -> dict[str, Any]:
    """Front matter in table order: keys of DOCTYPES[type] (required ones always), then the COMMON keys.

    Keys the table no longer has are dropped, enum values it no longer allows are replaced, and a
    required key without a rule here gets a value of its kind: the generator follows the table.
    """
    doctype = DOCTYPES[type_name]
    meta: dict[str, Any] = {"title": title}
    if type_name != "strona":
        meta["type"] = type_name
    for key, spec in doctype.fields.items():
        if key in own:
            meta[key] = _fits(spec, own[key])
        elif key in doctype.required:
            meta[key] = _fallback(spec, day)
    for key, spec in COMMON.items():
        if key in common and key not in ("title", "type"):
            meta[key] = _fits(spec, common[key])
    return meta


# ----------------------------------------------------------------------------------------------
# The model of the corpus while it is generated


@dataclass
class Section:
    folder: str
    title: str
    kind: str  # a DOCTYPES name, or "about" | "budget" | "services" | "news" (plain pages)
    weight: int


@dataclass
class Doc:
    path: str  # relative to the unit folder
    type: str
    title: str
    own: dict[str, Any]  # the type's own keys (DOCTYPES[type].fields)
    body: str
    common: dict[str, Any] = field(default_factory=dict)  # COMMON keys (created, published, draft …)
    files: list[list[Any]] = field(default_factory=list)  # [name relative to the page folder, title, bytes]
    pinned: bool = False  # home and section pages: never moved, deleted or drafted
    pending: bool = False  # a draft waiting to be published
    label: str = ""  # how commit messages name it ("uchwałę Nr …")
    day: dt.date = IMPORT_FROM

    def text(self) -> bytes:
        common = dict(self.common)
        if self.files:
            common["attachments"] = [{"file": name, "title": title} for name, title, _ in self.files]
        meta = front_matter(self.type, self.title, self.own, common, self.day)
        return f"---\n{yaml_text(meta)}---\n\n{self.body.rstrip()}\n".encode()

    @property
    def folder(self) -> str:
        return self.path.rsplit("/", 1)[0] if "/" in self.path else ""

    @property
    def stem(self) -> str:
        return self.path.rsplit("/", 1)[-1][:-3]

    def file_path(self, name: str) -> str:
        return f"{self.folder}/{name}" if self.folder else name


@dataclass
class Unit:
    id: str
    kind: str
    flavour: str  # jst | school | library | ops
    name: str
    office: str
    head_title: str
    head_title_gen: str
    council: str
    council_gen: str
    place: str
    place_loc: str
    area_code: str
    postal: str
    street: str
    number: int = 1000  # the last digits of the office's phone
    teryt: str = ""
    parent: str | None = None
    powiat: int = 0
    people: dict[str, str] = field(default_factory=dict)
    councillors: list[str] = field(default_factory=list)
    editors: list[tuple[str, str]] = field(default_factory=list)  # (e-mail, "Imię Nazwisko, stanowisko")
    sections: list[Section] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)  # unit.yaml
    docs: dict[str, Doc] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)  # every URL ever used (paths are never reused)
    counters: dict[str, int] = field(default_factory=dict)
    exhausted: set[str] = field(default_factory=set)
    boot_docs: int = 0
    weight: int = 1
    latest_uchwala: str = ""

    @property
    def domain(self) -> str:
        return f"{self.id}.example"

    @property
    def address_line(self) -> str:
        return f"{self.street}, {self.postal} {self.place}"

    @property
    def phone(self) -> str:
        return f"+48 {self.area_code} {self.postal[-3:]} {self.number // 100} {self.number % 100:02d}"

    def next(self, key: str) -> int:
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]


# ----------------------------------------------------------------------------------------------
# The region: which units, with names in the right Polish cases


INSTITUTIONS = {
    # flavour → (nominative, genitive, head, head genitive, id prefix) per owner kind
    "ops": {
        "w": ("Gminny Ośrodek Pomocy Społecznej", "Gminnego Ośrodka Pomocy Społecznej", "Kierownik", "Kierownika", "gops"),
        "mw": ("Miejsko-Gminny Ośrodek Pomocy Społecznej", "Miejsko-Gminnego Ośrodka Pomocy Społecznej", "Kierownik",
               "Kierownika", "mgops"),
        "m": ("Miejski Ośrodek Pomocy Społecznej", "Miejskiego Ośrodka Pomocy Społecznej", "Dyrektor", "Dyrektora", "mops"),
        "powiat": ("Powiatowe Centrum Pomocy Rodzinie", "Powiatowego Centrum Pomocy Rodzinie", "Dyrektor", "Dyrektora",
                   "pcpr"),
        "woj": ("Regionalny Ośrodek Polityki Społecznej", "Regionalnego Ośrodka Polityki Społecznej", "Dyrektor",
                "Dyrektora", "rops"),
    },
    "library": {
        "w": ("Gminna Biblioteka Publiczna", "Gminnej Biblioteki Publicznej", "Dyrektor", "Dyrektora", "gbp"),
        "mw": ("Miejsko-Gminna Biblioteka Publiczna", "Miejsko-Gminnej Biblioteki Publicznej", "Dyrektor", "Dyrektora",
               "mgbp"),
        "m": ("Miejska Biblioteka Publiczna", "Miejskiej Biblioteki Publicznej", "Dyrektor", "Dyrektora", "mbp"),
        "powiat": ("Powiatowa Biblioteka Publiczna", "Powiatowej Biblioteki Publicznej", "Dyrektor", "Dyrektora", "pbp"),
        "woj": ("Wojewódzka Biblioteka Publiczna", "Wojewódzkiej Biblioteki Publicznej", "Dyrektor", "Dyrektora", "wbp"),
    },
    "school": {
        "w": ("Szkoła Podstawowa nr {n}", "Szkoły Podstawowej nr {n}", "Dyrektor", "Dyrektora", "sp{n}"),
        "mw": ("Szkoła Podstawowa nr {n}", "Szkoły Podstawowej nr {n}", "Dyrektor", "Dyrektora", "sp{n}"),
        "m": ("Szkoła Podstawowa nr {n}", "Szkoły Podstawowej nr {n}", "Dyrektor", "Dyrektora", "sp{n}"),
        "powiat": ("Zespół Szkół Ponadpodstawowych nr {n}", "Zespołu Szkół Ponadpodstawowych nr {n}", "Dyrektor",
                   "Dyrektora", "zsp{n}"),
        "woj": ("Centrum Kształcenia Zawodowego nr {n}", "Centrum Kształcenia Zawodowego nr {n}", "Dyrektor",
                "Dyrektora", "ckz{n}"),
    },
}

POSTAL_PREFIX = ("66", "66", "66", "67", "69", "66", "69", "66", "66", "68", "68", "67")
EDITOR_ROLES_JST = (
    "inspektor ds. informacji publicznej", "sekretarz", "podinspektor ds. obsługi rady", "informatyk",
    "inspektor ds. zamówień publicznych", "kierownik referatu organizacyjnego", "referent ds. kadr",
)
EDITOR_ROLES_UNIT = ("sekretarz", "główny księgowy", "referent ds. administracyjnych", "dyrektor", "specjalista ds. kadr")
ARCHITECTURE = (
    "Do budynku prowadzi wejście z podjazdem dla osób na wózkach. Na parterze znajduje się toaleta dostosowana "
    "do potrzeb osób z niepełnosprawnościami. Do budynku można wejść z psem asystującym.",
    "Budynek jest dwukondygnacyjny, bez windy. Osoby mające trudności w poruszaniu się są obsługiwane na parterze, "
    "w punkcie obsługi interesantów. Przed budynkiem wyznaczono miejsce parkingowe dla osób z niepełnosprawnościami.",
    "Wejście główne jest dostępne z poziomu chodnika. W budynku jest winda i pętla indukcyjna w kancelarii.",
)


def _genitive_adjective(adjective: str) -> str:
    head, _, last = adjective.rpartition("-")
    cap = "-".join(p.capitalize() for p in head.split("-")) + "-" if head else ""
    return cap + last[:-1].capitalize() + "iego" if last.endswith("i") else cap + last.capitalize()


class Region:
    """The units of the region: kinds, names in the right cases, people, sections, unit.yaml."""

    def __init__(self, out: Path, units: int, pages: int, commits: int | None, seed: int):
        self.out = out
        self.n_units = max(1, units)
        self.n_pages = max(1, pages)
        self.n_commits = max(1, commits if commits is not None else max(units * pages // 10, 50))
        self.rng = random.Random(seed)
        self.units: list[Unit] = []
        self.by_id: dict[str, Unit] = {}
        self.used_names: set[str] = set()
        self.seeds_added: set[str] = set()

    # -- people ------------------------------------------------------------------------------
    def person(self) -> str:
        rng = self.rng
        surname = rng.choice(words.SURNAMES)
        if rng.random() < 0.55:
            if surname.endswith(("ski", "cki", "dzki")):
                surname = surname[:-1] + "a"
            return f"{rng.choice(words.FIRST_NAMES_F)} {surname}"
        return f"{rng.choice(words.FIRST_NAMES_M)} {surname}"

    def editor_entry(self, unit: Unit, roles: tuple[str, ...]) -> tuple[str, str]:
        for _ in range(50):
            name = self.person()
            first, last = name.split(" ", 1)
            email = f"{slug(first)[0]}.{slug(last)}@{unit.domain}"
            if all(email != e for e, _ in unit.editors):
                return email, f"{name}, {self.rng.choice(roles)}"
        raise RuntimeError("no free editor e-mail")  # pragma: no cover - 50 draws of ~7000 names

    # -- units -------------------------------------------------------------------------------
    def plan_units(self) -> None:
        rng = self.rng
        count = self.n_units
        jst_slots = count - 1
        n_jedn = max(count - 95, round(count * 0.25)) if count >= 4 else max(0, count - 3)
        n_jst = jst_slots - n_jedn
        powiaty = list(range(len(words.POWIATY)))
        gminy = {t: [i for i, g in enumerate(words.GMINY) if g[3] == t] for t in ("mnpp", "m", "mw", "w")}
        for group in (powiaty, *gminy.values()):
            rng.shuffle(group)
        categories = [("powiat", powiaty), ("w", gminy["w"]), ("mnpp", gminy["mnpp"]), ("m", gminy["m"]),
                      ("mw", gminy["mw"])]
        order: list[tuple[float, int, str, int]] = []
        for rank, (kind, items) in enumerate(categories):
            for position, item in enumerate(items):
                order.append((position / len(items) if position else -1.0, rank, kind, item))
        order.sort()
        chosen = order[:n_jst]
        self.add_unit(self.wojewodztwo())
        for kind, item in sorted(((k, i) for _, _, k, i in chosen), key=lambda c: (c[0] != "powiat", c[0], c[1])):
            self.add_unit(self.powiat(item) if kind == "powiat" else self.gmina(item))
        rank = {"gmina": 0, "gmina-miejska": 0, "miasto-na-prawach-powiatu": 0, "powiat": 1, "wojewodztwo": 2}
        owners = sorted(self.units, key=lambda u: rank[u.kind])
        flavours = ("ops", "library", "school")
        for index in range(n_jedn):
            owner, round_ = owners[index % len(owners)], index // len(owners)
            flavour = flavours[(index % len(owners) + round_) % 3] if round_ < 3 else "school"
            self.add_unit(self.jednostka(owner, flavour))
        self.plan_sections()

    def add_unit(self, unit: Unit) -> None:
        self.units.append(unit)
        self.by_id[unit.id] = unit

    def unique_id(self, base: str) -> str:
        candidate, n = base, 1
        while candidate in self.by_id or candidate in self.used_names:
            n += 1
            candidate = f"{base}-{n}"
        self.used_names.add(candidate)
        return candidate

    def _base(self, unit_id: str, kind: str, flavour: str, **names: Any) -> Unit:
        rng = self.rng
        powiat = names.pop("powiat", 0)
        unit = Unit(
            id=unit_id, kind=kind, flavour=flavour, powiat=powiat,
            area_code=words.POWIATY[powiat][3],
            postal=f"{POSTAL_PREFIX[powiat]}-{rng.randint(0, 999):03d}",
            street=f"{rng.choice(words.STREETS)} {rng.randint(1, 60)}", number=rng.randint(1000, 9899),
            **names,
        )
        unit.people = {role: self.person() for role in ("head", "deputy", "secretary", "treasurer", "chair")}
        unit.councillors = [self.person() for _ in range(15 if flavour == "jst" else 0)]
        roles = EDITOR_ROLES_JST if flavour == "jst" else EDITOR_ROLES_UNIT
        for _ in range(rng.randint(2, 4)):
            unit.editors.append(self.editor_entry(unit, roles))
        unit.weight = {"wojewodztwo": 3, "miasto-na-prawach-powiatu": 3, "jednostka": 1}.get(kind, 2)
        return unit

    def wojewodztwo(self) -> Unit:
        return self._base(
            self.unique_id("wojewodztwo-lubuskie"), "wojewodztwo", "jst", name="Województwo Lubuskie",
            office="Urząd Marszałkowski Województwa Lubuskiego", head_title="Marszałek Województwa Lubuskiego",
            head_title_gen="Marszałka Województwa Lubuskiego", council="Sejmik Województwa Lubuskiego",
            council_gen="Sejmiku Województwa Lubuskiego", place="Zielona Góra", place_loc="w Zielonej Górze",
            teryt="08", powiat=8,
        )

    def powiat(self, index: int) -> Unit:
        adjective, seat, seat_loc, _, teryt = words.POWIATY[index]
        gen = _genitive_adjective(adjective)
        name = "Powiat " + "-".join(p.capitalize() for p in adjective.split("-"))
        return self._base(
            self.unique_id(f"powiat-{slug(adjective)}"), "powiat", "jst", name=name,
            office=f"Starostwo Powiatowe {seat_loc}", head_title=f"Starosta {name.split(' ', 1)[1]}",
            head_title_gen=f"Starosty {gen}", council=f"Rada Powiatu {gen}", council_gen=f"Rady Powiatu {gen}",
            place=seat, place_loc=seat_loc, teryt=teryt, powiat=index,
        )

    def gmina(self, index: int) -> Unit:
        name, gen, loc, kind, powiat = words.GMINY[index]
        within = [i for i, g in enumerate(words.GMINY) if g[4] == powiat and g[3] != "mnpp"]
        digit = {"m": "1", "w": "2", "mw": "3", "mnpp": "1"}[kind]
        if kind == "mnpp":
            teryt = "0861011" if name.startswith("Gorzów") else "0862011"
            return self._base(
                self.unique_id(f"miasto-{slug(name)}"), "miasto-na-prawach-powiatu", "jst", name=f"Miasto {name}",
                office=f"Urząd Miasta {name}", head_title=f"Prezydent Miasta {name}",
                head_title_gen=f"Prezydenta Miasta {name}", council=f"Rada Miasta {name}",
                council_gen=f"Rady Miasta {name}", place=name, place_loc=loc, teryt=teryt, powiat=powiat,
            )
        teryt = f"{words.POWIATY[powiat][4]}{within.index(index) + 1:02d}{digit}"
        if kind == "m":
            return self._base(
                self.unique_id(f"miasto-{slug(name)}"), "gmina-miejska", "jst", name=f"Gmina Miejska {name}",
                office=f"Urząd Miasta {name}", head_title=f"Burmistrz Miasta {name}",
                head_title_gen=f"Burmistrza Miasta {name}", council=f"Rada Miasta {name}",
                council_gen=f"Rady Miasta {name}", place=name, place_loc=loc, teryt=teryt, powiat=powiat,
            )
        if kind == "mw":
            return self._base(
                self.unique_id(f"gmina-{slug(name)}"), "gmina", "jst", name=f"Gmina {name}",
                office=f"Urząd Miejski {loc}", head_title=f"Burmistrz {gen}", head_title_gen=f"Burmistrza {gen}",
                council=f"Rada Miejska {loc}", council_gen=f"Rady Miejskiej {loc}", place=name, place_loc=loc,
                teryt=teryt, powiat=powiat,
            )
        return self._base(
            self.unique_id(f"gmina-{slug(name)}"), "gmina", "jst", name=f"Gmina {name}",
            office=f"Urząd Gminy {name}", head_title=f"Wójt Gminy {name}", head_title_gen=f"Wójta Gminy {name}",
            council=f"Rada Gminy {name}", council_gen=f"Rady Gminy {name}", place=name, place_loc=loc,
            teryt=teryt, powiat=powiat,
        )

    def jednostka(self, owner: Unit, flavour: str) -> Unit:
        owner_kind = {"wojewodztwo": "woj", "powiat": "powiat", "gmina-miejska": "m",
                      "miasto-na-prawach-powiatu": "m"}.get(owner.kind)
        if owner_kind is None:
            owner_kind = "mw" if owner.office.startswith("Urząd Miejski") else "w"
        nominative, genitive, head, head_gen, prefix = INSTITUTIONS[flavour][owner_kind]
        number = 1
        if "{n}" in nominative:
            number = sum(1 for u in self.units if u.parent == owner.id and u.flavour == flavour) + 1
        key = owner.id.split("-", 1)[1] if "-" in owner.id else owner.id
        name = f"{nominative.format(n=number)} {owner.place_loc}"
        gen = f"{genitive.format(n=number)} {owner.place_loc}"
        if flavour == "school" and self.rng.random() < 0.6:
            patron = self.rng.choice(texts.PATRONS)
            name, gen = f"{nominative.format(n=number)} {patron} {owner.place_loc}", f"{genitive.format(n=number)} {patron} {owner.place_loc}"
        unit = self._base(
            self.unique_id(f"{prefix.format(n=number)}-{key}"), "jednostka", flavour, name=name, office=name,
            head_title=f"{head} {gen}", head_title_gen=f"{head_gen} {gen}",
            council=f"Rada Pedagogiczna {gen}" if flavour == "school" else "",
            council_gen=f"Rady Pedagogicznej {gen}" if flavour == "school" else "",
            place=owner.place, place_loc=owner.place_loc, powiat=owner.powiat, parent=owner.id,
        )
        return unit

    # -- sections ----------------------------------------------------------------------------
    def plan_sections(self) -> None:
        for index, unit in enumerate(self.units):
            candidates = self.section_candidates(unit)
            keep = min(len(candidates), max(2, self.n_pages // 3))
            if keep < len(candidates):
                offset = (index * 3) % len(candidates)
                rotated = candidates[offset:] + candidates[:offset]
                chosen = {id(s) for s in rotated[:keep]}
                candidates = [s for s in candidates if id(s) in chosen]
            unit.sections = candidates

    def section_candidates(self, unit: Unit) -> list[Section]:
        jst = unit.flavour == "jst"
        titles: list[tuple[str, str, str]] = []
        if jst or unit.flavour == "school":
            title = f"Uchwały {unit.council_gen}" if jst else "Uchwały Rady Pedagogicznej"
            titles.append(("uchwala", DOCTYPES["uchwala"].section, title))
        titles.append(("zarzadzenie", DOCTYPES["zarzadzenie"].section, f"Zarządzenia {unit.head_title_gen}"))
        titles.append(("about", "o-urzedzie" if jst else "o-nas", "Informacje o urzędzie" if jst else "O nas"))
        titles.append(("ogloszenie", DOCTYPES["ogloszenie"].section, "Ogłoszenia i komunikaty"))
        titles.append(("zamowienie", DOCTYPES["zamowienie"].section, "Zamówienia publiczne"))
        titles.append(("nabor", DOCTYPES["nabor"].section,
                       "Nabór na wolne stanowiska urzędnicze" if jst else "Oferty pracy"))
        titles.append(("oswiadczenie", DOCTYPES["oswiadczenie"].section, "Oświadczenia majątkowe"))
        titles.append(("protokol", DOCTYPES["protokol"].section,
                       f"Protokoły z sesji {unit.council_gen}" if jst else "Protokoły kontroli"))
        titles.append(("budget", "budzet", "Budżet i finanse"))
        titles.append(("petycja", DOCTYPES["petycja"].section, "Petycje"))
        if jst:
            titles.append(("services", "zalatwianie-spraw", "Załatwianie spraw"))
        titles.append(("news", "aktualnosci", "Aktualności"))
        sections = [Section(folder, title, kind, (n + 1) * 10) for n, (kind, folder, title) in enumerate(titles)]
        for section in sections:
            assert section.folder and section.folder not in RESERVED, section.folder
        return sections

    # -- unit.yaml ---------------------------------------------------------------------------
    def unit_yaml(self, unit: Unit, day: dt.date) -> None:
        rng = self.rng
        head = unit.people["head"]
        data: dict[str, Any] = {"name": unit.name, "kind": unit.kind}
        if unit.parent:
            data["parent"] = unit.parent
        data["address"] = unit.address_line
        data["phone"] = unit.phone
        data["email"] = f"sekretariat@{unit.domain}"
        data["epuap"] = f"/{unit.id.replace('-', '')[:20]}/SkrytkaESP"
        data["nip"] = nip(rng)
        data["regon"] = regon(rng)
        if unit.teryt:
            data["teryt"] = unit.teryt
        data["head"] = f"{head} – {unit.head_title}"
        first_name = unit.editors[0][1].split(",")[0]
        data["editor"] = {"name": first_name, "email": f"bip@{unit.domain}", "phone": unit.phone[:-2] + "11"}
        data["editors"] = dict(unit.editors)
        if unit.kind == "miasto-na-prawach-powiatu":
            data["base_url"] = f"https://bip.{slug(unit.place)}.example"
        if rng.random() < 0.5:
            data["menu"] = [s.folder for s in unit.sections]
        status = rng.choice(("zgodna", "częściowo zgodna", "częściowo zgodna", "niezgodna"))
        accessibility: dict[str, Any] = {
            "status": status, "published": day.isoformat(), "updated": day.isoformat(), "prepared": day.isoformat(),
        }
        if status != "zgodna":
            accessibility["nonconformities"] = rng.sample(words.NONCONFORMITIES, 2)
        accessibility["contact"] = {"name": first_name, "email": f"dostepnosc@{unit.domain}", "phone": data["editor"]["phone"]}
        accessibility["architecture"] = rng.choice(ARCHITECTURE)
        data["accessibility"] = accessibility
        unit.data = data

    def unit_yaml_bytes(self, unit: Unit) -> bytes:
        unit.data["editors"] = dict(unit.editors)
        return yaml_text(unit.data).encode()


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


_UNIT_KEYS = {
    "unit": "name", "office": "office", "place": "place", "place_loc": "place_loc", "head_title": "head_title",
    "head_title_gen": "head_title_gen", "council": "council", "council_gen": "council_gen",
    "address_line": "address_line", "phone": "phone", "domain": "domain",
}
_YEAR_KEYS = {"year": 0, "next_year": 1, "prev_year": -1, "year_plus4": 4}


class Context(dict[str, str]):
    """Values for `{name}` in bip.demo_data.texts, drawn lazily so that a template pays for what it uses."""

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


SECTION_WEIGHTS = {
    "uchwala": 8.0, "zarzadzenie": 6.0, "ogloszenie": 4.0, "zamowienie": 3.0, "nabor": 2.0, "oswiadczenie": 3.0,
    "protokol": 2.0, "petycja": 1.0, "about": 1.0, "budget": 1.5, "services": 2.0, "news": 3.0,
}
TERMS = (dt.date(2014, 12, 1), dt.date(2018, 11, 19), dt.date(2024, 5, 7))


class Builders:
    """Documents of each kind; mixed into Generator (uses self.rng, self.units)."""

    rng: random.Random
    units: list[Unit]
    person: Callable[[], str]  # Region.person

    # -- shared ------------------------------------------------------------------------------
    def unique(self, unit: Unit, folder: str, stem: str) -> str:
        stem = stem.strip("-")[:70].rstrip("-") or "strona"
        candidate, n = stem, 1
        while True:
            path = f"{folder}/{candidate}.md" if folder else f"{candidate}.md"
            if path[:-3] not in unit.used and candidate not in RESERVED:
                return path
            n += 1
            candidate = f"{stem}-{n}"

    def attach(self, unit: Unit, doc: Doc, name: str, title: str, lines: list[str]) -> None:
        base, n = name, 1
        while "file:" + doc.file_path(name) in unit.used or any(f[0] == name for f in doc.files):
            n += 1
            name = base.replace(".pdf", f"-{n}.pdf")
        doc.files.append([name, title, pdf(title, [unit.name, *lines])])

    def dates(self, day: dt.date, imported: bool, now_day: dt.date) -> dict[str, Any]:
        """created / published of a new document: imported ones keep their original publication date."""
        common: dict[str, Any] = {"created": day.isoformat()}
        if imported:
            common["published"] = min(day + dt.timedelta(days=self.rng.randint(0, 7)), now_day).isoformat()
        elif self.rng.random() < 0.5:
            common["published"] = now_day.isoformat()
        return common

    def session(self, unit: Unit, day: dt.date) -> tuple[int, str]:
        start = max(t for t in TERMS if t <= day) if day >= TERMS[0] else TERMS[0]
        months = (day.year - start.year) * 12 + day.month - start.month
        return months + 1, start.isoformat()

    def official(self, unit: Unit) -> tuple[str, str]:
        """(person, position) of someone who files an asset declaration."""
        rng = self.rng
        what = {"gmina": "Gminy", "gmina-miejska": "Miasta", "miasto-na-prawach-powiatu": "Miasta",
                "powiat": "Powiatu", "wojewodztwo": "Województwa"}.get(unit.kind)
        if what is None:
            return unit.people["head"], unit.head_title
        roll = rng.random()
        if roll < 0.2:
            return unit.people["head"], unit.head_title
        if roll < 0.3:
            return unit.people["deputy"], f"Zastępca {unit.head_title_gen}"
        if roll < 0.4:
            return unit.people["secretary"], f"Sekretarz {what}"
        if roll < 0.5:
            return unit.people["treasurer"], f"Skarbnik {what}"
        person = rng.choice(unit.councillors)
        return person, f"{'Radna' if is_female(person) else 'Radny'} {unit.council_gen}"

    # -- document types ----------------------------------------------------------------------
    def build(self, unit: Unit, section: Section, day: dt.date, imported: bool, now_day: dt.date) -> Doc | None:
        maker: Callable[[Unit, Section, dt.date, bool, dt.date], Doc | None] = getattr(self, "doc_" + section.kind)
        return maker(unit, section, day, imported, now_day)

    def doc_uchwala(self, unit: Unit, section: Section, day: dt.date, imported: bool, now_day: dt.date) -> Doc:
        rng = self.rng
        ctx = Context(self, unit, day)
        if unit.flavour == "school":
            school_year = day.year if day.month >= 9 else day.year - 1
            k = unit.next(f"uchwala-{school_year}")
            number = f"{k}/{school_year}/{school_year + 1}"
            ctx["year"], ctx["next_year"] = str(school_year), str(school_year + 1)
            subject = ctx.fill(rng.choice(texts.UCHWALA_SUBJECTS_SCHOOL))
            basis = texts.LEGAL_BASIS["jednostka"]
        else:
            session, term = self.session(unit, day)
            unit.counters[f"uchwala-{term}"] = unit.counters.get(f"uchwala-{term}", 0) + rng.randint(1, 3)
            number = f"{roman(session)}/{unit.counters[f'uchwala-{term}']}/{day.year}"
            subject = ctx.fill(rng.choice(texts.UCHWALA_SUBJECTS))
            basis = texts.LEGAL_BASIS.get(unit.kind, texts.LEGAL_BASIS["gmina"])
        own: dict[str, Any] = {"number": number, "adopted": day.isoformat(), "status": "obowiązująca"}
        if imported and rng.random() < 0.2:
            own["status"] = rng.choice(("uchylona", "zmieniona"))
            later = day + dt.timedelta(days=rng.randint(60, 400))
            later_session, _ = self.session(unit, later)
            own["repealed_by"] = f"Uchwała Nr {roman(later_session)}/{rng.randint(1, 300)}/{later.year}"
        prawo_miejscowe = unit.flavour == "jst" and rng.random() < 0.35
        if prawo_miejscowe:
            own["journal"] = f"Dz. Urz. Woj. Lubuskiego z {day.year} r. poz. {rng.randint(100, 3500)}"
        chair = unit.people["chair"]
        body = [
            f"Na podstawie {ctx.fill(basis)} {unit.council or 'Rada'} uchwala, co następuje:",
            f"**§ 1.** {rng.choice(texts.UCHWALA_PARAGRAPHS)}",
        ]
        if "budżet" in subject or "Prognozy" in subject:
            body.append("Zestawienie kwot zawiera poniższa tabela.")
            rows = rng.sample(words.BUDGET_ROWS, rng.randint(3, 6))
            body.append(table(("Dział", "Rozdział", "Paragraf", "Treść", "Kwota (zł)"),
                              [(*r[:3], r[3], money(rng.randint(5_000, 4_000_000) + rng.randint(0, 99) / 100))
                               for r in rows]))
        body.append(f"**§ 2.** {rng.choice(texts.UCHWALA_PARAGRAPHS)}")
        body.append("**§ 3.** Wykonanie uchwały powierza się organowi wykonawczemu.")
        body.append("**§ 4.** Uchwała wchodzi w życie " + (
            "po upływie 14 dni od dnia ogłoszenia w Dzienniku Urzędowym Województwa Lubuskiego." if prawo_miejscowe
            else "z dniem podjęcia."))
        body.append(f"{'Przewodnicząca' if is_female(chair) else 'Przewodniczący'} {unit.council_gen or 'Rady'}  \n"
                    f"{chair}")
        doc = Doc(self.unique(unit, f"{section.folder}/{day.year}", f"uchwala-nr-{slug(number)}"), "uchwala",
                  f"Uchwała Nr {number} w sprawie {subject}", own, paragraphs(*body), label=f"uchwałę Nr {number}",
                  day=day)
        doc.common = self.dates(day, imported, now_day)
        if rng.random() < 0.4:
            stem = doc.stem
            self.attach(unit, doc, f"zalaczniki/{stem}.pdf", f"Uchwała Nr {number} – wersja do druku (PDF)",
                        [f"Uchwala Nr {number}", f"w sprawie {subject}", polish_date(day)])
        unit.latest_uchwala = number
        return doc

    def doc_zarzadzenie(self, unit: Unit, section: Section, day: dt.date, imported: bool, now_day: dt.date) -> Doc:
        rng = self.rng
        ctx = Context(self, unit, day)
        key = f"zarzadzenie-{day.year}"
        unit.counters[key] = unit.counters.get(key, 0) + rng.randint(1, 4)
        number = f"{unit.counters[key]}/{day.year}"
        ctx["reference"] = f"ZP.271.{rng.randint(1, 30)}.{day.year}"
        pool = texts.ZARZADZENIE_SUBJECTS if unit.flavour == "jst" else texts.ZARZADZENIE_SUBJECTS_UNIT
        subject = ctx.fill(rng.choice(pool))
        own: dict[str, Any] = {"number": number, "adopted": day.isoformat(), "status": "obowiązująca"}
        if imported and rng.random() < 0.1:
            own["status"] = "uchylona"
        head = unit.people["head"]
        body = [
            f"Na podstawie przepisów ustawy oraz regulaminu organizacyjnego {unit.head_title} zarządza, co następuje:",
            f"**§ 1.** Zarządzenie dotyczy {subject}.",
        ]
        if "komisji" in subject or "zespołu" in subject:
            members = [(self.person_of(unit), role) for role in ("przewodniczący", "sekretarz", "członek", "członek")]
            body.append("W skład komisji wchodzą:\n\n" + bullet([f"{p} – {r}" for p, r in members], ordered=True))
        body.append(f"**§ 2.** {rng.choice(texts.ZARZADZENIE_PARAGRAPHS)}")
        body.append("**§ 3.** Zarządzenie wchodzi w życie z dniem podpisania.")
        body.append(f"{unit.head_title}  \n{head}")
        doc = Doc(self.unique(unit, f"{section.folder}/{day.year}", f"zarzadzenie-nr-{slug(number)}"), "zarzadzenie",
                  f"Zarządzenie Nr {number} {unit.head_title_gen} w sprawie {subject}", own, paragraphs(*body),
                  label=f"zarządzenie Nr {number}", day=day)
        doc.common = self.dates(day, imported, now_day)
        if rng.random() < 0.3:
            self.attach(unit, doc, f"{doc.stem}-zalacznik.pdf",
                        f"Załącznik do zarządzenia Nr {number}", [f"Zarzadzenie Nr {number}", subject])
        return doc

    def person_of(self, unit: Unit) -> str:
        return self.person()

    def doc_ogloszenie(self, unit: Unit, section: Section, day: dt.date, imported: bool, now_day: dt.date) -> Doc:
        rng = self.rng
        ctx = Context(self, unit, day)
        pool = texts.OGLOSZENIA if unit.flavour == "jst" else texts.OGLOSZENIA_UNIT
        title_t, sentences = rng.choice(pool)
        title = ctx.fill(title_t)
        body = [ctx.fill(s) for s in sentences]
        if "odpadów" in title:
            body.append(table(("Miejscowość", "Termin odbioru"),
                              [(ctx.fill("{village}"), polish_date(day + dt.timedelta(days=7 * n)))
                               for n in range(1, rng.randint(3, 6))]))
        body.append(ctx.fill(rng.choice(texts.GENERIC_SENTENCES)))
        doc = Doc(self.unique(unit, section.folder, slug(title, 60)), "ogloszenie", title, {}, paragraphs(*body),
                  label=f"ogłoszenie „{short(title, 60)}”", day=day)
        doc.common = self.dates(day, imported, now_day)
        if "deadline_text" in ctx and rng.random() < 0.6:
            doc.common["valid_until"] = (day + dt.timedelta(days=rng.randint(30, 90))).isoformat()
        if rng.random() < 0.3:
            self.attach(unit, doc, f"{doc.stem}-zalacznik.pdf", f"{short(title, 80)} – załącznik",
                        [title])
        return doc

    def deadline(self, day: dt.date, hour: str) -> str:
        offset = warsaw_offset(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)) // 3600
        return f"{day.isoformat()}T{hour}:00+0{offset}:00"

    def doc_zamowienie(self, unit: Unit, section: Section, day: dt.date, imported: bool, now_day: dt.date) -> Doc:
        rng = self.rng
        ctx = Context(self, unit, day)
        k = unit.next(f"zp-{day.year}")
        reference = f"ZP.271.{k}.{day.year}" if unit.flavour == "jst" else f"DA.26.{k}.{day.year}"
        if unit.flavour == "jst":
            subject = ctx.fill(rng.choice(words.TENDER_SUBJECTS))
        else:
            subject = "Zamówienie na " + ctx.fill("{supply}")
        procedure = rng.choice(texts.PROCEDURES[:3] if unit.flavour == "jst" else texts.PROCEDURES[3:4])
        due = day + dt.timedelta(days=rng.randint(14, 35))
        own: dict[str, Any] = {"reference": reference, "procedure": procedure, "deadline": self.deadline(due, "10:00"),
                               "status": "w toku"}
        body = [
            f"{unit.office} zaprasza do składania ofert w postępowaniu o udzielenie zamówienia publicznego "
            f"prowadzonym w trybie: {procedure}, na zadanie pn. **„{subject}”**.",
            table(("Informacja", "Treść"), [
                ("Zamawiający", f"{unit.name}, {unit.address_line}"), ("Znak sprawy", reference),
                ("Tryb postępowania", procedure), ("Termin składania ofert", f"{polish_date(due)}, godz. 10:00"),
                ("Otwarcie ofert", f"{polish_date(due)}, godz. 10:30"), ("Wadium", f"{ctx['wadium']} zł"),
            ]),
            "Postępowanie prowadzone jest przy użyciu [Platformy e-Zamówienia](https://ezamowienia.gov.pl). "
            f"Identyfikator postępowania: ocds-148610-{rng.getrandbits(32):08x}.",
            "## Przedmiot zamówienia",
            " ".join(ctx.fill(s) for s in rng.sample(texts.ZAMOWIENIE_SENTENCES, 3)),
        ]
        doc = Doc(self.unique(unit, section.folder, slug(reference)), "zamowienie", f"{subject} – {reference}", own,
                  paragraphs(*body), label=f"ogłoszenie o zamówieniu {reference}", day=day)
        doc.common = self.dates(day, imported, now_day)
        stem = doc.stem
        self.attach(unit, doc, f"{stem}-swz.pdf", "Specyfikacja warunków zamówienia (SWZ)", [reference, subject])
        if rng.random() < 0.3:
            self.attach(unit, doc, f"{stem}-formularz-ofertowy.pdf", "Załącznik nr 1 – formularz ofertowy", [reference])
        if imported and due < now_day:
            self.settle_zamowienie(unit, doc, min(due + dt.timedelta(days=rng.randint(5, 30)), now_day))
        return doc

    def settle_zamowienie(self, unit: Unit, doc: Doc, day: dt.date) -> None:
        rng = self.rng
        stem = doc.stem
        reference = doc.own["reference"]
        if rng.random() < 0.8:
            offers = [(str(n), f"{rng.choice(words.COMPANY_STEMS)} Sp. z o.o.",
                       money(rng.randint(80_000, 5_000_000) + rng.randint(0, 99) / 100)) for n in range(1, rng.randint(2, 5))]
            best = min(offers, key=lambda o: float(o[2].replace(" ", "").replace(",", ".")))
            doc.own["status"] = "rozstrzygnięte"
            doc.own["result"] = f"Wybrano ofertę nr {best[0]}: {best[1]}, cena brutto {best[2]} zł"
            doc.body += "\n\n" + paragraphs(
                "## Informacja o wyborze najkorzystniejszej oferty",
                f"W dniu {polish_date(day)} dokonano wyboru najkorzystniejszej oferty. Wybrano ofertę nr {best[0]} "
                f"złożoną przez wykonawcę {best[1]} z ceną brutto {best[2]} zł.",
                table(("Nr oferty", "Wykonawca", "Cena brutto (zł)"), offers),
            )
            if rng.random() < 0.6:
                self.attach(unit, doc, f"{stem}-wybor-oferty.pdf", "Informacja o wyborze najkorzystniejszej oferty",
                            [reference, doc.own["result"]])
        else:
            doc.own["status"] = "unieważnione"
            doc.own["result"] = ("Postępowanie unieważniono na podstawie art. 255 pkt 3 ustawy Pzp: cena "
                                 "najkorzystniejszej oferty przewyższa kwotę przeznaczoną na sfinansowanie zamówienia")
            doc.body += "\n\n" + paragraphs("## Unieważnienie postępowania", doc.own["result"] + ".")
            if rng.random() < 0.6:
                self.attach(unit, doc, f"{stem}-uniewaznienie.pdf", "Informacja o unieważnieniu postępowania",
                            [reference])
        doc.common["valid_until"] = (day + dt.timedelta(days=rng.randint(60, 180))).isoformat()

    def doc_nabor(self, unit: Unit, section: Section, day: dt.date, imported: bool, now_day: dt.date) -> Doc:
        rng = self.rng
        ctx = Context(self, unit, day)
        position = rng.choice(words.POSITIONS_OFFICE if unit.flavour == "jst" else words.POSITIONS_UNIT)
        k = unit.next(f"nabor-{day.year}")
        reference = f"OR.2110.{k}.{day.year}"
        due = day + dt.timedelta(days=rng.randint(10, 21))
        own: dict[str, Any] = {"position": position, "deadline": self.deadline(due, "15:00"), "status": "w toku"}
        body = [
            f"{unit.office} ogłasza nabór na wolne stanowisko: **{position}** ({ctx['department']}), "
            f"wymiar czasu pracy: {rng.choice(('pełny etat', '1/2 etatu', '3/4 etatu'))}.",
            "## Wymagania niezbędne", bullet(rng.sample(texts.NABOR_REQUIRED, 4)),
            "## Wymagania dodatkowe", bullet(rng.sample(texts.NABOR_EXTRA, 3)),
            "## Zakres zadań", bullet(rng.sample(texts.NABOR_TASKS, 4)),
            "## Wymagane dokumenty", bullet(list(texts.NABOR_DOCUMENTS), ordered=True),
            "## Termin i miejsce składania dokumentów",
            f"Dokumenty należy składać do dnia {polish_date(due)} do godz. 15:00 w kancelarii, {unit.address_line}, "
            f"lub przez ePUAP, z dopiskiem „Nabór na stanowisko {position}, {reference}”.",
            "W miesiącu poprzedzającym datę upublicznienia ogłoszenia wskaźnik zatrudnienia osób niepełnosprawnych, "
            "w rozumieniu przepisów o rehabilitacji zawodowej i społecznej, był niższy niż 6%.",
        ]
        title = f"Nabór na stanowisko {position} ({reference})"
        doc = Doc(self.unique(unit, section.folder, f"nabor-{slug(position, 40)}-{k}-{day.year}"), "nabor", title, own,
                  paragraphs(*body), label=f"ogłoszenie o naborze na stanowisko {position}", day=day)
        doc.common = self.dates(day, imported, now_day)
        if rng.random() < 0.4:
            self.attach(unit, doc, f"{doc.stem}-kwestionariusz.pdf",
                        "Kwestionariusz osobowy dla osoby ubiegającej się o zatrudnienie", [reference])
        if imported and due < now_day:
            self.settle_nabor(unit, doc, min(due + dt.timedelta(days=rng.randint(5, 20)), now_day))
        return doc

    def settle_nabor(self, unit: Unit, doc: Doc, day: dt.date) -> None:
        rng = self.rng
        if rng.random() < 0.85:
            person = self.person_of(unit)
            doc.own["status"] = "rozstrzygnięte"
            doc.own["result"] = f"Wybrano: {person}, zam. {rng.choice(words.VILLAGES)}"
        else:
            doc.own["status"] = "unieważnione"
            doc.own["result"] = "Nabór nie został rozstrzygnięty: brak kandydatów spełniających wymagania formalne"
        doc.body += "\n\n" + paragraphs("## Informacja o wyniku naboru",
                                        f"{polish_date(day)}: {doc.own['result']}.")
        if rng.random() < 0.6:
            self.attach(unit, doc, f"{doc.stem}-wynik.pdf", "Informacja o wyniku naboru",
                        [doc.own["position"], doc.own["result"]])
        doc.common["valid_until"] = (day + dt.timedelta(days=rng.randint(60, 120))).isoformat()

    def doc_oswiadczenie(self, unit: Unit, section: Section, day: dt.date, imported: bool, now_day: dt.date) -> Doc:
        rng = self.rng
        person, position = self.official(unit)
        kind = rng.choice(("roczne", "roczne", "roczne", "początkowe", "końcowe"))
        year = day.year - 1 if kind == "roczne" else day.year  # an annual one is filed by 30 April of the next year
        label = {"roczne": f"za {year} r.", "początkowe": f"początkowe, {year} r.", "końcowe": f"końcowe, {year} r."}[kind]
        title = f"Oświadczenie majątkowe – {person}, {position} ({label})"
        body = paragraphs(
            f"Oświadczenie majątkowe złożone przez: {person} ({position}). Rodzaj oświadczenia: {kind}.",
            table(("Osoba", "Stanowisko lub funkcja", "Rok", "Rodzaj"), [(person, position, str(year), kind)]),
            "Oświadczenie udostępniono z wyłączeniem informacji o adresie zamieszkania składającego oraz o miejscu "
            "położenia nieruchomości, na podstawie przepisów ustawy o samorządzie.",
        )
        doc = Doc(self.unique(unit, f"{section.folder}/{year}", f"{slug(person)}-{slug(kind)}"), "oswiadczenie",
                  title, {}, body, label=f"oświadczenie majątkowe: {person} ({label})", day=day)
        doc.own = {"person": person, "position": position, "year": year, "kind": kind}
        doc.common = self.dates(day, imported, now_day)
        self.attach(unit, doc, f"{doc.stem}.pdf", f"Oświadczenie majątkowe – {person} (PDF)",
                    [person, position, label])
        return doc

    def doc_protokol(self, unit: Unit, section: Section, day: dt.date, imported: bool, now_day: dt.date) -> Doc:
        rng = self.rng
        if unit.flavour == "jst":
            number, _ = self.session(unit, day)
            session = f"{roman(number)} sesja {unit.council_gen}"
            title = f"Protokół z {roman(number)} sesji {unit.council_gen} z dnia {polish_date(day)}"
            votes = []
            for n in range(1, rng.randint(3, 7)):
                against, abstained = rng.randint(0, 3), rng.randint(0, 2)
                votes.append((f"Projekt uchwały nr {n}", str(rng.randint(8, 15 - against - abstained)), str(against),
                              str(abstained)))
            body = paragraphs(
                f"{roman(number)} sesja {unit.council_gen} odbyła się {polish_date(day)} w sali narad, "
                f"{unit.address_line}. Obrady otwarto o godz. 10:00.",
                "Porządek obrad:", bullet(list(texts.AGENDA), ordered=True), "## Wyniki głosowań",
                table(("Głosowanie", "Za", "Przeciw", "Wstrzymało się"), votes),
                f"Obrady zakończono o godz. {rng.randint(12, 16)}:{rng.choice(('05', '20', '35', '50'))}.",
            )
            stem = f"protokol-z-{slug(roman(number))}-sesji"
        else:
            controller = rng.choice(words.CONTROLLERS)
            session = f"Kontrola przeprowadzona przez {controller}"
            title = f"Protokół kontroli z dnia {polish_date(day)}"
            body = paragraphs(f"Kontrolę przeprowadził zespół kontrolny (kontrolujący: {controller}).",
                              "## Ustalenia", rng.choice(texts.CONTROL_FINDINGS))
            stem = f"protokol-kontroli-{day.isoformat()}"
        doc = Doc(self.unique(unit, f"{section.folder}/{day.year}", stem), "protokol", title, {}, body,
                  label=f"protokół z dnia {polish_date(day)}", day=day)
        doc.own = {"session": session, "date": day.isoformat()}
        doc.common = self.dates(day, imported, now_day)
        if rng.random() < 0.5:
            self.attach(unit, doc, f"{doc.stem}.pdf", f"{title} (PDF)", [title])
        return doc

    def doc_petycja(self, unit: Unit, section: Section, day: dt.date, imported: bool, now_day: dt.date) -> Doc:
        rng = self.rng
        ctx = Context(self, unit, day)
        k = unit.next(f"petycja-{day.year}")
        subject = ctx.fill(rng.choice(words.PETITION_SUBJECTS))
        petitioner = ctx.fill(rng.choice(texts.PETITIONERS))
        body = paragraphs(
            table(("Informacja", "Treść"), [("Data złożenia", polish_date(day)), ("Podmiot wnoszący", petitioner),
                                            ("Przedmiot petycji", subject)]),
            "## Treść petycji",
            f"Wnoszący zwraca się z prośbą w sprawie {subject}. " + " ".join(rng.sample(texts.PETITION_PARAGRAPHS, 2)),
        )
        doc = Doc(self.unique(unit, section.folder, f"petycja-nr-{k}-{day.year}"), "petycja",
                  f"Petycja nr {k}/{day.year} w sprawie {subject}", {}, body, label=f"petycję nr {k}/{day.year}", day=day)
        doc.own = {"submitted": day.isoformat(), "subject": subject, "status": "w toku"}
        doc.common = self.dates(day, imported, now_day)
        if rng.random() < 0.3:
            self.attach(unit, doc, f"{doc.stem}.pdf", "Petycja – skan (PDF)", [subject])
        answer = day + dt.timedelta(days=rng.randint(20, 90))
        if imported and answer < now_day:
            self.settle_petycja(unit, doc, answer)
        return doc

    def settle_petycja(self, unit: Unit, doc: Doc, day: dt.date) -> None:
        rng = self.rng
        doc.own["status"] = "rozpatrzona" if rng.random() < 0.85 else "pozostawiona bez rozpatrzenia"
        doc.own["answer_date"] = day.isoformat()
        answer = (Context(self, unit, day).fill(rng.choice(texts.PETITION_ANSWERS))
                  if doc.own["status"] == "rozpatrzona"
                  else "Petycję pozostawiono bez rozpatrzenia, ponieważ nie zawierała danych wymaganych ustawą o petycjach.")
        doc.body += "\n\n" + paragraphs("## Sposób załatwienia petycji", f"{polish_date(day)}: {answer}")

    # -- plain pages -------------------------------------------------------------------------
    def plain(self, unit: Unit, section: Section, title: str, body: str, day: dt.date, imported: bool,
              now_day: dt.date, stem: str = "") -> Doc:
        doc = Doc(self.unique(unit, section.folder, stem or slug(title, 60)), "strona", title, {}, body,
                  label=f"stronę „{short(title, 60)}”", day=day)
        doc.common = self.dates(day, imported, now_day)
        return doc

    def doc_about(self, unit: Unit, section: Section, day: dt.date, imported: bool, now_day: dt.date) -> Doc | None:
        rng = self.rng
        pages = texts.ABOUT_PAGES_JST if unit.flavour == "jst" else texts.ABOUT_PAGES_UNIT
        left = [(t, k) for t, k in pages if f"{section.folder}/{slug(t)}" not in unit.used]
        if not left:
            unit.exhausted.add(section.folder)
            return None
        title, kind = left[0]
        ctx = Context(self, unit, day)
        if kind == "structure":
            rows = [(d, self.person_of(unit), str(rng.randint(1, 40)), f"{unit.phone[:-2]}{rng.randint(10, 99)}")
                    for d in rng.sample(words.DEPARTMENTS, 6)]
            body = paragraphs(f"Strukturę organizacyjną określa regulamin organizacyjny nadany zarządzeniem "
                              f"{unit.head_title_gen}.",
                              table(("Komórka organizacyjna", "Kierownik", "Pokój", "Telefon"), rows))
        elif kind == "hours":
            body = table(("Dzień", "Godziny pracy"), [("Poniedziałek", "8:00–16:00"), ("Wtorek – czwartek", "7:30–15:30"),
                                                      ("Piątek", "7:30–14:30")])
        elif kind == "contact":
            body = bullet([f"Adres: {unit.address_line}", f"Telefon: {unit.phone}",
                           f"E-mail: [sekretariat@{unit.domain}](mailto:sekretariat@{unit.domain})",
                           f"Elektroniczna skrzynka podawcza: /{unit.id.replace('-', '')[:20]}/SkrytkaESP"])
        elif kind == "council" and unit.councillors:
            body = table(("Lp.", "Imię i nazwisko", "Funkcja"),
                         [(str(n), p, "przewodniczący" if n == 1 else "radny") for n, p in
                          enumerate([unit.people["chair"], *unit.councillors[:14]], 1)])
        elif kind == "officials":
            body = bullet([f"{unit.head_title}: {unit.people['head']}", f"Zastępca: {unit.people['deputy']}",
                           f"Sekretarz: {unit.people['secretary']}", f"Skarbnik: {unit.people['treasurer']}"])
        elif kind == "units":
            children = [u.name for u in self.units if u.parent == unit.id] or ["Brak jednostek organizacyjnych."]
            body = bullet(children)
        elif kind == "rodo":
            body = bullet([ctx.fill(s) for s in texts.RODO_SENTENCES])
        elif kind == "epuap":
            body = paragraphs("Pisma w postaci elektronicznej można składać przez elektroniczną skrzynkę podawczą "
                              f"na platformie [ePUAP](https://epuap.gov.pl): /{unit.id.replace('-', '')[:20]}/SkrytkaESP.",
                              "Urzędowe poświadczenie przedłożenia jest wysyłane automatycznie.")
        else:
            body = paragraphs(f"{title} – tekst jednolity.", ctx.fill(rng.choice(texts.GENERIC_SENTENCES)))
        doc = self.plain(unit, section, title, body, day, imported, now_day, slug(title))
        if kind == "statute":
            self.attach(unit, doc, f"{slug(title)}.pdf", f"{title} – tekst jednolity (PDF)", [title])
        return doc

    def doc_budget(self, unit: Unit, section: Section, day: dt.date, imported: bool, now_day: dt.date) -> Doc | None:
        rng = self.rng
        for year in range(max(IMPORT_FROM.year, day.year - 8), day.year + 1):
            for kind in ("plan", "report"):
                issued = dt.date(year, 1, 20) if kind == "plan" else dt.date(year + 1, 4, 25)
                title = (f"Budżet na {year} rok" if unit.flavour == "jst" else f"Plan finansowy na {year} rok") \
                    if kind == "plan" else f"Sprawozdanie z wykonania budżetu za {year} rok"
                if issued > day or f"{section.folder}/{slug(title)}" in unit.used:
                    continue
                rows = rng.sample(words.BUDGET_ROWS, rng.randint(4, 8))
                amounts = [rng.randint(10_000, 3_000_000) for _ in rows]
                columns = ("Dział", "Rozdział", "Treść", "Plan (zł)") + (("Wykonanie (zł)",) if kind == "report" else ())
                body = paragraphs(
                    f"{title}: zestawienie wydatków według klasyfikacji budżetowej.",
                    table(columns, [(r[0], r[1], r[3], money(a)) + ((money(a * rng.uniform(0.7, 1.0)),)
                                                                  if kind == "report" else ())
                                    for r, a in zip(rows, amounts, strict=True)]),
                    f"Razem: {money(sum(amounts))} zł.",
                )
                doc = self.plain(unit, section, title, body, issued, imported, now_day, slug(title))
                if kind == "report" or rng.random() < 0.3:
                    self.attach(unit, doc, f"{slug(title)}.pdf", f"{title} (PDF)", [title])
                return doc
        unit.exhausted.add(section.folder)
        return None

    def doc_services(self, unit: Unit, section: Section, day: dt.date, imported: bool, now_day: dt.date) -> Doc | None:
        rng = self.rng
        left = [s for s in words.SERVICES if f"{section.folder}/{slug(s, 60)}" not in unit.used]
        if not left:
            unit.exhausted.add(section.folder)
            return None
        service = left[0]
        ctx = Context(self, unit, day)
        body = paragraphs(
            "## Wymagane dokumenty", bullet(rng.sample(texts.SERVICE_DOCS, 3)),
            "## Opłaty", table(("Czynność", "Opłata"), [("Wydanie decyzji lub zaświadczenia", f"{rng.choice((0, 17, 82, 105))} zł"),
                                                         ("Pełnomocnictwo", "17 zł")]),
            "## Termin załatwienia sprawy", rng.choice(("Do 7 dni.", "Do 30 dni, w sprawach szczególnie "
                                                        "skomplikowanych do 60 dni.", "Niezwłocznie.")),
            "## Miejsce złożenia dokumentów", ctx.fill("{department}, pokój nr {room}, {address_line}."),
            "## Tryb odwoławczy", "Od decyzji przysługuje odwołanie do Samorządowego Kolegium Odwoławczego "
            "w Zielonej Górze za pośrednictwem organu, który wydał decyzję, w terminie 14 dni od dnia jej doręczenia.",
        )
        doc = self.plain(unit, section, service, body, day, imported, now_day, slug(service, 60))
        if rng.random() < 0.3:
            self.attach(unit, doc, f"{slug(service, 50)}-wniosek.pdf", f"Wniosek – {short(service, 60)} (formularz)",
                        [service])
        return doc

    def doc_news(self, unit: Unit, section: Section, day: dt.date, imported: bool, now_day: dt.date) -> Doc:
        rng = self.rng
        ctx = Context(self, unit, day)
        title_t, sentences = rng.choice(texts.NEWS if unit.flavour == "jst" else texts.NEWS_UNIT)
        title = ctx.fill(title_t)
        body = [ctx.fill(s) for s in sentences]
        if "Harmonogram" in title:
            body.append(table(("Miesiąc", "Odpady zmieszane", "Odpady segregowane"),
                              [(texts.MONTHS_GEN[m][:3], f"{rng.randint(1, 14)}, {rng.randint(15, 28)}", str(rng.randint(1, 28)))
                               for m in range(0, 12, 3)]))
        doc = self.plain(unit, section, title, paragraphs(*body), day, imported, now_day, slug(title, 60))
        if rng.random() < 0.2:
            self.attach(unit, doc, f"{doc.stem}.pdf", f"{short(title, 80)} (PDF)", [title])
        return doc


# ----------------------------------------------------------------------------------------------
# The history: a plan of C commits, then one fast-import stream


@dataclass
class Op:
    kind: str  # boot | add | batch | edit | status | rename | delete | draft | publish | embargo | embargo_future
    #            | attachment | editor
    units: list[Unit]
    size: int = 1  # documents added by a batch
    unmapped: bool = False  # committed from an e-mail the unit's `editors` does not know
    draft: Doc | None = None  # for draft: the page it made
    source: Op | None = None  # for publish: the draft operation


DELTA = {"add": 1, "draft": 1, "embargo": 1, "embargo_future": 1, "delete": -1}
OP_WEIGHTS = {
    "add": 40, "batch": 6, "edit": 18, "status": 10, "rename": 5, "delete": 5, "draft": 3, "embargo": 2,
    "attachment": 5, "editor": 2,
}
Change = tuple[str, str, bytes | None]  # ("M" | "D", repository path, data)


class Demo(Builders, Region):
    """One corpus: units, a plan of commits, the fast-import stream, the checked-out tree."""

    def __init__(self, out: Path, units: int, pages: int, commits: int | None, seed: int):
        self.out = out
        self.n_units = max(1, units)
        self.n_pages = max(1, pages)
        self.n_commits = max(1, commits if commits is not None else max(units * pages // 10, 50))
        self.rng = random.Random(seed)
        self.units = []
        self.by_id = {}
        self.used_names = set()
        self.seeds_added: set[str] = set()
        self.commits_written = 0
        self.tree: dict[str, bytes] = {}  # the repository's files after the last commit
        self.writer: TreeWriter | None = None  # gets each commit's changes, to write the working tree

    # -- structural pages --------------------------------------------------------------------
    def home(self, unit: Unit, day: dt.date) -> Doc:
        data = unit.data
        rows = [("Adres", data["address"]), ("Telefon", data["phone"]), ("E-mail", data["email"]),
                ("Elektroniczna skrzynka podawcza", data["epuap"]), ("NIP", data["nip"]), ("REGON", data["regon"])]
        parent = self.by_id.get(unit.parent or "")
        body = paragraphs(
            f"Witamy w Biuletynie Informacji Publicznej – {unit.name}.",
            f"{unit.head_title}: {unit.people['head']}." + (f" Organ prowadzący: {parent.name}." if parent else ""),
            table(("Dane", "Wartość"), rows),
            "## Działy biuletynu",
            bullet([f"[{s.title}]({s.folder}/index.md)" for s in unit.sections]),
            "Biuletyn Informacji Publicznej jest urzędowym publikatorem teleinformatycznym. Strona główna BIP: "
            "[www.bip.gov.pl](https://www.bip.gov.pl).",
        )
        doc = Doc("index.md", "strona", unit.name, {}, body, pinned=True, label="stronę główną", day=day)
        doc.common = {"created": day.isoformat()}
        return doc

    def section_page(self, unit: Unit, section: Section, day: dt.date) -> Doc:
        intro = {
            "about": "Podstawowe informacje o podmiocie: struktura, godziny pracy i dane kontaktowe.",
            "budget": "Budżet, plany finansowe i sprawozdania z ich wykonania.",
            "services": "Karty usług: jakie dokumenty złożyć, ile kosztuje załatwienie sprawy i jak długo trwa.",
            "news": "Bieżące informacje i komunikaty.",
        }.get(section.kind, f"{DOCTYPES[section.kind].plural} publikowane przez: {unit.name}."
              if section.kind in DOCTYPES else "")
        body = paragraphs(intro, "Dokumenty w tym dziale są uporządkowane od najnowszych. Starsze, nieaktualne "
                          "informacje są dostępne w archiwum biuletynu.")
        doc = Doc(f"{section.folder}/index.md", "strona", section.title, {}, body, pinned=True,
                  label=f"stronę działu „{section.title}”", day=day)
        doc.common = {"created": day.isoformat(), "weight": section.weight}
        return doc

    # -- registering documents ---------------------------------------------------------------
    def put(self, unit: Unit, doc: Doc, changes: list[Change], files: bool = True) -> None:
        for segment in doc.path[:-3].split("/"):
            assert segment not in RESERVED, doc.path
        unit.docs[doc.path] = doc
        unit.used.add(doc.path[:-3])
        changes.append(("M", f"content/{unit.id}/{doc.path}", doc.text()))
        if files:
            for name, _, data in doc.files:
                unit.used.add("file:" + doc.file_path(name))
                changes.append(("M", f"content/{unit.id}/{doc.file_path(name)}", data))

    def update(self, unit: Unit, doc: Doc, changes: list[Change]) -> None:
        """Write a changed page and any attachment not yet in the tree."""
        changes.append(("M", f"content/{unit.id}/{doc.path}", doc.text()))
        for name, _, data in doc.files:
            path = doc.file_path(name)
            if "file:" + path not in unit.used:
                unit.used.add("file:" + path)
                changes.append(("M", f"content/{unit.id}/{path}", data))

    def pick_section(self, unit: Unit, kinds: tuple[str, ...] | None = None) -> Section | None:
        options = [s for s in unit.sections if s.folder not in unit.exhausted and (kinds is None or s.kind in kinds)]
        if not options:
            return None
        return self.rng.choices(options, weights=[SECTION_WEIGHTS[s.kind] for s in options])[0]

    def new_doc(self, unit: Unit, day: dt.date, imported: bool, now_day: dt.date,
                kinds: tuple[str, ...] | None = None) -> Doc | None:
        """A document of one of `kinds` if the unit has such a section, else of any kind."""
        for _ in range(len(unit.sections) + 1):
            section = self.pick_section(unit, kinds) or self.pick_section(unit)
            if section is None:
                return None
            doc = self.build(unit, section, day, imported, now_day)
            if doc is not None:
                return doc
        return None

    def movable(self, unit: Unit, types: tuple[str, ...] | None = None) -> list[Doc]:
        return [d for d in unit.docs.values() if not d.pinned and not d.pending and (types is None or d.type in types)]

    # -- planning ----------------------------------------------------------------------------
    def plan(self) -> list[Op]:
        rng, units, count = self.rng, self.units, self.n_commits
        boots = len(units) if count >= len(units) + 12 else max(1, min(len(units), count // 2))
        groups = [units[i * len(units) // boots:(i + 1) * len(units) // boots] for i in range(boots)]
        if boots < len(units):
            admin = (ADMIN[1], f"{ADMIN[0]}, administrator Regionalnego BIP")
            for unit in units:
                unit.editors.insert(0, admin)
        window = max(boots, int(count * 0.3))
        positions = [0, *sorted(rng.sample(range(1, window), boots - 1))]
        ops: list[Op | None] = [None] * count
        booted: list[tuple[int, Unit]] = []
        for position, group in zip(positions, groups, strict=True):
            ops[position] = Op("boot", group)
            booted += [(position, u) for u in group]
        free = [p for p in range(count) if ops[p] is None]
        kinds: dict[int, str] = {}
        if free:
            kinds[free[0]] = "draft"
        required = ["rename", "delete", "status", "embargo", "embargo_future", "attachment", "edit", "editor", "batch"]
        extra_future = max(0, count // 600 - 1)
        rest = free[1:]
        for position, kind in zip(rng.sample(rest, min(len(rest), len(required) + extra_future)),
                                  required + ["embargo_future"] * extra_future, strict=False):
            kinds[position] = kind
        forced = set(kinds)  # kept even when a unit has no room for more pages
        names, weights = list(OP_WEIGHTS), list(OP_WEIGHTS.values())
        for position in free:
            kinds.setdefault(position, rng.choices(names, weights=weights)[0])
        unmapped = set(rng.sample(free, round(len(free) * 0.02))) if free else set()
        delta = {u.id: 0 for u in units}
        structural = {u.id: 1 + len(u.sections) for u in units}
        room = {u.id: max(0, self.n_pages - structural[u.id] - 3) for u in units}
        eligible: list[Unit] = []
        cumulative: list[float] = []
        pending_boots = sorted(booted, key=lambda b: b[0])
        drafts: dict[int, tuple[Unit, Op]] = {}
        for position in range(count):
            while pending_boots and pending_boots[0][0] < position:
                unit = pending_boots.pop(0)[1]
                eligible.append(unit)
                cumulative.append((cumulative[-1] if cumulative else 0) + unit.weight)
            if ops[position] is not None:
                continue
            kind = kinds[position]
            if position in drafts:
                unit, draft_op = drafts.pop(position)
                ops[position] = Op("publish", [unit], unmapped=position in unmapped, source=draft_op)
                continue
            unit = rng.choices(eligible, cum_weights=cumulative)[0]
            size = rng.randint(3, 8) if kind == "batch" else 1
            change = DELTA.get(kind, 0) * size if kind != "batch" else size
            if change > 0 and delta[unit.id] + change > room[unit.id] and position not in forced:
                kind, change = "edit", 0
            delta[unit.id] += change
            op = Op(kind, [unit], size, unmapped=position in unmapped)
            ops[position] = op
            if kind == "draft":
                later = position + rng.randint(1, 25)
                while later < count and (ops[later] is not None or later in drafts):
                    later += 1
                if later < count:
                    drafts[later] = (unit, op)
        for unit in units:
            unit.boot_docs = max(0, self.n_pages - structural[unit.id] - delta[unit.id])
        return [op for op in ops if op is not None]

    def times(self) -> list[tuple[int, int]]:
        """(UTC seconds, offset seconds) of each commit: strictly increasing, in office hours where there is room."""
        rng = self.rng
        start, span = START.timestamp(), (END - START).total_seconds()
        slot = span / self.n_commits
        out: list[tuple[int, int]] = []
        previous = 0
        for index in range(self.n_commits):
            moment = start + slot * (index + rng.random() * 0.9)
            utc = dt.datetime.fromtimestamp(moment, dt.UTC)
            offset = warsaw_offset(utc)
            if slot >= 86_400:
                local = utc + dt.timedelta(seconds=offset)
                minutes = rng.randint(7 * 60 + 30, 15 * 60 + 30)
                local = local.replace(hour=minutes // 60, minute=minutes % 60, second=rng.randint(0, 59))
                moment = (local - dt.timedelta(seconds=offset)).timestamp()
            seconds = max(int(moment), previous + 60)
            seconds = min(seconds, int(END.timestamp()) - (self.n_commits - index))
            seconds = max(seconds, previous + 1)
            previous = seconds
            out.append((seconds, warsaw_offset(dt.datetime.fromtimestamp(seconds, dt.UTC))))
        return out

    # -- executing operations ----------------------------------------------------------------
    def author(self, op: Op) -> tuple[str, str]:
        if op.kind == "boot" and len(op.units) > 1:
            return ADMIN
        unit = op.units[0]
        mapped = [e for e in unit.editors if e[0] != ADMIN[1]] or unit.editors
        email, entry = mapped[0] if self.rng.random() < 0.45 else self.rng.choice(mapped)
        name = entry.split(",", 1)[0]
        if op.unmapped:  # an editor committing from a private address: the registry warns about it
            first, last = name.split(" ", 1)
            email = f"{slug(first)}.{slug(last)}@poczta.example"
        return name, email

    def execute(self, op: Op, when: dt.datetime) -> tuple[str, list[Change]]:
        changes: list[Change] = []
        day = when.date()
        if op.kind == "boot":
            for unit in op.units:
                self.boot(unit, day, changes)
            if len(op.units) == 1:
                return f"Uruchomiono BIP: {op.units[0].name} – przeniesiono treści z dotychczasowego serwisu", changes
            return f"Uruchomiono serwisy BIP kolejnych podmiotów ({len(op.units)})", changes
        unit = op.units[0]
        handler: Callable[[Op, Unit, dt.datetime, list[Change]], str | None] = getattr(self, "op_" + op.kind)
        message = handler(op, unit, when, changes)
        if message is None or not changes:
            changes.clear()
            message = self.op_add(op, unit, when, changes)
        if message is None or not changes:  # a unit with nothing left to add: touch its home page
            changes.clear()
            message = self.edit_pinned(unit, day, changes)
        return message, changes

    def boot(self, unit: Unit, day: dt.date, changes: list[Change]) -> None:
        rng = self.rng
        self.unit_yaml(unit, day)
        changes.append(("M", f"content/{unit.id}/unit.yaml", self.unit_yaml_bytes(unit)))
        self.put(unit, self.home(unit, day), changes)
        for section in unit.sections:
            self.put(unit, self.section_page(unit, section, day), changes)
        if unit.kind == "wojewodztwo" and any(s.kind == "news" for s in unit.sections):
            self.put(unit, self.seed_doc(unit, "seed_lubuski_e_urzad.txt", day), changes)
        last = max(IMPORT_FROM, day - dt.timedelta(days=30))
        span = (last - IMPORT_FROM).days
        days = sorted(IMPORT_FROM + dt.timedelta(days=rng.randint(0, span)) for _ in range(unit.boot_docs))
        # every section gets a document first (a section with only its index page is no example), then by weight
        firsts = rng.sample(range(len(days)), min(len(days), len(unit.sections)))
        section_of = dict(zip(firsts, rng.sample(unit.sections, len(firsts)), strict=True))
        for index, doc_day in enumerate(days):
            section = section_of.get(index)
            doc = self.build(unit, section, doc_day, True, day) if section else None
            doc = doc or self.new_doc(unit, doc_day, True, day)
            if doc is not None:
                self.put(unit, doc, changes)

    def seed_doc(self, unit: Unit, name: str, day: dt.date) -> Doc:
        """A real text of the marshal's office (bip/demo_data/seed_*.txt), kept verbatim."""
        text = (Path(words.__file__).parent / name).read_text(encoding="utf-8")
        title, _, body = text.strip().partition("\n")
        self.seeds_added.add(name)
        if name == "seed_petycja_2024_01.txt":
            title = "Petycja nr 2024/01 w sprawie automatyzacji procesów w urzędzie (RPA) – odpowiedź"
            doc = Doc(self.unique(unit, DOCTYPES["petycja"].section, "petycja-nr-2024-01"), "petycja", title,
                      {"submitted": "2024-05-08", "subject": "automatyzacji procesów w urzędzie (RPA)",
                       "status": "rozpatrzona", "answer_date": "2024-05-20"},
                      paragraphs("## Odpowiedź na petycję", text.strip()), label="odpowiedź na petycję nr 2024/01",
                      day=dt.date(2024, 5, 20))
            doc.common = {"created": "2024-05-20"}
            return doc
        doc = Doc(self.unique(unit, "aktualnosci", slug(title, 60)), "strona", title.strip(), {}, body.strip(),
                  label=f"artykuł „{short(title.strip(), 60)}”", day=day)
        if name == "seed_lubuski_e_urzad_2.txt":
            doc.common = {"created": "2020-05-22"}
        return doc

    def due_seed(self, unit: Unit, day: dt.date) -> Doc | None:
        if unit.kind != "wojewodztwo":
            return None
        kinds = {s.kind for s in unit.sections}
        for name, since, kind in (("seed_lubuski_e_urzad_2.txt", dt.date(2020, 5, 22), "news"),
                                  ("seed_petycja_2024_01.txt", dt.date(2024, 5, 21), "petycja")):
            if name not in self.seeds_added and day >= since and kind in kinds:
                return self.seed_doc(unit, name, day)
        return None

    def recent(self, day: dt.date) -> dt.date:
        return day - dt.timedelta(days=self.rng.randint(0, 10))

    def op_add(self, op: Op, unit: Unit, when: dt.datetime, changes: list[Change]) -> str | None:
        day = when.date()
        doc = self.due_seed(unit, day) or self.new_doc(unit, self.recent(day), False, day)
        if doc is None:
            return None
        self.put(unit, doc, changes)
        return self.added_message(doc)

    def added_message(self, doc: Doc) -> str:
        subject = doc.title.split(" w sprawie ", 1)[1] if " w sprawie " in doc.title else ""
        if doc.type in ("uchwala", "zarzadzenie"):
            return f"Dodano {doc.label} w sprawie {subject}"
        if doc.type == "zamowienie":
            return f"Ogłoszono postępowanie {doc.own['reference']}: {doc.title.rsplit(' – ', 1)[0]}"
        if doc.type == "nabor":
            return f"Ogłoszono nabór na stanowisko {doc.own['position']}"
        if doc.type == "petycja":
            return f"Opublikowano {doc.label} w sprawie {doc.own['subject']}"
        return f"Dodano {doc.label}"

    def op_batch(self, op: Op, unit: Unit, when: dt.datetime, changes: list[Change]) -> str | None:
        day = when.date()
        section = self.pick_section(unit, ("uchwala",)) or self.pick_section(unit, ("oswiadczenie",)) \
            or self.pick_section(unit)
        if section is None:
            return None
        adopted = self.recent(day)
        added = []
        for _ in range(op.size):
            doc = self.build(unit, section, adopted, False, day)
            if doc is None:
                break
            self.put(unit, doc, changes)
            added.append(doc)
        if not added:
            return None
        if section.kind == "uchwala" and unit.flavour == "jst":
            return f"Dodano uchwały podjęte na {roman(self.session(unit, adopted)[0])} sesji {unit.council_gen} ({len(added)})"
        if section.kind == "oswiadczenie":
            return f"Opublikowano oświadczenia majątkowe złożone w {day.year} r. ({len(added)})"
        return f"Dodano dokumenty w dziale „{section.title}” ({len(added)})"

    def edit_pinned(self, unit: Unit, day: dt.date, changes: list[Change]) -> str:
        doc = self.rng.choice([d for d in unit.docs.values() if d.pinned])
        note = Context(self, unit, day).fill(self.rng.choice(texts.EDIT_NOTES))
        doc.body += f"\n\n*Aktualizacja z {polish_date(day)}:* {note}"
        self.update(unit, doc, changes)
        if doc.path == "index.md":
            return "Aktualizacja danych kontaktowych na stronie głównej"
        return f"Aktualizacja opisu działu „{doc.title}”"

    def op_edit(self, op: Op, unit: Unit, when: dt.datetime, changes: list[Change]) -> str | None:
        rng, day = self.rng, when.date()
        docs = self.movable(unit)
        if not docs or rng.random() < 0.2:
            return self.edit_pinned(unit, day, changes)
        doc = rng.choice(docs)
        note = Context(self, unit, day).fill(rng.choice(texts.EDIT_NOTES))
        if doc.type == "zamowienie":
            doc.body += (f"\n\n## Wyjaśnienia treści SWZ ({polish_date(day)})\n\n"
                         "Zamawiający udzielił odpowiedzi na pytania wykonawców. Termin składania ofert nie ulega zmianie.")
            message = f"Aktualizacja ogłoszenia o zamówieniu {doc.own['reference']}: wyjaśnienia treści SWZ"
        else:
            doc.body += f"\n\n*Aktualizacja z {polish_date(day)}:* {note}"
            message = {
                "ogloszenie": f"Aktualizacja ogłoszenia „{short(doc.title, 70)}”",
                "uchwala": f"Korekta omyłki pisarskiej: {short(doc.title, 80)}",
                "zarzadzenie": f"Korekta omyłki pisarskiej: {short(doc.title, 80)}",
                "nabor": f"Aktualizacja ogłoszenia o naborze na stanowisko {doc.own.get('position', '')}",
            }.get(doc.type, f"Aktualizacja strony „{short(doc.title, 70)}”")
        self.update(unit, doc, changes)
        return message

    def op_status(self, op: Op, unit: Unit, when: dt.datetime, changes: list[Change]) -> str | None:
        rng, day = self.rng, when.date()
        docs = self.movable(unit)
        rng.shuffle(docs)
        for doc in docs:
            status = doc.own.get("status")
            due = dt.date.fromisoformat(str(doc.own.get("deadline", "9999-12-31"))[:10])
            if doc.type == "zamowienie" and status == "w toku" and due < day:
                self.settle_zamowienie(unit, doc, day)
                message = f"Zmiana statusu zamówienia {doc.own['reference']} na „{doc.own['status']}”"
            elif doc.type == "nabor" and status == "w toku" and due < day:
                self.settle_nabor(unit, doc, day)
                message = f"Zmiana statusu naboru na stanowisko {doc.own['position']} na „{doc.own['status']}”"
            elif doc.type == "petycja" and status == "w toku" and doc.day < day - dt.timedelta(days=14):
                self.settle_petycja(unit, doc, day)
                message = f"Dodano odpowiedź na {doc.label}"
            elif (doc.type == "uchwala" and status == "obowiązująca" and unit.latest_uchwala
                  and doc.own["number"] != unit.latest_uchwala and doc.day < day - dt.timedelta(days=30)):
                doc.own["status"] = rng.choice(("uchylona", "zmieniona"))
                doc.own["repealed_by"] = f"Uchwała Nr {unit.latest_uchwala}"
                message = f"Zmiana statusu uchwały Nr {doc.own['number']} na „{doc.own['status']}”"
            else:
                continue
            self.update(unit, doc, changes)
            return message
        return None

    def op_rename(self, op: Op, unit: Unit, when: dt.datetime, changes: list[Change]) -> str | None:
        rng = self.rng
        docs = self.movable(unit)
        if not docs:
            return None
        doc = rng.choice(docs)
        old_path, old_files = doc.path, [doc.file_path(f[0]) for f in doc.files]
        year_folder = f"{doc.folder}/{doc.day.year}"
        moved = False
        if "/" not in doc.folder and doc.folder and f"{year_folder}/{doc.stem}" not in unit.used:
            targets = [f"{year_folder}/{f[0]}" for f in doc.files]
            if all("file:" + t not in unit.used for t in targets):
                doc.path, moved = f"{year_folder}/{doc.stem}.md", True
        if not moved:
            extra = slug(doc.title.split(" w sprawie ", 1)[-1], 40)
            doc.path = self.unique(unit, doc.folder, f"{doc.stem}-{extra}" if extra not in doc.stem else f"{doc.stem}-{doc.day.year}")
        del unit.docs[old_path]
        if rng.random() < 0.6:
            doc.common.setdefault("aliases", []).append(old_path[:-3])
        changes.append(("D", f"content/{unit.id}/{old_path}", None))
        if moved:
            for path in old_files:
                changes.append(("D", f"content/{unit.id}/{path}", None))
        self.put(unit, doc, changes, files=moved)
        if moved:
            return f"Przeniesiono stronę „{short(doc.title, 70)}” do folderu {doc.folder}"
        return f"Zmieniono adres strony „{short(doc.title, 70)}”"

    def op_delete(self, op: Op, unit: Unit, when: dt.datetime, changes: list[Change]) -> str | None:
        docs = self.movable(unit, ("ogloszenie", "strona", "nabor")) or self.movable(unit)
        if len(docs) < 2:
            return None
        doc = self.rng.choice(docs)
        del unit.docs[doc.path]
        changes.append(("D", f"content/{unit.id}/{doc.path}", None))
        for name, _, _ in doc.files:
            changes.append(("D", f"content/{unit.id}/{doc.file_path(name)}", None))
        if doc.type == "ogloszenie":
            return "Usunięto nieaktualne ogłoszenie"
        if doc.type == "nabor":
            return f"Usunięto nieaktualne ogłoszenie o naborze na stanowisko {doc.own['position']}"
        if doc.type == "strona":
            return f"Usunięto nieaktualną stronę „{short(doc.title, 70)}”"
        return f"Usunięto zdublowany dokument: {short(doc.title, 80)}"

    def op_draft(self, op: Op, unit: Unit, when: dt.datetime, changes: list[Change]) -> str | None:
        day = when.date()
        doc = self.new_doc(unit, self.recent(day), False, day, ("ogloszenie", "news", "zarzadzenie"))
        if doc is None:
            return None
        doc.common.pop("published", None)
        doc.common["draft"] = True
        doc.pending = True
        op.draft = doc
        self.put(unit, doc, changes)
        return f"Przygotowano {doc.label} (szkic, nieopublikowany)"

    def op_publish(self, op: Op, unit: Unit, when: dt.datetime, changes: list[Change]) -> str | None:
        doc = op.source.draft if op.source else None
        if doc is None or unit.docs.get(doc.path) is not doc:
            return None
        doc.common.pop("draft", None)
        doc.common["published"] = when.date().isoformat()
        doc.pending = False
        self.update(unit, doc, changes)
        return f"Opublikowano {doc.label}"

    def embargoed(self, unit: Unit, when: dt.datetime, publish_at: str, changes: list[Change]) -> Doc | None:
        day = when.date()
        doc = self.new_doc(unit, self.recent(day), False, day, ("ogloszenie", "news"))
        if doc is None:
            return None
        doc.common.pop("published", None)
        doc.common["publish_at"] = publish_at
        self.put(unit, doc, changes)
        return doc

    def op_embargo(self, op: Op, unit: Unit, when: dt.datetime, changes: list[Change]) -> str | None:
        start = when.date() + dt.timedelta(days=self.rng.randint(1, 10))
        doc = self.embargoed(unit, when, self.deadline(start, "08:00"), changes)
        if doc is None:
            return None
        return f"Dodano {doc.label} – publikacja od {start.strftime('%d.%m.%Y')} (embargo)"

    def op_embargo_future(self, op: Op, unit: Unit, when: dt.datetime, changes: list[Change]) -> str | None:
        doc = self.embargoed(unit, when, FUTURE_EMBARGO, changes)
        if doc is None:
            return None
        doc.pending = True  # stays embargoed: never edited, moved or deleted
        return f"Przygotowano {doc.label} – publikacja wstrzymana do odwołania (embargo)"

    def op_attachment(self, op: Op, unit: Unit, when: dt.datetime, changes: list[Change]) -> str | None:
        rng, day = self.rng, when.date()
        docs = [d for d in self.movable(unit) if d.files]
        if not docs:
            return None
        doc = rng.choice(docs)
        roll = rng.random()
        if roll < 0.4:
            entry = rng.choice(doc.files)
            entry[2] = pdf(entry[1], [unit.name, f"Wersja z dnia {polish_date(day)}"])
            changes.append(("M", f"content/{unit.id}/{doc.file_path(entry[0])}", entry[2]))
            return f"Zaktualizowano załącznik „{short(entry[1], 70)}”"
        if roll < 0.6 and len(doc.files) >= 2:
            name, title, _ = doc.files.pop()
            changes.append(("D", f"content/{unit.id}/{doc.file_path(name)}", None))
            self.update(unit, doc, changes)
            return f"Usunięto nieaktualny załącznik „{short(title, 60)}” ze strony „{short(doc.title, 60)}”"
        self.attach(unit, doc, f"{doc.stem}-uzupelnienie.pdf", f"Uzupełnienie z dnia {polish_date(day)}",
                    [doc.title])
        self.update(unit, doc, changes)
        return f"Dodano załącznik do strony „{short(doc.title, 70)}”"

    def op_editor(self, op: Op, unit: Unit, when: dt.datetime, changes: list[Change]) -> str | None:
        day = when.date().isoformat()
        if self.rng.random() < 0.5:
            roles = EDITOR_ROLES_JST if unit.flavour == "jst" else EDITOR_ROLES_UNIT
            unit.editors.append(self.editor_entry(unit, roles))
            message = f"Dodano redaktora BIP: {unit.editors[-1][1].split(',')[0]}"
        else:
            unit.data["accessibility"]["updated"] = day
            unit.data["accessibility"]["reviewed"] = day
            message = "Aktualizacja deklaracji dostępności"
        changes.append(("M", f"content/{unit.id}/unit.yaml", self.unit_yaml_bytes(unit)))
        return message

    # -- the stream --------------------------------------------------------------------------
    def region_files(self) -> list[Change]:
        region = yaml_text({"name": REGION_NAME, "base_url": REGION_URL}).encode()
        return [("M", ".gitignore", GITIGNORE), ("M", "content/region.yaml", region)]

    def stream(self) -> Iterator[bytes]:
        ops = self.plan()
        for index, (op, (seconds, offset)) in enumerate(zip(ops, self.times(), strict=True)):
            local = dt.datetime.fromtimestamp(seconds + offset, dt.UTC).replace(tzinfo=None)
            message, changes = self.execute(op, local)
            if index == 0:
                changes = self.region_files() + changes
            name, email = self.author(op)
            ident = f"{name} <{email}> {seconds} +{offset // 3600:02d}00\n"
            text = (message + "\n").encode()
            parts = [b"commit refs/heads/main\n", f"author {ident}committer {ident}".encode(),
                     b"data %d\n" % len(text), text]
            for _, path, payload in changes:
                if payload is None:
                    del self.tree[path]
                    parts.append(f"D {path}\n".encode())
                else:
                    self.tree[path] = payload
                    parts.append(f"M 100644 inline {path}\ndata {len(payload)}\n".encode())
                    parts.append(payload)
                    parts.append(b"\n")
            parts.append(b"\n")
            if self.writer is not None:
                self.writer.queue.put([(path, payload) for _, path, payload in changes])
            self.commits_written += 1
            yield b"".join(parts)
        yield b"done\n"


def _git(out: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=out, env=_git_env(), check=True, capture_output=True)


def _git_env() -> dict[str, str]:
    return {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}


class TreeWriter(threading.Thread):
    """Writes each commit's files into the working tree while the next commits are generated.

    The writes are system calls that release the GIL, so they overlap with the generator (and with
    git on the other core); on a slow disk this hides most of the cost of 100,000 small files.
    """

    def __init__(self, out: Path):
        super().__init__(name="bip-demo-writer", daemon=True)
        self.out = str(out)
        self.queue: queue.Queue[list[tuple[str, bytes | None]] | None] = queue.Queue(maxsize=256)
        self.error: BaseException | None = None
        self.made: set[str] = set()

    def run(self) -> None:
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
        while (batch := self.queue.get()) is not None:
            if self.error is not None:
                continue
            try:
                for path, data in batch:
                    full = f"{self.out}/{path}"
                    if data is None:
                        os.unlink(full)
                        self.prune(path)
                        continue
                    folder = path.rpartition("/")[0]
                    if folder and folder not in self.made:
                        os.makedirs(f"{self.out}/{folder}", exist_ok=True)
                        self.made.add(folder)
                    handle = os.open(full, flags, 0o644)
                    try:
                        os.write(handle, data)
                    finally:
                        os.close(handle)
            except BaseException as exc:  # reported by close(), in the generating thread
                self.error = exc

    def prune(self, path: str) -> None:
        """Remove folders left empty by a deletion, as a checkout would not have them."""
        folder = path.rpartition("/")[0]
        while folder:
            try:
                os.rmdir(f"{self.out}/{folder}")
            except OSError:
                return
            self.made.discard(folder)
            folder = folder.rpartition("/")[0]

    def close(self) -> None:
        self.queue.put(None)
        self.join()
        if self.error is not None:
            raise self.error


def generate(out: Path, units: int, pages: int, commits: int | None = None, seed: int = 1) -> DemoSummary:
    """Write a new git repository at `out` with a demo region; FileExistsError if `out` is not empty.

    The history goes to `git fast-import` as one stream; the final tree is then written from memory
    and the index read from HEAD's tree (`read-tree` + `update-index --refresh`), so the working tree
    is clean (`git status` shows nothing) without a slow checkout.
    """
    started = time.perf_counter()
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(str(out))
    out.mkdir(parents=True, exist_ok=True)
    demo = Demo(out, units, pages, commits, seed)
    demo.plan_units()
    _git(out, "init", "-q", "-b", "main")
    _git(out, "config", "core.autocrlf", "false")
    command = ["git", "-c", "core.compression=1", "-c", "pack.compression=1", "fast-import", "--quiet", "--done"]
    with subprocess.Popen(command, cwd=out, env=_git_env(), stdin=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdin is not None and proc.stderr is not None
        writer = demo.writer = TreeWriter(out)
        writer.start()
        try:
            for chunk in demo.stream():
                proc.stdin.write(chunk)
        finally:
            proc.stdin.close()
            writer.close()
        error = proc.stderr.read()
        if proc.wait() != 0:
            raise RuntimeError(f"git fast-import failed: {error.decode(errors='replace')}")
    _git(out, "read-tree", "main")
    _git(out, "update-index", "-q", "--refresh")
    pages_now = sum(1 for path in demo.tree if path.endswith(".md"))
    files_now = sum(1 for path in demo.tree if path.startswith("content/") and not path.endswith((".md", ".yaml")))
    return DemoSummary(len(demo.units), pages_now, demo.commits_written, files_now,
                       round(time.perf_counter() - started, 2))


def run(args: argparse.Namespace) -> int:
    """`bip demo OUT --units N --pages P [--commits C] [--seed S]`; prints a one-line summary in Polish."""
    try:
        summary = generate(args.out, args.units, args.pages, args.commits, args.seed)
    except FileExistsError:
        print(f"bip: folder {args.out} istnieje i nie jest pusty; podaj nowy folder.", file=sys.stderr)
        return 2
    print(f"Utworzono korpus demonstracyjny w {args.out}: podmiotów {summary.units}, stron {summary.pages}, "
          f"załączników {summary.attachments}, commitów {summary.commits}; czas {summary.seconds:.1f} s.")
    return 0


__all__ = ["DemoSummary", "generate", "run", "pdf", "yaml_text"]
