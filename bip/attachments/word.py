"""DOCX text, headings and pictures' alternative text: the package's parts read with zipfile, their XML
parsed with lxml as python-docx parses it (bip.attachments.ooxml).

Only the parts read here are unpacked: the main document, its styles and the core properties. python-docx
unpacks every part of the package, pictures included, which made it most of a DOCX's reading time.
"""

from __future__ import annotations

import zipfile

from bip.attachments.model import Extraction, Facts, Limits
from bip.attachments.ooxml import Package

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
W_DOCUMENT, W_BODY, W_P, W_T, W_TAB, W_BR = (W + name for name in ("document", "body", "p", "t", "tab", "br"))
W_PPR, W_PSTYLE, W_OUTLINE, W_STYLE, W_NAME = (W + name for name in ("pPr", "pStyle", "outlineLvl", "style", "name"))
W_VAL, W_STYLE_ID = W + "val", W + "styleId"
WP_DOCPR = WP + "docPr"
HEADING_STYLES = ("heading", "nagłówek", "title", "tytuł")


def _paragraph_text(paragraph) -> str:
    parts = []
    for node in paragraph.iter(W_T, W_TAB, W_BR):
        parts.append(node.text or "" if node.tag == W_T else (" " if node.tag == W_TAB else "\n"))
    return "".join(parts)


def _is_heading(paragraph, styles: dict[str, str]) -> bool:
    ppr = paragraph.find(W_PPR)
    if ppr is None:
        return False
    if ppr.find(W_OUTLINE) is not None:
        return True
    style = ppr.find(W_PSTYLE)
    style_id = style.get(W_VAL) if style is not None else None
    name = styles.get(style_id, style_id) if style_id is not None else ""
    return (name or "").lower().startswith(HEADING_STYLES)


def _styles(package: Package, main: str) -> dict[str, str]:
    """Style names by style id (the names Word shows are what a heading style is known by)."""
    root = package.related_xml(main, "/styles")
    if root is None:
        return {}
    styles = {}
    for style in root.iter(W_STYLE):
        name = style.find(W_NAME)
        styles[style.get(W_STYLE_ID)] = (name.get(W_VAL) if name is not None else None) or ""
    return styles


def extract_docx(path: str, limits: Limits, archive: zipfile.ZipFile) -> Extraction:
    """The DOCX at `path`, from `archive`: the package opened (and closed) by the caller."""
    package = Package(archive)
    main = package.related("", "/officeDocument")
    if main is None:
        raise ValueError("no main document part: not a Word file")
    root = package.xml(main)
    body = root.find(W_BODY)
    if root.tag != W_DOCUMENT or body is None:
        raise ValueError(f"the main part is {root.tag}, not a Word document")
    styles = _styles(package, main)
    title = package.title()
    lines: list[str] = []
    size, headings = 0, 0
    for paragraph in body.iter(W_P):
        if _is_heading(paragraph, styles):
            headings += 1
        if size <= limits.max_chars:
            text = _paragraph_text(paragraph).strip()
            if text:
                lines.append(text)
                size += len(text) + 1
    images = without_alt = 0
    for doc_pr in body.iter(WP_DOCPR):
        images += 1
        decorative = any(str(child.tag).endswith("}decorative") and child.get("val") in ("1", "true")
                         for child in doc_pr.iter())
        if not (doc_pr.get("descr") or "").strip() and not (doc_pr.get("title") or "").strip() and not decorative:
            without_alt += 1
    text = "\n".join(lines)
    facts = Facts(pages=1, title=title, lang=None, images=images, images_without_alt=without_alt, headings=headings,
                  truncated=len(text) > limits.max_chars)
    return Extraction("docx", "ok", (text[: limits.max_chars],), facts)
