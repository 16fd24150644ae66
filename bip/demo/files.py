"""The files a corpus holds: YAML front matter and unit.yaml, simple one-page PDFs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bip.demo.pdfs import text_pdf
from bip.doctypes import COMMON, DOCTYPES, Field
from bip.yaml_values import scalar as scalar  # the demo's modules write YAML through these
from bip.yaml_values import yaml_text as yaml_text


def pdf(title: str, lines: list[str], tagged: bool = False) -> bytes:
    """A one-page text PDF: the title as a heading, then one paragraph per line (see bip.demo.pdfs)."""
    return text_pdf(title, [("H1", title), *(("P", line) for line in lines)], tagged)


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
