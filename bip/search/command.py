"""`bip search "query" [--unit ID]`: query the prebuilt index from the shell (Polish output or JSON).

Indexes live in `<project>/.bip-cache/search/<unit_id>/`; without --unit all of them are searched as one.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import asdict
from pathlib import Path

from bip.doctypes import DOCTYPES
from bip.search.index import SearchResult, search

EXIT_OK = 0
EXIT_USAGE = 2
_MARK_RE = re.compile(r"</?mark>")


def _plural(n: int) -> str:
    if n == 1:
        return "wynik"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "wyniki"
    return "wyników"


def _plain(snippet_html: str) -> str:
    """The snippet for a terminal: matches between asterisks, entities decoded."""
    return html.unescape(_MARK_RE.sub("*", snippet_html))


def _indexes(index_root: Path, unit: str | None) -> list[Path] | str:
    """The index folders to search (as one), or the reason there are none."""
    if unit is not None:
        folder = index_root / unit
        if not folder.is_dir():
            return f"brak indeksu wyszukiwania jednostki „{unit}” w {folder}. Uruchom „bip build --unit {unit}”."
        return [folder]
    # The region's index is every unit's index read as one.
    units = []
    if index_root.is_dir():
        units = sorted(p for p in index_root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    if not units:
        return f"brak indeksu wyszukiwania w {index_root}. Uruchom najpierw „bip build”."
    return units


def run(
    index_root: Path,
    query: str,
    unit: str | None,
    type: str | None,
    json_out: bool,
    year: int | None = None,
    limit: int = 20,
) -> tuple[int, str]:
    """Exit code and text to print for `bip search`."""
    query = query.strip()
    if not query and not type and year is None:
        return EXIT_USAGE, "Błąd: podaj szukane słowa, np. bip search \"uchwała budżetowa 2024\"."
    if type is not None and type not in DOCTYPES:
        known = ", ".join(sorted(DOCTYPES))
        return EXIT_USAGE, f"Błąd: nieznany rodzaj dokumentu „{type}”. Dostępne rodzaje: {known}."
    folders = _indexes(Path(index_root), unit)
    if isinstance(folders, str):
        return EXIT_USAGE, f"Błąd: {folders}"
    try:
        results: list[SearchResult] = search(folders, query, type=type, year=year, limit=limit)
    except FileNotFoundError as exc:
        return EXIT_USAGE, f"Błąd: {exc.filename or index_root} nie zawiera indeksu wyszukiwania. Uruchom ponownie „bip build”."
    if json_out:
        data = {
            "query": query,
            "unit": unit,
            "type": type,
            "year": year,
            "count": len(results),
            "results": [asdict(r) for r in results],
        }
        return EXIT_OK, json.dumps(data, ensure_ascii=False, indent=2)
    return EXIT_OK, _text(query, type, year, results)


def _text(query: str, type: str | None, year: int | None, results: list[SearchResult]) -> str:
    where = []
    if type:
        where.append(f"rodzaj: {DOCTYPES[type].label}")
    if year is not None:
        where.append(f"rok: {year}")
    what = " ".join(([f"dla „{query}”"] if query else []) + ([f"({', '.join(where)})"] if where else []))
    if not results:
        return f"Brak wyników {what}.\n"
    lines = [f"Znaleziono {len(results)} {_plural(len(results))} {what}:", ""]
    for number, result in enumerate(results, 1):
        details = [result.type_label or result.type]
        details += [value for value in (result.date, result.number, result.unit_name) if value]
        lines.append(f"{number}. {result.title}")
        lines.append(f"   {' · '.join(details)}")
        lines.append(f"   {result.url}")
        if result.snippet_html:
            lines.append(f"   {_plain(result.snippet_html)}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
