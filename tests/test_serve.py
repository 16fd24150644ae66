"""`bip serve`: a real server process on a free port; edits show over HTTP; errors show and recover."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import page

PAGE = "content/gmina-testowa/uchwaly/uchwala-xii-123-2024.md"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, timeout: float = 10.0) -> float:  # type: ignore[no-untyped-def]
    """Seconds until predicate() holds; fails the test after timeout."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            if predicate():
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.05)
    raise AssertionError("condition not reached in time")


@pytest.fixture
def server(project):
    root: Path = project()
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bip", "serve", "--port", str(port)], cwd=root,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        wait_for(lambda: fetch(port, "/__bip__/version") != "")
        yield root, port, time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_injects_reload_only_in_preview(server):
    # start time is measured by benchmarks/serve_bench.py, not asserted here
    root, port, _ = server
    html = fetch(port, "/gmina-testowa/uchwaly/uchwala-xii-123-2024/")
    assert "/__bip__/reload.js" in html
    assert "XII/123/2024" in html
    assert not (root / "public").exists()  # the preview never writes the production output


def test_edit_shows_over_http(server):
    root, port, _ = server
    generation = int(fetch(port, "/__bip__/version"))
    path = root / PAGE
    path.write_text(path.read_text(encoding="utf-8").replace("uchwala budżet", "uchwala zmieniony budżet"),
                    encoding="utf-8")
    # (how fast is measured by benchmarks/serve_bench.py)
    wait_for(lambda: "zmieniony budżet" in fetch(port, "/gmina-testowa/uchwaly/uchwala-xii-123-2024/"))
    wait_for(lambda: int(fetch(port, "/__bip__/version")) > generation)  # the reload signal follows the files
    # the portal and its cross-unit search are still there (kept from the full preview, not recomputed)
    assert "gmina-testowa/" in fetch(port, "/")
    assert 'id="bip-search"' in fetch(port, "/szukaj/")
    # and so is the unit's search (its page and index are the full preview's until the next one)
    assert 'id="bip-search"' in fetch(port, "/gmina-testowa/szukaj/")
    assert '"format"' in fetch(port, "/gmina-testowa/szukaj/indeks/meta.json")
    # the preview shows unsaved work: it never writes the indexes `bip search` reads
    assert not (root / ".bip-cache" / "search" / "gmina-testowa").exists()


def test_broken_file_shows_error_page_and_fix_restores(server):
    root, port, _ = server
    path = root / PAGE
    good = path.read_text(encoding="utf-8")
    path.write_text("---\ntitle: [bez zamknięcia\n---\nTreść\n", encoding="utf-8")
    wait_for(lambda: "błędy w treści" in fetch(port, "/gmina-testowa/"))
    html = fetch(port, "/gmina-testowa/")
    assert PAGE in html and "wiersz 2" in html and "Co zrobić" in html
    path.write_text(good, encoding="utf-8")
    wait_for(lambda: "błędy w treści" not in fetch(port, "/gmina-testowa/"))
    assert "XII/123/2024" in fetch(port, "/gmina-testowa/uchwaly/uchwala-xii-123-2024/")


def test_new_page_appears(server):
    root, port, _ = server
    (root / "content/gmina-testowa/ogloszenie-nowe.md").write_text(page("Nowe ogłoszenie", "Pilne."), encoding="utf-8")
    wait_for(lambda: "Pilne." in fetch(port, "/gmina-testowa/ogloszenie-nowe/"))


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_serve_stops_cleanly_on_ctrl_c_and_on_a_service_managers_stop(project, stop):
    root: Path = project()
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "bip", "serve", "--port", str(port)], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for(lambda: fetch(port, "/__bip__/version") != "")
        stream = urllib.request.urlopen(f"http://127.0.0.1:{port}/__bip__/events", timeout=30)  # an open tab
        assert stream.readline().startswith(b"data: ")
        proc.send_signal(stop)
        assert proc.wait(timeout=5) == 0
        stream.close()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
