"""Render memo: skip rendering an output whose inputs are unchanged since the previous snapshot.

Before a template is rendered, its whole context is reduced to a digest (pages by their content
hash and metadata, units and the region by their data); when the digest equals the one recorded
for the same output of the previous snapshot, the previous file is linked instead.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from bip.model import Page, Region, Unit

REUSE = object()  # returned instead of bytes: link the previous snapshot's file
FORMAT = 1


def _feed(value: Any, out: list[str], seen: dict[int, str]) -> None:
    if value is None or isinstance(value, (str, int, float, bool)):
        out.append(repr(value))
    elif isinstance(value, (dt.date, dt.datetime)):
        out.append(value.isoformat())
    elif isinstance(value, dict):
        out.append("{")
        for key in sorted(value, key=str):
            out.append(str(key))
            _feed(value[key], out, seen)
        out.append("}")
    elif isinstance(value, (list, tuple, set, frozenset)):
        out.append("[")
        for item in (sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value):
            _feed(item, out, seen)
        out.append("]")
    elif isinstance(value, Unit):
        out.append("unit:" + value.id + _digest_once(value.data, seen))
    elif isinstance(value, Region):
        out.append("region:" + _digest_once(value.data, seen))
    elif isinstance(value, Page):
        key = id(value)
        if key not in seen:
            parts: list[str] = []
            _feed([value.source, value.url, value.title, value.type, value.content_hash, value.meta,
                   value.attachments, value.metryczka, value.draft, value.publish_at], parts, seen)
            seen[key] = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
        out.append("page:" + seen[key])
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        out.append(type(value).__name__)
        for f in dataclasses.fields(value):
            _feed(getattr(value, f.name), out, seen)
    elif callable(value):
        out.append("fn")  # link()/asset(): determined by the url and theme, both in the digest
    else:
        out.append(repr(value))


def _digest_once(data: Any, seen: dict[int, str]) -> str:
    key = id(data)
    if key not in seen:
        parts: list[str] = []
        _feed(data, parts, seen)
        seen[key] = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return seen[key]


def digest(template: str, context: dict[str, Any], seen: dict[int, str]) -> str:
    parts: list[str] = [template]
    _feed(context, parts, seen)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class RenderMemo:
    """Digests of the previous snapshot's outputs, and the ones recorded in this build."""

    def __init__(self, path: Path, previous: Path | None, known: dict[str, str], salt: str = ""):
        self.path, self.previous, self.known, self.salt = path, previous, known, salt
        self.recorded: dict[str, str] = {}
        self.seen: dict[int, str] = {}

    @classmethod
    def load(cls, path: Path, previous: Path | None, salt: str) -> RenderMemo:
        """salt: everything outside the context that shapes every page (generator, theme, region)."""
        known: dict[str, str] = {}
        if previous is not None:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if (isinstance(data, dict) and data.get("format") == FORMAT and data.get("snapshot") == previous.name
                        and isinstance(data.get("digests"), dict)):
                    known = data["digests"]
            except (OSError, ValueError):
                known = {}  # a corrupt or foreign memo is ignored: everything renders
        return cls(path, previous, known, salt)

    def reusable(self, output: str, value: str) -> bool:
        self.recorded[output] = value
        return (self.previous is not None and self.known.get(output) == value
                and (self.previous / output).is_file())

    def save(self, snapshot: str, warnings: list[dict[str, Any]]) -> None:
        """Record the new snapshot's digests, and its warnings to repeat while it stays unchanged."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(f".tmp{os.getpid()}")
        temporary.write_text(json.dumps({"format": FORMAT, "snapshot": snapshot, "digests": self.recorded,
                                         "warnings": warnings}, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self.path)

    @staticmethod
    def warnings(path: Path, snapshot: str) -> list[dict[str, Any]]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        if not isinstance(data, dict) or data.get("snapshot") != snapshot or not isinstance(data.get("warnings"), list):
            return []
        return [w for w in data["warnings"] if isinstance(w, dict) and set(w) == {"file", "line", "key", "message",
                                                                                   "hint", "severity"}]
