"""The document types as data: keys, allowed values, labels, listing columns, sort order.

Validation, listings, the JSON Schema and the `bip new` scaffold all read this one table.
Adding a type is one entry here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from slugify import slugify

# What `bip new` writes where a value must come from the editor; `bip check` reports it as an error.
PLACEHOLDER = "UZUPEŁNIJ"


@dataclass(frozen=True)
class Field:
    kind: str  # "text" | "date" | "datetime" | "enum" | "int" | "bool" | "attachments" | "list" | "withheld"
    label: str  # Polish label shown in pages and in the schema
    values: tuple[str, ...] = ()  # for enum
    example: object = None  # a typical value: shown in hints, used by `bip demo`
    from_title: str = ""  # what of an act's title fills it in `bip new`: "number" | "date" | "reference" | "year"


@dataclass(frozen=True)
class DocType:
    name: str
    label: str  # Polish, singular
    plural: str  # Polish, plural (listing headings)
    section: str  # the usual section folder for new pages of this type
    fields: dict[str, Field] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()  # listing columns after the title
    sort_key: str = ""  # key sorted by (newest first) in listings
    # the metryczka's "data wytworzenia" where `created` is not given: the type's own date of the act ("adopted"),
    # or, with `needs_created`, none (a warning asks for the date the document was signed or produced)
    produced: str = ""
    needs_created: bool = False


# The parts of one withholding of information (art. 8 ust. 5 of the access-to-information act): key → Polish label.
WITHHELD_PARTS: dict[str, str] = {
    "scope": "Zakres wyłączenia",
    "basis": "Podstawa prawna",
    "decided_by": "Wyłączenia dokonał",
    "date": "Data wyłączenia",
}

STATUS_ACT = ("obowiązująca", "uchylona", "zmieniona")
STATUS_PROCEEDING = ("w toku", "rozstrzygnięte", "unieważnione")

# Keys every page may have (SPEC §2, page front matter).
COMMON: dict[str, Field] = {
    "title": Field("text", "Tytuł"),
    "type": Field("text", "Rodzaj dokumentu"),
    "author": Field("text", "Wytworzył"),
    "created": Field("date", "Data wytworzenia"),
    "published": Field("date", "Data udostępnienia"),
    "entered_by": Field("text", "Wprowadził"),
    "draft": Field("bool", "Szkic (nieopublikowany)"),
    "publish_at": Field("datetime", "Publikacja od"),
    "valid_until": Field("date", "Ważne do"),
    "attachments": Field("attachments", "Załączniki"),
    "aliases": Field("list", "Dawne adresy"),
    "withheld": Field("withheld", "Wyłączenie jawności"),
    "weight": Field("int", "Kolejność"),
    "personal_data_basis": Field("text", "Podstawa prawna publikacji danych osobowych"),
}

DOCTYPES: dict[str, DocType] = {
    t.name: t
    for t in (
        DocType("strona", "Strona", "Strony", ""),
        DocType(
            "uchwala", "Uchwała", "Uchwały", "uchwaly",
            {
                "number": Field("text", "Numer", example="I/1/2026", from_title="number"),
                "adopted": Field("date", "Data podjęcia", example="today", from_title="date"),
                "status": Field("enum", "Status", STATUS_ACT, example="obowiązująca"),
                "repealed_by": Field("text", "Uchylona przez"),
                "journal": Field("text", "Publikacja w Dzienniku Urzędowym"),
            },
            required=("number", "adopted"),
            columns=("number", "adopted", "status"),
            sort_key="adopted",
            produced="adopted",
        ),
        DocType(
            "zarzadzenie", "Zarządzenie", "Zarządzenia", "zarzadzenia",
            {
                "number": Field("text", "Numer", example="1/2026", from_title="number"),
                "adopted": Field("date", "Data wydania", example="today", from_title="date"),
                "status": Field("enum", "Status", STATUS_ACT, example="obowiązująca"),
            },
            required=("number", "adopted"),
            columns=("number", "adopted", "status"),
            sort_key="adopted",
            produced="adopted",
        ),
        DocType("ogloszenie", "Ogłoszenie", "Ogłoszenia", "ogloszenia", sort_key="published", needs_created=True),
        # information about the unit's activity in easy-to-read text (art. 6 pkt 3 ustawy o zapewnianiu dostępności)
        DocType("etr", "Tekst łatwy do czytania (ETR)", "Teksty łatwe do czytania (ETR)", "etr"),
        DocType(
            "zamowienie", "Zamówienie publiczne", "Zamówienia publiczne", "zamowienia",
            {
                "reference": Field("text", "Znak sprawy", example="ZP.271.1.2026", from_title="reference"),
                "procedure": Field("text", "Tryb postępowania", example="tryb podstawowy"),
                "deadline": Field("datetime", "Termin składania ofert", example="today"),
                "status": Field("enum", "Status", STATUS_PROCEEDING, example="w toku"),
                "result": Field("text", "Rozstrzygnięcie"),
            },
            required=("reference",),
            columns=("reference", "deadline", "status"),
            sort_key="deadline",
            needs_created=True,
        ),
        DocType(
            "nabor", "Nabór na stanowisko", "Nabory na stanowiska", "nabory",
            {
                "position": Field("text", "Stanowisko", example="inspektor"),
                "deadline": Field("datetime", "Termin składania dokumentów", example="today"),
                "status": Field("enum", "Status", STATUS_PROCEEDING, example="w toku"),
                "result": Field("text", "Wynik naboru"),
            },
            required=("position",),
            columns=("position", "deadline", "status"),
            sort_key="deadline",
            needs_created=True,
        ),
        DocType(
            "oswiadczenie", "Oświadczenie majątkowe", "Oświadczenia majątkowe", "oswiadczenia",
            {
                "person": Field("text", "Osoba składająca", example="Imię Nazwisko"),
                "position": Field("text", "Stanowisko lub funkcja", example="wójt"),
                "year": Field("int", "Rok", example="this_year", from_title="year"),
                "kind": Field("enum", "Rodzaj", ("początkowe", "roczne", "końcowe"), example="roczne"),
            },
            required=("person", "year"),
            columns=("person", "position", "year", "kind"),
            sort_key="year",
            needs_created=True,
        ),
        DocType(
            "protokol", "Protokół", "Protokoły", "protokoly",
            {
                "session": Field("text", "Posiedzenie / sesja", example="I sesja"),
                "date": Field("date", "Data posiedzenia", example="today", from_title="date"),
            },
            required=("date",),
            columns=("session", "date"),
            sort_key="date",
            produced="date",
        ),
        DocType(
            "petycja", "Petycja", "Petycje", "petycje",
            {
                "submitted": Field("date", "Data złożenia", example="today", from_title="date"),
                "subject": Field("text", "Przedmiot petycji", example="…"),
                "status": Field(
                    "enum", "Status",
                    ("w toku", "rozpatrzona", "pozostawiona bez rozpatrzenia"), example="w toku",
                ),
                "answer_date": Field("date", "Data odpowiedzi"),
            },
            required=("submitted",),
            columns=("submitted", "subject", "status"),
            sort_key="submitted",
            produced="submitted",
        ),
    )
}

UNIT_KINDS: dict[str, str] = {
    "wojewodztwo": "Województwo",
    "powiat": "Powiat",
    "miasto-na-prawach-powiatu": "Miasto na prawach powiatu",
    "gmina-miejska": "Gmina miejska",
    "gmina": "Gmina",
    "jednostka": "Jednostka organizacyjna",
}


UNIT_KIND_GROUPS: dict[str, str] = {
    "wojewodztwo": "Województwo",
    "powiat": "Powiaty",
    "miasto-na-prawach-powiatu": "Miasta na prawach powiatu",
    "gmina-miejska": "Gminy miejskie",
    "gmina": "Gminy",
    "jednostka": "Jednostki organizacyjne",
}


def fields_of(type_name: str) -> dict[str, Field]:
    """All keys allowed on a page of this type: the common ones and the type's own."""
    doctype = DOCTYPES.get(type_name, DOCTYPES["strona"])
    return {**COMMON, **doctype.fields}


def label(type_name: str, key: str) -> str:
    found = fields_of(type_name).get(key)
    return found.label if found else key


def type_name(text: str) -> str | None:
    """The document type an editor means: its name with or without Polish letters, in any case
    ("uchwała", "Uchwala", "zamówienie"), or its Polish label ("Zamówienie publiczne"); None if none."""
    folded = slugify(text, lowercase=True)
    if folded in DOCTYPES:
        return folded
    for name, doctype in DOCTYPES.items():
        if folded == slugify(doctype.label, lowercase=True):
            return name
    return None
