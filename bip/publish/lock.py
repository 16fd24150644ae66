"""The build lock on an output folder, plain file writing for new trees, and atomic writing of cache files."""

from __future__ import annotations

import fcntl
import os
import tempfile
from pathlib import Path


class BuildLock:
    """An exclusive lock on the output folder; the kernel frees it when a build dies, so it never goes stale."""

    def __init__(self, out: Path):
        self.path = out.with_name(out.name + ".lock")
        self.handle: int | None = None

    def acquire(self, wait: bool = False) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(self.handle)
            self.handle = None
            return False
        os.ftruncate(self.handle, 0)
        os.write(self.handle, str(os.getpid()).encode())
        return True

    def release(self) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            os.close(self.handle)
            self.handle = None


def write_file(base: Path, relative: str, data: bytes) -> None:
    path = base / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)


def write_atomic(path: Path, data: bytes) -> None:
    """Write `path` whole or not at all (a temporary file in its folder, then renamed); OSError if it fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
