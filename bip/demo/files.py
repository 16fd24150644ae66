"""The files a corpus holds: YAML front matter and unit.yaml, one-page PDFs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bip.doctypes import COMMON, DOCTYPES, Field
from bip.yaml_values import scalar as scalar  # the demo's modules write YAML through these
from bip.yaml_values import yaml_text as yaml_text

_ASCII = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ–—„”’()\\", "acelnoszzACELNOSZZ--\"\"'[]/")
_PDF_HEAD = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
    b"/Contents 5 0 R >>\nendobj\n"
    b"4 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>\nendobj\n"
)
_PDF_OFFSETS = [_PDF_HEAD.index(b"%d 0 obj" % n) for n in range(1, 5)]


def _pdf_text(value: str) -> bytes:
    return value[:90].translate(_ASCII).encode("ascii", "replace")


def pdf(title: str, lines: list[str]) -> bytes:
    """A minimal valid one-page PDF 1.4 (Helvetica, ASCII text, no dates), under 1.5 KB."""
    heading = _pdf_text(title)
    stream = b"BT /F1 13 Tf 56 780 Td (" + heading + b") Tj /F1 10 Tf" + b"".join(
        b" 0 -18 Td (" + _pdf_text(line) + b") Tj" for line in lines[:6]) + b" ET"
    content = b"5 0 obj\n<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream\nendobj\n"
    info = b"6 0 obj\n<< /Title (" + heading + b") /Producer (bip demo) >>\nendobj\n"
    offsets = [*_PDF_OFFSETS, len(_PDF_HEAD), len(_PDF_HEAD) + len(content)]
    xref = offsets[-1] + len(info)
    table = b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return b"".join((_PDF_HEAD, content, info, b"xref\n0 7\n0000000000 65535 f \n", table,
                     b"trailer\n<< /Size 7 /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref))


def _fallback(spec: Field, day: dt.date) -> Any:
    """A value of the right kind for a key the generator has no own rule for (a new key in DOCTYPES)."""
    if spec.kind == "enum":
        return spec.values[0]
    if spec.kind == "date":
        return day.isoformat()
    if spec.kind == "datetime":
        return f"{day.isoformat()}T10:00:00+01:00"
    if spec.kind == "int":
        return day.year
    if spec.kind == "bool":
        return False
    if spec.kind in ("list", "attachments"):
        return []
    return str(spec.example) if isinstance(spec.example, str) and spec.example not in ("today", "…") else spec.label


def _fits(spec: Field, value: Any) -> Any:
    if spec.kind == "enum":
        return value if value in spec.values else spec.values[0]
    if spec.kind == "int":
        return int(value)
    return value


def front_matter(type_name: str, title: str, own: dict[str, Any], common: dict[str, Any], day: dt.date) -> dict[str, Any]:
    """Front matter in table order: keys of DOCTYPES[type] (required ones always), then the COMMON keys.

    Keys the table no longer has are dropped, enum values it no longer allows are replaced, and a
    required key without a rule here gets a value of its kind: the generator follows the table.
    """
    doctype = DOCTYPES[type_name]
    meta: dict[str, Any] = {"title": title}
    if type_name != "strona":
        meta["type"] = type_name
    for key, spec in doctype.fields.items():
        if key in own:
            meta[key] = _fits(spec, own[key])
        elif key in doctype.required:
            meta[key] = _fallback(spec, day)
    for key, spec in COMMON.items():
        if key in common and key not in ("title", "type"):
            meta[key] = _fits(spec, common[key])
    return meta
