"""Which file an attachment of the demo is, and its bytes: the mix a real BIP holds.

Text PDFs with and without tags, scans without a text layer, DOCX and ODT (some with pictures lacking
alternative text or with bold lines instead of headings), XLSX (some with a merged title row). The choice
uses its own random generator, so pages and history come out as before; the text is the page's own.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache

from bip.demo import words
from bip.demo.office import Block, docx, odt, xlsx
from bip.demo.pdfs import scan_pdf, scanned_page, text_pdf

# profile → (variant, weight); a variant's file kind is the part before "-"
PROFILES: dict[str, tuple[tuple[str, int], ...]] = {
    "pdf": (("pdf-tagged", 48), ("pdf-plain", 48), ("pdf-scan", 4)),
    "document": (("pdf-tagged", 33), ("pdf-plain", 33), ("docx", 20), ("odt", 10), ("pdf-scan", 4)),
    "form": (("docx", 45), ("odt", 25), ("pdf-tagged", 15), ("pdf-plain", 15)),
    "scan": (("pdf-scan", 1),),
    "declaration": (("pdf-scan", 25), ("pdf-plain", 45), ("pdf-tagged", 30)),
    "table": (("xlsx", 65), ("pdf-tagged", 20), ("pdf-plain", 15)),
}
LABELS = {"pdf": "PDF", "docx": "DOCX", "odt": "ODT", "xlsx": "XLSX"}

SCAN_DPI = 120  # enough for OCR to read the text; each dot more costs the demo's git import time
# What the scanned pages say: a scanner gives the same few pages over and over (one image each, made once).
SCANS = {
    "petycja": (
        "Petycja w sprawie budowy oświetlenia ulicznego",
        "Działając na podstawie art. 2 ust. 1 ustawy z dnia 11 lipca 2014 r. o petycjach, wnosimy o budowę "
        "oświetlenia ulicznego wzdłuż ulicy Łąkowej, od skrzyżowania z ulicą Polną do przystanku autobusowego. "
        "Po zmroku piesi, w tym dzieci idące do szkoły, poruszają się poboczem bez chodnika. Prosimy o ujęcie "
        "zadania w budżecie na przyszły rok.",
    ),
    "oswiadczenie": (
        "Oświadczenie majątkowe",
        "Ja, niżej podpisany, po zapoznaniu się z przepisami ustawy o samorządzie gminnym, zgodnie z art. 24h "
        "tej ustawy oświadczam, że posiadam wchodzące w skład małżeńskiej wspólności majątkowej: dom o "
        "powierzchni 140 m², gospodarstwo rolne o powierzchni 4,5 ha oraz samochód osobowy. Nie jestem "
        "członkiem zarządu ani rady nadzorczej spółek handlowych.",
    ),
    "pismo": (
        "Informacja o wyniku postępowania",
        "Uprzejmie informuję, że w wyniku przeprowadzonego postępowania wybrano ofertę wykonawcy, który "
        "spełnił warunki udziału i uzyskał największą liczbę punktów w kryteriach oceny ofert: cena oraz okres "
        "gwarancji. Umowa zostanie zawarta w terminie nie krótszym niż pięć dni od dnia przesłania "
        "zawiadomienia.",
    ),
}
# added to a document that has to be long: a text without headings is a problem only from 1,500 characters
LONG = (
    "Dokument udostępniono zgodnie z ustawą z dnia 6 września 2001 r. o dostępie do informacji publicznej.",
    "Dane osobowe przetwarzane są w celu wypełnienia obowiązków prawnych ciążących na administratorze.",
    "Przysługuje Pani/Panu prawo wniesienia skargi do Prezesa Urzędu Ochrony Danych Osobowych.",
    "Dokumenty można złożyć osobiście w kancelarii, pocztą tradycyjną lub przez elektroniczną skrzynkę "
    "podawczą ePUAP.",
    "Wszelkie zmiany będą publikowane w Biuletynie Informacji Publicznej, a zainteresowane osoby mogą "
    "zapoznać się z dokumentacją w siedzibie urzędu w godzinach jego pracy.",
    "Termin załatwienia sprawy wynosi do miesiąca, a w sprawach szczególnie skomplikowanych do dwóch "
    "miesięcy od dnia wszczęcia postępowania.",
)
_MARKUP = re.compile(r"\*\*|__|^#+ |^- |^\d+\. |\\$|  $", re.M)


@lru_cache(maxsize=64)
def body_paragraphs(markdown: str, limit: int = 2) -> tuple[str, ...]:
    """The page's paragraphs as plain text (tables and links' markup left out): the attachment says the same."""
    found = []
    for part in markdown.split("\n\n"):
        if part.startswith("|"):
            continue
        text = " ".join(_MARKUP.sub("", part).split())
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
        if text:
            found.append(text)
        if len(found) == limit:
            break
    return tuple(found)


class Attachments:
    """Makes attachments; `rng` is its own, so the rest of the demo draws the same numbers as without it."""

    def __init__(self, seed: int):
        self.rng = random.Random(f"attachments-{seed}")

    def variant(self, profile: str, name: str) -> str:
        """A variant of the profile; for a name with an extension other than .pdf, one of that kind."""
        options = PROFILES[profile]
        ext = name.rpartition(".")[2]
        if ext != "pdf" and ext in LABELS:
            options = tuple(o for o in PROFILES["document"] + PROFILES["table"] if o[0].startswith(ext))
        return self.rng.choices([v for v, _ in options], weights=[w for _, w in options])[0]

    def make(self, profile: str, name: str, title: str, lines: list[str], body: str,
             scan: str = "pismo") -> tuple[str, str, bytes]:
        """(file name with the chosen kind's extension, title naming that kind, bytes)."""
        variant = self.variant(profile, name)
        kind = variant.partition("-")[0]
        if kind != "pdf":
            name = name.rpartition(".")[0] + "." + kind
            title = title.replace("(PDF)", f"({LABELS[kind]})")
        paragraphs = [line for line in lines if line] + list(body_paragraphs(body))
        return name, title, self._bytes(variant, title, paragraphs, scan)

    def _bytes(self, variant: str, title: str, paragraphs: list[str], scan: str) -> bytes:
        rng = self.rng
        if variant == "pdf-scan":
            return scan_pdf(title, scanned_page(*SCANS[scan], dpi=SCAN_DPI))
        if variant.startswith("pdf"):
            blocks = [("H1", title), *(("P", p) for p in paragraphs)]
            return text_pdf(title, blocks, tagged=variant == "pdf-tagged")
        if variant == "xlsx":
            return xlsx(title, "Zestawienie", self._rows(), merged_title=rng.random() < 0.45)
        roll = rng.random()
        blocks: list[Block] = [("IMG", "Herb i logo urzędu") if roll < 0.5 else ("IMG", "")] if roll < 0.75 else []
        if roll < 0.85:  # headings as styles; below 0.5 the picture has alternative text, from 0.5 it has none
            blocks += [("H1", title), *(("P", p) for p in paragraphs), ("H1", "Postanowienia końcowe"),
                       *(("P", p) for p in LONG[:2])]
        else:  # bold lines where headings belong, in a text long enough to need them
            blocks += [("B", title), *(("P", p) for p in paragraphs), ("B", "Postanowienia końcowe"),
                       *(("P", p) for p in LONG * 2)]
        return (docx if variant == "docx" else odt)(title, blocks)

    def _rows(self) -> list[tuple[str | int | float, ...]]:
        rng = self.rng
        rows: list[tuple[str | int | float, ...]] = [
            ("Dział", "Rozdział", "Paragraf", "Treść", "Plan (zł)", "Wykonanie (zł)")]
        for section, chapter, paragraph, text in rng.sample(words.BUDGET_ROWS, min(6, len(words.BUDGET_ROWS))):
            plan = rng.randint(5_000, 900_000)
            rows.append((section, chapter, paragraph, text, plan, round(plan * rng.uniform(0.4, 1.0), 2)))
        return rows
