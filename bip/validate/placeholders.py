"""Placeholders left by `bip new` ("UZUPEŁNIJ") are errors: a page is not published until they are replaced."""

from __future__ import annotations

from typing import Any

from bip.doctypes import COMMON, DOCTYPES, PLACEHOLDER, Field
from bip.problems import Problems

Lines = dict[tuple[str | int, ...], int]


def is_placeholder(value: Any) -> bool:
    return isinstance(value, str) and PLACEHOLDER in value


# who usually made a document of the type (`author`); the head of the office for the others
AUTHORS = {"uchwala": "Rada Gminy Świdnica", "protokol": "Rada Gminy Świdnica"}


def example(key: str, spec: Field | None, type_name: str = "strona") -> str:
    """A value of the field's kind, written as in the header (for "np. …" in a hint)."""
    kind = spec.kind if spec else "text"
    if kind == "date":
        return "2024-09-26"
    if kind == "datetime":
        return "2024-07-15T10:00"
    if kind == "int":
        return "2024"
    if kind == "enum" and spec:
        return spec.values[0]
    if key == "author":
        return f'"{AUTHORS.get(type_name, "Wójt Gminy Świdnica")}"'
    if spec and isinstance(spec.example, str) and spec.example not in ("today", "this_year", "…"):
        return f'"{spec.example}"'
    return '"…"'


def _field(type_name: Any, key: str) -> Field | None:
    own = DOCTYPES[type_name].fields if isinstance(type_name, str) and type_name in DOCTYPES else {}
    return own.get(key) or COMMON.get(key)


def check_fields(data: Any, lines: Lines, source: str, problems: Problems, start: int) -> set[tuple[str | int, ...]]:
    """Every value that still holds the placeholder, as one error each; returns their key paths (the
    schema's own complaint about such a value, e.g. "not a date", is then left out)."""
    found: set[tuple[str | int, ...]] = set()
    type_name = data.get("type", "strona") if isinstance(data, dict) else None
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(((*path, str(k)), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in enumerate(value))
        elif path and is_placeholder(value):
            found.add(path)
            key = ".".join(str(p) for p in path)
            spec = _field(type_name, str(path[0])) if len(path) == 1 else None
            label = f" ({spec.label.lower()})" if spec else ""
            line = next((lines[path[:n]] for n in range(len(path), 0, -1) if path[:n] in lines), start)
            problems.error(
                source, line, key, f"Pole „{key}”{label} nie jest uzupełnione.",
                f"Wpisz prawdziwą wartość w miejsce „{PLACEHOLDER}”, np. {path[-1]}: {example(str(path[-1]), spec, str(type_name))}.",
            )
    return found


def check_body(source: str, body: str, body_line: int, problems: Problems) -> None:
    """The first line of the body that still holds the placeholder."""
    for index, text in enumerate(body.split("\n")):
        if PLACEHOLDER in text:
            problems.error(
                source, body_line + index, "", "Treść strony nie jest uzupełniona.",
                f"Wpisz treść dokumentu w miejsce wiersza z „{PLACEHOLDER}”.",
            )
            return
