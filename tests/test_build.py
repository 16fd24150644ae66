"""`bip build` end to end: broken units are not published (their old output stays), others are;
output is byte-identical for the same input; BOM/CRLF sources render like LF ones."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
from pathlib import Path

from conftest import NOW, basic_files, page, run_bip
from pdfs import accessible_pdf
from test_validation import CASES, U, make_project

A, B = "content/gmina-a/", "content/gmina-b/"


def site_files(folder: Path, suffix: str = "") -> list[Path]:
    """Every file of a published site, following symlinks (a site may be a tree of linked snapshots)."""
    found = []
    for dirpath, _dirs, names in os.walk(folder, followlinks=True):
        found += [Path(dirpath) / name for name in names if name.endswith(suffix)]
    return sorted(found)


def tree_hash(folder: Path) -> str:
    """Hash of relative paths and bytes of every file a reader of the site gets (symlinks followed)."""
    assert folder.is_dir(), folder
    digest = hashlib.sha256()
    for path in site_files(folder):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def two_units() -> dict[str, str | bytes]:
    files = basic_files("gmina-a")
    files.update(basic_files("gmina-b"))
    return files


def broken_pages() -> tuple[dict[str, str | bytes], dict[str, str], list[str]]:
    """Every page-level bad input of test_validation, moved into gmina-b; and the `file:line` of each error."""
    files: dict[str, str | bytes] = {"poza/tajne.pdf": b"%PDF-1.4\n", "poza/strona.md": page("Obca strona")}
    links: dict[str, str] = {}
    located: list[str] = []
    for case in CASES.values():
        if not all(path.startswith(U) for path in case.bad):
            continue  # unit.yaml cases have their own units
        files.update({B + path[len(U):]: data for path, data in case.bad.items()})
        links.update({B + path[len(U):]: target for path, target in case.bad_links.items()})
        located += [f"{B}{e.file[len(U):]}:{e.line}: błąd" for e in case.expected if e.severity == "error"]
    return files, links, located


def test_broken_unit_keeps_previous_output_and_others_are_published(project, tmp_path: Path) -> None:
    root = project(two_units())
    first = run_bip(root, "build", "--now", NOW)
    assert first.returncode == 0, first.stderr
    out = root / "public"
    before_b = tree_hash(out / "gmina-b")
    assert (out / "gmina-b/uchwaly/uchwala-xii-123-2024/index.html").is_file()

    files, links, located = broken_pages()
    files[A + "uchwaly/uchwala-xii-123-2024.md"] = page(
        "Uchwała w sprawie budżetu gminy na 2024 rok", "Rada Gminy uchwala budżet po autopoprawce.",
        type="uchwala", number='"XII/123/2024"', adopted="2024-03-01", status="obowiązująca",
    )
    files[A + "ogloszenia/nowe.md"] = page("Nowe ogłoszenie", "Treść nowego ogłoszenia.", type="ogloszenie")
    for link, target in links.items():
        (root / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / link)
    root = project(files)

    second = run_bip(root, "build", "--now", NOW)
    output = second.stdout + second.stderr
    assert second.returncode == 1, output
    assert "Traceback" not in output
    for where in located:
        assert where in second.stderr, f"{where} not reported:\n{second.stderr}"
    assert "z błędami: 1" in second.stderr
    assert not list(root.parent.rglob("ucieczka")), "an alias with .. wrote outside the unit"
    # the broken unit: not published, its previous site byte-identical
    assert tree_hash(out / "gmina-b") == before_b
    # the good unit: published with its changes
    assert "po autopoprawce" in (out / "gmina-a/uchwaly/uchwala-xii-123-2024/index.html").read_text(encoding="utf-8")
    assert (out / "gmina-a/ogloszenia/nowe/index.html").is_file()
    assert 'href="gmina-a/' in (out / "index.html").read_text(encoding="utf-8")

    # a broken unit that was never built is not published at all; the good one is
    fresh = root / "fresh"
    third = run_bip(root, "build", "--now", NOW, "--out", str(fresh))
    assert third.returncode == 1 and "Traceback" not in third.stdout + third.stderr
    assert not (fresh / "gmina-b").exists()
    assert (fresh / "gmina-a/ogloszenia/nowe/index.html").is_file()


def test_unit_with_broken_unit_yaml_keeps_previous_output(project) -> None:
    root = project(two_units())
    assert run_bip(root, "build", "--now", NOW).returncode == 0
    before_b = tree_hash(root / "public/gmina-b")
    root = project({B + "unit.yaml": "name: Gmina B\nkind: [gmina\n"})
    proc = run_bip(root, "build", "--now", NOW)
    assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr
    assert f"{B}unit.yaml:2: błąd" in proc.stderr
    assert (root / "public/gmina-a/index.html").is_file()
    assert (root / "public/gmina-b").is_dir(), "the previous site of a unit with a broken unit.yaml was removed"
    assert tree_hash(root / "public/gmina-b") == before_b


def test_broken_region_yaml_publishes_nothing_and_keeps_old_site(project) -> None:
    root = project(two_units())
    assert run_bip(root, "build", "--now", NOW).returncode == 0
    before = tree_hash(root / "public")
    root = project({"content/region.yaml": "name: [Region\n"})
    proc = run_bip(root, "build", "--now", NOW)
    assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr
    assert "content/region.yaml:1: błąd" in proc.stderr
    assert tree_hash(root / "public") == before


def rich_files() -> dict[str, str | bytes]:
    files = two_units()
    files.update({
        A + "Uchwały/Uchwała Nr 12.md": page("Uchwała nr 12", "Treść **uchwały**.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
                                           type="uchwala", number='"XII/12/2024"', adopted="2024-02-01"),
        A + "ogloszenia/szkic.md": page("Szkic", draft="true"),
        A + "ogloszenia/embargo.md": page("Embargo", publish_at="2030-01-01T10:00"),
        A + "ogloszenia/wygasle.md": page("Wygasłe", valid_until="2025-01-01", type="ogloszenie"),
        A + "ogloszenia/z-zalacznikiem.md": page("Z załącznikiem", attachments="\n  - file: Plan Miasta.PDF\n    title: Plan"),
        A + "ogloszenia/Plan Miasta.PDF": accessible_pdf("Plan miasta", "Obszar objęty planem: " + "ul. Polna, " * 150),
    })
    return files


def test_building_twice_gives_identical_bytes(project) -> None:
    root = project(rich_files())
    one, two = root / "out-1", root / "out-2"
    assert run_bip(root, "build", "--now", NOW, "--out", str(one)).returncode == 0
    assert run_bip(root, "build", "--now", NOW, "--out", str(two), "--jobs", "1", "--clean").returncode == 0
    assert tree_hash(one) == tree_hash(two)
    # a rebuild over the old output, from a cold cache, is identical too
    assert run_bip(root, "build", "--now", NOW, "--out", str(one), "--clean").returncode == 0
    assert tree_hash(one) == tree_hash(two)
    # what this project exercises did get built (and drafts/embargoed pages did not)
    site = one / "gmina-a"
    assert (site / "uchwaly/uchwala-nr-12/index.html").is_file()
    assert (site / "ogloszenia/plan-miasta.pdf").is_file()
    assert not (site / "ogloszenia/szkic").exists() and not (site / "ogloszenia/embargo").exists()
    assert "Wygasłe" in (site / "archiwum/index.html").read_text(encoding="utf-8")
    for name in os.listdir(root):
        assert not name.endswith((".staging", ".old")), name


def test_bom_and_crlf_render_like_lf(tmp_path: Path) -> None:
    text = page("Zażółć gęślą jaźń", "Akapit pierwszy.\n\n- punkt\n- punkt drugi\n\nKońcowy akapit.",
                type="ogloszenie", created="2024-05-20")
    outputs = []
    for variant, data in (("lf", text.encode()), ("bom-crlf", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())):
        files = basic_files()
        files[U + "ogloszenia/ogloszenie.md"] = data
        root = make_project(tmp_path / variant, files, {})
        proc = run_bip(root, "build", "--now", NOW)
        assert proc.returncode == 0, proc.stderr
        outputs.append((root / "public/gmina-testowa/ogloszenia/ogloszenie/index.html").read_text(encoding="utf-8"))
    lf, crlf = outputs
    assert "\r" not in crlf and "\ufeff" not in crlf
    assert "<h1>Zażółć gęślą jaźń</h1>" in lf
    assert crlf == lf  # the whole page, metryczka included


WARM_UP_SCRIPT = """
import sys
from pathlib import Path
from bip.build import Options, open_history
from bip.problems import Problems

class Walking:  # a git status that has not ended yet, then gives no result
    subdirs = ("content",)
    def __init__(self, running): self._running = running
    def running(self): return self._running
    def result(self, history): return None

running = sys.argv[2] == "running"
assert "bip.unit_pipeline" not in sys.modules
open_history(Options(Path(sys.argv[1]), Path(sys.argv[1]) / "public"), Problems(), Walking(running))
print("bip.unit_pipeline" in sys.modules)
"""


def test_the_render_step_is_imported_while_git_status_runs_and_only_then(project) -> None:
    root = project()
    for state, imported in (("running", "True"), ("ended", "False")):
        proc = subprocess.run([sys.executable, "-c", WARM_UP_SCRIPT, str(root), state], capture_output=True,
                              text=True, timeout=120, env={**os.environ, "CI": ""})
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == imported, state


def test_a_pipe_in_a_units_folder_fails_that_unit_and_never_stops_the_build(project) -> None:
    root = project(two_units())
    first = run_bip(root, "build", "--now", NOW)
    assert first.returncode == 0, first.stderr
    before_b = tree_hash(root / "public" / "gmina-b")
    os.mkfifo(root / "content" / "gmina-b" / "uchwaly" / "potok.pdf")  # reading it would wait for a writer forever
    os.symlink("potok.pdf", root / "content" / "gmina-b" / "uchwaly" / "do-potoku.pdf")
    files = two_units()
    files[A + "ogloszenia/nowe.md"] = page("Nowe ogłoszenie", "Treść nowego ogłoszenia.", type="ogloszenie")
    files[B + "uchwaly/index.md"] = page("Uchwały", "[Uchwała](potok.pdf), [jej kopia](do-potoku.pdf).")
    root = project(files)

    second = run_bip(root, "build", "--now", NOW, timeout=120)  # a build that waits on the pipe fails the test
    assert second.returncode == 1
    for name in ("potok.pdf", "do-potoku.pdf"):
        assert f"{B}uchwaly/{name}:1: błąd: To nie jest zwykły plik" in second.stdout + second.stderr
    assert (root / "public" / "gmina-a" / "ogloszenia" / "nowe" / "index.html").is_file()
    assert tree_hash(root / "public" / "gmina-b") == before_b


def test_a_build_reads_ahead_the_manifests_and_warnings_it_checks(project, monkeypatch) -> None:
    import bip.build as build_module
    from bip.build import Options, build
    from bip.job import memo_file
    from bip.publish.store import MANIFEST
    from bip.render.memo import warnings_file

    root = project(two_units())
    options = Options(root, root / "public", jobs=1, now=dt.datetime.fromisoformat(NOW))
    assert not build(options).failed
    asked: list[list[str]] = []
    monkeypatch.setattr(build_module, "read_ahead", lambda paths: asked.append(list(paths)))
    result = build(options)
    assert not result.failed and {u.status for u in result.units} == {"unchanged"}
    live = {unit: os.path.realpath(root / "public" / unit) for unit in ("gmina-a", "gmina-b")}
    assert [os.path.realpath(p) for p in asked[0]] == [os.path.join(live[u], MANIFEST) for u in sorted(live)]
    assert all(os.path.isfile(p) for p in asked[0])
    assert asked[1] == [str(warnings_file(memo_file(root, u))) for u in sorted(live)]
    assert all(os.path.isfile(p) for p in asked[1])
