"""`bip new TYPE --unit ID "Tytuł"`: a new page with the right front matter, in the type's usual section."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from bip.doctypes import DOCTYPES
from bip.load.paths import slug


def front_matter(type_name: str, title: str, today: dt.date) -> str:
    doctype = DOCTYPES[type_name]
    data: dict[str, object] = {"title": title}
    if type_name != "strona":
        data["type"] = type_name
    data["created"] = today.isoformat()
    for key, field in doctype.fields.items():
        if field.example is None:
            continue
        if field.example == "today":
            value: object = today.isoformat()
        elif field.example == "this_year":
            value = today.year
        else:
            value = field.example
        data[key] = value
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{text}---\n\nTreść strony.\n"


def new_page(root: Path, type_name: str, unit: str, title: str, today: dt.date) -> Path:
    """Write the page and return its path; FileExistsError if it exists, FileNotFoundError if the unit does not."""
    unit_dir = root / "content" / unit
    if not (unit_dir / "unit.yaml").is_file():
        raise FileNotFoundError(unit_dir / "unit.yaml")
    name = slug(title)[:80].rstrip("-") or "strona"
    section = DOCTYPES[type_name].section
    path = unit_dir / section / f"{name}.md" if section else unit_dir / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite an editor's page
        handle.write(front_matter(type_name, title, today))
    return path
