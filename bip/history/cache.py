"""On-disk cache of parsed history, keyed by HEAD; checked on read, written atomically."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from bip.model import Version

from .gitlog import Commit

# Bump whenever parsing rules or the layout below change, so old files are never misread.
FORMAT = 1
_CHANGES = frozenset("AMRD")


def cache_file(cache_dir: Path, head: str, prefix: str, subdir: str, shallow: bool) -> Path:
    return cache_dir / f"history-{FORMAT}-{_key(prefix, subdir, shallow)}-{head}.json"


def earlier_files(target: Path) -> list[Path]:
    """Cache files of other HEADs of the same repository and folder as `target` (dump keeps one)."""
    return [p for p in target.parent.glob(target.name.rsplit("-", 1)[0] + "-*.json") if p != target]


def head_of(path: Path) -> str:
    return path.stem.rsplit("-", 1)[-1]


def _key(prefix: str, subdir: str, shallow: bool) -> str:
    # Shallow is part of the key: `git fetch --unshallow` completes history without moving HEAD.
    raw = f"{prefix}\0{subdir}\0{shallow}".encode("utf-8", "surrogateescape")
    return hashlib.sha256(raw).hexdigest()[:16]


def dump(
    path: Path,
    head: str,
    prefix: str,
    subdir: str,
    shallow: bool,
    commits: list[Commit],
    files: dict[str, list[Version]],
) -> None:
    """Write atomically; a cache that cannot be written is skipped, since it only saves time."""
    index = {c.sha: k for k, c in enumerate(commits)}
    paths: dict[str, int] = {}

    def pid(p: str) -> int:
        return paths.setdefault(p, len(paths))

    chains = [
        [pid(name), [[index[v.commit], v.change, pid(v.path), pid(v.old_path) if v.old_path else -1, v.blob]
                     for v in chain]]
        for name, chain in sorted(files.items())
    ]  # fmt: skip
    body = json.dumps(
        {
            "head": head,
            "prefix": prefix,
            "subdir": subdir,
            "shallow": shallow,
            "commits": [[c.sha, c.author_name, c.author_email, c.date.isoformat(), c.message] for c in commits],
            "paths": list(paths),
            "files": chains,
        },
        separators=(",", ":"),
    ).encode("ascii")  # ensure_ascii keeps undecodable path bytes (surrogates) representable
    header = json.dumps({"format": FORMAT, "sha256": hashlib.sha256(body).hexdigest()}).encode("ascii")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".history-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(header + b"\n" + body)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        # Older HEADs of the same repository and folder are never read again.
        for old in earlier_files(path):
            old.unlink(missing_ok=True)
    except OSError:
        pass


def load(
    path: Path, head: str, prefix: str, subdir: str, shallow: bool
) -> tuple[list[Commit], dict[str, list[Version]]] | None:
    """The cached commits and chains, or None when the file is absent, foreign or damaged."""
    try:
        raw = path.read_bytes()
        first, _, body = raw.partition(b"\n")
        header = json.loads(first)
        if header.get("format") != FORMAT or header.get("sha256") != hashlib.sha256(body).hexdigest():
            return None
        data = json.loads(body)
        if (data["head"], data["prefix"], data["subdir"], data["shallow"]) != (head, prefix, subdir, shallow):
            return None
        return _rebuild(data)
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None


def _rebuild(data: dict[str, Any]) -> tuple[list[Commit], dict[str, list[Version]]]:
    commits = [
        Commit(_str(sha), _str(name), _str(email), dt.datetime.fromisoformat(date), _str(message))
        for sha, name, email, date, message in data["commits"]
    ]
    if any(c.date.tzinfo is None for c in commits):
        raise ValueError("naive date")
    paths = [_str(p) for p in data["paths"]]
    files: dict[str, list[Version]] = {}
    for name, chain in data["files"]:
        versions = []
        for ci, change, pi, opi, blob in chain:
            if change not in _CHANGES or ci < 0 or pi < 0:
                raise ValueError("bad version")
            versions.append(commits[ci].version(change, paths[pi], paths[opi] if opi >= 0 else "", _str(blob)))
        if not versions or name < 0:
            raise ValueError("bad chain")
        files[paths[name]] = versions
    return commits, files


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value
