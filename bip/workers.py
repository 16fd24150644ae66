"""Worker processes for the render step, each the fault boundary of the unit it renders.

A worker is forked after the build has loaded the region (it reads it instead of receiving pickles), is
given one unit id at a time and answers with that unit's result. A worker that dies (killed, out of
memory, a crash in native code) fails only the unit it was rendering: the pool starts another worker and
the build goes on. Workers die with the build, so none outlives it and writes into the output.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, wait
from typing import Generic, TypeVar

Result = TypeVar("Result")

class WorkerDied(Exception):
    """The worker rendering `unit_id` ended before it answered."""

    def __init__(self, unit_id: str, exitcode: int | None):
        super().__init__(unit_id, exitcode)
        self.unit_id, self.exitcode = unit_id, exitcode

    @property
    def cause(self) -> str:
        """Polish: how the worker ended."""
        if self.exitcode is not None and self.exitcode < 0:
            try:
                name = signal.Signals(-self.exitcode).name
            except ValueError:
                name = f"sygnał {-self.exitcode}"
            hint = " (np. brak pamięci)" if -self.exitcode == signal.SIGKILL else ""
            return f"zakończony sygnałem {name}{hint}"
        return f"zakończony z kodem {self.exitcode}"


class _Worker(Generic[Result]):
    def __init__(self, context: multiprocessing.context.ForkContext, func: Callable[[str], Result]):
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, func, os.getpid()), daemon=True)
        self.process.start()
        child.close()
        self.unit_id: str | None = None

    def give(self, unit_id: str) -> None:
        self.unit_id = unit_id
        self.connection.send(unit_id)

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.send(None)
        self.connection.close()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


def run_in_workers(
    func: Callable[[str], Result], ids: list[str], jobs: int
) -> Iterator[Result | WorkerDied]:
    """func(unit_id) for every id in forked workers (at most `jobs` at once), in the order they finish; a
    unit whose worker died yields WorkerDied instead of its result. An exception func raises is raised here."""
    context = multiprocessing.get_context("fork")
    waiting = list(reversed(ids))
    workers = [_Worker(context, func) for _ in range(min(jobs, len(ids)))]
    try:
        for worker in workers:
            worker.give(waiting.pop())
        while any(w.unit_id is not None for w in workers):
            busy = [w for w in workers if w.unit_id is not None]
            wait([w.connection for w in busy] + [w.process.sentinel for w in busy])
            for index, worker in enumerate(workers):
                if worker.unit_id is None:
                    continue
                unit_id = worker.unit_id
                try:
                    if not worker.connection.poll():
                        if worker.process.is_alive():
                            continue
                        raise EOFError
                    raised, result = worker.connection.recv()
                except (EOFError, OSError):
                    worker.process.join()
                    raised, result = False, WorkerDied(unit_id, worker.process.exitcode)
                    worker.connection.close()
                    worker = workers[index] = _Worker(context, func)
                if raised:
                    raise result  # what fails the whole build (a full disk) fails it here too
                worker.unit_id = None
                if waiting:
                    worker.give(waiting.pop())
                yield result
    finally:
        for worker in workers:
            worker.stop()


def _serve(connection: Connection, func: Callable[[str], object], parent: int) -> None:
    _die_with_parent(parent)
    while True:
        try:
            unit_id = connection.recv()
        except (EOFError, OSError):
            return
        if unit_id is None:
            return
        try:
            answer: tuple[bool, object] = (False, func(unit_id))
        except Exception as exc:  # func fails its unit itself; what it lets through stops the build
            answer = (True, exc)
        connection.send(answer)


def _die_with_parent(parent: int) -> None:
    """A worker must not outlive a killed build and go on writing into the output."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)  # the build died before the line above took effect
