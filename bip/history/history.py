"""The History object (versions per path, per unit, blobs, dirty files) and `read_history`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bip.load.readahead import read_ahead
from bip.model import Version

from . import cache
from .blobs import BlobReader
from .errors import HistoryError
from .gitlog import Commit, apply_log, log_args, log_paths, parse_log, read_log, run_git, start_git

SHALLOW_HINT = (
    "Uruchom `git fetch --unshallow` albo w CI ustaw `fetch-depth: 0` (GitHub Actions) / "
    "`GIT_DEPTH: 0` (GitLab CI), albo użyj --allow-shallow"
)


class History:
    """Every version of every file under one folder, from one pass over the first-parent history.

    Dates are committer dates (when the change reached the published branch); authors are
    mailmapped author identities (who wrote the change). Read from a cache index, the versions of
    each unit folder are loaded when first asked for (`stored`); its signature needs none of them.
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
        stored: cache.Index | None = None,
    ) -> None:
        self.root = root
        self.head = head
        self.shallow = shallow
        self.complete_since = complete_since
        self.subdir = subdir
        self.prefix = prefix  # where `root` lies inside the repository, "" or ending with "/"
        self._files = files  # every chain, or (with `stored`) those of the buckets loaded so far
        self._commits = commits
        # Newest-first sort key per commit: date, then position in the log for equal dates.
        self._rank = {c.sha: (-c.date.timestamp(), -k) for k, c in enumerate(commits)}
        self._by_unit: dict[str, list[Version]] | None = None
        self._paths_by_bucket: dict[str, list[str]] | None = None  # made when first asked, extended as parts load
        self._blobs = BlobReader(root)
        self._stored = stored
        self._loaded: set[str] = set()
        self._also: dict[str, set[str]] = {}  # bucket → the other buckets whose chains touch it
        self._signatures = {b: e.signature for b, e in stored.buckets.items()} if stored else None
        for bucket, entry in (stored.buckets.items() if stored else ()):
            for other in entry.touches:
                self._also.setdefault(other, set()).add(bucket)

    @classmethod
    def empty(cls, root: Path, subdir: str = "content") -> History:
        """A history with no versions, for callers that build without git."""
        return cls(root, "", [], {}, subdir=subdir)

    # -- versions ---------------------------------------------------------------------------------

    def versions(self, path: str) -> list[Version]:
        """Oldest-first versions of the file now (or last) at `path`, across renames; [] if unknown."""
        self._need([cache.bucket_of(path, self.subdir)])
        return list(self._files.get(path, ()))

    def all_paths(self) -> list[str]:
        """Latest names of every file that is or was under the folder, deleted ones included."""
        self._need(None)
        return sorted(self._files)

    def paths_under(self, folder: str) -> list[str]:
        """Latest names of every file that is or was under `folder`, deleted ones included."""
        folder = folder.strip("/")
        bucket = self._bucket(folder)
        self._need(None if bucket is None else [bucket])
        if bucket is None:
            return sorted(p for p in self._files if _under(p, folder))
        if self._paths_by_bucket is None:  # each unit's registry asks: one pass, not one over all paths per unit
            self._paths_by_bucket = {}
            for path in self._files:
                self._paths_by_bucket.setdefault(cache.bucket_of(path, self.subdir), []).append(path)
        return sorted(p for p in self._paths_by_bucket.get(bucket, ()) if _under(p, folder))

    def unit_changes(self, unit_dir: str) -> list[Version]:
        """Every version touching a file under `unit_dir`, newest first (date, commit order, path).

        A rename across folders belongs to both the folder it left and the one it entered.
        """
        folder = unit_dir.strip("/")
        bucket = self._bucket(folder)
        self._need(None if bucket is None else [bucket, *sorted(self._also.get(bucket, ()))])
        index = self._unit_index()
        if bucket is not None:
            candidates = index.get(bucket, [])
            if bucket != folder:
                candidates = [v for v in candidates if _under(v.path, folder) or _under(v.old_path, folder)]
        else:
            # A rename between two units sits in both buckets; count it once.
            unique = {id(v): v for key, vs in index.items() if _under(key, folder) for v in vs}
            candidates = list(unique.values())
        rank = self._rank
        return sorted(candidates, key=lambda v: (rank[v.commit], v.path))

    def signature(self, unit_dir: str) -> str:
        """A digest of every version touching `unit_dir` (a unit's history input to its fingerprint)."""
        folder = unit_dir.strip("/")
        if self._signatures is not None and self._bucket(folder) == folder:
            return self._signatures.get(folder) or self._digest([])
        return self._digest(self.unit_changes(folder))

    def _digest(self, versions: list[Version]) -> str:
        digest = hashlib.sha256(self.head.encode() if self.shallow else b"")
        for version in versions:
            digest.update(f"{version.commit}\0{version.path}\0{version.change}\0{version.blob}\n".encode())
        return digest.hexdigest()

    def _bucket(self, folder: str) -> str | None:
        """The bucket (the folder right below the content folder) that `folder` is or lies in; None
        when `folder` is above the buckets."""
        depth = len(self.subdir.split("/")) + 1 if self.subdir else 1
        parts = folder.split("/") if folder else []
        return "/".join(parts[:depth]) if len(parts) >= depth else None

    def _need(self, buckets: list[str] | None) -> None:
        """Load the chains of `buckets` (None: all) from the cache, if not yet in memory."""
        stored = self._stored
        if stored is None:
            return
        wanted = stored.buckets if buckets is None else buckets
        missing = sorted(b for b in wanted if b not in self._loaded and b in stored.buckets)
        for bucket in missing:
            chains = cache.load_part(stored.folder, stored.buckets[bucket].part, self._commits)
            if chains is None:  # removed or damaged since the index was read: read the log instead
                self._read_whole()
                return
            if self._paths_by_bucket is not None:  # kept, not made again: the units are asked for one by one
                for path in chains:
                    if path not in self._files:
                        self._paths_by_bucket.setdefault(cache.bucket_of(path, self.subdir), []).append(path)
            self._files.update(chains)
            self._loaded.add(bucket)
            if self._by_unit is not None:
                self._index_chains(chains.values(), self._by_unit)
        if buckets is None:
            self._stored = None  # everything is in memory

    def _read_whole(self) -> None:
        folder = self._stored.folder if self._stored else None
        fresh = _read_log(self.root, self.head, self.prefix, self.subdir, self.shallow, folder, whole=True)
        self._commits, self._files, self._rank = fresh._commits, fresh._files, fresh._rank
        self._stored, self._by_unit, self._paths_by_bucket = None, None, None

    def _unit_index(self) -> dict[str, list[Version]]:
        # Bucketed once by the folder right below the content folder (the unit), so a build over
        # hundreds of units does not scan the whole history once per unit; extended as parts load.
        if self._by_unit is None:
            self._by_unit = {}
            self._index_chains(self._files.values(), self._by_unit)
        return self._by_unit

    def _index_chains(self, chains: Iterable[list[Version]], index: dict[str, list[Version]]) -> None:
        for chain in chains:
            for v in chain:
                key = cache.bucket_of(v.path, self.subdir)
                index.setdefault(key, []).append(v)
                if v.old_path:
                    old_key = cache.bucket_of(v.old_path, self.subdir)
                    if old_key != key:
                        index.setdefault(old_key, []).append(v)

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
        return parse_status(run_git(self.root, status_args(*subdirs, ignored=ignored)).stdout, self.prefix)

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
        state["_paths_by_bucket"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._blobs = BlobReader(self.root)


def status_args(*subdirs: str, ignored: bool = False) -> list[str]:
    return ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames",
            *(["--ignored=traditional"] if ignored else []), "--", *(subdirs or ["."])]


def parse_status(stdout: bytes, prefix: str) -> tuple[list[str], list[str]]:
    """(changed, ignored) paths relative to the folder at `prefix` in the repository, from `git status -z`."""
    found: tuple[set[str], set[str]] = (set(), set())
    tokens = stdout.split(b"\0")
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
            if path.startswith(prefix):
                found[entry[:2] == b"!!"].add(path[len(prefix) :])
    return sorted(found[0]), sorted(found[1])


class PendingStatus:
    """`History.status` begun in the background: git walks the working tree while the build loads the
    region. `result(history)` waits for it; None if git could not run (the caller asks again, and gets
    the error)."""

    def __init__(self, root: Path, *subdirs: str, ignored: bool = False):
        self.subdirs = subdirs
        self.proc = start_git(root, status_args(*subdirs, ignored=ignored))

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def result(self, history: History) -> tuple[list[str], list[str]] | None:
        if self.proc is None:
            return None
        stdout, _ = self.proc.communicate()
        return parse_status(stdout, history.prefix) if self.proc.returncode == 0 else None


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
    folder = cache.cache_folder(Path(cache_dir), prefix, subdir, shallow) if cache_dir is not None else None
    index = cache.load_index(folder, head, prefix, subdir, shallow) if folder is not None else None
    if index is not None:
        history = History(root, head, index.commits, {}, subdir=subdir, prefix=prefix, shallow=shallow,
                          complete_since=index.commits[0].date if shallow and index.commits else None,
                          stored=index)
    else:
        history = _read_log(root, head, prefix, subdir, shallow, folder)
    if loaded is not None:
        loaded.clear()  # only the latest HEAD is asked for again
        loaded[key] = history
    return history


def _read_log(
    root: Path, head: str, prefix: str, subdir: str, shallow: bool, folder: Path | None, whole: bool = False
) -> History:
    """The history from git: only the commits after a cached earlier HEAD that `head` continues, or (no
    such HEAD, `whole`) the whole log; cached in `folder` (only the units the new commits touched are
    written anew)."""
    earlier = None if folder is None or shallow or whole else _earlier(root, folder, head, prefix, subdir)
    before: dict[str, cache.Bucket] = {}  # the earlier HEAD's buckets
    if earlier is not None:
        records = read_log(run_git(root, log_args(subdir, since=earlier.head, tip=head)).stdout)
        touched = {cache.bucket_of(p, subdir) for p in log_paths(records)}
        before = earlier._stored.buckets if earlier._stored else {}
        earlier._need(sorted(touched))
        if earlier._stored is None:
            earlier = None  # a part of it was missing: read the whole log
    if earlier is None:
        before, touched = {}, set()
        _read_packs_ahead(root)
        commits, files = parse_log(run_git(root, log_args(subdir, tip=head)).stdout)
    else:
        files = {p: list(chain) for p, chain in earlier._files.items() if cache.bucket_of(p, subdir) in touched}
        commits, files = apply_log(records, list(earlier._commits), files)
    shallow_since = commits[0].date if shallow and commits else None
    if folder is None:
        return History(root, head, commits, files, subdir=subdir, prefix=prefix, shallow=shallow,
                       complete_since=shallow_since)
    changed: dict[str, dict[str, list[Version]]] = {}
    for path, chain in files.items():
        changed.setdefault(cache.bucket_of(path, subdir), {})[path] = chain
    changed.update({b: {} for b in touched if b not in changed})  # every file moved out
    position = {c.sha: k for k, c in enumerate(commits)}
    buckets = {b: e for b, e in before.items() if b not in touched}
    parts: dict[str, bytes] = {}
    for bucket, chains in sorted(changed.items()):
        buckets.pop(bucket, None)
        if chains:
            name, parts[name] = cache.part_bytes(chains, position)
            lying = {cache.bucket_of(p, subdir) for chain in chains.values() for v in chain for p in (v.path, v.old_path) if p}
            buckets[bucket] = cache.Bucket(name, "", tuple(sorted(lying - {bucket})))
    history = History(root, head, commits, files, subdir=subdir, prefix=prefix, shallow=shallow,
                      complete_since=shallow_since, stored=cache.Index(folder, head, commits, buckets))
    history._loaded.update(changed)
    # signatures change for the buckets written anew and those their chains lie in, before or after
    affected = set(changed) | {t for b in changed for e in (buckets.get(b), before.get(b)) if e for t in e.touches}
    for bucket in sorted(affected & set(buckets)):
        signature = history._digest(history.unit_changes(bucket))
        buckets[bucket] = dataclasses.replace(buckets[bucket], signature=signature)
        history._signatures[bucket] = signature  # type: ignore[index]
    cache.write(folder, head, prefix, subdir, shallow, commits, buckets, parts)
    return history


def _earlier(root: Path, folder: Path, head: str, prefix: str, subdir: str) -> History | None:
    """The cached history of an earlier HEAD that `head` continues on its first-parent line (the usual
    push: commits added on top), to read only the commits after it. None otherwise (a rewritten or
    unrelated history is read whole)."""
    for old_head in cache.earlier_heads(folder, head):
        index = cache.load_index(folder, old_head, prefix, subdir, False)
        if index is None:
            continue
        # The oldest commit after old_head on the first-parent line must have old_head as its first parent.
        proc = run_git(root, ["rev-list", "--first-parent", "--parents", f"{old_head}..{head}"], check=False)
        chain = proc.stdout.decode("ascii", "replace").strip().split("\n") if proc.returncode == 0 else []
        if chain and chain[-1].split()[1:2] == [old_head]:
            return History(root, old_head, index.commits, {}, subdir=subdir, prefix=prefix, stored=index)
    return None


PACKS_READ_AHEAD = 1 << 30  # bytes: larger packs are not read ahead (memory is for the build)


def _read_packs_ahead(root: Path) -> None:
    """The whole log, and then the earlier versions of every page, read most of the repository's packs,
    through git's mapping of them, a page of the file at a time: the kernel is asked to read them first, in
    large reads, while git starts. Not when they are larger than PACKS_READ_AHEAD."""
    proc = run_git(root, ["rev-parse", "--git-common-dir"], check=False)
    if proc.returncode != 0:
        return
    folder = root / os.fsdecode(proc.stdout.rstrip(b"\n")) / "objects" / "pack"
    try:
        packs = [(entry.path, entry.stat().st_size) for entry in os.scandir(folder)
                 if entry.name.endswith(".pack") and entry.is_file(follow_symlinks=False)]
    except OSError:
        return
    if sum(size for _, size in packs) <= PACKS_READ_AHEAD:
        read_ahead(sorted(path for path, _ in packs))


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
