"""The build lock on an output folder."""

from __future__ import annotations

import fcntl
import os
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
