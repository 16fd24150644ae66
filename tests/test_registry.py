"""The change registry from a real git history: every row, every earlier version, diffs, metryczka,
deleted and moved pages, replaced attachments, drafts and embargo, shallow clones, privacy."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import html5lib
import pytest
from conftest import NOW, REGION, UNIT, git, page, run_bip, write_files
from pdfs import accessible_pdf, scanned_pdf

from bip.attachments import size_pl

EWA = {"name": "Ewa Nowak", "email": "ewa.nowak@testowo.example"}
JAN = {"name": "Jan Kowalski", "email": "jan.kowalski@prywatny.example"}  # not in `editors`
U = "content/gmina-testowa"
ZAL_1 = scanned_pdf("Załącznik, wersja 1")  # replaced by a text PDF in version 4
ZAL_2 = accessible_pdf("Załącznik, wersja 2")


def commit(root: Path, message: str, date: str, author: dict[str, str] = EWA) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, author=author, date=date)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("rejestr") / "projekt"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write_files(root, {
        "content/region.yaml": REGION,
        f"{U}/unit.yaml": UNIT,
        f"{U}/index.md": page("Strona główna", "Witamy."),
        f"{U}/uchwaly/u1.md": page("Uchwała budżetowa", "Rada uchwala budżet w kwocie 100 zł.\n\nDrugi akapit.",
                                   type="uchwala", number='"I/1/2024"', adopted="2024-01-10", status="obowiązująca",
                                   attachments="\n  - file: zal.pdf\n    title: Załącznik nr 1"),
        f"{U}/uchwaly/zal.pdf": ZAL_1,
        f"{U}/stara.md": page("Strona do usunięcia", "Treść, która zniknie."),
        f"{U}/ogloszenia/szkic.md": page("Ogłoszenie robocze", "Szkic wewnętrzny.", type="ogloszenie", draft="true"),
        f"{U}/ogloszenia/embargo.md": page("Komunikat z embargiem", "Dopiero w 2099.", type="ogloszenie",
                                           publish_at="2099-01-01T00:00:00+01:00"),
    })
    commit(root, "Dodano uchwałę budżetową", "2024-01-15T10:00:00+01:00")
    path = root / f"{U}/uchwaly/u1.md"
    path.write_text(path.read_text(encoding="utf-8").replace("100 zł", "200 zł"), encoding="utf-8")
    commit(root, "Korekta kwoty budżetu", "2024-02-01T09:00:00+01:00", JAN)
    path.write_text(path.read_text(encoding="utf-8").replace("obowiązująca", "zmieniona"), encoding="utf-8")
    commit(root, "Zmiana statusu uchwały", "2024-02-10T09:00:00+01:00")
    (root / f"{U}/uchwaly/zal.pdf").write_bytes(ZAL_2)
    commit(root, "Nowa wersja załącznika", "2024-02-20T09:00:00+01:00")
    szkic = root / f"{U}/ogloszenia/szkic.md"
    szkic.write_text(page("Ogłoszenie o konsultacjach", "Zapraszamy na konsultacje.", type="ogloszenie"),
                     encoding="utf-8")
    commit(root, "Publikacja ogłoszenia o konsultacjach", "2024-03-01T09:00:00+01:00")
    git(root, "mv", f"{U}/uchwaly/u1.md", f"{U}/uchwaly/uchwala-i-1-2024.md")
    commit(root, "Zmiana nazwy pliku uchwały", "2024-03-05T09:00:00+01:00")
    git(root, "rm", "-q", f"{U}/stara.md")
    commit(root, "Usunięto nieaktualną stronę", "2024-04-01T09:00:00+02:00")
    proc = run_bip(root, "build", "--now", NOW)
    assert proc.returncode == 0, proc.stderr
    return root


def read(site: Path, url: str) -> str:
    """A page by its address: a folder's index.html, or a file (the registry's "….html")."""
    path = site / "public/gmina-testowa" / url
    return (path if url.endswith(".html") else path / "index.html").read_text(encoding="utf-8")


def text(markup: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def rows(markup: str) -> list[list[str]]:
    body = markup.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [[text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_unit_registry_lists_every_public_change_newest_first(site):
    found = [r for r in rows(read(site, "rejestr-zmian/")) if not r[1].startswith("Plik:")]
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in found] == [
        ("1 kwietnia 2024 r., godz. 09:00", "Strona do usunięcia historia zmian: Strona do usunięcia", "usunięcie",
         "Ewa Nowak, inspektor", "Usunięto nieaktualną stronę"),
        ("5 marca 2024 r., godz. 09:00", "Uchwała budżetowa historia zmian: Uchwała budżetowa", "przeniesienie",
         "Ewa Nowak, inspektor", "Zmiana nazwy pliku uchwały"),
        ("1 marca 2024 r., godz. 09:00", "Ogłoszenie o konsultacjach historia zmian: Ogłoszenie o konsultacjach",
         "dodanie", "Ewa Nowak, inspektor", "Publikacja ogłoszenia o konsultacjach"),
        ("10 lutego 2024 r., godz. 09:00", "Uchwała budżetowa historia zmian: Uchwała budżetowa", "zmiana",
         "Ewa Nowak, inspektor", "Zmiana statusu uchwały"),
        ("1 lutego 2024 r., godz. 09:00", "Uchwała budżetowa historia zmian: Uchwała budżetowa", "zmiana",
         "Jan Kowalski", "Korekta kwoty budżetu"),
        ("15 stycznia 2024 r., godz. 10:00", "Strona główna historia zmian: Strona główna", "dodanie",
         "Ewa Nowak, inspektor", "Dodano uchwałę budżetową"),
        ("15 stycznia 2024 r., godz. 10:00", "Strona do usunięcia historia zmian: Strona do usunięcia", "dodanie",
         "Ewa Nowak, inspektor", "Dodano uchwałę budżetową"),
        ("15 stycznia 2024 r., godz. 10:00", "Uchwała budżetowa historia zmian: Uchwała budżetowa", "dodanie",
         "Ewa Nowak, inspektor", "Dodano uchwałę budżetową"),
    ]
    files = [r for r in rows(read(site, "rejestr-zmian/")) if r[1].startswith("Plik:")]
    assert [(r[1], r[2]) for r in files] == [("Plik: zal.pdf", "zmiana"), ("Plik: zal.pdf", "dodanie")]


def test_drafts_and_embargo_never_appear(site):
    everything = "".join(p.read_text(encoding="utf-8") for p in (site / "public/gmina-testowa").rglob("*.html"))
    assert "Ogłoszenie robocze" not in everything and "Szkic wewnętrzny" not in everything
    assert "Komunikat z embargiem" not in everything
    assert not (site / "public/gmina-testowa/ogloszenia/embargo").exists()


def test_page_history_and_every_earlier_version(site):
    history = read(site, "rejestr-zmian/strony/uchwaly/uchwala-i-1-2024.html")
    assert [r[0] for r in rows(history)] == ["Wersja 4 (aktualna)", "Wersja 3", "Wersja 2", "Wersja 1"]
    assert [r[2] for r in rows(history)] == ["przeniesienie", "zmiana", "zmiana", "dodanie"]
    # the current version is the live page, linked as such: its version address is made once a newer one comes
    assert '<a href="../../../uchwaly/uchwala-i-1-2024/">Wersja 4</a> (aktualna)' in history
    assert '<a href="../../../rejestr-zmian/strony/uchwaly/uchwala-i-1-2024.wersja-3.html">Wersja 3</a>' in history
    assert not (site / "public/gmina-testowa/rejestr-zmian/strony/uchwaly/uchwala-i-1-2024.wersja-4.html").exists()
    # no folder per page, version or diff in the registry: its folders are the site's sections
    assert sorted(p.name for p in (site / "public/gmina-testowa/rejestr-zmian/strony").rglob("*") if p.is_dir()) == ["ogloszenia", "uchwaly"]
    v1 = read(site, "rejestr-zmian/strony/uchwaly/uchwala-i-1-2024.wersja-1.html")
    assert "100 zł" in v1 and "200 zł" not in v1 and "obowiązująca" in v1
    assert "Wersja archiwalna z dnia" in v1 and "15 stycznia 2024 r." in v1
    assert 'href="../../../uchwaly/uchwala-i-1-2024/"' in v1  # link to the current version
    v2 = read(site, "rejestr-zmian/strony/uchwaly/uchwala-i-1-2024.wersja-2.html")
    assert "200 zł" in v2 and "obowiązująca" in v2
    v3 = read(site, "rejestr-zmian/strony/uchwaly/uchwala-i-1-2024.wersja-3.html")
    assert "zmieniona" in v3


def test_replaced_attachment_keeps_its_old_version(site):
    v1 = read(site, "rejestr-zmian/strony/uchwaly/uchwala-i-1-2024.wersja-1.html")
    v3 = read(site, "rejestr-zmian/strony/uchwaly/uchwala-i-1-2024.wersja-3.html")
    old = re.search(r'href="([^"]+zal\.[0-9a-f]{12}\.pdf)"', v1).group(1)
    kept = re.search(r'href="([^"]+zal\.[0-9a-f]{12}\.pdf)"', v3).group(1)
    base = site / "public/gmina-testowa/rejestr-zmian/strony/uchwaly"
    assert (base / old).resolve().read_bytes() == ZAL_1
    assert (base / kept).resolve().read_bytes() == ZAL_1  # replaced after version 3
    # each version says what its own copy of the file was: the scan then, a text PDF now
    assert f"(PDF, {size_pl(len(ZAL_1))}, skan bez warstwy tekstowej)</span>" in v1
    assert f"(PDF, {size_pl(len(ZAL_2))})</span>" in read(site, "uchwaly/uchwala-i-1-2024/index.html")
    # every stored version in one folder, by name and blob; the current one is the published file itself
    stored = sorted((site / "public/gmina-testowa/rejestr-zmian/pliki").iterdir())
    assert [p.name.split(".")[0] for p in stored] == ["zal", "zal"] and all(p.suffix == ".pdf" for p in stored)
    current = site / "public/gmina-testowa/uchwaly/zal.pdf"
    second = [p for p in stored if p.read_bytes() == ZAL_2]
    assert len(second) == 1 and [p for p in stored if p.stat().st_ino == current.stat().st_ino] == second
    assert (site / "public/gmina-testowa/uchwaly/zal.pdf").read_bytes() == ZAL_2


def test_diff_marks_words_with_text_for_screen_readers(site):
    diff = read(site, "rejestr-zmian/strony/uchwaly/uchwala-i-1-2024.zmiany-2.html")
    assert ('<del><span class="visually-hidden">[usunięto: </span>100<span class="visually-hidden">]</span></del>'
            '<ins><span class="visually-hidden">[dodano: </span>200<span class="visually-hidden">]</span></ins>') in diff
    assert "Korekta kwoty budżetu" in diff and "Jan Kowalski" in diff
    status = read(site, "rejestr-zmian/strony/uchwaly/uchwala-i-1-2024.zmiany-3.html")
    assert "[usunięto: </span>obowiązująca" in status and "[dodano: </span>zmieniona" in status
    html5lib.HTMLParser(strict=True).parse(diff)
    moved = read(site, "rejestr-zmian/strony/uchwaly/uchwala-i-1-2024.zmiany-4.html")
    assert "Adres strony:</span> <del><span class=\"visually-hidden\">[usunięto: </span>uchwaly/u1/" in moved
    assert "[dodano: </span>uchwaly/uchwala-i-1-2024/" in moved and "Treść nie zmieniła się." in moved


def test_metryczka_from_history(site):
    current = read(site, "uchwaly/uchwala-i-1-2024/")
    meta = text(current.split('class="metryczka"', 1)[1].split("</section>", 1)[0])
    assert "Informację wytworzył Jan Kowalski – Wójt Gminy Testowej" in meta
    assert "Informację wprowadził Ewa Nowak, inspektor" in meta
    assert "Data udostępnienia 15 stycznia 2024 r." in meta
    assert "Data ostatniej zmiany 5 marca 2024 r., godz. 09:00" in meta
    assert 'href="../../rejestr-zmian/strony/uchwaly/uchwala-i-1-2024.html"' in current
    published = read(site, "ogloszenia/szkic/")  # a draft published later: published when it went public
    assert "Data udostępnienia</dt><dd><time datetime=\"2024-03-01\">1 marca 2024 r." in published


def test_deleted_page_keeps_its_url_and_history(site):
    removed = read(site, "stara/")
    assert "Informacja usunięta z Biuletynu dnia" in removed and "1 kwietnia 2024 r." in removed
    assert "Treść, która zniknie." in removed
    history = read(site, "rejestr-zmian/strony/stara.html")
    assert [r[0] for r in rows(history)] == ["Usunięcie", "Wersja 1"]
    assert "Treść, która zniknie." in read(site, "rejestr-zmian/strony/stara.wersja-1.html")


def test_moved_page_old_url_redirects(site):
    old = read(site, "uchwaly/u1/")
    assert '<meta http-equiv="refresh" content="0; url=../../uchwaly/uchwala-i-1-2024/">' in old
    assert old.count('rel="canonical"') == 1  # the new address, in full
    assert '<link rel="canonical" href="https://bip.example/gmina-testowa/uchwaly/uchwala-i-1-2024/">' in old


def test_unmapped_editor_is_a_warning_with_the_email_and_shows_the_git_name(site):
    proc = run_bip(site, "check", "--now", NOW)
    assert "jan.kowalski@prywatny.example" in proc.stdout and "ostrzeżenie" in proc.stdout
    assert proc.returncode == 0


def test_no_commit_email_is_published(site):
    emails = set(git(site, "log", "--format=%ae%n%ce").split())
    published = {"gmina@testowo.example", "bip@testowo.example", "dostepnosc@testowo.example"}
    leaked = []
    for path in (site / "public").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            leaked += [f"{email} in {path}" for email in emails - published if email.encode() in data]
    for path in (site / "public.d").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            leaked += [f"{email} in {path}" for email in emails - published if email.encode() in data]
    assert emails - published and not leaked


def test_feed_lists_changes_with_summaries(site):
    feed = (site / "public/gmina-testowa/feed.xml").read_text(encoding="utf-8")
    assert feed.index("Strona do usunięcia (usunięcie)") < feed.index("Uchwała budżetowa (przeniesienie)")
    assert "<summary>Korekta kwoty budżetu</summary>" in feed
    portal = (site / "public/index.html").read_text(encoding="utf-8")
    assert "Strona do usunięcia" in portal and "Ostatnie zmiany" in portal


def test_dirty_tree_is_an_error_in_ci_unless_allowed(site, tmp_path):
    clone = tmp_path / "klon"
    subprocess.run(["git", "clone", "-q", str(site), str(clone)], check=True)
    (clone / f"{U}/index.md").write_text(page("Strona główna", "Zmiana bez commita."), encoding="utf-8")
    proc = run_bip(clone, "build", "--now", NOW, env={"CI": "true"})
    assert proc.returncode == 1 and "niezatwierdzone zmiany" in proc.stderr
    assert f"{U}/index.md" in proc.stderr
    proc = run_bip(clone, "build", "--now", NOW, "--allow-dirty", env={"CI": "true"})
    assert proc.returncode == 0, proc.stderr
    # the live page shows the uncommitted text, so the last committed version is kept as a full page
    live = (clone / "public/gmina-testowa/index.html").read_text(encoding="utf-8")
    history = (clone / "public/gmina-testowa/rejestr-zmian/strony/_strona-glowna.html").read_text(encoding="utf-8")
    last = rows(history)[0][0]
    assert "Zmiana bez commita." in live and "(aktualna)" not in last
    version = (clone / f"public/gmina-testowa/rejestr-zmian/strony/_strona-glowna.wersja-{last.split()[-1]}.html"
               ).read_text(encoding="utf-8")
    assert "Witamy." in version and "Wersja archiwalna z dnia" in version


def test_shallow_clone_is_refused_unless_allowed(site, tmp_path):
    clone = tmp_path / "plytki"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{site}", str(clone)], check=True)
    proc = run_bip(clone, "build", "--now", NOW)
    assert proc.returncode == 1 and "git fetch --unshallow" in proc.stderr and "Traceback" not in proc.stderr
    proc = run_bip(clone, "build", "--now", NOW, "--allow-shallow")
    assert proc.returncode == 0, proc.stderr
    registry = (clone / "public/gmina-testowa/rejestr-zmian/index.html").read_text(encoding="utf-8")
    assert "Rejestr jest kompletny od dnia" in registry


def test_content_not_in_git_is_a_clear_error(tmp_path):
    root = tmp_path / "bez-gita"
    write_files(root, {"content/region.yaml": REGION, f"{U}/unit.yaml": UNIT, f"{U}/index.md": page("Start")})
    proc = run_bip(root, "build", "--now", NOW)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "git init" in proc.stderr


def test_a_commit_dated_after_the_build_moment_is_a_change_not_a_removal(tmp_path):
    """A committer's clock ahead of the build's: the version is in the tree built, so it is published."""
    root = tmp_path / "projekt"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write_files(root, {"content/region.yaml": REGION, f"{U}/unit.yaml": UNIT,
                       f"{U}/index.md": page("Strona główna", "Witamy."),
                       f"{U}/komunikat.md": page("Komunikat o przerwie w dostawie wody", "Przerwa we wtorek.")})
    commit(root, "Komunikat o przerwie w dostawie wody", "2024-05-06T08:00:00+02:00")
    path = root / f"{U}/komunikat.md"
    path.write_text(page("Komunikat o przerwie w dostawie wody", "Przerwa przesunięta na środę."), encoding="utf-8")
    commit(root, "Przesunięcie terminu przerwy", "2026-11-25T12:07:00+01:00")  # 7 minutes after NOW
    proc = run_bip(root, "build", "--now", NOW)
    assert proc.returncode == 0, proc.stderr
    registry = text(read(root, "rejestr-zmian"))
    assert "usunięcie" not in registry and "Przesunięcie terminu przerwy" in registry
    assert "Przerwa przesunięta na środę" in read(root, "komunikat")
    history = text(read(root, "rejestr-zmian/strony/komunikat.html"))
    assert "Informacja usunięta" not in history and "zmiana" in history
