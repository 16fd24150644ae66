"""`bip demo`: a deterministic, valid region with a realistic git history, checked with real git and bip."""

from __future__ import annotations

import datetime as dt
import gc
import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import NOW, run_bip

from bip.attachments import AttachmentReader, Extraction, audit
from bip.build import Options, build
from bip.demo import FUTURE_EMBARGO, RESERVED, front_matter, generate, pdf, yaml_text
from bip.demo.attachments import Attachments
from bip.doctypes import DOCTYPES, fields_of
from bip.doctypes.schema import unit_schema
from bip.load.text import split_front_matter
from bip.load.yamlfile import parse_yaml
from bip.model import Page

UNITS, PAGES, COMMITS = 4, 20, 30


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, check=True)
    return done.stdout.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "region"
    summary = generate(out, UNITS, PAGES, COMMITS, seed=1)
    assert (summary.units, summary.commits) == (UNITS, COMMITS)
    return out


def front(path: Path) -> dict:
    parts = split_front_matter(path.read_text(encoding="utf-8"))
    doc = parse_yaml(parts.yaml_text)
    assert isinstance(doc.data, dict), path
    return doc.data


def pages(root: Path) -> list[Path]:
    return sorted((root / "content").rglob("*.md"))


def test_same_seed_same_commits_other_seed_differs(corpus: Path, tmp_path: Path) -> None:
    again, other = tmp_path / "again", tmp_path / "other"
    generate(again, UNITS, PAGES, COMMITS, seed=1)
    generate(other, UNITS, PAGES, COMMITS, seed=2)
    head = git(corpus, "rev-parse", "HEAD", "HEAD^{tree}")
    assert git(again, "rev-parse", "HEAD", "HEAD^{tree}") == head
    assert git(other, "rev-parse", "HEAD", "HEAD^{tree}").split()[1] != head.split()[1]


def test_clean_work_tree_and_exact_commit_count(corpus: Path) -> None:
    assert git(corpus, "status", "--porcelain", "--untracked-files=all") == ""
    assert int(git(corpus, "rev-list", "--count", "HEAD")) == COMMITS


def test_commit_dates_increase_within_range_in_polish_time(corpus: Path) -> None:
    lines = git(corpus, "log", "--reverse", "--format=%at %ai %ae").splitlines()
    stamps = [int(line.split()[0]) for line in lines]
    assert stamps == sorted(set(stamps))
    first, last = (dt.datetime.fromisoformat(" ".join(line.split()[1:4])) for line in (lines[0], lines[-1]))
    assert dt.datetime(2020, 1, 1, tzinfo=dt.UTC) <= first and last <= dt.datetime(2026, 10, 31, 23, 59, tzinfo=dt.UTC)
    assert {line.split()[3] for line in lines} <= {"+0100", "+0200"}


def test_history_has_renames_deletions_drafts_and_embargoes(corpus: Path) -> None:
    status = git(corpus, "log", "--name-status", "-M", "--format=")
    assert re.search(r"^R\d+\tcontent/\S+\.md\t", status, re.M)
    assert re.search(r"^D\tcontent/\S+\.md$", status, re.M)
    patch = git(corpus, "log", "--reverse", "-p", "-M", "--format=%x1e%s", "--", "*.md")
    assert "+draft: true" in patch and "-draft: true" in patch
    published = [block for block in patch.split("\x1e") if "-draft: true" in block]
    assert published and all(block.startswith("Opublikowano") for block in published)
    assert f"+publish_at: {FUTURE_EMBARGO}" in patch
    past = [m for m in re.findall(r"^\+publish_at: (\S+)", patch, re.M) if not m.startswith("2099")]
    assert past and all(dt.datetime.fromisoformat(p) < dt.datetime(2026, 11, 25, tzinfo=dt.UTC) for p in past)
    messages = git(corpus, "log", "--format=%s")
    for expected in ("Dodano", "Usunięto", "Opublikowano"):
        assert expected in messages


def test_units_have_allowed_keys_parents_kinds_and_example_mail(corpus: Path) -> None:
    allowed = set(unit_schema()["properties"])
    units = {p.parent.name: parse_yaml(p.read_text(encoding="utf-8")).data
             for p in (corpus / "content").glob("*/unit.yaml")}
    assert len(units) == UNITS
    kinds = {data["kind"] for data in units.values()}
    assert {"wojewodztwo", "powiat", "jednostka"} <= kinds and kinds & {"gmina", "gmina-miejska"}
    for unit_id, data in units.items():
        assert re.fullmatch(r"[a-z0-9-]+", unit_id)
        assert set(data) <= allowed, unit_id
        assert set(data["accessibility"]) <= set(unit_schema()["properties"]["accessibility"]["properties"])
        if "parent" in data:
            assert data["parent"] in units
        mails = [data["email"], data["editor"]["email"], data["accessibility"]["contact"]["email"], *data["editors"]]
        assert all(m.endswith(".example") for m in mails), mails
        assert all(re.fullmatch(r"[^,]+ [^,]+, .+", v) for v in data["editors"].values())
    assert any(data["kind"] == "jednostka" and "parent" in data for data in units.values())


def test_authors_are_mapped_editors_except_a_few(corpus: Path) -> None:
    units = {p.parent.name: parse_yaml(p.read_text(encoding="utf-8")).data
             for p in (corpus / "content").glob("*/unit.yaml")}
    log = git(corpus, "log", "--name-only", "--format=@@%ae")
    unmapped = 0
    for block in log.split("@@")[1:]:
        email, *paths = block.split()
        touched = {p.split("/")[1] for p in paths if p.startswith("content/") and p.count("/") >= 2}
        if email.endswith("@poczta.example"):
            unmapped += 1
            continue
        assert all(email in units[u]["editors"] for u in touched), (email, touched)
    assert unmapped <= max(1, COMMITS // 20)


def test_pages_follow_the_type_table_with_attachments_present(corpus: Path) -> None:
    types = set()
    for path in pages(corpus):
        meta = front(path)
        kind = meta.get("type", "strona")
        types.add(kind)
        assert set(meta) <= set(fields_of(kind)), path
        assert set(DOCTYPES[kind].required) <= set(meta), path
        for key, spec in fields_of(kind).items():
            if spec.kind == "enum" and key in meta:
                assert meta[key] in spec.values, (path, key)
        published = meta.get("published")
        for earlier in ("created", "adopted"):
            if published and meta.get(earlier):
                assert meta[earlier] <= published, path
        for item in meta.get("attachments", []):
            attached = path.parent / item["file"]
            assert attached.is_file(), (path, item)
            assert item["title"]
        relative = path.relative_to(corpus / "content").parts
        assert not set(p.removesuffix(".md") for p in relative) & RESERVED
    # four small units need not have a petition; the demo units link their ETR on their main websites (unit.yaml etr)
    assert types >= set(DOCTYPES) - {"petycja", "etr"}


POLISH = set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")


def attachment_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "content").rglob("*") if p.suffix in (".pdf", ".docx", ".odt", ".xlsx"))


@pytest.fixture(scope="module")
def read(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, tuple[Extraction, set[str]]]:
    """Every attachment of a corpus with more pages (so with every kind) as bip reads it (worker processes,
    a cache of its own), with its audit codes."""
    root = tmp_path_factory.mktemp("mix") / "region"
    generate(root, 2, 100, 10, seed=1)
    reader = AttachmentReader(tmp_path_factory.mktemp("reader"), workers=2)
    results = reader.read(attachment_files(root))
    return {path: (result, {f.code for f in audit(path.name, result)}) for path, result in results.items()}


def test_attachments_are_of_every_kind_with_polish_text(read: dict[Path, tuple[Extraction, set[str]]]) -> None:
    kinds: dict[str, int] = {}
    for path, (result, codes) in read.items():
        assert result.status == "ok", (path, result.detail)
        kind = result.kind
        if kind == "pdf":
            kind = "scan" if "pdf-scan" in codes else "tagged pdf" if result.facts.tagged else "untagged pdf"
        kinds[kind] = kinds.get(kind, 0) + 1
        if kind != "scan":
            assert set(result.text) & POLISH, path  # real Polish text, read back with its letters
    assert set(kinds) == {"scan", "tagged pdf", "untagged pdf", "docx", "odt", "xlsx"}, kinds
    assert kinds["tagged pdf"] + kinds["untagged pdf"] > kinds["scan"] > 0


def test_the_audit_finds_exactly_the_deliberate_problems(read: dict[Path, tuple[Extraction, set[str]]]) -> None:
    found: set[str] = set()
    for path, (result, codes) in read.items():
        found |= codes
        facts = result.facts
        if result.kind == "pdf" and facts.tagged:
            assert not codes and facts.lang == "pl-PL" and facts.title, (path, codes)
        elif result.kind == "pdf":  # untagged: neither language nor title; a scan has no text either
            assert codes >= {"pdf-untagged", "pdf-no-lang", "pdf-no-title"}, (path, codes)
            assert ("pdf-scan" in codes) == (not result.text.strip()), path
        elif result.kind in ("docx", "odt"):
            assert codes <= {"doc-image-no-alt", "doc-no-headings"}, (path, codes)
            assert ("doc-image-no-alt" in codes) == bool(facts.images_without_alt), path
            assert ("doc-no-headings" in codes) == (not facts.headings), path
        else:
            assert codes <= {"sheet-merged-header"}, (path, codes)
    assert found >= {"pdf-scan", "pdf-untagged", "doc-image-no-alt", "doc-no-headings", "sheet-merged-header"}


def test_titles_name_the_kind_of_file(corpus: Path) -> None:
    for path in pages(corpus):
        for item in front(path).get("attachments", []):
            if "(PDF)" in item["title"]:
                assert item["file"].endswith(".pdf"), (path, item)


def test_attachments_have_no_dates_and_fixed_zip_times() -> None:
    import zipfile

    first, second = Attachments(7), Attachments(7)
    for profile in ("form", "table", "document", "declaration", "scan") * 6:
        made = first.make(profile, "plik.pdf", "Załącznik (PDF)", ["Gmina Świdnica"], "Treść **uchwały**.")
        assert made == second.make(profile, "plik.pdf", "Załącznik (PDF)", ["Gmina Świdnica"], "Treść **uchwały**.")
        data = made[2]
        if data.startswith(b"PK"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        else:
            assert b"CreationDate" not in data and b"ModDate" not in data


def test_pdf_reads_with_a_pdf_library() -> None:
    pypdf = pytest.importorskip("pypdf")

    for tagged in (False, True):
        reader = pypdf.PdfReader(io.BytesIO(pdf("Uchwała Nr XII/123/2024 (projekt)", ["Gmina Świdnica", "a \\ b („x”)"],
                                                tagged)))
        text = reader.pages[0].extract_text()
        assert "Uchwała Nr XII/123/2024" in text and "Gmina Świdnica" in text and "a \\ b („x”)" in text


def test_front_matter_follows_the_table_for_unknown_and_required_keys() -> None:
    for name, doctype in DOCTYPES.items():
        meta = front_matter(name, "Tytuł", {"no_such_key": 1}, {"created": "2024-01-02"}, dt.date(2024, 1, 2))
        assert set(doctype.required) <= set(meta) and "no_such_key" not in meta
    meta = front_matter("uchwala", "T", {"number": "I/1/2024", "adopted": "2024-01-02", "status": "nieznany"}, {},
                        dt.date(2024, 1, 2))
    assert meta["status"] in DOCTYPES["uchwala"].fields["status"].values


def test_yaml_round_trips_through_the_bip_loader() -> None:
    data = {"title": "Uchwała: zmiana", "a": "yes", "b": "0801011", "c": "2024-01-02", "d": "ok #1", "e": True,
            "f": 2024, "g": ["x: y", "„Tytuł”"], "h": [{"file": "a b.pdf", "title": "Null"}], "i": {"j": "+48 1"}}
    assert parse_yaml(yaml_text(data)).data == data


def test_check_has_only_editor_warnings_and_build_succeeds(corpus: Path, tmp_path: Path) -> None:
    checked = run_bip(corpus, "check", "--root", str(corpus), "--format", "json", "--now", NOW,
                      env={"BIP_ATTACHMENT_AUDIT": "1"})
    problems = json.loads(checked.stdout)
    assert checked.returncode == 0, checked.stdout
    assert all(p["severity"] == "warning" for p in problems), problems
    # the deliberately inaccessible attachments, at their page's attachments key; else only editors
    assert {p["key"].split(".")[0] for p in problems} == {"editors", "attachments"}, problems
    built = run_bip(corpus, "build", "--root", str(corpus), "--out", str(tmp_path / "public"), "--now", NOW)
    assert built.returncode == 0, built.stderr
    assert "Odnośnik" not in built.stderr  # no link to a page that does not exist
    assert (tmp_path / "public" / "index.html").is_file()


def test_a_worker_keeps_no_page_of_the_units_it_rendered(corpus: Path, tmp_path: Path) -> None:
    """A worker renders unit after unit (here this process does, with one job): what a unit loaded (its pages,
    their bodies and metadata) is freed when it is done, or the worker's memory grows with every unit."""
    alive: list[int] = []

    def progress(done: int, total: int) -> None:
        gc.collect()
        alive.append(sum(isinstance(o, Page) for o in gc.get_objects()))

    options = Options(root=corpus, out=tmp_path / "public", jobs=1, now=dt.datetime.fromisoformat(NOW), histories={})
    result = build(options, progress)
    assert not result.failed and result.published
    assert [r.status for r in result.units] == ["built"] * UNITS
    assert alive == [0] * UNITS


def test_cli_prints_a_summary_and_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    out = tmp_path / "r"
    done = run_bip(tmp_path, "demo", str(out), "--units", "2", "--pages", "8", "--commits", "14", "--seed", "3")
    assert done.returncode == 0, done.stderr
    assert "podmiotów 2" in done.stdout and "commitów 14" in done.stdout
    assert int(git(out, "rev-list", "--count", "HEAD")) == 14
    generate(tmp_path / "same", 2, 8, 14, seed=3)  # another process, another hash seed: the same commits
    assert git(tmp_path / "same", "rev-parse", "HEAD") == git(out, "rev-parse", "HEAD")
    again = run_bip(tmp_path, "demo", str(out), "--units", "2", "--pages", "8")
    assert again.returncode == 2 and "nie jest pusty" in again.stderr
