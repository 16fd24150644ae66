"""A document taken down from the Bulletin says so plainly where it was (when and why, without a status that is
no longer true) and asks search engines not to index it; every site root has a robots.txt naming its sitemaps
and the portal has a sitemap index of the units'. Built from a real git history."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import NOW, REGION, UNIT, git, page, run_bip, write_files

U = "content/gmina-testowa"
D = "content/gmina-domenowa"  # a unit on its own domain
NOINDEX = '<meta name="robots" content="noindex">'
SITEMAPS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("usuniete") / "projekt"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write_files(root, {
        "content/region.yaml": REGION,
        f"{U}/unit.yaml": UNIT,
        f"{U}/index.md": page("Strona główna", "Witamy."),
        f"{U}/uchwaly/uchwala-i-1-2024.md": page(
            "Uchwała w sprawie opłat targowych", "Rada Gminy ustala opłatę targową.", type="uchwala",
            number='"I/1/2024"', adopted="2024-01-10", status="obowiązująca"),
        f"{U}/uchwaly/uchwala-i-2-2024.md": page(
            "Uchwała w sprawie budżetu", "Rada Gminy uchwala budżet.", type="uchwala",
            number='"I/2/2024"', adopted="2024-01-10", status="obowiązująca"),
        f"{D}/unit.yaml": UNIT.replace("Gmina Testowa", "Gmina Domenowa") + "base_url: https://bip.domenowa.example\n",
        f"{D}/index.md": page("Strona główna", "Witamy."),
    })
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Dodano uchwały", date="2024-01-15T10:00:00+01:00")
    git(root, "rm", "-q", f"{U}/uchwaly/uchwala-i-1-2024.md")
    git(root, "commit", "-q", "-m", "Uchylenie uchwały w sprawie opłat targowych.\n\n"
        "Uchwała została uchylona rozstrzygnięciem nadzorczym Wojewody.", date="2024-06-03T10:00:00+02:00")
    proc = run_bip(root, "build", "--now", NOW)
    assert proc.returncode == 0, proc.stderr
    return root / "public"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def head(html: str) -> str:
    return html.split("</head>", 1)[0]


def fields(html: str) -> str:
    found = re.search(r'<dl class="doc-fields">.*?</dl>', html, re.S)
    return found.group(0) if found else ""


def test_deleted_document_says_when_and_why_without_its_status(out: Path) -> None:
    removed = read(out / "gmina-testowa/uchwaly/uchwala-i-1-2024/index.html")
    main = removed.split('<article class="document">', 1)[1]
    # at the top, under the title: when, and the subject of the change that removed it
    assert re.search(r"^\s*<h1>Uchwała w sprawie opłat targowych</h1>\s*<p class=\"notice removed-banner\">", main)
    assert ("<strong>Informacja usunięta z Biuletynu dnia <time datetime=\"2024-06-03T10:00+02:00\">"
            "3 czerwca 2024 r., godz. 10:00</time></strong> (powód: Uchylenie uchwały w sprawie opłat targowych)."
            in main)
    assert "Rada Gminy ustala opłatę targową." in main  # its last version stays readable
    assert "I/1/2024" in fields(main) and "Status" not in fields(main) and "obowiązująca" not in main
    assert NOINDEX in head(removed)


def test_deleted_documents_versions_say_so_and_are_not_indexed(out: Path) -> None:
    version = read(out / "gmina-testowa/rejestr-zmian/strony/uchwaly/uchwala-i-1-2024.wersja-1.html")
    assert NOINDEX in head(version)
    assert "Informacja usunięta z Biuletynu dnia" in version and "(powód: Uchylenie uchwały" in version
    assert "Status" not in fields(version)


def test_current_documents_keep_their_status_and_are_indexed(out: Path) -> None:
    current = read(out / "gmina-testowa/uchwaly/uchwala-i-2-2024/index.html")
    assert "<dt>Status</dt><dd>obowiązująca</dd>" in fields(current)
    assert "noindex" not in current and "Informacja usunięta" not in current


def sitemap_locations(path: Path) -> list[str]:
    return [e.text or "" for e in ElementTree.parse(path).getroot().iter(f"{SITEMAPS}loc")]


def test_every_site_root_has_a_robots_txt_naming_its_sitemap(out: Path) -> None:
    assert read(out / "robots.txt") == "User-agent: *\nAllow: /\n\nSitemap: https://bip.example/sitemap.xml\n"
    assert read(out / "gmina-testowa/robots.txt").endswith("Sitemap: https://bip.example/gmina-testowa/sitemap.xml\n")
    # a unit on its own domain: its folder is that domain's root, its sitemap is there
    assert read(out / "gmina-domenowa/robots.txt").endswith("Sitemap: https://bip.domenowa.example/sitemap.xml\n")
    assert sitemap_locations(out / "gmina-domenowa/sitemap.xml") == ["https://bip.domenowa.example/"]


def test_portal_sitemap_index_lists_its_own_and_every_units_sitemap(out: Path) -> None:
    index = ElementTree.parse(out / "sitemap.xml").getroot()
    assert index.tag == f"{SITEMAPS}sitemapindex"
    assert sitemap_locations(out / "sitemap.xml") == [
        "https://bip.example/sitemap-portal.xml",
        "https://bip.domenowa.example/sitemap.xml",
        "https://bip.example/gmina-testowa/sitemap.xml",
    ]
    assert sitemap_locations(out / "sitemap-portal.xml") == ["https://bip.example/", "https://bip.example/szukaj/"]
    # taken down: in no sitemap
    units = sitemap_locations(out / "gmina-testowa/sitemap.xml")
    assert "https://bip.example/gmina-testowa/uchwaly/uchwala-i-2-2024/" in units
    assert not any("uchwala-i-1-2024" in url for url in units)


def test_robots_txt_names_a_sitemap_only_by_an_absolute_address() -> None:
    from bip.publish.feeds import robots

    assert robots("https://bip.example/sitemap.xml").decode().splitlines()[-1] == "Sitemap: https://bip.example/sitemap.xml"
    assert "Sitemap" not in robots("/gmina-testowa/sitemap.xml").decode()  # region.yaml without base_url
