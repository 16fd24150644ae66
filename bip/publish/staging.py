"""Staging folder, lock and atomic swap: a reader sees the old site or the new one, never a mix.

The new tree is written beside the output (`<out>.staging`), then exchanged with `<out>` in one
renameat2(RENAME_EXCHANGE) call on Linux; elsewhere two renames with recovery on the next run.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        lib = ctypes.CDLL(name, use_errno=True) if name else None
    except OSError:
        return None
    return lib if lib is not None and hasattr(lib, "renameat2") else None


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False where the system cannot."""
    lib = _libc()
    if lib is None:
        return False
    result = lib.renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result != 0:
        code = ctypes.get_errno()
        if code in (errno.EINVAL, errno.ENOSYS, errno.EPERM):
            return False
        raise OSError(code, os.strerror(code), str(a))
    return True


def staging_path(out: Path) -> Path:
    return out.with_name(out.name + ".staging")


def old_path(out: Path) -> Path:
    return out.with_name(out.name + ".old")


def recover(out: Path) -> None:
    """Finish or undo a swap that a crash interrupted; drop a stale staging tree."""
    old = old_path(out)
    if old.exists() and not out.exists():
        os.replace(old, out)  # the crash fell between the two renames: the old site comes back
    for leftover in (old, staging_path(out)):
        if leftover.exists():
            shutil.rmtree(leftover)


def swap_in(staging: Path, out: Path) -> None:
    """Make `staging` the live `out`; the previous tree is removed afterwards."""
    if out.exists():
        if exchange(staging, out):
            shutil.rmtree(staging)
            return
        old = old_path(out)
        os.replace(out, old)
        os.replace(staging, out)
        shutil.rmtree(old)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging, out)


def swap_unit(new: Path, live: Path) -> None:
    """Replace one unit's folder (preview builds): exchange, or rename into place."""
    if live.exists() and exchange(new, live):
        shutil.rmtree(new)
        return
    if live.exists():
        shutil.rmtree(live)
    os.replace(new, live)


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


def copy_tree(source: Path, target: Path) -> None:
    """Carry a previous unit's output into staging: hard links where possible (cheap, same bytes)."""

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=link, dirs_exist_ok=True)


def write_file(base: Path, relative: str, data: bytes) -> None:
    path = base / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()  # it may be a hard link into the live site: never write through it
    with open(path, "wb") as handle:
        handle.write(data)
