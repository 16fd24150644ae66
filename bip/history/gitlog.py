"""Running git and parsing the single `git log --raw -z` stream into per-file version chains."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from bip.model import Version

from .errors import HistoryError

# Starts every commit header in the log stream; raw diff entries start with ":" instead.
MARK = b"\x1ebip-commit"
LOG_FORMAT = "%x1ebip-commit%x00%H%x00%aN%x00%aE%x00%cI%x00%B"

# Options a user's git config could change in ways that would corrupt or empty the stream.
_CONFIG = ("-c", "log.showRoot=true", "-c", "log.showSignature=false", "-c", "core.quotepath=false")

_ZERO_BLOBS = {b"0" * 40, b"0" * 64}
_GITLINK = b"160000"


def git_env() -> dict[str, str]:
    env = dict(os.environ)
    # Stable English diagnostics, no credential prompts, and `git status` must not take
    # index.lock while an editor may be committing at the same moment.
    env.update(LC_ALL="C", LANGUAGE="C", GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0")
    return env


def run_git(root: Path, args: Sequence[str], check: bool = True) -> subprocess.CompletedProcess[bytes]:
    """Run one git command in `root`, capturing bytes; HistoryError if git is missing or fails."""
    try:
        proc = subprocess.run(["git", *_CONFIG, *args], cwd=root, env=git_env(), capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise HistoryError(
            "Nie znaleziono programu git — rejestr zmian powstaje z historii git",
            "Zainstaluj git (https://git-scm.com/downloads) i upewnij się, że jest w PATH.",
        ) from exc
    if check and proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise HistoryError(
            f"Polecenie `git {args[0]}` zakończyło się błędem: {detail[-1] if detail else proc.returncode}",
            "Sprawdź stan repozytorium poleceniem `git status`.",
        )
    return proc


def start_git(root: Path, args: Sequence[str]) -> subprocess.Popen[bytes] | None:
    """Start one git command in `root` with its output captured (None if git is not there)."""
    try:
        return subprocess.Popen(["git", *_CONFIG, *args], cwd=root, env=git_env(), stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL)
    except OSError:
        return None


def log_args(subdir: str, since: str = "", tip: str = "HEAD") -> list[str]:
    """`git log` of `subdir` up to `tip`: all of it or (`since`: a commit on the first-parent line) what
    came after."""
    # --first-parent -m: the published branch is the first-parent line; a merge is shown as its
    # diff against the first parent, so merged work is dated and attributed to the merge, and each
    # file's blob chain equals what the published branch actually had (conflict fixes included).
    return [
        "log", "--reverse", "--first-parent", "-m", "--raw", "-z", "-M", "--no-abbrev",
        "--relative", "--no-show-signature", "--no-color", "--encoding=UTF-8",
        f"--format={LOG_FORMAT}", f"{since}..{tip}" if since else tip, "--", subdir or ".",
    ]  # fmt: skip


class Commit:
    """The shared part of all versions made by one commit."""

    __slots__ = ("sha", "author_name", "author_email", "date", "message")

    def __init__(self, sha: str, author_name: str, author_email: str, date: dt.datetime, message: str):
        self.sha = sha
        self.author_name = author_name
        self.author_email = author_email
        self.date = date
        self.message = message

    def version(self, change: str, path: str, old_path: str = "", blob: str = "") -> Version:
        return Version(
            self.sha, self.author_name, self.author_email, self.date, self.message, change, path, old_path, blob
        )


_UNEXPECTED = (
    "Nieoczekiwany format wyjścia `git log`",
    "Zaktualizuj git do wersji 2.20 lub nowszej i zgłoś błąd, jeśli problem pozostanie.",
)


Entry = tuple[str, str, str, str]  # (change, path, old_path, blob) of one file in one commit
Record = tuple[Commit, list[Entry], bool]  # a commit, its entries, whether it renames


def parse_log(
    data: bytes, earlier: tuple[list[Commit], dict[str, list[Version]]] | None = None
) -> tuple[list[Commit], dict[str, list[Version]]]:
    """Parse the stream of `log_args` into commits (oldest first) and chains keyed by latest path.

    A chain holds every version of one file, oldest first, across renames; a path that is deleted
    and later re-created continues the same chain, since it is the same address in the BIP.
    With `earlier` (what the log up to some commit gave; taken over and extended), `data` is the log
    of the commits after it.
    """
    return apply_log(read_log(data), *(earlier or ([], {})))


def read_log(data: bytes) -> list[Record]:
    """The commits of the stream and each one's file entries, not yet joined into chains."""
    try:
        return _read(data)
    except (IndexError, ValueError) as exc:  # a cut or foreign stream: too few fields, no ISO date
        raise HistoryError(*_UNEXPECTED) from exc


def log_paths(records: list[Record]) -> set[str]:
    """Every path the records name, before and after renames: the chains that applying them touches."""
    return {p for _commit, entries, _renames in records for _c, path, old, _b in entries for p in (path, old) if p}


def apply_log(
    records: list[Record], commits: list[Commit], chains: dict[str, list[Version]]
) -> tuple[list[Commit], dict[str, list[Version]]]:
    """Extend `commits` and `chains` (all of them, or at least every chain the records touch) in place."""
    order = {c.sha: k for k, c in enumerate(commits)}  # commit id → position in the log, for merging chains
    for commit, entries, renames in records:
        order[commit.sha] = len(commits)
        commits.append(commit)
        if entries:
            _apply(commit, entries, renames, chains, order)
    return commits, chains


def _read(data: bytes) -> list[Record]:
    tokens = data.split(b"\0")
    n = len(tokens)
    names: dict[bytes, str] = {}  # decoded path cache: paths repeat across many commits

    def name(raw: bytes) -> str:
        text = names.get(raw)
        if text is None:
            text = names[raw] = raw.decode("utf-8", "surrogateescape")
        return text

    records: list[Record] = []
    commit: Commit | None = None
    entries: list[Entry] = []
    renames = False
    i = 0
    while True:
        tok = tokens[i] if i < n else MARK
        if tok[:1] == b"\n":
            tok = tok.lstrip(b"\n")  # git puts a newline between the header and the first entry
        if tok[:1] == b":":
            # ":oldmode newmode oldblob newblob STATUS" then one path, or two for R/C.
            parts = tok.split(b" ")
            status = parts[4][:1]
            path = tokens[i + 1]
            i += 2
            old = b""
            if status in (b"R", b"C"):
                old, path = path, tokens[i]
                i += 1
            if parts[1] == _GITLINK or parts[0] == b":" + _GITLINK:
                continue  # submodules are not content
            blob = "" if parts[3] in _ZERO_BLOBS else parts[3].decode("ascii")
            if status == b"R":
                renames = True
                entries.append(("R", name(path), name(old), blob))
            elif status == b"C":
                entries.append(("A", name(path), "", blob))  # a copy is a new file; its source stays
            elif status == b"D":
                entries.append(("D", name(path), "", ""))
            elif status == b"A":
                entries.append(("A", name(path), "", blob))
            else:  # M, T (type change) and anything newer git may add
                entries.append(("M", name(path), "", blob))
            continue
        if tok != MARK:
            if tok == b"":
                i += 1
                continue
            raise HistoryError(*_UNEXPECTED)
        if commit is not None:
            records.append((commit, entries, renames))
        if i >= n:
            break
        sha, author_name, author_email, date, message = tokens[i + 1 : i + 6]
        commit = Commit(
            sha.decode("ascii"),
            author_name.decode("utf-8", "replace"),
            author_email.decode("utf-8", "replace"),
            dt.datetime.fromisoformat(date.decode("ascii")),
            message.decode("utf-8", "replace").rstrip(),
        )
        entries = []
        renames = False
        i += 6
    return records


def _apply(
    commit: Commit,
    entries: list[Entry],
    renames: bool,
    chains: dict[str, list[Version]],
    order: dict[str, int],
) -> None:
    # Rename sources are detached first so that swaps (a→b, b→a) and "git mv a b; new a" in one
    # commit do not mix chains.
    moved: dict[str, list[Version]] = {}
    if renames:
        for change, _path, old, _blob in entries:
            if change == "R":
                moved[old] = chains.pop(old, [])
    for change, path, old, blob in entries:
        version = commit.version(change, path, old, blob)
        if change == "R":
            chain = moved.pop(old, [])
            earlier = chains.get(path)
            if earlier:
                # The target once held another, since deleted, file: keep both histories in time order.
                chain = sorted(earlier + chain, key=lambda v: order[v.commit])
            chain.append(version)
            chains[path] = chain
        else:
            chain = chains.get(path)
            if chain is None:
                chains[path] = [version]
            else:
                chain.append(version)
