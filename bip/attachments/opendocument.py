"""ODT text and accessibility facts with lxml; ODS text and merged header cells with odfpy."""

from __future__ import annotations

import zipfile

from lxml import etree
from odf import table, teletype
from odf.namespaces import DCNS, DRAWNS, FONS, MANIFESTNS, OFFICENS, STYLENS, SVGNS, TABLENS, TEXTNS
from odf.opendocument import load

from bip.attachments.model import Extraction, Facts, Limits

PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
OFFICE_BODY, OFFICE_META, OFFICE_STYLES, OFFICE_AUTOMATIC = (
    f"{{{OFFICENS}}}{name}" for name in ("body", "meta", "styles", "automatic-styles"))
TEXT_P, TEXT_H, TEXT_S, TEXT_TAB, TEXT_LINE_BREAK, TEXT_C = (
    f"{{{TEXTNS}}}{name}" for name in ("p", "h", "s", "tab", "line-break", "c"))
DRAW_FRAME, DRAW_IMAGE = f"{{{DRAWNS}}}frame", f"{{{DRAWNS}}}image"
SVG_TITLE, SVG_DESC = f"{{{SVGNS}}}title", f"{{{SVGNS}}}desc"
STYLE_TEXT_PROPERTIES = f"{{{STYLENS}}}text-properties"
FO_LANGUAGE, FO_COUNTRY = f"{{{FONS}}}language", f"{{{FONS}}}country"
MANIFEST_ENTRY, MANIFEST_PATH, MANIFEST_TYPE = (
    f"{{{MANIFESTNS}}}{name}" for name in ("file-entry", "full-path", "media-type"))
MAX_SPACES = 1000  # a text:s element stands for at most this many spaces (its count is the file's to say)
MAX_REPEAT = 50  # a repeated non-empty cell or row is written at most this many times


def _meta(document, name: str) -> str:
    for node in document.meta.childNodes:
        if node.qname == (DCNS, name):
            return teletype.extractText(node).strip()
    return ""


def extract_odt(path: str, limits: Limits, archive: zipfile.ZipFile) -> Extraction:
    """ODT through lxml: the parts odfpy would read (those the manifest lists), without its DOM or the pictures
    it unpacks, which made it most of an ODT's reading time. Text as odfpy's teletype.extractText gives it.
    `archive`: the package, opened (and closed) by the caller."""
    manifest = _manifest(archive)
    mimetype = _mimetype(archive, manifest)
    parts = {name: _xml(archive, name) for name in ("meta.xml", "content.xml", "styles.xml") if name in manifest}
    if not mimetype.startswith("application/vnd.oasis.opendocument.text"):
        raise ValueError(f"not a text document: {mimetype}")
    content, styles, meta = parts.get("content.xml"), parts.get("styles.xml"), parts.get("meta.xml")
    body = content.find(OFFICE_BODY) if content is not None else None
    document = next((child for child in body if isinstance(child.tag, str)), None) if body is not None else None
    if document is None:
        raise ValueError("no document body")
    lines: list[str] = []
    size = 0
    headings = sum(1 for _ in document.iter(TEXT_H))

    def walk(node) -> None:
        nonlocal size
        for child in node:
            if size > limits.max_chars:
                return
            if child.tag in (TEXT_P, TEXT_H):
                value = _text(child).strip()
                if value:
                    lines.append(value)
                    size += len(value) + 1
            elif isinstance(child.tag, str):
                walk(child)

    walk(document)
    images = without_alt = 0
    for frame in (frame for part in (content, styles) if part is not None for frame in part.iter(DRAW_FRAME)):
        if next(frame.iter(DRAW_IMAGE), None) is None:
            continue
        images += 1
        if not any(_text(node).strip() for node in frame if node.tag in (SVG_TITLE, SVG_DESC)):
            without_alt += 1
    value = "\n".join(lines)
    facts = Facts(pages=1, title=_meta_value(meta, "title"),
                  lang=_meta_value(meta, "language") or _language_of_styles(content, styles),
                  images=images, images_without_alt=without_alt, headings=headings, truncated=size > limits.max_chars)
    return Extraction("odt", "ok", (value[: limits.max_chars],), facts)


def _xml(archive: zipfile.ZipFile, name: str):
    return etree.fromstring(archive.read(name), PARSER)


def _manifest(archive: zipfile.ZipFile) -> dict[str, str]:
    """Media types by full path, from META-INF/manifest.xml (a package without one is no ODF file)."""
    root = _xml(archive, "META-INF/manifest.xml")
    return {entry.get(MANIFEST_PATH): entry.get(MANIFEST_TYPE) or "" for entry in root.iter(MANIFEST_ENTRY)}


def _mimetype(archive: zipfile.ZipFile, manifest: dict[str, str]) -> str:
    try:
        return archive.read("mimetype").decode("utf-8")
    except (KeyError, UnicodeError):
        return manifest.get("/") or "application/vnd.oasis.opendocument.text"


def _text(node) -> str:
    """A node's text with ODF's space, tab and line-break elements made characters (teletype.extractText)."""
    parts = [node.text or ""]
    for child in node:
        tag = child.tag
        if tag == TEXT_LINE_BREAK:
            parts.append("\n")
        elif tag == TEXT_TAB:
            parts.append("\t")
        elif tag == TEXT_S:
            parts.append(" " * min(int(child.get(TEXT_C) or 1), MAX_SPACES))
        elif isinstance(tag, str):  # not a comment or processing instruction
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _meta_value(meta, name: str) -> str:
    found = meta.find(f"{OFFICE_META}/{{{DCNS}}}{name}") if meta is not None else None
    return _text(found).strip() if found is not None else ""


def _language_of_styles(content, styles) -> str:
    """The first language of a text style (common styles, then the automatic ones), as odfpy orders them."""
    places = [styles.find(OFFICE_STYLES) if styles is not None else None]
    places += [part.find(OFFICE_AUTOMATIC) for part in (content, styles) if part is not None]
    for place in places:
        if place is None:
            continue
        for node in place.iter(STYLE_TEXT_PROPERTIES):
            language = node.get(FO_LANGUAGE)
            if language and language != "zxx":
                country = node.get(FO_COUNTRY)
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


def extract_ods(path: str, limits: Limits, archive: zipfile.ZipFile) -> Extraction:
    document = load(path)  # odfpy opens the file itself: `archive` (the checked package) is not used
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

