"""Optional OCR of scanned PDF pages with the real `tesseract` program (Polish), behind region.yaml / BIP_OCR."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import NOW, basic_files, page, run_bip

from bip.attachments import AttachmentReader, audit
from bip.attachments.ocr import SWITCH, ocr_wanted, tesseract_version
from bip.demo.pdfs import scan_pdf, scanned_page, text_pdf

needs_tesseract = pytest.mark.skipif(
    tesseract_version() is None and not os.environ.get("CI"),
    reason="tesseract with Polish data (tesseract-ocr, tesseract-ocr-pol) is not installed",
)
U = "content/gmina-testowa/"
PETITION = ("Petycja w sprawie oświetlenia ulicy Łąkowej",
            "Wnosimy o budowę oświetlenia ulicznego wzdłuż ulicy Łąkowej. Mieszkańcy skarżą się na ciemności "
            "i brak chodnika, a drogą chodzą dzieci do szkoły. Prosimy o ujęcie zadania w budżecie gminy.")


def scan(tmp_path: Path, text: tuple[str, str] = PETITION) -> Path:
    path = tmp_path / "skan.pdf"
    path.write_bytes(scan_pdf(text[0], scanned_page(*text)))
    return path


@needs_tesseract
def test_a_scan_is_recognised_marked_and_still_audited_as_a_scan(tmp_path: Path) -> None:
    assert tesseract_version() is not None, "CI must install tesseract-ocr and tesseract-ocr-pol"
    path = scan(tmp_path)
    typed = tmp_path / "uchwala.pdf"
    typed.write_bytes(text_pdf("Uchwała", [("H1", "Uchwała"), ("P", "Rada Gminy uchwala budżet.")], tagged=True))
    plain = AttachmentReader(tmp_path / "a", ocr=False).read([path])[path]
    assert plain.text == "" and not plain.recognised
    results = AttachmentReader(tmp_path / "b", ocr=True).read([path, typed])
    read = results[path]
    assert read.recognised and read.facts.ocr_pages == (1,) and read.facts.image_pages == (1,)
    for word in ("oświetlenia", "Łąkowej", "skarżą", "budżecie"):
        assert word in read.text, read.text
    # recognised text does not make a scan accessible: the audit still says so
    assert "pdf-scan" in {f.code for f in audit("skan.pdf", read)}
    assert not results[typed].recognised and "Rada Gminy uchwala budżet." in results[typed].text


@needs_tesseract
def test_the_cache_keeps_results_with_and_without_ocr_apart(tmp_path: Path) -> None:
    path = scan(tmp_path)
    typed = tmp_path / "uchwala.pdf"
    typed.write_bytes(text_pdf("Uchwała", [("P", "Rada Gminy uchwala budżet.")], tagged=False))
    root = tmp_path / "project"
    off = AttachmentReader(root, ocr=False)
    assert off.read([path, typed])[path].text == "" and off.extracted == 2
    off.save()
    on = AttachmentReader(root, ocr=True)
    assert "oświetlenia" in on.read([path, typed])[path].text
    assert on.extracted == 1  # only the scan: a PDF without scanned pages reads the same either way
    on.save()
    again = AttachmentReader(root, ocr=True)
    assert "oświetlenia" in again.read([path])[path].text and again.extracted == 0
    assert AttachmentReader(root, ocr=False).read([path])[path].text == ""


def test_region_setting_and_environment_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SWITCH, raising=False)
    region = tmp_path / "content" / "region.yaml"
    region.parent.mkdir()
    region.write_text("name: Region\nattachments:\n  ocr: true\n", encoding="utf-8")
    assert ocr_wanted(tmp_path)
    monkeypatch.setenv(SWITCH, "0")
    assert not ocr_wanted(tmp_path)
    monkeypatch.delenv(SWITCH)
    region.write_text("name: Region\n", encoding="utf-8")
    assert not ocr_wanted(tmp_path)  # off by default
    monkeypatch.setenv(SWITCH, "1")
    assert ocr_wanted(tmp_path)


def test_the_schema_checks_the_setting(project) -> None:
    files = basic_files()
    files["content/region.yaml"] = str(files["content/region.yaml"]) + "attachments:\n  ocr: tak\n"
    root = project(files)
    done = run_bip(root, "check", "--now", NOW, "--format", "json")
    problems = json.loads(done.stdout)
    assert done.returncode == 1
    assert [(p["file"], p["key"]) for p in problems if p["severity"] == "error"] == [
        ("content/region.yaml", "attachments.ocr")], problems


@needs_tesseract
def test_with_ocr_the_personal_data_guard_reads_scans_too(project) -> None:
    files = basic_files()
    files[U + "ogloszenia/wniosek.md"] = page(
        "Wniosek", "Wniosek w załączniku.", type="ogloszenie",
        **{"attachments:\n  - file: wniosek.pdf\n    title: Wniosek – skan": None}).replace(": None", "")
    files[U + "ogloszenia/wniosek.pdf"] = scan_pdf("Wniosek", scanned_page(
        "Wniosek o wydanie zaświadczenia", "Wnioskodawca: Jan Kowalski, PESEL 44051401359, zamieszkały w Świdnicy."))
    root = project(files)

    def identifiers(*options: str) -> list[dict]:
        done = run_bip(root, "check", "--now", NOW, "--format", "json", *options, env={SWITCH: ""})
        return [p for p in json.loads(done.stdout) if "PESEL" in p["message"]]

    assert identifiers() == []  # a scan without OCR has no text to check
    found = identifiers("--ocr")
    assert [(p["file"], p["key"]) for p in found] == [(U + "ogloszenia/wniosek.md", "attachments.0.file")], found
    assert identifiers("--no-ocr") == []


def test_a_region_asking_for_ocr_where_tesseract_is_missing_gets_a_warning(project, tmp_path: Path) -> None:
    import shutil

    files = basic_files()
    files["content/region.yaml"] = str(files["content/region.yaml"]) + "attachments:\n  ocr: true\n"
    root = project(files)
    tools = tmp_path / "bin"  # a PATH with git but without tesseract
    tools.mkdir()
    (tools / "git").symlink_to(shutil.which("git") or "/usr/bin/git")
    done = run_bip(root, "check", "--now", NOW, "--format", "json", env={"PATH": str(tools), SWITCH: ""})
    assert done.returncode == 0, done.stderr
    found = [p for p in json.loads(done.stdout) if p["key"] == "attachments.ocr"]
    assert [(p["file"], p["severity"]) for p in found] == [("content/region.yaml", "warning")], done.stdout
    assert "tesseract" in found[0]["message"] and "tesseract-ocr-pol" in found[0]["hint"]
    switched_off = run_bip(root, "check", "--now", NOW, "--format", "json", "--no-ocr", env={"PATH": str(tools)})
    assert not [p for p in json.loads(switched_off.stdout) if p["key"] == "attachments.ocr"]


@needs_tesseract
def test_a_recognised_scan_is_offered_as_text_marked_as_recognised(project, tmp_path: Path) -> None:
    """With OCR on, the page links the scan's text version beside the file: a page that says the text was
    recognised by a program and may hold mistakes, and that the file is what counts; with OCR off, neither."""
    files = basic_files()
    files[U + "ogloszenia/index.md"] = page("Ogłoszenia", "Ogłoszenia urzędu.")
    files[U + "ogloszenia/petycja.md"] = page(
        "Petycja mieszkańców", "Petycja w załączniku.", type="ogloszenie",
        **{"attachments:\n  - file: petycja.pdf\n    title: Petycja – skan": None}).replace(": None", "")
    files[U + "ogloszenia/petycja.pdf"] = scan_pdf(PETITION[0], scanned_page(*PETITION))
    root = project(files)
    out = tmp_path / "public"

    def build(*options: str) -> tuple[str, Path]:
        done = run_bip(root, "build", "--now", NOW, "--out", str(out), *options, env={SWITCH: ""})
        assert done.returncode == 0, done.stderr
        return (out / "gmina-testowa/ogloszenia/petycja/index.html").read_text(encoding="utf-8"), \
            out / "gmina-testowa/ogloszenia/petycja.pdf.tekst.html"

    html, text_page = build("--ocr")
    assert 'href="../../ogloszenia/petycja.pdf.tekst.html">tekst rozpoznany automatycznie' in html
    assert (out / "gmina-testowa/ogloszenia/petycja.pdf").is_file()
    text = text_page.read_text(encoding="utf-8")
    assert "<h1>Tekst rozpoznany automatycznie: Petycja – skan</h1>" in text
    assert "może zawierać błędy" in text and 'href="../ogloszenia/petycja.pdf" download>Petycja – skan</a>' in text
    assert 'href="../ogloszenia/petycja/">Petycja mieszkańców</a>' in text  # the page it belongs to
    assert "Strona 1 – tekst rozpoznany automatycznie" in text
    for word in ("oświetlenia", "Łąkowej", "budżecie"):
        assert word in text, text
    declaration = (out / "gmina-testowa/deklaracja-dostepnosci/index.html").read_text(encoding="utf-8")
    assert 'href="../ogloszenia/petycja.pdf.tekst.html">wersja tekstowa</a>' in declaration
    html, text_page = build("--no-ocr")
    assert "tekst rozpoznany automatycznie" not in html and not text_page.exists()
    # the deklaracja dostępności still lists the scan as inaccessible, and points to its text version
    declaration = (out / "gmina-testowa/deklaracja-dostepnosci/index.html").read_text(encoding="utf-8")
    assert "Petycja – skan" in declaration and "petycja.pdf.tekst.html" not in declaration
