"""RTF (striprtf), plain text and CSV: decoding Polish text from UTF-8 or Windows-1250."""

from __future__ import annotations

import csv
import io
import re

from striprtf.striprtf import rtf_to_text

from bip.attachments.model import Extraction, Facts, Limits

CODEPAGE = re.compile(rb"\\ansicpg(\d+)")


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1250, the usual encoding of Polish office files."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1250", errors="replace")


def _read(path: str, limits: Limits) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(limits.max_bytes)


def extract_rtf(path: str, limits: Limits) -> Extraction:
    data = _read(path, limits)
    if not data.lstrip().startswith(b"{\\rtf"):
        return Extraction("rtf", "corrupt", detail="no {\\rtf header")
    found = CODEPAGE.search(data[:4096])
    encoding = f"cp{found.group(1).decode()}" if found else "cp1250"
    try:
        "".encode(encoding)
    except LookupError:
        encoding = "cp1250"
    text = rtf_to_text(data.decode("latin-1"), encoding=encoding, errors="replace").strip()
    return _plain("rtf", text, limits)


def extract_txt(path: str, limits: Limits) -> Extraction:
    return _plain("txt", decode(_read(path, limits)).strip(), limits)


def extract_csv(path: str, limits: Limits) -> Extraction:
    text = decode(_read(path, limits))
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        return _plain("csv", text.strip(), limits)
    rows = ("\t".join(cell.strip() for cell in row).rstrip("\t") for row in csv.reader(io.StringIO(text), dialect))
    return _plain("csv", "\n".join(row for row in rows if row), limits)


def _plain(kind: str, text: str, limits: Limits) -> Extraction:
    return Extraction(kind, "ok", (text[: limits.max_chars],), Facts(pages=1, truncated=len(text) > limits.max_chars))
