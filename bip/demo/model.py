"""The corpus while it is generated: units, sections, documents, and the fixed facts of the region."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from bip.demo.files import front_matter, yaml_text

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
