"""Every validation rule of issue 3: a bad input gets a located Polish error, a good one passes.

All bad inputs live in one real project (real files, a real git repository) checked once by the real
command line; all good inputs live in another. Each case then asserts its own problems: the exact
file, line and key, the severity, a Polish message and a hint. Cases use their own folders so that
they cannot disturb each other.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import NOW, REPO, UNIT, basic_files, git, run_bip, write_files
from pdfs import accessible_pdf

U = "content/gmina-testowa/"
FOUR_MIB = 4 * 1024 * 1024
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"

BOMB = (
    "---\n"
    "title: Strona\n"
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"  # line 7: the first key whose value expands past the limit
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "---\n"
    "Treść.\n"
)


def fm(*lines: str, body: str = "Treść strony.") -> str:
    """A page: YAML lines between `---` (the first YAML line is line 2 of the file), then the body."""
    return "---\n" + "".join(line + "\n" for line in lines) + "---\n" + body + "\n"


def unit_yaml(old: str = "", new: str = "") -> str:
    """conftest.UNIT with one line replaced (or one inserted after `kind:` when old is empty)."""
    if not old:
        return UNIT.replace("kind: gmina\n", "kind: gmina\n" + new, 1)
    assert old in UNIT
    return UNIT.replace(old, new, 1)


@dataclass(frozen=True)
class Expect:
    file: str
    line: int
    key: str
    fragment: str  # part of the Polish message
    severity: str = "error"
    hint: str = ""  # part of the hint, when it matters


@dataclass
class Case:
    bad: dict[str, str | bytes]
    expected: list[Expect]
    good: dict[str, str | bytes]
    bad_links: dict[str, str] = field(default_factory=dict)  # symlink path → target (relative to root)
    good_links: dict[str, str] = field(default_factory=dict)


CASES: dict[str, Case] = {
    "broken-yaml-with-front-matter-offset": Case(
        {U + "yaml/nabor.md": fm("title: Ogłoszenie o naborze", "type: ogloszenie", "created: 2024-05-20",
                                 "author: Wójt: Jan Kowalski")},
        [Expect(U + "yaml/nabor.md", 5, "", "Błąd składni YAML", hint="cudzysłów")],
        {U + "yaml/nabor.md": fm("title: Ogłoszenie o naborze", "type: ogloszenie", "created: 2024-05-20",
                                 'author: "Wójt: Jan Kowalski"')},
    ),
    "front-matter-not-closed": Case(
        {U + "yaml/otwarte.md": "---\ntitle: Ogłoszenie\nTreść bez zamknięcia metadanych.\n"},
        [Expect(U + "yaml/otwarte.md", 1, "", "nie jest zamknięty", hint="---")],
        {U + "yaml/otwarte.md": fm("title: Ogłoszenie", body="Treść po metadanych.")},
    ),
    "duplicate-key": Case(
        {U + "yaml/dwa-tytuly.md": fm("title: Ogłoszenie", "created: 2024-05-20", "title: Ogłoszenie 2")},
        [Expect(U + "yaml/dwa-tytuly.md", 4, "title", "więcej niż raz")],
        {U + "yaml/dwa-tytuly.md": fm("title: Ogłoszenie", "created: 2024-05-20")},
    ),
    "missing-title": Case(
        {U + "tytul/ogloszenie.md": fm("type: ogloszenie", "created: 2024-05-20")},
        [Expect(U + "tytul/ogloszenie.md", 1, "title", "Brak wymaganego pola „title”", hint="tytuł")],
        {U + "tytul/ogloszenie.md": fm("title: Ogłoszenie", "type: ogloszenie", "created: 2024-05-20")},
    ),
    "wrong-dates": Case(
        {
            U + "daty/ogloszenie.md": fm("title: Ogłoszenie", "created: 2024-02-30", "published: 2024-13-01",
                                         'valid_until: "20.05.2024"', "publish_at: 2024-02-30T10:00"),
            U + "daty/przetarg.md": fm("title: Przetarg", "type: zamowienie", "reference: ZP.271.1.2024",
                                       "deadline: 2024-06-31 12:00"),
        },
        [
            Expect(U + "daty/ogloszenie.md", 3, "created", "Nieprawidłowa data „2024-02-30”", hint="RRRR-MM-DD"),
            Expect(U + "daty/ogloszenie.md", 4, "published", "Nieprawidłowa data „2024-13-01”", hint="RRRR-MM-DD"),
            Expect(U + "daty/ogloszenie.md", 5, "valid_until", "Nieprawidłowa data „20.05.2024”", hint="RRRR-MM-DD"),
            Expect(U + "daty/ogloszenie.md", 6, "publish_at", "Nieprawidłowa data i godzina „2024-02-30T10:00”"),
            Expect(U + "daty/przetarg.md", 5, "deadline", "Nieprawidłowa data i godzina „2024-06-31 12:00”"),
        ],
        {
            U + "daty/ogloszenie.md": fm("title: Ogłoszenie", "created: 2024-02-29", "published: 2024-03-01",
                                         "valid_until: 2030-05-20", "publish_at: 2024-03-01T10:00"),
            U + "daty/przetarg.md": fm("title: Przetarg", "type: zamowienie", "reference: ZP.271.1.2024",
                                       "deadline: 2024-06-30 12:00", "created: 2024-06-03"),
        },
    ),
    "unknown-type": Case(
        {U + "typ/budzet.md": fm("title: Uchwała budżetowa", "type: uchwała", 'number: "XII/1/2024"',
                                 "adopted: 2024-03-01")},
        [Expect(U + "typ/budzet.md", 3, "type", "Niedozwolona wartość „uchwała”", hint="Czy chodziło o „uchwala”?")],
        {U + "typ/budzet.md": fm("title: Uchwała budżetowa", "type: uchwala", 'number: "XII/1/2024"',
                                 "adopted: 2024-03-01")},
    ),
    "type-that-is-not-text": Case(
        {U + "typ/lista.md": fm("title: Strona", "type: [uchwala]")},
        [Expect(U + "typ/lista.md", 3, "type", "zły rodzaj wartości")],
        {U + "typ/lista.md": fm("title: Strona", "type: strona")},
    ),
    "status-per-type": Case(
        {
            U + "status/uchwala.md": fm("title: Uchwała", "type: uchwala", 'number: "I/1/2024"',
                                        "adopted: 2024-01-10", "status: w toku"),
            U + "status/zamowienie.md": fm("title: Przetarg", "type: zamowienie", "reference: ZP.271.1.2024",
                                           "status: obowiązująca"),
            U + "status/petycja.md": fm("title: Petycja", "type: petycja", "submitted: 2024-01-10",
                                        "status: rozstrzygnięte"),
            U + "status/oswiadczenie.md": fm("title: Oświadczenie", "type: oswiadczenie", "person: Jan Kowalski",
                                             "year: 2024", "kind: coroczne"),
        },
        [
            Expect(U + "status/uchwala.md", 6, "status", "Niedozwolona wartość „w toku”",
                   hint="Dozwolone: obowiązująca, uchylona, zmieniona."),
            Expect(U + "status/zamowienie.md", 5, "status", "Niedozwolona wartość „obowiązująca”",
                   hint="Dozwolone: w toku, rozstrzygnięte, unieważnione."),
            Expect(U + "status/petycja.md", 5, "status", "Niedozwolona wartość „rozstrzygnięte”",
                   hint="Dozwolone: w toku, rozpatrzona, pozostawiona bez rozpatrzenia."),
            Expect(U + "status/oswiadczenie.md", 6, "kind", "Niedozwolona wartość „coroczne”", hint="roczne"),
        ],
        {
            U + "status/uchwala.md": fm("title: Uchwała", "type: uchwala", 'number: "I/1/2024"',
                                        "adopted: 2024-01-10", "status: obowiązująca"),
            U + "status/zamowienie.md": fm("title: Przetarg", "type: zamowienie", "reference: ZP.271.1.2024",
                                           "status: rozstrzygnięte", "created: 2024-01-08"),
            U + "status/petycja.md": fm("title: Petycja", "type: petycja", "submitted: 2024-01-10",
                                        "status: pozostawiona bez rozpatrzenia"),
            U + "status/oswiadczenie.md": fm("title: Oświadczenie", "type: oswiadczenie", "person: Jan Kowalski",
                                             "year: 2024", "kind: roczne", "created: 2025-04-30"),
        },
    ),
    "required-keys-per-type": Case(
        {
            U + "wymagane/uchwala.md": fm("title: Uchwała bez numeru", "type: uchwala", "adopted: 2024-03-01"),
            U + "wymagane/przetarg.md": fm("title: Przetarg", "type: zamowienie", "status: w toku"),
        },
        [
            Expect(U + "wymagane/uchwala.md", 3, "number", "Brak wymaganego pola „number”", hint="number:"),
            Expect(U + "wymagane/przetarg.md", 3, "reference", "Brak wymaganego pola „reference”"),
        ],
        {
            U + "wymagane/uchwala.md": fm("title: Uchwała z numerem", "type: uchwala", 'number: "XII/7/2024"',
                                          "adopted: 2024-03-01"),
            U + "wymagane/przetarg.md": fm("title: Przetarg", "type: zamowienie", "reference: ZP.271.2.2024",
                                           "status: w toku", "created: 2024-03-04"),
        },
    ),
    "unknown-key-warning": Case(
        {U + "klucze/ogloszenie.md": fm("title: Ogłoszenie", "tittle: Ogłoszenie o sesji")},
        [Expect(U + "klucze/ogloszenie.md", 3, "tittle", "Nieznane pole „tittle”", "warning",
                hint="Czy chodziło o „title”?")],
        {U + "klucze/ogloszenie.md": fm("title: Ogłoszenie o sesji")},
    ),
    "keys-that-are-not-text": Case(
        {U + "klucze/liczby.md": fm("title: Strona", "1: pierwszy", "zz: drugi")},
        [
            Expect(U + "klucze/liczby.md", 3, "1", "Nieznane pole „1”", "warning"),
            Expect(U + "klucze/liczby.md", 4, "zz", "Nieznane pole „zz”", "warning"),
        ],
        {U + "klucze/liczby.md": fm("title: Strona")},
    ),
    "key-of-another-type-warning": Case(
        {U + "klucze/strona.md": fm("title: Strona", 'number: "XII/1/2024"')},
        [Expect(U + "klucze/strona.md", 3, "number", "nie dotyczy dokumentu rodzaju „Strona”", "warning",
                hint="type")],
        {U + "klucze/strona.md": fm("title: Uchwała", "type: uchwala", 'number: "XII/1/2024"', "adopted: 2024-03-01")},
    ),
    "attachments": Case(
        {
            U + "zalaczniki/uchwala.md": fm(
                "title: Uchwała z załącznikami",
                "attachments:",
                "  - file: brak.pdf",  # line 4
                "    title: Brak",
                "  - file: ../../region.yaml",  # line 6
                "    title: Poza podmiotem",
                "  - file: /etc/passwd",  # line 8
                "    title: Bezwzględna",
                "  - file: poza.pdf",  # line 10: a symlink leaving content/
                "    title: Dowiązanie",
                "  - file: C:\\Dokumenty\\plan.pdf",  # line 12
                "    title: Ścieżka z Windows",
            ),
        },
        [
            Expect(U + "zalaczniki/uchwala.md", 4, "attachments.0.file", "Brak pliku załącznika: „brak.pdf”",
                   hint="względem strony"),
            Expect(U + "zalaczniki/uchwala.md", 6, "attachments.1.file", "nie może zawierać „..”"),
            Expect(U + "zalaczniki/uchwala.md", 8, "attachments.2.file", "nie może być bezwzględna"),
            Expect(U + "zalaczniki/uchwala.md", 10, "attachments.3.file", "dowiązaniem (symlinkiem) prowadzącym poza"),
            Expect(U + "zalaczniki/uchwala.md", 12, "attachments.4.file", "nie może być bezwzględna"),
            Expect(U + "zalaczniki/poza.pdf", 1, "", "dowiązaniem (symlinkiem) prowadzącym poza folder content/"),
            Expect(U + "zalaczniki/obca-strona.md", 1, "", "dowiązaniem (symlinkiem) prowadzącym poza folder content/"),
        ],
        {
            U + "zalaczniki/uchwala.md": fm(
                "title: Uchwała z załącznikami",
                "attachments:",
                "  - file: pliki/plan.pdf",
                "    title: Plan",
                "  - file: kopia.pdf",
                "    title: Dowiązanie wewnątrz podmiotu",
            ),
            U + "zalaczniki/pliki/plan.pdf": accessible_pdf("Plan zagospodarowania"),
        },
        bad_links={U + "zalaczniki/poza.pdf": "../../../poza/tajne.pdf",
                   U + "zalaczniki/obca-strona.md": "../../../poza/strona.md"},
        good_links={U + "zalaczniki/kopia.pdf": "pliki/plan.pdf"},
    ),
    "aliases-stay-inside-the-unit": Case(
        {U + "aliasy/strona.md": fm("title: Strona przeniesiona", "aliases:", "  - ../../../ucieczka",
                                    "  - https://stary-bip.example/strona", "  - szukaj", "  - stara?id=5")},
        [
            Expect(U + "aliasy/strona.md", 4, "aliases.0", "nie może zawierać „..”", hint="względem adresu podmiotu"),
            Expect(U + "aliasy/strona.md", 5, "aliases.1", "bez „https://”"),
            Expect(U + "aliasy/strona.md", 6, "aliases.2", "zarezerwowany"),
            Expect(U + "aliasy/strona.md", 7, "aliases.3", "„?”"),
        ],
        {U + "aliasy/strona.md": fm("title: Strona przeniesiona", "aliases:", "  - /stara-strona/",
                                    "  - aktualnosci/2019/strona", "  - index.php")},
    ),
    "duplicate-url": Case(
        {U + "duplikaty/Uchwała 1.md": fm("title: Uchwała 1"), U + "duplikaty/uchwala-1.md": fm("title: Uchwała 1a"),
         U + "duplikaty/sesja/index.md": fm("title: Sesja"), U + "duplikaty/sesja.md": fm("title: Sesja 2")},
        [
            Expect(U + "duplikaty/uchwala-1.md", 1, "", "„content/gmina-testowa/duplikaty/Uchwała 1.md” dają ten sam adres"),
            Expect(U + "duplikaty/sesja/index.md", 1, "", "„content/gmina-testowa/duplikaty/sesja.md” dają ten sam adres"),
        ],
        {U + "duplikaty/Uchwała 2.md": fm("title: Uchwała 2"), U + "duplikaty/uchwala-3.md": fm("title: Uchwała 3"),
         U + "duplikaty/sesja/index.md": fm("title: Sesja"), U + "duplikaty/sesja-2.md": fm("title: Sesja 2")},
    ),
    "reserved-url": Case(
        {U + "szukaj.md": fm("title: Szukaj"), U + "archiwum.md": fm("title: Archiwum"),
         U + "Rejestr zmian/index.md": fm("title: Rejestr")},
        [
            Expect(U + "szukaj.md", 1, "", "Adres „szukaj/” jest zarezerwowany", hint="Zmień nazwę"),
            Expect(U + "archiwum.md", 1, "", "Adres „archiwum/” jest zarezerwowany"),
            Expect(U + "Rejestr zmian/index.md", 1, "", "Adres „rejestr-zmian/” jest zarezerwowany"),
        ],
        {U + "wyszukiwanie.md": fm("title: Jak szukać"), U + "ogloszenia/szukaj.md": fm("title: Szukaj w ogłoszeniach")},
    ),
    "binary-file-as-markdown": Case(
        {U + "binarny/skan.md": PNG},
        [Expect(U + "binarny/skan.md", 3, "", "wygląda na binarny", hint="załącznik")],
        {U + "binarny/skan.png": PNG, U + "binarny/index.md": fm("title: Skany", body="![Skan](skan.png)")},
    ),
    "not-utf8": Case(
        {U + "kodowanie/ogloszenie.md": fm("title: Ogloszenie", body="Pierwsza linia.\nZażółć gęślą jaźń.").encode("cp1250")},
        [Expect(U + "kodowanie/ogloszenie.md", 5, "", "nie jest zapisany w kodowaniu UTF-8", hint="UTF-8")],
        {U + "kodowanie/ogloszenie.md": fm("title: Ogloszenie", body="Pierwsza linia.\nZażółć gęślą jaźń.").encode()},
    ),
    "bom-and-crlf-keep-lines": Case(
        {U + "kodowanie/crlf.md": b"\xef\xbb\xbf" + fm("title: Ogłoszenie", "created: 2024-05-20",
                                                       "published: 2024-02-30").replace("\n", "\r\n").encode()},
        [Expect(U + "kodowanie/crlf.md", 4, "published", "Nieprawidłowa data „2024-02-30”")],
        {U + "kodowanie/crlf.md": b"\xef\xbb\xbf" + fm("title: Ogłoszenie", "created: 2024-05-20",
                                                       "published: 2024-05-21").replace("\n", "\r\n").encode()},
    ),
    "empty-file": Case(
        {U + "puste/pusty.md": "", U + "puste/same-kreski.md": "---\n---\n"},
        [
            Expect(U + "puste/pusty.md", 1, "", "Brak nagłówka", hint="title:"),
            Expect(U + "puste/same-kreski.md", 1, "title", "Brak wymaganego pola „title”"),
        ],
        {U + "puste/pusty.md": fm("title: Krótka strona"), U + "puste/same-kreski.md": fm("title: Tytuł")},
    ),
    "yaml-alias-bomb": Case(
        {U + "bomba/bomba.md": BOMB, U + "bomba/cykl.md": fm("title: Strona", "lista: &a", "  - [*a]")},
        [
            Expect(U + "bomba/bomba.md", 7, "", "YAML jest zbyt złożony", hint="aliasów"),
            Expect(U + "bomba/cykl.md", 3, "", "odwołuje się do samego siebie"),
        ],
        # anchors and aliases as such are fine
        {U + "bomba/bomba.md": fm("title: &t Sprawozdanie", "author: Jan Kowalski"),
         U + "bomba/cykl.md": fm("title: Strona", "attachments: &z []", "aliases: *z")},
    ),
    "python-tag": Case(
        {U + "bomba/python.md": fm("title: Strona", "author: !!python/object/apply:os.system [\"touch PWNED\"]")},
        [Expect(U + "bomba/python.md", 3, "", "Niedozwolony znacznik YAML", hint="„!”")],
        {U + "bomba/python.md": fm("title: Strona", 'author: "!!python/object/apply:os.system"')},
    ),
    "huge-file": Case(
        {U + "duzy/duzy.md": fm("title: Duży", body="a" * FOUR_MIB)},
        [Expect(U + "duzy/duzy.md", 1, "", "Plik jest za duży (4097 KiB, dopuszczalne 4096 KiB)", hint="załącznik")],
        {U + "duzy/duzy.md": fm("title: Duży", body=("Długi akapit. " * 60 + "\n\n") * 500)},
    ),
    # unit.yaml
    "unit-without-name": Case(
        {"content/bez-nazwy/unit.yaml": unit_yaml("name: Gmina Testowa\n", ""), "content/bez-nazwy/index.md": fm("title: Start")},
        [Expect("content/bez-nazwy/unit.yaml", 1, "name", "Brak wymaganego pola „name”", hint="name:")],
        {"content/bez-nazwy/unit.yaml": unit_yaml("name: Gmina Testowa", "name: Gmina Nazwana"),
         "content/bez-nazwy/index.md": fm("title: Start")},
    ),
    "unit-without-kind": Case(
        {"content/bez-rodzaju/unit.yaml": unit_yaml("kind: gmina\n", ""), "content/bez-rodzaju/index.md": fm("title: Start")},
        [Expect("content/bez-rodzaju/unit.yaml", 1, "kind", "Brak wymaganego pola „kind”", hint="kind:")],
        {"content/bez-rodzaju/unit.yaml": unit_yaml("kind: gmina", "kind: gmina-miejska"),
         "content/bez-rodzaju/index.md": fm("title: Start")},
    ),
    "unit-bad-kind": Case(
        {"content/zly-rodzaj/unit.yaml": unit_yaml("kind: gmina", "kind: gmina-wiejska"),
         "content/zly-rodzaj/index.md": fm("title: Start")},
        [Expect("content/zly-rodzaj/unit.yaml", 2, "kind", "Niedozwolona wartość „gmina-wiejska”",
                hint="Czy chodziło o „gmina-miejska”?")],
        {"content/zly-rodzaj/unit.yaml": unit_yaml("kind: gmina", "kind: miasto-na-prawach-powiatu"),
         "content/zly-rodzaj/index.md": fm("title: Start")},
    ),
    "unit-missing-parent": Case(
        {"content/sierota/unit.yaml": unit_yaml("kind: gmina\n", "kind: jednostka\nparent: gmina-brak\n"),
         "content/sierota/index.md": fm("title: Start")},
        [Expect("content/sierota/unit.yaml", 3, "parent", "Nie ma podmiotu „gmina-brak”")],
        {"content/sierota/unit.yaml": unit_yaml("kind: gmina\n", "kind: jednostka\nparent: gmina-testowa\n"),
         "content/sierota/index.md": fm("title: Start")},
    ),
    "unit-parent-cycle": Case(
        {"content/cykl-a/unit.yaml": unit_yaml("kind: gmina\n", "kind: jednostka\nparent: cykl-b\n"),
         "content/cykl-a/index.md": fm("title: Start"),
         "content/cykl-b/unit.yaml": unit_yaml("kind: gmina\n", "kind: jednostka\nparent: cykl-a\n"),
         "content/cykl-b/index.md": fm("title: Start")},
        [Expect("content/cykl-a/unit.yaml", 3, "parent", "tworzą cykl"),
         Expect("content/cykl-b/unit.yaml", 3, "parent", "tworzą cykl")],
        {"content/cykl-a/unit.yaml": unit_yaml("kind: gmina\n", "kind: jednostka\nparent: cykl-b\n"),
         "content/cykl-a/index.md": fm("title: Start"),
         "content/cykl-b/unit.yaml": unit_yaml("kind: gmina\n", "kind: jednostka\nparent: gmina-testowa\n"),
         "content/cykl-b/index.md": fm("title: Start")},
    ),
    "unit-unknown-key": Case(
        {"content/literowka/unit.yaml": unit_yaml("", "emial: urzad@testowo.example\n"),
         "content/literowka/index.md": fm("title: Start")},
        [Expect("content/literowka/unit.yaml", 3, "emial", "Nieznane pole „emial”", "warning",
                hint="Czy chodziło o „email”?")],
        {"content/literowka/unit.yaml": unit_yaml("", "epuap: /testowo/skrytka\n"),
         "content/literowka/index.md": fm("title: Start")},
    ),
    "unit-broken-yaml": Case(
        {"content/zla-skladnia/unit.yaml": unit_yaml("head: Jan Kowalski – Wójt Gminy Testowej", "head: Wójt: Jan Kowalski"),
         "content/zla-skladnia/index.md": fm("title: Start")},
        [Expect("content/zla-skladnia/unit.yaml", 3, "", "Błąd składni YAML")],
        {"content/zla-skladnia/unit.yaml": unit_yaml("head: Jan Kowalski – Wójt Gminy Testowej", 'head: "Wójt: Jan Kowalski"'),
         "content/zla-skladnia/index.md": fm("title: Start")},
    ),
    "unit-invalid-folder-name": Case(
        {"content/Gmina_X/unit.yaml": UNIT, "content/Gmina_X/index.md": fm("title: Start")},
        [Expect("content/Gmina_X", 1, "", "Nazwa folderu podmiotu „Gmina_X” jest niedozwolona", hint="małych liter")],
        {"content/gmina-x/unit.yaml": UNIT, "content/gmina-x/index.md": fm("title: Start")},
    ),
}


def make_project(base: Path, files: dict[str, str | bytes], links: dict[str, str]) -> Path:
    root = base / "projekt"
    root.mkdir(parents=True)
    write_files(root, files)
    for link, target in links.items():
        (root / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / link)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Dodano treść", date="2024-05-20T10:00:00+02:00")
    return root


@dataclass
class Report:
    root: Path
    returncode: int
    stdout: str
    stderr: str
    problems: list[dict[str, object]]


def checked(root: Path) -> Report:
    proc = run_bip(root, "check", "--format", "json", "--now", NOW)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    return Report(root, proc.returncode, proc.stdout, proc.stderr, json.loads(proc.stdout))


@pytest.fixture(scope="module")
def bad(tmp_path_factory: pytest.TempPathFactory) -> Report:
    files = basic_files()
    files["poza/tajne.pdf"] = accessible_pdf("Tajne")
    files["poza/strona.md"] = fm("title: Strona spoza content/")
    links: dict[str, str] = {}
    for case in CASES.values():
        files.update(case.bad)
        links.update(case.bad_links)
    return checked(make_project(tmp_path_factory.mktemp("zle"), files, links))


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Report:
    files = basic_files()
    links: dict[str, str] = {}
    for case in CASES.values():
        files.update(case.good)
        links.update(case.good_links)
    return checked(make_project(tmp_path_factory.mktemp("dobre"), files, links))


def describe(problems: list[dict[str, object]]) -> str:
    return "\n".join(f"{p['file']}:{p['line']} [{p['key']}] {p['severity']}: {p['message']} | {p['hint']}" for p in problems)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_gets_located_polish_problem(bad: Report, name: str) -> None:
    for want in CASES[name].expected:
        found = [p for p in bad.problems
                 if (p["file"], p["line"], p["key"], p["severity"]) == (want.file, want.line, want.key, want.severity)
                 and want.fragment in str(p["message"])]
        assert found, f"expected {want}\namong:\n{describe(bad.problems)}"
        problem = found[0]
        assert want.hint in str(problem["hint"]), problem
        assert str(problem["hint"]).strip(), f"every problem says what to do: {problem}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_good_input_passes(good: Report, name: str) -> None:
    case = CASES[name]
    files = set(case.good) | set(case.good_links) | {e.file for e in case.expected}
    mine = [p for p in good.problems if p["file"] in files or any(str(p["file"]).startswith(f + "/") for f in files)]
    assert mine == [], describe(mine)


def test_bad_project_fails_with_exit_1_and_good_project_is_clean(bad: Report, good: Report) -> None:
    assert bad.returncode == 1, bad.stderr
    assert good.returncode == 0, describe(good.problems) + good.stderr
    assert good.problems == [], describe(good.problems)


def test_messages_are_polish(bad: Report) -> None:
    polish = set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ„”")
    for problem in bad.problems:
        text = str(problem["message"]) + str(problem["hint"])
        assert polish & set(text) or "Brak" in text, problem


def test_python_tag_is_never_executed(bad: Report) -> None:
    assert not (bad.root / "PWNED").exists()


def test_json_report_has_every_field_and_is_sorted(bad: Report) -> None:
    assert isinstance(bad.problems, list) and bad.problems
    for problem in bad.problems:
        assert set(problem) == {"file", "line", "key", "message", "hint", "severity", "internal", "lasting"}
        assert isinstance(problem["line"], int) and problem["line"] >= 1
        assert problem["severity"] in ("error", "warning")
        assert not os.path.isabs(str(problem["file"])) and "\\" not in str(problem["file"])
    order = [(p["file"], p["line"], p["key"], p["message"], p["hint"], p["severity"]) for p in bad.problems]
    assert order == sorted(order)


def test_text_report_lists_every_problem_sorted_with_location(bad: Report) -> None:
    proc = run_bip(bad.root, "check", "--now", NOW)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    located = [line for line in proc.stdout.splitlines() if line.startswith("content/")]
    assert len(located) == len(bad.problems)
    expected = [f"{p['file']}:{p['line']}: {'błąd' if p['severity'] == 'error' else 'ostrzeżenie'}"
                + (f" [{p['key']}]" if p["key"] else "") + f": {p['message']}" for p in bad.problems]
    assert located == expected
    errors = sum(p["severity"] == "error" for p in bad.problems)
    warnings = len(bad.problems) - errors
    assert f"Błędów: {errors}, ostrzeżeń: {warnings}." in proc.stdout


def test_exit_0_when_clean(project) -> None:
    proc = run_bip(project(), "check", "--now", NOW)
    assert proc.returncode == 0, proc.stdout
    assert "Nie znaleziono problemów." in proc.stdout


def test_exit_0_with_only_warnings_and_1_when_strict(project) -> None:
    files = basic_files()
    files[U + "ogloszenie.md"] = fm("title: Ogłoszenie", "tittle: Ogłoszenie")
    root = project(files)
    proc = run_bip(root, "check", "--format", "json", "--now", NOW)
    assert proc.returncode == 0, proc.stdout
    problems = json.loads(proc.stdout)
    assert [p["severity"] for p in problems] == ["warning"]
    assert run_bip(root, "check", "--strict", "--now", NOW).returncode == 1


@pytest.mark.parametrize("args", [
    ("check", "--bogus"), ("check", "--format", "xml"), ("build", "--bogus"), (), ("nonsense",),
    ("build", "--jobs", "many"),
])
def test_usage_error_exits_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    proc = run_bip(tmp_path, *args)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "błąd użycia" in proc.stderr or "usage" in proc.stderr


def test_repository_sample_content_has_no_errors(tmp_path: Path) -> None:
    proc = run_bip(tmp_path, "check", "--root", str(REPO), "--format", "json", "--now", NOW)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    problems = json.loads(proc.stdout)
    errors = [p for p in problems if p["severity"] == "error"]
    assert errors == [], describe(errors)
    assert proc.returncode == 0
