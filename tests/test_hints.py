"""Each typical clerk's mistake gets the hint that fits it, word for word, through the real `bip check`.

One kind of mistake, one hint: a number where text is expected, a yes/no field, an empty field, a list
expected, quotes inside a quoted title, a date written the Polish way, a Windows-1250 file, tabs, a
misspelt field name, an unknown editor. All mistakes live in one real project checked once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import NOW, basic_files, git, run_bip, write_files

U = "content/gmina-testowa/"


def fm(*lines: str, body: str = "Treść strony.") -> str:
    return "---\n" + "".join(line + "\n" for line in lines) + "---\n" + body + "\n"


@dataclass(frozen=True)
class Mistake:
    file: str
    content: str | bytes
    line: int
    key: str
    message: str
    hint: str
    severity: str = "error"


RESOLUTION = ("title: Uchwała w sprawie budżetu", "type: uchwala")
MISTAKES = {
    "number-unquoted": Mistake(
        U + "a/numer.md", fm(*RESOLUTION, "number: 61", "adopted: 2024-03-12"), 4, "number",
        "Pole „number” musi być tekstem, a wpisano liczbę 61.",
        'Ujmij wartość w cudzysłów, np. number: "61".'),
    "yes-no-field": Mistake(
        U + "a/szkic.md", fm("title: Szkic ogłoszenia", "draft: tak"), 3, "draft",
        "Pole „draft” przyjmuje tylko wartość true albo false, a wpisano „tak”.",
        "Wpisz draft: true (tak) albo draft: false (nie), bez cudzysłowu."),
    "empty-field": Mistake(
        U + "a/autor.md", fm("title: Ogłoszenie", "author:"), 3, "author",
        "Pole „author” jest puste.",
        "Wpisz wartość po dwukropku w tym samym wierszu albo usuń cały wiersz „author:”."),
    "list-expected": Mistake(
        U + "a/zalacznik.md", fm("title: Ogłoszenie z załącznikiem", "attachments: plik.pdf"), 3, "attachments",
        "Pole „attachments” musi być listą załączników, a wpisano „plik.pdf”.",
        "Zapisz każdy załącznik w osobnych wierszach pod „attachments:”: „  - file: plik.pdf”, "
        "a pod nim „    title: \"Opis załącznika\"”."),
    "quotes-inside-quoted-title": Mistake(
        U + "a/cudzyslow.md", fm('title: "Ogłoszenie o programie "Czyste powietrze" w 2024 r."'), 2, "",
        "Błąd składni YAML: cudzysłów wewnątrz tekstu ujętego w cudzysłów.",
        "Cytat wewnątrz tekstu zapisz polskimi cudzysłowami „…” (zwykły \" kończy tekst) "
        "albo ujmij cały tekst w apostrofy '…'."),
    "date-written-with-dots": Mistake(
        U + "a/data.md", fm(*RESOLUTION, 'number: "V/1/2024"', "adopted: 12.03.2024"), 5, "adopted",
        "Nieprawidłowa data „12.03.2024” w polu „adopted”.",
        "Zapisz datę w postaci RRRR-MM-DD: adopted: 2024-03-12."),
    "date-written-in-words": Mistake(
        U + "a/data-slownie.md", fm("title: Ogłoszenie", "created: 26 września 2024 r."), 3, "created",
        "Nieprawidłowa data „26 września 2024 r.” w polu „created”.",
        "Zapisz datę w postaci RRRR-MM-DD: created: 2024-09-26."),
    "windows-1250-file": Mistake(
        U + "a/kodowanie.md", fm("title: Ogłoszenie", body="Zażółć gęślą jaźń.").encode("cp1250"), 2, "",
        "Plik nie jest zapisany w kodowaniu UTF-8 (np. Windows-1250 lub ISO-8859-2), więc polskie litery byłyby "
        "zniekształcone.",
        "Zapisz plik ponownie w kodowaniu UTF-8: w Notatniku „Zapisz jako” → Kodowanie: UTF-8; w VS Code kliknij "
        "nazwę kodowania na pasku stanu → „Zapisz z kodowaniem” → UTF-8."),
    "tab-indentation": Mistake(
        U + "a/tabulator.md", fm("title: Ogłoszenie", "attachments:", "\t- file: plik.pdf", "\t  title: Plik"), 4, "",
        "Błąd składni YAML: tabulator we wcięciu.",
        "Zamień tabulatory na spacje (wcięcie to 2 spacje na poziom); w edytorze włącz wcinanie spacjami."),
    "misspelt-field": Mistake(
        U + "a/literowka.md", fm("title: Ogłoszenie", "autor: Jan Kowalski"), 3, "autor",
        "Nieznane pole „autor” (zostanie pominięte).", "Czy chodziło o „author”? Popraw nazwę pola.", "warning"),
    "field-named-in-polish": Mistake(
        U + "a/po-polsku.md", fm("title: Ogłoszenie", "numer: 5/2024", "type: zarzadzenie", 'number: "5/2024"',
                                 "adopted: 2024-03-12"), 3, "numer",
        "Nieznane pole „numer” (zostanie pominięte).", "Czy chodziło o „number”? Popraw nazwę pola.", "warning"),
    "misspelt-value": Mistake(
        U + "a/status.md", fm(*RESOLUTION, 'number: "V/2/2024"', "adopted: 2024-03-12", "status: obowiazujaca"), 6,
        "status", "Niedozwolona wartość „obowiazujaca” pola „status”.",
        "Czy chodziło o „obowiązująca”? Dozwolone: obowiązująca, uchylona, zmieniona."),
    "number-where-a-number-is-expected": Mistake(
        U + "a/rok.md", fm("title: Oświadczenie", "type: oswiadczenie", "person: Jan Kowalski", 'year: "dwa tysiące"',
                          "created: 2025-04-30"),
        5, "year", "Pole „year” musi być liczbą całkowitą, a wpisano „dwa tysiące”.",
        "Wpisz samą liczbę, bez cudzysłowu, np. year: 2024."),
    "missing-required": Mistake(
        U + "a/bez-numeru.md", fm(*RESOLUTION, "adopted: 2024-03-12"), 3, "number",
        "Brak wymaganego pola „number”.", 'Dopisz w nagłówku strony wiersz „number: "I/1/2026"”.'),
}


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    root: Path = tmp_path_factory.mktemp("wskazowki") / "projekt"
    root.mkdir()
    write_files(root, {**basic_files(), **{m.file: m.content for m in MISTAKES.values()}})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Dodano treść")
    proc = run_bip(root, "check", "--now", NOW, "--format", "json")
    assert proc.returncode == 1, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_each_mistake_gets_its_own_hint(checked: list[dict], name: str) -> None:
    mistake = MISTAKES[name]
    found = [(p["line"], p["key"], p["severity"], p["message"], p["hint"]) for p in checked if p["file"] == mistake.file]
    assert found == [(mistake.line, mistake.key, mistake.severity, mistake.message, mistake.hint)]


def test_the_text_output_shows_message_and_hint(project) -> None:
    root = project({**basic_files(), U + "a/numer.md": MISTAKES["number-unquoted"].content})
    proc = run_bip(root, "check", "--now", NOW)
    assert proc.returncode == 1
    assert (f"{U}a/numer.md:4: błąd [number]: Pole „number” musi być tekstem, a wpisano liczbę 61.\n"
            f'    → Ujmij wartość w cudzysłów, np. number: "61".') in proc.stdout


def test_an_unknown_editor_gets_a_hint_that_adds_a_line_not_a_second_block(project) -> None:
    root = project()
    path = root / U / "index.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nZmiana.\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Poprawiono stronę główną", date="2024-06-01T10:00:00+02:00",
        author={"name": "Jan Nowy", "email": "jan.nowy@testowo.example"})
    proc = run_bip(root, "check", "--now", NOW, "--format", "json")
    editors = [p for p in json.loads(proc.stdout) if p["key"] == "editors"]
    assert len(editors) == 1
    # the unit already has `editors:` (line 11): a second `editors:` block would be a duplicate field
    assert editors[0]["line"] == 11
    assert editors[0]["hint"] == ("Dopisz w unit.yaml pod „editors:” (wiersz 11) wiersz "
                                  "„  jan.nowy@testowo.example: \"Imię Nazwisko, stanowisko\"” (wcięty dwiema spacjami).")
