"""Personal identifiers in what a page publishes beyond its own text: its attachments' text, and its earlier
versions (with their attachments) that the change registry still publishes.

Cheap when nothing changed: an attachment's text comes from the extraction cache (by git blob id), and
the findings of an earlier version are remembered by its blob id (bip.load.remembered), so each
historical blob is scanned once. A file whose text cannot be read (corrupt, encrypted) is no error here.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bip.attachments.check import Extractions, attachment_key
from bip.load.remembered import recall
from bip.model import REDACTIONS, Page, Unit
from bip.problems import Problems
from bip.validate.personal import find, has_basis, page_findings

if TYPE_CHECKING:
    from bip.attachments import AttachmentReader, Extraction
    from bip.registry import UnitRegistry

# (index of the page or sheet, its Polish name, message, hint)
TextFinding = tuple[int, str, str, str]


def text_findings(blob: str, extraction: Extraction) -> list[TextFinding]:
    """Identifiers in an extracted text, per page; remembered by the file's blob id."""
    def compute() -> list[TextFinding]:
        if extraction.status != "ok":
            return []
        return [(i, extraction.where(i), f.message, f.rule.hint)
                for i, text in enumerate(extraction.pages) for f in find(text)]

    from bip.attachments.cache import readers_version  # another reader may read another text

    return recall("personal-text", lambda: f"{blob} {readers_version()}".encode(), compute, lambda v: [list(x) for x in v],
                  lambda known: [tuple(x) for x in known])


def _reader(root: Path, pack: str) -> AttachmentReader:
    from bip.attachments import AttachmentReader  # its readers load in the extraction worker only

    return AttachmentReader(root, pack=pack)


def check_attachments(root: Path, pages: Iterable[Page], problems: Problems, extractions: Extractions) -> None:
    """One error per identifier in the text of a current page's attachment (page file, key line, page)."""
    for page in pages:
        if has_basis(page.meta):
            continue
        for attachment in page.attachments:
            extraction = extractions.get(attachment.source)
            if extraction is None or extraction.status != "ok":
                continue
            key, line = attachment_key(page, attachment)
            for _, where, message, hint in text_findings(extraction.blob, extraction):
                problems.error(page.source, line, key, f"{message[:-1]} w załączniku „{attachment.file}” ({where}).",
                               hint)


def _version_hint(unit_source: str) -> str:
    return (f"Ta wersja jest nadal publikowana w rejestrze zmian. Wycofaj ją wpisem w rejestrze wycofań "
            f"{unit_source}/{REDACTIONS} albo, jeśli publikacja ma podstawę prawną, podaj ją w polu "
            f"„personal_data_basis” tej wersji.")


def check_versions(root: Path, unit: Unit, registry: UnitRegistry, problems: Problems,
                   reader: AttachmentReader | None = None) -> None:
    """Errors for identifiers in earlier versions still published in the registry (their text and their
    attachments), located in that version's file and line and naming its commit. A version with the same
    text as the current page, and an attachment the current page still has, are checked as the current page."""
    from bip.attachments import kind_of
    from bip.registry import version_attachments

    live = {page.source: page.content_hash for page in unit.pages}
    live_files = {page.source: {a.source for a in page.attachments} for page in unit.pages}
    hint = _version_hint(unit.source)
    reader = reader or _reader(root, unit.id)
    wanted: dict[str, list[tuple[Any, str, int, str]]] = {}  # blob → [(pv, key, line, file)]
    for source, page_history in sorted(registry.pages.items()):
        for pv in page_history.versions:
            page = pv.page
            if page is None or has_basis(page.meta):
                continue
            short = pv.version.commit[:7]
            # a version the withdrawal register took down is no longer published (bip.registry.redactions)
            if live.get(source) != page.content_hash and not pv.withdrawn:
                found = recall("personal-version", pv.version.blob.encode,
                               lambda page=page: [[line, key, f.message] for line, key, f in page_findings(
                                   page.meta, page.lines, page.body, page.body_line)])
                for line, key, message in found:
                    problems.error(pv.version.path, line, key, f"{message[:-1]} w wersji z commita {short}.", hint)
            for attachment in version_attachments(registry, unit, pv):
                stored = registry.file_at(attachment.source, pv.version.date)
                if stored is None or stored.withdrawn or not kind_of(attachment.file):
                    continue
                if attachment.source in live_files.get(source, set()) and \
                        _same_blob(root, attachment.source, stored.version.blob, reader):
                    continue
                key, line = attachment_key(page, attachment)
                wanted.setdefault(stored.version.blob, []).append((pv, key, line, attachment.file))
    if not wanted:
        return
    results = reader.read_blobs([(blob, uses[0][3]) for blob, uses in wanted.items()])
    reader.save()
    for blob, uses in sorted(wanted.items()):
        findings = text_findings(blob, results[blob])
        if not findings:
            continue
        pv, key, line, file = min(uses, key=lambda use: use[0].n)  # the stored file is one publication
        for _, where, message, _hint in findings:
            problems.error(pv.version.path, line, key, f"{message[:-1]} w załączniku „{file}” ({where}) w wersji "
                           f"z commita {pv.version.commit[:7]}.", hint)


def _same_blob(root: Path, source: str, blob: str, reader: AttachmentReader) -> bool:
    try:
        return reader.cache.blob_id(root / source) == blob
    except OSError:
        return False
