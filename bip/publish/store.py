"""The published folder as generations: `<out>` is a symlink to one complete site tree.

    <out>                       → <out>.d/trees/<tree-id>         (switched with one atomic rename)
    <out>.d/trees/<tree-id>/    portal files, and <unit> → ../../units/<unit>/<fingerprint>
    <out>.d/units/<unit>/<fp>/  one unit's complete output, written once, never changed
    <out>.d/trash/              what is no longer published, deleted by a process of its own

A reader (or a crash) sees the old site or the new one, never a mix. An unchanged unit keeps its
snapshot, so a build that changed one page writes one unit, not the region; a build that changed
nothing writes nothing. Deploy with tools that follow symlinks (`rsync -aL`, `cp -rL`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from bip.job import MANIFEST

TMP = ".tmp-"
SITE_FILE = "bip-site.json"  # in each tree: the key of everything it was made from


class Store:
    def __init__(self, out: Path):
        self.out = out
        self.base = out.with_name(out.name + ".d")
        self.trees = self.base / "trees"
        self.units = self.base / "units"
        self.trash = self.base / "trash"

    # -- reading the live site ------------------------------------------------------------------
    def live_tree(self) -> Path | None:
        if self.out.is_symlink():
            target = self.out.resolve()
            return target if target.is_dir() else None
        return None

    def live_unit(self, unit: str, tree: Path | None = None) -> Path | None:
        """The snapshot the live site (or `tree`) shows for a unit (None if none)."""
        tree = tree or self.live_tree()
        if tree is None:
            return None
        try:
            target = Path(os.path.normpath(os.path.join(tree, os.readlink(tree / unit))))
        except OSError:  # not there, or not a link
            return None
        return target if (target / MANIFEST).is_file() else None

    def site_key(self) -> str | None:
        tree = self.live_tree()
        try:
            data = json.loads((tree / SITE_FILE).read_text(encoding="utf-8")) if tree else None
        except (OSError, ValueError):
            return None
        return data.get("key") if isinstance(data, dict) else None

    def snapshot(self, unit: str, fingerprint: str) -> Path:
        return self.units / unit / fingerprint

    @staticmethod
    def manifest(folder: Path) -> dict | None:
        """A snapshot's manifest, or None when missing or unreadable (then the snapshot is not trusted)."""
        try:
            data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    # -- writing ----------------------------------------------------------------------------------
    def recover(self) -> None:
        """Drop half-written snapshots and trees a crash left behind; never touches live ones."""
        for folder in (self.trees, *(self.units.iterdir() if self.units.is_dir() else [])):
            if folder.is_dir():
                for entry in folder.iterdir():
                    if entry.name.startswith(TMP):
                        shutil.rmtree(entry, ignore_errors=True)
        leftover = self.out.with_name(self.out.name + ".new")
        if leftover.is_symlink():
            leftover.unlink()

    def new_snapshot(self, unit: str, fingerprint: str) -> Path:
        folder = self.units / unit / f"{TMP}{fingerprint}-{os.getpid()}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        return folder

    def commit_snapshot(self, temporary: Path, unit: str, fingerprint: str) -> Path:
        final = self.snapshot(unit, fingerprint)
        if final.exists():
            shutil.rmtree(final)  # not trusted (the manifest check failed), or made by an interrupted run
        os.replace(temporary, final)
        return final

    def new_tree(self) -> Path:
        self.trees.mkdir(parents=True, exist_ok=True)
        folder = self.trees / f"{TMP}{os.getpid()}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        return folder

    @staticmethod
    def link_unit(tree: Path, unit: str, snapshot: Path) -> None:
        os.symlink(os.path.relpath(snapshot, tree), tree / unit)

    def publish(self, temporary: Path) -> tuple[Path, bool]:
        """Name the tree by its content and switch `<out>` to it. Returns (tree, changed)."""
        tree_id = tree_digest(temporary)
        final = self.trees / tree_id
        if self.live_tree() == final.resolve():
            shutil.rmtree(temporary)
            return final, False
        if final.exists():
            shutil.rmtree(final)
        os.replace(temporary, final)
        if self.out.exists() and not self.out.is_symlink():
            # a plain folder from before: moved aside once, so the swap below can be atomic from now on
            legacy = self.base / "legacy"
            shutil.rmtree(legacy, ignore_errors=True)
            os.replace(self.out, legacy)
        link = self.out.with_name(self.out.name + ".new")
        if link.is_symlink():
            link.unlink()
        os.symlink(os.path.relpath(final, self.out.parent), link)
        os.replace(link, self.out)
        return final, True

    def collect_garbage(self, keep_trees: int = 2) -> None:
        """Keep the live tree and the one before it (readers may still be on it), and their snapshots."""
        if not self.trees.is_dir():
            return
        live = self.live_tree()
        trees = sorted((t for t in self.trees.iterdir() if not t.name.startswith(TMP)),
                       key=lambda t: (t != live, -t.stat().st_mtime))
        kept, dropped = trees[:keep_trees], trees[keep_trees:]
        # the links are relative and made by link_unit: joined as strings, not resolved one by one
        used = {os.path.normpath(os.path.join(tree, os.readlink(entry.path)))
                for tree in kept for entry in os.scandir(tree) if entry.is_symlink()}
        if self.units.is_dir():
            for unit in os.scandir(self.units):
                dropped += [Path(snap.path) for snap in os.scandir(unit.path)
                            if not snap.name.startswith(TMP) and os.path.normpath(snap.path) not in used]
        legacy = self.base / "legacy"
        if legacy.exists():
            dropped.append(legacy)
        self.discard(dropped)

    def discard(self, folders: list[Path]) -> None:
        """Move folders out of the output at once (a rename each) and delete them in a process of its own:
        deleting the 300,000 files of a replaced region takes minutes, which no build should wait for. What
        a deleting process left behind (the machine stopped) is deleted with the next discard."""
        if not folders and not (self.trash.is_dir() and any(self.trash.iterdir())):
            return
        self.trash.mkdir(parents=True, exist_ok=True)
        for number, folder in enumerate(folders):
            try:
                os.replace(folder, self.trash / f"{os.getpid()}-{time.time_ns()}-{number}")
            except OSError:
                shutil.rmtree(folder, ignore_errors=True)
        try:
            idle = ["ionice", "-c", "3"] if shutil.which("ionice") else []
            subprocess.Popen(  # noqa: S603 - our own interpreter, our own paths
                [*idle, sys.executable, "-c", _EMPTY_TRASH, str(self.trash)], start_new_session=True,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
        except OSError:
            for entry in self.trash.iterdir():
                shutil.rmtree(entry, ignore_errors=True)


# Run by `discard`: empties the trash folder given (entries another run deletes meanwhile are skipped), at the
# lowest CPU priority (and, where `ionice` is there, disk priority): a preview's next save must not wait for it.
_EMPTY_TRASH = ("import os, shutil, sys\nos.nice(19)\n"
                "for e in os.scandir(sys.argv[1]):\n    shutil.rmtree(e.path, ignore_errors=True)\n")


def tree_digest(tree: Path) -> str:
    """A tree's id: the digest of its key (SITE_FILE: the portal's inputs and every unit's snapshot),
    so that equal inputs give the same tree without reading its files back."""
    return hashlib.sha256(b"key\0" + (tree / SITE_FILE).read_bytes()).hexdigest()[:20]


class SnapshotFiles:
    """Puts a new snapshot's files in place, in a folder no reader sees yet (it goes live whole, by a rename).

    A file with the same bytes as the previous snapshot's is a hard link to it; one with the same bytes as a
    file put before in this snapshot (an attachment and its stored version in the registry) a hard link to
    that; any other is a new file. A file there already (a link carried over from the previous snapshot) is
    unlinked first, never written through. Files get the permissions the umask gives (0644 under 022), for
    a web server running as another user."""

    def __init__(self, previous: Path | None, target: Path):
        self.previous, self.target = previous, target
        self.first: dict[bytes, str] = {}

    def put(self, relative: str, data: bytes) -> bool:
        """True if bytes were written."""
        path = os.path.join(self.target, relative)
        if self.previous is not None:
            old = self.previous / relative
            try:
                if old.stat().st_size == len(data) and old.read_bytes() == data:
                    _link(old, path)
                    return False
            except OSError:
                pass
        first = self.first.setdefault(hashlib.blake2b(data, digest_size=16).digest(), path)
        if first != path:
            _place(path, lambda: os.link(first, path))
            return False
        _place(path, lambda: _create(path, data))
        return True


def _create(path: str, data: bytes) -> None:
    # the descriptor written directly: a file object would add a stat, a terminal check and a seek per file
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _place(path: str, make: Callable[[], None]) -> None:
    """`make()` the new file at `path`, unlinking what is there first and making missing folders."""
    while True:
        try:
            make()
            return
        except FileExistsError:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        except FileNotFoundError:
            os.makedirs(os.path.dirname(path), exist_ok=True)


def _link(source: Path | str, target: Path | str) -> None:
    try:
        os.link(source, target)
    except FileExistsError:
        pass  # linked already (by CarryOver): the same file
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.link(source, target)


class CarryOver:
    """Links every file of the previous snapshot into a new one, in a thread of its own while the unit
    renders (making a thousand folders is disk time, not CPU time); what the new snapshot does not have
    is removed at the end. Outputs are put next to it by `SnapshotFiles`, which replaces a carried
    link and never writes into it."""

    def __init__(self, previous: Path, target: Path, skip: Iterable[str] = ()):
        self.previous, self.target, self.skip = previous, target, set(skip)
        self.carried: list[str] = []
        self.error: OSError | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        cut = len(str(self.previous)) + 1
        try:
            for folder, _, names in os.walk(self.previous):
                relative = folder[cut:]
                destination = os.path.join(self.target, relative)
                with contextlib.suppress(FileExistsError):
                    os.mkdir(destination)
                for name in names:
                    path = f"{relative}/{name}" if relative else name
                    if path not in self.skip:
                        _link(os.path.join(folder, name), os.path.join(destination, name))
                        self.carried.append(path)
        except OSError as exc:
            self.error = exc

    def finish(self, produced: set[str], keep: str | None = None) -> None:
        """Wait for the links, then remove what was carried but neither produced again nor under the
        folder `keep` (and folders left empty)."""
        self.thread.join()
        if self.error is not None:
            raise self.error
        for path in self.carried:
            if path not in produced and not (keep and path.startswith(keep)):
                os.unlink(self.target / path)
                folder = (self.target / path).parent
                while folder != self.target and not os.listdir(folder):
                    os.rmdir(folder)
                    folder = folder.parent

    def wait(self) -> None:
        self.thread.join()


def link_files(pairs: Iterable[tuple[Path | str, Path | str]]) -> None:
    """Hard-link each (source, target), making each target folder once (thousands of index files)."""
    made: set[str] = set()
    for source, target in pairs:
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        os.link(source, target)


def copy_snapshot(source: Path, target: Path) -> None:
    """Bring a unit snapshot from another output (a shard): hard links on one file system, else copies."""

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=link, dirs_exist_ok=True)
