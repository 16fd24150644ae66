"""The command line as an editor meets it, always through the real `bip` in a fresh process: Polish help and
usage errors with no English left, "did you mean", the project found from any folder inside it, the wrong
place or an unreadable folder as a Polish sentence with a fix (never a traceback), and `bip search`."""

from __future__ import annotations

import argparse
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import NOW, UNIT, basic_files, commit_files, git, page, run_bip, write_files

from bip.argparse_pl import CATALOGUE, PLURALS
from bip.cli import COMMANDS, make_parser

# English an untranslated argparse or an untranslated option would show: every word of argparse's own
# texts (msgids) and every argument's English name (what argparse shows when an argument has no metavar)
POLISH_TOO = {"one", "most", "can", "open", "match", "string", "program", "version"}


def english_words() -> set[str]:
    texts = [*CATALOGUE, *(m for pair in PLURALS for m in pair)]
    texts += re.findall(r"_\('([^']+)'\)", inspect.getsource(argparse))
    words = {w.lower() for text in texts for w in re.findall(r"[A-Za-z]{3,}", text)} - POLISH_TOO
    parser = make_parser()
    for sub in parser._subparsers._group_actions[0].choices.values():  # type: ignore[union-attr]
        for action in sub._actions:
            if action.dest not in ("help", "unit", "root", "out", "port", "format", "json"):
                words.add(action.dest.lower())
    return words | {"usage", "options", "arguments", "error", "default", "required", "invalid", "choose"}


ENGLISH = english_words()
CODE = re.compile(r"--?[a-z][\w-]*|\bbip [a-z]+|[\w./-]+\.(?:yaml|md|json)\b|\{[a-z,]+\}|https?://\S+|"
                  r"\b(?:text|json|build|merge|check|serve|new|search|schema|demo)\b")


def english_in(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]+", CODE.sub(" ", text))} & ENGLISH


def test_the_english_detector_detects_argparse_english() -> None:
    assert english_in("usage: bip [-h]\n\npositional arguments:\n  -h, --help  show this help message and exit")
    assert english_in("bip: error: the following arguments are required: title, --unit")
    assert not english_in("użycie: bip [-h]\n\nopcje:\n  -h, --help  pokaż tę pomoc i zakończ")


@pytest.mark.parametrize("command", [None, *sorted(COMMANDS)])
def test_help_is_polish_throughout(tmp_path: Path, command: str | None) -> None:
    proc = run_bip(tmp_path, *([command] if command else []), "--help")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("użycie: bip")
    assert "opcje:" in proc.stdout and "pokaż tę pomoc i zakończ" in proc.stdout
    assert not english_in(proc.stdout), english_in(proc.stdout)
    if command:
        parser = make_parser()
        sub = parser._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
        for action in sub._actions:  # every option is described, with its default where it has one
            assert action.help, (command, action.dest)
            if action.option_strings and action.default not in (None, False, [], argparse.SUPPRESS):
                entries = re.findall(r"^  (-.*?)(?=^  -|^\S|\Z)", proc.stdout.split("\nopcje:\n", 1)[1],
                                     re.MULTILINE | re.DOTALL)
                described = next(e for e in entries if e.startswith(", ".join(action.option_strings)))
                assert "domyślnie" in described, (command, action.dest, described)


@pytest.mark.parametrize("args", [
    [],
    ["serach", "budżet"],
    ["build", "--jobs", "dużo"],
    ["build", "--allow", "x"],
    ["build", "--nieznana"],
    ["build", "--shard", "5/4"],
    ["check", "--format", "xml"],
    ["check", "--now", "wczoraj"],
    ["new"],
    ["new", "uchwla", "Tytuł", "--unit", "gmina-testowa"],
    ["new", "uchwala", "Tytuł", "--unit"],
    ["merge"],
    ["search", "--year", "dwa tysiące"],
    ["search", "budżet", "--type", "uhwała"],
    ["serve", "--port", "99999"],
    ["demo"],
])
def test_usage_errors_are_polish_with_exit_code_2(tmp_path: Path, args: list[str]) -> None:
    proc = run_bip(tmp_path, *args)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("użycie: bip"), proc.stderr
    assert "bip: błąd użycia: " in proc.stderr and "Traceback" not in proc.stderr
    assert not english_in(proc.stderr), (english_in(proc.stderr), proc.stderr)


@pytest.mark.parametrize(("args", "expected"), [
    (["serach", "budżet"], "POLECENIE: nieznane polecenie „serach” (dozwolone: build, merge, check, serve, new, "
                           "search, schema, policy, demo). Czy chodziło o „search”?"),
    (["new", "uchwla", "Tytuł", "--unit", "x"], "RODZAJ: nieznany rodzaj dokumentu „uchwla” (dozwolone: etr, nabor, "
                                                "ogloszenie, oswiadczenie, petycja, protokol, strona, uchwala, zamowienie, "
                                                "zarzadzenie). Czy chodziło o „uchwala”?"),
    (["search", "x", "--type", "zarzadzenei"], "Czy chodziło o „zarzadzenie”?"),
    (["new"], "brak wymaganych argumentów: RODZAJ, TYTUŁ, --unit"),
    (["check", "--format", "xml"], "--format: nieznana wartość „xml” (dozwolone: text, json)."),
])
def test_usage_errors_say_what_and_suggest(tmp_path: Path, args: list[str], expected: str) -> None:
    proc = run_bip(tmp_path, *args)
    assert expected in proc.stderr


@pytest.mark.parametrize("command", [["build"], ["new", "strona", "Tytuł"], ["serve", "--port", "0"], ["search", "budżet"]])
def test_a_mistyped_unit_gets_did_you_mean(project, command: list[str]) -> None:
    root = project()
    proc = run_bip(root, *command, "--unit", "gmina-testow")
    assert proc.returncode == 2
    assert proc.stderr == ("bip: Nie ma podmiotu „gmina-testow” (brak folderu content/gmina-testow/). Czy chodziło o "
                           "„gmina-testowa”? Identyfikator podmiotu to nazwa jego folderu w content/.\n")


def test_commands_find_the_project_from_a_subfolder(project) -> None:
    root = project()
    inside = root / "content" / "gmina-testowa" / "uchwaly"
    checked = run_bip(inside, "check", "--now", NOW)
    assert (checked.returncode, checked.stdout) == (0, "Nie znaleziono problemów.\n"), checked.stderr
    built = run_bip(inside, "build", "--now", NOW)
    assert built.returncode == 0, built.stderr
    assert (root / "public" / "gmina-testowa" / "index.html").is_file() and not (inside / "public").exists()
    made = run_bip(inside, "new", "ogłoszenie", "--unit", "gmina-testowa", "Ogłoszenie z podfolderu")
    assert made.returncode == 0, made.stderr
    assert (inside / made.stdout.strip()).resolve() == root / "content/gmina-testowa/ogloszenia/ogloszenie-z-podfolderu.md"
    found = run_bip(inside, "search", "budżetu", "--json")
    assert found.returncode == 0 and json.loads(found.stdout)["count"] == 1


def test_root_option_wins_over_the_current_folder(project, tmp_path: Path) -> None:
    root = project()
    other = tmp_path / "inny"
    write_files(other, {"content/region.yaml": "name: Inny region\n", "content/x/unit.yaml": "name: X\n"})
    proc = run_bip(other / "content", "check", "--root", str(root), "--now", NOW)
    assert (proc.returncode, proc.stdout) == (0, "Nie znaleziono problemów.\n"), proc.stderr


def test_git_top_level_without_content_is_a_usage_error(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    proc = run_bip(repo / "docs", "check")
    assert proc.returncode == 2
    assert proc.stderr == (f"bip: W folderze {repo.resolve()} nie ma folderu content/. Przejdź do folderu repozytorium "
                           "BIP (tego, w którym jest folder content/) albo podaj go w --root.\n")


@pytest.mark.parametrize("command", ["check", "build", "serve", "search", "merge"])
def test_outside_any_project_is_a_usage_error(tmp_path: Path, command: str) -> None:
    args = {"search": ["budżet"], "merge": ["a", "--out", "b"]}.get(command, [])
    proc = run_bip(tmp_path, command, *args)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"bip: Nie znaleziono projektu BIP: ani {tmp_path.resolve()}, ani żaden folder nad nim")
    assert proc.stderr.endswith("albo podaj go w --root.\n") and "Traceback" not in proc.stderr


def without_root_privileges() -> list[str]:
    """A prefix that runs a command without the power to read any file (what root has), or [] when not root."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv (util-linux): cannot make a folder unreadable")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


def test_unreadable_content_folder_is_an_environment_error(project) -> None:
    root = project()
    content = root / "content"
    content.chmod(0)
    try:
        proc = subprocess.run([*without_root_privileges(), sys.executable, "-m", "bip", "check"], cwd=root,
                              capture_output=True, text=True, timeout=120, env={**os.environ, "CI": ""})
    finally:
        content.chmod(0o755)
    assert proc.returncode == 3
    assert proc.stderr == (f"bip: Nie można odczytać {content}: brak uprawnień. Sprawdź uprawnienia (ls -ld {content}) "
                           "albo uruchom polecenie jako użytkownik, do którego należy repozytorium.\n")


# --- bip search ------------------------------------------------------------------------------------------

def region_files() -> dict[str, str | bytes]:
    files = {**basic_files("gmina-alfa"), **basic_files("gmina-beta")}
    files["content/gmina-beta/uchwaly/uchwala-xii-123-2024.md"] = page(
        "Uchwała w sprawie zmian w budżecie gminy", "Rada Gminy zmienia budżet.", type="uchwala",
        number='"XIII/130/2025"', adopted="2025-02-10", status="obowiązująca")
    files["content/gmina-beta/ogloszenia/budzet.md"] = page("Ogłoszenie o konsultacjach budżetu", "Konsultacje budżetu.",
                                                            type="ogloszenie", created="2024-05-02")
    files["content/gmina-beta/unit.yaml"] = UNIT.replace("Gmina Testowa", "Gmina Beta")
    files["content/gmina-alfa/unit.yaml"] = UNIT.replace("Gmina Testowa", "Gmina Alfa")
    return files


@pytest.fixture(scope="module")
def built_region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("szukaj") / "projekt"
    root.mkdir()
    commit_files(root, region_files())
    before = run_bip(root, "search", "budżet")
    assert before.returncode == 2
    assert before.stderr == ("bip: Nie ma jeszcze indeksu wyszukiwania: zapisuje go budowa serwisu. "
                             "Uruchom najpierw: bip build\n")
    built = run_bip(root, "build", "--now", NOW)
    assert built.returncode == 0, built.stderr
    return root


def test_search_before_the_first_build_is_a_clear_polish_error(project) -> None:
    root = project()
    proc = run_bip(root, "search", "budżet")
    assert proc.returncode == 2
    assert proc.stderr == ("bip: Nie ma jeszcze indeksu wyszukiwania: zapisuje go budowa serwisu. "
                           "Uruchom najpierw: bip build\n")
    unit = run_bip(root, "search", "budżet", "--unit", "gmina-testowa")
    assert unit.stderr == ("bip: Podmiot „gmina-testowa” nie ma jeszcze indeksu wyszukiwania. Zbuduj go najpierw: "
                           "bip build --unit gmina-testowa\n")


def test_search_the_whole_region_as_the_site_search_lists_it(built_region: Path) -> None:
    proc = run_bip(built_region / "content", "search", "zmiany", "w", "budżecie")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("Znaleziono ") and lines[0].endswith(" dla „zmiany w budżecie”:")
    assert lines[2:6] == [
        "1. Uchwała w sprawie zmian w budżecie gminy",
        "   Uchwała · 10 lutego 2025 · XIII/130/2025 · Gmina Beta",  # the unit is named: several units are searched
        "   https://bip.example/gmina-beta/uchwaly/uchwala-xii-123-2024/",
        "   Rada Gminy zmienia *budżet*.",
    ]
    both = run_bip(built_region, "search", "budżet", "--type", "uchwała")
    assert {u for u in ("Gmina Alfa", "Gmina Beta") if u in both.stdout} == {"Gmina Alfa", "Gmina Beta"}


def test_search_filters(built_region: Path) -> None:
    one = run_bip(built_region, "search", "budżet", "--unit", "gmina-alfa")
    assert one.returncode == 0 and "gmina-beta" not in one.stdout
    assert "   Uchwała · 1 marca 2024 · XII/123/2024\n" in one.stdout  # one unit: not named, as on its own site
    typed = run_bip(built_region, "search", "budżet", "--type", "ogłoszenie")
    assert typed.returncode == 0
    assert re.findall(r"^\d+\. (.*)$", typed.stdout, re.MULTILINE) == ["Ogłoszenie o konsultacjach budżetu"]
    assert "(rodzaj: Ogłoszenie)" in typed.stdout.splitlines()[0]
    year = run_bip(built_region, "search", "--type", "uchwała", "--year", "2025")
    assert re.findall(r"^\d+\. (.*)$", year.stdout, re.MULTILINE) == ["Uchwała w sprawie zmian w budżecie gminy"]
    limited = run_bip(built_region, "search", "budżet", "--limit", "1")
    assert len(re.findall(r"^\d+\. ", limited.stdout, re.MULTILINE)) == 1
    nothing = run_bip(built_region, "search", "kwiatki")
    assert (nothing.returncode, nothing.stdout) == (0, "Brak wyników dla „kwiatki”.\n")


def test_search_json(built_region: Path) -> None:
    proc = run_bip(built_region, "search", "budżet", "--type", "uchwala", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert (data["query"], data["type"], data["count"]) == ("budżet", "uchwala", 2)
    first = data["results"][0]
    assert set(first) >= {"title", "unit_id", "unit_name", "url", "address", "type", "type_label", "date", "number",
                          "score", "snippet_html"}
    assert {r["address"] for r in data["results"]} == {
        "https://bip.example/gmina-alfa/uchwaly/uchwala-xii-123-2024/",
        "https://bip.example/gmina-beta/uchwaly/uchwala-xii-123-2024/"}


def test_a_flood_of_warnings_shows_the_first_and_counts_the_rest_per_unit():
    import io

    from bip.cli import print_problems
    from bip.problems import Problems

    problems = Problems()
    for i in range(5):
        problems.warning(f"content/gmina-{i % 2}/strona-{i}.md", 1, "", "Ostrzeżenie.")
    problems.warning("content/region.yaml", 3, "", "Ostrzeżenie regionu.")
    problems.error("content/gmina-0/unit.yaml", 1, "", "Błąd.")
    out = io.StringIO()
    print_problems(problems, out, limit=2)
    lines = out.getvalue().splitlines()
    assert lines[:3] == ["content/gmina-0/strona-0.md:1: ostrzeżenie: Ostrzeżenie.",
                         "content/gmina-0/strona-2.md:1: ostrzeżenie: Ostrzeżenie.",
                         "content/gmina-0/unit.yaml:1: błąd: Błąd."]  # every error, whatever the limit
    assert lines[4].startswith("… i 4 dalszych ostrzeżeń")
    assert lines[5:8] == ["  content/gmina-0: 1", "  content/gmina-1: 2", "  content/region.yaml: 1"]
    assert lines[-1] == "Błędów: 1, ostrzeżeń: 6."
    everything = io.StringIO()
    print_problems(problems, everything)
    assert everything.getvalue().count("ostrzeżenie:") == 6
    again = io.StringIO()
    print_problems(problems, again, limit=2)
    assert again.getvalue() == out.getvalue()


def test_report_rows_are_what_json_writes_for_each_problem():
    """The build report's problem rows are written by hand over the C string encoder: byte for byte what
    json.dumps gives, for quotes, backslashes, control characters, lone surrogates and Polish letters."""
    import dataclasses
    import json

    from bip.cli import report_json
    from bip.problems import Problem, problem_rows

    problems = [
        Problem("content/gmina-ąę/a \"b\".md", 7, "attachments.0.file", "Załącznik „x\\y”\n\t\x00\x1f",
                "→ zrób \u2028 to", "warning", lasting=True),
        Problem("content/region.yaml", 1, "", "\udcff bajt", "", "error", internal=True, detail="Traceback\n  x"),
        Problem("content/b.md", 12, "k", "</script> & 'quote'", "hint", "warning"),
    ]
    expected = [json.dumps(dataclasses.asdict(p), ensure_ascii=False) for p in problems]
    assert problem_rows(problems) == expected
    text = b"".join(report_json({"ok": True, "units": [{"unit": "gmina"}], "problems": problems})).decode()
    assert json.loads(text)["problems"] == [dataclasses.asdict(p) for p in problems]


def test_warnings_kept_in_blocks_are_shown_and_reported_as_loose_ones():
    """A no-change build repeats each unchanged unit's warnings from its memo as a block, never made one
    problem at a time unless needed: the summary, the report and --strict see what they see of the same
    problems added one by one, also where a block shares its span with another problem."""
    import io

    from bip.cli import print_problems, report_json
    from bip.problems import Problem, Problems, WarningBlock, encoded_rows

    def warning(unit: str, n: int, lasting: bool = False) -> Problem:
        return Problem(f"content/{unit}/strona-{n}.md", n, "", f"Ostrzeżenie „{n}” \udcff.", "Popraw.", "warning",
                       lasting=lasting)

    units = {unit: [warning(unit, n, lasting=unit == "gmina-c") for n in range(1, 5)]
             for unit in ("gmina-a", "gmina-b", "gmina-c", "gmina-d")}
    loose = [Problem("content/region.yaml", 2, "", "Region.", "", "warning"),
             Problem("content/gmina-b/unit.yaml", 1, "", "Błąd.", "", "error"),
             units["gmina-d"][2],  # the same warning added twice: once loose, once in the block
             Problem("content/gmina-d/strona-2.md", 5, "", "Inne.", "", "warning")]  # inside gmina-d's span
    one_by_one, blocked = Problems(), Problems()
    for found in units.values():
        one_by_one.extend(found)
        rows = [tuple(getattr(p, f) for f in Problem.__dataclass_fields__) for p in found]
        block = WarningBlock.of(rows, encoded_rows(found))
        assert block is not None
        blocked.add_block(block)
    one_by_one.extend(loose)
    blocked.extend(loose)
    assert WarningBlock.of(list(reversed(rows)), b"") is None  # out of order: not a block
    assert blocked.strict_units() == one_by_one.strict_units() == {"gmina-a", "gmina-b", "gmina-d", ""}

    def shown(problems: Problems, limit: int | None) -> str:
        out = io.StringIO()
        print_problems(problems, out, limit=limit)
        return out.getvalue()

    for limit in (0, 2, 6, 9, None):
        assert shown(blocked, limit) == shown(one_by_one, limit)
    assert "  content/gmina-c: 4" in shown(blocked, 2)
    report = {"ok": True, "problems": blocked}
    assert b"".join(report_json(report)) == b"".join(report_json({**report, "problems": one_by_one}))
    assert json.loads(b"".join(report_json(report)))["problems"][0]["message"] == "Ostrzeżenie „1” \udcff."
    assert len(blocked) == len(one_by_one) == 19
    assert blocked.sorted() == one_by_one.sorted()
    assert b"".join(report_json({"problems": Problems()})) == b'{\n  "problems": []\n}\n'


# --- the command's process --------------------------------------------------------------------------------

RUN_SCRIPT = """
import atexit, sys, threading, time
from pathlib import Path
from bip import cli

out = Path(sys.argv[1])

class Teardown:
    def __init__(self, path):
        self.path, self.open = path, open  # what __del__ needs, kept: the teardown clears module globals
    def __del__(self):
        with self.open(self.path, "w") as file:
            file.write("freed")

kept = Teardown(str(out / "teardown"))  # freed only by the interpreter's teardown

def late():
    time.sleep(0.3)
    (out / "thread").write_text("joined")

def command(argv=None):
    threading.Thread(target=late).start()  # not a daemon: the exit waits for it
    print("x" * 200_000)  # more than a pipe's buffer: written whole only if flushed
    print("ostatnia linia")
    return 4

atexit.register(lambda: (out / "handler").write_text("ran"))
cli.main = command
cli.run()
"""


def test_the_command_process_ends_after_its_threads_handlers_and_output_but_skips_the_teardown(tmp_path):
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # output to a pipe stays in a buffer
    proc = subprocess.run([sys.executable, "-c", RUN_SCRIPT, str(tmp_path)], capture_output=True, text=True,
                          timeout=60, env=buffered)
    assert proc.returncode == 4, proc.stderr
    assert proc.stdout == "x" * 200_000 + "\nostatnia linia\n"
    assert proc.stderr == ""
    assert (tmp_path / "thread").read_text() == "joined"
    assert (tmp_path / "handler").read_text() == "ran"
    assert not (tmp_path / "teardown").exists()
    # the same script ended the usual way frees the object (so the check above can fail)
    usual = subprocess.run([sys.executable, "-c", RUN_SCRIPT.replace("cli.run()", "raise SystemExit(cli.main())"),
                            str(tmp_path)], capture_output=True, text=True, timeout=60, env=buffered)
    assert usual.returncode == 4
    assert (tmp_path / "teardown").read_text() == "freed"
