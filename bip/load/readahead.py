"""Asking the kernel to read a unit's files before the build reads them one by one.

A unit's pages and attachments are read in turn, each read waiting for the disk when the file is not in
memory (a fresh CI machine, or a host that took idle memory back). Told first about all of them at once
(`posix_fadvise(WILLNEED)`, which returns at once), the kernel reads them together while the first pages
are parsed. Where the call does not exist, nothing is done.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

_ADVISE = getattr(os, "posix_fadvise", None)
# the kernel reads at most its readahead window (128 kB to a few MB) of a file per call: a larger file is
# asked for window by window
WINDOW = 1 << 20
_FLAGS = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)


def read_ahead(paths: Iterable[str]) -> None:
    """Start reading each regular file at `paths` into memory; anything that fails is left to the real read."""
    if _ADVISE is None:
        return
    willneed = os.POSIX_FADV_WILLNEED
    for path in paths:
        try:
            fd = os.open(path, _FLAGS)
        except OSError:
            continue
        try:
            size = os.fstat(fd).st_size
            for offset in range(0, max(size, 1), WINDOW):
                _ADVISE(fd, offset, WINDOW, willneed)
        except OSError:
            pass
        finally:
            os.close(fd)
