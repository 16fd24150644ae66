"""The generated legal pages on built output: the deklaracja dostępności (units and portal) in the v2.0
structure, the ETR, PJM and machine-readable links of the home page, the PJM page, the RODO clause and the
site map, all linked where the law expects them; and the warnings of `bip check` for each missing piece."""

from __future__ import annotations

import json
import os
from pathlib import Path
from xml.etree.ElementTree import Element

import html5lib
import pytest
from conftest import NOW, REGION, UNIT, basic_files, commit_files, git, page, run_bip
from pdfs import accessible_pdf, scanned_pdf
from test_build import site_files
from test_html_validity import check_deklaracja

U = "content/gmina-testowa/"
S = "content/szkola-testowa/"

FULL_UNIT = UNIT.replace(
    "etr: https://testowo.example/etr/\npjm:\n  url: https://testowo.example/pjm/\n"
    "machine_readable: https://testowo.example/informacje.txt\n",
    "pjm:\n  title: Informacja o gminie w PJM\n  video: o-gminie/pjm.mp4\n  captions: o-gminie/pjm.vtt\n"
    "machine_readable: o-gminie/informacje.txt\n",
).replace("  report: https://testowo.example/raport-dostepnosci.pdf\n", "  report: dostepnosc/raport-2025.pdf\n").replace(
    "  status: zgodna\n",
    "  status: częściowo zgodna\n  nonconformities:\n    - Skany uchwał z 2019 r. nie mają warstwy tekstowej.\n"
    "  exemptions:\n    - Mapy w planie zagospodarowania przestrzennego.\n"
    "  alternative_access: Odczytamy dokument przez telefon w ciągu 7 dni.\n"
    "  burden_url: https://testowo.example/ocena-obciazenia\n",
)
assert "video: o-gminie/pjm.mp4" in FULL_UNIT and "dostepnosc/raport-2025.pdf" in FULL_UNIT and "exemptions" in FULL_UNIT

FULL_UNIT = FULL_UNIT.replace("rodo:\n  iod:\n", "rodo:\n  purposes:\n    - rozpatrywania petycji\n"
                              "  legal_basis:\n    - art. 6 ust. 1 lit. c RODO\n  iod:\n")
VTT = "WEBVTT\n\n00:00.000 --> 00:04.000\nDzień dobry, to jest informacja o gminie.\n"
SCHOOL = UNIT.replace("name: Gmina Testowa", "name: Szkoła Podstawowa w Testowie")

LABELS = {
    "etr": "Informacje o działalności w tekście łatwym do czytania (ETR)",
    "pjm": "Informacje w polskim języku migowym (PJM)",
    "text": "Informacje w tekście odczytywalnym maszynowo",
}


def files() -> dict[str, str | bytes]:
    found = basic_files()
    found.update({
        U + "unit.yaml": FULL_UNIT,
        U + "o-gminie/index.md": page("O gminie", "Gmina Testowa leży nad rzeką."),
        U + "o-gminie/etr.md": page("Gmina w tekście łatwym do czytania", "Urząd jest w Testowie.", type="etr"),
        U + "o-gminie/pjm.mp4": b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64,
        U + "o-gminie/pjm.vtt": VTT,
        U + "o-gminie/informacje.txt": "Gmina Testowa – informacje o działalności.\n",
        U + "dostepnosc/raport-2025.pdf": accessible_pdf("Raport o stanie zapewniania dostępności"),
        U + "ogloszenia/zebranie.md": page("Zebranie wiejskie", "Zapraszamy.", type="ogloszenie",
                                                 created="2024-05-02"),
        U + "ogloszenia/stare.md": page("Stare ogłoszenie", "Minęło.", type="ogloszenie",
                                              created="2024-05-02", valid_until="2025-01-31"),
        S + "unit.yaml": SCHOOL,
        S + "index.md": page("Szkoła", "Strona szkoły."),
    })
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("legal") / "projekt"
    commit_files(root, files())
    proc = run_bip(root, "build", "--now", NOW)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return root / "public"


def tree(path: Path) -> Element:
    return html5lib.parse(path.read_bytes(), treebuilder="etree", namespaceHTMLElements=False)


def text(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


def by_id(root: Element, wanted: str) -> Element:
    found = [e for e in root.iter() if e.get("id") == wanted]
    assert len(found) == 1, wanted
    return found[0]


def resolve(page: Path, href: str) -> Path:
    """The file a relative link of a built page leads to."""
    target = (page.parent / href.split("#")[0]).resolve()
    return target / "index.html" if href.endswith("/") or target.is_dir() else target


def links(root: Element, inside: str = "") -> dict[str, str]:
    scope = [e for e in root.iter(inside)] if inside else [root]
    return {text(a): a.get("href", "") for s in scope for a in s.iter("a")}


# -- deklaracja dostępności ---------------------------------------------------------------------

def test_unit_deklaracja_has_every_v2_section_in_order(built: Path) -> None:
    path = built / "gmina-testowa/deklaracja-dostepnosci/index.html"
    found = check_deklaracja(path)
    assert "a11y-ocena" in found and found["a11y-ocena"][0].get("href") == "https://testowo.example/ocena-obciazenia"
    assert found["a11y-architektura"][0].tag == "h3" and found["a11y-komunikacja"][0].tag == "h3"
    root = tree(path)
    main = next(root.iter("main"))
    h2 = [text(h) for h in main.iter("h2")]
    assert h2 == ["Stan dostępności cyfrowej", "Niedostępne treści", "Przygotowanie deklaracji dostępności",
                  "Udogodnienia, ograniczenia i inne informacje", "Skróty klawiszowe",
                  "Informacje zwrotne i dane kontaktowe", "Obsługa wniosków i skarg związanych z dostępnością",
                  "Pozostałe informacje"]
    h3 = [text(h) for h in main.iter("h3")]
    for heading in ("Niezgodności z ustawą", "Wyłączenia", "Nadmierne obciążenie", "Alternatywny sposób dostępu",
                    "Koordynator do spraw dostępności", "Raport o stanie zapewniania dostępności",
                    "Dostępność architektoniczna", "Dostępność komunikacyjno-informacyjna"):
        assert heading in h3, heading
    main = text(main)
    assert "częściowo zgodna" in text(by_id(root, "a11y-status"))
    assert "Mapy w planie zagospodarowania przestrzennego." in main
    assert "Odczytamy dokument przez telefon w ciągu 7 dni." in main
    assert "jest Jan Nowak" in main and "koordynator@testowo.example" in main
    assert by_id(root, "a11y-data-przeglad").get("datetime") == "2026-03-30"
    report = links(root)["Raport o stanie zapewniania dostępności osobom ze szczególnymi potrzebami"]
    assert resolve(path, report).read_bytes().startswith(b"%PDF")  # the attachment form: the unit's own file


# -- inaccessible attachments: labelled on their page, listed in the deklaracja -----------------------------

TENDER = U + "ogloszenia/przetarg.md"
SCAN = U + "ogloszenia/protokol.pdf"


def same_size(data: bytes, size: int) -> bytes:
    """A PDF padded with blank lines after its end, to `size` bytes: a change of facts, not of size."""
    assert len(data) <= size
    return data + b"\n" * (size - len(data))


def attachment_items(path: Path) -> list[Element]:
    return [li for li in tree(path).iter("li") if li.get("class") == "a11y-zalacznik"]


def test_inaccessible_attachments_are_labelled_and_listed_in_the_deklaracja(tmp_path: Path) -> None:
    root = tmp_path / "projekt"
    scan = scanned_pdf("Protokół z otwarcia ofert")
    fixed = same_size(accessible_pdf("Protokół z otwarcia ofert", "Złożono trzy oferty."), 4096)
    listed = dict(files(), **{
        TENDER: page("Przetarg na przebudowę ul. Polnej", "Zapraszamy do składania ofert.", type="ogloszenie",
                     created="2024-05-02", attachments="\n  - file: swz.pdf\n    title: Specyfikacja warunków zamówienia"
                     "\n  - file: protokol.pdf\n    title: Protokół z otwarcia ofert"),
        U + "ogloszenia/swz.pdf": accessible_pdf("Specyfikacja warunków zamówienia", "Termin: 14 czerwca 2024 r."),
        SCAN: same_size(accessible_pdf("Szkic protokołu"), len(fixed)),
    })
    commit_files(root, listed)
    # the scan replaces the draft on 3 June: the date of the file's current version is the date checked
    commit_files(root, {SCAN: same_size(scan, len(fixed))}, "Dodano skan protokołu", date="2024-06-03T09:15:00+02:00")
    report = root / "report.json"
    first = run_bip(root, "build", "--now", NOW, "--report", str(report))
    assert first.returncode == 0, first.stderr
    assert "ogloszenia/przetarg.md:" in first.stderr and "Załącznik „protokol.pdf”: PDF jest skanem" in first.stderr
    public = root / "public/gmina-testowa"

    # the page: each file's kind and size, and what a reader cannot do with it, read with the link
    tender = tree(public / "ogloszenia/przetarg/index.html")
    section = next(e for e in tender.iter("section") if e.get("class") == "attachments")
    shown = {text(a): by_id(tender, a.get("aria-describedby")) for a in section.iter("a")}
    size, swz = (f"{len(data) / 1024:.1f} KB".replace(".", ",") for data in (fixed, listed[U + "ogloszenia/swz.pdf"]))
    assert {title: text(span) for title, span in shown.items()} == {
        "Specyfikacja warunków zamówienia": f"(PDF, {swz})",
        "Protokół z otwarcia ofert": f"(PDF, {size}, skan bez warstwy tekstowej)",
    }

    # the deklaracja: the editors' own item, then the scan with its page, file, reason and date
    path = public / "deklaracja-dostepnosci/index.html"
    root_el = tree(path)
    heading = by_id(root_el, "a11y-niezgodnosci")
    assert text(heading) == "Niezgodności z ustawą"
    items = attachment_items(path)
    assert [text(li) for li in items] == [
        "Załącznik Protokół z otwarcia ofert do strony Przetarg na przebudowę ul. Polnej: skan bez warstwy "
        "tekstowej, brak tagów (struktury dokumentu), brak określonego języka. Data sprawdzenia: 3 czerwca 2024 r."]
    hrefs = {text(a): a.get("href", "") for a in items[0].iter("a")}
    assert resolve(path, hrefs["Protokół z otwarcia ofert"]).read_bytes() == same_size(scan, len(fixed))
    assert resolve(path, hrefs["Przetarg na przebudowę ul. Polnej"]) == (public / "ogloszenia/przetarg/index.html").resolve()
    assert next(items[0].iter("time")).get("datetime") == "2024-06-03"
    main = text(next(root_el.iter("main")))
    assert main.index("Skany uchwał z 2019 r. nie mają warstwy tekstowej.") < main.index("Załącznik Protokół")
    assert "Specyfikacja warunków zamówienia" not in main  # an accessible file is not listed

    # the editor publishes a text PDF of the same size: the page and the deklaracja change, the rest is reused
    other = public / "ogloszenia/zebranie/index.html"
    inode = os.stat(other).st_ino
    commit_files(root, {SCAN: fixed}, "Opublikowano protokół jako dokument tekstowy", date="2024-06-04T10:00:00+02:00")
    second = run_bip(root, "build", "--now", NOW, "--report", str(report))
    assert second.returncode == 0, second.stderr
    assert "protokol.pdf" not in second.stderr
    after = text(tree(public / "ogloszenia/przetarg/index.html"))
    assert f"(PDF, {size})" in after and "skan" not in after
    assert attachment_items(path) == [] and "Skany uchwał z 2019 r." in text(tree(path))
    assert os.stat(other).st_ino == inode  # its inputs did not change: carried over, not rendered
    assert sum(u["reused"] for u in json.loads(report.read_text(encoding="utf-8"))["units"]) > 0


def test_a_unit_declared_compliant_with_an_inaccessible_attachment_is_partly_compliant(tmp_path: Path) -> None:
    root = tmp_path / "projekt"
    found = dict(basic_files(), **{
        TENDER: page("Przetarg", "Oferty.", type="ogloszenie", created="2024-05-02",
                     attachments="\n  - file: protokol.pdf\n    title: Protokół"),
        SCAN: scanned_pdf("Protokół"),
    })
    commit_files(root, found)
    assert run_bip(root, "build", "--now", NOW).returncode == 0
    path = root / "public/gmina-testowa/deklaracja-dostepnosci/index.html"
    assert "jest częściowo zgodna" in text(by_id(tree(path), "a11y-status"))
    assert len(attachment_items(path)) == 1
    git(root, "rm", "-q", SCAN)
    commit_files(root, {TENDER: page("Przetarg", "Oferty.", type="ogloszenie", created="2024-05-02")},
                 "Usunięto skan", date="2024-06-04T10:00:00+02:00")
    assert run_bip(root, "build", "--now", NOW).returncode == 0
    assert "jest zgodna" in text(by_id(tree(path), "a11y-status")) and attachment_items(path) == []


def test_unit_deklaracja_with_a_report_address_links_it(built: Path) -> None:
    root = tree(built / "szkola-testowa/deklaracja-dostepnosci/index.html")
    assert links(root)["Raport o stanie zapewniania dostępności osobom ze szczególnymi potrzebami"] == \
        "https://testowo.example/raport-dostepnosci.pdf"
    assert not [e for e in root.iter() if e.get("id") == "a11y-ocena"]  # no burden claimed: no analysis link
    assert "Niedostępne treści" not in [text(h) for h in next(root.iter("main")).iter("h2")]  # status zgodna


def test_portal_has_its_own_deklaracja_linked_from_its_footer(built: Path) -> None:
    path = built / "deklaracja-dostepnosci/index.html"
    found = check_deklaracja(path)
    assert text(found["a11y-podmiot"][0]) == "Regionalny BIP testowy"
    assert found["a11y-url"][0].get("href") == "https://bip.example/"
    assert text(found["a11y-osoba"][0]) == "Anna Portalowa"
    assert found["a11y-data-sporzadzenie"][0].get("datetime") == "2025-03-31"
    for portal_page in (built / "index.html", path):
        footer = links(tree(portal_page), "footer")
        assert resolve(portal_page, footer["Deklaracja dostępności"]) == path.resolve()


# -- ETR, PJM, machine-readable text ------------------------------------------------------------

def test_home_links_etr_pjm_and_text_with_the_standard_labels(built: Path) -> None:
    home = built / "gmina-testowa/index.html"
    found = links(tree(home))
    etr = resolve(home, found[LABELS["etr"]])
    assert text(next(tree(etr).iter("h1"))) == "Gmina w tekście łatwym do czytania"
    assert resolve(home, found[LABELS["pjm"]]) == (built / "gmina-testowa/informacje-pjm/index.html").resolve()
    assert resolve(home, found[LABELS["text"]]).read_text(encoding="utf-8").startswith("Gmina Testowa – informacje")
    school = links(tree(built / "szkola-testowa/index.html"))  # the external forms
    assert [school[LABELS[k]] for k in ("etr", "pjm", "text")] == [
        "https://testowo.example/etr/", "https://testowo.example/pjm/", "https://testowo.example/informacje.txt"]


def test_pjm_recording_plays_in_a_native_video_with_polish_captions(built: Path) -> None:
    path = built / "gmina-testowa/informacje-pjm/index.html"
    root = tree(path)
    videos = list(root.iter("video"))
    assert len(videos) == 1 and videos[0].get("controls") is not None
    assert resolve(path, videos[0].get("src", "")).read_bytes()[4:8] == b"ftyp"
    tracks = list(videos[0].iter("track"))
    assert [(t.get("kind"), t.get("srclang")) for t in tracks] == [("captions", "pl")]
    assert resolve(path, tracks[0].get("src", "")).read_text(encoding="utf-8") == VTT
    assert not list(root.iter("iframe")) and not list(root.iter("object"))  # no external player
    assert "Informacja o gminie w PJM" in text(next(root.iter("figcaption")))


# -- RODO and the site map ----------------------------------------------------------------------

def test_rodo_clause_names_the_controller_the_officer_and_the_rights(built: Path) -> None:
    root = tree(built / "gmina-testowa/klauzula-informacyjna-rodo/index.html")
    assert text(next(root.iter("h1"))) == "Klauzula informacyjna RODO"
    main = text(next(root.iter("main")))
    assert "Administratorem Pani/Pana danych osobowych jest Gmina Testowa, ul. Rynkowa 1, 66-000 Testowo" in main
    assert "Adam Wiśniewski" in main
    assert "mailto:iod@testowo.example" in links(root).values()
    for phrase in ("rozpatrywania petycji", "art. 6 ust. 1 lit. c RODO", "Prezesa Urzędu Ochrony Danych Osobowych",
                   "art. 15 RODO", "Okres przechowywania"):
        assert phrase in main, phrase


def test_site_map_lists_every_section_and_document_as_the_menu_groups_them(built: Path) -> None:
    path = built / "gmina-testowa/mapa-serwisu/index.html"
    root = tree(path)
    site_map = next(n for n in root.iter("nav") if n.get("aria-labelledby") == "mapa-menu")
    menu = next(n for n in tree(built / "gmina-testowa/index.html").iter("nav")
                if n.get("aria-label") == "Menu przedmiotowe")
    top = [text(li.find("a")) for li in site_map.find("ul").findall("li")]
    assert top == ["Strona główna", *[text(a) for a in menu.find(".//ul").iter("a")]]  # the subject menu's own list
    listed = {text(a): a.get("href", "") for a in site_map.iter("a")}
    for title in ("Uchwała w sprawie budżetu gminy na 2024 rok", "Zebranie wiejskie",
                  "Gmina w tekście łatwym do czytania"):
        assert resolve(path, listed[title]).is_file(), title
    assert "Stare ogłoszenie" not in listed  # archived: in the archive, which the map links
    uchwaly = next(li for li in site_map.find("ul").findall("li") if text(li.find("a")) == "Uchwały")
    assert [text(a) for a in uchwaly.find("ul").iter("a")] == ["Uchwała w sprawie budżetu gminy na 2024 rok"]


def test_rodo_and_site_map_are_linked_from_the_footer_of_every_page(built: Path) -> None:
    pages = site_files(built / "gmina-testowa", ".html")
    assert len(pages) > 10
    for path in pages:
        if path.name in ("404.html", "404-portal.html") or "rejestr-zmian" in path.parts and "strony" in path.parts:
            continue
        footer = links(tree(path), "footer")
        for label, url in (("Klauzula informacyjna RODO", "klauzula-informacyjna-rodo/"),
                           ("Mapa serwisu", "mapa-serwisu/"), ("Deklaracja dostępności", "deklaracja-dostepnosci/")):
            assert footer.get(label, "").endswith(url), (path, label)
            assert resolve(path, footer[label]).is_file(), (path, label)


# -- warnings -----------------------------------------------------------------------------------

def warnings(tmp_path: Path, changes: dict[str, str | bytes], now: str = NOW,
             unused: bool = True) -> dict[str, list[dict]]:
    """`bip check --format json` of the full project with `changes`: warnings by file and key."""
    root = tmp_path / "projekt"
    commit_files(root, {**files(), **changes})
    proc = run_bip(root, "check", "--now", now, "--format", "json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    found: dict[str, list[dict]] = {}
    for problem in json.loads(proc.stdout):
        assert problem["severity"] == "warning", problem
        if not unused and "nie zostanie opublikowany" in problem["message"]:
            continue  # a file unit.yaml no longer names is not published (tests/test_orphans.py)
        found.setdefault(f"{problem['file']}:{problem['key']}", []).append(problem)
    return found


def test_the_full_project_has_no_warning(tmp_path: Path) -> None:
    assert warnings(tmp_path, {}) == {}


@pytest.mark.parametrize(("old", "new", "key"), [
    ("  coordinator:\n    name: Jan Nowak\n    email: koordynator@testowo.example\n", "", "accessibility.coordinator"),
    ("  report: dostepnosc/raport-2025.pdf\n", "", "accessibility.report"),
    ("  report: dostepnosc/raport-2025.pdf\n", "  report: dostepnosc/raport-2024.pdf\n", "accessibility.report"),
    ("  architecture: Wejście do budynku jest dostępne dla osób na wózkach.\n", "", "accessibility.architecture"),
    ("  nonconformities:\n    - Skany uchwał z 2019 r. nie mają warstwy tekstowej.\n  exemptions:\n"
     "    - Mapy w planie zagospodarowania przestrzennego.\n", "", "accessibility.status"),
    ("  reviewed: 2026-03-30\n", "  reviewed: 2025-11-24\n", "accessibility.reviewed"),
    ("machine_readable: o-gminie/informacje.txt\n", "", "machine_readable"),
    ("machine_readable: o-gminie/informacje.txt\n", "machine_readable: o-gminie/brak.txt\n", "machine_readable"),
    ("  captions: o-gminie/pjm.vtt\n", "  captions: o-gminie/inne.vtt\n", "pjm.captions"),
    ("  video: o-gminie/pjm.mp4\n", "  video: o-gminie/pjm.avi\n", "pjm.video"),
    ("  captions: o-gminie/pjm.vtt\n", "", "pjm.captions"),
])
def test_a_unit_with_missing_or_stale_data_is_warned(tmp_path: Path, old: str, new: str, key: str) -> None:
    assert old in FULL_UNIT
    unit = FULL_UNIT.replace(old, new)
    found = warnings(tmp_path, {U + "unit.yaml": unit}, unused=False)
    assert list(found) == [f"{U}unit.yaml:{key}"], found
    if key == "accessibility.reviewed":
        assert "2025-11-24" in found[f"{U}unit.yaml:{key}"][0]["message"]


def test_a_review_exactly_a_year_old_is_not_yet_stale(tmp_path: Path) -> None:
    unit = FULL_UNIT.replace("  reviewed: 2026-03-30\n", "  reviewed: 2025-11-25\n")
    assert warnings(tmp_path, {U + "unit.yaml": unit}) == {}


def test_missing_pjm_rodo_and_etr_are_warned(tmp_path: Path) -> None:
    unit = FULL_UNIT.replace("pjm:\n  title: Informacja o gminie w PJM\n  video: o-gminie/pjm.mp4\n"
                             "  captions: o-gminie/pjm.vtt\n", "")
    unit = unit[:unit.index("rodo:")] + unit[unit.index("machine_readable:"):]
    found = warnings(tmp_path, {U + "unit.yaml": unit, U + "o-gminie/etr.md": page("Zwykła strona", "Tekst.")},
                     unused=False)
    assert sorted(found) == [f"{U}unit.yaml:etr", f"{U}unit.yaml:pjm", f"{U}unit.yaml:rodo"]


def test_a_region_without_a_portal_deklaracja_is_warned(tmp_path: Path) -> None:
    region = REGION[:REGION.index("accessibility:")]
    found = warnings(tmp_path, {"content/region.yaml": region})
    assert list(found) == ["content/region.yaml:accessibility"]


def test_a_stale_portal_deklaracja_is_warned(tmp_path: Path) -> None:
    found = warnings(tmp_path, {}, now="2027-04-01T12:00:00+02:00")
    stale = sorted(k for k in found if k.endswith("accessibility.reviewed"))
    assert stale == ["content/gmina-testowa/unit.yaml:accessibility.reviewed",
                     "content/region.yaml:accessibility.reviewed", "content/szkola-testowa/unit.yaml:accessibility.reviewed"]


def test_a_partial_status_needs_no_list_when_the_audit_lists_attachments(tmp_path: Path) -> None:
    """"częściowo zgodna" without nonconformities or exemptions is warned of, unless the attachments' audit
    found an inaccessible file: the deklaracja lists it by itself, so it does name what is inaccessible."""
    unlisted = FULL_UNIT.replace("  nonconformities:\n    - Skany uchwał z 2019 r. nie mają warstwy tekstowej.\n"
                                 "  exemptions:\n    - Mapy w planie zagospodarowania przestrzennego.\n", "")
    assert unlisted != FULL_UNIT and "status: częściowo zgodna" in unlisted
    found = warnings(tmp_path / "a", {U + "unit.yaml": unlisted}, unused=False)
    assert list(found) == [f"{U}unit.yaml:accessibility.status"], found
    scan = {U + "unit.yaml": unlisted,
            U + "ogloszenia/skan.md": page("Ogłoszenie ze skanem", "Treść w załączniku.",
                                           **{"attachments": "\n  - file: skan.pdf\n    title: Ogłoszenie – skan"}),
            U + "ogloszenia/skan.pdf": scanned_pdf("Ogłoszenie")}
    found = warnings(tmp_path / "b", scan, unused=False)
    assert f"{U}unit.yaml:accessibility.status" not in found, found
    assert f"{U}ogloszenia/skan.md:attachments.0.file" in found, found  # the scan is still warned of
