"""Files no page lists or links are not published (a warning names each); the registry keeps dropped ones."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import NOW, basic_files, commit_files, page, run_bip, tree_hash
from pdfs import accessible_pdf

U = "content/gmina-testowa/"
WNIOSEK = accessible_pdf("Wniosek")
SOURCE = U + "ogloszenia/obwieszczenie.md"


def files_with_uses() -> dict[str, str | bytes]:
    files = basic_files()
    files[SOURCE] = page(
        "Obwieszczenie", "Zob. [mapę](mapa.pdf) i ![herb](../grafika/herb.png).\n\n<a href=\"/dokumenty/wzor.odt\">wzór</a>",
        type="ogloszenie", **{"attachments:\n  - file: wniosek.pdf\n    title: Wniosek": None}).replace(": None", "")
    files[U + "ogloszenia/wniosek.pdf"] = WNIOSEK
    files[U + "ogloszenia/mapa.pdf"] = accessible_pdf("Mapa")
    files[U + "grafika/herb.png"] = b"\x89PNG herb"
    files[U + "dokumenty/wzor.odt"] = b"wzor"
    files[U + "grafika/logo.png"] = b"\x89PNG logo"  # named in unit.yaml (a theme's option)
    files[U + "unit.yaml"] = str(files[U + "unit.yaml"]) + "theme_options:\n  logo: grafika/logo.png\n"
    files[U + "ogloszenia/stary-szkic.pdf"] = accessible_pdf("Szkic")  # nobody uses it
    return files


def build(root: Path, *args: str) -> str:
    proc = run_bip(root, "build", "--now", NOW, *args)
    assert proc.returncode == 0, proc.stderr
    return proc.stderr


def test_an_orphan_file_is_not_published_and_named_in_a_warning(project) -> None:
    root = project(files_with_uses())
    proc = run_bip(root, "check", "--now", NOW)
    assert "ogloszenia/stary-szkic.pdf:1: ostrzeżenie" in proc.stdout
    assert "nie zostanie opublikowany" in proc.stdout and "Dołącz plik do strony" in proc.stdout
    assert proc.stdout.count("nie zostanie opublikowany") == 1
    stderr = build(root)
    assert "stary-szkic.pdf" in stderr
    out = root / "public/gmina-testowa"
    assert not (out / "ogloszenia/stary-szkic.pdf").exists()
    for used in ("ogloszenia/wniosek.pdf", "ogloszenia/mapa.pdf", "grafika/herb.png", "dokumenty/wzor.odt",
                 "grafika/logo.png"):
        assert (out / used).is_file(), used


def test_an_attachment_dropped_from_a_page_stays_only_in_the_registry_and_incremental_equals_cold(project) -> None:
    root = project(files_with_uses())
    build(root)
    out = root / "public/gmina-testowa"
    assert (out / "ogloszenia/wniosek.pdf").is_file()
    commit_files(root, {SOURCE: page("Obwieszczenie", "Zob. [mapę](mapa.pdf) i ![herb](../grafika/herb.png).\n\n"
                                     "<a href=\"/dokumenty/wzor.odt\">wzór</a>", type="ogloszenie")},
                 message="Usunięcie wniosku", date="2024-05-21T10:00:00+02:00")
    stderr = build(root)
    assert "wniosek.pdf" in stderr  # now an orphan: the warning says so
    assert not (out / "ogloszenia/wniosek.pdf").exists()
    stored = sorted(p.read_bytes() for p in (out / "rejestr-zmian/pliki").glob("wniosek.*.pdf"))
    assert stored == [WNIOSEK]
    incremental = tree_hash(root / "public")
    shutil.rmtree(root / ".bip-cache")
    build(root, "--out", str(root / "cold"))
    assert tree_hash(root / "cold") == incremental
