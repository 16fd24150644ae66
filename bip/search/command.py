"""`bip search "query" [--unit ID] [--type T] [--year R]`: query the units' indexes from the shell (Polish text or JSON).

Indexes live in `<project>/.bip-cache/search/<unit_id>/` (made from what `bip build` published, see
shell_index.py); without --unit all of them are searched as one. Results are listed as the site's search page lists them: title, then kind · date (in Polish) ·
number (· unit, when several units are searched), the address, the matching passage.
"""

from __future__ import annotations

import datetime as dt
import difflib
import html
import json
import re
from dataclasses import asdict
from pathlib import Path

from babel.dates import format_date
from slugify import slugify

from bip.doctypes import DOCTYPES, type_name
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


def spoken_date(iso: str) -> str:
    """"16 grudnia 2024" for "2024-12-16", as search.js shows it; anything else as it is."""
    try:
        return format_date(dt.date.fromisoformat(iso), "d MMMM y", locale="pl") if len(iso) == 10 else iso
    except ValueError:
        return iso


def _plain(snippet_html: str) -> str:
    """The snippet for a terminal: matches between asterisks, entities decoded."""
    return html.unescape(_MARK_RE.sub("*", snippet_html))


def public_bases(root: Path) -> dict[str, str]:
    """Unit id → the public address of its site (ending in '/'), from region.yaml and each unit's base_url."""
    from bip.load.text import read_text
    from bip.load.yamlfile import YamlDoc, parse_yaml

    def data(path: Path) -> dict:
        text = read_text(path) if path.is_file() else None
        doc = parse_yaml(text) if isinstance(text, str) else None
        return doc.data if isinstance(doc, YamlDoc) and isinstance(doc.data, dict) else {}

    region = str(data(root / "content" / "region.yaml").get("base_url") or "").rstrip("/")
    bases = {}
    folders = sorted((root / "content").iterdir()) if (root / "content").is_dir() else []
    for folder in folders:
        if folder.is_dir():
            own = data(folder / "unit.yaml").get("base_url")
            bases[folder.name] = (str(own) if own else f"{region}/{folder.name}").rstrip("/") + "/"
    return bases


def _indexes(index_root: Path, unit: str | None) -> list[Path] | str:
    """The index folders to search (as one), or the reason there are none."""
    if unit is not None:
        folder = index_root / unit
        if not folder.is_dir():
            return f"Podmiot „{unit}” nie ma jeszcze indeksu wyszukiwania. Zbuduj go najpierw: bip build --unit {unit}"
        return [folder]
    # The region's index is every unit's index read as one.
    units = []
    if index_root.is_dir():
        units = sorted(p for p in index_root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    if not units:
        return "Nie ma jeszcze indeksu wyszukiwania: zapisuje go budowa serwisu. Uruchom najpierw: bip build"
    return units


def run(
    index_root: Path,
    query: str,
    unit: str | None,
    type: str | None,
    json_out: bool,
    year: int | None = None,
    limit: int = 20,
    bases: dict[str, str] | None = None,
) -> tuple[int, str]:
    """Exit code and text to print for `bip search`; `bases` (unit id → public address) gives full addresses."""
    query = query.strip()
    if not query and not type and year is None:
        return EXIT_USAGE, 'Podaj szukane słowa, np. bip search "uchwała budżetowa 2024".'
    if type is not None:
        known = sorted(DOCTYPES)
        found = type_name(type)
        if found is None:
            close = difflib.get_close_matches(slugify(type, lowercase=True), known, n=1)
            hint = f" Czy chodziło o „{close[0]}”?" if close else ""
            return EXIT_USAGE, f"Nieznany rodzaj dokumentu „{type}”. Dostępne rodzaje: {', '.join(known)}.{hint}"
        type = found
    folders = _indexes(Path(index_root), unit)
    if isinstance(folders, str):
        return EXIT_USAGE, folders
    try:
        results: list[SearchResult] = search(folders, query, type=type, year=year, limit=limit)
    except FileNotFoundError as exc:
        return EXIT_USAGE, (f"{exc.filename or index_root} nie zawiera indeksu wyszukiwania. "
                            "Zbuduj serwis ponownie: bip build")
    addresses = [_address(r, bases) for r in results]
    if json_out:
        data = {
            "query": query,
            "unit": unit,
            "type": type,
            "year": year,
            "count": len(results),
            "results": [{**asdict(r), "address": a} for r, a in zip(results, addresses, strict=True)],
        }
        return EXIT_OK, json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return EXIT_OK, _text(query, type, year, results, addresses, several=unit is None and len(folders) > 1)


def _address(result: SearchResult, bases: dict[str, str] | None) -> str:
    """The public address of a result (its site-relative url when the unit's address is not known)."""
    base = (bases or {}).get(result.unit_id)
    prefix = result.unit_id + "/"
    if base is None:
        return result.url
    return base + (result.url[len(prefix):] if result.url.startswith(prefix) else result.url)


def _text(query: str, type: str | None, year: int | None, results: list[SearchResult], addresses: list[str],
          several: bool = True) -> str:
    where = []
    if type:
        where.append(f"rodzaj: {DOCTYPES[type].label}")
    if year is not None:
        where.append(f"rok: {year}")
    what = " ".join(([f"dla „{query}”"] if query else []) + ([f"({', '.join(where)})"] if where else []))
    if not results:
        return f"Brak wyników {what}.\n"
    lines = [f"Znaleziono {len(results)} {_plural(len(results))} {what}:", ""]
    for number, (result, address) in enumerate(zip(results, addresses, strict=True), 1):
        details = [result.type_label or result.type]
        details += [value for value in (spoken_date(result.date), result.number) if value]
        if several and result.unit_name:
            details.append(result.unit_name)
        lines.append(f"{number}. {result.title}")
        lines.append(f"   {' · '.join(details)}")
        lines.append(f"   {address}")
        if result.snippet_html:
            lines.append(f"   {_plain(result.snippet_html)}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
