"""Personal identifiers (PESEL, identity-card numbers) are stopped before publication, with file and line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import NOW, basic_files, page, run_bip
from hypothesis import given, settings
from hypothesis import strategies as st

from bip.validate.personal import find

U = "content/gmina-testowa/"


@pytest.mark.parametrize("text, found", [
    ("PESEL: 44051401359.", ["44051401359"]),
    ("Urodzona 2002-07-08, PESEL 02270803624", ["02270803624"]),  # 2000s: month + 20
    ("44051401358", []),  # wrong check digit
    ("44133101353", []),  # month 13: no such date
    ("44023101357", []),  # 31 February
    ("seria i numer: ABA300000", ["ABA300000"]),
    ("dowód osobisty ABA 300000", ["ABA 300000"]),
    ("ABA300001", []),  # wrong check digit
    ("tel. +48 68 451 72 00, NIP 929-102-03-01, REGON 970770567, KRS 0000123456", []),
    ("rachunek PL61 1090 1014 0000 0712 1981 2874, kwota 12345678901,00 zł", []),
    ("numer 123440514013590 w rejestrze", []),  # a PESEL-shaped part of a longer number
    ("kod XABA300000 i ABA3000001", []),  # part of a longer word or number
], ids=lambda v: v if isinstance(v, str) else "")
def test_identifiers_count_only_with_a_valid_checksum_and_date(text: str, found: list[str]) -> None:
    assert [f.text for f in find(text)] == found


def check_json(root: Path) -> list[dict]:
    proc = run_bip(root, "check", "--now", NOW, "--format", "json")
    return json.loads(proc.stdout)


def test_identifiers_in_body_and_front_matter_are_located_errors_and_a_legal_basis_silences_them(project) -> None:
    files = basic_files()
    files[U + "ogloszenia/obwieszczenie.md"] = page(
        "Obwieszczenie", "Pierwszy akapit.\n\nWnioskodawca: Jan Kowalski, PESEL 44051401359.\n",
        type="ogloszenie", author='"Jan Kowalski, dowód ABA300000"')
    files[U + "ogloszenia/lista.md"] = page(
        "Lista kandydatów", "Kandydat: PESEL 44051401359.", type="ogloszenie",
        personal_data_basis='"art. 24i ust. 1 ustawy o samorządzie gminnym"')
    root = project(files)
    found = [p for p in check_json(root) if "PESEL" in p["message"] or "dowodu" in p["message"]]
    assert [(p["file"], p["line"], p["key"], p["severity"]) for p in found] == [
        (U + "ogloszenia/obwieszczenie.md", 4, "author", "error"),
        (U + "ogloszenia/obwieszczenie.md", 8, "", "error"),
    ]
    assert all("…" in p["message"] and "44051401359" not in p["message"] for p in found)
    assert all("personal_data_basis" in p["hint"] for p in found)
    proc = run_bip(root, "build", "--now", NOW)
    assert proc.returncode == 1
    assert "Tekst zawiera numer PESEL (440…59)" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (root / "public/gmina-testowa").exists()  # the unit with the error is not published


def test_the_sample_content_and_a_demo_region_have_no_false_positives(tmp_path: Path) -> None:
    from bip.demo import generate

    generate(tmp_path / "demo", 6, 60)
    for root in (Path(__file__).resolve().parent.parent, tmp_path / "demo"):
        problems = check_json(root)
        assert not [p for p in problems if "PESEL" in p["message"] or "dowodu" in p["message"]], root


def personal(problems: list[dict]) -> list[dict]:
    return [p for p in problems if "PESEL" in p["message"] or "dowodu" in p["message"]]


ATTACHED = "attachments:\n  - file: wniosek.pdf\n    title: Wniosek\n  - file: decyzja.pdf\n    title: Decyzja"


def test_identifiers_in_an_attachments_text_are_errors_at_its_key_with_the_page_number(project) -> None:
    from bip.demo.files import pdf

    files = basic_files()
    files[U + "ogloszenia/obwieszczenie.md"] = page("Obwieszczenie", "Zob. załączniki.", type="ogloszenie",
                                                    **{ATTACHED: None}).replace(": None", "")
    files[U + "ogloszenia/wniosek.pdf"] = pdf("Wniosek", ["Wnioskodawca: Jan Kowalski", "PESEL 44051401359"])
    files[U + "ogloszenia/decyzja.pdf"] = b"%PDF-1.4 not really a PDF"  # unreadable: not this check's error
    files[U + "ogloszenia/lista.md"] = page("Lista", "Lista.", type="ogloszenie",
                                            personal_data_basis='"art. 24i ust. 1 ustawy o samorządzie gminnym"',
                                            **{"attachments:\n  - file: wniosek.pdf\n    title: Wniosek": None}
                                            ).replace(": None", "")
    root = project(files)
    found = personal(check_json(root))
    assert [(p["file"], p["line"], p["key"]) for p in found] == [
        (U + "ogloszenia/obwieszczenie.md", 5, "attachments.0.file")]
    assert "w załączniku „wniosek.pdf” (strona 1)" in found[0]["message"]
    assert "44051401359" not in found[0]["message"]
    proc = run_bip(root, "build", "--now", NOW)
    assert proc.returncode == 1 and not (root / "public/gmina-testowa").exists()


def test_an_identifier_only_in_an_earlier_version_is_an_error_naming_its_commit(project) -> None:
    from conftest import commit_files, git

    from bip.demo.files import pdf

    source = U + "ogloszenia/obwieszczenie.md"
    files = basic_files()
    files[source] = page("Obwieszczenie", "Pierwszy akapit.\n\nWnioskodawca: PESEL 44051401359.", type="ogloszenie")
    files[U + "ogloszenia/protokol.md"] = page("Protokół", "Protokół.", type="ogloszenie",
                                               **{"attachments:\n  - file: zal.pdf\n    title: Załącznik": None}
                                               ).replace(": None", "")
    files[U + "ogloszenia/zal.pdf"] = pdf("Zalacznik", ["Dowod osobisty ABA300000"])
    files[U + "ogloszenia/zgoda.md"] = page("Zgoda", "PESEL 02270803624.", type="ogloszenie",
                                            personal_data_basis='"art. 24i ust. 1 ustawy o samorządzie gminnym"')
    root = project(files)
    first = git(root, "rev-parse", "--short=7", "HEAD").strip()
    commit_files(root, {
        source: page("Obwieszczenie", "Pierwszy akapit.\n\nWnioskodawca: [wyłączono].", type="ogloszenie"),
        U + "ogloszenia/zal.pdf": pdf("Zalacznik", ["Dowod osobisty [wylaczono]"]),
        U + "ogloszenia/zgoda.md": page("Zgoda", "Zgoda bez danych.", type="ogloszenie"),
    }, message="Usunięcie danych osobowych", date="2024-05-21T10:00:00+02:00")
    found = personal(check_json(root))
    assert [(p["file"], p["line"], p["key"]) for p in found] == [
        (source, 7, ""), (U + "ogloszenia/protokol.md", 5, "attachments.0.file")]
    assert all(f"w wersji z commita {first}" in p["message"] for p in found)
    assert "w załączniku „zal.pdf” (strona 1)" in found[1]["message"]
    assert all("redactions.yaml" in p["hint"] and "personal_data_basis" in p["hint"] for p in found)
    proc = run_bip(root, "build", "--now", NOW)
    assert proc.returncode == 1 and "w wersji z commita" in proc.stderr
    assert not (root / "public/gmina-testowa").exists()
    # withdrawn through the register, the earlier version is no longer published: nothing left to report
    entry = (f'  commits: ["{first}"]\n  reason: "Opublikowano numer PESEL"\n  legal_basis: "art. 17 RODO"\n'
             '  decided_by: "Wójt Gminy Testowej"\n  date: 2024-05-22\n')
    commit_files(root, {U + "redactions.yaml": "- page: ogloszenia/obwieszczenie.md\n" + entry
                        + "- page: ogloszenia/protokol.md\n  attachments: [zal.pdf]\n" + entry},
                 message="Wycofanie treści z danymi osobowymi", date="2024-05-22T10:00:00+02:00")
    assert personal(check_json(root)) == []
    proc = run_bip(root, "build", "--now", NOW)
    assert proc.returncode == 0, proc.stderr
    published = b"".join(f.read_bytes() for f in (root / "public/gmina-testowa").resolve().rglob("*") if f.is_file())
    assert b"44051401359" not in published and b"ABA300000" not in published


# The rules' patterns as first written: a lookbehind before the first character. The data's patterns start
# with the character (faster to scan for) and must find exactly the same candidates.
FIRST_PATTERNS = {
    "pesel": r"(?<![0-9])[0-9]{11}(?![0-9])",
    "id_card": r"(?<![A-Za-z0-9ĄĆĘŁŃÓŚŹŻąćęłńóśźż])[A-Z]{3} ?[0-9]{6}(?![0-9])",
}


def _candidates(pattern: re.Pattern[str], text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in pattern.finditer(text)]


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="0123456789ABZaząŁ ó-\n", max_size=60))
def test_rule_patterns_find_what_their_first_form_found(text: str) -> None:
    from bip.validate.personal import rules

    for rule in rules():
        first = re.compile(FIRST_PATTERNS[rule.name])
        assert _candidates(rule.pattern, text) == _candidates(first, text), rule.name


@pytest.mark.parametrize("text", ["12345678901", "a12345678901b", "123456789012", "x 44051401458 y", "ABA300000",
                                  "ABA 300000", "ąABA300000", "ŁABA300000", "1ABA300000", "AABA300000", "ABA3000000",
                                  "44051401458ABA300000", "ABC123456 i 44051401458"])
def test_rule_patterns_on_edges(text: str) -> None:
    from bip.validate.personal import rules

    for rule in rules():
        assert _candidates(rule.pattern, text) == _candidates(re.compile(FIRST_PATTERNS[rule.name]), text)
