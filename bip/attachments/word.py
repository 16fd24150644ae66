"""DOCX text, headings and pictures' alternative text, with python-docx."""

from __future__ import annotations

import docx
from docx.oxml.ns import qn

from bip.attachments.model import Extraction, Facts, Limits

W_P, W_T, W_TAB, W_BR = qn("w:p"), qn("w:t"), qn("w:tab"), qn("w:br")
WP_DOCPR = qn("wp:docPr")
W_OUTLINE = qn("w:outlineLvl")
HEADING_STYLES = ("heading", "nagłówek", "title", "tytuł")


def _paragraph_text(paragraph) -> str:
    parts = []
    for node in paragraph.iter(W_T, W_TAB, W_BR):
        parts.append(node.text or "" if node.tag == W_T else (" " if node.tag == W_TAB else "\n"))
    return "".join(parts)


def _is_heading(paragraph, styles: dict[str, str]) -> bool:
    ppr = paragraph.pPr
    if ppr is None:
        return False
    if ppr.find(W_OUTLINE) is not None:
        return True
    style = ppr.pStyle
    name = styles.get(style.val, style.val) if style is not None else ""
    return name.lower().startswith(HEADING_STYLES)


def extract_docx(path: str, limits: Limits) -> Extraction:
    document = docx.Document(path)
    styles = {s.style_id: s.name or "" for s in document.styles}
    body = document.element.body
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
        decorative = any(child.tag.endswith("}decorative") and child.get("val") in ("1", "true")
                         for child in doc_pr.iter())
        if not (doc_pr.get("descr") or "").strip() and not (doc_pr.get("title") or "").strip() and not decorative:
            without_alt += 1
    text = "\n".join(lines)
    facts = Facts(pages=1, title=(document.core_properties.title or "").strip(), lang=None, images=images,
                  images_without_alt=without_alt, headings=headings, truncated=len(text) > limits.max_chars)
    return Extraction("docx", "ok", (text[: limits.max_chars],), facts)
