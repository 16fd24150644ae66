"""Metryczka of a page: front matter where given, else dates and editors from its public versions."""

from __future__ import annotations

import datetime as dt

from bip.doctypes import DOCTYPES
from bip.model import Metryczka, Page, Unit, Version
from bip.problems import Problems


def editor_name(unit: Unit, version: Version, problems: Problems | None = None) -> str:
    """The editor's name as the unit's `editors` maps it; the raw git name (never the e-mail) otherwise."""
    editors = unit.data.get("editors") or {}
    mapped = editors.get(version.author_email) if isinstance(editors, dict) else None
    if isinstance(mapped, dict):  # the long form (bip.policy): {name, keys, forge}
        mapped = mapped.get("name")
    if mapped:
        return str(mapped)
    if problems is not None:
        problems.warning(
            unit.source + "/unit.yaml", unit.lines.get("editors", 1), "editors",
            f"Autor zmian ({version.author_email}, np. commit {version.commit[:10]}) nie ma wpisu w „editors”; "
            f"w rejestrze zmian pokazano nazwę z gita: „{version.author_name}”.",
            f"Dopisz w unit.yaml pod „editors:” (wiersz {unit.lines['editors']}) wiersz „  {version.author_email}: "
            f"\"Imię Nazwisko, stanowisko\"” (wcięty dwiema spacjami)." if "editors" in unit.lines else
            f"Dopisz w unit.yaml pole editors, a pod nim wiersz „  {version.author_email}: "
            f"\"Imię Nazwisko, stanowisko\"”.",
        )
    return version.author_name or "—"


def metryczka(
    unit: Unit,
    page: Page,
    published_at: dt.datetime | None,
    changed_at: dt.datetime | None,
    entered_by: str | None,
    history_url: str,
) -> Metryczka:
    meta = page.meta
    published = meta.get("published") or (published_at.date() if published_at else None)
    return Metryczka(
        unit_name=unit.name,
        author=str(meta.get("author") or unit.data.get("head") or unit.name),
        entered_by=str(meta.get("entered_by") or entered_by or "—"),
        created=created_date(page, published),
        published=published,
        changed=changed_at,
        history_url=history_url,
    )


def created_date(page: Page, published: dt.date | None) -> dt.date | None:
    """Data wytworzenia: `created`; else the type's own date of the act (an act is made when adopted); a plain
    page written in the BIP is made when it is first published; other documents have none (a warning says so)."""
    given = page.meta.get("created")
    if isinstance(given, dt.date):
        return given
    doctype = DOCTYPES.get(page.type, DOCTYPES["strona"])
    own = page.meta.get(doctype.produced) if doctype.produced else None
    if isinstance(own, dt.date):
        return own.date() if isinstance(own, dt.datetime) else own
    return published if doctype.name == "strona" else None
