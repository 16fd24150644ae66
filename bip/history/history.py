"""The History object (versions per path, per unit, blobs, dirty files) and `read_history`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bip.model import Version

from . import cache
from .blobs import BlobReader
from .errors import HistoryError
from .gitlog import Commit, log_args, parse_log, run_git

SHALLOW_HINT = (
    "Uruchom `git fetch --unshallow` albo w CI ustaw `fetch-depth: 0` (GitHub Actions) / "
    "`GIT_DEPTH: 0` (GitLab CI), albo użyj --allow-shallow"
)


class History:
    """Every version of every file under one folder, from one pass over the first-parent history.

    Dates are committer dates (when the change reached the published branch); authors are
    mailmapped author identities (who wrote the change).
    """

    def __init__(
        self,
        root: Path,
        head: str,
        commits: list[Commit],
        files: dict[str, list[Version]],
        *,
        subdir: str = "content",
        prefix: str = "",
        shallow: bool = False,
        complete_since: dt.datetime | None = None,
    ) -> None:
        self.root = root
        self.head = head
        self.shallow = shallow
        self.complete_since = complete_since
        self.subdir = subdir
        self.prefix = prefix  # where `root` lies inside the repository, "" or ending with "/"
        self._files = files
        # Newest-first sort key per commit: date, then position in the log for equal dates.
        self._rank = {c.sha: (-c.date.timestamp(), -k) for k, c in enumerate(commits)}
        self._by_unit: dict[str, list[Version]] | None = None
        self._blobs = BlobReader(root)

    @classmethod
    def empty(cls, root: Path, subdir: str = "content") -> History:
        """A history with no versions, for callers that build without git."""
        return cls(root, "", [], {}, subdir=subdir)

    # -- versions ---------------------------------------------------------------------------------

    def versions(self, path: str) -> list[Version]:
        """Oldest-first versions of the file now (or last) at `path`, across renames; [] if unknown."""
        return list(self._files.get(path, ()))

    def all_paths(self) -> list[str]:
        """Latest names of every file that is or was under the folder, deleted ones included."""
        return sorted(self._files)

    def unit_changes(self, unit_dir: str) -> list[Version]:
        """Every version touching a file under `unit_dir`, newest first (date, commit order, path).

        A rename across folders belongs to both the folder it left and the one it entered.
        """
        folder = unit_dir.strip("/")
        index = self._unit_index()
        depth = len(self.subdir.split("/")) + 1 if self.subdir else 1
        parts = folder.split("/") if folder else []
        if len(parts) >= depth:
            candidates = index.get("/".join(parts[:depth]), [])
            if len(parts) > depth:
                candidates = [v for v in candidates if _under(v.path, folder) or _under(v.old_path, folder)]
        else:
            # A rename between two units sits in both buckets; count it once.
            unique = {id(v): v for key, vs in index.items() if _under(key, folder) for v in vs}
            candidates = list(unique.values())
        rank = self._rank
        return sorted(candidates, key=lambda v: (rank[v.commit], v.path))

    def _unit_index(self) -> dict[str, list[Version]]:
        # Bucketed once by the folder right below the content folder (the unit), so a build over
        # hundreds of units does not scan the whole history once per unit.
        if self._by_unit is None:
            depth = len(self.subdir.split("/")) + 1 if self.subdir else 1
            index: dict[str, list[Version]] = {}
            for chain in self._files.values():
                for v in chain:
                    key = "/".join(v.path.split("/", depth)[:depth])
                    index.setdefault(key, []).append(v)
                    if v.old_path:
                        old_key = "/".join(v.old_path.split("/", depth)[:depth])
                        if old_key != key:
                            index.setdefault(old_key, []).append(v)
            self._by_unit = index
        return self._by_unit

    # -- blobs ------------------------------------------------------------------------------------

    def read_blob(self, blob_id: str) -> bytes:
        """The content of one blob; HistoryError if git does not have it."""
        return self._blobs.read(blob_id)

    def read_blobs(self, ids: Iterable[str]) -> dict[str, bytes]:
        """The contents of many blobs, read through the same single git process."""
        return self._blobs.read_many(ids)

    # -- working tree -----------------------------------------------------------------------------

    def dirty(self, subdir: str = "content") -> list[str]:
        """Paths under `subdir` with staged, unstaged or untracked changes (one `git status`)."""
        return self.status(subdir)[0]

    def status(self, *subdirs: str, ignored: bool = False) -> tuple[list[str], list[str]]:
        """(changed, ignored): paths under `subdirs` with staged, unstaged or untracked changes, and
        (with `ignored`) the files git ignores, in one `git status`."""
        proc = run_git(
            self.root,
            ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames",
             *(["--ignored=traditional"] if ignored else []), "--", *(subdirs or ["."])],
        )
        found: tuple[set[str], set[str]] = (set(), set())
        tokens = proc.stdout.split(b"\0")
        i = 0
        while i < len(tokens):
            entry = tokens[i]
            i += 1
            if len(entry) < 4:
                continue
            paths = [entry[3:]]
            if entry[:1] in (b"R", b"C") or entry[1:2] in (b"R", b"C"):
                paths.append(tokens[i])  # the original path follows as its own field
                i += 1
            for raw in paths:
                # Porcelain paths are relative to the repository root, not to `root`.
                path = raw.decode("utf-8", "surrogateescape")
                if path.startswith(self.prefix):
                    found[entry[:2] == b"!!"].add(path[len(self.prefix) :])
        return sorted(found[0]), sorted(found[1])

    def folder_trees(self, subdir: str = "content") -> dict[str, str] | None:
        """The git tree id at HEAD of each folder directly under `subdir` (one `git ls-tree`): a hash of
        every committed file below it. None without a HEAD or git."""
        if not self.head:
            return None
        proc = run_git(self.root, ["ls-tree", "-z", "HEAD", "--", subdir.rstrip("/") + "/"], check=False)
        if proc.returncode != 0:
            return None
        found: dict[str, str] = {}
        for entry in proc.stdout.split(b"\0"):
            meta, _, raw = entry.partition(b"\t")
            fields = meta.split()
            if len(fields) == 3 and fields[1] == b"tree":
                found[raw.decode("utf-8", "surrogateescape").rsplit("/", 1)[-1]] = fields[2].decode()
        return found

    # -- lifetime ---------------------------------------------------------------------------------

    def close(self) -> None:
        """Stop the blob reader process (it restarts if blobs are read again)."""
        self._blobs.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __getstate__(self) -> dict[str, Any]:
        # Sent to worker processes: pipes and the derived index stay behind.
        state = self.__dict__.copy()
        state["_blobs"] = None
        state["_by_unit"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._blobs = BlobReader(self.root)


def _under(path: str, folder: str) -> bool:
    return bool(path) and (not folder or path == folder or path.startswith(folder + "/"))


def read_history(
    root: Path,
    subdir: str = "content",
    cache_dir: Path | None = None,
    *,
    allow_shallow: bool = False,
    loaded: dict[tuple[str, ...], History] | None = None,
) -> History:
    """Read the history of `root/subdir` with one `git log`, or from `cache_dir` when HEAD is unchanged.

    `loaded` (a long-running process such as `bip serve`): histories read before, reused while HEAD is
    unchanged instead of being loaded again. Raises HistoryError when there is no usable repository, or
    it is shallow without `allow_shallow`.
    """
    root = Path(root)
    subdir = subdir.strip("/")
    if not root.is_dir():
        raise HistoryError(f"Folder {root} nie istnieje", "Sprawdź ścieżkę podaną w --root.")
    head, prefix, shallow = _repository_state(root, subdir)
    if shallow and not allow_shallow:
        raise HistoryError(
            "Repozytorium jest płytkie (shallow clone): rejestr zmian byłby niepełny, bo brakuje starszych commitów",
            SHALLOW_HINT,
        )
    key = (str(root.resolve()), subdir, head, prefix, str(shallow))
    if loaded is not None and key in loaded:
        return loaded[key]
    cached = None
    target = None
    if cache_dir is not None:
        target = cache.cache_file(Path(cache_dir), head, prefix, subdir, shallow)
        cached = cache.load(target, head, prefix, subdir, shallow)
    if cached is None:
        earlier = None if target is None or shallow else _earlier(root, target, prefix, subdir)
        since = earlier[0] if earlier else ""
        commits, files = parse_log(run_git(root, log_args(subdir, since)).stdout, earlier[1] if earlier else None)
        if target is not None:
            cache.dump(target, head, prefix, subdir, shallow, commits, files)
    else:
        commits, files = cached
    complete_since = commits[0].date if shallow and commits else None
    history = History(
        root, head, commits, files, subdir=subdir, prefix=prefix, shallow=shallow, complete_since=complete_since
    )
    if loaded is not None:
        loaded.clear()  # only the latest HEAD is asked for again
        loaded[key] = history
    return history


def _earlier(
    root: Path, target: Path, prefix: str, subdir: str
) -> tuple[str, tuple[list[Commit], dict[str, list[Version]]]] | None:
    """The cached history of an earlier HEAD that the current one continues on its first-parent line
    (the usual push: commits added on top), to read only the commits after it. None otherwise (a
    rewritten or unrelated history is read whole)."""
    for path in sorted(cache.earlier_files(target)):
        old_head = cache.head_of(path)
        cached = cache.load(path, old_head, prefix, subdir, False)
        if cached is None:
            continue
        # The oldest commit after old_head on the first-parent line must have old_head as its first parent.
        proc = run_git(root, ["rev-list", "--first-parent", "--parents", f"{old_head}..HEAD"], check=False)
        chain = proc.stdout.decode("ascii", "replace").strip().split("\n") if proc.returncode == 0 else []
        if chain and chain[-1].split()[1:2] == [old_head]:
            return old_head, cached
    return None


def _repository_state(root: Path, subdir: str) -> tuple[str, str, bool]:
    """(HEAD, prefix of root in the repository, shallow) with a single `git rev-parse`."""
    proc = run_git(root, ["rev-parse", "--is-shallow-repository", "--show-prefix", "HEAD"], check=False)
    lines = proc.stdout.decode("utf-8", "surrogateescape").split("\n")
    if proc.returncode == 0 and len(lines) >= 3:
        return lines[2].strip(), lines[1], lines[0].strip() == "true"
    if lines[0].strip() in ("true", "false"):
        # Inside a repository, but HEAD does not resolve: nothing has been committed yet.
        raise HistoryError(
            "Repozytorium git nie ma jeszcze żadnego commita, więc nie ma z czego zbudować rejestru zmian",
            f'git add {subdir or "."}; git commit -m "Pierwsza wersja treści"',
        )
    stderr = proc.stderr.decode("utf-8", "replace")
    if "dubious ownership" in stderr:
        raise HistoryError(
            "Git odmawia pracy w tym repozytorium, bo należy ono do innego użytkownika systemu",
            f"git config --global --add safe.directory {root.resolve()}",
        )
    raise HistoryError(
        "Treść nie jest w repozytorium git — rejestr zmian powstaje z historii git",
        f'git init; git add {subdir or "."}; git commit -m "Pierwsza wersja treści"',
    )
