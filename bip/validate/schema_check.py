"""Structural validation with the shipped JSON Schemas, turned into located Polish problems."""

from __future__ import annotations

import difflib
import marshal
from collections.abc import Callable, Iterator
from dataclasses import astuple
from functools import cache
from typing import Any

import fastjsonschema
import jsonschema
from jsonschema import Draft202012Validator, FormatChecker

from bip.doctypes import schema as schemas
from bip.load.remembered import recall
from bip.problems import Problem, Problems

Lines = dict[tuple[str | int, ...], int]


@cache
def validator(name: str) -> Draft202012Validator:
    schema = schemas.region_schema() if name == "region" else schemas.shipped(name)
    return Draft202012Validator(schema, format_checker=FormatChecker())


@cache
def compiled(name: str) -> Callable[[Any], Any]:
    """The schema `name` compiled to Python by fastjsonschema: a tenth of jsonschema's time per page. It
    only says whether data is valid; jsonschema then finds what is wrong. Our schemas use no keyword that
    draft 7 lacks (a test checks both agree), and dates are checked by jsonschema's own format check."""
    schema = {**validator(name).schema, "$schema": "http://json-schema.org/draft-07/schema#"}
    checker = FormatChecker(["date"])
    return fastjsonschema.compile(schema, formats={"date": lambda value: checker.conforms(value, "date")},
                                  use_default=False)


def is_valid(name: str, data: Any) -> bool:
    try:
        compiled(name)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"Czy chodziło o „{close[0]}”?" if close else ""


def _line(lines: Lines, path: tuple[str | int, ...], default: int) -> int:
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return default


def _key(path: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in path)


def _leaf_errors(errors: Iterator[jsonschema.ValidationError]) -> Iterator[jsonschema.ValidationError]:
    for error in errors:
        if error.context:
            yield from _leaf_errors(iter(error.context))
        else:
            yield error


def check(name: str, data: dict[str, Any], lines: Lines, source: str, problems: Problems, offset: int = 0) -> None:
    """Validate data against schema `name` ("page", "unit", "region"); lines are relative to the YAML text.
    Inside `remembering`, the problems of the same input checked before are repeated, not found again."""

    def found() -> list[Problem]:
        local = Problems()
        _check(name, data, lines, source, local, offset)
        return local.sorted()

    problems.extend(recall("check", lambda: marshal.dumps((name, source, offset, data, lines)), found,
                           lambda kept: [astuple(p) for p in kept], lambda known: [Problem(*f) for f in known]))


def _check(name: str, data: dict[str, Any], lines: Lines, source: str, problems: Problems, offset: int) -> None:
    if is_valid(name, data):
        return
    located = {path: line + offset for path, line in lines.items()}
    start = 1 + offset
    errors = sorted(_leaf_errors(validator(name).iter_errors(data)), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    for error in _most_specific(errors):
        path = tuple(error.absolute_path)
        line = _line(located, path, start)
        key = _key(path)
        kind = error.validator
        schema = error.schema if isinstance(error.schema, dict) else {}
        if kind == "required":
            missing = error.message.split("'")[1] if "'" in error.message else "?"
            full = _key((*path, missing))
            if path:
                where = line
            elif name == "page" and missing != "title":
                where = located.get(("type",), start)  # required because of the type: point at `type:`
            else:
                where = start
            problems.error(
                source, where, full,
                f"Brak wymaganego klucza „{full}”.",
                f"Dopisz „{missing}: …” w metadanych." + _required_hint(name, missing),
            )
        elif kind == "additionalProperties":
            allowed = sorted(schema.get("properties", {}))
            for extra in sorted(set(error.instance) - set(allowed)):
                extra_path = (*path, extra)
                hint = suggest(str(extra), allowed) or "Usuń ten klucz albo popraw jego nazwę."
                problems.warning(
                    source, _line(located, extra_path, line), _key(extra_path),
                    f"Nieznany klucz „{_key(extra_path)}” (zostanie pominięty).", hint,
                )
        elif kind == "enum":
            allowed = [str(v) for v in schema.get("enum", [])]
            hint = suggest(str(error.instance), allowed)
            problems.error(
                source, line, key,
                f"Niedozwolona wartość „{error.instance}” klucza „{key}”.",
                (hint + " " if hint else "") + "Dozwolone: " + ", ".join(allowed) + ".",
            )
        elif kind in ("pattern", "format") and schema.get("format") == "date" or kind == "format":
            problems.error(
                source, line, key,
                f"Nieprawidłowa data „{error.instance}” w kluczu „{key}”.",
                "Wpisz istniejącą datę w postaci RRRR-MM-DD, np. 2024-05-20.",
            )
        elif kind == "pattern" and schema.get("pattern") == schemas.DATETIME_PATTERN:
            problems.error(
                source, line, key,
                f"Nieprawidłowa data i godzina „{error.instance}” w kluczu „{key}”.",
                "Wpisz w postaci RRRR-MM-DD albo RRRR-MM-DDTGG:MM, np. 2024-06-10T10:00.",
            )
        elif kind == "type":
            expected = {"string": "tekst", "integer": "liczba całkowita", "boolean": "true albo false",
                        "array": "lista (elementy zaczynane od „- ”)", "object": "słownik (klucz: wartość)"}
            wanted = schema.get("type", "")
            problems.error(
                source, line, key,
                f"Klucz „{key}” ma zły rodzaj wartości: oczekiwano: {expected.get(wanted, wanted)}.",
                "Popraw wartość; tekst zawierający dwukropek ujmij w cudzysłów.",
            )
        elif kind == "minLength":
            problems.error(source, line, key, f"Klucz „{key}” jest pusty.", "Wpisz wartość albo usuń klucz.")
        else:
            problems.error(
                source, line, key, f"Nieprawidłowa wartość klucza „{key}”: {error.message}.",
                str(schema.get("description", "")),
            )


def _most_specific(errors: list[jsonschema.ValidationError]) -> list[jsonschema.ValidationError]:
    """A value checked by the common schema and by its document type's branch: keep the branch's (narrower) enum."""
    narrowest: dict[tuple[str, ...], jsonschema.ValidationError] = {}
    for error in errors:
        if error.validator == "enum":
            path = tuple(map(str, error.absolute_path))
            kept = narrowest.get(path)
            if kept is None or len(error.validator_value) < len(kept.validator_value):
                narrowest[path] = error
    return [e for e in errors if e.validator != "enum" or narrowest[tuple(map(str, e.absolute_path))] is e]


def _required_hint(name: str, missing: str) -> str:
    if name == "page" and missing == "title":
        return " Każda strona musi mieć tytuł."
    return ""
