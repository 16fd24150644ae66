"""What extraction gives for one attachment: text per page, facts for the audit, a status as a value."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# ok: text read; the others say why there is no (or only part of the) text
Status = Literal["ok", "unsupported", "encrypted", "corrupt", "too_big", "timeout", "crashed"]

KINDS = {  # file extension → kind
    "pdf": "pdf", "docx": "docx", "odt": "odt", "xlsx": "xlsx", "ods": "ods",
    "rtf": "rtf", "txt": "txt", "csv": "csv",
}
LABELS = {"pdf": "PDF", "docx": "DOCX", "odt": "ODT", "xlsx": "XLSX", "ods": "ODS", "rtf": "RTF", "txt": "TXT", "csv": "CSV"}


def kind_of(name: str) -> str:
    """The kind of an attachment from its file name ("" when it is not one we read)."""
    stem, dot, ext = name.rpartition(".")
    return KINDS.get(ext.lower(), "") if dot and stem else ""


@dataclass(frozen=True)
class Facts:
    """What the audit needs to know; None where the kind has no such thing."""

    pages: int = 0  # PDF pages, sheets of a spreadsheet, 1 otherwise
    image_pages: tuple[int, ...] = ()  # PDF: 1-based pages with images and no text (scanned)
    tagged: bool | None = None  # PDF: has a structure tree (MarkInfo and StructTreeRoot)
    lang: str | None = None  # document language ("" = not set; None = not known for this kind)
    title: str | None = None  # document title from its properties
    images: int | None = None  # DOCX/ODT: pictures in the text
    images_without_alt: int | None = None
    headings: int | None = None  # DOCX/ODT: paragraphs with a heading style / outline level
    merged_headers: tuple[str, ...] = ()  # spreadsheets: "Arkusz!A1:C1" merged cells in a sheet's first row
    sheet_names: tuple[str, ...] = ()
    truncated: bool = False  # text was cut at the character limit
    ocr_pages: tuple[int, ...] = ()  # PDF: 1-based scanned pages whose text was recognised automatically (OCR)


@dataclass(frozen=True)
class Extraction:
    """The result for one file. `pages` holds the text of each PDF page or sheet, one item otherwise."""

    kind: str
    status: Status = "ok"
    pages: tuple[str, ...] = ()
    facts: Facts = field(default_factory=Facts)
    detail: str = ""  # technical reason of a non-ok status (for --debug), English
    blob: str = field(default="", compare=False)  # git blob id of the file read (set by the reader, not stored)

    @property
    def recognised(self) -> bool:
        """Some of the text was recognised from images (OCR), not read from the file: it may hold mistakes."""
        return bool(self.facts.ocr_pages)

    @property
    def text(self) -> str:
        return "\n\n".join(self.pages)

    def where(self, index: int) -> str:
        """Polish name of the place of pages[index]: "strona 3" or "arkusz „Budżet”"."""
        if self.facts.sheet_names and index < len(self.facts.sheet_names):
            return f"arkusz „{self.facts.sheet_names[index]}”"
        return f"strona {index + 1}"

    def to_json(self) -> dict:
        # the fields as asdict() gives them (tuples stay tuples: json writes them as lists), without its deep copy
        return {"kind": self.kind, "status": self.status, "pages": self.pages, "facts": dict(vars(self.facts)),
                "detail": self.detail}

    @classmethod
    def from_json(cls, data: dict) -> Extraction:
        raw = dict(data.get("facts") or {})
        for key in ("image_pages", "merged_headers", "sheet_names", "ocr_pages"):
            raw[key] = tuple(raw.get(key) or ())
        return cls(kind=data["kind"], status=data["status"], pages=tuple(data.get("pages") or ()),
                   facts=Facts(**raw), detail=data.get("detail", ""))


@dataclass(frozen=True)
class Limits:
    """Bounds for reading one file. The worker process enforces memory and time; the readers the rest."""

    max_bytes: int = 200 * 1024 * 1024  # larger files are not opened
    max_unpacked: int = 300 * 1024 * 1024  # sum of a ZIP container's (DOCX, ODT, XLSX, ODS) members
    max_ratio: int = 200  # ZIP member unpacked/packed beyond this (and > 10 MB) is a bomb
    max_chars: int = 2_000_000  # text kept per file
    memory: int = 1024 * 1024 * 1024  # address space of the worker process
    seconds: float = 60.0  # wall-clock time for one file
    ocr: bool = False  # recognise the text of scanned PDF pages (bip.attachments.ocr)
