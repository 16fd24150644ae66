"""`bip serve` reloads the open page in a real Chromium by itself when a file is saved."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest

pytestmark = pytest.mark.browser

PAGE = "content/gmina-testowa/uchwaly/uchwala-xii-123-2024.md"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_saved_edit_reloads_the_open_page(project, browser):
    root = project()
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "bip", "serve", "--port", str(port)], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/__bip__/version", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{port}/gmina-testowa/uchwaly/uchwala-xii-123-2024/")
        page.evaluate("() => { window.__notReloaded = true; }")
        page.wait_for_timeout(300)  # the EventSource connects and receives the current generation
        path = root / PAGE
        path.write_text(path.read_text(encoding="utf-8").replace("uchwala budżet", "uchwala nowy budżet"),
                        encoding="utf-8")
        page.wait_for_function("() => document.body.textContent.includes('nowy budżet')", timeout=10_000)
        assert page.evaluate("() => window.__notReloaded === undefined")  # a fresh document: it reloaded itself
        context.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
