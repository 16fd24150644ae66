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


@contextmanager
def preview(root: Path, *args: str, timeout: float = 120) -> Iterator[Preview]:
    proc = subprocess.Popen([sys.executable, "-m", "bip", "serve", "--port", "0", *args], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
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
