"""Writing files: plainly into a new tree, or atomically (whole or not at all) for caches and records.

Every step may use these; nothing here knows about sites, units or the build.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_file(base: Path, relative: str, data: bytes) -> None:
    """Write `base/relative`, making its folders (a new tree: nobody reads it yet)."""
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
