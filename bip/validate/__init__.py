"""Validate step: check the loaded model against SPEC §2 and convert values to their types.

Structure comes from the shipped JSON Schemas (schema_check); this module adds what a schema
cannot say: real references between units, attachments on disk, URL collisions, dates as values.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bip import fault
from bip.attachments.check import Extractions, attachment_warnings, read_attachments
from bip.attachments.ocr import region_wants_ocr, tesseract_version
from bip.doctypes import COMMON, DOCTYPES, fields_of
from bip.doctypes.schema import DATETIME_PATTERN
from bip.doctypes.typed import apply_types, typed_date, typed_datetime
from bip.fault import at
from bip.load.paths import alias_problem, attachment_problem, file_url, is_valid_unit_id, join_url
from bip.model import Attachment, Page, Region, Unit
from bip.problems import Problems
from bip.validate import legal
from bip.validate.personal import check_personal_data
from bip.validate.personal_files import check_attachments
from bip.validate.placeholders import check_body
from bip.validate.schema_check import check, suggest
from bip.validate.unused_files import drop_orphans

# URLs the generator writes in every unit; pages may not take them.
RESERVED = {"rejestr-zmian", "szukaj", "redakcja", "deklaracja-dostepnosci", "archiwum", "static", "404.html",
            "sitemap.xml", "feed.xml", "wersje", "klauzula-informacyjna-rodo", "mapa-serwisu", "informacje-pjm"}
# Segments once used for a page's versions and diffs in the registry; still kept from page addresses.
RESERVED_ANYWHERE = {"wersje", "zmiany"}
# Generated pages a unit may replace with its own page at the same URL.
OVERRIDABLE = {"instrukcja", "informacje-nieudostepnione"}


def validate_region(root: Path, region: Region, problems: Problems, now: dt.datetime, pages: bool = True) -> None:
    """region.yaml and every unit.yaml; with `pages`, also the pages loaded (else see validate_pages)."""
    check("region", region.data, region.key_lines, "content/region.yaml", problems)
    legal.check_region(region, problems, now)
    _check_ocr(region, problems)
    if isinstance(region.data.get("accessibility"), dict):
        region.data["accessibility"] = _dates_to_values(region.data["accessibility"], legal.DATES)
    for unit_id in sorted(region.units):
        fault.reset()
        try:
            validate_unit(root, region, region.units[unit_id], problems, now, pages)
        except BaseException as exc:  # the unit is the fault boundary, in this step too
            if fault.fatal(exc):
                raise
            problems.add(fault.unit_failure(region.units[unit_id].source, exc, step="sprawdzanie"))
    if pages:
        for unit_id in sorted(region.refused):  # never built, but an editor sees every mistake at once
            validate_pages(root, region.refused[unit_id], problems, now)


def validate_unit(
    root: Path, region: Region, unit: Unit, problems: Problems, now: dt.datetime, pages: bool = True
) -> None:
    source = unit.source + "/unit.yaml"
    check("unit", unit.data, unit.key_lines, source, problems)
    if unit.parent is not None:
        _check_parent(root, region, unit, source, problems)
    legal.check_unit(unit, problems, now)
    if isinstance(unit.data.get("accessibility"), dict):
        unit.data["accessibility"] = _dates_to_values(unit.data["accessibility"], legal.DATES)
    if pages:
        validate_pages(root, unit, problems, now)


def validate_pages(root: Path, unit: Unit, problems: Problems, now: dt.datetime) -> Extractions:
    """The unit's pages and files: front matter, attachments, and that no two of them claim one URL. Returns
    what its attachments' extraction gave, for the render step (labels, search, the deklaracja)."""
    urls: dict[str, str] = {}
    real = _real_dirs(root, unit)  # resolved once for every attachment of the unit
    for page in unit.pages:
        with at(page.source):
            validate_page(root, unit, page, problems, now, real)
    extractions = read_attachments(root, unit.pages, unit.id)  # cache first; a worker process reads the rest
    audited = attachment_warnings(unit.pages, extractions)  # accessibility audit (bip.attachments.audit)
    problems.extend(audited)
    legal.check_unit_status(unit, problems, listed=bool(audited))  # what the deklaracja lists by itself counts
    check_attachments(root, unit.pages, problems, extractions)  # personal data in their text
    drop_orphans(unit, problems)  # a file no page lists or links is not published
    for page in sorted(unit.pages, key=lambda p: p.source):
        _claim(urls, page.url or "index.html", page.source, problems, page.url)
    for static in unit.static_files:
        _claim(urls, static.url, static.source, problems, static.url)
    return extractions


def _check_ocr(region: Region, problems: Problems) -> None:
    """Recognition asked for in region.yaml where it cannot run: the scans stay without text, say so."""
    if region_wants_ocr(region.data) and tesseract_version() is None:
        line = region.key_lines.get(("attachments", "ocr"), region.key_lines.get(("attachments",), 1))
        problems.warning(
            "content/region.yaml", line, "attachments.ocr",
            "Rozpoznawanie tekstu skanów (OCR) jest włączone, ale na tym komputerze nie ma programu tesseract "
            "z danymi języka polskiego: skany zostaną bez tekstu, a wyszukiwarka ich nie znajdzie.",
            "Zainstaluj pakiety tesseract-ocr i tesseract-ocr-pol (Debian, Ubuntu) albo usuń ustawienie ocr.",
        )


def _check_parent(root: Path, region: Region, unit: Unit, source: str, problems: Problems) -> None:
    line = unit.lines.get("parent", 1)
    if not isinstance(unit.data.get("parent"), str) or not is_valid_unit_id(unit.data["parent"]):
        return  # the schema already reported the malformed value
    if unit.parent == unit.id:
        problems.error(source, line, "parent", "Podmiot nie może być sam dla siebie nadrzędny.", "Usuń pole parent.")
        return
    if unit.parent in region.refused:
        return  # the parent's own errors are reported; the portal shows it as last published
    if unit.parent not in region.units and not (root / "content" / str(unit.parent) / "unit.yaml").is_file():
        hint = suggest(str(unit.parent), sorted(region.units))
        problems.error(
            source, line, "parent", f"Nie ma podmiotu „{unit.parent}” wskazanego jako nadrzędny.",
            hint or "Wpisz identyfikator (nazwę folderu) istniejącego podmiotu.",
        )
        return
    seen = {unit.id}
    current = region.units.get(str(unit.parent))
    while current is not None and current.parent:
        if current.parent in seen:
            problems.error(source, line, "parent", "Podmioty nadrzędne tworzą cykl.", "Popraw pole parent.")
            return
        seen.add(current.id)
        current = region.units.get(current.parent)


def _check_limits(page: Page, problems: Problems) -> None:
    """A body beyond the limits of bounded rendering (nesting, block length, work) is a located error."""
    from bip.render.markdown import body_problem  # the render step's libraries: only where pages are checked

    refused = body_problem(page.body)
    if refused is not None:
        problems.error(page.source, page.body_line + refused.line - 1, "", refused.message, refused.hint)


def _claim(urls: dict[str, str], url: str, source: str, problems: Problems, display: str) -> None:
    top = url.split("/", 1)[0]
    if top in RESERVED or RESERVED_ANYWHERE & set(url.split("/")):
        problems.error(
            source, 1, "", f"Adres „{display}” jest zarezerwowany dla strony tworzonej automatycznie.",
            "Zmień nazwę pliku lub folderu.",
        )
    other = urls.get(url)
    if other is not None:
        problems.error(
            source, 1, "",
            f"Ten plik i „{other}” dają ten sam adres „{display or '/'}”.",
            "Zmień nazwę jednego z plików (adres powstaje z nazwy bez polskich znaków i spacji).",
        )
    else:
        urls[url] = source


def _dates_to_values(data: dict[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    out = dict(data)
    for key in keys:
        if key in out:
            out[key] = typed_date(out[key]) or out[key]
    return out


RealDirs = tuple[str, str, dict[str, str]]


def _real_dirs(root: Path, unit: Unit) -> RealDirs:
    """The unit's folder and content/, resolved (what an attachment's resolved path must stay inside), and
    the folders of its attachments resolved so far (see attachment_problem)."""
    return os.path.realpath(root / unit.source), os.path.realpath(root / "content"), {}


def validate_page(root: Path, unit: Unit, page: Page, problems: Problems, now: dt.datetime,
                  real_dirs: RealDirs | None = None) -> None:
    meta = page.meta
    check("page", meta, {_path(k): v for k, v in page.lines.items()}, page.source, problems)
    _check_limits(page, problems)
    if page.type not in DOCTYPES or not isinstance(meta.get("type", "strona"), str):
        # the schema reported the enum; keys of an unknown type are not checked further
        return
    doctype = DOCTYPES[page.type]
    own = fields_of(page.type)
    for key, spec in own.items():
        value = meta.get(key)
        # the schema checks the form; a date-time like 2024-02-30T10:00 has the form but does not exist
        if spec.kind == "datetime" and isinstance(value, str) and re.fullmatch(DATETIME_PATTERN, value) \
                and typed_datetime(value) is None:
            problems.error(
                page.source, page.lines.get(key, 1), key, f"Nieprawidłowa data i godzina „{value}” w polu „{key}”.",
                "Wpisz istniejącą datę i godzinę w postaci RRRR-MM-DD albo RRRR-MM-DDTGG:MM, np. 2024-06-10T10:00.",
            )
    for key in sorted(meta):
        if key not in own and key not in COMMON and any(key in t.fields for t in DOCTYPES.values()):
            problems.warning(
                page.source, page.lines.get(key, 1), key,
                f"Pole „{key}” nie dotyczy dokumentu rodzaju „{doctype.label}” (zostanie pominięte).",
                "Usuń to pole albo popraw „type”.",
            )
    _check_aliases(page, problems)
    _check_created(page, problems)
    check_body(page.source, page.body, page.body_line, problems)
    check_personal_data(page.source, page.meta, page.lines, page.body, page.body_line, problems)
    apply_types(page, now)
    _check_dates_order(page, problems)
    page.attachments = _attachments(root, unit, page, problems, real_dirs)


def _check_created(page: Page, problems: Problems) -> None:
    """A document whose type has no date of its own needs `created`, or the metryczka has no data wytworzenia."""
    doctype = DOCTYPES[page.type]
    if doctype.needs_created and "created" not in page.meta:
        problems.warning(
            page.source, page.lines.get("type", 1), "created",
            f"Dokument rodzaju „{doctype.label}” nie ma daty wytworzenia (pole created): "
            "metryczka pokaże w tym miejscu „nie podano”.",
            "Dopisz w nagłówku wiersz „created: RRRR-MM-DD” z datą podpisania lub sporządzenia dokumentu "
            "(nie datą publikacji w BIP).",
        )


def _check_aliases(page: Page, problems: Problems) -> None:
    aliases = page.meta.get("aliases")
    for index, alias in enumerate(aliases if isinstance(aliases, list) else []):
        if not isinstance(alias, str) or not alias.strip("/"):
            continue  # the schema reported it
        why = alias_problem(alias)
        if why is None and alias.strip("/").split("/")[0] in RESERVED:
            why = f"Dawny adres „{alias}” jest zarezerwowany dla strony tworzonej automatycznie."
        if why:
            problems.error(
                page.source, page.lines.get(f"aliases.{index}", page.lines.get("aliases", 1)), f"aliases.{index}", why,
                "Wpisz dawny adres strony względem adresu podmiotu, np. aktualnosci/stara-strona.",
            )


def _path(dotted: str) -> tuple[str | int, ...]:
    # top-level keys are always text (a key written `1:` is "1"); deeper digits are list positions
    first, *rest = dotted.split(".")
    return (first, *(int(p) if p.isascii() and p.isdigit() else p for p in rest))


def _check_dates_order(page: Page, problems: Problems) -> None:
    created, published = page.meta.get("created"), page.meta.get("published")
    if isinstance(created, dt.date) and isinstance(published, dt.date) and created > published:
        problems.warning(
            page.source, page.lines.get("published", 1), "published",
            "Data udostępnienia jest wcześniejsza niż data wytworzenia.", "Sprawdź obie daty.",
        )


def _attachments(root: Path, unit: Unit, page: Page, problems: Problems,
                 real_dirs: RealDirs | None) -> list[Attachment]:
    found: list[Attachment] = []
    raw = page.meta.get("attachments")
    if not isinstance(raw, list):
        return found
    real_unit, real_content, folders = real_dirs or _real_dirs(root, unit)
    page_dir = os.path.dirname(root / page.source)
    page_rel_dir = os.path.dirname(page.source[len(unit.source) + 1 :])
    for index, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("file"), str):
            continue
        reference = item["file"]
        line = page.lines.get(f"attachments.{index}.file", page.lines.get("attachments", 1))
        why = attachment_problem(page_dir, reference, real_unit, real_content, folders)
        if why:
            problems.error(
                page.source, line, f"attachments.{index}.file", f"{why.rstrip('.')}: „{reference}”.",
                "Umieść plik w folderze strony (lub podfolderze) i wpisz jego nazwę względem strony, np. zalaczniki/plik.pdf.",
            )
            continue
        relative = join_url(page_rel_dir, reference.replace("\\", "/")) if page_rel_dir else os.path.normpath(reference)
        full = root / unit.source / relative
        found.append(
            Attachment(
                file=reference,
                title=str(item.get("title") or reference),
                source=f"{unit.source}/{relative}",
                url=file_url(relative),
                size=full.stat().st_size,
            )
        )
    return found


__all__ = ["validate_region", "validate_unit", "validate_pages", "validate_page", "COMMON", "OVERRIDABLE"]
