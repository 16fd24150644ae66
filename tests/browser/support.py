"""Plain helpers for the browser tests (no pytest here): local server, Chromium launch, axe-core, page kinds."""

from __future__ import annotations

import fnmatch
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",  # containers often have a 64 MB /dev/shm
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def chromium_path() -> str | None:
    """$BIP_CHROMIUM when set (and nothing else then), else the system Chromium (Debian package `chromium`)."""
    chosen = os.environ.get("BIP_CHROMIUM")
    if chosen:
        return chosen if os.access(chosen, os.X_OK) else None
    candidates = ["/usr/bin/chromium", shutil.which("chromium") or "", shutil.which("chromium-browser") or ""]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def launch(playwright, executable: str):
    """Chromium with a fresh temporary profile (Playwright makes one per launch), never touching the network."""
    return playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".svg": "image/svg+xml", ".json": "application/json",
                      ".xml": "application/xml"}

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        """Like a production server (`error_page 404 /<unit>/404-portal.html`, docs/deploy/): a missing path gets
        its unit's 404 page."""
        if code != 404:
            return super().send_error(code, message, explain)
        root = Path(self.directory)
        first_segment = self.path.lstrip("/").split("/", 1)[0].split("?", 1)[0]
        candidates = ([root / first_segment / "404-portal.html"] if first_segment else []) + [root / "404.html"]
        for candidate in candidates:
            if candidate.is_file():
                body = candidate.read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
                return None
        return super().send_error(code, message, explain)


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 on a free port; yields the base URL ending in '/'."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="bip-test-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@functools.cache
def axe_source() -> str:
    """axe-core as bundled by the PyPI package axe-playwright-python (installed with the `test` extra)."""
    return resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


def run_axe(page, rules: list[str] | None = None) -> list[dict]:
    """Run axe-core in the page (injected through the DevTools protocol, so the page's CSP stays strict)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    options = {"runOnly": {"type": "rule", "values": rules}} if rules else \
        {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
    options["resultTypes"] = ["violations"]
    result = page.evaluate("async (options) => await window.axe.run(document, options)", options)
    return result["violations"]


def describe_violations(violations: list[dict], where: str) -> str:
    """A readable report: rule, impact, help, and every offending element with axe's own explanation."""
    lines = [f"{where}: {sum(len(v['nodes']) for v in violations)} naruszeń WCAG (axe-core):"]
    for violation in violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:10]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"      {target}\n        {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n          ")
            if summary:
                lines.append(f"          {summary}")
        if len(violation["nodes"]) > 10:
            lines.append(f"      … i {len(violation['nodes']) - 10} więcej")
    return "\n".join(lines)


@dataclass(frozen=True)
class Kind:
    name: str
    path: str | None  # site-relative path of the HTML file, None when this build does not produce that kind


def site_files(folder: Path, suffix: str = ".html") -> list[Path]:
    """Every file below folder, following symbolic links (a published site links unit folders into snapshots)."""
    found = []
    for directory, _dirs, files in os.walk(folder, followlinks=True):
        found += [Path(directory, name) for name in files if name.endswith(suffix)]
    return sorted(found, key=lambda p: p.as_posix())


def first(folder: Path, pattern: str, *, contains: str | None = None, prefer: str = "") -> str | None:
    """The first HTML file (sorted, `prefer` substring first) whose relative path matches an fnmatch pattern
    (`*` also matches '/'), optionally containing a string; as a path relative to folder."""
    candidates = [p.relative_to(folder).as_posix() for p in site_files(folder)]
    found = sorted((c for c in candidates if fnmatch.fnmatchcase(c, pattern)),
                   key=lambda c: (bool(prefer) and prefer not in c, c))
    for relative in found:
        if contains is None or contains in (folder / relative).read_text(encoding="utf-8", errors="replace"):
            return relative
    return None
