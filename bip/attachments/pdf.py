"""PDF text per page and accessibility facts, with PDFium (pypdfium2).

Through pypdfium2's raw PDFium API (`pypdfium2.raw`, its public ctypes bindings): its helper classes add a
path resolution and a finaliser per document, page and text page, which cost a third of the reading of
the one-page PDFs most attachments are. The helpers are used where speed does not matter (a scanned page
rendered for OCR).
"""

from __future__ import annotations

import ctypes
import time

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from bip.attachments import ocr
from bip.attachments.model import Extraction, Facts, Limits

PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD
LOAD_ERRORS = {1: "unknown error", 2: "file not found or unreadable", 3: "not a PDF or corrupt",
               4: "password required or incorrect", 5: "unsupported security handler", 6: "page not found"}
MAX_DEPTH = 3  # form objects (nested content) searched for images this deep


def _utf16(get, size_hint: int) -> str:
    """A UTF-16LE string PDFium writes with a terminator: `get(buffer, size)` returns the size in bytes."""
    if size_hint <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size_hint)
    get(buffer, size_hint)
    return buffer.raw[: size_hint - 2].decode("utf-16-le", errors="replace").strip()


def _language(document) -> str:
    size = raw.FPDFCatalog_GetLanguage(document, None, 0)
    return _utf16(lambda buffer, n: raw.FPDFCatalog_GetLanguage(
        document, ctypes.cast(buffer, ctypes.POINTER(raw.FPDF_WCHAR)), n), size)


def _title(document) -> str:
    size = raw.FPDF_GetMetaText(document, b"Title", None, 0)
    return _utf16(lambda buffer, n: raw.FPDF_GetMetaText(document, b"Title", buffer, n), size)


def _has_structure(page) -> bool:
    """A structure tree with elements on this page."""
    tree = raw.FPDF_StructTree_GetForPage(page)
    try:
        return bool(tree) and raw.FPDF_StructTree_CountChildren(tree) > 0
    finally:
        if tree:
            raw.FPDF_StructTree_Close(tree)


def _has_image(page) -> bool:
    """An image among the page's objects, or inside its form objects (MAX_DEPTH levels)."""
    pending = [(raw.FPDFPage_GetObject(page, i), 1) for i in range(raw.FPDFPage_CountObjects(page))]
    while pending:
        obj, depth = pending.pop()
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_IMAGE:
            return True
        if kind == raw.FPDF_PAGEOBJ_FORM and depth < MAX_DEPTH:
            pending.extend((raw.FPDFFormObj_GetObject(obj, i), depth + 1)
                           for i in range(raw.FPDFFormObj_CountObjects(obj)))
    return False


def _page_text(page) -> str:
    textpage = raw.FPDFText_LoadPage(page)
    if not textpage:
        return ""
    try:
        count = raw.FPDFText_CountChars(textpage)
        if count <= 0:
            return ""
        buffer = (ctypes.c_ushort * (count + 1))()  # PDFium writes at most `count` characters and a terminator
        written = raw.FPDFText_GetText(textpage, 0, count, buffer)
        return bytes(memoryview(buffer)[: max(written - 1, 0)]).decode("utf-16-le", errors="ignore")
    finally:
        raw.FPDFText_ClosePage(textpage)


def _recognise(path: str, index: int, seconds: float) -> str:
    document = pdfium.PdfDocument(path)
    try:
        page = document[index]
        try:
            return ocr.recognise(page, seconds) or ""
        finally:
            page.close()
    finally:
        document.close()


def extract_pdf(path: str, limits: Limits) -> Extraction:
    # read whole (its size is checked before: at most Limits.max_bytes): PDFium reading the file itself
    # seeks and reads a few bytes at a time, a system call each, which cost a twentieth of a one-page PDF
    with open(path, "rb") as handle:
        data = handle.read()
    document = raw.FPDF_LoadMemDocument64(data, len(data), None)  # `data`, a local, outlives the document
    if not document:
        code = raw.FPDF_GetLastError()
        detail = f"Failed to load document (PDFium: {LOAD_ERRORS.get(code, f'error {code}')})"
        return Extraction("pdf", "encrypted" if code == PASSWORD_ERROR else "corrupt", detail=detail)
    try:
        pages: list[str] = []
        image_pages: list[int] = []
        ocr_pages: list[int] = []
        left = limits.max_chars
        deadline = time.monotonic() + limits.seconds * ocr.BUDGET
        # tagged: MarkInfo /Marked true and a structure tree with elements on one of the first pages
        marked, tagged = bool(raw.FPDFCatalog_IsTagged(document)), False
        for index in range(raw.FPDF_GetPageCount(document)):
            page = raw.FPDF_LoadPage(document, index)
            if not page:
                raise ValueError(f"page {index + 1} cannot be loaded")
            try:
                if marked and not tagged and index < 3:
                    tagged = _has_structure(page)
                text = _page_text(page).replace("\r\n", "\n").strip() if left > 0 else ""
                if not text and _has_image(page):
                    image_pages.append(index + 1)
                    if limits.ocr and left > 0:  # a scan: its text as recognised, while the time lasts
                        text = _recognise(path, index, deadline - time.monotonic())
                        if text:
                            ocr_pages.append(index + 1)
            finally:
                raw.FPDF_ClosePage(page)
            pages.append(text[:left])
            left -= len(text)
        facts = Facts(
            pages=len(pages), image_pages=tuple(image_pages), tagged=tagged,
            lang=_language(document), title=_title(document), truncated=left < 0, ocr_pages=tuple(ocr_pages),
        )
        return Extraction("pdf", "ok", tuple(pages), facts)
    finally:
        raw.FPDF_CloseDocument(document)
