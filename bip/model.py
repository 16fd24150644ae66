"""The plain data of a region: units, pages, attachments, versions. No I/O here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

REDACTIONS = "redactions.yaml"  # a unit's withdrawal register (bip.registry.redactions)
UNIT_DATA = ("unit.yaml", REDACTIONS)  # files of a unit's folder that are its data, never published


@dataclass
class Attachment:
    file: str  # as written in front matter, relative to the page
    title: str
    source: str  # path relative to the project root (content/<unit>/...)
    url: str  # unit-relative output path, e.g. "uchwaly/zalacznik-1.pdf"
    size: int = 0


@dataclass
class Version:
    """One change of one file in git history (content/ paths relative to the project root)."""

    commit: str
    author_name: str
    author_email: str
    date: dt.datetime  # timezone-aware commit date
    message: str
    change: str  # "A" added, "M" modified, "R" renamed, "D" deleted
    path: str  # path after the change
    old_path: str = ""  # for renames: path before
    blob: str = ""  # blob id of the new content ("" for deletions)


@dataclass
class Metryczka:
    """The legally required metadata block of an information page."""

    unit_name: str  # the body that publishes it (podmiot udostępniający)
    author: str  # who produced it (wytworzył)
    entered_by: str  # who entered it (wprowadził)
    created: dt.date | None  # data wytworzenia
    published: dt.date | None  # data udostępnienia
    changed: dt.datetime | dt.date | None  # data ostatniej zmiany
    history_url: str  # unit-relative URL of the page's change history


@dataclass
class Page:
    unit_id: str
    source: str  # path relative to the project root, e.g. "content/gmina-x/uchwaly/u1.md"
    url: str  # unit-relative URL, "" for the unit home, "uchwaly/u1/" otherwise
    section: str  # first path segment of url ("" for the home page)
    is_section_index: bool  # a folder's index.md
    title: str
    type: str
    meta: dict[str, Any]  # validated front matter (dates as datetime.date)
    lines: dict[str, int]  # front matter key → line in the source file
    body: str  # Markdown
    body_line: int  # line where the body starts
    attachments: list[Attachment] = field(default_factory=list)
    draft: bool = False
    publish_at: dt.datetime | None = None
    content_hash: str = ""
    metryczka: Metryczka | None = None

    @property
    def sort_date(self) -> dt.date | None:
        for key in ("adopted", "date", "submitted", "created", "published"):
            value = self.meta.get(key)
            if isinstance(value, dt.date):
                return value
        return None


@dataclass
class Unit:
    id: str
    source: str  # "content/<id>"
    name: str
    kind: str
    data: dict[str, Any]  # the validated unit.yaml
    lines: dict[str, int]  # top-level key → line
    parent: str | None = None
    theme: str = "default"
    pages: list[Page] = field(default_factory=list)
    static_files: list[Attachment] = field(default_factory=list)
    pages_loaded: bool = True  # False when only unit.yaml was read (a build of other units)
    key_lines: dict[tuple[str | int, ...], int] = field(default_factory=dict)  # every key path → line

    def page(self, url: str) -> Page | None:
        for page in self.pages:
            if page.url == url:
                return page
        return None


@dataclass
class Region:
    name: str
    base_url: str
    theme: str
    data: dict[str, Any]
    units: dict[str, Unit] = field(default_factory=dict)
    key_lines: dict[tuple[str | int, ...], int] = field(default_factory=dict)
    # unit folders that could not be read as a unit (a bad folder name, unit.yaml missing or unreadable):
    # never built, their pages still loaded and checked; keyed by folder name
    refused: dict[str, Unit] = field(default_factory=dict)

    def unit(self, unit_id: str) -> Unit:
        """A unit, or the refused folder of that name."""
        return self.units.get(unit_id) or self.refused[unit_id]


def portal_path(region: Region) -> str:
    """The portal's path on its web server (that of the region's base_url), ending in '/': what a page shown at
    any address (a 404 page) links from."""
    return urlsplit(region.base_url).path.rstrip("/") + "/"


def unit_base_url(region: Region, unit: Unit) -> str:
    """The public address of a unit's site, ending in '/': its own `base_url`, else under the region's."""
    return str(unit.data.get("base_url") or f"{region.base_url}/{unit.id}").rstrip("/") + "/"
