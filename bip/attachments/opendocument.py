"""ODT and ODS text and accessibility facts, with odfpy."""

from __future__ import annotations

from odf import draw, table, teletype, text
from odf.namespaces import DCNS, TABLENS, TEXTNS
from odf.opendocument import load
from odf.style import TextProperties as _TextProperties

from bip.attachments.model import Extraction, Facts, Limits

MAX_REPEAT = 50  # a repeated non-empty cell or row is written at most this many times


def _meta(document, name: str) -> str:
    for node in document.meta.childNodes:
        if node.qname == (DCNS, name):
            return teletype.extractText(node).strip()
    return ""


def extract_odt(path: str, limits: Limits) -> Extraction:
    document = load(path)
    lines: list[str] = []
    size = 0
    headings = len(document.text.getElementsByType(text.H))

    def walk(node) -> None:
        nonlocal size
        for child in node.childNodes:
            if size > limits.max_chars:
                return
            if child.qname in ((TEXTNS, "p"), (TEXTNS, "h")):
                value = teletype.extractText(child).strip()
                if value:
                    lines.append(value)
                    size += len(value) + 1
            elif child.nodeType == child.ELEMENT_NODE:
                walk(child)

    walk(document.text)
    images = without_alt = 0
    for frame in document.getElementsByType(draw.Frame):
        if not frame.getElementsByType(draw.Image):
            continue
        images += 1
        described = [teletype.extractText(node).strip() for kind in (_svg("title"), _svg("desc"))
                     for node in frame.childNodes if node.qname == kind]
        if not any(described):
            without_alt += 1
    value = "\n".join(lines)
    facts = Facts(pages=1, title=_meta(document, "title"), lang=_meta(document, "language") or _default_language(document),
                  images=images, images_without_alt=without_alt, headings=headings, truncated=size > limits.max_chars)
    return Extraction("odt", "ok", (value[: limits.max_chars],), facts)


def _svg(name: str) -> tuple[str, str]:
    return ("urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0", name)


def _default_language(document) -> str:
    fo = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
    for styles in (document.styles, document.automaticstyles):
        for node in styles.getElementsByType(_TextProperties):
            language = node.attributes.get((fo, "language"))
            if language and language != "zxx":
                country = node.attributes.get((fo, "country"))
                return f"{language}-{country}" if country and country != "none" else language
    return ""


def _row_cells(row) -> tuple[list[str], list[int]]:
    """Texts of a row's cells (repeats expanded up to MAX_REPEAT) and the column spans of its cells."""
    values, spans = [], []
    for cell in row.childNodes:
        if cell.qname not in ((TABLENS, "table-cell"), (TABLENS, "covered-table-cell")):
            continue
        value = teletype.extractText(cell).strip()
        repeat = int(cell.attributes.get((TABLENS, "number-columns-repeated"), 1))
        values.extend([value] * min(repeat, MAX_REPEAT if value else 1))
        spans.append(int(cell.attributes.get((TABLENS, "number-columns-spanned"), 1)))
    return values, spans


def extract_ods(path: str, limits: Limits) -> Extraction:
    document = load(path)
    pages, names, merged = [], [], []
    size = 0
    for sheet in document.spreadsheet.getElementsByType(table.Table):
        name = sheet.getAttribute("name") or ""
        names.append(name)
        rows: list[str] = []
        first = True
        for row in sheet.getElementsByType(table.TableRow):
            values, spans = _row_cells(row)
            if first and any(values):
                first = False
                if any(span > 1 for span in spans):
                    merged.append(name)
            line = "\t".join(values).rstrip("\t")
            if line and size <= limits.max_chars:
                repeat = int(row.attributes.get((TABLENS, "number-rows-repeated"), 1))
                for _ in range(min(repeat, MAX_REPEAT)):
                    rows.append(line)
                    size += len(line) + 1
        pages.append("\n".join(rows))
    facts = Facts(pages=len(pages), sheet_names=tuple(names), merged_headers=tuple(merged),
                  title=_meta(document, "title"), truncated=size > limits.max_chars)
    return Extraction("ods", "ok", tuple(pages), facts)

