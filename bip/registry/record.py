"""The registry as JSON (`rejestr-zmian/rejestr.json`, schema: bip/schemas/registry.schema.json): every public
version of every page and every stored file version, with its commit and the SHA-256 of its source and
attachments, so that archives and citizens can verify what they downloaded. Its page versions are also what
the output's ledger records (bip.publish.ledger).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path

from bip.files import write_atomic
from bip.history import History
from bip.model import Region, Unit, unit_base_url
from bip.publish.ledger import RECORD
from bip.registry import KIND_LABELS, PageHistory, PageVersion, UnitRegistry, version_attachments

FORMAT = 1


class Digests:
    """SHA-256 of git blobs, kept per unit in the cache by blob id (a blob's bytes never change): a stored
    PDF is read once, not at every build of its unit."""

    def __init__(self, history: History, cache: Path | None):
        self.history, self.cache = history, cache
        try:
            self.known: dict[str, str] = json.loads(cache.read_bytes()) if cache else {}
        except (OSError, ValueError):
            self.known = {}
        self.added = False

    def of(self, blobs: set[str]) -> dict[str, str]:
        wanted = sorted(b for b in blobs if b and b not in self.known)
        for start in range(0, len(wanted), 256):  # bounded memory: a unit's attachments may be large
            for blob, data in self.history.read_blobs(wanted[start:start + 256]).items():
                self.known[blob] = hashlib.sha256(data).hexdigest()
                self.added = True
        return {b: self.known[b] for b in blobs if b in self.known}

    def save(self) -> None:
        if self.cache is not None and self.added:
            with contextlib.suppress(OSError):  # a cache only saves time
                write_atomic(self.cache, json.dumps(self.known, sort_keys=True).encode())


__all__ = ["RECORD", "Digests", "registry_record"]


def page_blobs(registry: UnitRegistry, unit: Unit, pv: PageVersion) -> tuple[str, list[tuple[str, str]]]:
    """The blob of a version's source and (path, blob) of each attachment it listed."""
    found = []
    for attachment in version_attachments(registry, unit, pv):
        stored = registry.file_at(attachment.source, pv.version.date)
        found.append((attachment.source, stored.version.blob if stored else ""))
    return pv.version.blob, found


def registry_record(region: Region, unit: Unit, registry: UnitRegistry, digests: Digests,
                    live: dict[str, int | None], lost: list[dict] | None = None) -> bytes:
    """The JSON bytes; each page version's `sha256` is set for its version page.

    `live`: per page history key, the number of the version the live page shows (it has no version page);
    `lost`: versions published before that the history no longer has, their loss acknowledged (the ledger's
    entries with the administrator's reason)."""
    rows: list[tuple[PageHistory, PageVersion, str, list[tuple[str, str]]]] = []
    for page_history in sorted(registry.pages.values(), key=lambda h: h.key):
        for pv in page_history.versions:
            blob, attached = page_blobs(registry, unit, pv) if pv.page is not None else ("", [])
            rows.append((page_history, pv, blob, attached))
    files = [fv for versions in registry.files.values() for fv in versions]
    sha = digests.of({b for _, _, blob, attached in rows for b in [blob, *(a for _, a in attached)]}
                     | {fv.version.blob for fv in files})
    entries = []
    for page_history, pv, blob, attached in rows:
        has_page = pv.page is not None
        title = (pv.page or page_history.last_page).title if (pv.page or page_history.last_page) else pv.url
        if has_page and blob in sha:
            pv.sha256 = sha[blob]
        previous = next((p for p in reversed(page_history.versions[:pv.n - 1]) if p.page is not None), None)
        entry = {
            "date": pv.date.isoformat(), "kind": pv.kind, "page": pv.version.path, "title": title,
            "entered_by": pv.editor, "commit": pv.version.commit,
            "sha256": sha.get(blob) if has_page else None,
            "attachments": [{"file": path, "sha256": sha.get(b)} for path, b in attached],
            "url": pv.url if has_page else None,
            "history_url": page_history.history_url,
            "version_url": (None if not has_page else pv.url if live.get(page_history.key) == pv.n
                            else page_history.version_url(pv.n)),
            "diff_url": page_history.diff_url(pv.n) if has_page and previous is not None else None,
        }
        if pv.signature:
            entry["signature"] = pv.signature
        entries.append(entry)
    entries.sort(key=lambda e: (e["date"], e["page"], e["commit"]))
    stored = sorted(({"date": fv.version.date.isoformat(), "kind": KIND_LABELS[fv.version.change], "file": fv.version.path,
                      "commit": fv.version.commit, "sha256": sha.get(fv.version.blob),
                      "url": fv.url or None} for fv in files), key=lambda f: (f["date"], f["file"], f["commit"]))
    data = {
        "format": FORMAT, "unit": unit.id, "name": unit.name,
        "address": unit_base_url(region, unit), "entries": entries, "files": stored,
        "lost_versions": sorted(({k: e[k] for k in ("page", "commit", "date", "sha256", "attachments", "reason")}
                                 for e in lost or []), key=lambda e: (e["date"], e["page"], e["commit"])),
    }
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return text.encode()
