"""Where the project is: found from any folder inside it, as git finds its repository.

The project root is the nearest folder, from the current one upwards, that holds content/region.yaml;
outside such a tree, the top level of the git repository. Its units are the folders in content/.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

MARKER = Path("content") / "region.yaml"


def find_root(start: Path) -> Path | None:
    """The project root above `start` (or `start` itself); None when neither a marker nor git finds one."""
    start = start.resolve()
    for folder in (start, *start.parents):
        try:
            if (folder / MARKER).is_file():
                return folder
        except PermissionError:
            return folder  # its content/ is there but unreadable: the caller says so
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=start, capture_output=True, text=True,
                             timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(top.stdout.strip()) if top.returncode == 0 and top.stdout.strip() else None


def unit_ids(root: Path) -> list[str]:
    """The folders in content/ (each a unit, whether or not its unit.yaml is right)."""
    content = root / "content"
    return sorted(e.name for e in os.scandir(content) if e.is_dir() and not e.name.startswith("."))
