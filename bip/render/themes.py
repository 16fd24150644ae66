"""Where a theme's files are: the project's themes/ first, then the themes installed with bip."""

from __future__ import annotations

from pathlib import Path

PACKAGE_THEMES = Path(__file__).resolve().parent.parent / "themes"


def theme_dirs(root: Path, theme: str) -> list[Path]:
    """Folders of a theme, most specific first: the project's themes/, then the installed ones."""
    found = []
    for base in (root / "themes", PACKAGE_THEMES):
        for name in dict.fromkeys((theme, "default")):
            folder = base / name
            if folder.is_dir() and folder.resolve() not in [f.resolve() for f in found]:
                found.append(folder)
    return found
