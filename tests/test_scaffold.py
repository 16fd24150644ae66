"""`bip new` writes, for every document type, a page that `bip check` accepts, and never overwrites."""

import pytest
from conftest import NOW, run_bip

from bip.doctypes import DOCTYPES


@pytest.mark.parametrize("type_name", sorted(DOCTYPES))
def test_new_page_of_every_type_passes_check(project, type_name):
    root = project()
    made = run_bip(root, "new", type_name, "--unit", "gmina-testowa", f"Nowa informacja: {type_name} – zażółć")
    assert made.returncode == 0, made.stderr
    path = root / made.stdout.strip()
    assert path.is_file()
    assert path.parent.name == (DOCTYPES[type_name].section or "gmina-testowa")
    assert path.name == f"nowa-informacja-{type_name}-zazolc.md"
    checked = run_bip(root, "check", "--now", NOW, "--format", "json")
    assert checked.returncode == 0, checked.stdout
    assert '"severity": "error"' not in checked.stdout


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
    missing = run_bip(root, "new", "ogloszenie", "--unit", "nie-ma-takiej", "Ogłoszenie")
    assert missing.returncode == 2
    assert "nie-ma-takiej" in missing.stderr
