"""Structural validation with the shipped JSON Schemas, turned into located Polish problems."""

from __future__ import annotations

import datetime as dt
import difflib
import marshal
import re
from collections.abc import Callable, Iterator
from dataclasses import astuple
from functools import cache
from typing import TYPE_CHECKING, Any

import fastjsonschema
from slugify import slugify

from bip.doctypes import COMMON, DOCTYPES, WITHHELD_PARTS
from bip.doctypes import schema as schemas
from bip.load.remembered import recall
from bip.polish_dates import as_written
from bip.problems import Problem, Problems
from bip.validate import placeholders

if TYPE_CHECKING:
    import jsonschema

Lines = dict[tuple[str | int, ...], int]


@cache
def validator(name: str) -> jsonschema.Draft202012Validator:
    """jsonschema's validator of the schema `name`, which says what is wrong: imported only when something
    is (valid data goes through `compiled` alone, and a build whose data is valid never imports it)."""
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(schemas.shipped(name), format_checker=FormatChecker())


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def is_date(value: object) -> bool:
    """The "date" format as jsonschema checks it (`jsonschema._format.is_date`; a test compares the two)."""
    if not isinstance(value, str):
        return True
    try:
        return bool(_DATE.fullmatch(value) and dt.date.fromisoformat(value))
    except ValueError:
        return False


@cache
def compiled(name: str) -> Callable[[Any], Any]:
    """The schema `name` compiled to Python by fastjsonschema: a tenth of jsonschema's time per page. It
    only says whether data is valid; jsonschema then finds what is wrong. Our schemas use no keyword that
    draft 7 lacks (a test checks both agree), and dates are checked as jsonschema checks them."""
    schema = {**schemas.shipped(name), "$schema": "http://json-schema.org/draft-07/schema#"}
    return fastjsonschema.compile(schema, formats={"date": is_date}, use_default=False)


def is_valid(name: str, data: Any) -> bool:
    try:
        compiled(name)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def suggest(word: str, choices: list[str], labels: dict[str, str] | None = None) -> str:
    """ "Did you mean …?" for a mistyped name; `labels` (name → Polish label) also matches a name written
    in Polish ("tytuł" → title)."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close and labels:
        folded = {slugify(label, lowercase=True): name for name, label in labels.items() if name in choices}
        found = difflib.get_close_matches(slugify(word, lowercase=True), list(folded), n=1, cutoff=0.75)
        close = [folded[found[0]]] if found else []
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
    located = {path: line + offset for path, line in lines.items()}
    start = 1 + offset
    unfilled = placeholders.check_fields(data, located, source, problems, start)
    if is_valid(name, data):
        return
    errors = sorted(_leaf_errors(validator(name).iter_errors(data)), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    for error in _most_specific(errors):
        path = tuple(error.absolute_path)
        if path in unfilled:
            continue  # reported as a placeholder to fill in, not as a wrong value
        line = _line(located, path, start)
        schema = error.schema if isinstance(error.schema, dict) else {}
        if error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else "?"
            if path:
                where = line
            elif name == "page" and missing != "title":
                where = located.get(("type",), start)  # required because of the type: point at `type:`
            else:
                where = start
            full = _key((*path, missing))
            problems.error(source, where, full, f"Brak wymaganego pola „{full}”.", _required_hint(name, data, missing))
        elif error.validator == "additionalProperties":
            allowed = sorted(schema.get("properties", {}))
            labels = {key: f.label for key, f in COMMON.items()}
            for doctype in DOCTYPES.values():
                labels.update({key: f.label for key, f in doctype.fields.items()})
            for extra in sorted(set(error.instance) - set(allowed)):
                extra_path = (*path, extra)
                close = suggest(str(extra), allowed, labels if name == "page" and not path else None)
                problems.warning(
                    source, _line(located, extra_path, line), _key(extra_path),
                    f"Nieznane pole „{_key(extra_path)}” (zostanie pominięte).",
                    f"{close} Popraw nazwę pola." if close else "Usuń to pole albo popraw jego nazwę.",
                )
        else:
            message, hint = wrong_value(error, _key(path), schema)
            problems.error(source, line, _key(path), message, hint)


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


_FORMS = {"string": "tekstem", "integer": "liczbą całkowitą", "boolean": "wartością true albo false",
          "array": "listą", "object": "zestawem pól"}
_PATTERN_HINTS = {
    r"^[^@\s]+@[^@\s]+$": "Wpisz adres e-mail, np. sekretariat@gmina.example.",
    r"^[0-9 -]{10,13}$": "Wpisz 10 cyfr numeru NIP (mogą być rozdzielone łącznikami).",
    r"^[0-9]{9}([0-9]{5})?$": "Wpisz 9 albo 14 cyfr numeru REGON, bez spacji.",
    r"^[0-9]{2,7}$": "Wpisz kod TERYT: od 2 do 7 cyfr.",
    r"^https?://": "Wpisz pełny adres zaczynający się od https://, np. https://bip.gmina.example.",
    r"^[a-z0-9-]+$": "Wpisz identyfikator podmiotu: nazwę jego folderu w content/, np. powiat-zielonogorski.",
    schemas.ADE_PATTERN: "Wpisz adres do doręczeń elektronicznych tak, jak podaje go Baza Adresów Elektronicznych: "
                         "AE:PL-, 5 cyfr, 5 cyfr, 5 wielkich liter i 2 cyfry rozdzielone łącznikami, "
                         "np. AE:PL-12345-67890-ABCDE-12.",
}


def wrong_value(error: jsonschema.ValidationError, key: str, schema: dict[str, Any]) -> tuple[str, str]:
    """The message and the one hint for a value of the wrong form: each kind of mistake has its own."""
    value, kind, leaf = error.instance, error.validator, key.rsplit(".", 1)[-1]
    wanted = schema.get("type", "")
    if value is None or value == "" or (kind == "minLength" and isinstance(value, str) and not value.strip()):
        return (f"Pole „{key}” jest puste.",
                f"Wpisz wartość po dwukropku w tym samym wierszu albo usuń cały wiersz „{leaf}:”.")
    if kind == "enum":
        allowed = [str(v) for v in schema.get("enum", [])]
        close = suggest(str(value), allowed)
        return (f"Niedozwolona wartość „{_shown(value)}” pola „{key}”.",
                (close + " " if close else "") + "Dozwolone: " + ", ".join(allowed) + ".")
    if schema.get("format") == "date" or schema.get("pattern") == schemas.DATE_PATTERN:
        meant = as_written(str(value)) if isinstance(value, str) else None
        return (f"Nieprawidłowa data „{_shown(value)}” w polu „{key}”.",
                f"Zapisz datę w postaci RRRR-MM-DD: {leaf}: {meant.isoformat()}." if meant else
                "Wpisz istniejącą datę w postaci RRRR-MM-DD, np. 2024-05-20.")
    if schema.get("pattern") == schemas.DATETIME_PATTERN:
        meant = as_written(str(value)) if isinstance(value, str) else None
        return (f"Nieprawidłowa data i godzina „{_shown(value)}” w polu „{key}”.",
                f"Zapisz datę w postaci RRRR-MM-DD: {leaf}: {meant.isoformat()} (z godziną: {meant.isoformat()}T10:00)."
                if meant else "Wpisz w postaci RRRR-MM-DD albo RRRR-MM-DDTGG:MM, np. 2024-06-10T10:00.")
    if kind == "type" and wanted == "string" and isinstance(value, bool):
        return (f"Pole „{key}” musi być tekstem, a wpisana wartość została odczytana jako „tak/nie”.",
                f"Ujmij wartość w cudzysłów, np. {leaf}: \"…\".")
    if kind == "type" and wanted == "string" and isinstance(value, int | float):
        return (f"Pole „{key}” musi być tekstem, a wpisano liczbę {value}.",
                f"Ujmij wartość w cudzysłów, np. {leaf}: \"{value}\".")
    if kind == "type" and wanted == "boolean":
        return (f"Pole „{key}” przyjmuje tylko wartość true albo false, a wpisano „{_shown(value)}”.",
                f"Wpisz {leaf}: true (tak) albo {leaf}: false (nie), bez cudzysłowu.")
    if kind == "type" and wanted == "integer":
        digits = str(value).strip() if isinstance(value, str) and str(value).strip().isdigit() else "2024"
        return (f"Pole „{key}” musi być liczbą całkowitą, a wpisano „{_shown(value)}”.",
                f"Wpisz samą liczbę, bez cudzysłowu, np. {leaf}: {digits}.")
    if kind == "type" and wanted == "array":
        if key == "attachments":
            name = value if isinstance(value, str) else "plik.pdf"
            return (f"Pole „{key}” musi być listą załączników, a wpisano „{_shown(value)}”.",
                    f"Zapisz każdy załącznik w osobnych wierszach pod „attachments:”: „  - file: {name}”, "
                    "a pod nim „    title: \"Opis załącznika\"”.")
        return (f"Pole „{key}” musi być listą, a wpisano „{_shown(value)}”.",
                f"Zapisz każdy element w osobnym wierszu pod „{leaf}:”, zaczynając od „  - ”.")
    if kind == "type" and wanted == "object":
        if key.startswith("attachments."):
            return (f"Załącznik „{key}” musi mieć pola file i title, a wpisano „{_shown(value)}”.",
                    f"Zapisz go jako „- file: {value if isinstance(value, str) else 'plik.pdf'}”, "
                    "a pod nim, wyrównane z „file”, „  title: \"Opis załącznika\"”.")
        return (f"Pole „{key}” musi zawierać pola w kolejnych wierszach, a wpisano „{_shown(value)}”.",
                f"Wpisz pola w kolejnych wierszach pod „{leaf}:”, wcięte dwiema spacjami, np. „  name: …”.")
    if kind == "type":
        forms = wanted if isinstance(wanted, list) else [wanted]
        return (f"Pole „{key}” ma zły rodzaj wartości: powinno być "
                + " albo ".join(_FORMS.get(str(f), str(f)) for f in forms) + ".",
                "Popraw wartość; tekst ujmij w cudzysłów.")
    if kind == "pattern":
        return (f"Nieprawidłowa wartość „{_shown(value)}” pola „{key}”.",
                _PATTERN_HINTS.get(str(schema.get("pattern")), "Popraw zapis tej wartości."))
    if kind in ("minimum", "maximum"):
        return (f"Wartość {value} pola „{key}” jest spoza dozwolonego zakresu.",
                f"Wpisz liczbę od {schema.get('minimum', '…')} do {schema.get('maximum', '…')}.")
    return (f"Nieprawidłowa wartość pola „{key}”.",
            f"Popraw wartość ({schema.get('description', 'zob. docs/redaktorzy/')}).")


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


def _required_hint(name: str, data: dict[str, Any], missing: str) -> str:
    where = {"page": "nagłówku strony", "unit": "pliku unit.yaml", "region": "pliku region.yaml"}.get(name, "pliku")
    spec = None
    type_name = data.get("type", "strona") if isinstance(data, dict) else "strona"
    type_name = type_name if isinstance(type_name, str) and type_name in DOCTYPES else "strona"
    if name == "page":
        spec = DOCTYPES[type_name].fields.get(missing) or COMMON.get(missing)
    if name == "page" and missing in WITHHELD_PARTS and isinstance(data, dict) and data.get("withheld"):
        return (f"Każde wyłączenie jawności (pod „withheld:”) podaje zakres, podstawę prawną, kto go dokonał i datę: "
                f"dopisz wiersz „    {missing}: …” ({WITHHELD_PARTS[missing]}), wyrównany z pozostałymi polami.")
    value = placeholders.example(missing, spec, type_name) if name == "page" else "…"
    extra = " Każda strona musi mieć tytuł." if name == "page" and missing == "title" else ""
    return f"Dopisz w {where} wiersz „{missing}: {value}”.{extra}"
