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
import marshal
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from bip.doctypes import DocType
from bip.files import write_atomic
from bip.model import Page, Region, Unit
from bip.problems import Problem, WarningBlock, encoded_rows
from bip.registry import PageHistory, PageVersion

REUSE = object()  # returned instead of bytes: link the previous snapshot's file
FORMAT = 4

# fed into many outputs of a unit (a page's history into each of its versions and diffs): digested once
_ONCE = (PageHistory, PageVersion, DocType)


Seen = dict[int, tuple[object, str]]  # id → (the object, kept alive so that its id is not reused; its digest)


# exact types whose digest is their repr (subclasses, such as Markup, take the longer way below)
_PLAIN = frozenset({str, int, float, bool, type(None)})


def _feed(value: Any, out: list[str], seen: Seen) -> None:
    kind = type(value)
    if kind in _PLAIN:
        out.append(repr(value))
        return
    feed = _FEEDERS.get(kind)
    if feed is None:
        feed = _FEEDERS[kind] = _feeder(kind)
    feed(value, out, seen)


Feeder = Callable[[Any, list[str], Seen], None]
_FEEDERS: dict[type, Feeder] = {}  # by exact type: a digest feeds tens of values, each once per output


def _feeder(kind: type) -> Feeder:  # noqa: C901 - one case per kind of value, in order
    """How a value of this exact type is fed (the same for every value of it)."""
    if issubclass(kind, (str, int, float, bool)):
        return _feed_repr
    if issubclass(kind, (dt.date, dt.datetime)):
        return _feed_date
    if issubclass(kind, dict):
        return _feed_dict
    if issubclass(kind, (set, frozenset)):
        return _feed_set
    if issubclass(kind, (list, tuple)):
        return _feed_list
    if issubclass(kind, Unit):
        return lambda value, out, seen: out.append("unit:" + value.id + _once(value.data, seen))
    if issubclass(kind, Region):
        return lambda value, out, seen: out.append("region:" + _once(value.data, seen))
    if issubclass(kind, Page):
        return lambda value, out, seen: out.append("page:" + _once(value, seen, [
            value.source, value.url, value.title, value.type, value.content_hash, value.meta, value.attachments,
            value.metryczka, value.draft, value.publish_at]))
    if dataclasses.is_dataclass(kind) and not issubclass(kind, type):
        return _dataclass_feeder(kind)
    if any("__call__" in vars(base) for base in kind.__mro__):  # its values are callable
        return lambda value, out, seen: out.append("fn")  # link()/asset(): the url and theme are in the digest
    return _feed_repr


def _feed_repr(value: Any, out: list[str], seen: Seen) -> None:
    out.append(repr(value))


def _feed_date(value: dt.date, out: list[str], seen: Seen) -> None:
    out.append(value.isoformat())


def _feed_dict(value: dict, out: list[str], seen: Seen) -> None:
    out.append("{")
    for key in sorted(value, key=str):
        out.append(str(key))
        item = value[key]
        if type(item) in _PLAIN:
            out.append(repr(item))
        else:
            _feed(item, out, seen)
    out.append("}")


def _feed_list(value: list | tuple, out: list[str], seen: Seen) -> None:
    out.append("[")
    for item in value:
        if type(item) in _PLAIN:
            out.append(repr(item))
        else:
            _feed(item, out, seen)
    out.append("]")


def _feed_set(value: set | frozenset, out: list[str], seen: Seen) -> None:
    _feed_list(sorted(value, key=repr), out, seen)


def _dataclass_feeder(kind: type) -> Feeder:
    name, fields = kind.__name__, _field_names(kind)
    if issubclass(kind, _ONCE):
        def feed_once(value: Any, out: list[str], seen: Seen) -> None:
            out.append(name + _once(value, seen, [getattr(value, field) for field in fields]))
        return feed_once

    def feed(value: Any, out: list[str], seen: Seen) -> None:
        out.append(name)
        _feed_list([getattr(value, field) for field in fields], out, seen)
    return feed


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _once(value: Any, seen: Seen, parts: Any = None) -> str:
    """The digest of a value that stays the same while a unit renders (what `parts` lists of it, or the
    value itself), computed once."""
    known = seen.get(id(value))
    if known is None or known[0] is not value:
        out: list[str] = []
        _feed(value if parts is None else parts, out, seen)
        known = seen[id(value)] = (value, hashlib.sha256("\x1f".join(out).encode()).hexdigest())
    return known[1]


def digest(template: str, context: dict[str, Any], seen: Seen) -> str:
    parts: list[str] = [template]
    _feed(context, parts, seen)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class RenderMemo:
    """Digests of the previous snapshot's outputs, and the ones recorded in this build.

    The memo file keeps the records of the last few snapshots of the unit (KEEP), newest first: a unit
    that goes back to an earlier snapshot still on disk (an edit undone; the preview's snapshot of a
    saved page beside the full preview's) finds its digests and warnings there too.
    """

    KEEP = 3

    def __init__(self, path: Path, previous: Path | None, known: dict[str, str], salt: str = "",
                 link_warnings: dict[str, list[Problem]] | None = None, others: list[list[Any]] | None = None):
        self.path, self.previous, self.known, self.salt = path, previous, known, salt
        self.link_warnings = link_warnings or {}  # the previous snapshot's, by page source
        self.others = others or []  # the records of the file, as read
        self.recorded: dict[str, str] = {}
        self.seen: Seen = {}

    @staticmethod
    def _records(path: Path) -> list[list[Any]]:
        """[[snapshot name, record], …] of a memo file; [] when it is missing, damaged or of another format."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []  # a corrupt or foreign memo is ignored: everything renders
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("snapshots"), list):
            return []
        return [entry for entry in data["snapshots"] if isinstance(entry, list) and len(entry) == 2
                and isinstance(entry[0], str) and isinstance(entry[1], dict)]

    @staticmethod
    def _record(records: list[list[Any]], snapshot: str) -> dict[str, Any]:
        return next((record for name, record in records if name == snapshot), {})

    @classmethod
    def load(cls, path: Path, previous: Path | None, salt: str) -> RenderMemo:
        """salt: everything outside the context that shapes every page (generator, theme, region)."""
        records = cls._records(path)
        record = cls._record(records, previous.name) if previous is not None else {}
        known, links = record.get("digests"), record.get("links")
        if not isinstance(known, dict) or not isinstance(links, dict):
            known, links = {}, {}
        return cls(path, previous, known, salt, {source: _problems(found) for source, found in links.items()}, records)

    def reusable(self, output: str, value: str) -> bool:
        self.recorded[output] = value
        return (self.previous is not None and self.known.get(output) == value
                and os.path.isfile(os.path.join(self.previous, output)))

    def save(self, snapshot: str, warnings: list[Problem], links: dict[str, list[Problem]]) -> None:
        """Record the new snapshot's digests, its warnings to repeat while it stays unchanged, and the link
        warnings of each page (repeated for a page whose outputs the next build reuses)."""
        record = {
            "digests": self.recorded,
            "links": {source: [dataclasses.asdict(p) for p in found] for source, found in links.items() if found},
        }
        records = [[snapshot, record], *(entry for entry in self.others if entry[0] != snapshot)][: self.KEEP]
        write_atomic(self.path, json.dumps({"format": FORMAT, "snapshots": records}, sort_keys=True).encode("utf-8"))
        # the warnings in a file of their own, read by every build in which the unit is unchanged: a region
        # may carry tens of thousands (one per untagged PDF), and its memos' digests are far bigger
        # with their rows of the build report, encoded once (a WarningBlock repeats them as they are)
        kept = [entry for entry in self._warning_records(self.path) if entry[0] != snapshot]
        rows = [(p.file, p.line, p.key, p.message, p.hint, p.severity, p.internal, p.detail, p.lasting)
                for p in warnings]
        records = _shared([(snapshot, rows, encoded_rows(warnings)), *kept][: self.KEEP])
        write_atomic(warnings_file(self.path), marshal.dumps((FORMAT, records)))

    @staticmethod
    def _warning_records(path: Path) -> list[tuple[str, list[tuple[Any, ...]], bytes]]:
        try:
            data = marshal.loads(warnings_file(path).read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return []
        if not (isinstance(data, tuple) and len(data) == 2 and data[0] == FORMAT and isinstance(data[1], list)):
            return []
        return [entry for entry in data[1] if isinstance(entry, tuple) and len(entry) == 3
                and isinstance(entry[0], str) and isinstance(entry[1], list) and isinstance(entry[2], bytes)]

    @classmethod
    def warnings(cls, path: Path, snapshot: str) -> list[Problem] | WarningBlock:
        """The warnings recorded for the unit's `snapshot` (none when it has no record): a WarningBlock as
        the memo keeps them, or Problems if they cannot be one."""
        rows, encoded = next(((rows, encoded) for name, rows, encoded in cls._warning_records(path)
                              if name == snapshot), ([], b""))
        if not all(isinstance(row, tuple) and len(row) == _ROW for row in rows):
            return []
        return WarningBlock.of(rows, encoded) or [Problem(*row) for row in rows]


def warnings_file(memo: Path) -> Path:
    return memo.with_suffix(".warnings")


def _shared(records: list[tuple[str, list[tuple[Any, ...]], bytes]]) -> list[tuple[str, list[tuple[Any, ...]], bytes]]:
    """The records with each equal text, and each equal row, made one object: marshal writes an object it
    has written before as a reference, so a hint repeated on every untagged PDF, a page's path on each of
    its warnings and the rows of earlier snapshots that are still the same are stored (and read) once."""
    texts: dict[str, str] = {}
    rows: dict[tuple[Any, ...], tuple[Any, ...]] = {}  # a field's type is fixed by its place: 1 == True never meets
    shared = []
    encodings: dict[bytes, bytes] = {}
    for snapshot, found, encoded in records:
        listed = []
        for row in found:
            row = tuple(texts.setdefault(value, value) if type(value) is str else value for value in row)
            listed.append(rows.setdefault(row, row))
        shared.append((snapshot, listed, encodings.setdefault(encoded, encoded)))
    return shared


_FIELDS = {f.name for f in dataclasses.fields(Problem)}
_ROW = len(_FIELDS)  # a warning kept as its fields' values, in Problem's order


def _problems(found: Any) -> list[Problem]:
    """Problems as the memo file keeps them; anything else in their place is dropped."""
    if not isinstance(found, list):
        return []
    return [Problem(**w) for w in found if isinstance(w, dict) and set(w) == _FIELDS]
