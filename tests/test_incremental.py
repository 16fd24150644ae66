"""Incremental builds, counted by what was rendered (not by time), sharding and merge."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import NOW, basic_files, git, page, run_bip, tree_hash

UCHWALA = "content/gmina-testowa/uchwaly/uchwala-xii-123-2024.md"


def build(root: Path, *args: str) -> tuple[dict[str, int], str]:
    """Run a real build; return the counters from the summary line and the output."""
    proc = run_bip(root, "build", "--now", NOW, "--report", str(root / "report.json"), *args)
    assert proc.returncode == 0, proc.stderr
    report = json.loads((root / "report.json").read_text(encoding="utf-8"))
    counts = {
        "rendered": sum(u["rendered"] for u in report["units"]),
        "reused": sum(u["reused"] for u in report["units"]),
        "built": sum(u["status"] == "built" for u in report["units"]),
        "unchanged": sum(u["status"] == "unchanged" for u in report["units"]),
        "published": report["published"],
    }
    return counts, proc.stderr


def two_units() -> dict[str, str | bytes]:
    files = basic_files()
    files.update({k.replace("gmina-testowa", "gmina-druga"): v for k, v in basic_files("gmina-druga").items()})
    for n in range(1, 6):
        files[f"content/gmina-testowa/ogloszenia/ogloszenie-{n}.md"] = page(
            f"Ogłoszenie nr {n}", f"Treść ogłoszenia {n}.", type="ogloszenie")
    return files


def mtimes(folder: Path) -> dict[str, int]:
    found = {}
    for dirpath, _dirs, names in os.walk(folder, followlinks=True):
        for name in names:
            path = Path(dirpath) / name
            found[str(path.relative_to(folder))] = path.stat().st_mtime_ns
    return found


def test_second_build_renders_nothing_and_writes_nothing(project):
    root = project(two_units())
    first, _ = build(root)
    assert first["rendered"] > 20 and first["built"] == 2
    before = mtimes(root / "public")
    live = os.readlink(root / "public")
    second, _ = build(root)
    assert second == {"rendered": 0, "reused": 0, "built": 0, "unchanged": 2, "published": False}
    assert os.readlink(root / "public") == live
    assert mtimes(root / "public") == before


def test_one_page_edit_rerenders_only_that_page_and_what_lists_it(project):
    root = project(two_units())
    build(root)
    path = root / "content/gmina-testowa/ogloszenia/ogloszenie-3.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Treść ogłoszenia 3.", "Nowa treść."), encoding="utf-8")
    git(root, "commit", "-qam", "Poprawiono ogłoszenie nr 3", date="2024-06-01T10:00:00+02:00")
    counts, _ = build(root)
    assert counts["built"] == 1 and counts["unchanged"] == 1  # the other unit is not even loaded
    assert counts["reused"] > counts["rendered"]
    # the page, its listing, the registry and the page's history, its new version and diff, the home page
    # (latest items) and the earlier version (its banner names the current title) — nothing else
    assert counts["rendered"] <= 9, counts
    html = (root / "public/gmina-testowa/ogloszenia/ogloszenie-3/index.html").read_text(encoding="utf-8")
    assert "Nowa treść." in html
    assert (root / "public/gmina-testowa/rejestr-zmian/strony/ogloszenia/ogloszenie-3.zmiany-2.html").is_file()


@pytest.mark.parametrize("mode", ["build", "preview after a save"])
def test_link_warnings_of_pages_not_rendered_again_are_still_reported(project, mode):
    import datetime as dt

    from bip.build import Options
    from bip.build import build as run_build

    files = two_units()
    files["content/gmina-testowa/ogloszenia/ogloszenie-1.md"] = page(
        "Ogłoszenie nr 1", "Zob. [brak](nie-ma-takiej.md) i [część](ogloszenie-2.md#n-wyniki).", type="ogloszenie",
        created="2024-05-02")
    root = project(files)
    options = Options(root=root, out=root / "public", jobs=1, now=dt.datetime.fromisoformat(NOW), histories={})
    if mode != "build":
        options = Options(**{**options.__dict__, "out": root / ".bip-cache" / "preview", "preview": True,
                             "allow_dirty": True, "units": ["gmina-testowa"], "preview_edit": True})

    def warnings() -> set[str]:
        result = run_build(options)
        assert not result.failed
        return {p.message.split(" ")[1] for p in result.problems.warnings if p.file.endswith("ogloszenie-1.md")}

    dead, anchor = "„nie-ma-takiej.md”", "„ogloszenie-2.md#n-wyniki”"
    assert warnings() == {dead, anchor}
    page_1 = options.out / "gmina-testowa/ogloszenia/ogloszenie-1/index.html"
    before = page_1.stat().st_ino
    # another page changes, not its headings: page 1 is not rendered again, its warnings stay
    path = root / "content/gmina-testowa/ogloszenia/ogloszenie-3.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Treść ogłoszenia 3.", "Nowa treść."), encoding="utf-8")
    git(root, "commit", "-qam", "Poprawiono ogłoszenie nr 3", date="2024-06-01T10:00:00+02:00")
    assert warnings() == {dead, anchor}
    assert page_1.stat().st_ino == before  # carried over (a hard link), not rendered
    assert "Nowa treść." in (options.out / "gmina-testowa/ogloszenia/ogloszenie-3/index.html").read_text("utf-8")
    # the page it links to gets the heading: the warning about the anchor goes, the other one stays
    path = root / "content/gmina-testowa/ogloszenia/ogloszenie-2.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n## Wyniki\n\nLista.\n", encoding="utf-8")
    git(root, "commit", "-qam", "Dodano wyniki", date="2024-06-02T10:00:00+02:00")
    assert warnings() == {dead}


def test_a_unit_back_at_an_earlier_snapshot_keeps_its_warnings_and_digests(project):
    files = two_units()
    files["content/gmina-testowa/ogloszenia/ogloszenie-1.md"] = page(
        "Ogłoszenie nr 1", "Zob. [brak](nie-ma-takiej.md).", type="ogloszenie")
    root = project(files)
    _, first = build(root, "--allow-dirty")
    assert "Odnośnik „nie-ma-takiej.md”" in first
    path = root / "content/gmina-testowa/ogloszenia/ogloszenie-2.md"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("Treść ogłoszenia 2.", "Zmieniona treść."), encoding="utf-8")
    counts, second = build(root, "--allow-dirty")
    assert counts["built"] == 1 and "Odnośnik „nie-ma-takiej.md”" in second
    path.write_text(original, encoding="utf-8")  # the change undone: the first snapshot is still there
    counts, third = build(root, "--allow-dirty")
    assert counts["built"] == 0 and counts["unchanged"] == 2, counts
    assert "Odnośnik „nie-ma-takiej.md”" in third
    # and its render digests: the next edit renders only what it changes
    path.write_text(original.replace("Treść ogłoszenia 2.", "Inna treść."), encoding="utf-8")
    counts, _ = build(root, "--allow-dirty")
    assert counts["built"] == 1 and counts["rendered"] <= 9, counts


def test_incremental_result_equals_a_clean_build(project, tmp_path):
    root = project(two_units())
    build(root)
    path = root / UCHWALA
    path.write_text(path.read_text(encoding="utf-8").replace("budżet", "budżet na 2024 r."), encoding="utf-8")
    git(root, "commit", "-qam", "Zmiana treści uchwały", date="2024-06-01T10:00:00+02:00")
    build(root)
    clean = tmp_path / "czysty"
    proc = run_bip(root, "build", "--now", NOW, "--out", str(clean), "--clean")
    assert proc.returncode == 0, proc.stderr
    assert tree_hash(root / "public") == tree_hash(clean)


def test_portal_search_shards_an_edit_did_not_change_are_carried_over(project, tmp_path):
    import random

    rng = random.Random(7)
    words = ["".join(rng.choice("abcdefghijklmnoprstuwyząęółśżź") for _ in range(rng.randint(4, 9)))
             for _ in range(2000)]
    files = two_units()
    for n in range(60):
        files[f"content/gmina-druga/informacje/strona-{n}.md"] = page(f"Strona {n}", " ".join(rng.choices(words, k=150)))
    root = project(files)
    build(root)
    shards = root / "public/szukaj/indeks/t"

    def inodes() -> dict[str, int]:
        return {p.name: p.stat().st_ino for p in shards.iterdir()}

    before = inodes()
    assert len(before) >= 8
    path = root / UCHWALA
    path.write_text(path.read_text(encoding="utf-8").replace("budżet", "budżet na 2024 r."), encoding="utf-8")
    git(root, "commit", "-qam", "Zmiana treści uchwały", date="2024-06-01T10:00:00+02:00")
    counts, _ = build(root)
    assert counts["built"] == 1
    after = inodes()
    kept = [name for name, inode in after.items() if before.get(name) == inode]
    assert 0 < len(kept) < len(after)  # linked from the previous tree; those the edit changed are new
    clean = tmp_path / "czysty"
    proc = run_bip(root, "build", "--now", NOW, "--out", str(clean), "--clean")
    assert proc.returncode == 0, proc.stderr
    assert tree_hash(root / "public") == tree_hash(clean)


def test_a_preview_rebuild_after_a_save_keeps_the_units_search_until_the_next_full_preview(project):
    import datetime as dt

    from bip.build import Options
    from bip.build import build as run_build

    root = project(two_units())
    options = Options(root=root, out=root / ".bip-cache" / "preview", preview=True, allow_dirty=True, jobs=1,
                      now=dt.datetime.fromisoformat(NOW), histories={})
    assert not run_build(options).failed
    search = options.out / "gmina-testowa" / "szukaj"
    before = {p.relative_to(search): p.stat().st_ino for p in search.rglob("*") if p.is_file()}
    path = root / UCHWALA
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: Poprawiona ", 1), encoding="utf-8")
    edit = Options(**{**options.__dict__, "units": ["gmina-testowa"], "preview_edit": True})
    assert not run_build(edit).failed
    html = (options.out / "gmina-testowa/uchwaly/uchwala-xii-123-2024/index.html").read_text(encoding="utf-8")
    assert "Poprawiona" in html
    after = {p.relative_to(search): p.stat().st_ino for p in search.rglob("*") if p.is_file()}
    assert after == before  # the same files: linked, not made again
    assert not run_build(options).failed  # the next full preview makes the search anew
    assert "Poprawiona" in (search / "dokumenty.json").read_text(encoding="utf-8")


def test_what_is_no_longer_published_is_removed_from_the_output(project):
    root = project(two_units())
    store = root / "public.d"
    path = root / "content/gmina-testowa/ogloszenia/ogloszenie-3.md"
    for n in range(3):
        build(root)
        path.write_text(path.read_text(encoding="utf-8") + f"\nZmiana {n}.\n", encoding="utf-8")
        git(root, "commit", "-qam", f"Zmiana nr {n}", date=f"2024-06-0{n + 1}T10:00:00+02:00")
    build(root)
    trees = sorted(t for t in (store / "trees").iterdir())
    assert len(trees) == 2 and (root / "public").resolve() in trees  # the live tree and the one before it
    used = {(tree / unit).resolve() for tree in trees for unit in ("gmina-testowa", "gmina-druga")}
    assert {snap for unit in (store / "units").iterdir() for snap in unit.iterdir()} == used
    # the rest was moved aside at once and is deleted by a process of its own
    deadline = time.monotonic() + 30
    while any((store / "trash").iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any((store / "trash").iterdir())
    html = (root / "public/gmina-testowa/ogloszenia/ogloszenie-3/index.html").read_text(encoding="utf-8")
    assert "Zmiana 2." in html


def test_theme_change_rerenders_all_pages(project):
    files = two_units()
    root = project(files)
    first, _ = build(root)
    theme = root / "themes/default/templates"
    theme.mkdir(parents=True)
    repo_theme = Path(__file__).resolve().parent.parent / "themes/default/templates/page.html"
    (theme / "page.html").write_text(repo_theme.read_text(encoding="utf-8").replace(
        '<div class="prose">', '<div class="prose zmieniony-motyw">'), encoding="utf-8")
    counts, _ = build(root)
    assert counts["reused"] == 0 and counts["rendered"] == first["rendered"]
    html = (root / "public/gmina-testowa/ogloszenia/ogloszenie-1/index.html").read_text(encoding="utf-8")
    assert "zmieniony-motyw" in html


def test_corrupt_cache_is_ignored(project):
    root = project(two_units())
    build(root)
    expected = tree_hash(root / "public")
    for cache in (root / ".bip-cache").rglob("*.json"):
        cache.write_bytes(b"\x00{not json")
    for manifest in (root / "public.d/units").rglob("bip-manifest.json"):
        manifest.write_text("[]", encoding="utf-8")  # a snapshot whose manifest is broken is not trusted
    counts, _ = build(root)
    assert counts["built"] == 2 and counts["reused"] == 0
    assert tree_hash(root / "public") == expected


def test_expired_embargo_rebuilds_by_itself(project):
    files = basic_files()
    files["content/gmina-testowa/ogloszenia/komunikat.md"] = page(
        "Komunikat", "Od grudnia.", type="ogloszenie", publish_at="2026-12-01T00:00:00+01:00")
    root = project(files)
    build(root)
    assert not (root / "public/gmina-testowa/ogloszenia/komunikat/index.html").exists()
    proc = run_bip(root, "build", "--now", "2026-12-02T08:00:00+01:00")
    assert proc.returncode == 0, proc.stderr
    assert (root / "public/gmina-testowa/ogloszenia/komunikat/index.html").is_file()


def test_shards_merge_to_the_same_bytes(project, tmp_path):
    files = two_units()
    files.update({k.replace("gmina-testowa", "gmina-trzecia"): v for k, v in basic_files("gmina-trzecia").items()})
    root = project(files)
    full = tmp_path / "pelny"
    assert run_bip(root, "build", "--now", NOW, "--out", str(full)).returncode == 0
    shards = []
    for k in (1, 2, 3):
        out = tmp_path / f"czesc-{k}"
        proc = run_bip(root, "build", "--now", NOW, "--shard", f"{k}/3", "--out", str(out))
        assert proc.returncode == 0, proc.stderr
        if k == 1:  # as a CI artifact: archived with links dereferenced into plain folders
            plain = tmp_path / "artefakt-1"
            subprocess.run(["cp", "-rL", str(out), str(plain)], check=True)
            out = plain
        shards.append(str(out))
    merged = tmp_path / "polaczony"
    proc = run_bip(root, "merge", *shards, "--out", str(merged), "--now", NOW)
    assert proc.returncode == 0, proc.stderr
    assert tree_hash(merged) == tree_hash(full)
    units = sorted(p.name for p in merged.iterdir() if p.is_dir() and p.name.startswith("gmina"))
    assert units == ["gmina-druga", "gmina-testowa", "gmina-trzecia"]


def test_bad_shard_argument_is_a_usage_error(project):
    root = project()
    proc = run_bip(root, "build", "--shard", "5/4")
    assert proc.returncode == 2 and re.search("K/N|od 1 do N", proc.stderr)


def test_unit_signature_from_git_trees_sees_every_kind_of_change(project):
    from bip.fingerprint import FileHashes, UnitTrees
    from bip.history import read_history

    root = project(two_units())

    def signatures() -> dict[str, str]:
        history = read_history(root, "content")
        trees = UnitTrees(root, history, FileHashes(root / ".bip-cache" / "files.json"))
        assert trees.trees is not None  # from git, not from reading every file
        return {unit: trees.signature(f"content/{unit}") for unit in ("gmina-testowa", "gmina-druga")}

    first = signatures()
    assert first["gmina-testowa"] != first["gmina-druga"]
    os.utime(root / UCHWALA, ns=(1, 1))  # a new mtime alone is no change
    assert signatures() == first
    changes = [
        lambda: (root / UCHWALA).write_text(page("Uchwała", "Zmieniona, niezatwierdzona."), encoding="utf-8"),
        lambda: git(root, "commit", "-qam", "Zmieniono uchwałę"),
        lambda: (root / "content/gmina-testowa/nowy.pdf").write_bytes(b"%PDF-1.4 nowy"),
        lambda: ((root / ".gitignore").write_text("*.tmp\n", encoding="utf-8"),
                 (root / "content/gmina-testowa/szkic.tmp").write_text("ignorowany", encoding="utf-8")),
        lambda: (root / "content/gmina-testowa/szkic.tmp").write_text("zmieniony", encoding="utf-8"),
        lambda: (root / "content/gmina-testowa/nowy.pdf").unlink(),
    ]
    seen = [first["gmina-testowa"]]
    for change in changes:
        change()
        now = signatures()
        assert now["gmina-druga"] == first["gmina-druga"]  # the other unit is untouched
        assert now["gmina-testowa"] not in seen
        seen.append(now["gmina-testowa"])
        # git asked about one unit's folder alone (bip serve, --unit) gives that unit the same signature
        alone = UnitTrees(root, read_history(root, "content"), FileHashes(root / ".bip-cache" / "files.json"),
                          folders=["content/gmina-testowa"])
        assert alone.signature("content/gmina-testowa") == now["gmina-testowa"]


def test_unit_signature_without_git_reads_the_files(tmp_path):
    from bip.fingerprint import FileHashes, UnitTrees, tree_signature
    from bip.history import History

    folder = tmp_path / "content" / "gmina-testowa"
    folder.mkdir(parents=True)
    (folder / "index.md").write_text(page("Strona"), encoding="utf-8")
    hashes = FileHashes(tmp_path / "files.json")
    trees = UnitTrees(tmp_path, History.empty(tmp_path), hashes)
    assert trees.trees is None
    assert trees.signature("content/gmina-testowa") == tree_signature(folder, hashes)


def test_published_files_are_readable_by_the_web_server_and_old_snapshots_are_not_written_through(project):
    """Files are made with the umask's permissions (a web server running as another user reads them), also
    those replacing a link carried over from the previous snapshot, whose own file keeps its bytes."""
    old_umask = os.umask(0o022)
    try:
        root = project(two_units())
        build(root)
        page_file = root / "public/gmina-testowa/ogloszenia/ogloszenie-3/index.html"
        previous = page_file.resolve()
        before = previous.read_bytes()
        path = root / "content/gmina-testowa/ogloszenia/ogloszenie-3.md"
        path.write_text(path.read_text(encoding="utf-8").replace("Treść ogłoszenia 3.", "Nowa treść."), encoding="utf-8")
        git(root, "commit", "-qam", "Poprawiono ogłoszenie nr 3", date="2024-06-01T10:00:00+02:00")
        build(root)
    finally:
        os.umask(old_umask)
    assert page_file.resolve() != previous and previous.read_bytes() == before
    assert "Nowa treść." in page_file.read_text(encoding="utf-8")
    modes = {}
    for dirpath, _dirs, names in os.walk(root / "public", followlinks=True):
        for name in names:
            modes[str(Path(dirpath, name).relative_to(root / "public"))] = os.stat(Path(dirpath, name)).st_mode & 0o777
    assert len(modes) > 50
    assert {name: mode for name, mode in modes.items() if mode != 0o644} == {}


def test_an_upgraded_dependency_rerenders_every_unit_and_the_same_versions_reuse_all(project, tmp_path):
    root = project(two_units())
    first, _ = build(root)
    same, _ = build(root)
    assert same["built"] == 0 and same["unchanged"] == 2
    # an installed distribution of another version, found first on the path, as after `pip install -U nh3`
    upgraded = tmp_path / "upgraded"
    (upgraded / "nh3-99.0.dist-info").mkdir(parents=True)
    (upgraded / "nh3-99.0.dist-info/METADATA").write_text("Metadata-Version: 2.1\nName: nh3\nVersion: 99.0\n")
    path = os.pathsep.join(p for p in (str(upgraded), os.environ.get("PYTHONPATH", "")) if p)
    proc = run_bip(root, "build", "--now", NOW, "--report", str(root / "report.json"), env={"PYTHONPATH": path})
    assert proc.returncode == 0, proc.stderr
    report = json.loads((root / "report.json").read_text(encoding="utf-8"))
    assert [u["status"] for u in report["units"]] == ["built", "built"]
    assert sum(u["reused"] for u in report["units"]) == 0
    assert sum(u["rendered"] for u in report["units"]) == first["rendered"]


def test_every_runtime_dependency_is_counted_as_shaping_output_or_not():
    import tomllib

    from bip.fingerprint import OUTPUT_DEPENDENCIES, RUN_ONLY_DEPENDENCIES
    pyproject = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text("utf-8"))
    declared = {re.split(r"[<>=!~\[; ]", dep, maxsplit=1)[0].lower() for dep in pyproject["project"]["dependencies"]}
    assert declared <= set(OUTPUT_DEPENDENCIES) | set(RUN_ONLY_DEPENDENCIES)
    assert not set(OUTPUT_DEPENDENCIES) & set(RUN_ONLY_DEPENDENCIES)


def test_the_demo_generator_is_not_part_of_the_generator_signature(tmp_path):
    package = Path(__file__).resolve().parent.parent / "bip"
    copy = tmp_path / "src"
    copy.mkdir()
    subprocess.run(["cp", "-rL", str(package), str(copy / "bip")], check=True)

    def signature() -> str:
        code = "from bip.fingerprint import generator_signature; print(generator_signature())"
        return subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(copy)},
                              cwd=tmp_path, capture_output=True, text=True, check=True).stdout.strip()

    before = signature()
    history = copy / "bip/demo/history.py"
    history.write_text(history.read_text("utf-8") + "\n# edited\n", "utf-8")
    assert signature() == before
    (copy / "bip/render/site.py").write_text((copy / "bip/render/site.py").read_text("utf-8") + "\n# x\n", "utf-8")
    assert signature() != before


def test_render_digest_tells_apart_what_changes_a_page_and_nothing_else():
    """The render memo's digest of a context: equal for equal inputs (a set in any order, a new but equal
    object, another function), different when any value a template can show differs."""
    import dataclasses
    import datetime as dt

    from markupsafe import Markup

    from bip.render.memo import digest

    @dataclasses.dataclass
    class Item:
        label: str
        when: dt.date
        tags: frozenset[str]

    def context(**changed):
        values = {"title": "Uchwała", "items": [Item("a", dt.date(2024, 5, 1), frozenset({"x", "y"}))],
                  "count": 3, "flag": False, "link": lambda target: target, "body": Markup("<p>a</p>"),
                  "map": {"b": 1, "a": [1.5, None]}}
        return {**values, **changed}

    base = digest("page.html", context(), {})
    assert digest("page.html", context(), {}) == base
    assert digest("page.html", context(link=print), {}) == base  # functions: the url and theme decide
    assert digest("page.html", context(items=[Item("a", dt.date(2024, 5, 1), frozenset({"y", "x"}))]), {}) == base
    changed = [
        context(title="Uchwała nr 2"), context(count=4), context(flag=True), context(count="3"),
        context(items=[Item("a", dt.date(2024, 5, 2), frozenset({"x", "y"}))]),
        context(items=[Item("a", dt.date(2024, 5, 1), frozenset({"x"}))]),
        context(items=[Item("b", dt.date(2024, 5, 1), frozenset({"x", "y"}))]), context(items=[]),
        context(body="<p>a</p>"), context(map={"b": 1, "a": [1.5]}), context(extra=None),
    ]
    digests = {digest("page.html", c, {}) for c in changed}
    assert len(digests) == len(changed) and base not in digests
    assert digest("version.html", context(), {}) != base


def test_a_no_change_build_reports_the_warnings_of_unchanged_units_as_the_build_that_found_them(project):
    """The warnings of an unchanged unit come from its memo (kept encoded for the report): the summary and
    the report are the same as the build's that found them, and --strict still refuses that unit."""
    files = two_units()
    for n in range(1, 4):  # more warnings than the summary shows, in both units
        for unit in ("gmina-testowa", "gmina-druga"):
            files[f"content/{unit}/ogloszenia/martwe-{n}.md"] = page(
                f"Ogłoszenie z odnośnikami {n}", "".join(f"Zob. [brak](nie-ma-{i}.md). " for i in range(90)),
                type="ogloszenie")
    root = project(files)

    def run(*args: str) -> tuple[subprocess.CompletedProcess[str], dict]:
        proc = run_bip(root, "build", "--now", NOW, "--report", str(root / "report.json"), *args)
        return proc, json.loads((root / "report.json").read_text(encoding="utf-8"))

    first, found = run()
    again, repeated = run()
    assert first.returncode == again.returncode == 0, first.stderr
    assert [u["status"] for u in repeated["units"]] == ["unchanged", "unchanged"]
    assert len(found["problems"]) >= 540 and repeated["problems"] == found["problems"]
    summary = first.stderr[: first.stderr.index("Podmioty:")]
    assert "… i " in summary and "  content/gmina-druga: " in summary and "  content/gmina-testowa: " in summary
    assert again.stderr[: again.stderr.index("Podmioty:")] == summary
    strict, refused = run("--strict")
    assert strict.returncode == 1
    assert [u["status"] for u in refused["units"]] == ["failed", "failed"]
    assert refused["problems"] == found["problems"]
