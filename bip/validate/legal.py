"""What the law asks of a unit's accessibility, RODO and easy-to-read data beyond its form: warnings.

The deklaracja dostępności must name a contact, the accessibility coordinator and the report on the state of
accessibility, and be reviewed at least once a year; a public body gives information about its activity as
easy-to-read text (ETR), in Polish Sign Language (PJM) and as machine-readable text; its site carries
a RODO information clause. Dates are compared with the build's `now`, never the clock.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from typing import Any

from bip.model import Region, Unit
from bip.polish_dates import to_date
from bip.problems import Problems

REVIEW_DAYS = 365
DATES = ("published", "updated", "prepared", "reviewed")
VIDEO_TYPES = (".mp4", ".webm", ".ogv")


def last_review(data: dict[str, Any]) -> dt.date | None:
    """The date the declaration was last prepared or reviewed."""
    dates = [d for d in (to_date(data.get("prepared")), to_date(data.get("reviewed"))) if d is not None]
    return max(dates, default=None)


def check_declaration(data: Any, source: str, lines: dict[str, int], problems: Problems, now: dt.datetime,
                      owner: str, status: bool = True) -> None:
    """Warnings about a deklaracja dostępności's data (`owner`: the file's own word for what it describes;
    `status`: check that a status below full compliance names what is inaccessible, see check_status)."""
    if not isinstance(data, dict):
        problems.warning(
            source, 1, "accessibility",
            f"Brak danych deklaracji dostępności (pole accessibility); deklaracja {owner} będzie niepełna.",
            "Dodaj accessibility: status, published, prepared, contact, coordinator, report (zob. docs/redaktorzy/dostepnosc-i-rodo.md).",
        )
        return
    line = lines.get("accessibility", 1)
    missing = [
        ("coordinator", "koordynatora do spraw dostępności (art. 14 ustawy o zapewnianiu dostępności)",
         "Dodaj accessibility.coordinator: name, email, phone."),
        ("report", "raportu o stanie zapewniania dostępności",
         "Dodaj accessibility.report: adres raportu albo plik w folderze podmiotu, np. dostepnosc/raport-2025.pdf."),
        ("architecture", "opisu dostępności architektonicznej",
         "Dodaj accessibility.architecture: opis wejścia, wind, toalet, parkingu."),
    ]
    for key, what, hint in missing:
        if not data.get(key):
            problems.warning(source, line, f"accessibility.{key}",
                             f"Deklaracja dostępności {owner} nie zawiera {what}.", hint)
    if status:
        check_status(data, source, lines, problems, owner)
    reviewed = last_review(data)
    if reviewed is not None and (now.date() - reviewed).days > REVIEW_DAYS:
        problems.warning(
            source, line, "accessibility.reviewed",
            f"Deklaracja dostępności {owner} nie była przeglądana od ponad roku (ostatnio {reviewed.isoformat()}).",
            "Przejrzyj deklarację (co najmniej raz w roku, zwykle do 31 marca) i wpisz datę w accessibility.reviewed.",
        )


def check_status(data: Any, source: str, lines: dict[str, int], problems: Problems, owner: str,
                 listed: bool = False) -> None:
    """A status below full compliance must say what is inaccessible: the editors' nonconformities or
    exemptions, or (`listed`) the attachments the audit found, which the deklaracja lists by itself."""
    if not isinstance(data, dict) or listed:
        return
    if data.get("status") in ("częściowo zgodna", "niezgodna") and not (
            data.get("nonconformities") or data.get("exemptions")):
        problems.warning(
            source, lines.get("accessibility", 1), "accessibility.status",
            f"Deklaracja {owner} podaje status „{data['status']}”, ale nie wymienia niedostępnych treści ani wyłączeń.",
            "Wypisz je w accessibility.nonconformities lub accessibility.exemptions.",
        )


def check_unit_status(unit: Unit, problems: Problems, listed: bool) -> None:
    """check_status() of the unit's deklaracja, once its attachments are audited (`listed`: the audit found an
    inaccessible one, which the deklaracja names)."""
    check_status(unit.data.get("accessibility"), unit.source + "/unit.yaml", unit.lines, problems, "podmiotu", listed)


def check_unit(unit: Unit, problems: Problems, now: dt.datetime) -> None:
    """The unit's deklaracja, RODO clause, ETR, PJM and machine-readable text."""
    source = unit.source + "/unit.yaml"
    data = unit.data
    # the status is checked with the pages' attachments (check_unit_status, bip.validate.validate_pages)
    check_declaration(data.get("accessibility"), source, unit.lines, problems, now, "podmiotu", status=False)
    if not isinstance(data.get("rodo"), dict):
        problems.warning(
            source, 1, "rodo", "Brak danych klauzuli informacyjnej RODO (pole rodo); klauzula będzie niepełna.",
            "Dodaj rodo: iod (inspektor ochrony danych: name, email), purposes, legal_basis.",
        )
    if not data.get("pjm"):
        problems.warning(
            source, 1, "pjm", "Brak informacji o działalności podmiotu w polskim języku migowym (PJM).",
            "Dodaj pjm: video i captions (nagranie z napisami w folderze podmiotu) albo url.",
        )
    if not data.get("machine_readable"):
        problems.warning(
            source, 1, "machine_readable", "Brak informacji o działalności podmiotu w tekście odczytywalnym maszynowo.",
            "Dodaj machine_readable: plik tekstowy w folderze podmiotu (np. o-urzedzie/informacje.txt) albo adres.",
        )
    if not unit.pages_loaded:
        return
    files = {s.source[len(unit.source) + 1:] for s in unit.static_files}
    pjm = data.get("pjm")
    if isinstance(pjm, dict):
        for key in ("video", "captions"):
            value = pjm.get(key)
            if isinstance(value, str) and posixpath.normpath(value) not in files:
                problems.warning(source, unit.lines.get("pjm", 1), f"pjm.{key}",
                                 f"Nie ma pliku „{value}” wskazanego w pjm.{key}.",
                                 "Podaj ścieżkę pliku względem folderu podmiotu.")
        video = pjm.get("video")
        if isinstance(video, str) and not pjm.get("captions"):
            problems.warning(source, unit.lines.get("pjm", 1), "pjm.captions",
                             "Nagranie PJM nie ma napisów (pole pjm.captions).",
                             "Dodaj plik napisów WebVTT (.vtt) i wpisz go w pjm.captions.")
        if isinstance(video, str) and not video.lower().endswith(VIDEO_TYPES):
            problems.warning(source, unit.lines.get("pjm", 1), "pjm.video",
                             "Nagranie PJM powinno być plikiem .mp4 lub .webm, który przeglądarka odtworzy sama.",
                             "Zapisz nagranie w formacie MP4 (H.264) lub WebM.")
    machine = data.get("machine_readable")
    if isinstance(machine, str) and not machine.startswith(("http://", "https://")) \
            and posixpath.normpath(machine) not in files:
        problems.warning(source, unit.lines.get("machine_readable", 1), "machine_readable",
                         f"Nie ma pliku „{machine}” wskazanego w machine_readable.",
                         "Podaj ścieżkę pliku względem folderu podmiotu albo pełny adres.")
    report = data.get("accessibility", {}).get("report") if isinstance(data.get("accessibility"), dict) else None
    if isinstance(report, str) and not report.startswith(("http://", "https://")) \
            and posixpath.normpath(report) not in files:
        problems.warning(source, unit.lines.get("accessibility", 1), "accessibility.report",
                         f"Nie ma pliku „{report}” wskazanego w accessibility.report.",
                         "Podaj ścieżkę pliku względem folderu podmiotu albo pełny adres raportu.")
    if not data.get("etr") and not any(p.type == "etr" and not p.draft for p in unit.pages):
        problems.warning(
            source, 1, "etr", "Brak informacji o działalności podmiotu w tekście łatwym do czytania (ETR).",
            "Dodaj stronę z „type: etr” (np. o-urzedzie/tekst-latwy-do-czytania.md) albo w unit.yaml adres etr: https://…",
        )


def check_region(region: Region, problems: Problems, now: dt.datetime) -> None:
    """The portal's own deklaracja dostępności (region.yaml)."""
    lines = {str(k[0]): v for k, v in region.key_lines.items() if len(k) == 1}
    check_declaration(region.data.get("accessibility"), "content/region.yaml", lines, problems, now, "portalu")
