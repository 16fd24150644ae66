"""The legal minimum of issue 28, items 1–3 and 8–10, on built output and with bad input: metryczka on every
information page, withheld information (art. 8 ust. 5), website and adres do doręczeń elektronicznych,
the archived-section notice, hourly CI builds, the commit-message check and the region schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

import html5lib
import pytest
import yaml
from conftest import NOW, REPO, UNIT, basic_files, commit_files, git, run_bip
from test_validation import U, fm

from bip.doctypes import schema
from bip.history.messages import empty_words, says_nothing

ADE = "AE:PL-12345-67890-ABCDE-12"
UNIT_PLUS = UNIT.replace("email: gmina@testowo.example\n", "email: gmina@testowo.example\n"
                         f"website: https://testowo.example\nade: \"{ADE}\"\nepuap: /ugtestowo/SkrytkaESP\n")
WITHHELD = ("withheld:", '  - scope: "adres zamieszkania składającego oświadczenie"',
            '    basis: "art. 24i ust. 1 ustawy o samorządzie gminnym"',
            '    decided_by: "Anna Lis – Sekretarz Gminy"', "    date: 2024-05-02")


def legal_files() -> dict[str, str | bytes]:
    files = basic_files()
    files.update({
        U + "unit.yaml": UNIT_PLUS,
        U + "oswiadczenia/wojt-2023.md": fm("title: Oświadczenie majątkowe wójta", "type: oswiadczenie",
                                            "person: Jan Kowalski", "year: 2023", "created: 2024-04-30", *WITHHELD),
        U + "ogloszenia/index.md": fm("title: Ogłoszenia"),
        U + "ogloszenia/biezace.md": fm("title: Ogłoszenie bieżące", "type: ogloszenie", "created: 2024-05-01"),
        U + "ogloszenia/dawne.md": fm("title: Ogłoszenie dawne", "type: ogloszenie", "created: 2024-01-10",
                                      "valid_until: 2024-02-01"),
        U + "nabory/referent.md": fm("title: Nabór na referenta", "type: nabor", "position: referent",
                                     "valid_until: 2025-01-31"),
        U + "o-gminie.md": fm("title: O gminie"),
        U + "informacje-nieudostepnione.md": fm("title: Informacje nieudostępnione", "author: Anna Lis – Sekretarz Gminy",
                                                "created: 2024-03-12", body="Wnioski przyjmujemy w sekretariacie."),
        U + "instrukcja.md": fm("title: Instrukcja korzystania z BIP", "author: Ewa Nowak", "created: 2024-03-13"),
    })
    return files


def parse(path: Path):
    return html5lib.parse(path.read_bytes(), treebuilder="etree", namespaceHTMLElements=False)


def text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def by_id(tree, wanted: str):
    return next((e for e in tree.iter() if e.get("id") == wanted), None)


def pairs(dl) -> dict[str, str]:
    """A <dl>'s terms and their descriptions as text."""
    out: dict[str, str] = {}
    term = ""
    for child in dl:
        if child.tag == "dt":
            term = text(child)
        elif child.tag == "dd":
            out[term] = text(child)
    return out


def metryczka(path: Path) -> dict[str, str]:
    heading = by_id(parse(path), "metryczka-h")
    assert heading is not None, f"{path}: no metryczka"
    section = next(s for s in parse(path).iter("section") if s.get("aria-labelledby") == "metryczka-h")
    return pairs(section.find("dl"))


def problems_of(root: Path) -> list[dict[str, object]]:
    proc = run_bip(root, "check", "--format", "json", "--now", NOW)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def legal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("legal") / "projekt"
    root.mkdir()
    commit_files(root, legal_files())
    proc = run_bip(root, "build", "--now", NOW)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root


def site(root: Path) -> Path:
    return root / "public" / "gmina-testowa"


# -- 1. metryczka ---------------------------------------------------------------------------------------------

def test_legal_pages_an_editor_writes_have_a_complete_metryczka(legal: Path) -> None:
    own = metryczka(site(legal) / "informacje-nieudostepnione/index.html")
    assert own["Informację wytworzył"] == "Anna Lis – Sekretarz Gminy"
    assert own["Data wytworzenia"] == "12 marca 2024 r."
    assert own["Informację wprowadził"] == "Ewa Nowak, inspektor"
    assert own["Data udostępnienia"] == "20 maja 2024 r."
    assert metryczka(site(legal) / "instrukcja/index.html")["Data wytworzenia"] == "13 marca 2024 r."


def test_created_falls_back_to_the_acts_own_date_or_the_first_publication(legal: Path) -> None:
    assert metryczka(site(legal) / "uchwaly/uchwala-xii-123-2024/index.html")["Data wytworzenia"] == "1 marca 2024 r."
    assert metryczka(site(legal) / "o-gminie/index.html")["Data wytworzenia"] == "20 maja 2024 r."
    # a document with no date of its own and no `created`: said so, never a silent dash
    assert metryczka(site(legal) / "nabory/referent/index.html")["Data wytworzenia"] == "nie podano"


def test_a_document_type_that_needs_created_warns_without_it(legal: Path) -> None:
    found = [p for p in problems_of(legal) if p["key"] == "created"]
    assert [(p["file"], p["line"], p["severity"]) for p in found] == [(U + "nabory/referent.md", 3, "warning")]
    assert "Nabór na stanowisko" in str(found[0]["message"])
    assert "podpisania lub sporządzenia" in str(found[0]["hint"])


# -- 2. withheld information ---------------------------------------------------------------------------------

def test_withheld_information_is_a_labelled_box_on_the_page(legal: Path) -> None:
    tree = parse(site(legal) / "oswiadczenia/wojt-2023/index.html")
    heading = by_id(tree, "wylaczenie-jawnosci")
    assert heading is not None and text(heading) == "Wyłączenie jawności"
    box = next(s for s in tree.iter("section") if s.get("aria-labelledby") == "wylaczenie-jawnosci")
    assert pairs(box.find("dl")) == {
        "Zakres wyłączenia": "adres zamieszkania składającego oświadczenie",
        "Podstawa prawna": "art. 24i ust. 1 ustawy o samorządzie gminnym",
        "Wyłączenia dokonał": "Anna Lis – Sekretarz Gminy",
        "Data wyłączenia": "2 maja 2024 r.",
    }
    assert by_id(parse(site(legal) / "ogloszenia/biezace/index.html"), "wylaczenie-jawnosci") is None


def test_withheld_information_is_listed_on_informacje_nieudostepnione(legal: Path) -> None:
    tree = parse(site(legal) / "informacje-nieudostepnione/index.html")
    assert text(by_id(tree, "wylaczenia")) == "Wyłączenia jawności w biuletynie"
    rows = [row for row in tree.iter("tr") if row.find("th") is not None and row.find("th").get("scope") == "row"]
    assert len(rows) == 1
    link = rows[0].find("th").find("a")
    assert link.get("href") == "../oswiadczenia/wojt-2023/" and text(link) == "Oświadczenie majątkowe wójta"
    assert [text(td) for td in rows[0].findall("td")] == [
        "adres zamieszkania składającego oświadczenie", "art. 24i ust. 1 ustawy o samorządzie gminnym",
        "Anna Lis – Sekretarz Gminy", "2 maja 2024 r."]


def test_the_generated_page_says_when_nothing_is_withheld(tmp_path: Path) -> None:
    commit_files(tmp_path, basic_files())
    assert run_bip(tmp_path, "build", "--now", NOW).returncode == 0
    tree = parse(site(tmp_path) / "informacje-nieudostepnione/index.html")
    assert by_id(tree, "wylaczenia") is not None
    assert "nie wyłączono jawności" in text(tree.find(".//main"))


@pytest.mark.parametrize(("lines", "key", "line", "words"), [
    (WITHHELD[:2] + WITHHELD[3:], "withheld.0.basis", 5, "podstawę prawną"),
    (WITHHELD[:4] + ("    date: 2024-02-30",), "withheld.0.date", 8, "Nieprawidłowa data"),
    (("withheld: adres zamieszkania",), "withheld", 4, "listą"),
])
def test_withheld_mistakes_are_located_errors(tmp_path: Path, lines: tuple[str, ...], key: str, line: int,
                                              words: str) -> None:
    files = basic_files()
    files[U + "oswiadczenie.md"] = fm("title: Oświadczenie", "created: 2024-04-30", *lines)
    commit_files(tmp_path, files)
    found = [p for p in problems_of(tmp_path) if p["severity"] == "error"]
    assert [(p["file"], p["line"], p["key"]) for p in found] == [(U + "oswiadczenie.md", line, key)]
    assert words in str(found[0]["message"]) + str(found[0]["hint"])


# -- 3. website, ade, epuap ----------------------------------------------------------------------------------

@pytest.mark.parametrize("page", ["index.html", "redakcja/index.html"])
def test_home_and_redakcja_show_website_ade_and_epuap(legal: Path, page: str) -> None:
    tree = parse(site(legal) / page)
    main = tree.find(".//main")
    contact = pairs(next(dl for dl in main.iter("dl") if dl.get("class") == "contact"))
    assert contact["Strona internetowa"] == "https://testowo.example"
    assert contact["Adres do doręczeń elektronicznych"] == ADE
    assert contact["Elektroniczna skrzynka podawcza ePUAP"] == "/ugtestowo/SkrytkaESP"
    links = [a.get("href") for a in main.iter("a")]
    assert "https://testowo.example" in links


@pytest.mark.parametrize(("line", "key"), [
    ('ade: "AE:PL-1234-67890-ABCDE-12"', "ade"),
    ('ade: "ae:pl-12345-67890-abcde-12"', "ade"),
    ("website: testowo.example", "website"),
])
def test_a_malformed_ade_or_website_is_a_located_error(tmp_path: Path, line: str, key: str) -> None:
    files = basic_files()
    files[U + "unit.yaml"] = UNIT.replace("kind: gmina\n", f"kind: gmina\n{line}\n")
    commit_files(tmp_path, files)
    found = [p for p in problems_of(tmp_path) if p["severity"] == "error"]
    assert [(p["file"], p["line"], p["key"]) for p in found] == [(U + "unit.yaml", 3, key)]
    if key == "ade":
        assert "AE:PL-12345-67890-ABCDE-12" in str(found[0]["hint"])


# -- 8. archived sections, hourly CI -------------------------------------------------------------------------

def test_a_section_whose_documents_are_all_archived_says_so_and_links_the_archive(legal: Path) -> None:
    tree = parse(site(legal) / "nabory/index.html")
    notice = by_id(tree, "dzial-archiwalny")
    assert notice is not None and "Wszystkie informacje w tym dziale są archiwalne" in text(notice)
    assert notice.find("a").get("href") == "../archiwum/"
    archive = (site(legal) / "archiwum/index.html").read_text(encoding="utf-8")
    assert "../nabory/referent/" in archive


def test_a_section_with_some_archived_documents_links_the_archive(legal: Path) -> None:
    tree = parse(site(legal) / "ogloszenia/index.html")
    assert by_id(tree, "dzial-archiwalny") is None
    note = next(p for p in tree.iter("p") if p.get("class") == "archive-link")
    assert note.find("a").get("href") == "../archiwum/"
    assert "Ogłoszenie bieżące" in text(tree.find(".//main"))


def test_ci_examples_build_hourly() -> None:
    github = yaml.safe_load((REPO / "docs/ci/github-actions.yml").read_text(encoding="utf-8"))
    triggers = github[True] if True in github else github["on"]  # YAML 1.1 reads a bare `on` as true
    assert [s["cron"] for s in triggers["schedule"]] == ["7 * * * *"]
    assert "push" in triggers
    gitlab = yaml.safe_load((REPO / "docs/ci/gitlab-ci.yml").read_text(encoding="utf-8"))
    assert {"if": '$CI_PIPELINE_SOURCE == "schedule"'} in gitlab["workflow"]["rules"]
    readme = (REPO / "docs/ci/README.md").read_text(encoding="utf-8")
    assert "## Budowa co godzinę" in readme and "publish_at" in readme and "valid_until" in readme


# -- 9. commit messages --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("message", "empty"), [
    ("", True), ("update", True), ("Poprawki", True), ("wip", True), ("zmiany", True), ("fix", True), ("…", True),
    ("aktualizacja strony", True), ("Dodano uchwałę Nr XII/123/2024", False), ("Poprawiono numer", False),
])
def test_messages_that_say_nothing(message: str, empty: bool) -> None:
    assert says_nothing(message) is empty


def test_the_list_of_empty_words_is_data() -> None:
    assert {"update", "poprawki", "wip", "zmiany", "fix"} <= empty_words()


def commits_with(root: Path) -> None:
    commit_files(root, basic_files(), message="wip", date="2024-05-20T10:00:00+02:00")  # old: public long ago
    commit_files(root, {U + "b.md": fm("title: B"), U + "a.md": fm("title: A")}, message="poprawki",
                 date="2026-11-20T10:00:00+01:00")
    commit_files(root, {U + "c.md": fm("title: C")}, message="Dodano stronę o sołectwach gminy",
                 date="2026-11-21T10:00:00+01:00")
    (root / U / "a.md").write_text(fm("title: A", body="Nowa treść."), encoding="utf-8")
    git(root, "commit", "-q", "-am", "", "--allow-empty-message", date="2026-11-22T10:00:00+01:00")


def test_a_content_commit_that_says_nothing_warns_once_naming_the_commit(tmp_path: Path) -> None:
    commits_with(tmp_path)
    shas = git(tmp_path, "log", "--format=%h %s", "--abbrev=7").splitlines()
    found = [p for p in problems_of(tmp_path) if "Opis zmiany" in str(p["message"])]
    by_commit = {sha: subject for sha, _, subject in (line.partition(" ") for line in shas)}
    warned = sorted((re.search(r"commicie (\w+)", str(p["message"])).group(1), p["file"]) for p in found)
    # one warning per commit, at its first path; the old "wip" is not repeated forever, the good one never
    assert sorted(by_commit[sha] for sha, _ in warned) == ["", "poprawki"]
    assert dict((by_commit[sha], file) for sha, file in warned) == {"poprawki": U + "a.md", "": U + "a.md"}
    for problem in found:
        assert problem["severity"] == "warning" and problem["line"] == 1
        assert "Ewa Nowak, inspektor" in str(problem["message"])
        assert "rejestr-zmian.md" in str(problem["hint"])
    assert any("pusty" in str(p["message"]) for p in found)
    assert any("„poprawki”" in str(p["message"]) for p in found)


def test_the_commit_message_warning_is_the_same_in_a_build(tmp_path: Path) -> None:
    commits_with(tmp_path)
    proc = run_bip(tmp_path, "build", "--now", NOW)
    assert proc.returncode == 0, proc.stderr
    first = [line for line in proc.stdout.splitlines() + proc.stderr.splitlines() if "Opis zmiany" in line]
    assert len(first) == 2
    again = run_bip(tmp_path, "build", "--now", NOW)  # nothing changed: the unit is not rendered, its warnings stay
    assert [line for line in again.stdout.splitlines() + again.stderr.splitlines() if "Opis zmiany" in line] == first


# -- 10. region schema ---------------------------------------------------------------------------------------

def test_bip_schema_writes_the_region_schema(tmp_path: Path) -> None:
    proc = run_bip(tmp_path, "schema", "--out", str(tmp_path / "s"))
    assert proc.returncode == 0, proc.stderr
    written = json.loads((tmp_path / "s" / "region.schema.json").read_text(encoding="utf-8"))
    assert written == schema.region_schema() == schema.shipped("region")
    assert written["$id"].endswith("/region.schema.json") and "name" in written["properties"]
    unit = json.loads((tmp_path / "s" / "unit.schema.json").read_text(encoding="utf-8"))
    assert {"website", "ade", "epuap"} <= set(unit["properties"])
    page = json.loads((tmp_path / "s" / "page.schema.json").read_text(encoding="utf-8"))
    assert page["properties"]["withheld"]["items"]["required"] == ["scope", "basis", "decided_by", "date"]


def test_region_yaml_is_checked_against_the_shipped_schema(tmp_path: Path) -> None:
    files = basic_files()
    line = str(files["content/region.yaml"]).count("\n") + 1  # the key added at the end
    files["content/region.yaml"] = str(files["content/region.yaml"]) + "theme_colour: zielony\n"
    commit_files(tmp_path, files)
    found = [p for p in problems_of(tmp_path) if p["file"] == "content/region.yaml"]
    assert [(p["line"], p["key"], p["severity"]) for p in found] == [(line, "theme_colour", "warning")]


def test_docs_describe_every_new_key() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    editors = "\n".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "docs/redaktorzy").glob("*.md")))
    for key in ("withheld", "decided_by", "website", "ade", "region.schema.json"):
        assert key in readme, key
        assert key in editors, key
    assert "git commit --amend" in editors


# -- sample content ------------------------------------------------------------------------------------------

def test_sample_content_shows_every_new_element() -> None:
    content = REPO / "content"
    units = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(content.glob("*/unit.yaml"))]
    assert any(u.get("ade") and u.get("website") and u.get("epuap") for u in units)
    pages = "\n".join(p.read_text(encoding="utf-8") for p in sorted(content.rglob("*.md")))
    assert "\nwithheld:\n" in pages and "valid_until:" in pages


def test_a_commit_message_warning_does_not_fail_strict_builds(tmp_path: Path) -> None:
    """No edit of the content can fix a message already in history: --strict shows it and still publishes."""
    commits_with(tmp_path)
    proc = run_bip(tmp_path, "build", "--now", NOW, "--strict")
    output = proc.stdout + proc.stderr
    assert "Opis zmiany" in output
    assert [line for line in output.splitlines() if "ostrzeżenie" in line and "Opis zmiany" not in line] == []
    assert proc.returncode == 0, output
    assert (tmp_path / "public" / "gmina-testowa" / "index.html").is_file()
