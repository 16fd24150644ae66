"""`bip serve`: a real server process on a free port; edits show over HTTP; errors show and recover."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import page, run_bip
from preview import READY, preview

PAGE = "content/gmina-testowa/uchwaly/uchwala-xii-123-2024.md"


def fetch(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, timeout: float = 30.0) -> float:  # type: ignore[no-untyped-def]
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
    started = time.perf_counter()
    with preview(root) as running:
        yield root, running.port, time.perf_counter() - started


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
    with preview(root) as running:
        stream = urllib.request.urlopen(running.url("/__bip__/events"), timeout=30)  # an open tab
        assert stream.readline().startswith(b"data: ")
        running.proc.send_signal(stop)
        assert running.proc.wait(timeout=10) == 0
        stream.close()


def test_a_save_in_the_first_moments_is_not_lost(project):
    """Saved while the preview starts (its first build may be reading the files): the page shows it."""
    root: Path = project()
    path = root / PAGE
    proc = subprocess.Popen([sys.executable, "-m", "bip", "serve", "--port", "0"], cwd=root, text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        path.write_text(path.read_text(encoding="utf-8").replace("uchwala budżet", "uchwala wczesny budżet"),
                        encoding="utf-8")
        assert proc.stderr is not None
        port = next(int(found.group(1)) for line in proc.stderr if (found := READY.search(line)))
        threading.Thread(target=proc.stderr.read, daemon=True).start()  # keep the pipe drained
        wait_for(lambda: "wczesny budżet" in fetch(port, "/gmina-testowa/uchwaly/uchwala-xii-123-2024/"))
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_busy_port_is_a_polish_environment_error(project):
    root: Path = project()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = run_bip(root, "serve", "--port", str(port))
    assert proc.returncode == 3
    assert proc.stderr == (f"bip: Port {port} jest zajęty (może działa już inny podgląd bip serve). "
                           f"Zamknij go albo podaj inny port, np. bip serve --port {port + 1}.\n")


def test_error_page_names_the_field(server):
    root, port, _ = server
    path = root / PAGE
    path.write_text(path.read_text(encoding="utf-8").replace("adopted: 2024-03-01", "adopted: 12.03.2024"),
                    encoding="utf-8")
    wait_for(lambda: "błędy w treści" in fetch(port, "/gmina-testowa/"))
    html = fetch(port, "/gmina-testowa/")
    assert "(pole „adopted”)" in html and "adopted: 2024-03-12" in html
