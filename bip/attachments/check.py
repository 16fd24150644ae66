"""The current pages' attachments read once per unit (cache first), and their accessibility audit as warnings at
the page's `attachments` lines (`bip check`, `bip build`).

Cheap when nothing changed: a cached result is found by the blob id remembered for the file's size and
mtime, so an unchanged attachment is neither hashed nor read; the build validates only changed units anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from bip.attachments.audit import audit
from bip.attachments.model import Extraction, kind_of
from bip.attachments.reader import AttachmentReader
from bip.model import Attachment, Page
from bip.problems import Problem

# attachment.source (project-relative path) → what extraction gave; only files of a kind we read
Extractions = Mapping[str, Extraction]


def read_attachments(root: Path, pages: Iterable[Page], pack: str) -> dict[str, Extraction]:
    """The text and facts of every readable attachment of these pages that exists on disk (`pack`: the
    cache's pack, the unit's id)."""
    sources = sorted({a.source for page in pages for a in page.attachments
                      if kind_of(a.file) and (root / a.source).is_file()})
    if not sources:
        return {}
    reader = AttachmentReader(root, pack=pack)
    results = reader.read([root / source for source in sources])
    reader.save()
    return {source: results[root / source] for source in sources}


def attachment_key(page: Page, attachment: Attachment) -> tuple[str, int]:
    """The front-matter key of an attachment ("attachments.1.file") and its line."""
    raw = page.meta.get("attachments")
    written = [item.get("file") if isinstance(item, dict) else None for item in raw] if isinstance(raw, list) else []
    index = written.index(attachment.file) if attachment.file in written else 0
    key = f"attachments.{index}.file"
    return key, page.lines.get(key, page.lines.get("attachments", 1))


def attachment_warnings(pages: Iterable[Page], extractions: Extractions) -> list[Problem]:
    found = []
    for page in pages:
        for attachment in page.attachments:
            extraction = extractions.get(attachment.source)
            if extraction is None:
                continue
            key, line = attachment_key(page, attachment)
            for finding in audit(attachment.source, extraction):
                found.append(finding.problem(page.source, line, key, attachment.file))
    return found
