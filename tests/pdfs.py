"""Real one-page PDF files for tests: tagged (a structure tree), with a language and a title, or a scan."""

from __future__ import annotations

import zlib

# Polish letters outside WinAnsi, placed at codes 128–143 of the font's encoding
_POLISH = "ąćęłńśźżĄĆĘŁŃŚŹŻ"
_NAMES = ("aogonek cacute eogonek lslash nacute sacute zacute zdotaccent "
          "Aogonek Cacute Eogonek Lslash Nacute Sacute Zacute Zdotaccent")


def _text(value: str) -> bytes:
    out = bytearray()
    for char in value:
        if char in _POLISH:
            out.append(128 + _POLISH.index(char))
        else:
            code = char.encode("cp1252", errors="replace")
            out += b"\\" + code if code in (b"(", b")", b"\\") else code
    return bytes(out)


def _utf16(value: str) -> bytes:
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode() + b">"


def _file(objects: list[bytes], info: bytes) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate([*objects, info], start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(offsets) + 1, len(offsets), xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    packed = zlib.compress(data)
    return b"<< /Length %d /Filter /FlateDecode%s >>\nstream\n" % (len(packed), extra) + packed + b"\nendstream"


def accessible_pdf(*lines: str, title: str = "", lang: str = "pl-PL") -> bytes:
    """A tagged PDF (each line a paragraph of the structure tree) with a language and a title: what the
    accessibility audit accepts."""
    title = title or (lines[0] if lines else "Dokument")
    content = bytearray()
    kids = []
    y = 780
    for mcid, line in enumerate(lines or (title,)):
        size = 14 if mcid == 0 else 10
        tag = b"H1" if mcid == 0 else b"P"
        content += b"/%s << /MCID %d >> BDC BT /F1 %d Tf 56 %d Td (%s) Tj ET EMC\n" % (tag, mcid, size, y, _text(line))
        kids.append((tag, mcid))
        y -= 24 if mcid == 0 else 16
    # 1 catalog, 2 pages, 3 page, 4 font, 5 content, 6 struct tree root, 7 document element, 8 parent tree,
    # 9.. one element per line
    elements = [b"<< /Type /StructElem /S /%s /P 7 0 R /Pg 3 0 R /K %d >>" % (tag, mcid) for tag, mcid in kids]
    refs = b" ".join(b"%d 0 R" % (9 + i) for i in range(len(elements)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /MarkInfo << /Marked true >> /StructTreeRoot 6 0 R /Lang %s "
        b"/ViewerPreferences << /DisplayDocTitle true >> >>" % _utf16(lang),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R /StructParents 0 /Tabs /S >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding /BaseEncoding "
        b"/WinAnsiEncoding /Differences [128 " + b" ".join(b"/" + n.encode() for n in _NAMES.split()) + b"] >> >>",
        _stream(bytes(content)),
        b"<< /Type /StructTreeRoot /K 7 0 R /ParentTree 8 0 R /ParentTreeNextKey 1 >>",
        b"<< /Type /StructElem /S /Document /P 6 0 R /K [%s] >>" % refs,
        b"<< /Nums [0 [%s]] >>" % refs,
        *elements,
    ]
    return _file(objects, b"<< /Title %s /Producer (bip) >>" % _utf16(title))


def scanned_pdf(title: str = "Skan dokumentu", width: int = 40, height: int = 56) -> bytes:
    """A one-page PDF holding only an image (a scan without a text layer), untagged, with a title."""
    pixels = bytes((255 if (x // 4 + y // 4) % 2 else 200) for y in range(height) for x in range(width))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        _stream(pixels, b" /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                        b"/BitsPerComponent 8" % (width, height)),
        _stream(b"q 483 0 0 730 56 56 cm /Im1 Do Q\n"),
    ]
    return _file(objects, b"<< /Title %s /Producer (bip) >>" % _utf16(title))
