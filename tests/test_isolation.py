"""One unit never stops the region: each kind of fault stays in the unit it came from.

A real region in a real git repository, where several units each carry a different fault (a bad folder
name, no unit.yaml, broken unit.yaml, a unit.yaml whose brackets once crashed libyaml, no kind, a parent pointing nowhere, a page too deeply nested, a
paragraph too long, a history poisoned by a deleted page, a worker killed while rendering), is built
through the command line; every fault is named, and every clean unit's output is byte-identical to a build
of the clean units alone.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from conftest import NOW, UNIT, basic_files, commit_files, git, page, run_bip, tree_hash

from bip.fault import FAILPOINT
from bip.render.markdown import MAX_BLOCK_CHARS, MAX_NESTING

CLEAN = ["gmina-czysta", "gmina-panika", "gmina-historia"]
DEEP = "> " * (MAX_NESTING + 50) + "za głęboko\n"
LONG = ("Słowo *wyróżnione* i [odnośnik](https://example.org) " * (MAX_BLOCK_CHARS // 40)).strip() + "\n"


def unit_files(unit: str, **extra: str | bytes) -> dict[str, str | bytes]:
    files = {k.replace("gmina-testowa", unit): v for k, v in basic_files(unit).items()}
    files.update({f"content/{unit}/{k}": v for k, v in extra.items()})
    return files


def faulty_region() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {}
    files.update(unit_files("gmina-czysta"))
    # a stray backtick inside brackets, a typo any clerk can make (it made the fast Markdown parser panic)
    files.update(unit_files("gmina-panika", **{"ogloszenia/pan.md": page(
        "Ogłoszenie", "Pan [O`Neil] złożył wniosek.\n\nZob. [Uchwała nr 5` z 2024](../uchwaly/index.md).")}))
    files.update(unit_files("gmina-historia"))
    files.update(unit_files("Zla_Nazwa", **{"zla.md": "---\ntitle: [niezamknięty\n---\nx\n"}))
    files.update(unit_files("gmina-bez-pliku", **{"zla.md": "---\ntype: nieznany\ntitle: X\n---\nx\n"}))
    del files["content/gmina-bez-pliku/unit.yaml"]
    files.update(unit_files("gmina-zepsuta"))
    files["content/gmina-zepsuta/unit.yaml"] = "name: [niezamknięta lista\nkind: gmina\n"
    files.update(unit_files("gmina-nawiasy"))  # 50,000 nested brackets once killed the build in libyaml
    files["content/gmina-nawiasy/unit.yaml"] = UNIT + "menu: " + "[" * 50_000 + "]" * 50_000 + "\n"
    files.update(unit_files("gmina-bez-rodzaju"))
    files["content/gmina-bez-rodzaju/unit.yaml"] = UNIT.replace("kind: gmina\n", "")
    files.update(unit_files("gmina-sierota"))
    files["content/gmina-sierota/unit.yaml"] = UNIT + "parent: powiat-nieistniejacy\n"
    files.update(unit_files("gmina-gleboka", **{"ogloszenia/gleboko.md": page("Głęboko", DEEP)}))
    files.update(unit_files("gmina-dluga", **{"ogloszenia/dlugo.md": page("Długo", LONG)}))
    files.update(unit_files("gmina-zabita"))
    return files


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The faulty region, with gmina-historia's poisoned history: a page too deeply nested was committed
    (and so was public in the registry's view), then deleted by its editor."""
    root = tmp_path_factory.mktemp("izolacja") / "projekt"
    root.mkdir()
    poisoned = root / "content/gmina-historia/ogloszenia/gleboko.md"
    commit_files(root, {**faulty_region(), poisoned.relative_to(root).as_posix(): page("Ogłoszenie zbyt złożone", DEEP)})
    poisoned.unlink()
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Usunięto ogłoszenie", date="2024-05-21T10:00:00+02:00")
    return root


def build(root: Path, out: Path, *extra: str, env: dict[str, str] | None = None):  # noqa: ANN201
    return run_bip(root, "build", "--now", NOW, "--out", str(out), "--report", str(out.parent / f"{out.name}.json"),
                   *extra, env=env)


def report(out: Path) -> dict:
    return json.loads((out.parent / f"{out.name}.json").read_text(encoding="utf-8"))


def test_every_fault_stays_in_its_unit(region: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    result = build(region, out, env={FAILPOINT: "kill:gmina-zabita"})
    err = result.stderr
    assert result.returncode == 3, err  # a worker died: an internal failure, reported as such
    assert "Traceback" not in err
    units = {u["id"]: u for u in report(out)["units"]}
    for unit_id in CLEAN:
        assert units[unit_id]["status"] == "built", (unit_id, err)
        assert (out / unit_id / "index.html").is_file()
    expected = {"Zla_Nazwa": "content", "gmina-bez-pliku": "content", "gmina-zepsuta": "content",
                "gmina-nawiasy": "content", "gmina-bez-rodzaju": "content", "gmina-sierota": "content", "gmina-gleboka": "content",
                "gmina-dluga": "content", "gmina-zabita": "internal"}
    for unit_id, reason in expected.items():
        assert units[unit_id]["status"] == "failed" and units[unit_id]["reason"] == reason, (unit_id, units[unit_id])
        assert not (out / unit_id).exists(), unit_id
    # every fault named, with its file (and line)
    assert "content/Zla_Nazwa:1: błąd: Nazwa folderu podmiotu „Zla_Nazwa”" in err
    assert "content/Zla_Nazwa/zla.md:" in err  # a refused unit's pages are still checked
    assert "content/gmina-bez-pliku/unit.yaml:1: błąd: Brak pliku unit.yaml" in err
    assert "content/gmina-bez-pliku/zla.md:2: błąd [type]" in err
    assert "content/gmina-zepsuta/unit.yaml:1: błąd" in err
    assert "content/gmina-nawiasy/unit.yaml:1: błąd: YAML jest zbyt złożony" in err
    assert "content/gmina-bez-rodzaju/unit.yaml:1: błąd [kind]" in err
    assert "content/gmina-sierota/unit.yaml:" in err and "Nie ma podmiotu „powiat-nieistniejacy”" in err
    assert "content/gmina-gleboka/ogloszenia/gleboko.md:4: błąd: Strona zbyt złożona" in err
    assert "content/gmina-dluga/ogloszenia/dlugo.md:4: błąd: Akapit za długi" in err
    assert "content/gmina-zabita:1: błąd wewnętrzny: Podmiot „gmina-zabita” nie został zbudowany" in err
    assert "SIGKILL" in err
    # the poisoned history: a warning naming the commit, the deleted page's address shows its source safely
    first = git(region, "rev-list", "--max-parents=0", "HEAD").strip()
    assert f"content/gmina-historia/ogloszenia/gleboko.md:4: ostrzeżenie: Wersja tej strony z commita {first[:12]}" in err
    removed = (out / "gmina-historia/ogloszenia/gleboko/index.html").read_text(encoding="utf-8")
    assert 'class="source-text"' in removed and "&gt; &gt; &gt;" in removed and "<blockquote" not in removed
    # the portal lists the published units only
    portal = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="gmina-czysta/"' in portal and 'href="gmina-zepsuta/"' not in portal


def test_clean_units_are_byte_identical_to_a_build_of_them_alone(region: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    assert build(region, out, env={FAILPOINT: "kill:gmina-zabita"}).returncode == 3
    alone = tmp_path / "alone"
    shutil.copytree(region, alone, symlinks=True)
    for folder in (alone / "content").iterdir():
        if folder.is_dir() and folder.name not in CLEAN:
            shutil.rmtree(folder)
    alone_out = tmp_path / "alone-public"
    result = build(alone, alone_out)
    assert result.returncode == 0, result.stderr
    for unit_id in CLEAN:
        assert tree_hash(out / unit_id) == tree_hash(alone_out / unit_id), unit_id


def test_without_a_dead_worker_content_faults_exit_1_and_jobs_1_isolates_too(region: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    result = build(region, out, "--jobs", "1")
    assert result.returncode == 1, result.stderr
    units = {u["id"]: u["status"] for u in report(out)["units"]}
    assert [u for u in CLEAN + ["gmina-zabita"] if units[u] != "built"] == []


def test_a_refused_unit_keeps_its_live_site_and_its_child_builds(project, tmp_path: Path) -> None:
    files = unit_files("powiat-nadrzedny")
    files.update(unit_files("gmina-podlegla"))
    files["content/gmina-podlegla/unit.yaml"] = UNIT.replace("Gmina Testowa", "Gmina Podległa") \
        + "parent: powiat-nadrzedny\n"
    root = project(files)
    out = tmp_path / "public"
    assert build(root, out).returncode == 0
    live = tree_hash(out / "powiat-nadrzedny")
    (root / "content/powiat-nadrzedny/unit.yaml").write_text("name: [zepsute\n", encoding="utf-8")
    (root / "content/gmina-podlegla/index.md").write_text(page("Strona główna", "Nowa treść."), encoding="utf-8")
    git(root, "commit", "-qam", "Zmiany", date="2024-06-01T10:00:00+02:00")
    result = build(root, out)
    assert result.returncode == 1
    assert "content/powiat-nadrzedny/unit.yaml:1: błąd" in result.stderr
    assert "gmina-podlegla" not in result.stderr  # the child is not blamed for its parent
    assert tree_hash(out / "powiat-nadrzedny") == live  # the last published site of the parent stays live
    assert "Nowa treść." in (out / "gmina-podlegla/index.html").read_text(encoding="utf-8")
    portal = (out / "index.html").read_text(encoding="utf-8")
    # the child is still listed under its parent, as the parent was last published
    parent_at = portal.index('href="powiat-nadrzedny/"')
    assert portal.index('href="gmina-podlegla/"', parent_at) > parent_at


def test_check_never_prints_a_traceback_and_names_every_fault(region: Path) -> None:
    result = run_bip(region, "check", "--now", NOW)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    for where in ("content/Zla_Nazwa:1", "content/gmina-bez-pliku/unit.yaml:1", "content/gmina-zepsuta/unit.yaml:1",
                  "content/gmina-gleboka/ogloszenia/gleboko.md:4", "content/gmina-dluga/ogloszenia/dlugo.md:4"):
        assert where in result.stdout, where


PIECES = ["`", "``", "[", "]", "(", ")", "![", "](", "*", "_", "**", "<", ">", "<!--", "-->", "&amp;", "\\", "\n",
          "\n\n", "> ", "- ", "1. ", "    ", "|", "---", "#", "Zażółć", "x", " ", "\t", "[^1]", "<div>", "</div>",
          "http://[::1]/", "https://żółw.pl/", "\u00a0", "\x00", "\ud800", "title:", ": ", "{", "}"]


def hostile_page(rng: random.Random) -> bytes:
    """Bytes an editor might commit by mistake or an attacker on purpose: random bytes, or Markdown and
    front matter built of the pieces parsers find hardest, some repeated thousands of times."""
    kind = rng.randrange(4)
    if kind == 0:
        return rng.randbytes(rng.randrange(2000))
    body = "".join(rng.choice(PIECES) * (rng.randrange(1, 3000) if rng.random() < 0.05 else 1)
                   for _ in range(rng.randrange(400)))
    meta = "".join(rng.choice(PIECES) for _ in range(rng.randrange(20))) if kind == 1 else "title: Strona"
    return ("---\n" + meta + "\n---\n" + body).encode("utf-8", "surrogatepass")


def test_check_never_prints_a_traceback_whatever_the_bytes(project) -> None:
    """Fuzzing through the real command line: 300 hostile pages in one region (a fixed seed: the same pages on
    every run), `bip check` and `bip build` name problems and never print a traceback."""
    rng = random.Random(22)
    files = unit_files("gmina-losowa")
    files.update({f"content/gmina-losowa/strony/s{i:03}.md": hostile_page(rng) for i in range(300)})
    root = project(files)
    for command in (["check"], ["build", "--out", "wynik"]):
        result = run_bip(root, *command, "--now", NOW)
        output = result.stdout + result.stderr
        assert result.returncode in (0, 1), output[-3000:]
        assert "Traceback" not in output and "panicked" not in output and "błąd wewnętrzny" not in output


def test_a_version_todays_templates_cannot_show_is_published_as_its_source(project, tmp_path: Path) -> None:
    """History is rendered leniently: an earlier version whose data today's templates cannot show (here a
    unit's own template expects `number` to be text, an old version had a bare number) is published with
    its title and its text as source, with a warning naming the commit; the current site builds."""
    files = unit_files("gmina-szablon")
    files["content/gmina-szablon/templates/version.html"] = (
        '{% extends "page.html" %}{% block banner %}<p>Nr {% if page.meta.number %}{{ page.meta.number.upper() }}'
        '{% endif %}</p>{% endblock %}')
    files["content/gmina-szablon/uchwaly/u1.md"] = page(
        "Uchwała w sprawie drogi", "Pierwsza treść uchwały.", type="uchwala", number="5", adopted="2024-03-01",
        status="obowiązująca")
    root = project(files)
    first = git(root, "rev-parse", "HEAD").strip()
    (root / "content/gmina-szablon/uchwaly/u1.md").write_text(page(
        "Uchwała w sprawie drogi", "Druga treść uchwały.", type="uchwala", number='"V/5/2024"',
        adopted="2024-03-01", status="obowiązująca"), encoding="utf-8")
    git(root, "commit", "-qam", "Poprawiono numer", date="2024-06-01T10:00:00+02:00")
    out = tmp_path / "public"
    result = build(root, out)
    assert result.returncode == 0, result.stderr
    assert f"content/gmina-szablon/uchwaly/u1.md:8: ostrzeżenie: Wersja tej strony z commita {first[:12]}" \
        in result.stderr and "UndefinedError" in result.stderr
    old = (out / "gmina-szablon/rejestr-zmian/strony/uchwaly/u1.wersja-1.html").read_text(encoding="utf-8")
    assert 'class="source-text"' in old and "Pierwsza treść uchwały." in old
    assert "Druga treść uchwały." in (out / "gmina-szablon/uchwaly/u1/index.html").read_text(encoding="utf-8")
