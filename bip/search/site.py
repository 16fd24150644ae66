"""The index step of a build: a unit's (or the region's) documents → search page, static index, whoosh index."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from bip.doctypes import DOCTYPES
from bip.model import Page
from bip.search.command import spoken_date
from bip.search.index import SearchDoc, build_index, index_stamp, year_of
from bip.search.portal import RANGES, join, read_meta
from bip.search.static import UnitIndex

_ATTACHMENT_KEYS = ("attachment", "page_title")  # SearchDoc's fields only an attachment's document sets
DOCUMENTS = "szukaj/dokumenty.json"  # each unit's document list: open data, and the input of the region index
# (its urls relative to the unit's root: the same list is right at the unit's own domain and under the portal)


def page_doc(unit_id: str, unit_name: str, page: Page, text: str) -> SearchDoc:
    doctype = DOCTYPES.get(page.type, DOCTYPES["strona"])
    number = page.meta.get("number") or page.meta.get("reference") or ""
    date = page.sort_date or (page.metryczka.published if page.metryczka else None)
    if isinstance(date, dt.datetime):
        date = date.date()
    return SearchDoc(
        unit_id=unit_id, unit_name=unit_name, url=f"{unit_id}/{page.url}", title=page.title, type=page.type,
        type_label=doctype.label, number=str(number), date=date.isoformat() if isinstance(date, dt.date) else "",
        text=text,
    )


def documents_json(docs: list[SearchDoc]) -> bytes:
    """The documents as `json.dumps(rows, ensure_ascii=False, indent=0, sort_keys=True)` writes them (one
    key per line), made through json's C encoder: with an indent, json encodes in Python, ten times slower."""
    if not docs:
        return b"[]\n"
    # an attachment's own keys only where they are set: a page's row stays as it was
    rows = [json.dumps({**{k: v for k, v in doc.__dict__.items() if v or k not in _ATTACHMENT_KEYS},
                        "url": doc.unit_url}, ensure_ascii=False, sort_keys=True, separators=(",\n", ": "))
            for doc in sorted(docs, key=lambda d: d.url)]
    # every value is a string (a newline in one is written "\\n"): a row is "{" key: value,\n ... "}"
    return ("[\n" + ",\n".join("{\n" + row[1:-1] + "\n}" for row in rows) + "\n]\n").encode("utf-8")


def read_documents(folder: Path) -> list[SearchDoc]:
    try:
        rows = json.loads((folder / DOCUMENTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [SearchDoc(**{**row, "url": f"{row.get('unit_id')}/{row.get('url')}"}) for row in rows if isinstance(row, dict)]


def page_context(docs: Iterable[SearchDoc], to_root: str) -> dict[str, Any]:
    """What the search page template needs: the typed document list (works without JavaScript) and filters.
    `to_root`: the way from the search page to the unit's root."""
    groups: dict[str, list[SearchDoc]] = {}
    for doc in docs:
        if doc.attachment:
            continue  # listed on its page; the list names the documents themselves
        groups.setdefault(doc.type, []).append(doc)
    order = sorted(groups, key=lambda t: (t == "strona", DOCTYPES[t].plural))
    for name in order:
        groups[name].sort(key=lambda d: (d.title, d.url))
        groups[name].sort(key=lambda d: d.date, reverse=True)  # newest first; undated last, by title
    years = sorted({year_of(d.date) for docs_ in groups.values() for d in docs_ if year_of(d.date)}, reverse=True)
    return {
        "search_groups": [(DOCTYPES[name], groups[name]) for name in order],
        "search_types": [DOCTYPES[name] for name in order],
        "search_years": years,
        "search_root": to_root,
        "doc_link": lambda doc: to_root + doc.unit_url,
        "doc_date": spoken_date,
    }


def index_files(docs: list[SearchDoc], static: UnitIndex) -> Iterator[tuple[str, bytes]]:
    """A unit's static index (`static`, of `docs`) and its document list."""
    for name, data in sorted(static.files.items()):
        yield f"szukaj/indeks/{name}", data
    yield DOCUMENTS, documents_json(docs)


def portal_index(
    site: Path, units: list[tuple[str, str, str]], cache: Path | None, previous: tuple[Path, str] | None = None,
    key: str = "",
) -> tuple[dict[str, Any], dict[str, bytes | Path]]:
    """The portal's search: its page context and index files, joined from the published indexes of
    `units` (id, name, fingerprint) in the tree `site` (of the site key `key`); files with the same bytes
    as in `previous` (the live tree and its key) are given as those files' paths.

    Without JavaScript the page lists the units, each linking to its own complete document list: a
    list of every document of a region (tens of thousands of links) would be a page nobody can use.
    """
    files = join(((unit, name, site / unit / "szukaj" / "indeks", f"../../{unit}/szukaj/indeks/", fingerprint)
                  for unit, name, fingerprint in units), cache,
                 (previous[0] / "szukaj" / "indeks", previous[1]) if previous else None, key)
    meta = json.loads(files["meta.json"])  # type: ignore[arg-type]
    # the units' lists without JavaScript name their pages: so do their counts (attachments left out)
    attached = {unit: (read_meta(site / unit / "szukaj" / "indeks") or {}).get("attachments", 0) for unit, _, _ in units}
    types = [DOCTYPES[name] for name, _ in meta["types"] if name in DOCTYPES]
    years = sorted({year for _, year, _, _ in json.loads(files[RANGES]) if year}, reverse=True)  # type: ignore[arg-type]
    context = {
        "search_units": sorted(((unit_id, name, entry[1] - attached.get(unit_id, 0)) for (unit_id, name), entry in
                                zip(meta["units"], meta["sites"], strict=True)), key=lambda row: (row[1], row[0])),
        "search_types": sorted(types, key=lambda t: (t.name == "strona", t.plural)),
        "search_years": years,
        "search_root": "../",
    }
    return context, {f"szukaj/indeks/{name}": data for name, data in sorted(files.items())}


def refresh_whoosh(site_unit: Path, folder: Path, stamp: str) -> None:
    """Make a unit's whoosh index (`bip search`'s, kept in .bip-cache, never published) from its published
    document list, stamped with the unit's fingerprint, unless it holds that fingerprint already."""
    if index_stamp(folder) != stamp:
        build_index(read_documents(site_unit), folder, stamp)
