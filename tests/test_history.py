"""bip.history against real git repositories built in temporary folders."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from bip.history import SHALLOW_HINT, History, HistoryError, read_history
from bip.history.blobs import PIPE_ROOM, BlobReader
from bip.history.gitlog import parse_log
from bip.model import Version

ANNA = ("Anna Kowalska", "anna@gmina.pl")
JAN = ("Jan Nowak", "jan@gmina.pl")
ZOFIA = ("Zofia Wiśniewska", "zofia@gmina.pl")

PDF_1 = b"%PDF-1.4\n\x00\x01\x02\xff binary one\n%%EOF\n"
PDF_2 = b"%PDF-1.7\n\x00\xfe\xfd second \x00 version\n%%EOF\n"
U1_V1 = "---\ntitle: Uchwała 1\n---\nTreść pierwsza.\nParagraf 2.\nParagraf 3.\nParagraf 4.\n"
U1_V2 = U1_V1.replace("Paragraf 2.", "Paragraf 2 poprawiony.")
U1_V3 = U1_V2.replace("Paragraf 3.", "Paragraf 3 poprawiony.")
U1_V4 = U1_V3 + "Podpisano.\n"
MULTILINE = "Poprawka uchwały nr 1\n\nZmieniono paragraf 2.\nUzgodniono z radcą prawnym."

GIT = shutil.which("git") or "git"


def tz(hours: int) -> dt.timezone:
    return dt.timezone(dt.timedelta(hours=hours))


def git(cwd: Path, *args: str, who: tuple[str, str] = ANNA, date: str = "", committed: str = "") -> str:
    """Run git with a fixed identity and dates and without the user's configuration."""
    env = dict(os.environ)
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME=who[0],
        GIT_AUTHOR_EMAIL=who[1],
        GIT_COMMITTER_NAME=who[0],
        GIT_COMMITTER_EMAIL=who[1],
    )
    if date:
        env["GIT_AUTHOR_DATE"] = date
        env["GIT_COMMITTER_DATE"] = committed or date
    proc = subprocess.run(
        [GIT, "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        check=True,
    )
    return proc.stdout.decode().strip()


def write(root: Path, rel: str, data: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)


def commit(root: Path, message: str, who: tuple[str, str], date: str, committed: str = "") -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, who=who, date=date, committed=committed)
    return git(root, "rev-parse", "HEAD")


def small_repo(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    write(root, "content/gmina/a.md", "a\n")
    commit(root, "Start", ANNA, "2024-03-01T10:00:00+01:00")
    return root


@pytest.fixture(autouse=True)
def _no_parent_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A temporary folder must never be taken for part of some enclosing repository.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A BIP with two units, five commits by three editors: add, edits, rename, delete, binaries."""
    root = tmp_path_factory.mktemp("bip")
    git(root, "init", "-q")
    write(root, "README.md", "not content\n")
    write(root, "content/gmina/index.md", "---\ntitle: Gmina\n---\n")
    write(root, "content/gmina/uchwaly/u1.md", U1_V1)
    write(root, "content/gmina/Uchwała nr 1.md", "Pierwsza.\n")
    write(root, "content/gmina/stara.md", "Do usunięcia.\n")
    write(root, "content/gmina/zalaczniki/zal.pdf", PDF_1)
    write(root, "content/powiat/index.md", "---\ntitle: Powiat\n---\n")
    c1 = commit(root, "Pierwsza wersja BIP", ANNA, "2024-01-10T09:00:00+01:00")
    write(root, "content/gmina/uchwaly/u1.md", U1_V2)
    # Written on the 5th, reached the published branch on the 11th: the registry uses the latter.
    c2 = commit(root, MULTILINE, JAN, "2024-01-05T08:00:00+01:00", committed="2024-01-11T10:30:00+01:00")
    write(root, "content/gmina/uchwaly/u1.md", U1_V3)
    write(root, "content/gmina/zalaczniki/zal.pdf", PDF_2)
    c3 = commit(root, "Nowy załącznik", ANNA, "2024-01-12T12:00:00+01:00")
    git(root, "mv", "content/gmina/uchwaly/u1.md", "content/gmina/uchwaly/uchwala-1.md")
    write(root, "content/gmina/uchwaly/uchwala-1.md", U1_V4)
    # Same committer second as c3 (a rebase does that): commit order breaks the tie.
    c4 = commit(root, "Zmiana adresu uchwały", JAN, "2024-01-12T12:00:00+01:00")
    (root / "content/gmina/stara.md").unlink()
    write(root, "content/gmina/Uchwała nr 1.md", "Pierwsza, poprawiona.\n")
    write(root, "README.md", "still not content\n")
    c5 = commit(root, "Usunięcie starej strony", ZOFIA, "2024-02-01T08:15:00+00:00")
    return root, [c1, c2, c3, c4, c5]


def brief(versions: list[Version]) -> list[tuple[str, str, str, str]]:
    return [(v.commit, v.change, v.path, v.old_path) for v in versions]


# -- versions ---------------------------------------------------------------------------------------


def test_head_and_paths(repo: tuple[Path, list[str]]) -> None:
    root, commits = repo
    history = read_history(root)
    assert history.head == commits[-1]
    assert history.shallow is False and history.complete_since is None
    assert history.all_paths() == [
        "content/gmina/Uchwała nr 1.md",
        "content/gmina/index.md",
        "content/gmina/stara.md",
        "content/gmina/uchwaly/uchwala-1.md",
        "content/gmina/zalaczniki/zal.pdf",
        "content/powiat/index.md",
    ]


def test_rename_keeps_earlier_versions(repo: tuple[Path, list[str]]) -> None:
    root, (c1, c2, c3, c4, _c5) = repo
    history = read_history(root)
    versions = history.versions("content/gmina/uchwaly/uchwala-1.md")
    old, new = "content/gmina/uchwaly/u1.md", "content/gmina/uchwaly/uchwala-1.md"
    assert brief(versions) == [(c1, "A", old, ""), (c2, "M", old, ""), (c3, "M", old, ""), (c4, "R", new, old)]
    contents = history.read_blobs([v.blob for v in versions])
    assert [contents[v.blob].decode() for v in versions] == [U1_V1, U1_V2, U1_V3, U1_V4]
    assert history.versions(old) == []  # the file lives on under its new name only


def test_authors_dates_and_messages(repo: tuple[Path, list[str]]) -> None:
    root, _commits = repo
    a, b, c, d = read_history(root).versions("content/gmina/uchwaly/uchwala-1.md")
    assert [(v.author_name, v.author_email) for v in (a, b, c, d)] == [ANNA, JAN, ANNA, JAN]
    assert a.date == dt.datetime(2024, 1, 10, 9, 0, tzinfo=tz(1))
    assert a.date.utcoffset() == dt.timedelta(hours=1)
    assert b.date == dt.datetime(2024, 1, 11, 10, 30, tzinfo=tz(1))  # committer date, not author date
    assert c.date == d.date == dt.datetime(2024, 1, 12, 12, 0, tzinfo=tz(1))
    assert a.message == "Pierwsza wersja BIP"
    assert b.message == MULTILINE


def test_deleted_file_is_kept(repo: tuple[Path, list[str]]) -> None:
    root, (c1, _c2, _c3, _c4, c5) = repo
    history = read_history(root)
    versions = history.versions("content/gmina/stara.md")
    assert brief(versions) == [(c1, "A", "content/gmina/stara.md", ""), (c5, "D", "content/gmina/stara.md", "")]
    assert versions[-1].blob == ""
    assert versions[-1].author_name == "Zofia Wiśniewska"
    assert versions[-1].date == dt.datetime(2024, 2, 1, 8, 15, tzinfo=dt.UTC)
    assert history.read_blob(versions[0].blob) == "Do usunięcia.\n".encode()


def test_polish_path_with_spaces(repo: tuple[Path, list[str]]) -> None:
    root, (c1, _c2, _c3, _c4, c5) = repo
    history = read_history(root)
    path = "content/gmina/Uchwała nr 1.md"
    versions = history.versions(path)
    assert brief(versions) == [(c1, "A", path, ""), (c5, "M", path, "")]
    assert history.read_blob(versions[1].blob) == b"Pierwsza, poprawiona.\n"


def test_binary_attachment_both_versions(repo: tuple[Path, list[str]]) -> None:
    root, (c1, _c2, c3, _c4, _c5) = repo
    history = read_history(root)
    first, second = history.versions("content/gmina/zalaczniki/zal.pdf")
    assert (first.commit, first.change, second.commit, second.change) == (c1, "A", c3, "M")
    assert history.read_blob(first.blob) == PDF_1
    assert history.read_blob(second.blob) == PDF_2
    assert history.read_blobs([second.blob, first.blob, first.blob]) == {first.blob: PDF_1, second.blob: PDF_2}


def test_files_outside_content_are_ignored(repo: tuple[Path, list[str]]) -> None:
    root, _commits = repo
    history = read_history(root)
    assert history.versions("README.md") == []
    assert all(p.startswith("content/") for p in history.all_paths())


def test_unit_changes_newest_first_in_a_total_order(repo: tuple[Path, list[str]]) -> None:
    root, (c1, c2, c3, c4, c5) = repo
    history = read_history(root)
    gmina = "content/gmina/"
    assert brief(history.unit_changes(gmina)) == [
        (c5, "M", gmina + "Uchwała nr 1.md", ""),
        (c5, "D", gmina + "stara.md", ""),
        (c4, "R", gmina + "uchwaly/uchwala-1.md", gmina + "uchwaly/u1.md"),
        (c3, "M", gmina + "uchwaly/u1.md", ""),
        (c3, "M", gmina + "zalaczniki/zal.pdf", ""),
        (c2, "M", gmina + "uchwaly/u1.md", ""),
        (c1, "A", gmina + "Uchwała nr 1.md", ""),
        (c1, "A", gmina + "index.md", ""),
        (c1, "A", gmina + "stara.md", ""),
        (c1, "A", gmina + "uchwaly/u1.md", ""),
        (c1, "A", gmina + "zalaczniki/zal.pdf", ""),
    ]
    assert history.unit_changes("content/gmina") == history.unit_changes(gmina)
    assert brief(history.unit_changes("content/powiat")) == [(c1, "A", "content/powiat/index.md", "")]
    assert [v.path for v in history.unit_changes("content/gmina/uchwaly")] == [
        gmina + "uchwaly/uchwala-1.md",
        gmina + "uchwaly/u1.md",
        gmina + "uchwaly/u1.md",
        gmina + "uchwaly/u1.md",
    ]
    everything = history.unit_changes("content")
    assert len(everything) == 12 and everything[-1].path == "content/powiat/index.md"
    assert history.unit_changes("content/nieznana") == []


def test_rename_between_units_belongs_to_both(tmp_path: Path) -> None:
    root = small_repo(tmp_path)
    (root / "content/powiat").mkdir()
    git(root, "mv", "content/gmina/a.md", "content/powiat/a.md")
    c2 = commit(root, "Przeniesienie", JAN, "2024-03-02T10:00:00+01:00")
    history = read_history(root)
    move = (c2, "R", "content/powiat/a.md", "content/gmina/a.md")
    assert brief(history.unit_changes("content/gmina"))[0] == move
    assert brief(history.unit_changes("content/powiat")) == [move]
    assert len(history.unit_changes("content")) == 2


def test_recreated_path_continues_its_registry(tmp_path: Path) -> None:
    root = small_repo(tmp_path)
    (root / "content/gmina/a.md").unlink()
    c2 = commit(root, "Usunięcie", JAN, "2024-03-02T10:00:00+01:00")
    write(root, "content/gmina/a.md", "nowa treść\n")
    c3 = commit(root, "Ponowna publikacja", JAN, "2024-03-03T10:00:00+01:00")
    changes = [(v.commit, v.change) for v in read_history(root).versions("content/gmina/a.md")]
    assert changes[1:] == [(c2, "D"), (c3, "A")]


def test_rename_onto_a_deleted_path_merges_both_registries(tmp_path: Path) -> None:
    root = small_repo(tmp_path)
    c1 = git(root, "rev-parse", "HEAD")
    write(root, "content/gmina/b.md", "Treść strony B, dość długa, by git rozpoznał przeniesienie.\n")
    c2 = commit(root, "B", ANNA, "2024-03-02T10:00:00+01:00")
    (root / "content/gmina/a.md").unlink()
    c3 = commit(root, "Usunięcie A", ANNA, "2024-03-03T10:00:00+01:00")
    git(root, "mv", "content/gmina/b.md", "content/gmina/a.md")
    c4 = commit(root, "B zastępuje A", JAN, "2024-03-04T10:00:00+01:00")
    history = read_history(root)
    a, b = "content/gmina/a.md", "content/gmina/b.md"
    assert brief(history.versions(a)) == [(c1, "A", a, ""), (c2, "A", b, ""), (c3, "D", a, ""), (c4, "R", a, b)]
    assert history.all_paths() == [a]


def test_merge_is_attributed_to_the_merge_commit(tmp_path: Path) -> None:
    root = small_repo(tmp_path)
    git(root, "checkout", "-q", "-b", "zmiana")
    write(root, "content/gmina/a.md", "z gałęzi\n")
    commit(root, "Zmiana na gałęzi", JAN, "2024-03-02T10:00:00+01:00")
    git(root, "checkout", "-q", "main")
    write(root, "content/gmina/b.md", "b\n")
    commit(root, "Równoległa zmiana", ANNA, "2024-03-03T10:00:00+01:00")
    git(root, "merge", "-q", "--no-ff", "zmiana", "-m", "Scalenie: zmiana", who=ZOFIA, date="2024-03-04T10:00:00+01:00")
    merge = git(root, "rev-parse", "HEAD")
    last = read_history(root).versions("content/gmina/a.md")[-1]
    assert (last.commit, last.change, last.author_name, last.message) == (merge, "M", ZOFIA[0], "Scalenie: zmiana")
    assert last.date == dt.datetime(2024, 3, 4, 10, 0, tzinfo=tz(1))


def test_project_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    write(tmp_path, "bip/content/gmina/a.md", "a\n")
    write(tmp_path, "content/inne.md", "not ours\n")
    commit(tmp_path, "Start", ANNA, "2024-03-01T10:00:00+01:00")
    write(tmp_path, "bip/content/gmina/a.md", "b\n")
    write(tmp_path, "bip/content/gmina/nowy.md", "c\n")
    history = read_history(tmp_path / "bip")
    assert history.all_paths() == ["content/gmina/a.md"]
    assert history.dirty() == ["content/gmina/a.md", "content/gmina/nowy.md"]


# -- working tree -----------------------------------------------------------------------------------


def test_dirty_reports_modified_staged_and_untracked(tmp_path: Path) -> None:
    root = small_repo(tmp_path)
    write(root, "content/gmina/b.md", "b\n")
    commit(root, "B", ANNA, "2024-03-02T10:00:00+01:00")
    history = read_history(root)
    assert history.dirty() == []
    write(root, "content/gmina/a.md", "changed\n")
    write(root, "content/gmina/nowe/Załącznik 1.md", "untracked\n")
    write(root, "content/gmina/staged.md", "staged\n")
    git(root, "add", "content/gmina/staged.md")
    git(root, "rm", "-q", "content/gmina/b.md")
    write(root, "README.md", "outside content\n")
    assert history.dirty() == [
        "content/gmina/a.md",
        "content/gmina/b.md",
        "content/gmina/nowe/Załącznik 1.md",
        "content/gmina/staged.md",
    ]
    assert history.dirty("content/gmina/nowe") == ["content/gmina/nowe/Załącznik 1.md"]


# -- cache ------------------------------------------------------------------------------------------


@pytest.fixture
def git_calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Put a logging `git` first on PATH; returns the file where each call's arguments land."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    calls = tmp_path / "git-calls.txt"
    calls.touch()
    wrapper = bindir / "git"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{calls}"\nexec "{GIT}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    return calls


def logs(calls: Path) -> int:
    return sum(" log " in f" {line} " for line in calls.read_text().splitlines())


@pytest.mark.skipif(os.name != "posix", reason="the logging git wrapper is a shell script")
def test_cache_reused_while_head_is_unchanged(tmp_path: Path, git_calls: Path) -> None:
    root = small_repo(tmp_path / "repo")
    cache_dir = tmp_path / "cache"
    first = read_history(root, cache_dir=cache_dir)
    assert logs(git_calls) == 1
    git_calls.write_text("")
    second = read_history(root, cache_dir=cache_dir)
    (call,) = git_calls.read_text().splitlines()  # one `git rev-parse`, nothing else
    assert "rev-parse" in call
    assert second.head == first.head
    for path in first.all_paths():
        assert second.versions(path) == first.versions(path)

    write(root, "content/gmina/a.md", "new\n")
    commit(root, "Nowa", JAN, "2024-03-02T10:00:00+01:00")
    third = read_history(root, cache_dir=cache_dir)
    assert logs(git_calls) == 1 and len(third.versions("content/gmina/a.md")) == 2
    assert [p.name for p in cached(cache_dir) if p.name.startswith("head-")] == [f"head-{third.head}.json"]


def cached(cache_dir: Path) -> list[Path]:
    """The files of the history cache: one index per HEAD (head-*.json) and the parts it names."""
    (folder,) = cache_dir.iterdir()
    return sorted(folder.iterdir())


def everything(history: History) -> tuple[str, list[tuple[str, list[Version]]]]:
    return history.head, [(path, history.versions(path)) for path in history.all_paths()]


def log_ranges(calls: Path) -> list[str]:
    """The revision range of each `git log` call ("" for a whole log)."""
    return [next((a for a in line.split() if ".." in a), "") for line in calls.read_text().splitlines()
            if " log " in f" {line} "]


@pytest.mark.skipif(os.name != "posix", reason="the logging git wrapper is a shell script")
def test_new_commits_on_top_are_read_alone_and_give_the_same_history(tmp_path: Path, git_calls: Path) -> None:
    root = small_repo(tmp_path / "repo")
    write(root, "content/gmina/b.md", "b\n")
    write(root, "content/gmina/c.md", "c\n")
    commit(root, "Druga", JAN, "2024-03-02T10:00:00+01:00")
    cache_dir = tmp_path / "cache"
    read_history(root, cache_dir=cache_dir)
    start = git(root, "rev-parse", "HEAD")
    # on top: an edit, a rename, a deletion, a rename onto the deleted path, a merged branch
    write(root, "content/gmina/a.md", "a2\n")
    commit(root, "Edycja", ANNA, "2024-03-03T10:00:00+01:00")
    git(root, "mv", "content/gmina/b.md", "content/gmina/b2.md")
    commit(root, "Nowy adres", JAN, "2024-03-04T10:00:00+01:00")
    (root / "content/gmina/c.md").unlink()
    commit(root, "Usunięcie", ZOFIA, "2024-03-05T10:00:00+01:00")
    git(root, "mv", "content/gmina/b2.md", "content/gmina/c.md")
    commit(root, "Na miejsce usuniętej", JAN, "2024-03-06T10:00:00+01:00")
    git(root, "checkout", "-q", "-b", "zmiana")
    write(root, "content/gmina/a.md", "z gałęzi\n")
    commit(root, "Zmiana na gałęzi", JAN, "2024-03-07T10:00:00+01:00")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "zmiana", "-m", "Scalenie", who=ZOFIA, date="2024-03-08T10:00:00+01:00")
    git_calls.write_text("")
    incremental = read_history(root, cache_dir=cache_dir)
    assert log_ranges(git_calls) == [f"{start}..{git(root, 'rev-parse', 'HEAD')}"]
    whole = read_history(root)
    assert everything(incremental) == everything(whole)
    assert [v.change for v in incremental.versions("content/gmina/c.md")] == ["A", "A", "R", "D", "R"]
    # the extended history was cached for the new HEAD: read again, nothing is logged
    git_calls.write_text("")
    assert everything(read_history(root, cache_dir=cache_dir)) == everything(whole)
    assert log_ranges(git_calls) == []


def test_after_a_push_only_the_touched_units_are_cached_anew(tmp_path: Path) -> None:
    """Units' versions are kept in parts: new commits rewrite the parts of the units they touch, and a
    file renamed from one unit into another belongs to both (its versions, each unit's signature)."""
    root = small_repo(tmp_path / "repo")
    write(root, "content/powiat/p.md", "p\n")
    write(root, "content/szkola/s.md", "s\n")
    write(root, "content/szkola/przeniesiony.md", "do przeniesienia\n")
    commit(root, "Trzy podmioty", JAN, "2024-03-02T10:00:00+01:00")
    cache_dir = tmp_path / "cache"
    units = ["content/gmina", "content/powiat", "content/szkola"]

    def parts(history: History) -> dict[str, str]:
        return {u: history._stored.buckets[u].part for u in units}  # noqa: SLF001

    before = parts(read_history(root, cache_dir=cache_dir))
    git(root, "mv", "content/szkola/przeniesiony.md", "content/gmina/przeniesiony.md")
    commit(root, "Przeniesienie do gminy", ZOFIA, "2024-03-03T10:00:00+01:00")
    write(root, "content/gmina/przeniesiony.md", "zmieniony\n")
    commit(root, "Zmiana po przeniesieniu", ANNA, "2024-03-04T10:00:00+01:00")
    extended = read_history(root, cache_dir=cache_dir)  # the new commits read alone
    after = parts(extended)
    assert after["content/powiat"] == before["content/powiat"]  # not touched: its part stays
    assert after["content/gmina"] != before["content/gmina"] and after["content/szkola"] != before["content/szkola"]
    whole = read_history(root)
    for history in (extended, read_history(root, cache_dir=cache_dir)):
        # the second is read from the index alone: signatures first, versions when asked for
        assert [history.signature(u) for u in units] == [whole.signature(u) for u in units]
        assert [v.change for v in history.unit_changes("content/szkola")] == ["R", "A", "A"]
        for unit in units:
            assert history.unit_changes(unit) == whole.unit_changes(unit)
        assert history.paths_under("content/gmina") == ["content/gmina/a.md", "content/gmina/przeniesiony.md"]
        assert everything(history) == everything(whole)
    assert len([p for p in cached(cache_dir) if p.name.startswith("part-")]) == 3  # earlier parts removed
    # the signatures of the units are those of a history read whole, and tell the units apart
    assert len({whole.signature(u) for u in units}) == 3


def test_units_asked_one_by_one_load_their_parts_and_index_each_path_once(tmp_path: Path, monkeypatch) -> None:
    """A build asks for each unit's files in turn (the ledger's check, each worker's units), loading the
    units' parts one by one: the index of paths by unit grows with each part instead of being made again
    over every path loaded so far (which was quadratic in the units: 6 s for 300 units)."""
    from bip.history import cache

    root = small_repo(tmp_path / "repo")
    units = [f"content/podmiot-{n:02}" for n in range(24)]
    for number, unit in enumerate(units):
        for page in range(3):
            write(root, f"{unit}/strona-{page}.md", f"{number} {page}\n")
    write(root, "content/podmiot-05/przeniesiony.md", "do przeniesienia\n")
    commit(root, "Podmioty", JAN, "2024-03-02T10:00:00+01:00")
    git(root, "mv", "content/podmiot-05/przeniesiony.md", "content/podmiot-17/przeniesiony.md")
    commit(root, "Przeniesienie", ZOFIA, "2024-03-03T10:00:00+01:00")
    cache_dir = tmp_path / "cache"
    read_history(root, cache_dir=cache_dir)
    whole = read_history(root)
    lazy = read_history(root, cache_dir=cache_dir)  # from the cache: no part loaded yet
    calls = []
    counted = cache.bucket_of

    def bucket_of(path: str, subdir: str) -> str:
        calls.append(path)
        return counted(path, subdir)

    monkeypatch.setattr(cache, "bucket_of", bucket_of)
    found = {unit: lazy.paths_under(unit) for unit in ["content/gmina", *units]}
    assert len(calls) <= len(whole.all_paths()) + 1  # each path placed once (the moved one: by both its parts)
    monkeypatch.undo()
    assert found == {unit: whole.paths_under(unit) for unit in found}
    assert "content/podmiot-17/przeniesiony.md" in found["content/podmiot-17"]
    assert everything(lazy) == everything(whole)


@pytest.mark.skipif(os.name != "posix", reason="the logging git wrapper is a shell script")
@pytest.mark.parametrize("rewrite", ["amend", "merged side", "unrelated"])
def test_rewritten_history_is_read_whole(tmp_path: Path, git_calls: Path, rewrite: str) -> None:
    root = small_repo(tmp_path / "repo")
    write(root, "content/gmina/b.md", "b\n")
    cached_head = commit(root, "Druga", JAN, "2024-03-02T10:00:00+01:00")
    cache_dir = tmp_path / "cache"
    if rewrite == "merged side":
        # the cached HEAD was a side branch later merged: an ancestor, but not on the first-parent line
        git(root, "checkout", "-q", "-b", "boczna")
        git(root, "checkout", "-q", "main")
        git(root, "reset", "-q", "--hard", "HEAD~1")
        write(root, "content/gmina/d.md", "d\n")
        commit(root, "Równoległa", ANNA, "2024-03-03T10:00:00+01:00")
        git(root, "checkout", "-q", "boczna")
        read_history(root, cache_dir=cache_dir)
        git(root, "checkout", "-q", "main")
        git(root, "merge", "-q", "--no-ff", "boczna", "-m", "Scalenie", who=ZOFIA, date="2024-03-04T10:00:00+01:00")
    else:
        read_history(root, cache_dir=cache_dir)
        if rewrite == "amend":
            write(root, "content/gmina/b.md", "b poprawione\n")
            git(root, "add", "-A")
            git(root, "commit", "-q", "--amend", "-m", "Druga, poprawiona", date="2024-03-02T11:00:00+01:00")
        else:
            git(root, "checkout", "-q", "--orphan", "nowa")
            git(root, "rm", "-q", "-r", "--cached", ".")
            write(root, "content/gmina/z.md", "z\n")
            commit(root, "Od nowa", ANNA, "2024-04-01T10:00:00+01:00")
    assert git(root, "rev-parse", "HEAD") != cached_head
    git_calls.write_text("")
    history = read_history(root, cache_dir=cache_dir)
    assert log_ranges(git_calls) == [""]
    assert everything(history) == everything(read_history(root))


@pytest.mark.skipif(os.name != "posix", reason="the logging git wrapper is a shell script")
def test_a_history_kept_in_memory_is_reused_while_head_stays(tmp_path: Path, git_calls: Path) -> None:
    root = small_repo(tmp_path / "repo")
    loaded: dict = {}
    first = read_history(root, cache_dir=tmp_path / "cache", loaded=loaded)
    (tmp_path / "cache").rename(tmp_path / "elsewhere")  # not read from disk either
    git_calls.write_text("")
    assert read_history(root, cache_dir=tmp_path / "cache", loaded=loaded) is first
    (call,) = git_calls.read_text().splitlines()  # one `git rev-parse` for HEAD, nothing else
    assert "rev-parse" in call
    write(root, "content/gmina/a.md", "new\n")
    commit(root, "Nowa", JAN, "2024-03-02T10:00:00+01:00")
    second = read_history(root, cache_dir=tmp_path / "cache", loaded=loaded)
    assert second is not first and len(second.versions("content/gmina/a.md")) == 2
    assert list(loaded.values()) == [second]  # only the latest is kept


@pytest.mark.skipif(os.name != "posix", reason="the logging git wrapper is a shell script")
@pytest.mark.parametrize("which", ["head", "part"])
@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: b"garbage",
        lambda raw: raw[: len(raw) // 2],
        lambda raw: raw.replace(b"Anna Kowalska", b"Anna Kowalsky").replace(b"content/", b"kontent/"),  # checksum
        lambda raw: b"",
    ],
)
def test_corrupt_cache_is_rebuilt(tmp_path: Path, git_calls: Path, damage, which: str) -> None:
    root = small_repo(tmp_path / "repo")
    cache_dir = tmp_path / "cache"
    read_history(root, cache_dir=cache_dir)
    (cache_file,) = [p for p in cached(cache_dir) if p.name.startswith(which)]
    cache_file.write_bytes(damage(cache_file.read_bytes()))
    history = read_history(root, cache_dir=cache_dir)
    assert history.versions("content/gmina/a.md")[0].author_name == "Anna Kowalska"
    assert logs(git_calls) == 2  # a damaged index is found when read, a damaged part when its versions are
    read_history(root, cache_dir=cache_dir).versions("content/gmina/a.md")
    assert logs(git_calls) == 2  # the rebuilt files are good again


def test_missing_part_is_read_from_git(tmp_path: Path) -> None:
    root = small_repo(tmp_path / "repo")
    cache_dir = tmp_path / "cache"
    first = read_history(root, cache_dir=cache_dir)
    history = read_history(root, cache_dir=cache_dir)  # from the index: no versions loaded yet
    for path in cached(cache_dir):
        if path.name.startswith("part-"):
            path.unlink()
    assert everything(history) == everything(first)
    assert history.signature("content/gmina") == first.signature("content/gmina")


def test_the_whole_history_files_of_the_previous_format_are_removed(tmp_path: Path) -> None:
    root = small_repo(tmp_path / "repo")
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    legacy = cache_dir / f"history-1-0123456789abcdef-{git(root, 'rev-parse', 'HEAD')}.json"
    legacy.write_text("{}")
    other = cache_dir / "notatka.txt"
    other.write_text("nie historia")
    assert read_history(root, cache_dir=cache_dir).versions("content/gmina/a.md")
    assert not legacy.exists() and other.exists()


def test_unwritable_cache_dir_is_not_an_error(tmp_path: Path) -> None:
    root = small_repo(tmp_path / "repo")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert read_history(root, cache_dir=blocker / "cache").versions("content/gmina/a.md")


def test_history_pickles_for_worker_processes(repo: tuple[Path, list[str]]) -> None:
    root, _commits = repo
    history = read_history(root)
    path = "content/gmina/zalaczniki/zal.pdf"
    history.read_blob(history.versions(path)[0].blob)  # the blob process is running
    copy = pickle.loads(pickle.dumps(history))
    assert copy.versions(path) == history.versions(path)
    assert copy.read_blob(copy.versions(path)[1].blob) == PDF_2
    copy.close()
    history.close()


# -- errors -----------------------------------------------------------------------------------------


def test_not_a_repository(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    with pytest.raises(HistoryError) as info:
        read_history(tmp_path)
    assert info.value.message.startswith("Treść nie jest w repozytorium git")
    assert "git init" in info.value.hint and "git add content" in info.value.hint


def test_repository_without_commits(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    with pytest.raises(HistoryError, match="żadnego commita"):
        read_history(tmp_path)


def test_git_not_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(HistoryError, match="Nie znaleziono programu git"):
        read_history(tmp_path)


def test_shallow_clone(tmp_path: Path) -> None:
    origin = small_repo(tmp_path / "origin")
    write(origin, "content/gmina/a.md", "v2\n")
    head = commit(origin, "Druga", JAN, "2024-03-05T10:00:00+01:00")
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", "clone")
    clone = tmp_path / "clone"
    with pytest.raises(HistoryError) as info:
        read_history(clone)
    assert "niepełny" in info.value.message
    assert info.value.hint == SHALLOW_HINT and "fetch-depth: 0" in info.value.hint
    history = read_history(clone, allow_shallow=True)
    assert history.shallow is True and history.head == head
    assert history.complete_since == dt.datetime(2024, 3, 5, 10, 0, tzinfo=tz(1))
    assert brief(history.versions("content/gmina/a.md")) == [(head, "A", "content/gmina/a.md", "")]


def test_unknown_blob(repo: tuple[Path, list[str]]) -> None:
    root, _commits = repo
    history = read_history(root)
    with pytest.raises(HistoryError, match="Brak w repozytorium"):
        history.read_blob("0123456789" * 4)
    with pytest.raises(HistoryError):
        history.read_blob("HEAD:README.md")
    assert history.read_blob(history.versions("content/powiat/index.md")[0].blob).startswith(b"---")


def test_empty_history() -> None:
    history = History.empty(Path("."))
    assert (history.head, history.all_paths(), history.unit_changes("content/x")) == ("", [], [])


@pytest.mark.parametrize("stream", [b"\x1ebip-commit\x00abc", b"\x1ebip-commit\x00" + b"x\x00" * 5, b"bogus\x00"])
def test_foreign_log_stream_is_an_error(stream: bytes) -> None:
    with pytest.raises(HistoryError, match="Nieoczekiwany format"):
        parse_log(stream)


def test_blobs_read_before_are_kept_in_memory_but_not_large_ones(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "content/gmina").mkdir(parents=True)
    (root / "content/gmina/a.md").write_text("---\ntitle: A\n---\nTreść.\n", encoding="utf-8")
    (root / "content/gmina/plan.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(300 << 10))
    env = {**os.environ, "GIT_AUTHOR_NAME": "Anna", "GIT_AUTHOR_EMAIL": "a@example.org",
           "GIT_COMMITTER_NAME": "Anna", "GIT_COMMITTER_EMAIL": "a@example.org"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "Dodano stronę i plan"]):
        subprocess.run(["git", *args], cwd=root, check=True, env=env)
    history = read_history(root)
    small = history.versions("content/gmina/a.md")[0].blob
    large = history.versions("content/gmina/plan.pdf")[0].blob
    first = history.read_blobs([small, large])
    # the objects disappear from the repository: what was kept is still there, the rest is read from git
    for blob in (small, large):
        (root / ".git/objects" / blob[:2] / blob[2:]).unlink()
    assert history.read_blob(small) == first[small] == "---\ntitle: A\n---\nTreść.\n".encode()
    with pytest.raises(HistoryError, match="Brak w repozytorium"):
        history.read_blob(large)


def test_blob_reader_reads_few_and_many_blobs(tmp_path: Path) -> None:
    # a few requests are written to git directly; thousands (more than a pipe holds, with git's answers
    # filling the other pipe) from a thread: both give every blob's bytes, and a missing one is an error
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    contents = [f"wersja {n}\n".encode() * (n % 7 + 1) for n in range(3000)]
    ids = subprocess.run(["git", "hash-object", "-w", "--stdin-paths"], cwd=repo, check=True, capture_output=True,
                         input="\n".join(_written(tmp_path, contents)).encode()).stdout.decode().split()
    reader = BlobReader(repo)
    try:
        assert reader.read(ids[5]) == contents[5]
        assert len(ids) * 41 > PIPE_ROOM * 10
        assert reader.read_many(ids) == dict(zip(ids, contents, strict=True))
        with pytest.raises(HistoryError):
            reader.read_many([ids[1], "0" * 40])
        assert reader.read_many(ids[:3]) == dict(zip(ids[:3], contents[:3], strict=True))
    finally:
        reader.close()


def _written(folder: Path, contents: list[bytes]) -> list[str]:
    paths = []
    for n, data in enumerate(contents):
        path = folder / f"blob-{n}"
        path.write_bytes(data)
        paths.append(str(path))
    return paths


def test_a_whole_log_reads_the_packs_ahead_and_a_log_since_a_cached_head_does_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bip.history.history as history_module

    git(tmp_path, "init", "-q")
    write(tmp_path, "bip/content/gmina/a.md", "a\n")
    commit(tmp_path, "Start", ANNA, "2024-03-01T10:00:00+01:00")
    git(tmp_path, "gc", "-q")  # the objects in a pack
    packs = sorted(str(p) for p in (tmp_path / ".git" / "objects" / "pack").glob("*.pack"))
    assert packs
    asked: list[list[str]] = []
    monkeypatch.setattr(history_module, "read_ahead", lambda paths: asked.append(list(paths)))
    cache = tmp_path / "cache"
    read_history(tmp_path / "bip", cache_dir=cache)  # from a subfolder: the packs are the repository's
    assert [[os.path.realpath(p) for p in call] for call in asked] == [packs]

    write(tmp_path, "bip/content/gmina/a.md", "b\n")
    commit(tmp_path, "Zmiana", ANNA, "2024-03-02T10:00:00+01:00")
    asked.clear()
    assert read_history(tmp_path / "bip", cache_dir=cache).head == git(tmp_path, "rev-parse", "HEAD")
    assert asked == []  # only the new commit was read

    monkeypatch.setattr(history_module, "PACKS_READ_AHEAD", 100)  # packs larger than that are left alone
    read_history(tmp_path / "bip")
    assert asked == []
