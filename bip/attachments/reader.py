"""Attachments of a project read once per content: cache first, worker processes for the rest."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from bip.attachments.cache import SHARED_PACK, ExtractionCache
from bip.attachments.model import Extraction, Limits, kind_of
from bip.attachments.pool import extract_files


class AttachmentReader:
    """`read` for working-tree files, `read_blobs` for versions in git history; `save` writes the cache."""

    def __init__(self, root: Path, limits: Limits | None = None, workers: int = 1, pack: str = SHARED_PACK):
        self.root = root
        self.limits = limits or Limits()
        self.workers = workers
        self.cache = ExtractionCache(root, pack)  # one pack per unit in a build
        self.extracted = 0  # files actually read by a worker in this run (not from the cache)

    def read(self, paths: Iterable[Path], text: bool = True) -> dict[Path, Extraction]:
        """Results by path (a path of a kind we do not read gets status "unsupported")."""
        results: dict[Path, Extraction] = {}
        jobs: dict[str, tuple[str, str]] = {}
        wanted: dict[Path, str] = {}
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
            wanted[path] = blob
            cached = self.cache.get(blob, text=text)
            if cached is not None:
                results[path] = cached
            else:
                jobs[blob] = (str(path), kind)
        fresh = self._extract(jobs)
        for path, blob in wanted.items():
            results[path] = replace(results[path] if path in results else fresh[blob], blob=blob)
        return results

    def read_blobs(self, blobs: Iterable[tuple[str, str]], text: bool = True) -> dict[str, Extraction]:
        """Results by blob id for (blob id, file name) pairs from git history; git is asked only on a miss."""
        results: dict[str, Extraction] = {}
        missing: dict[str, str] = {}
        for blob, name in sorted(set(blobs)):
            kind = kind_of(name)
            cached = self.cache.get(blob, text=text) if kind else Extraction(kind, "unsupported")
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
                    jobs[blob] = (str(target), kind)
                results.update(self._extract(jobs))
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
