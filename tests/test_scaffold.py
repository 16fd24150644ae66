"""`bip new` through the real command line: the title's data is read, every other value is a visible
placeholder that `bip check` refuses until it is replaced, and nothing is ever overwritten."""

import json
import re

import pytest
from conftest import NOW, run_bip

from bip.doctypes import DOCTYPES, PLACEHOLDER, fields_of

TITLE = ("Uchwała Nr V/42/2024 Rady Gminy Świdnica z dnia 26 września 2024 r. "
         "w sprawie zmian w budżecie gminy na 2024 rok")


def errors(root):
    checked = run_bip(root, "check", "--now", NOW, "--format", "json")
    return checked.returncode, [p for p in json.loads(checked.stdout) if p["severity"] == "error"]


def test_new_takes_number_date_and_issuer_from_the_title(project):
    root = project()
    made = run_bip(root, "new", "uchwala", "--unit", "gmina-testowa", TITLE)
    assert made.returncode == 0, made.stderr
    path = root / made.stdout.strip()
    # cut at a word boundary, never mid-word, at most 80 characters
    assert path.name == "uchwala-nr-v-42-2024-rady-gminy-swidnica-z-dnia-26-wrzesnia-2024-r-w-sprawie.md"
    assert path.parent == root / "content/gmina-testowa/uchwaly"
    text = path.read_text(encoding="utf-8")
    header = text.split("---")[1]
    assert f'title: "{TITLE}"' in header
    assert 'number: "V/42/2024"' in header  # quoted as the docs write numbers
    assert "\nadopted: 2024-09-26\n" in header and "\ncreated: 2024-09-26\n" in header
    assert 'author: "Rada Gminy Świdnica"' in header  # the council made it, not the head of the office
    assert "# attachments:" in header and "#   - file: uchwala-nr-v-42-2024" in header
    assert PLACEHOLDER in text.split("---")[2]  # the body is to be written
    # what to do next, in Polish
    assert "Z tytułu odczytano: numer: V/42/2024, data: 2024-09-26, wytworzył: Rada Gminy Świdnica." in made.stderr
    assert "Co dalej:" in made.stderr and "bip check" in made.stderr
    assert "bip serve --unit gmina-testowa" in made.stderr and f"git add {made.stdout.strip()}" in made.stderr
    # the only thing left is the body
    code, found = errors(root)
    assert code == 1
    assert [(p["file"], p["key"], p["message"]) for p in found] == [
        (made.stdout.strip(), "", "Treść strony nie jest uzupełniona.")]


def fill(text: str, type_name: str) -> str:
    """The page as an editor completes it: a real value of the right kind for every placeholder."""
    kinds = fields_of(type_name)
    values = {"date": "2024-09-26", "datetime": "2024-07-15T10:00", "int": "2024"}

    def value(match: re.Match[str]) -> str:
        key = match.group(1)
        return f'{key}: {values.get(kinds[key].kind, chr(34) + "Wartość " + key + chr(34))}'

    text = re.sub(rf'^(\w+): "{PLACEHOLDER}".*$', value, text, flags=re.MULTILINE)
    return text.replace(text[text.index(PLACEHOLDER):].split("\n", 1)[0], "Treść dokumentu.")


@pytest.mark.parametrize("type_name", sorted(DOCTYPES))
def test_placeholders_are_errors_until_replaced(project, type_name):
    root = project()
    made = run_bip(root, "new", type_name, "--unit", "gmina-testowa", f"Nowa informacja: {type_name} – zażółć")
    assert made.returncode == 0, made.stderr
    relative = made.stdout.strip()
    path = root / relative
    assert path.parent.name == (DOCTYPES[type_name].section or "gmina-testowa")
    assert path.name == f"nowa-informacja-{type_name}-zazolc.md"
    text = path.read_text(encoding="utf-8")
    unfilled = re.findall(rf'^(\w+): "{PLACEHOLDER}"', text, flags=re.MULTILINE)
    required = set(DOCTYPES[type_name].required)
    assert required <= set(unfilled)  # nothing the title did not state is made up
    assert "author" in unfilled
    code, found = errors(root)
    assert code == 1
    assert {p["key"] for p in found if p["file"] == relative} == {*unfilled, ""}
    for problem in found:
        if problem["key"]:
            assert problem["message"].startswith(f"Pole „{problem['key']}”") and "nie jest uzupełnione" in problem["message"]
            assert problem["hint"].startswith(f"Wpisz prawdziwą wartość w miejsce „{PLACEHOLDER}”, np. {problem['key']}: ")
    path.write_text(fill(text, type_name), encoding="utf-8")
    code, found = errors(root)
    assert (code, found) == (0, [])


@pytest.mark.parametrize(("written", "section"), [("uchwała", "uchwaly"), ("Zarządzenie", "zarzadzenia"),
                                                   ("zamówienie", "zamowienia"), ("OGŁOSZENIE", "ogloszenia")])
def test_types_with_or_without_polish_letters(project, written, section):
    root = project()
    made = run_bip(root, "new", written, "--unit", "gmina-testowa", "Nowy dokument")
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == f"content/gmina-testowa/{section}/nowy-dokument.md"


def test_straight_quotes_in_a_title_are_kept_and_valid(project):
    root = project()
    title = 'Ogłoszenie o programie "Czyste powietrze": nabór wniosków'
    made = run_bip(root, "new", "ogloszenie", "--unit", "gmina-testowa", title)
    assert made.returncode == 0, made.stderr
    code, found = errors(root)
    assert [p["key"] for p in found] == ["author", ""]  # no YAML error: the title is quoted and escaped
    assert 'title: "Ogłoszenie o programie \\"Czyste powietrze\\": nabór wniosków"' in (
        root / made.stdout.strip()).read_text(encoding="utf-8")


def test_new_refuses_to_overwrite_and_unknown_unit(project):
    root = project()
    first = run_bip(root, "new", "ogloszenie", "--unit", "gmina-testowa", "Ogłoszenie")
    assert first.returncode == 0
    path = root / first.stdout.strip()
    path.write_text("---\ntitle: Moja treść\n---\nNie ruszać.\n", encoding="utf-8")
    again = run_bip(root, "new", "ogloszenie", "--unit", "gmina-testowa", "Ogłoszenie")
    assert again.returncode == 2
    assert "już istnieje" in again.stderr
    assert "Nie ruszać." in path.read_text(encoding="utf-8")
    missing = run_bip(root, "new", "ogloszenie", "--unit", "gmina-testow", "Ogłoszenie")
    assert missing.returncode == 2
    assert "Nie ma podmiotu „gmina-testow”" in missing.stderr and "Czy chodziło o „gmina-testowa”?" in missing.stderr
    assert "Traceback" not in missing.stderr


@pytest.mark.parametrize(("title", "number", "date", "issuer"), [
    (TITLE, "V/42/2024", "2024-09-26", "Rada Gminy Świdnica"),
    ("Zarządzenie nr 87/2025 Burmistrza Miasta Żary z dnia 14.04.2025 r. w sprawie konkursu", "87/2025", "2025-04-14",
     "Burmistrz Miasta Żary"),
    ("Uchwała Nr XII/1/2024 Rady Miejskiej w Żarach z dnia 2024-01-05 w sprawie podatków", "XII/1/2024", "2024-01-05",
     "Rada Miejska w Żarach"),
    ("Uchwała Nr 5/2025 Zarządu Powiatu Zielonogórskiego z dnia 3 pazdziernika 2025 r.", "5/2025", "2025-10-03",
     "Zarząd Powiatu Zielonogórskiego"),
    ("Obwieszczenie Wójta Gminy Świdnica o wyłożeniu projektu planu", "", None, "Wójt Gminy Świdnica"),
    ("Informacja o sesji 31 lutego 2024", "", None, ""),  # no such day: no date
])
def test_what_an_acts_title_states(title, number, date, issuer):
    from bip.act_title import parse

    act = parse(title)
    assert (act.number, act.date.isoformat() if act.date else None, act.issuer) == (number, date, issuer)


def test_a_title_date_fills_the_types_own_date_field(project):
    root = project()
    made = run_bip(root, "new", "protokół", "--unit", "gmina-testowa",
                   "Protokół z V sesji Rady Gminy Świdnica z dnia 26 września 2024 r.")
    text = (root / made.stdout.strip()).read_text(encoding="utf-8")
    assert "\ndate: 2024-09-26\n" in text and "\ncreated: 2024-09-26\n" in text
    assert 'session: "UZUPEŁNIJ"' in text
