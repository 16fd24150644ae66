"""Worker processes that read attachments with bounded memory and time.

A file that makes its worker die (a crash inside PDFium, the memory limit) or run past the time limit
gets a status; the worker is replaced and the next file goes on.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import multiprocessing.util
import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

from bip.attachments.model import Extraction, Limits

STARTUP_SECONDS = 120.0  # a loaded machine may take long to start Python and import the readers
WINDOW = 16  # requests waiting in a worker's input at most
PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent.parent)


class Worker:
    def __init__(self, limits: Limits):
        self.limits = limits
        self.process: subprocess.Popen | None = None
        self.buffer = b""
        self.selector: selectors.BaseSelector | None = None  # on the running worker's output
        self._limits = asdict(limits)

    def _start_process(self) -> None:
        self._close_selector()
        self.process, self.buffer = self._start(), b""
        assert self.process.stdout is not None
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.process.stdout.fileno(), selectors.EVENT_READ)

    def _close_selector(self) -> None:
        if self.selector is not None:
            self.selector.close()
            self.selector = None

    def _start(self) -> subprocess.Popen:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (PACKAGE_ROOT, env.get("PYTHONPATH", "")) if p)
        return subprocess.Popen(
            [sys.executable, "-m", "bip.attachments.worker", str(self.limits.memory)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
        )

    def extract(self, path: str, kind: str) -> Extraction:
        return self.extract_many([("", path, kind)])[""]

    def extract_many(self, jobs: list[tuple[str, str, str]]) -> dict[str, Extraction]:
        """Results by key for (key, path, kind) jobs, read in order. Up to WINDOW requests wait in the worker's
        input, so that it never waits for the next one; each file still has its own time limit, counted from
        the previous file's answer. A file that kills the worker or runs out of time gets that status, and
        the requests sent after it go to the next worker."""
        results: dict[str, Extraction] = {}
        waiting = deque(jobs)
        sent: deque[tuple[str, str, str]] = deque()
        while waiting or sent:
            if self.process is None or self.process.poll() is not None:
                waiting.extendleft(reversed(sent))
                sent.clear()
                self._start_process()
                if self._read_line(time.monotonic() + STARTUP_SECONDS) != b"ready":
                    key, _, kind = waiting.popleft()
                    results[key] = self._failed(kind, "crashed", "the worker did not start")
                    continue
            self._send(waiting, sent)
            line = self._read_line(time.monotonic() + self.limits.seconds)
            key, _, kind = sent.popleft()
            if line is None:
                results[key] = self._failed(kind, "timeout", f"no result in {self.limits.seconds:g} s")
            elif not line:
                results[key] = self._failed(kind, "crashed", "")
            else:
                results[key] = Extraction.from_json(json.loads(line))
        return results

    def _send(self, waiting: deque[tuple[str, str, str]], sent: deque[tuple[str, str, str]]) -> None:
        """Requests from `waiting` until WINDOW are in the worker's input (a few kB: a write never blocks).
        A worker that closed its input is found dead by the next read."""
        lines = []
        while waiting and len(sent) < WINDOW:
            job = waiting.popleft()
            sent.append(job)
            lines.append(json.dumps({"path": job[1], "kind": job[2], "limits": self._limits}) + "\n")
        if lines:
            assert self.process is not None and self.process.stdin is not None
            with contextlib.suppress(OSError):
                self.process.stdin.write("".join(lines).encode())
                self.process.stdin.flush()

    def _read_line(self, deadline: float) -> bytes | None:
        """One line from the worker; b"" when it died, None when the deadline passed."""
        assert self.process is not None and self.process.stdout is not None and self.selector is not None
        fd = self.process.stdout.fileno()
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not self.selector.select(left):
                return None
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return b""
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line

    def _failed(self, kind: str, status: str, detail: str) -> Extraction:
        process, self.process = self.process, None
        self._close_selector()
        if process is not None:
            if process.poll() is None:
                process.kill()
            code = process.wait()
            _close_pipes(process)
            if code < 0 and not detail:
                detail = f"worker killed by {signal.Signals(-code).name}"
            elif not detail:
                detail = f"worker exited with {code}"
        return Extraction(kind, status, detail=detail)  # type: ignore[arg-type]

    def close(self) -> None:
        process, self.process = self.process, None
        self._close_selector()
        if process is not None:
            if process.stdin:
                with contextlib.suppress(OSError):
                    process.stdin.close()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            _close_pipes(process)


def _close_pipes(process: subprocess.Popen) -> None:
    for pipe in (process.stdin, process.stdout):
        if pipe is not None:
            with contextlib.suppress(OSError):
                pipe.close()


_SHARED: dict[tuple[int, Limits], Worker] = {}


def shared_worker(limits: Limits) -> Worker:
    """One worker kept for this process (a build worker asks again for each unit); never a forked parent's."""
    key = (os.getpid(), limits)
    if key not in _SHARED:
        for stale in [k for k in _SHARED if k[0] != key[0]]:
            del _SHARED[stale]  # inherited across fork: its pipes belong to the parent
        _SHARED[key] = Worker(limits)
        # a forked build worker ends without atexit: multiprocessing's own exit hook closes (and waits for)
        # the reader, so that it ends with its build worker and its time is counted in the build's
        multiprocessing.util.Finalize(None, _close_shared, exitpriority=0)
    return _SHARED[key]


@atexit.register
def _close_shared() -> None:
    for (pid, _), worker in sorted(_SHARED.items(), key=lambda item: item[0][0]):
        if pid == os.getpid():
            worker.close()


def extract_files(jobs: Iterable[tuple[str, str, str]], limits: Limits, workers: int = 1) -> dict[str, Extraction]:
    """Extract (key, path, kind) jobs in `workers` processes (with 1, the kept one); results by key."""
    queue = sorted(jobs)
    if workers <= 1 or len(queue) <= 1:
        return shared_worker(limits).extract_many(queue)
    parts = [queue[k::workers] for k in range(min(workers, len(queue)))]
    results: dict[str, Extraction] = {}

    def run(part: list[tuple[str, str, str]]) -> None:
        worker = Worker(limits)
        try:
            results.update(worker.extract_many(part))
        finally:
            worker.close()

    threads = [threading.Thread(target=run, args=(part,)) for part in parts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
