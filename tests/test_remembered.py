"""Parse and check results remembered between builds: found again by content, never stale, never trusted
when damaged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import NOW, basic_files, git, page, run_bip

from bip.fingerprint import generator_signature
from bip.load import yamlfile
from bip.load.remembered import remembering
from bip.load.yamlfile import YamlDoc, parse_yaml
from bip.problems import Problems
from bip.validate import schema_check
from bip.validate.schema_check import check

TEXT = "title: Uchwała nr 1\ntype: uchwala\nnieznany_klucz: 1\n"


def parsed_and_checked(text: str, source: str = "content/gmina-testowa/a.md") -> tuple[YamlDoc, Problems]:
    doc = parse_yaml(text)
    assert isinstance(doc, YamlDoc)
    problems = Problems()
    check("page", doc.data, doc.lines, source, problems)
    return doc, problems


def test_a_text_parsed_and_checked_before_is_not_parsed_or_checked_again(tmp_path: Path, monkeypatch) -> None:
    file = tmp_path / "parsed.bin"
    with remembering(file, generator_signature()):
        first, problems = parsed_and_checked(TEXT)
    assert problems.items and file.is_file()  # the unknown key and the missing fields of an uchwała

    def not_again(*args: object) -> None:
        raise AssertionError("parsed or checked again")

    with monkeypatch.context() as patched, remembering(file, generator_signature()):
        patched.setattr(yamlfile, "_parse", not_again)
        patched.setattr(schema_check, "_check", not_again)
        again, repeated = parsed_and_checked(TEXT)
        again.data["title"] = "zmieniony"  # each result is a copy: changing it changes nothing remembered
        assert parsed_and_checked(TEXT)[0].data["title"] == "Uchwała nr 1"
    assert (again.lines, again.duplicates) == (first.lines, first.duplicates)
    assert repeated.items == problems.items
    # another text, or the same text in another file, is parsed and checked anew
    with remembering(file, generator_signature()):
        other, found = parsed_and_checked(TEXT.replace("nieznany_klucz: 1\n", ""))
        assert other.data == {"title": "Uchwała nr 1", "type": "uchwala"}
        assert {p.key for p in found.items} < {p.key for p in problems.items}
        assert {p.file for p in parsed_and_checked(TEXT, "content/inna/b.md")[1].items} == {"content/inna/b.md"}


@pytest.mark.parametrize("damage", [b"", b"garbage", None])
def test_a_damaged_or_foreign_file_of_results_is_ignored(tmp_path: Path, monkeypatch, damage: bytes | None) -> None:
    file = tmp_path / "parsed.bin"
    with remembering(file, generator_signature()):
        _, problems = parsed_and_checked(TEXT)
    salt = generator_signature()
    if damage is None:  # written by another bip: its results are not taken
        salt = "inny bip"
    else:
        file.write_bytes(damage)
    calls: list[str] = []
    real = yamlfile._parse
    monkeypatch.setattr(yamlfile, "_parse", lambda text: calls.append(text) or real(text))
    with remembering(file, salt):
        _, again = parsed_and_checked(TEXT)
    assert calls == [TEXT] and again.items == problems.items


def test_builds_report_the_same_problems_with_results_remembered(project) -> None:
    files = basic_files()
    files["content/gmina-testowa/unit.yaml"] = str(files["content/gmina-testowa/unit.yaml"]) + "nieznany_klucz: tak\n"
    files["content/gmina-testowa/ogloszenia/nowe.md"] = page("Ogłoszenie", type="ogloszenie", zbedny="x")
    root = project(files)

    def problems() -> list[tuple[str, str]]:
        proc = run_bip(root, "build", "--now", NOW, "--report", str(root / "report.json"))
        assert proc.returncode == 0, proc.stderr
        report = json.loads((root / "report.json").read_text(encoding="utf-8"))
        return sorted((p["file"], p["key"]) for p in report["problems"])

    first = problems()
    assert ("content/gmina-testowa/unit.yaml", "nieznany_klucz") in first
    assert ("content/gmina-testowa/ogloszenia/nowe.md", "zbedny") in first
    assert (root / ".bip-cache/parsed/region.bin").is_file()
    assert (root / ".bip-cache/parsed/gmina-testowa.bin").is_file()
    assert problems() == first  # nothing changed: the same, from what was remembered
    # a changed file is parsed again: the new mistake is found, the mended one is gone
    unit = root / "content/gmina-testowa/unit.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("nieznany_klucz: tak\n", "inny_klucz: tak\n"),
                    encoding="utf-8")
    git(root, "commit", "-qam", "Poprawiono dane podmiotu")
    changed = problems()
    assert ("content/gmina-testowa/unit.yaml", "inny_klucz") in changed
    assert ("content/gmina-testowa/unit.yaml", "nieznany_klucz") not in changed
