"""Attachments of a project read once per content: cache first, worker processes for the rest."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from bip.attachments.cache import SHARED_PACK, ExtractionCache
from bip.attachments.model import Extraction, Limits, kind_of
from bip.attachments.ocr import cache_tag, ocr_enabled
from bip.attachments.pool import extract_files


class AttachmentReader:
    """`read` for working-tree files, `read_blobs` for versions in git history; `save` writes the cache."""

    def __init__(self, root: Path, limits: Limits | None = None, workers: int = 1, pack: str = SHARED_PACK,
                 ocr: bool | None = None):
        """`ocr`: recognise scanned PDF pages; None = as the project asks (region.yaml, BIP_OCR) if possible."""
        self.root = root
        self.limits = replace(limits or Limits(), ocr=ocr_enabled(root) if ocr is None else ocr)
        self.workers = workers
        self.cache = ExtractionCache(root, pack)  # one pack per unit in a build
        self.extracted = 0  # files actually read by a worker in this run (not from the cache)
        self._ocr_tag = cache_tag() if self.limits.ocr else ""

    def _key(self, blob: str, kind: str) -> str:
        """The cache key: a PDF read with recognition is another result than one read without."""
        return f"{blob}-{self._ocr_tag}" if self._ocr_tag and kind == "pdf" else blob

    def _cached(self, blob: str, kind: str, text: bool) -> Extraction | None:
        """The cached result; with recognition on, a PDF read without it that has no scanned page will do."""
        found = self.cache.get(self._key(blob, kind), text=text)
        if found is None and self._ocr_tag and kind == "pdf":
            plain = self.cache.get(blob, text=text)
            if plain is not None and plain.status == "ok" and not plain.facts.image_pages:
                return plain
        return found

    def read(self, paths: Iterable[Path], text: bool = True) -> dict[Path, Extraction]:
        """Results by path (a path of a kind we do not read gets status "unsupported")."""
        results: dict[Path, Extraction] = {}
        jobs: dict[str, tuple[str, str]] = {}
        wanted: dict[Path, tuple[str, str]] = {}  # path → (blob id, cache key)
        for path in sorted(set(paths)):
            kind = kind_of(path.name)
            if not kind:
                results[path] = Extraction(kind, "unsupported")
                continue
            try:
                blob = self.cache.blob_id(path)
            except OSError as error:
                results[path] = Extraction(kind, "corrupt", detail=str(error))
                continue
            key = self._key(blob, kind)
            wanted[path] = (blob, key)
            cached = self._cached(blob, kind, text)
            if cached is not None:
                results[path] = cached
            else:
                jobs[key] = (str(path), kind)
        fresh = self._extract(jobs)
        for path, (blob, key) in wanted.items():
            results[path] = replace(results[path] if path in results else fresh[key], blob=blob)
        return results

    def read_blobs(self, blobs: Iterable[tuple[str, str]], text: bool = True) -> dict[str, Extraction]:
        """Results by blob id for (blob id, file name) pairs from git history; git is asked only on a miss."""
        results: dict[str, Extraction] = {}
        missing: dict[str, str] = {}
        for blob, name in sorted(set(blobs)):
            kind = kind_of(name)
            cached = self._cached(blob, kind, text) if kind else Extraction(kind, "unsupported")
            if cached is not None:
                results[blob] = cached
            else:
                missing[blob] = kind
        if missing:
            with tempfile.TemporaryDirectory(prefix="bip-blobs-") as folder:
                jobs = {}
                for blob, kind in missing.items():
                    target = Path(folder) / f"{blob}.{kind}"
                    with open(target, "wb") as out:
                        done = subprocess.run(["git", "cat-file", "blob", blob], cwd=self.root, stdout=out,
                                              stderr=subprocess.DEVNULL, check=False)
                    if done.returncode != 0:
                        results[blob] = Extraction(kind, "corrupt", detail="blob not in the repository")
                        continue
                    jobs[self._key(blob, kind)] = (str(target), kind)
                fresh = self._extract(jobs)
                results.update({blob: fresh[key] for blob, kind in missing.items() if (key := self._key(blob, kind)) in fresh})
        return {blob: replace(extraction, blob=blob) for blob, extraction in results.items()}

    def _extract(self, jobs: dict[str, tuple[str, str]]) -> dict[str, Extraction]:
        if not jobs:
            return {}
        fresh = extract_files(((blob, path, kind) for blob, (path, kind) in jobs.items()), self.limits, self.workers)
        for blob, extraction in fresh.items():  # failures too: a bomb costs its time limit once, not every build
            self.cache.put(blob, extraction)
        self.extracted += len(fresh)
        return fresh

    def save(self) -> None:
        self.cache.save()
