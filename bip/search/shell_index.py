"""The whoosh indexes `bip search` queries, made from the published document lists when it first asks.

A build publishes each unit's documents (`szukaj/dokumenty.json`) and notes where its output is
(`bip.job.note_output`); it does not index them again for the shell, since most builds (CI's) are never
searched from one. `bip search` makes the index of each published unit whose index lacks the unit's
current fingerprint, in processes of their own, and then searches. A unit's index is made whole from what
is published now, and a build (or `bip merge`) removes the index of every unit it brings anew
(`bip.job.forget_search_index`): text withdrawn from a site never stays behind in an index.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
from pathlib import Path

from bip.job import MANIFEST, PUBLISHED
from bip.search.index import index_stamp
from bip.search.site import refresh_whoosh


def published_units(index_root: Path) -> dict[str, tuple[Path, str]] | None:
    """Unit id → (its folder in the live output, its fingerprint); None when no build said where it published."""
    try:
        out = Path(json.loads((index_root / PUBLISHED).read_text(encoding="utf-8"))["out"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    units: dict[str, tuple[Path, str]] = {}
    for folder in sorted(out.iterdir()) if out.is_dir() else []:
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(manifest, dict) and manifest.get("unit") == folder.name:
            units[folder.name] = (folder, str(manifest.get("fingerprint")))
    return units


def prepare(index_root: Path, unit: str | None = None, jobs: int | None = None) -> None:
    """Make the indexes of the published units (or of `unit`) that do not hold what is published now, and
    remove those of units no longer published."""
    units = published_units(index_root)
    if units is None:
        return  # indexes of an earlier bip, or none: searched as they are
    if index_root.is_dir():
        for folder in sorted(index_root.iterdir()) if unit is None else [index_root / unit]:
            if folder.is_dir() and not folder.name.startswith((".", "_")) and folder.name not in units:
                shutil.rmtree(folder, ignore_errors=True)
    wanted = [unit] if unit is not None else sorted(units)
    todo = [(str(units[u][0]), str(index_root / u), units[u][1]) for u in wanted
            if u in units and index_stamp(index_root / u) != units[u][1]]
    jobs = min(jobs or os.cpu_count() or 1, len(todo))
    if jobs > 1:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            pool.starmap(_make, todo, chunksize=1)
    else:
        for task in todo:
            _make(*task)


def _make(published: str, index_dir: str, fingerprint: str) -> None:
    refresh_whoosh(Path(published), Path(index_dir), fingerprint)
