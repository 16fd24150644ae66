"""The audit of the pages' attachments as warnings at the page's `attachments` lines (`bip check`, `bip build`,
with BIP_ATTACHMENT_AUDIT=1 until every project's test fixtures hold real files instead of stub PDFs).

Cheap when nothing changed: a cached result is found by the blob id remembered for the file's size and
mtime, so an unchanged attachment is neither hashed nor read; the build validates only changed units anyway.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bip.attachments.audit import audit
from bip.attachments.reader import AttachmentReader
from bip.model import Page
from bip.problems import Problem


def attachment_warnings(root: Path, pages: Iterable[Page], reader: AttachmentReader | None = None) -> list[Problem]:
    links = []  # (page, key, attachment)
    for page in pages:
        raw = page.meta.get("attachments")
        written = [item.get("file") if isinstance(item, dict) else None for item in raw] if isinstance(raw, list) else []
        for attachment in page.attachments:
            index = written.index(attachment.file) if attachment.file in written else 0
            links.append((page, f"attachments.{index}.file", attachment))
    if not links:
        return []
    reader = reader or AttachmentReader(root)
    results = reader.read([root / a.source for _, _, a in links], text=False)
    reader.save()
    found = []
    for page, key, attachment in links:
        line = page.lines.get(key, page.lines.get("attachments", 1))
        for finding in audit(attachment.source, results[root / attachment.source]):
            found.append(finding.problem(page.source, line, key, attachment.file))
    return found
