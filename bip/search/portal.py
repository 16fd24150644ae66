"""The portal's cross-unit search index, joined from the static indexes the units published.

Nothing is analysed again: each portal term shard lists, per unit, that unit's own entries (ids local to
the unit) and search.js joins them when it loads the shard. Each unit's entries are cut into fragments by
the worker that renders it and cached by its fingerprint in `.bip-cache/portal/`, so a join concatenates
cached bytes and an edit re-joins only the shards its unit's fragments change. The format and the reasons
are in docs/architecture.md, "Search indexes".
"""

from __future__ import annotations

import json
import os
import tempfile
from array import array
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bip.files import write_atomic
from bip.search.static import (
    FORMAT,
    MAX_SHARDS,
    WEIGHT_SCALE,
    analysis_settings,
    compact_json,
    fragments,
    shard_count,
    term_members,
)
from bip.search.synonyms import synonym_entries

RANGES = "ranges.json"
JOINED = "joined.json"
CACHE_FORMAT = 2


@dataclass
class Site:
    """One unit's index as the portal uses it: its meta.json and its entries cut into fragments."""

    unit: str
    name: str
    path: str  # of its index folder, relative to the portal's
    meta: dict[str, Any]
    offsets: array  # fragment n is blob[offsets[n]:offsets[n + 1]], n < MAX_SHARDS
    blob: bytes


def read_meta(folder: Path) -> dict[str, Any] | None:
    try:
        meta = json.loads((folder / "meta.json").read_bytes())
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) and meta.get("format") == FORMAT else None


def cut(unit: str, shards: Iterable[dict[str, dict[str, Any]]]) -> tuple[array, bytes]:
    """A unit's index entries (its term shards, parsed) as MAX_SHARDS fragments `[unit, {...}]` (see
    bip.search.static.fragments)."""
    postings: dict[str, str] = {}
    forms: dict[str, Any] = {}
    roots: dict[str, Any] = {}
    for data in shards:
        forms.update(data["f"])
        postings.update(data["p"])
        roots.update(data["r"])
    return fragments(unit, term_members(postings, forms, roots))


def save_site(cache: Path, unit: str, key: str, docs: int, offsets: array, blob: bytes) -> None:
    """A unit's fragments (of an index of `docs` documents) into the cache, written whole or not at all (a
    cache only saves time)."""
    stamp = {"format": CACHE_FORMAT, "key": key, "docs": docs}
    file = cache / f"{unit}.bin"
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as out:
            out.write(json.dumps(stamp).encode() + b"\n" + offsets.tobytes() + blob)
        if file.exists():
            os.replace(file, cache / f"{unit}.prev.bin")  # what the portal's shards may still hold
        os.replace(tmp, file)
    except OSError:
        pass


def _cached(file: Path, key: str) -> tuple[dict[str, Any], array, bytes] | None:
    """(stamp, offsets, fragments) of a cache file made for `key`, or None."""
    try:
        header, _, rest = file.read_bytes().partition(b"\n")
        stamp = json.loads(header)
        if not isinstance(stamp, dict) or stamp.get("format") != CACHE_FORMAT or stamp.get("key") != key:
            return None
        offsets = array("I")
        size = (MAX_SHARDS + 1) * offsets.itemsize
        offsets.frombytes(rest[:size])
        if len(offsets) == MAX_SHARDS + 1 and offsets[-1] == len(rest) - size:
            return stamp, offsets, rest[size:]
    except (OSError, ValueError):
        pass
    return None


def load_site(
    unit: str, name: str, folder: Path, path: str, key: str, meta: dict[str, Any], cache: Path | None
) -> Site | None:
    """The unit's index (its meta.json read as `meta`) as fragments: from the cache when it holds this
    fingerprint, else cut anew (and cached)."""
    if cache is not None and (found := _cached(cache / f"{unit}.bin", key)) and found[0].get("docs") == meta["docs"]:
        return Site(unit, name, path, meta, found[1], found[2])
    try:
        offsets, blob = cut(unit, (json.loads((folder / f"t/{n:x}.json").read_bytes()) for n in range(meta["shards"])))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a damaged index: the unit is left out of the portal's search, not the build
    if cache is not None:
        save_site(cache, unit, key, meta["docs"], offsets, blob)
    return Site(unit, name, path, meta, offsets, blob)


def join(
    units: Iterable[tuple[str, str, Path, str, str]], cache: Path | None = None,
    previous: tuple[Path, str] | None = None, tree: str = "",
) -> dict[str, bytes | Path]:
    """The portal's index files from (unit id, its name, its index folder, that folder relative to the
    portal's index folder, the unit's fingerprint), in the order given. A unit without a readable index
    is left out. With the cache and `previous` (the portal's index folder in the live tree, and that
    tree's key), a shard that would have the same bytes as there is given as that file's path instead;
    `tree`: the key of the tree the files are for, recorded for the next join."""
    found = [(unit, name, folder, path, key, meta) for unit, name, folder, path, key in units
             if (meta := read_meta(folder)) is not None]
    shards = shard_count(sum(int(meta.get("bytes", 0)) for *_, meta in found))  # from the size of the entries
    sites = [(site, key) for unit, name, folder, path, key, meta in found
             if (site := load_site(unit, name, folder, path, key, meta, cache)) is not None]
    types = sorted({name: label for site, _ in sites for name, label in reversed(site.meta["types"])}.items())
    type_index = {name: i for i, (name, _) in enumerate(types)}
    files: dict[str, bytes | Path] = {}
    same = _unchanged_shards(sites, shards, cache, previous)
    for shard in same:
        files[f"t/{shard:x}.json"] = previous[0] / f"t/{shard:x}.json"  # type: ignore[index]
    wanted = [n for n in range(MAX_SHARDS) if n & (shards - 1) not in same]  # shards: a power of two
    # fragment n of every unit goes to shard n % shards: columns of the units' fragments, joined in C
    columns = zip(*([site.blob[site.offsets[n]:site.offsets[n + 1]] for n in wanted] for site, _ in sites),
                  strict=True) if sites else ((b"",) for _ in wanted)
    parts: dict[int, list[bytes]] = {}
    for fragment, column in zip(wanted, columns, strict=True):
        pieces = parts.setdefault(fragment & (shards - 1), [])
        if joined := b",".join(filter(None, column)):
            pieces.append(joined)
    for shard, pieces in sorted(parts.items()):
        files[f"t/{shard:x}.json"] = b"[" + b",".join(pieces) + b"]"
    entries, ranges, base = [], [], 0
    for site, _ in sites:
        meta = site.meta
        mapped = [type_index[name] for name, _ in meta["types"]]
        entries.append([base, meta["docs"], meta["block"], site.path, mapped])
        ranges.extend([mapped[t], year, start + base, end + base] for t, year, start, end in meta["ranges"])
        base += meta["docs"]
    files[RANGES] = compact_json(ranges)
    files["meta.json"] = compact_json({
        "format": FORMAT, "docs": base, "shards": shards, "scale": WEIGHT_SCALE, "types": [list(t) for t in types],
        "units": [[site.unit, site.name] for site, _ in sites], "sites": entries, "ranges": RANGES,
        "analysis": analysis_settings(),
        "synonyms": synonym_entries(),
    })
    if cache is not None:
        record = {"format": CACHE_FORMAT, "tree": tree, "shards": shards,
                  "units": [[one.unit, key] for one, key in sites]}
        with suppress(OSError):  # a cache that cannot be written only costs time
            write_atomic(cache / JOINED, json.dumps(record).encode())
    return dict(sorted(files.items()))


def _unchanged_shards(
    sites: list[tuple[Site, str]], shards: int, cache: Path | None, previous: tuple[Path, str] | None
) -> set[int]:
    """The shards whose bytes equal those of the previous tree's (joined for that tree, of the same units in
    the same order into as many shards; the fragments of the units changed since compared with what they
    were then)."""
    if cache is None or previous is None or not previous[1]:
        return set()
    try:
        record = json.loads((cache / JOINED).read_bytes())
        if (record.get("format") != CACHE_FORMAT or record.get("tree") != previous[1] or record.get("shards") != shards
                or [unit for unit, _ in record["units"]] != [site.unit for site, _ in sites]):
            return set()
        before = dict(record["units"])
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return set()
    dirty: set[int] = set()
    for site, key in sites:
        if before[site.unit] == key:
            continue
        old = _cached(cache / f"{site.unit}.prev.bin", before[site.unit])
        if old is None:
            return set()
        _, offsets, blob = old
        new = site.offsets
        dirty.update(n & (shards - 1) for n in range(MAX_SHARDS)
                     if blob[offsets[n]:offsets[n + 1]] != site.blob[new[n]:new[n + 1]])
    unchanged = set(range(shards)) - dirty
    return {n for n in unchanged if (previous[0] / f"t/{n:x}.json").is_file()}


