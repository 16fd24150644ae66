"""Office attachments written as their XML parts in a ZIP: DOCX, ODT, XLSX with Polish text.

Only the parts the formats require, fixed ZIP timestamps and no dates in the properties, so the same input
gives the same bytes; far faster than building them with the office libraries, which only read them here.
"""

from __future__ import annotations

import struct
import zlib
from functools import cache
from xml.sax.saxutils import escape

from bip.attachments.sheet import column_letters
from bip.demo.pdfs import deflate

Block = tuple[str, str]  # (role, text): role "H1", "P" or "IMG" (text = alternative text, "" = none)
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


Entry = tuple[bytes, bytes, int, int, int]  # name, stored bytes, method, CRC-32, size
DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1 January 1980, the earliest a ZIP can say: no build time in the file


def _entry(name: str, data: str | bytes, stored: bool = False) -> Entry:
    """One member; `stored` for a part of a few hundred bytes, where compressing costs more than it saves."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if stored:
        return name.encode(), raw, 0, zlib.crc32(raw), len(raw)
    return name.encode(), deflate(raw, -12), 8, zlib.crc32(raw), len(raw)  # raw deflate, as ZIP keeps it


_fixed = cache(_entry)  # the parts every file of a kind shares are packed once


def _zip(entries: list[Entry]) -> bytes:
    """A ZIP archive written directly (zipfile costs more than the XML): fixed dates, Unix mode 644."""
    out, central, offset = [], [], 0
    for name, payload, method, crc, size in entries:
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, DOS_DATE, crc, len(payload), size,
                            len(name), 0) + name
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x0314, 20, 0, method, 0, DOS_DATE, crc,
                                   len(payload), size, len(name), 0, 0, 0, 0, 0o100644 << 16, offset) + name)
        out += (local, payload)
        offset += len(local) + len(payload)
    directory = b"".join(central)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), offset, 0)
    return b"".join(out) + directory + end


@cache
def picture() -> bytes:
    """A small PNG (a grey 48×32 rectangle with a frame): the stamp or logo a real document carries."""
    width, height = 48, 32
    rows = b"".join(b"\0" + bytes(0x40 if y in (0, height - 1) or x in (0, width - 1) else 0xC0 for x in range(width))
                    for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


# -- DOCX ---------------------------------------------------------------------------------------------------
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOCX_TYPES = (
    _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>")
_DOCX_RELS = (
    _XML + f'<Relationships xmlns="{_PKG}">'
    f'<Relationship Id="rId1" Type="{_R}/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/></Relationships>')
_DOCX_DOC_RELS = (
    _XML + f'<Relationships xmlns="{_PKG}">'
    f'<Relationship Id="rId1" Type="{_R}/styles" Target="styles.xml"/>{{}}</Relationships>')
_DOCX_IMAGE_REL = f'<Relationship Id="rId2" Type="{_R}/image" Target="media/image1.png"/>'
_DOCX_STYLES = (
    _XML + f'<w:styles xmlns:w="{_W}">'
    '<w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="pl-PL"/></w:rPr></w:rPrDefault></w:docDefaults>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>'
    '<w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style></w:styles>')
_EMU = 914400  # per inch


def _core(title: str) -> str:
    return (_XML + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>{escape(title)}</dc:title><dc:language>pl-PL</dc:language></cp:coreProperties>")


def _docx_picture(number: int, alt: str) -> str:
    cx, cy = _EMU * 3 // 2, _EMU
    descr = f' descr="{escape(alt, {chr(34): "&quot;"})}"' if alt else ""
    return (
        '<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
        f'wordprocessingDrawing"><wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{number}" name="Obraz {number}"'
        f'{descr}/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:nvPicPr><pic:cNvPr id="{number}" name="image1.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="rId2"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        "</wp:inline></w:drawing></w:r></w:p>")


def docx(title: str, blocks: list[Block]) -> bytes:
    """A DOCX: "H1" blocks in the style Heading 1 (or, when `headings` is off, plain bold), pictures with
    or without alternative text."""
    body, images = [], 0
    for role, value in blocks:
        if role == "IMG":
            images += 1
            body.append(_docx_picture(images, value))
        elif role == "H1":
            body.append(f'<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>{escape(value)}</w:t></w:r></w:p>')
        elif role == "B":  # a title made to look like a heading: bold, no style
            body.append(f"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{escape(value)}</w:t></w:r></w:p>")
        else:
            body.append(f'<w:p><w:r><w:t xml:space="preserve">{escape(value)}</w:t></w:r></w:p>')
    document = (_XML + f'<w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body>' + "".join(body)
                + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>')
    parts = [
        _fixed("[Content_Types].xml", _DOCX_TYPES), _fixed("_rels/.rels", _DOCX_RELS),
        _entry("docProps/core.xml", _core(title), True), _entry("word/document.xml", document),
        _fixed("word/_rels/document.xml.rels", _DOCX_DOC_RELS.format(_DOCX_IMAGE_REL if images else "")),
        _fixed("word/styles.xml", _DOCX_STYLES)]
    if images:
        parts.append(_fixed("word/media/image1.png", picture()))
    return _zip(parts)


# -- ODT ----------------------------------------------------------------------------------------------------
_ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
           'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
           'xmlns:xlink="http://www.w3.org/1999/xlink" '
           'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
           'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"')
_ODT_TYPE = "application/vnd.oasis.opendocument.text"
_ODT_STYLES = (
    _XML + f"<office:document-styles {_ODF_NS}><office:styles>"
    '<style:default-style style:family="paragraph"><style:text-properties fo:language="pl" fo:country="PL"/>'
    "</style:default-style></office:styles></office:document-styles>")


def _manifest(mime: str, files: tuple[str, ...]) -> str:
    entries = "".join(f'<manifest:file-entry manifest:full-path="{name}" manifest:media-type="{kind}"/>'
                      for name, kind in [("/", mime), *((f, "image/png" if f.endswith(".png") else "text/xml")
                                                        for f in files)])
    return (_XML + '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
            f'manifest:version="1.3">{entries}</manifest:manifest>')


def odt(title: str, blocks: list[Block]) -> bytes:
    """An ODT with outline headings, paragraphs and pictures (alternative text in svg:title)."""
    body, images = [], 0
    for role, value in blocks:
        if role == "IMG":
            images += 1
            alt = f"<svg:title>{escape(value)}</svg:title>" if value else ""
            body.append(f'<text:p><draw:frame draw:name="Obraz {images}" svg:width="4cm" svg:height="2.7cm" '
                        f'text:anchor-type="as-char"><draw:image xlink:href="Pictures/image1.png" '
                        f'xlink:type="simple"/>{alt}</draw:frame></text:p>')
        elif role == "H1":
            body.append(f'<text:h text:outline-level="1">{escape(value)}</text:h>')
        else:
            body.append(f"<text:p>{escape(value)}</text:p>")
    content = (_XML + f"<office:document-content {_ODF_NS}><office:body><office:text>" + "".join(body)
               + "</office:text></office:body></office:document-content>")
    meta = (_XML + f"<office:document-meta {_ODF_NS}><office:meta><dc:title>{escape(title)}</dc:title>"
            "<dc:language>pl-PL</dc:language></office:meta></office:document-meta>")
    files = ["content.xml", "styles.xml", "meta.xml"] + (["Pictures/image1.png"] if images else [])
    parts = [_fixed("mimetype", _ODT_TYPE, True), _entry("content.xml", content), _fixed("styles.xml", _ODT_STYLES),
             _entry("meta.xml", meta, True)]
    if images:
        parts.append(_fixed("Pictures/image1.png", picture()))
    parts.append(_fixed("META-INF/manifest.xml", _manifest(_ODT_TYPE, tuple(files))))
    return _zip(parts)


# -- XLSX ---------------------------------------------------------------------------------------------------
_S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_XLSX_TYPES = (
    _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>")
_XLSX_RELS = _DOCX_RELS.replace("word/document.xml", "xl/workbook.xml")
_XLSX_BOOK_RELS = (
    _XML + f'<Relationships xmlns="{_PKG}">'
    f'<Relationship Id="rId1" Type="{_R}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_R}/styles" Target="styles.xml"/></Relationships>')
_XLSX_STYLES = (
    _XML + f'<styleSheet xmlns="{_S}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
    '<cellXfs count="1"><xf xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def xlsx(title: str, sheet: str, rows: list[tuple[str | int | float, ...]], merged_title: bool) -> bytes:
    """An XLSX with one sheet; with `merged_title` the first row is a title merged across all columns
    (the layout that hides column headers from a screen reader)."""
    width = max(len(row) for row in rows)
    lines = []
    if merged_title:
        rows = [(title,), *rows]
    for number, row in enumerate(rows, 1):
        cells = []
        for index, value in enumerate(row):
            ref = f"{column_letters(index)}{number}"
            if isinstance(value, str):
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
            else:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        lines.append(f'<row r="{number}">{"".join(cells)}</row>')
    merge = f'<mergeCells count="1"><mergeCell ref="A1:{column_letters(width - 1)}1"/></mergeCells>' if merged_title else ""
    worksheet = (_XML + f'<worksheet xmlns="{_S}"><sheetData>' + "".join(lines) + f"</sheetData>{merge}</worksheet>")
    workbook = (_XML + f'<workbook xmlns="{_S}" xmlns:r="{_R}"><sheets>'
                f'<sheet name="{escape(sheet[:31])}" sheetId="1" r:id="rId1"/></sheets></workbook>')
    return _zip([
        _fixed("[Content_Types].xml", _XLSX_TYPES), _fixed("_rels/.rels", _XLSX_RELS),
        _entry("docProps/core.xml", _core(title), True), _entry("xl/workbook.xml", workbook, True),
        _fixed("xl/_rels/workbook.xml.rels", _XLSX_BOOK_RELS), _fixed("xl/styles.xml", _XLSX_STYLES),
        _entry("xl/worksheets/sheet1.xml", worksheet)])
