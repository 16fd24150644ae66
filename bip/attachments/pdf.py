"""PDF text per page and accessibility facts, with PDFium (pypdfium2)."""

from __future__ import annotations

import ctypes
import time

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from bip.attachments import ocr
from bip.attachments.model import Extraction, Facts, Limits

PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD
FORMAT_ERRORS = (2, 3)  # FPDF_ERR_FILE, FPDF_ERR_FORMAT


def _language(document: pdfium.PdfDocument) -> str:
    size = raw.FPDFCatalog_GetLanguage(document.raw, None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    raw.FPDFCatalog_GetLanguage(document.raw, ctypes.cast(buffer, ctypes.POINTER(raw.FPDF_WCHAR)), size)
    return buffer.raw[: size - 2].decode("utf-16-le", errors="replace").strip()


def _has_structure(page: pdfium.PdfPage) -> bool:
    """A structure tree with elements on this page."""
    tree = raw.FPDF_StructTree_GetForPage(page.raw)
    try:
        return bool(tree) and raw.FPDF_StructTree_CountChildren(tree) > 0
    finally:
        if tree:
            raw.FPDF_StructTree_Close(tree)


def _has_image(page: pdfium.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,), max_depth=3))


def extract_pdf(path: str, limits: Limits) -> Extraction:
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as error:
        code = getattr(error, "err_code", None)
        if code == PASSWORD_ERROR:
            return Extraction("pdf", "encrypted", detail=str(error))
        return Extraction("pdf", "corrupt", detail=str(error))
    try:
        pages: list[str] = []
        image_pages: list[int] = []
        ocr_pages: list[int] = []
        left = limits.max_chars
        deadline = time.monotonic() + limits.seconds * ocr.BUDGET
        # tagged: MarkInfo /Marked true and a structure tree with elements on one of the first pages
        marked, tagged = bool(raw.FPDFCatalog_IsTagged(document.raw)), False
        for index in range(len(document)):
            page = document[index]
            try:
                if marked and not tagged and index < 3:
                    tagged = _has_structure(page)
                textpage = page.get_textpage()
                text = textpage.get_text_range().replace("\r\n", "\n").strip() if left > 0 else ""
                textpage.close()
                if not text and _has_image(page):
                    image_pages.append(index + 1)
                    if limits.ocr and left > 0:  # a scan: its text as recognised, while the time lasts
                        text = ocr.recognise(page, deadline - time.monotonic()) or ""
                        if text:
                            ocr_pages.append(index + 1)
            finally:
                page.close()
            pages.append(text[:left])
            left -= len(text)
        facts = Facts(
            pages=len(pages), image_pages=tuple(image_pages), tagged=tagged,
            lang=_language(document), title=document.get_metadata_value("Title").strip(), truncated=left < 0,
            ocr_pages=tuple(ocr_pages),
        )
        return Extraction("pdf", "ok", tuple(pages), facts)
    finally:
        document.close()
