"""The honest label of an attachment link: kind, size, and what a reader cannot do with it."""

from __future__ import annotations

from bip.attachments.model import LABELS, Extraction, kind_of

STATUS_WORDS = {
    "encrypted": "zabezpieczony hasłem",
    "corrupt": "plik uszkodzony",
}


def size_pl(size: int) -> str:
    """Size with a decimal comma (also the templates' filesize filter) ("1,2 MB", "340,0 KB", "512 B")."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB".replace(".", ",")
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


def label(name: str, size: int, extraction: Extraction | None = None) -> str:
    """ "PDF, 1,2 MB, skan bez warstwy tekstowej": the type, the size, then a warning when there is one."""
    kind = kind_of(name)
    ext = name.rpartition(".")[2] if "." in name else ""
    parts = [LABELS.get(kind) or ext.upper() or "plik", size_pl(size)]
    if extraction is not None:
        facts = extraction.facts
        if extraction.status in STATUS_WORDS:
            parts.append(STATUS_WORDS[extraction.status])
        elif extraction.status == "ok" and extraction.kind == "pdf" and facts.image_pages:
            if len(facts.image_pages) == facts.pages:
                parts.append("skan bez warstwy tekstowej")
            else:
                parts.append("część stron to skany bez tekstu")
    return ", ".join(parts)
