"""Reading blobs through one long-lived `git cat-file --batch` process."""

from __future__ import annotations

import hashlib
import os
import subprocess
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from .errors import HistoryError
from .gitlog import git_env


def git_blob_id(data: bytes) -> str:
    """The id git gives these bytes (`git hash-object`), so working-tree files and history share entries."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


_HEX = frozenset("0123456789abcdef")
# git maps its pack in windows of up to 1 GiB and keeps up to 96 MiB of delta bases: a worker's reader touched
# ~44 MiB of a 50 MiB pack in a 300-unit build. Small windows and caches keep it near 20 MiB, as fast.
MEMORY_LIMITS = ("-c", "core.packedGitWindowSize=1m", "-c", "core.packedGitLimit=8m",
                 "-c", "core.deltaBaseCacheLimit=8m")
PIPE_ROOM = 4096  # bytes a pipe always takes without a reader (one page; Linux gives 64 KiB unless short of pages)


def _check_id(blob_id: str) -> bytes:
    # cat-file accepts any revision expression ("HEAD:path", names with spaces); only plain object
    # ids are allowed so a request can never read something else or break the line protocol.
    if len(blob_id) not in (40, 64) or not _HEX.issuperset(blob_id):
        raise HistoryError(f"Niepoprawny identyfikator obiektu git: {blob_id!r}", "To błąd programu bip.")
    return blob_id.encode("ascii") + b"\n"


def _stop(proc: subprocess.Popen[bytes], owner_pid: int) -> None:
    if os.getpid() != owner_pid:
        return  # a forked child must leave its parent's process alone
    try:
        if proc.stdin:
            proc.stdin.close()
        proc.wait(timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        proc.kill()
        proc.wait()
    finally:
        if proc.stdout:
            proc.stdout.close()


class BlobReader:
    """Thread-safe, fork-aware reader; the git process starts on first use and ends with `close()`."""

    CACHE_BYTES = 8 << 20  # the most recently read blobs kept (an object's bytes never change): a preview
    # that renders the same unit again after each save does not ask git for its earlier versions again
    CACHED_BLOB = 256 << 10  # larger ones (attachments) are read each time

    def __init__(self, root: Path) -> None:
        self._root = root
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._cached = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._pid = 0
        self._finalizer: weakref.finalize | None = None

    def _process(self) -> subprocess.Popen[bytes]:
        if self._proc is not None and self._pid == os.getpid() and self._proc.poll() is None:
            return self._proc
        self._drop()
        try:
            proc = subprocess.Popen(
                ["git", *MEMORY_LIMITS, "cat-file", "--batch"],
                cwd=self._root,
                env=git_env(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except FileNotFoundError as exc:
            raise HistoryError("Nie znaleziono programu git", "Zainstaluj git i upewnij się, że jest w PATH.") from exc
        self._proc, self._pid = proc, os.getpid()
        self._finalizer = weakref.finalize(self, _stop, proc, self._pid)
        return proc

    def _drop(self) -> None:
        if self._finalizer is not None:
            self._finalizer()  # stops the process only in the process that started it
        self._proc, self._finalizer = None, None

    def close(self) -> None:
        with self._lock:
            self._drop()

    def read(self, blob_id: str) -> bytes:
        return self.read_many([blob_id])[blob_id]

    def read_many(self, ids: Iterable[str]) -> dict[str, bytes]:
        wanted = list(dict.fromkeys(ids))
        with self._lock:
            known = {blob_id: self._cache[blob_id] for blob_id in wanted if blob_id in self._cache}
            for blob_id in known:
                self._cache.move_to_end(blob_id)
        if len(known) == len(wanted):
            return known
        read = self._read([blob_id for blob_id in wanted if blob_id not in known])
        with self._lock:
            for blob_id, data in read.items():
                if len(data) <= self.CACHED_BLOB and blob_id not in self._cache:
                    self._cache[blob_id] = data
                    self._cached += len(data)
            while self._cached > self.CACHE_BYTES:
                self._cached -= len(self._cache.popitem(last=False)[1])
        return {blob_id: known[blob_id] if blob_id in known else read[blob_id] for blob_id in wanted}

    def _read(self, wanted: list[str]) -> dict[str, bytes]:
        requests = b"".join(_check_id(blob_id) for blob_id in wanted)
        with self._lock:
            proc = self._process()
            assert proc.stdin is not None and proc.stdout is not None
            # Many requests are written from a second thread: with both pipes full, writing everything
            # before reading would deadlock against git. A few (most calls: a page's blobs) fit in the
            # pipe whatever git does, and are written here.
            writer = None
            if len(requests) <= PIPE_ROOM:
                _write(proc.stdin, requests)
            else:
                writer = threading.Thread(target=_write, args=(proc.stdin, requests), daemon=True)
                writer.start()
            result: dict[str, bytes] = {}
            missing: list[str] = []
            try:
                for blob_id in wanted:
                    header = proc.stdout.readline()
                    fields = header.split()
                    if len(fields) == 3:
                        size = int(fields[2])
                        data = proc.stdout.read(size + 1)
                        if len(data) != size + 1:
                            raise EOFError
                        result[blob_id] = data[:-1]
                    elif len(fields) == 2:  # "<id> missing" or "<id> ambiguous"
                        missing.append(blob_id)
                    else:
                        raise EOFError
            except (EOFError, ValueError, OSError) as exc:
                proc.kill()
                self._drop()  # the protocol is out of step; a fresh process serves the next call
                raise HistoryError(
                    "Odczyt obiektów z repozytorium git przerwany", "Sprawdź repozytorium: git fsck"
                ) from exc
            finally:
                if writer is not None:
                    writer.join()
        if missing:
            raise HistoryError(
                f"Brak w repozytorium git obiektu {missing[0]}"
                + (f" (i {len(missing) - 1} innych)" if len(missing) > 1 else ""),
                "Repozytorium może być płytkie lub uszkodzone: git fetch --unshallow; git fsck",
            )
        return result


def _write(stream: IO[bytes], data: bytes) -> None:
    try:
        stream.write(data)
        stream.flush()
    except (OSError, ValueError):
        pass  # the reader notices the dead process and reports it
