"""Extraction results in .bip-cache/attachments/, keyed by git blob id: a file is read once per content.

Per blob two small files: `<id>.facts.json` (status and facts: what the audit and labels need) and
`<id>.text.json` (the text, read only by those who index it), so a run touches only the attachments it
asks about. Blob ids of working-tree files are remembered by (size, mtime_ns), one table per folder.
The folder name carries the readers' versions, so a new library version reads everything again.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
from functools import cache
from pathlib import Path

from bip.attachments.model import Extraction
from bip.files import write_atomic

FORMAT = 1
READERS = ("pypdfium2", "python-docx", "odfpy", "openpyxl", "striprtf")


@cache
def readers_version() -> str:
    lines = [f"format {FORMAT}"]
    for name in READERS:
        try:
            lines.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            lines.append(f"{name} -")
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def git_blob_id(data: bytes) -> str:
    """The id git gives these bytes (`git hash-object`), so working-tree files and history share entries."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class ExtractionCache:
    def __init__(self, root: Path):
        self.folder = root / ".bip-cache" / "attachments" / readers_version()
        self._ids: dict[Path, dict[str, list]] = {}  # id table file → {file name: [size, mtime_ns, blob]}
        self._dirty: set[Path] = set()

    def blob_id(self, path: Path) -> str:
        stat = path.stat()
        table_file = self.folder / "ids" / f"{hashlib.sha1(str(path.parent).encode()).hexdigest()[:20]}.json"
        table = self._ids.get(table_file)
        if table is None:
            table = self._ids[table_file] = _load(table_file)
        entry = table.get(path.name)
        if isinstance(entry, list) and len(entry) == 3 and entry[:2] == [stat.st_size, stat.st_mtime_ns]:
            return str(entry[2])
        value = git_blob_id(path.read_bytes())
        table[path.name] = [stat.st_size, stat.st_mtime_ns, value]
        self._dirty.add(table_file)
        return value

    def _path(self, blob: str, part: str) -> Path:
        return self.folder / blob[:2] / f"{blob[2:]}.{part}.json"

    def get(self, blob: str, text: bool = True) -> Extraction | None:
        """The cached result; with text=False its pages are left empty (the text file is not read)."""
        summary = _load(self._path(blob, "facts"))
        if not summary:
            return None
        pages: list[str] = []
        if text and summary.get("status") == "ok":
            try:
                pages = json.loads(self._path(blob, "text").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return None
        return Extraction.from_json({**summary, "pages": pages})

    def put(self, blob: str, extraction: Extraction) -> None:
        data = extraction.to_json()
        pages = data.pop("pages")
        if extraction.status == "ok":  # the text first: facts without their text would be a hit
            write_atomic(self._path(blob, "text"), json.dumps(pages, ensure_ascii=False).encode("utf-8"))
        write_atomic(self._path(blob, "facts"), json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"))

    def save(self) -> None:
        for table_file in sorted(self._dirty):
            write_atomic(table_file, json.dumps(self._ids[table_file], sort_keys=True).encode("utf-8"))
        self._dirty.clear()


def _load(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


__all__ = ["ExtractionCache", "git_blob_id", "readers_version"]
