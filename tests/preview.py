"""A real `bip serve` process for tests, on a port the system chose (--port 0), ready when it says so.

The preview prints its address only once it watches the files and has built the site, so the test
waits for that line instead of polling or sleeping. Its output keeps being read (a full pipe would
block the server) and is kept for failure messages.
"""

from __future__ import annotations

import queue
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

READY = re.compile(r"Podgląd: http://127\.0\.0\.1:(\d+)/")


@dataclass
class Preview:
    proc: subprocess.Popen[str]
    port: int
    output: list[str] = field(default_factory=list)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


# The preview as a terminal starts it, with Ctrl+C (SIGINT) reaching it: a process inherits an ignored SIGINT
# (a test run started in the background of a script has one: POSIX shells ignore it there), and Python then
# keeps ignoring it. This resets it, then becomes `python <argv>`.
AS_FROM_A_TERMINAL = ("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
                      "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])")


@contextmanager
def preview(root: Path, *args: str, timeout: float = 120) -> Iterator[Preview]:
    proc = subprocess.Popen([sys.executable, "-c", AS_FROM_A_TERMINAL, "-m", "bip", "serve", "--port", "0", *args],
                            cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    lines: queue.Queue[str | None] = queue.Queue()
    output: list[str] = []

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            output.append(line)
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    try:
        while True:
            line = lines.get(timeout=timeout)
            if line is None:
                raise AssertionError("bip serve ended before it was ready:\n" + "".join(output))
            found = READY.search(line)
            if found:
                break
        yield Preview(proc, int(found.group(1)), output)
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
