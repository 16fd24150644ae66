"""Extraction results in .bip-cache/attachments/, keyed by git blob id: a file is read once per content.

One pack per unit (or other caller-chosen name), not a file per attachment: a cold build of 34,000
attachments made and a `--clean` deleted 68,000 small files, which cost more than reading them. A pack is
`<name>.json` (blob ids of working-tree files by path, size and mtime; status and facts per blob, with
where its text is) and `<name>.text`, the texts appended one after another, so a new file never rewrites
the texts already there. The folder name carries the readers' versions: a new library version reads
everything again. Entries are not pruned; `bip build --clean` starts the cache anew.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from functools import cache
from pathlib import Path
from typing import IO

from bip.attachments.model import Extraction
from bip.files import write_atomic
from bip.history.blobs import git_blob_id
from bip.libraries import distribution_versions

FORMAT = 2
READERS = ("pypdfium2", "lxml", "odfpy", "python-calamine", "striprtf")
SHARED_PACK = "_shared"  # for callers that read files of no particular unit


@cache
def readers_version() -> str:
    lines = [f"format {FORMAT}", *distribution_versions(READERS)]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


class ExtractionCache:
    def __init__(self, root: Path, pack: str = SHARED_PACK):
        self.root = root
        self.folder = root / ".bip-cache" / "attachments" / readers_version()
        self.index_file = self.folder / f"{pack}.json"
        self.text_file = self.folder / f"{pack}.text"
        self._index: dict | None = None  # {"ids": {path: [size, mtime_ns, blob]}, "blobs": {blob: summary}}
        self._text: IO[bytes] | None = None  # reading texts
        self._out: IO[bytes] | None = None  # appending texts, under an exclusive lock
        self._dirty = False

    @property
    def index(self) -> dict:
        if self._index is None:
            data = _load(self.index_file)
            ids, blobs = data.get("ids"), data.get("blobs")
            self._index = {"ids": ids if isinstance(ids, dict) else {}, "blobs": blobs if isinstance(blobs, dict) else {}}
        return self._index

    def blob_id(self, path: Path) -> str:
        stat = path.stat()
        ids = self.index["ids"]
        key = str(path)
        entry = ids.get(key)
        if isinstance(entry, list) and len(entry) == 3 and entry[:2] == [stat.st_size, stat.st_mtime_ns]:
            return str(entry[2])
        value = git_blob_id(path.read_bytes())
        ids[key] = [stat.st_size, stat.st_mtime_ns, value]
        self._dirty = True
        return value

    def get(self, blob: str, text: bool = True) -> Extraction | None:
        """The cached result; with text=False its pages are left empty (the texts are not read)."""
        summary = self.index["blobs"].get(blob)
        if not isinstance(summary, dict):
            return None
        summary = dict(summary)
        where = summary.pop("text", None)
        pages: list[str] = []
        if text and summary.get("status") == "ok":
            try:
                pages = json.loads(self._read_text(*where))
            except (OSError, ValueError, TypeError):
                return None
        try:
            return Extraction.from_json({**summary, "pages": pages})
        except (KeyError, TypeError):
            return None

    def put(self, blob: str, extraction: Extraction) -> None:
        data = extraction.to_json()
        pages = data.pop("pages")
        data.pop("blob", None)
        if extraction.status == "ok":
            data["text"] = self._append(json.dumps(pages, ensure_ascii=False).encode("utf-8"))
        self.index["blobs"][blob] = data
        self._dirty = True

    def save(self) -> None:
        self.close()
        if self._dirty:
            write_atomic(self.index_file, json.dumps(self.index, ensure_ascii=False, sort_keys=True).encode("utf-8"))
            self._dirty = False

    def close(self) -> None:
        for handle in (self._text, self._out):
            if handle is not None:
                handle.close()  # closing releases the lock
        self._text = self._out = None

    def _read_text(self, offset: int, length: int) -> bytes:
        if self._text is None:
            self._text = open(self.text_file, "rb")  # noqa: SIM115 - kept open for the pack's other texts
        self._text.seek(offset)
        data = self._text.read(length)
        if len(data) != length:
            raise ValueError("text pack shorter than its index")
        return data

    def _append(self, data: bytes) -> list[int]:
        """Append one text; the pack stays locked against other processes' appends until `save`. Its place."""
        if self._out is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._out = open(self.text_file, "ab")  # noqa: SIM115 - held until save(): one open per batch
            fcntl.flock(self._out, fcntl.LOCK_EX)
        offset = self._out.seek(0, os.SEEK_END)
        self._out.write(data)
        self._out.flush()  # readable at once through the read handle
        return [offset, len(data)]


def _load(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


__all__ = ["SHARED_PACK", "ExtractionCache", "git_blob_id", "readers_version"]
