"""Results of parsing and checking YAML, kept between builds and found again by what they were made from.

Parsing a unit.yaml or a front matter and checking it against its JSON Schema are pure functions of the
text (and of bip itself): a build remembers their results in `.bip-cache/parsed/` (one file for the
region's unit.yaml files, one per unit for its pages and their earlier versions) and the next build
takes a result from there when the input's digest matches, instead of parsing and checking again.
Values are stored with `marshal` (plain data only, never code); a file of another bip, or damaged, is
ignored. Only the results used in a build are written back, so a file holds what its scope has now.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TypeVar

from bip.files import write_atomic

T = TypeVar("T")

_ACTIVE: list[Remembered] = []


class Remembered:
    def __init__(self, file: Path, salt: str):
        self.file, self.salt = file, salt
        self.old: dict[bytes, bytes] = {}
        self.new: dict[bytes, bytes] = {}
        try:
            data = marshal.loads(file.read_bytes())
            if isinstance(data, tuple) and len(data) == 2 and data[0] == salt and isinstance(data[1], dict):
                self.old = data[1]
        except (OSError, EOFError, ValueError, TypeError):
            self.old = {}

    def get(self, key: bytes) -> Any:
        """The value stored under `key` (a fresh copy), or None."""
        raw = self.new.get(key) or self.old.get(key)
        if raw is None:
            return None
        self.new[key] = raw
        try:
            return marshal.loads(raw)
        except (EOFError, ValueError, TypeError):
            del self.new[key]
            return None

    def put(self, key: bytes, value: Any) -> None:
        # a value marshal cannot hold (a date YAML made with !!timestamp) is not remembered
        with suppress(ValueError):
            self.new[key] = marshal.dumps(value)

    def save(self) -> None:
        if self.new == self.old:
            return
        with suppress(OSError):  # a cache that cannot be written only costs time
            write_atomic(self.file, marshal.dumps((self.salt, self.new)))


def active() -> Remembered | None:
    return _ACTIVE[-1] if _ACTIVE else None


def recall(
    kind: str, material: Callable[[], bytes], compute: Callable[[], T],
    pack: Callable[[T], Any] = lambda value: value, unpack: Callable[[Any], T] = lambda known: known,
) -> T:
    """`compute()`, or inside `remembering` the result remembered for the same input (`material()`, the
    bytes it is a function of): `pack` turns a result into plain data to keep (None: not kept), `unpack`
    turns it back. Without an active cache, or for input that cannot be named, it is just `compute()`."""
    memo = active()
    if memo is None:
        return compute()
    try:
        key = kind.encode() + b"\0" + hashlib.sha256(material()).digest()
    except ValueError:  # not plain data (a date YAML made with !!timestamp)
        return compute()
    if (known := memo.get(key)) is not None:
        return unpack(known)
    value = compute()
    if (kept := pack(value)) is not None:
        memo.put(key, kept)
    return value


@contextmanager
def remembering(file: Path, salt: str) -> Iterator[Remembered]:
    """Parse and check results inside the block are taken from and kept in `file`; `salt` (the generator's
    signature: parsing rules and schemas are bip's own code) invalidates them."""
    memo = Remembered(file, salt)
    _ACTIVE.append(memo)
    try:
        yield memo
    finally:
        _ACTIVE.remove(memo)
        memo.save()
