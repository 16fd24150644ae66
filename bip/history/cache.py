"""On-disk cache of parsed history: a small index per HEAD, and the chains in parts, one per unit folder.

One folder per repository prefix, content folder and shallowness (`history-<FORMAT>-<key>/`) holds:
- `head-<HEAD>.json`: the commits (oldest first) and, per bucket (the folder right below the content
  folder: a unit), the name of its part, its history signature and the other buckets its chains touch
  (a file renamed from one unit into another);
- `part-<sha256>.json`: the chains whose latest path is in one bucket, named by the hash of their bytes.

A new HEAD writes only the parts of the buckets its new commits touched, and a new index: the parts of
every other unit stay as they are. A build that needs nothing but signatures reads the index alone; a
unit's versions are read from its parts when they are asked for. Every file is checked when read
(checksum, format, HEAD); one that fails counts as absent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bip.files import write_atomic
from bip.model import Version

from .gitlog import Commit

# Bump whenever parsing rules or the layout below change, so old files are never misread.
FORMAT = 2
_CHANGES = frozenset("AMRD")


@dataclass(frozen=True)
class Bucket:
    part: str  # file name of the part holding the bucket's chains
    signature: str  # history signature of the bucket (bip.history.History.signature)
    touches: tuple[str, ...]  # other buckets that versions of its chains lie in (renames across units)


@dataclass
class Index:
    folder: Path
    head: str
    commits: list[Commit]
    buckets: dict[str, Bucket]


def bucket_of(path: str, subdir: str) -> str:
    """The folder right below `subdir` that `path` lies in (or the path itself, if it is a file there)."""
    depth = len(subdir.split("/")) + 1 if subdir else 1
    return "/".join(path.split("/", depth)[:depth])


def cache_folder(cache_dir: Path, prefix: str, subdir: str, shallow: bool) -> Path:
    # Shallow is part of the key: `git fetch --unshallow` completes history without moving HEAD.
    raw = f"{prefix}\0{subdir}\0{shallow}".encode("utf-8", "surrogateescape")
    return cache_dir / f"history-{FORMAT}-{hashlib.sha256(raw).hexdigest()[:16]}"


def index_file(folder: Path, head: str) -> Path:
    return folder / f"head-{head}.json"


def earlier_heads(folder: Path, head: str) -> list[str]:
    """HEADs other than `head` that the folder has an index of (writing an index removes the others)."""
    try:
        names = sorted(e.name for e in os.scandir(folder))
    except OSError:
        return []
    return [n[5:-5] for n in names if n.startswith("head-") and n.endswith(".json") and n != f"head-{head}.json"]


def load_index(folder: Path, head: str, prefix: str, subdir: str, shallow: bool) -> Index | None:
    """The index of `head`, or None when it is absent, foreign or damaged."""
    try:
        raw = index_file(folder, head).read_bytes()
        first, _, body = raw.partition(b"\n")
        header = json.loads(first)
        if header.get("format") != FORMAT or header.get("sha256") != hashlib.sha256(body).hexdigest():
            return None
        data = json.loads(body)
        if (data["head"], data["prefix"], data["subdir"], data["shallow"]) != (head, prefix, subdir, shallow):
            return None
        commits = [
            Commit(_str(sha), _str(name), _str(email), dt.datetime.fromisoformat(date), _str(message))
            for sha, name, email, date, message in data["commits"]
        ]
        if any(c.date.tzinfo is None for c in commits):
            return None
        buckets = {
            _str(b): Bucket(_str(part), _str(sig), tuple(_str(t) for t in touches))
            for b, (part, sig, touches) in data["buckets"].items()
        }
        return Index(folder, head, commits, buckets)
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None


def load_part(folder: Path, part: str, commits: list[Commit]) -> dict[str, list[Version]] | None:
    """The chains of one part, or None when the file is absent or damaged (then it is removed, so that
    writing the part again replaces it)."""
    try:
        body = (folder / part).read_bytes()
        if part != _part_name(body):
            (folder / part).unlink()
            return None
        data = json.loads(body)
        paths = [_str(p) for p in data["paths"]]
        files: dict[str, list[Version]] = {}
        for name, chain in data["chains"]:
            versions = []
            for ci, change, pi, opi, blob in chain:
                if change not in _CHANGES or ci < 0 or pi < 0:
                    return None
                versions.append(commits[ci].version(change, paths[pi], paths[opi] if opi >= 0 else "", _str(blob)))
            if not versions or name < 0:
                return None
            files[paths[name]] = versions
        return files
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None


def part_bytes(chains: dict[str, list[Version]], position: dict[str, int]) -> tuple[str, bytes]:
    """(file name, bytes) of the part holding `chains`; `position`: commit id → index in the commits."""
    paths: dict[str, int] = {}

    def pid(p: str) -> int:
        return paths.setdefault(p, len(paths))

    listed = [
        [pid(name), [[position[v.commit], v.change, pid(v.path), pid(v.old_path) if v.old_path else -1, v.blob]
                     for v in chain]]
        for name, chain in sorted(chains.items())
    ]  # fmt: skip
    # ensure_ascii keeps undecodable path bytes (surrogates) representable
    body = json.dumps({"paths": list(paths), "chains": listed}, separators=(",", ":")).encode("ascii")
    return _part_name(body), body


def write(
    folder: Path, head: str, prefix: str, subdir: str, shallow: bool, commits: list[Commit],
    buckets: dict[str, Bucket], parts: dict[str, bytes],
) -> None:
    """Write the new parts, then the index of `head`; remove other HEADs' indexes and the parts no index
    names. A cache that cannot be written is skipped, since it only saves time."""
    body = json.dumps(
        {
            "head": head,
            "prefix": prefix,
            "subdir": subdir,
            "shallow": shallow,
            "commits": [[c.sha, c.author_name, c.author_email, c.date.isoformat(), c.message] for c in commits],
            "buckets": {b: [k.part, k.signature, list(k.touches)] for b, k in sorted(buckets.items())},
        },
        separators=(",", ":"),
    ).encode("ascii")
    header = json.dumps({"format": FORMAT, "sha256": hashlib.sha256(body).hexdigest()}).encode("ascii")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in sorted(parts.items()):
            if not (folder / name).exists():
                write_atomic(folder / name, data)
        write_atomic(index_file(folder, head), header + b"\n" + body)
        keep = {index_file(folder, head).name} | {k.part for k in buckets.values()}
        for entry in os.scandir(folder):
            if entry.name not in keep and not entry.name.startswith("."):
                os.unlink(entry.path)  # earlier HEADs are never read again, nor parts only they named
        for legacy in folder.parent.glob("history-1-*.json"):
            legacy.unlink()  # the whole-history files of format 1, which nothing reads any more
    except OSError:
        pass


def _part_name(body: bytes) -> str:
    return f"part-{hashlib.sha256(body).hexdigest()[:32]}.json"


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value
