"""The load step on real files: the slug rule, decoding, front matter lines and the safe YAML loader."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest
from conftest import basic_files, page, write_files
from pdfs import accessible_pdf

import bip.load.paths
from bip.load import load_region
from bip.load.paths import file_url, is_valid_unit_id, page_url, slug
from bip.load.text import MAX_TEXT_BYTES, TextError, decode, read_text, split_front_matter
from bip.load.yamlfile import MAX_BRACKETS, MAX_DEPTH, MAX_NODES, YamlDoc, YamlError, parse_yaml
from bip.problems import Problems

# --- the slug rule ------------------------------------------------------------------------------


def test_documented_slug_examples_hold() -> None:
    """The examples in bip/load/paths.py's docstring are doctests: the documentation cannot drift."""
    result = doctest.testmod(bip.load.paths, raise_on_error=False)
    assert result.attempted >= 4
    assert result.failed == 0


@pytest.mark.parametrize(("segment", "expected"), [
    ("Zażółć gęślą jaźń", "zazolc-gesla-jazn"),
    ("ĄĆĘŁŃÓŚŹŻ ąćęłńóśźż", "acelnoszz-acelnoszz"),
    ("Łódź", "lodz"),
    ("Uchwała Nr XII/123/2024", "uchwala-nr-xii-123-2024"),
    ("  Rada   Gminy  ", "rada-gminy"),
    ("Ogłoszenie – przetarg (II)", "ogloszenie-przetarg-ii"),
    ("sesja_rady.2024", "sesja-rady-2024"),
    ("już-jest-slug", "juz-jest-slug"),
    ("2024", "2024"),
])
def test_slug_transliterates_polish_and_joins_with_hyphens(segment: str, expected: str) -> None:
    assert slug(segment) == expected


@pytest.mark.parametrize(("relative", "expected"), [
    ("index.md", ""),
    ("Index.md", ""),
    ("O nas.md", "o-nas/"),
    ("Uchwały/index.md", "uchwaly/"),
    ("Uchwały/Uchwała Nr 12.md", "uchwaly/uchwala-nr-12/"),
    ("Rada Gminy/Sesje 2024/Protokół z I sesji.md", "rada-gminy/sesje-2024/protokol-z-i-sesji/"),
    ("ogloszenia/reindex.md", "ogloszenia/reindex/"),
])
def test_page_url(relative: str, expected: str) -> None:
    assert page_url(relative) == expected


@pytest.mark.parametrize(("relative", "expected"), [
    ("Zamówienia/SWZ część 1.PDF", "zamowienia/swz-czesc-1.pdf"),
    ("plan.pdf", "plan.pdf"),
    ("Załączniki/mapa.tar.gz", "zalaczniki/mapa-tar.gz"),
    ("README", "readme"),
])
def test_file_url_keeps_lower_case_extension(relative: str, expected: str) -> None:
    assert file_url(relative) == expected


def test_same_slug_is_stable_and_idempotent() -> None:
    for text in ("Uchwała Nr 12", "Zażółć gęślą jaźń", "Protokół z sesji"):
        assert slug(slug(text)) == slug(text)


@pytest.mark.parametrize(("name", "valid"), [
    ("gmina-swidnica", True), ("powiat-zielonogorski", True), ("gops-2", True),
    ("Gmina_X", False), ("gmina świdnica", False), ("-gmina", False), ("", False), ("gmina.x", False),
])
def test_unit_id_rule(name: str, valid: bool) -> None:
    assert is_valid_unit_id(name) is valid


# --- decoding and front matter ------------------------------------------------------------------

LF = "---\ntitle: Zażółć\n---\nAkapit pierwszy.\n\nAkapit drugi.\n"


@pytest.mark.parametrize("raw", [
    LF.encode(),
    b"\xef\xbb\xbf" + LF.encode(),
    LF.replace("\n", "\r\n").encode(),
    b"\xef\xbb\xbf" + LF.replace("\n", "\r\n").encode(),
    LF.replace("\n", "\r").encode(),
])
def test_bom_and_line_endings_decode_to_the_same_text(raw: bytes) -> None:
    assert decode(raw) == LF


def test_cp1250_reports_line_of_first_bad_byte() -> None:
    raw = "---\ntitle: Ogloszenie\n---\nlinia 4\nlinia 5 z ąę\n".encode("cp1250")
    result = decode(raw)
    assert isinstance(result, TextError)
    assert result.line == 5
    assert "UTF-8" in result.message and "UTF-8" in result.hint


def test_binary_reports_line_of_first_nul_byte() -> None:
    result = decode(b"line1\nline2\n\x00rest")
    assert isinstance(result, TextError) and result.line == 3 and "binarny" in result.message


def test_read_text_refuses_huge_file_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "duzy.md"
    with path.open("wb") as handle:
        handle.truncate(MAX_TEXT_BYTES + 1)  # sparse: cheap to create
    result = read_text(path)
    assert isinstance(result, TextError) and result.line == 1
    assert "4097 KiB" in result.message


def test_read_text_at_the_limit_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "graniczny.md"
    path.write_bytes(b"---\ntitle: A\n---\n" + b"a" * (MAX_TEXT_BYTES - 17))
    assert path.stat().st_size == MAX_TEXT_BYTES
    assert isinstance(read_text(path), str)


def test_front_matter_lines() -> None:
    parts = split_front_matter("---\ntitle: A\ntype: strona\n---\nTreść\n")
    assert not isinstance(parts, TextError)
    assert parts.yaml_line == 2 and parts.body_line == 5
    assert parts.yaml_text == "title: A\ntype: strona\n" and parts.body == "Treść\n"


@pytest.mark.parametrize("text", ["", "title: A\n---\n", "Treść bez metadanych\n", "---\ntitle: A\n"])
def test_front_matter_missing_or_unclosed(text: str) -> None:
    result = split_front_matter(text)
    assert isinstance(result, TextError) and result.line == 1 and result.hint


# --- safe YAML ------------------------------------------------------------------------------------


def test_yaml_keeps_dates_as_text_and_records_lines() -> None:
    doc = parse_yaml("title: A\ncreated: 2024-05-20\nattachments:\n  - file: a.pdf\n    title: A\n")
    assert isinstance(doc, YamlDoc)
    assert doc.data["created"] == "2024-05-20"
    assert doc.lines[("created",)] == 2
    assert doc.lines[("attachments", 0, "file")] == 4
    assert doc.lines[("attachments", 0, "title")] == 5


def test_yaml_plain_keys_are_text() -> None:
    doc = parse_yaml("1: a\nnull: b\ntrue: c\n2024-05-20: d\n")
    assert isinstance(doc, YamlDoc)
    assert doc.data == {"1": "a", "null": "b", "true": "c", "2024-05-20": "d"}


def billion_laughs(levels: int) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_brackets_nested_deep_enough_to_crash_libyaml_are_refused_before_parsing() -> None:
    # 50,000 nested brackets overflow libyaml's C stack (the process dies with SIGSEGV): never parsed
    doc = parse_yaml("title: x\nk: " + "[" * 50_000 + "]" * 50_000 + "\n")
    assert isinstance(doc, YamlError) and f"ponad {MAX_BRACKETS}" in doc.message
    # many brackets side by side are fine up to the limit
    assert isinstance(parse_yaml("".join(f"k{i}: [a, b]\n" for i in range(2000))), YamlDoc)


@pytest.mark.parametrize("flow", [True, False])
def test_data_nested_deeper_than_the_limit_is_a_located_error(flow: bool) -> None:
    depth = MAX_DEPTH + 1
    if flow:
        text = "title: x\nk: " + "[" * depth + "1" + "]" * depth + "\n"
    else:  # block style, indented (no brackets at all): 3,000 levels, bounded only by the file size
        text = "title: x\nk:\n" + "".join("  " * i + "- \n" for i in range(1, 3000))
    doc = parse_yaml(text)
    assert isinstance(doc, YamlError) and "zbyt zagnieżdżony" in doc.message and doc.line == 2
    ok = parse_yaml("title: x\nk: " + "[" * (MAX_DEPTH - 1) + "1" + "]" * (MAX_DEPTH - 1) + "\n")
    assert isinstance(ok, YamlDoc)


def test_alias_bomb_is_refused_at_the_key_that_explodes() -> None:
    doc = parse_yaml(billion_laughs(9))
    assert isinstance(doc, YamlError)
    assert "zbyt złożony" in doc.message
    # a0..a3 expand to about 12 000 nodes in all; a4 (line 5) would add 111 111
    assert 12_344 < MAX_NODES < 12_344 + 111_111
    assert doc.line == 5


def test_self_referencing_alias_is_refused() -> None:
    doc = parse_yaml("title: A\nlista: &x\n  - *x\n")
    assert isinstance(doc, YamlError) and doc.line == 2 and "samego siebie" in doc.message


def test_small_aliases_are_fine() -> None:
    doc = parse_yaml("title: &t Tytuł\nauthor: *t\n")
    assert isinstance(doc, YamlDoc) and doc.data == {"title": "Tytuł", "author": "Tytuł"}


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system [\"touch PWNED\"]", "!!python/name:os.system", "!!python/object/new:dict []",
    "!custom 5",
])
def test_python_and_unknown_tags_are_refused(tmp_path: Path, tag: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    doc = parse_yaml(f"title: A\nx: {tag}\n")
    assert isinstance(doc, YamlError)
    assert doc.line == 2 and "znacznik" in doc.message
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize(("text", "line", "fragment"), [
    ("title: A\nauthor: Wójt: Jan\n", 2, "dwukropek"),
    ("title: A\nlista: [a, b\nx: 1\n", 2, "niezamknięty nawias „[”"),
    ('title: A\nauthor: "Jan\nx: 1\n', 2, "niezamknięty cudzysłów"),
    ("title: A\n\tx: 1\n", 2, "tabulator"),
    ("title: A\nsamo słowo\nx: 1\n", 2, "brak dwukropka"),
    ("title: *brak\n", 1, "alias"),
])
def test_syntax_errors_are_polish_and_located(text: str, line: int, fragment: str) -> None:
    doc = parse_yaml(text)
    assert isinstance(doc, YamlError)
    assert (doc.line, fragment in doc.message) == (line, True), doc
    assert doc.message.startswith("Błąd składni YAML")


def test_duplicate_keys_are_recorded() -> None:
    doc = parse_yaml("title: A\ntitle: B\n")
    assert isinstance(doc, YamlDoc) and doc.duplicates == [(("title",), 2)]


# --- loading a real folder ----------------------------------------------------------------------


def test_load_region_reads_units_pages_and_attachments(tmp_path: Path) -> None:
    files = basic_files()
    files["content/gmina-testowa/ogloszenia/reindex.md"] = page("Ogłoszenie o reindeksacji")
    files["content/gmina-testowa/ogloszenia/Index.md"] = page("Ogłoszenia")
    files["content/gmina-testowa/ogloszenia/Plan Miasta.PDF"] = accessible_pdf("Plan miasta")
    files["content/gmina-testowa/templates/page.html"] = "{% extends 'base.html' %}"  # overrides are not content
    files["content/gmina-testowa/.ukryty.md"] = page("Ukryty")
    write_files(tmp_path, files)
    problems = Problems()
    region = load_region(tmp_path, problems)
    assert region is not None and problems.sorted() == []
    unit = region.units["gmina-testowa"]
    pages = {p.url: p for p in unit.pages}
    assert sorted(pages) == ["", "ogloszenia/", "ogloszenia/reindex/", "uchwaly/", "uchwaly/uchwala-xii-123-2024/"]
    assert pages["ogloszenia/"].is_section_index
    assert not pages["ogloszenia/reindex/"].is_section_index
    assert pages["uchwaly/uchwala-xii-123-2024/"].lines["number"] == 4
    assert [s.url for s in unit.static_files] == ["ogloszenia/plan-miasta.pdf"]


def _walked(folder: Path) -> list[tuple[str, str]]:
    """What os.walk (top-down, symlinked folders not entered) lists, as _walk_unit filtered it before."""
    found = []
    for dirpath, dirnames, filenames in __import__("os").walk(folder, followlinks=False):
        relative_dir = Path(dirpath).relative_to(folder).as_posix()
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                             and not (relative_dir == "." and d in bip.load.SKIPPED_DIRS))
        found += [(relative_dir, name) for name in sorted(filenames)]
    return found


def test_unit_files_are_listed_as_os_walk_lists_them(tmp_path: Path) -> None:
    import os

    unit = tmp_path / "u"
    for relative in ["b.md", "a.pdf", "Z.md", "sub/x.md", "sub/deeper/y.pdf", "sub/templates/kept.pdf", "sub2/z.md",
                     "templates/skipped.html", ".hidden/skipped.md", ".dotfile", "sub/.inner/skipped.md"]:
        (unit / relative).parent.mkdir(parents=True, exist_ok=True)
        (unit / relative).write_text("x")
    os.symlink(unit / "sub", unit / "linked-folder")  # not entered
    os.symlink(unit / "a.pdf", unit / "linked-file.pdf")  # a file
    os.symlink(tmp_path / "nowhere", unit / "broken.pdf")  # a file too
    (unit / "locked").mkdir()
    (unit / "locked" / "unseen.md").write_text("x")
    (unit / "locked").chmod(0)
    try:
        listed = [(relative_dir, entry.name) for relative_dir, entry in bip.load._unit_files(unit)]
        expected = _walked(unit)
    finally:
        (unit / "locked").chmod(0o755)
    assert listed == expected
    assert ("sub/deeper", "y.pdf") in listed and (".", "linked-file.pdf") in listed
    assert not any(name in {"skipped.html", "skipped.md"} or relative_dir.startswith("linked")
                   for relative_dir, name in listed)


def test_attachment_problem_with_resolved_folders_says_what_it_says_without(tmp_path: Path) -> None:
    import os

    content = tmp_path / "content"
    unit = content / "u"
    (unit / "strona" / "zalaczniki").mkdir(parents=True)
    (content / "inny").mkdir()
    (tmp_path / "poza").mkdir()
    for path in (unit / "strona" / "a.pdf", unit / "strona" / "zalaczniki" / "b.pdf", content / "inny" / "c.pdf",
                 tmp_path / "poza" / "d.pdf", unit / "e.pdf"):
        path.write_bytes(b"%PDF")
    os.symlink(tmp_path / "poza", unit / "strona" / "na-zewnatrz")  # a folder outside content/
    os.symlink(content / "inny", unit / "strona" / "do-innego")  # a folder of another unit
    os.symlink(unit / "strona" / "zalaczniki", unit / "strona" / "w-srodku")  # a folder of the same unit
    os.symlink(tmp_path / "poza" / "d.pdf", unit / "strona" / "plik-poza.pdf")
    os.symlink(unit / "e.pdf", unit / "strona" / "plik-w-srodku.pdf")
    os.symlink(tmp_path / "brak.pdf", unit / "strona" / "zerwany.pdf")
    references = ["a.pdf", "./a.pdf", "zalaczniki/b.pdf", "zalaczniki//b.pdf", "zalaczniki/", "zalaczniki/.",
                  "zalaczniki", "na-zewnatrz/d.pdf", "na-zewnatrz/", "do-innego/c.pdf", "w-srodku/b.pdf",
                  "w-srodku/", "plik-poza.pdf", "plik-w-srodku.pdf", "zerwany.pdf", "brak.pdf", "a.pdf/x",
                  "../e.pdf", "/etc/passwd", "C:/x.pdf", "a\0.pdf", "zalaczniki\\b.pdf"]
    real_unit, real_content = os.path.realpath(unit), os.path.realpath(content)
    page_dir = str(unit / "strona")
    folders: dict[str, str] = {}
    for _ in range(2):  # the second time from the folders resolved the first
        for reference in references:
            expected = bip.load.paths.attachment_problem(page_dir, reference, real_unit, real_content)
            assert bip.load.paths.attachment_problem(page_dir, reference, real_unit, real_content,
                                                     folders) == expected, reference
    said = {r: bip.load.paths.attachment_problem(page_dir, r, real_unit, real_content, folders) for r in references}
    assert said["a.pdf"] is None and said["w-srodku/b.pdf"] is None and said["plik-w-srodku.pdf"] is None
    assert "poza folder content" in said["na-zewnatrz/d.pdf"] and "poza folder content" in said["plik-poza.pdf"]
    assert "poza folder podmiotu" in said["do-innego/c.pdf"]
    assert "zwykłym plikiem" in said["zalaczniki/"] and said["brak.pdf"] == "Brak pliku załącznika."
    assert "poza folder content" in said["zerwany.pdf"]  # a broken link, to where it would lead


def test_a_units_regular_files_are_read_ahead_before_its_pages_are_read(tmp_path: Path, monkeypatch) -> None:
    import os

    from bip.model import UNIT_DATA

    files = basic_files()
    files["content/gmina-testowa/uchwaly/budzet.pdf"] = accessible_pdf("Budżet")
    files["content/gmina-testowa/.ukryty.md"] = page("Ukryty", "x")
    files.update({k: v for k, v in basic_files("gmina-druga").items() if k.endswith("unit.yaml")})
    write_files(tmp_path, files)
    unit_dir = tmp_path / "content" / "gmina-testowa"
    os.symlink(unit_dir / "uchwaly" / "budzet.pdf", unit_dir / "uchwaly" / "dowiazanie.pdf")
    os.mkfifo(unit_dir / "uchwaly" / "potok.pdf")
    events: list[tuple[str, object]] = []
    real_read_text = bip.load.read_text
    monkeypatch.setattr(bip.load, "read_ahead", lambda paths: events.append(("ahead", list(paths))))
    monkeypatch.setattr(bip.load, "read_text", lambda path: (events.append(("read", str(path))), real_read_text(path))[1])
    load_region(tmp_path, Problems())
    batches = [paths for kind, paths in events if kind == "ahead"]
    assert len(batches) == 3  # the units' data files, then each unit's files
    assert batches[0] == [str(tmp_path / "content" / unit / name) for unit in ("gmina-druga", "gmina-testowa")
                          for name in UNIT_DATA]
    assert sorted(Path(p).relative_to(unit_dir).as_posix() for p in batches[2]) == [
        "index.md", "uchwaly/budzet.pdf", "uchwaly/index.md", "uchwaly/uchwala-xii-123-2024.md"]
    reads = [(i, str(p)) for i, (kind, p) in enumerate(events) if kind == "read"]
    first_ahead, pages_ahead = (events.index(("ahead", batch)) for batch in (batches[0], batches[2]))
    assert all(i > first_ahead for i, p in reads if p.endswith("unit.yaml"))
    pages_read = [i for i, p in reads if p.endswith(".md")]
    assert len(pages_read) == 3 and min(pages_read) > pages_ahead


def test_read_ahead_never_waits_on_a_pipe_and_skips_what_it_cannot_open(tmp_path: Path) -> None:
    import os
    import threading

    from bip.load.readahead import read_ahead

    (tmp_path / "plik.pdf").write_bytes(b"%PDF-1.7\n" * 1000)
    os.mkfifo(tmp_path / "potok.pdf")  # opened for reading without O_NONBLOCK, it waits for a writer forever
    os.symlink(tmp_path / "potok.pdf", tmp_path / "dowiazanie.pdf")
    (tmp_path / "folder").mkdir()
    paths = [str(tmp_path / name) for name in ("potok.pdf", "dowiazanie.pdf", "folder", "brak.pdf", "plik.pdf")]
    worker = threading.Thread(target=read_ahead, args=(paths,), daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert not worker.is_alive()
    assert (tmp_path / "plik.pdf").read_bytes() == b"%PDF-1.7\n" * 1000
