"""JSON Schemas of page front matter and unit.yaml, generated from the document type table.

The shipped files in bip/schemas/ are written by `bip schema` from this module, and the checker
validates against the shipped files, so schema and checker cannot drift (a test compares them).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from bip.doctypes import COMMON, DOCTYPES, UNIT_KINDS, WITHHELD_PARTS, Field

SCHEMA_FILES = {"page": "page.schema.json", "unit": "unit.schema.json", "region": "region.schema.json"}
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
# adres do doręczeń elektronicznych as the Baza Adresów Elektronicznych gives it: AE:PL-12345-67890-ABCDE-12
ADE_PATTERN = r"^AE:PL-[0-9]{5}-[0-9]{5}-[A-Z]{5}-[0-9]{2}$"
DATETIME_PATTERN = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)?)?$"


def _field_schema(f: Field) -> dict[str, Any]:
    schema: dict[str, Any]
    if f.kind == "date":
        schema = {"type": "string", "pattern": DATE_PATTERN, "format": "date"}
    elif f.kind == "datetime":
        schema = {"type": "string", "pattern": DATETIME_PATTERN}
    elif f.kind == "enum":
        schema = {"type": "string", "enum": list(f.values)}
    elif f.kind == "int":
        schema = {"type": "integer"}
    elif f.kind == "bool":
        schema = {"type": "boolean"}
    elif f.kind == "list":
        schema = {"type": "array", "items": {"type": "string", "minLength": 1}}
    elif f.kind == "attachments":
        schema = {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "file": {"type": "string", "minLength": 1, "description": "Plik, względem strony"},
                    "title": {"type": "string", "minLength": 1, "description": "Opis załącznika"},
                },
                "required": ["file", "title"],
                "additionalProperties": False,
            },
        }
    elif f.kind == "withheld":
        parts = {key: {"type": "string", "minLength": 1, "description": label} for key, label in WITHHELD_PARTS.items()}
        parts["date"] = {"type": "string", "pattern": DATE_PATTERN, "format": "date", "description": WITHHELD_PARTS["date"]}
        schema = {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": parts,
                "required": list(WITHHELD_PARTS),
                "additionalProperties": False,
            },
        }
    else:
        schema = {"type": "string", "minLength": 1}
    return {"description": f.label, **schema}


def _merge(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """One top-level schema for a key that several types define: the union; each type's branch is exact."""
    if old is None or old == new:
        return new
    if old.get("type") == new.get("type") and "enum" not in old and "enum" not in new:
        return old
    if "enum" in old and "enum" in new:
        return {**old, "enum": sorted(set(old["enum"]) | set(new["enum"]))}
    return {"description": old["description"], "type": sorted({old.get("type", "string"), new.get("type", "string")})}


def page_schema() -> dict[str, Any]:
    properties: dict[str, Any] = {key: _field_schema(f) for key, f in COMMON.items()}
    properties["type"] = {
        "description": COMMON["type"].label,
        "type": "string",
        "enum": sorted(DOCTYPES),
        "default": "strona",
    }
    branches = []
    for name in sorted(DOCTYPES):
        doctype = DOCTYPES[name]
        for key, f in doctype.fields.items():
            properties[key] = _merge(properties.get(key), _field_schema(f))
        if doctype.required or doctype.fields:
            branches.append(
                {
                    "if": {"properties": {"type": {"const": name}}, "required": ["type"]},
                    "then": {
                        "required": list(doctype.required),
                        "properties": {key: _field_schema(f) for key, f in doctype.fields.items()},
                    },
                }
            )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://bip.example/schemas/page.schema.json",
        "title": "Metadane strony BIP (front matter)",
        "type": "object",
        "properties": dict(sorted(properties.items())),
        "required": ["title"],
        "additionalProperties": False,
        "allOf": branches,
    }


def _contact(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "type": "object",
        "properties": {
            "name": {"type": "string", "minLength": 1, "description": "Imię i nazwisko"},
            "email": {"type": "string", "pattern": r"^[^@\s]+@[^@\s]+$", "description": "E-mail"},
            "phone": {"type": "string", "minLength": 1, "description": "Telefon"},
        },
        "required": ["name"],
        "additionalProperties": False,
    }


def _text(description: str) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "description": description}


def _date(description: str) -> dict[str, Any]:
    return {"type": "string", "pattern": DATE_PATTERN, "format": "date", "description": description}


def accessibility_schema() -> dict[str, Any]:
    """The data of a deklaracja dostępności (unit.yaml, and region.yaml for the portal)."""
    return {
        "description": "Deklaracja dostępności",
        "type": "object",
        "properties": {
            "status": {
                "type": "string",
                "enum": ["zgodna", "częściowo zgodna", "niezgodna"],
                "description": "Status pod względem zgodności z ustawą",
            },
            "published": _date("Data publikacji strony internetowej"),
            "updated": _date("Data ostatniej istotnej aktualizacji"),
            "prepared": _date("Data sporządzenia deklaracji"),
            "reviewed": _date("Data ostatniego przeglądu deklaracji"),
            "nonconformities": {"type": "array", "items": {"type": "string", "minLength": 1},
                                "description": "Niedostępne treści (niezgodności z ustawą)"},
            "exemptions": {"type": "array", "items": {"type": "string", "minLength": 1},
                           "description": "Wyłączenia z obowiązku zapewnienia dostępności"},
            "burden_url": {"type": "string", "pattern": r"^https?://",
                           "description": "Analiza nadmiernego obciążenia (adres)"},
            "alternative_access": _text("Alternatywny sposób dostępu do niedostępnych treści"),
            "assessment": _text("Na podstawie czego sporządzono deklarację (w dopełniaczu, np. „samooceny przeprowadzonej przez podmiot publiczny”)"),
            "facilities": _text("Udogodnienia, ograniczenia i inne informacje"),
            "contact": _contact("Osoba do kontaktu w sprawie dostępności"),
            "coordinator": _contact("Koordynator do spraw dostępności (art. 14 ustawy o zapewnianiu dostępności)"),
            "report": _text("Raport o stanie zapewniania dostępności: adres albo plik w folderze podmiotu"),
            "architecture": _text("Dostępność architektoniczna"),
            "architecture_url": {"type": "string", "pattern": r"^https?://"},
            "communication": _text("Dostępność komunikacyjno-informacyjna"),
            "apps": _text("Aplikacje mobilne"),
        },
        "required": ["status", "published", "prepared", "contact"],
        "additionalProperties": False,
    }


def unit_schema() -> dict[str, Any]:
    properties: dict[str, Any] = {
        "name": _text("Pełna nazwa podmiotu"),
        "kind": {"type": "string", "enum": list(UNIT_KINDS), "description": "Rodzaj podmiotu"},
        "parent": {"type": "string", "pattern": "^[a-z0-9-]+$", "description": "Identyfikator podmiotu nadrzędnego"},
        "address": _text("Adres"),
        "phone": _text("Telefon"),
        "email": {"type": "string", "pattern": r"^[^@\s]+@[^@\s]+$", "description": "E-mail"},
        "epuap": _text("Adres skrytki ePUAP"),
        "ade": {"type": "string", "pattern": ADE_PATTERN, "description": "Adres do doręczeń elektronicznych (e-Doręczenia)"},
        "website": {"type": "string", "pattern": r"^https?://", "description": "Strona internetowa podmiotu"},
        "nip": {"type": "string", "pattern": r"^[0-9 -]{10,13}$", "description": "NIP"},
        "regon": {"type": "string", "pattern": r"^[0-9]{9}([0-9]{5})?$", "description": "REGON"},
        "teryt": {"type": "string", "pattern": r"^[0-9]{2,7}$", "description": "Kod TERYT"},
        "head": _text("Kierownik podmiotu"),
        "editor": _contact("Redakcja BIP: osoba odpowiedzialna"),
        "editors": {
            "description": "Redaktorzy: adres e-mail z gita → „Imię Nazwisko, stanowisko” albo {name, keys, forge}",
            "type": "object",
            "additionalProperties": {"anyOf": [{"type": "string", "minLength": 1}, _person()]},
        },
        "base_url": {"type": "string", "pattern": r"^https?://", "description": "Własna domena"},
        "theme": _text("Motyw graficzny"),
        "theme_options": {"type": "object", "description": "Ustawienia motywu"},
        "menu": {
            "description": "Kolejność działów w menu przedmiotowym",
            "type": "array",
            "items": {"type": "string", "minLength": 1},
        },
        "accessibility": accessibility_schema(),
        "rodo": {
            "description": "Klauzula informacyjna RODO",
            "type": "object",
            "properties": {
                "iod": {**_contact("Inspektor ochrony danych"), "properties": {
                    **_contact("")["properties"], "address": _text("Adres do korespondencji")}},
                "purposes": {"type": "array", "items": {"type": "string", "minLength": 1},
                             "description": "Cele przetwarzania danych"},
                "legal_basis": {"type": "array", "items": {"type": "string", "minLength": 1},
                                "description": "Podstawy prawne przetwarzania"},
                "recipients": _text("Odbiorcy danych"),
                "retention": _text("Okres przechowywania danych"),
                "automated": _text("Zautomatyzowane podejmowanie decyzji"),
            },
            "required": ["iod"],
            "additionalProperties": False,
        },
        "etr": {"type": "string", "pattern": r"^https?://",
                "description": "Adres tekstu łatwego do czytania (ETR) poza biuletynem; zamiast strony rodzaju etr"},
        "pjm": {
            "description": "Informacje w polskim języku migowym (PJM): nagranie w folderze podmiotu z napisami albo adres",
            "type": "object",
            "properties": {
                "title": _text("Tytuł nagrania"),
                "video": _text("Plik nagrania (.mp4, .webm), względem folderu podmiotu"),
                "captions": {"type": "string", "pattern": r"\.vtt$", "description": "Plik napisów .vtt"},
                "url": {"type": "string", "pattern": r"^https?://", "description": "Adres nagrania poza biuletynem"},
            },
            "anyOf": [{"required": ["video"]}, {"required": ["url"]}],
            "additionalProperties": False,
        },
        "machine_readable": _text("Plik z tekstem odczytywalnym maszynowo (względem folderu podmiotu) albo adres"),
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://bip.example/schemas/unit.schema.json",
        "title": "Opis podmiotu BIP (unit.yaml)",
        "type": "object",
        "properties": properties,
        "required": ["name", "kind"],
        "additionalProperties": False,
    }


def _person() -> dict[str, Any]:
    """An editor or administrator who signs commits (bip.policy)."""
    return {
        "type": "object",
        "properties": {
            "name": _text("Imię Nazwisko, stanowisko"),
            "keys": {
                "description": "Klucze publiczne SSH, którymi osoba podpisuje zmiany",
                "type": "array",
                "items": {"type": "string", "pattern": r"^(ssh-|ecdsa-|sk-)[a-z0-9@.-]+ [A-Za-z0-9+/]+=* ?"},
            },
            "forge": {"type": "string", "pattern": r"^@?[A-Za-z0-9][A-Za-z0-9_.-]*$",
                      "description": "Nazwa użytkownika w serwisie GitHub/GitLab"},
        },
        "required": ["name"],
        "additionalProperties": False,
    }


def _policy() -> dict[str, Any]:
    """The publishing policy of region.yaml (bip.policy)."""
    return {
        "description": "Zasady publikacji: kto może zmieniać treść (podpisane commity)",
        "type": "object",
        "properties": {
            # YAML reads a bare `off` as false: both mean off
            "mode": {"enum": ["off", "warn", "enforce", False]},
            "since": {"type": "string", "pattern": "^[0-9a-f]{7,64}$"},
            "accepted": {"type": "array", "items": {"type": "string", "pattern": "^[0-9a-f]{7,64}$"}},
            "forge_keys": {
                "description": "Klucze OpenPGP serwisów (GitHub, GitLab), którymi podpisują zmiany zrobione w przeglądarce",
                "type": "object",
                "additionalProperties": {"type": "string", "pattern": "BEGIN PGP PUBLIC KEY BLOCK"},
            },
            "lost_versions_acknowledged": {
                "description": "Opublikowane wersje, których utratę z historii git potwierdza administrator",
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["commit", "reason"],
                    "properties": {
                        "commit": {"type": "string", "pattern": "^[0-9a-f]{7,64}$"},
                        "reason": {"type": "string", "minLength": 1},
                    },
                    "additionalProperties": False,
                },
            },
        },
        "additionalProperties": False,
    }


def region_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://bip.example/schemas/region.schema.json",
        "title": "Ustawienia regionalnego portalu BIP (region.yaml)",
        "type": "object",
        "properties": {
            "name": _text("Nazwa regionalnego portalu BIP"),
            "base_url": {"type": "string", "pattern": r"^https?://"},
            "theme": _text("Domyślny motyw"),
            "registry_page_size": {"type": "integer", "minimum": 5, "maximum": 500},
            "policy": _policy(),
            "administrators": {
                "description": "Administratorzy BIP: adres e-mail → {name, keys, forge}",
                "type": "object",
                "additionalProperties": _person(),
            },
            "accessibility": accessibility_schema(),
            "attachments": {
                "description": "Odczyt załączników",
                "type": "object",
                "properties": {
                    "ocr": {"type": "boolean", "description": "Rozpoznawaj tekst skanów PDF (OCR, program tesseract); "
                            "domyślnie: nie"},
                },
                "additionalProperties": False,
            },
        },
        "required": ["name"],
        "additionalProperties": False,
    }


def generated() -> dict[str, dict[str, Any]]:
    return {"page": page_schema(), "unit": unit_schema(), "region": region_schema()}


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


@cache
def shipped(name: str) -> dict[str, Any]:
    """The schema file shipped in the package (what `bip check` validates against)."""
    text = resources.files("bip.schemas").joinpath(SCHEMA_FILES[name]).read_text(encoding="utf-8")
    return json.loads(text)
