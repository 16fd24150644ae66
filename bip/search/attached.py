"""Search documents of the pages' attachments: the text extraction read, found under the file's own address.

An attachment is a document of its own in every index (static, whoosh, the portal's): its URL is the
published file, it carries its page's type and date (so the type and year filters apply), and its title is
the label a result shows: `Załącznik „Plan” (PDF) — na stronie „Uchwała Nr …”`. Only files that are
published: those of the public pages' current versions still in the unit's files (a file withdrawn through
the withdrawal register is not among them).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping

from bip.attachments.model import LABELS, Extraction
from bip.model import Page
from bip.search.index import SearchDoc
from bip.search.static import passage_text

# Text indexed per attachment: about ten pages of A4. A long budget or plan is found by what its first
# pages say (title, subject, the parties); indexing all of it would make it most of a unit's index.
ATTACHMENT_CHARS = 20_000


def attachment_label(title: str, kind: str, page_title: str) -> str:
    """What a result names an attachment: `Załącznik „<title>” (PDF) — na stronie „<page title>”`."""
    return f"Załącznik „{title}” ({LABELS.get(kind, kind.upper())}) — na stronie „{page_title}”"


def with_attachments(
    pages: Iterable[tuple[Page, SearchDoc]], extractions: Mapping[str, Extraction], published: Collection[str]
) -> list[SearchDoc]:
    """The pages' documents, each followed by those of its attachments whose text was read and whose file
    is among the `published` URLs (unit-relative). A file attached to several pages is one document, under
    the first page (in the order given)."""
    docs: list[SearchDoc] = []
    seen: set[str] = set()
    for page, doc in pages:
        docs.append(doc)
        for attachment in page.attachments:
            extraction = extractions.get(attachment.source)
            if extraction is None or extraction.status != "ok" or attachment.url not in published:
                continue
            if attachment.url in seen:
                continue
            text = passage_text(extraction.text, ATTACHMENT_CHARS)
            if not text:
                continue  # a scan without a text layer: nothing in it to find
            seen.add(attachment.url)
            title = attachment.title or attachment.file
            docs.append(dataclasses.replace(
                doc, url=f"{doc.unit_id}/{attachment.url}", title=attachment_label(title, extraction.kind, doc.title),
                number="", text=text, attachment=title, page_title=doc.title,
            ))
    return docs
