"""Data of the generated legal pages: the deklaracja dostępności (of a unit and of the portal), the site map,
and the unit's ETR, PJM and machine-readable information. Plain values for the templates, no I/O."""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass, field
from typing import Any

from bip.model import Attachment
from bip.polish_dates import to_date

DEFAULT_ARCHITECTURE = ("Informacje o dostępności architektonicznej siedziby podmiotu można uzyskać pod numerem "
                        "telefonu podanym w danych kontaktowych.")

# The standard labels of the links to information about the unit's activity (art. 6 pkt 3 lit. a
# ustawy z 19 lipca 2019 r. o zapewnianiu dostępności osobom ze szczególnymi potrzebami)
LABEL_ETR = "Informacje o działalności w tekście łatwym do czytania (ETR)"
LABEL_PJM = "Informacje w polskim języku migowym (PJM)"
LABEL_TEXT = "Informacje w tekście odczytywalnym maszynowo"
PJM_URL = "informacje-pjm/"


def is_url(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://"))


def declaration(given: dict[str, Any], name: str, url: str, contact: dict[str, Any], first: dt.date,
                last: dt.date, email: str = "", epuap: str = "", report_url: str | None = None,
                attachments: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The deklaracja's values from `given` (unit.yaml or region.yaml `accessibility`), dates derived where it is
    silent: `first` (the earliest publication) and `last` (the latest change). `attachments`: the inaccessible
    attachments the audit found (UnitSite.inaccessible), listed beside what the editors wrote."""
    updated = to_date(given.get("updated")) or last
    status = given.get("status", "częściowo zgodna")
    if attachments and status == "zgodna":
        status = "częściowo zgodna"  # a site with inaccessible attachments is not fully compliant
    return {
        "name": name,
        "url": url,
        "status": status,
        "published": to_date(given.get("published")) or first,
        "updated": updated,
        "prepared": to_date(given.get("prepared")) or updated,
        "reviewed": to_date(given.get("reviewed")),
        "nonconformities": list(given.get("nonconformities") or []),
        "attachments": list(attachments or []),
        "exemptions": list(given.get("exemptions") or []),
        "burden_url": given.get("burden_url"),
        "alternative_access": given.get("alternative_access"),
        "assessment": given.get("assessment") or "samooceny przeprowadzonej przez podmiot publiczny",
        "facilities": given.get("facilities"),
        "contact": {"name": "", "email": "", "phone": "", **contact, **(given.get("contact") or {})},
        "coordinator": given.get("coordinator"),
        "report": report_url if report_url is not None else (given.get("report") if is_url(given.get("report")) else None),
        "architecture": given.get("architecture") or DEFAULT_ARCHITECTURE,
        "architecture_url": given.get("architecture_url"),
        "communication": given.get("communication"),
        "apps": given.get("apps"),
        "email": email,
        "epuap": epuap,
    }


def file_of(files: list[Attachment], unit_source: str, relative: Any) -> Attachment | None:
    """The unit's published file at `relative` (a path in unit.yaml, relative to the unit's folder)."""
    if not isinstance(relative, str) or is_url(relative):
        return None
    wanted = unit_source + "/" + posixpath.normpath(relative)
    return next((f for f in files if f.source == wanted), None)


@dataclass
class Node:
    """One entry of the site map: a section (with its subsections and documents) or a document."""

    url: str
    title: str
    label: str = ""  # the document's type, for documents other than plain pages
    children: list[Node] = field(default_factory=list)
