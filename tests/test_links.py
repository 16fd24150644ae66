"""The link check: dead internal links and anchors are located warnings (errors with --strict);
the sample content has none and publishes no editor's git e-mail."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml
from conftest import NOW, REPO, basic_files, page, run_bip
from pdfs import accessible_pdf

U = "content/gmina-testowa"


def links_project(project, body: str) -> Path:
    files = basic_files()
    files[f"{U}/o-gminie.md"] = page("O gminie", "## Historia gminy\n\nTekst.\n\n## Załącznik 1\n\n[Plik](uchwaly/plik.pdf).")
    files[f"{U}/uchwaly/plik.pdf"] = accessible_pdf("Plik uchwały")
    files[f"{U}/ogloszenia/test.md"] = page("Test odnośników", body)
    return project(files)


def test_good_links_are_rewritten_to_output_urls(project):
    body = ("[o gminie](../o-gminie.md#n-historia-gminy) [plik](../uchwaly/plik.pdf) [dział](../uchwaly/) "
            "[start](../index.md) [tu](#n-sekcja) [metryczka](#metryczka-h) [zewn](https://www.gov.pl)\n\n## Sekcja\n")
    root = links_project(project, body)
    checked = run_bip(root, "check", "--now", NOW)
    assert checked.returncode == 0 and "Odnośnik" not in checked.stdout, checked.stdout
    built = run_bip(root, "build", "--now", NOW, "--strict")
    assert built.returncode == 0, built.stderr
    html = (root / "public/gmina-testowa/ogloszenia/test/index.html").read_text(encoding="utf-8")
    assert 'href="../../o-gminie/#n-historia-gminy"' in html
    assert 'href="../../uchwaly/plik.pdf"' in html and 'href="../../uchwaly/"' in html and 'href="../../"' in html


def test_dead_links_and_anchors_are_located_warnings_and_errors_with_strict(project):
    body = "Wstęp.\n\n[brak](../nie-ma.md)\n\n[kotwica](../o-gminie.md#n-nie-ma)\n\n[tutaj](#n-brak)\n"
    root = links_project(project, body)
    checked = run_bip(root, "check", "--now", NOW)
    assert checked.returncode == 0  # warnings only
    source = f"{U}/ogloszenia/test.md"
    assert f"{source}:6: ostrzeżenie: Odnośnik „../nie-ma.md”" in checked.stdout
    assert f"{source}:8: ostrzeżenie: Odnośnik „../o-gminie.md#n-nie-ma” wskazuje miejsce" in checked.stdout
    assert f"{source}:10: ostrzeżenie: Odnośnik „#n-brak”" in checked.stdout
    strict = run_bip(root, "build", "--now", NOW, "--strict")
    assert strict.returncode == 1 and f"{source}:6" in strict.stderr
    assert not (root / "public/gmina-testowa").exists()  # --strict: the unit with dead links is not published
    again = run_bip(root, "build", "--now", NOW, "--strict")  # its snapshot exists now, but is still not trusted
    assert again.returncode == 1 and not (root / "public/gmina-testowa").exists()


def test_sample_content_has_no_dead_links():
    proc = run_bip(REPO, "check", "--allow-shallow", "--format", "json")
    assert proc.returncode == 0, proc.stdout
    assert "Odnośnik" not in proc.stdout


def public_contacts() -> set[str]:
    """E-mail addresses units publish on purpose (contact data, editorial office, accessibility contact)."""
    found: set[str] = set()
    for path in (REPO / "content").glob("*/unit.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found.add(data.get("email", ""))
        found.add((data.get("editor") or {}).get("email", ""))
        found.add(((data.get("accessibility") or {}).get("contact") or {}).get("email", ""))
    return found - {""}


def test_sample_content_publishes_no_commit_email(tmp_path):
    out = tmp_path / "public"
    proc = run_bip(REPO, "build", "--now", NOW, "--allow-shallow", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    log = subprocess.run(["git", "log", "--format=%ae%n%ce", "--", "content"], cwd=REPO, capture_output=True,
                         text=True, check=True).stdout
    private = set(log.split()) - public_contacts()
    assert private, "the sample history should have editors whose addresses are not published"
    leaks = []
    for path in sorted(out.parent.rglob("*")):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            leaks += [f"{email}: {path}" for email in private if email.encode() in data]
    assert not leaks
