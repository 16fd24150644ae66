"""The versions of installed libraries: which internals bip may rely on for speed (each allowed only on the
versions it was tested with, the ranges pinned in pyproject.toml; on any other version the caller takes the
library's public API), and the version lines that signatures and caches are keyed by."""

from __future__ import annotations

import importlib.metadata
import re
from functools import cache

# distribution → (lowest tested, first untested): the same bounds as pyproject.toml's dependencies
TESTED = {
    "whoosh-reloaded": ((2, 7, 5), (2, 8)),
    "simplemma": ((2, 0), (2, 1)),
}


def version_of(distribution: str) -> tuple[int, ...] | None:
    """The installed version's leading numbers ("2.7.5" → (2, 7, 5)); None when it is not installed."""
    try:
        text = importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None
    return tuple(int(part) for part in re.findall(r"\d+", text.split("+")[0])[:3])


@cache
def internals_allowed(distribution: str) -> bool:
    """The installed version of `distribution` is one whose internals bip was tested with."""
    installed = version_of(distribution)
    low, high = TESTED[distribution]
    return installed is not None and low <= installed < high


def distribution_versions(names: tuple[str, ...]) -> list[str]:
    """"name version" of each installed distribution ("name -" when it is not installed)."""
    lines = []
    for name in names:
        try:
            lines.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            lines.append(f"{name} -")
    return lines
