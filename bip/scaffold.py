"""`bip new TYPE --unit ID "Tytuł"`: a new page in the type's usual section, its header ready to fill.

What the title states (number, date, issuer of an act) is filled in; every other value the type needs
is the placeholder "UZUPEŁNIJ", which `bip check` reports until it is replaced. Optional fields and an
attachment are there as commented-out examples. Values are quoted as the editors' docs write them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from bip.act_title import ActTitle, parse
from bip.doctypes import DOCTYPES, PLACEHOLDER, Field
from bip.load.paths import short_slug
from bip.validate.placeholders import AUTHORS, example
from bip.yaml_values import quoted

MAX_NAME = 80  # characters of a file name before ".md"
BODY = f"{PLACEHOLDER}: tu wpisz treść dokumentu (akapity oddzielaj pustą linią, śródtytuły zaczynaj od „## ”).\n"


@dataclass
class NewPage:
    path: Path
    read: dict[str, str] = field(default_factory=dict)  # field → value taken from the title
    unfilled: list[str] = field(default_factory=list)  # fields left as the placeholder
    new_section: bool = False  # the section folder was made for this page


def file_name(title: str) -> str:
    """The page's file name (without .md): the title's slug, cut at a word boundary."""
    return short_slug(title, MAX_NAME) or "strona"


def _value(spec: Field, value: object) -> str:
    return quoted(str(value)) if spec.kind in ("text", "list") else str(value)


def _from_title(act: ActTitle, what: str) -> str:
    return {"number": act.number, "date": act.date.isoformat() if act.date else "", "reference": act.reference,
            "year": str(act.year) if act.year else ""}.get(what, "")


def header(type_name: str, title: str, today: dt.date, attachment: str) -> tuple[str, dict[str, str], list[str]]:
    """The header's lines, the values read from the title, the fields left to fill."""
    doctype = DOCTYPES[type_name]
    act = parse(title)
    read: dict[str, str] = {}
    unfilled: list[str] = []
    lines = ["---", f"title: {quoted(title)}"]
    if type_name != "strona":
        lines.append(f"type: {type_name}")
    dated = False
    for key, spec in doctype.fields.items():
        value = _from_title(act, spec.from_title) if spec.from_title else ""
        dated = dated or spec.from_title == "date"
        if value:
            read[key] = value
            lines.append(f"{key}: {_value(spec, value)}")
        elif spec.kind == "enum" and isinstance(spec.example, str):
            lines.append(f"{key}: {spec.example}  # {' | '.join(spec.values)}")
        elif key in doctype.required or key in doctype.columns:
            unfilled.append(key)
            lines.append(f"{key}: {quoted(PLACEHOLDER)}  # {spec.label.lower()}")
        else:
            lines.append(f"# {key}: {example(key, spec, type_name)}  # {spec.label.lower()} (usuń „# ”, gdy podajesz)")
    if act.issuer and type_name != "oswiadczenie":
        read["author"] = act.issuer
        lines.append(f"author: {quoted(act.issuer)}")
    else:
        unfilled.append("author")
        who = AUTHORS.get(type_name, "Wójt Gminy Świdnica")
        lines.append(f"author: {quoted(PLACEHOLDER)}  # kto wytworzył informację, np. \"{who}\"")
    if act.date and dated:
        lines.append(f"created: {act.date.isoformat()}")
    elif dated:
        unfilled.append("created")
        lines.append(f"created: {quoted(PLACEHOLDER)}  # data wytworzenia, RRRR-MM-DD")
    else:
        lines.append(f"created: {today.isoformat()}")
    lines += [
        "# attachments:  # załączniki: pliki położone obok tej strony (usuń „# ” z trzech wierszy)",
        f"#   - file: {attachment}",
        f"#     title: {quoted('Treść dokumentu (PDF)')}",
        "---",
    ]
    return "\n".join(lines) + "\n", read, unfilled


def new_page(root: Path, type_name: str, unit: str, title: str, today: dt.date) -> NewPage:
    """Write the page; FileExistsError if it exists, FileNotFoundError if the unit has no unit.yaml."""
    unit_dir = root / "content" / unit
    if not (unit_dir / "unit.yaml").is_file():
        raise FileNotFoundError(unit_dir / "unit.yaml")
    name = file_name(title)
    section = DOCTYPES[type_name].section
    folder = unit_dir / section if section else unit_dir
    path = folder / f"{name}.md"
    new_section = not folder.is_dir()
    text, read, unfilled = header(type_name, title, today, f"{name}.pdf")
    folder.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite an editor's page
        handle.write(text + "\n" + BODY)
    return NewPage(path, read, unfilled, new_section)
