"""Metryczka of a page from its front matter and its git versions (front matter wins where given)."""

from __future__ import annotations

import datetime as dt

from bip.model import Metryczka, Page, Unit, Version
from bip.problems import Problems


def editor_name(unit: Unit, version: Version, problems: Problems | None = None) -> str:
    """The editor's name as the unit's `editors` maps it; the raw git name (never the e-mail) otherwise."""
    editors = unit.data.get("editors") or {}
    mapped = editors.get(version.author_email) if isinstance(editors, dict) else None
    if mapped:
        return str(mapped)
    if problems is not None:
        problems.warning(
            unit.source + "/unit.yaml", unit.lines.get("editors", 1), "editors",
            f"Autor zmiany {version.commit[:10]} ({version.author_email}) nie ma wpisu w „editors”; "
            f"w rejestrze zmian pokazano nazwę z gita: „{version.author_name}”.",
            f"Dopisz w unit.yaml: editors: {{\"{version.author_email}\": \"Imię Nazwisko, stanowisko\"}}.",
        )
    return version.author_name or "—"


def metryczka(
    unit: Unit,
    page: Page,
    versions: list[Version],
    published_version: Version | None,
    history_url: str,
    problems: Problems | None = None,
) -> Metryczka:
    """versions: the page's own versions, oldest first; published_version: the one that first made it public."""
    meta = page.meta
    first = published_version or (versions[0] if versions else None)
    published: dt.date | None = meta.get("published")
    if published is None and first is not None:
        published = first.date.date()
        if page.publish_at is not None and page.publish_at.date() > published:
            published = page.publish_at.date()
    changed: dt.datetime | None = None
    later = [v for v in versions if first is not None and v.date > first.date and v.change != "D"]
    if later:
        changed = later[-1].date
    entered_by = meta.get("entered_by")
    if not entered_by:
        entered_by = editor_name(unit, first, problems) if first else "—"
    author = meta.get("author") or unit.data.get("head") or unit.name
    return Metryczka(
        unit_name=unit.name,
        author=str(author),
        entered_by=str(entered_by),
        created=meta.get("created"),
        published=published,
        changed=changed,
        history_url=history_url,
    )
