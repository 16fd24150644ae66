"""The withdrawal register content/<unit>/redactions.yaml, from a real git history: withdrawn text and bytes
occur nowhere in the output (pages, registry, diffs, stored files, JSON, feeds, search indexes, `bip search`),
the registry still lists each change and shows the notice; cold and incremental builds agree; mistakes in the
register are located errors."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import zlib
from collections.abc import Callable
from pathlib import Path

from conftest import NOW, REGION, UNIT, git, page, run_bip, tree_hash, write_files
from pdfs import accessible_pdf

U = "content/gmina-testowa"
PAGE = "oswiadczenia/oswiadczenie-wojt-2024.md"
# markers: plain lowercase words, so that search indexes keep them as written
FIRST = "pierwotnezqx"  # only in version 1
SECRET = "adreszqxkwiatowa"  # only in version 2 (the withdrawn one)
LAST = "poprawionezqx"  # versions 3
PDF_SECRET = accessible_pdf("pdfzqxtajny")  # the attachment as version 2 had it
PDF_FIRST = accessible_pdf("pdfzqxpierwszy")
PDF_LAST = accessible_pdf("pdfzqxostatni")
ATTACH = "\n  - file: oswiadczenie-2024.pdf\n    title: Oświadczenie (skan)"


def commit(root: Path, message: str, date: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, date=date)


def history(root: Path) -> list[str]:
    """The repository: three versions of a declaration and of its PDF; the commit ids, oldest first."""
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    write_files(root, {
        "content/region.yaml": REGION,
        f"{U}/unit.yaml": UNIT,
        f"{U}/index.md": page("Strona główna", "Witamy."),
        f"{U}/{PAGE}": page("Oświadczenie majątkowe Wójta za 2024", f"Dochody {FIRST} w kwocie 1000 zł.",
                            attachments=ATTACH),
        f"{U}/oswiadczenia/oswiadczenie-2024.pdf": PDF_FIRST,
    })
    commit(root, "Publikacja oświadczenia majątkowego", "2025-04-01T10:00:00+02:00")
    write_files(root, {
        f"{U}/{PAGE}": page("Oświadczenie majątkowe Wójta za 2024", f"Dochody {FIRST} w kwocie 1000 zł.\n\n"
                            f"Miejsce zamieszkania: {SECRET} 17.", attachments=ATTACH),
        f"{U}/oswiadczenia/oswiadczenie-2024.pdf": PDF_SECRET,
    })
    commit(root, "Uzupełnienie oświadczenia", "2025-04-10T10:00:00+02:00")
    write_files(root, {
        f"{U}/{PAGE}": page("Oświadczenie majątkowe Wójta za 2024", f"Dochody {FIRST} w kwocie 1000 zł. {LAST}.",
                            attachments=ATTACH),
        f"{U}/oswiadczenia/oswiadczenie-2024.pdf": PDF_LAST,
    })
    commit(root, "Korekta oświadczenia", "2025-05-08T10:00:00+02:00")
    return git(root, "log", "--reverse", "--format=%H").split()


def register(commits: str, attachments: str = "") -> str:
    return (f"- page: {PAGE}\n  commits: {commits}\n" + (f"  attachments: [{attachments}]\n" if attachments else "")
            + '  reason: "Opublikowano adres zamieszkania"\n'
            + '  legal_basis: "art. 24i ust. 1 ustawy o samorządzie gminnym; art. 17 RODO"\n'
            + '  decided_by: "Roman Jankowski, Wójt Gminy Testowej"\n  date: 2025-05-07\n')


def build(root: Path) -> None:
    proc = run_bip(root, "build", "--now", NOW)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def everything(root: Path) -> list[tuple[str, bytes]]:
    """Every published file (following the output's links), and the decompressed bytes of compressed ones."""
    found = []
    out = root / "public"
    for dirpath, _dirs, names in os.walk(out, followlinks=True):
        for name in names:
            path = Path(dirpath) / name
            data = path.read_bytes()
            found.append((path.relative_to(out).as_posix(), data))
            for unpack in (gzip.decompress, zlib.decompress):
                with contextlib.suppress(Exception):  # not compressed that way
                    found.append((path.relative_to(out).as_posix() + " (rozpakowany)", unpack(data)))
    assert len(found) > 20
    return found


def occurrences(root: Path, needle: bytes) -> list[str]:
    return sorted({name for name, data in everything(root) if needle in data})


def searched(root: Path, word: str) -> list[object]:
    proc = run_bip(root, "search", word, "--json")
    assert proc.returncode in (0, 1), proc.stderr
    data = json.loads(proc.stdout) if proc.stdout.strip() else []
    return data.get("results", data) if isinstance(data, dict) else data


def registry_text(root: Path) -> str:
    return (root / "public/gmina-testowa/rejestr-zmian/index.html").read_text(encoding="utf-8")


def history_prefix(root: Path) -> Path:
    return root / "public/gmina-testowa/rejestr-zmian/strony/oswiadczenia/oswiadczenie-wojt-2024"


NOTICE = "Treść tej wersji została wycofana dnia 7 maja 2025 r."


def withdraw(tmp_path: Path, text: Callable[[list[str]], str]) -> tuple[Path, list[str]]:
    """The project built without a register (every marker is then published: the scans can fail), then the
    register committed on top and built again (incrementally); and the commit ids."""
    root = tmp_path / "projekt"
    commits = history(root)
    build(root)
    for marker in (FIRST.encode(), SECRET.encode(), LAST.encode(), PDF_SECRET, PDF_FIRST, PDF_LAST):
        assert occurrences(root, marker), marker
    assert searched(root, LAST) and searched(root, FIRST)  # `bip search` has the current page only
    assert any(LAST.encode() in p.read_bytes() for p in (root / ".bip-cache/search").rglob("*") if p.is_file())
    write_files(root, {f"{U}/redactions.yaml": text(commits)})
    commit(root, "Wycofanie treści oświadczenia", "2025-05-09T10:00:00+02:00")
    build(root)
    return root, commits


def cold(root: Path, tmp_path: Path) -> str:
    """The tree hash of a clean build of the same repository."""
    clean = tmp_path / "czysty"
    proc = run_bip(root, "build", "--now", NOW, "--out", str(clean), "--clean")
    assert proc.returncode == 0, proc.stderr
    return tree_hash(clean)


def test_one_version_is_withdrawn_everywhere(tmp_path):
    root, _ = withdraw(tmp_path, lambda commits: register(f"[{commits[1][:9]}]"))
    assert occurrences(root, SECRET.encode()) == []
    assert occurrences(root, PDF_SECRET) == []  # version 2's PDF was part of the version
    assert searched(root, SECRET) == []
    # the other versions stay
    assert occurrences(root, FIRST.encode()) and occurrences(root, LAST.encode()) and occurrences(root, PDF_LAST)
    # the registry keeps the change; its version page and both diffs show the notice
    assert "Uzupełnienie oświadczenia" in registry_text(root)
    prefix = history_prefix(root)
    for suffix in (".wersja-2.html", ".zmiany-2.html", ".zmiany-3.html"):
        shown = Path(f"{prefix}{suffix}").read_text(encoding="utf-8")
        assert NOTICE in shown, suffix
        assert "Powód: Opublikowano adres zamieszkania." in shown
        assert "Podstawa prawna: art. 24i ust. 1 ustawy o samorządzie gminnym; art. 17 RODO." in shown
        assert "Decyzja: Roman Jankowski, Wójt Gminy Testowej." in shown
    live = (root / "public/gmina-testowa/oswiadczenia/oswiadczenie-wojt-2024/index.html").read_text(encoding="utf-8")
    assert LAST in live and "wycofana" not in live
    assert Path(f"{prefix}.html").read_text(encoding="utf-8").count("treść wycofana") == 1  # the page's history
    assert not (root / "public/gmina-testowa/oswiadczenia/redactions.yaml").exists()
    assert not list((root / "public").rglob("redactions.yaml"))
    assert cold(root, tmp_path) == tree_hash(root / "public")


def test_all_versions_are_withdrawn_with_the_current_page(tmp_path):
    root, _ = withdraw(tmp_path, lambda commits: register("all"))
    for marker in (FIRST.encode(), SECRET.encode(), LAST.encode(), PDF_FIRST, PDF_SECRET, PDF_LAST):
        assert occurrences(root, marker) == [], marker
    for word in (FIRST, SECRET, LAST):
        assert searched(root, word) == []
        # nor in the files of the whoosh index (an updated index keeps replaced documents until it merges)
        assert [p for p in (root / ".bip-cache/search").rglob("*") if p.is_file() and word.encode() in p.read_bytes()] == []
    live = (root / "public/gmina-testowa/oswiadczenia/oswiadczenie-wojt-2024/index.html").read_text(encoding="utf-8")
    assert NOTICE in live
    listing = registry_text(root)
    for message in ("Publikacja oświadczenia majątkowego", "Uzupełnienie oświadczenia", "Korekta oświadczenia"):
        assert message in listing
    assert "Oświadczenie majątkowe Wójta za 2024" in listing
    notices = sorted((root / "public/gmina-testowa/rejestr-zmian/pliki").glob("*.wycofany.html"))
    assert len(notices) == 3 and all(NOTICE in p.read_text(encoding="utf-8") for p in notices)
    assert cold(root, tmp_path) == tree_hash(root / "public")


def test_one_attachment_of_one_version(tmp_path):
    root, _ = withdraw(tmp_path, lambda commits: register(f"[{commits[1][:7]}]", "oswiadczenie-2024.pdf"))
    assert occurrences(root, PDF_SECRET) == []
    assert occurrences(root, SECRET.encode())  # only the file was withdrawn, not the text
    assert occurrences(root, PDF_FIRST) and occurrences(root, PDF_LAST)
    version = Path(f"{history_prefix(root)}.wersja-2.html").read_text(encoding="utf-8")
    assert "treść pliku wycofana" in version
    notices = list((root / "public/gmina-testowa/rejestr-zmian/pliki").glob("*.wycofany.html"))
    assert len(notices) == 1 and NOTICE in notices[0].read_text(encoding="utf-8")
    assert "Plik: oswiadczenie-2024.pdf" in registry_text(root)
    assert cold(root, tmp_path) == tree_hash(root / "public")


def test_a_withdrawn_current_attachment_is_not_published(tmp_path):
    root, _ = withdraw(tmp_path, lambda commits: register(f"[{commits[2]}]", "oswiadczenie-2024.pdf"))
    assert occurrences(root, PDF_LAST) == []
    live = (root / "public/gmina-testowa/oswiadczenia/oswiadczenie-wojt-2024/index.html").read_text(encoding="utf-8")
    assert "treść pliku wycofana" in live and LAST in live


def test_mistakes_in_the_register_are_located(tmp_path):
    root = tmp_path / "projekt"
    commits = history(root)
    write_files(root, {f"{U}/redactions.yaml": (
        "- page: oswiadczenia/nie-ma-takiej.md\n  commits: all\n  reason: x\n  legal_basis: y\n"
        "  decided_by: z\n  date: 2025-05-07\n"
        f"- page: {PAGE}\n  commits: [deadbeef]\n  reason: x\n  legal_basis: y\n  decided_by: z\n"
        "  date: 2025-05-07\n"
        f"- page: {PAGE}\n  commits: [{commits[1][:8]}]\n  legal_basis: y\n  decided_by: z\n  date: 2025-05-07\n"
        f"- page: {PAGE}\n  commits: all\n  reason: x\n  reason: y\n  legal_basis: y\n  decided_by: z\n"
        "  date: 2025-05-07\n  decyzja: tak\n"
    )})
    proc = run_bip(root, "check", "--format", "json", "--now", NOW)
    problems = [p for p in json.loads(proc.stdout) if p["file"] == f"{U}/redactions.yaml"]
    located = sorted((p["line"], p["key"]) for p in problems if p["severity"] == "error")
    assert located == [(1, "page"), (8, "commits"), (13, "reason"), (21, "reason"), (25, "decyzja")], problems
    assert proc.returncode != 0


def test_a_version_of_a_renamed_page_by_its_old_path(tmp_path):
    root = tmp_path / "projekt"
    commits = history(root)
    git(root, "mv", f"{U}/{PAGE}", f"{U}/oswiadczenia/oswiadczenie-wojta.md")
    commit(root, "Zmiana nazwy pliku oświadczenia", "2025-05-08T12:00:00+02:00")
    build(root)
    assert occurrences(root, SECRET.encode())
    write_files(root, {f"{U}/redactions.yaml": register(f"[{commits[1][:7]}]")})
    commit(root, "Wycofanie treści oświadczenia", "2025-05-09T10:00:00+02:00")
    build(root)
    assert occurrences(root, SECRET.encode()) == [] and occurrences(root, PDF_SECRET) == []
    assert occurrences(root, LAST.encode())
    assert cold(root, tmp_path) == tree_hash(root / "public")
