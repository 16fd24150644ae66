"""What a build is asked to do and what it reports per unit: shared by the orchestration and the workers.

Kept free of the render step's libraries, so that a build with nothing to render never imports them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from bip.files import write_atomic

CACHE_DIR = ".bip-cache"
PUBLISHED = "published.json"  # in search_cache(): {"out": the folder the last build published}
MANIFEST = "bip-manifest.json"  # in each unit's snapshot: its unit, fingerprint and files (bip.publish.store)
PORTAL_LATEST = 20


@dataclass
class Options:
    root: Path
    out: Path
    units: list[str] = field(default_factory=list)
    jobs: int = 0
    now: dt.datetime | None = None
    allow_dirty: bool = False
    allow_shallow: bool = False
    preview: bool = False
    preview_edit: bool = False  # a preview rebuild of the units an edit touched (see write_portal)
    shard: tuple[int, int] | None = None  # (k, n): build the k-th of n stable subsets of units, no portal
    strict: bool = False
    ci: bool = False
    histories: dict | None = None  # `bip serve`: the history read by the previous build, kept while HEAD stays


@dataclass
class UnitReport:
    id: str
    status: str  # "built" | "unchanged" | "failed" | "skipped"
    pages: int = 0
    files: int = 0
    rendered: int = 0  # templates rendered
    reused: int = 0  # outputs linked from the previous snapshot without rendering
    seconds: float = 0.0
    reason: str = ""  # why a unit failed: "content" (errors in its files) or "internal" (bip or a worker failed)


def unit_of(source: str) -> str:
    """The unit a problem's file belongs to ("content/<unit>" or anything under it), "" for the region's own
    (content/, content/region.yaml, themes, the output)."""
    parts = source.split("/")
    if len(parts) < 2 or parts[0] != "content" or (len(parts) == 2 and parts[1] == "region.yaml"):
        return ""
    return parts[1]


def unit_label(source: str) -> str:
    """Where a problem's file belongs, as a build's summary counts warnings: "content/<unit>", or the
    file itself for the region's own."""
    return f"content/{unit}" if (unit := unit_of(source)) else source


def portal_cache(root: Path, preview: bool) -> Path:
    """Where each unit's search entries, cut for the portal's index, are kept (bip.search.portal)."""
    return root / CACHE_DIR / ("portal-preview" if preview else "portal")


def search_cache(root: Path) -> Path:
    """Where `bip search`'s whoosh indexes are kept, a folder per unit, made when it asks (bip.search.shell_index)."""
    return root / CACHE_DIR / "search"


def note_output(root: Path, out: Path) -> None:
    """Say where the build published: `bip search` indexes the units' document lists found there."""
    path, data = search_cache(root) / PUBLISHED, (json.dumps({"out": os.path.abspath(out)}) + "\n").encode()
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomic(path, data)


def forget_search_index(root: Path, unit_id: str) -> None:
    """Remove a unit's `bip search` index: the unit is rendered anew, and its index is made again from what
    it publishes now when it is next searched (text withdrawn from the site never stays behind in it)."""
    shutil.rmtree(search_cache(root) / unit_id, ignore_errors=True)


def memo_file(root: Path, unit_id: str) -> Path:
    return root / CACHE_DIR / "units" / f"{unit_id}.json"


def parsed_file(root: Path, scope: str) -> Path:
    """Where parse and check results of a scope (the region's unit.yaml files, or one unit) are kept."""
    return root / CACHE_DIR / "parsed" / f"{scope}.bin"
