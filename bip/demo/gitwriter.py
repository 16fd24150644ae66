"""The repository: the fast-import stream into git, the working tree written beside it."""

from __future__ import annotations

import os
import queue
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bip.demo.history import Demo


@dataclass
class DemoSummary:
    units: int
    pages: int
    commits: int
    attachments: int
    seconds: float


def _git(out: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=out, env=_git_env(), check=True, capture_output=True)


def _git_env() -> dict[str, str]:
    return {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}


class TreeWriter(threading.Thread):
    """Writes each commit's files into the working tree while the next commits are generated.

    The writes are system calls that release the GIL, so they overlap with the generator (and with
    git on the other core); on a slow disk this hides most of the cost of 100,000 small files.
    """

    def __init__(self, out: Path):
        super().__init__(name="bip-demo-writer", daemon=True)
        self.out = str(out)
        self.queue: queue.Queue[list[tuple[str, bytes | None]] | None] = queue.Queue(maxsize=256)
        self.error: BaseException | None = None
        self.made: set[str] = set()

    def run(self) -> None:
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
        while (batch := self.queue.get()) is not None:
            if self.error is not None:
                continue
            try:
                for path, data in batch:
                    full = f"{self.out}/{path}"
                    if data is None:
                        os.unlink(full)
                        self.prune(path)
                        continue
                    folder = path.rpartition("/")[0]
                    if folder and folder not in self.made:
                        os.makedirs(f"{self.out}/{folder}", exist_ok=True)
                        self.made.add(folder)
                    handle = os.open(full, flags, 0o644)
                    try:
                        os.write(handle, data)
                    finally:
                        os.close(handle)
            except BaseException as exc:  # reported by close(), in the generating thread
                self.error = exc

    def prune(self, path: str) -> None:
        """Remove folders left empty by a deletion, as a checkout would not have them."""
        folder = path.rpartition("/")[0]
        while folder:
            try:
                os.rmdir(f"{self.out}/{folder}")
            except OSError:
                return
            self.made.discard(folder)
            folder = folder.rpartition("/")[0]

    def close(self) -> None:
        self.queue.put(None)
        self.join()
        if self.error is not None:
            raise self.error


def generate(out: Path, units: int, pages: int, commits: int | None = None, seed: int = 1) -> DemoSummary:
    """Write a new git repository at `out` with a demo region; FileExistsError if `out` is not empty.

    The history goes to `git fast-import` as one stream; the final tree is then written from memory
    and the index read from HEAD's tree (`read-tree` + `update-index --refresh`), so the working tree
    is clean (`git status` shows nothing) without a slow checkout.
    """
    started = time.perf_counter()
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(str(out))
    out.mkdir(parents=True, exist_ok=True)
    demo = Demo(out, units, pages, commits, seed)
    demo.plan_units()
    _git(out, "init", "-q", "-b", "main")
    _git(out, "config", "core.autocrlf", "false")
    command = ["git", "-c", "core.compression=1", "-c", "pack.compression=1", "fast-import", "--quiet", "--done"]
    with subprocess.Popen(command, cwd=out, env=_git_env(), stdin=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdin is not None and proc.stderr is not None
        writer = demo.writer = TreeWriter(out)
        writer.start()
        try:
            for chunk in demo.stream():
                proc.stdin.write(chunk)
        finally:
            proc.stdin.close()
            writer.close()
        error = proc.stderr.read()
        if proc.wait() != 0:
            raise RuntimeError(f"git fast-import failed: {error.decode(errors='replace')}")
    _git(out, "read-tree", "main")
    _git(out, "update-index", "-q", "--refresh")
    pages_now = sum(1 for path in demo.tree if path.endswith(".md"))
    files_now = sum(1 for path in demo.tree if path.startswith("content/") and not path.endswith((".md", ".yaml")))
    return DemoSummary(len(demo.units), pages_now, demo.commits_written, files_now,
                       round(time.perf_counter() - started, 2))
