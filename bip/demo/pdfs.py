"""PDF attachments written byte by byte: text PDFs (tagged or not) with Polish letters, and scans (an image only).

No library and no font file: the text uses the PDF standard font Helvetica, whose encoding is WinAnsi with the
Polish letters WinAnsi lacks put on codes 1–16 (/Differences), so readers map them back to Unicode. No creation
or modification dates, so the same input gives the same bytes.
"""

from __future__ import annotations

import atexit
import codecs
import re
import zlib
from functools import cache

# Polish letters outside WinAnsi (ó and Ó are in it) → codes 1..16 of the font's /Differences
_POLISH = "ĄĆĘŁŃŚŹŻąćęłńśźż"
_GLYPHS = ("/Aogonek /Cacute /Eogonek /Lslash /Nacute /Sacute /Zacute /Zdotaccent "
           "/aogonek /cacute /eogonek /lslash /nacute /sacute /zacute /zdotaccent")

def _encoding_map():
    """WinAnsi (cp1252) with the Polish letters on codes 1–16, as a codec table: encoding runs in C."""
    table = list(bytes(range(256)).decode("cp1252", "replace"))
    for code, letter in enumerate(_POLISH, 1):
        table[code] = letter
    return codecs.charmap_build("".join(table))


_CODES = _encoding_map()
# bytes of a literal string that need escaping: \ ( ) and everything outside printable ASCII (in octal)
_SPECIAL = re.compile(rb"[^\x20-\x27\x2a-\x5b\x5d-\x7e]")
_FONT = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
         b"/BaseEncoding /WinAnsiEncoding /Differences [1 " + _GLYPHS.encode() + b"] >> >>")
LINE_CHARS = 95  # characters per line at 10 pt on an A4 page with 56 pt margins


def deflate(data: bytes, window_bits: int) -> bytes:
    """Fast deflate with a small window and state (4 KB): zlib's default state is a quarter megabyte, whose
    allocation on every call costs more than compressing a page of text. Negative bits: no zlib header."""
    packer = zlib.compressobj(1, zlib.DEFLATED, window_bits, 2)
    return packer.compress(data) + packer.flush()


def pdf_string(value: str) -> bytes:
    """A PDF literal string (without parentheses) in the font's encoding; other characters become '?'."""
    encoded = codecs.charmap_encode(value, "replace", _CODES)[0]
    return _SPECIAL.sub(_octal, encoded)


def _octal(match: re.Match[bytes]) -> bytes:
    return b"\\%03o" % match.group()[0]


def _info_string(value: str) -> bytes:
    """A text string for the document information dictionary: UTF-16BE with a byte order mark, in hex."""
    return b"<feff" + value.encode("utf-16-be").hex().encode() + b">"


def wrap(text: str, width: int = LINE_CHARS) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines


def _wrap_bytes(encoded: bytes, width: int) -> list[bytes]:
    """Lines of an encoded string broken at spaces (an escaped letter counts as its four bytes: a line with
    many Polish letters ends a little early, which a reader does not notice)."""
    lines, line = [], b""
    for word in encoded.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = line + b" " + word if line else word
    if line:
        lines.append(line)
    return lines


def _assemble(objects: list[bytes], root: int = 1, info: int | None = None) -> bytes:
    """%PDF-1.7 file of objects numbered 1..n, with its cross-reference table."""
    parts = [b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"]
    offsets, size = [], len(parts[0])
    for number, body in enumerate(objects, 1):
        chunk = b"%d 0 obj\n" % number + body + b"\nendobj\n"
        offsets.append(size)
        parts.append(chunk)
        size += len(chunk)
    trailer = b"/Size %d /Root %d 0 R" % (len(objects) + 1, root)
    if info:
        trailer += b" /Info %d 0 R" % info
    parts.append(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    parts.append(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    parts.append(b"trailer\n<< " + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % size)
    return b"".join(parts)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def text_pdf(title: str, blocks: list[tuple[str, str]], tagged: bool) -> bytes:
    """A one-page text PDF; blocks are (role, text) with role "H1" or "P".

    Tagged: a structure tree (Document → H1/P with marked content), /Lang pl-PL, the title shown by viewers.
    Untagged: the text only, without language or title, as a careless export writes it.
    """
    ops, elements, y = [], [], 790
    for mcid, (role, value) in enumerate(blocks):
        size, leading = (14, 20) if role == "H1" else (10, 14)
        lines = _wrap_bytes(pdf_string(value), LINE_CHARS if role == "P" else 68)
        if y - leading * len(lines) < 50:
            break
        shown = b"".join(b"(" + line + b") '" for line in lines)
        text = b"BT /F1 %d Tf %d TL 56 %d Td %s ET" % (size, leading, y + leading, shown)
        ops.append(b"/%s <</MCID %d>> BDC %s EMC" % (role.encode(), mcid, text) if tagged else text)
        elements.append(role)
        y -= leading * len(lines) + (8 if role == "H1" else 6)
    content = _stream(deflate(b"\n".join(ops), 12), b" /Filter /FlateDecode")
    page_extra = b" /StructParents 0" if tagged else b""
    objects = [
        b"", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R" + page_extra + b" >>",
        _FONT, content, b"<< /Producer (bip demo)" + (b" /Title " + _info_string(title) if tagged else b"") + b" >>",
    ]
    if not tagged:
        objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
        return _assemble(objects, info=6)
    first = len(objects) + 4  # 7 tree root, 8 Document, 9 parent tree, then one element per block
    kids = b" ".join(b"%d 0 R" % (first + n) for n in range(len(elements)))
    objects[0] = (b"<< /Type /Catalog /Pages 2 0 R /Lang (pl-PL) /MarkInfo << /Marked true >> "
                  b"/StructTreeRoot 7 0 R /ViewerPreferences << /DisplayDocTitle true >> >>")
    objects += [
        b"<< /Type /StructTreeRoot /K 8 0 R /ParentTree 9 0 R /ParentTreeNextKey 1 >>",
        b"<< /Type /StructElem /S /Document /P 7 0 R /K [" + kids + b"] >>",
        b"<< /Nums [0 [" + kids + b"]] >>",
    ]
    objects += [b"<< /Type /StructElem /S /%s /P 8 0 R /Pg 3 0 R /K %d >>" % (role.encode(), n)
                for n, role in enumerate(elements)]
    return _assemble(objects, info=6)


def scan_pdf(title: str, image: tuple[int, int, bytes]) -> bytes:
    """A one-page PDF holding only a 1-bit image (width, height, Flate-compressed rows): a scan, no text."""
    width, height, data = image
    content = _stream(b"q 595 0 0 842 0 0 cm /Im1 Do Q")
    picture = _stream(data, b" /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                            b"/BitsPerComponent 1 /Filter /FlateDecode" % (width, height))
    del title  # a scanner writes no title
    return _assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        picture, content, b"<< /Producer (bip demo scanner) >>",
    ], info=6)


FONTS = ("DejaVuSans.ttf", "LiberationSans-Regular.ttf", "FreeSans.ttf")


@cache
def _font_file() -> bytes | None:
    from pathlib import Path

    for name in FONTS:
        for path in sorted(Path("/usr/share/fonts").rglob(name)):
            return path.read_bytes()
    return None


@cache
def _canvas():
    """A PDFium document and a TrueType font with the Polish letters (PDFium's own stand-in for Helvetica
    lacks most of them), loaded once: parsing the font costs more than drawing a page."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument.new()
    atexit.register(document.close)  # before PDFium's own clean-up, which would complain of an open document
    data = _font_file()
    if data is None:
        return document, None, None
    buffer = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
    return document, raw.FPDFText_LoadFont(document.raw, buffer, len(data), raw.FPDF_FONT_TRUETYPE, True), buffer


def _draw(title: str, text: str):
    """The page as a PDFium page; without a font with Polish letters, the text PDF as written here."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document, font, _ = _canvas()
    if font is None:
        return pdfium.PdfDocument(text_pdf(title, [("H1", title), ("P", text)], tagged=False))[0]
    page = document.new_page(595, 842)
    y = 790
    for size, lines in ((14, wrap(title, 60)), (11, wrap(text, 85))):
        for line in lines:
            obj = raw.FPDFPageObj_CreateTextObj(document.raw, font, float(size))
            encoded = ctypes.create_string_buffer((line + "\0").encode("utf-16-le"))
            raw.FPDFText_SetText(obj, ctypes.cast(encoded, ctypes.POINTER(raw.FPDF_WCHAR)))
            raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 56, y)
            raw.FPDFPage_InsertObject(page.raw, obj)
            y -= size + 5
        y -= 10
    page.gen_content()
    return page


@cache
def scanned_page(title: str, text: str, dpi: int = 150) -> tuple[int, int, bytes]:
    """A text page rendered by PDFium to a 1-bit image (made once per text): what a scanner gives.

    Rendered without anti-aliasing, so the pixels are black or white and pack into bits losslessly. The
    pixels depend on PDFium's version and the font found, so the same seed gives the same scans on one
    installation, not necessarily on another.
    """
    page = _draw(title, text)
    try:
        bitmap = page.render(scale=dpi / 72, grayscale=True, no_smoothtext=True, no_smoothpath=True,
                             no_smoothimage=True)
        width, height, stride = bitmap.width, bitmap.height, bitmap.stride
        pixels = bytes(bitmap.buffer)
    finally:
        page.close()
    digits = bytes.maketrans(bytes(range(256)), b"0" * 128 + b"1" * 128)  # bright pixel → 1 (white)
    padded = (width + 7) // 8 * 8
    rows = []
    for row in range(height):
        bits = pixels[row * stride: row * stride + width].translate(digits).ljust(padded, b"1")
        rows.append(int(bits, 2).to_bytes(padded // 8, "big"))
    return width, height, zlib.compress(b"".join(rows), 9)
