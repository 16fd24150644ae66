"""`bip serve`: local preview on 127.0.0.1 that rebuilds what changed on save and reloads the browser.

The preview output lives in .bip-cache/preview/ (never in public/); only preview pages carry the
reload script. A unit with content errors shows a Polish error page naming file, line and fix, and
the server keeps running; fixing the file brings the page back.
"""

from __future__ import annotations

import html
import http.server
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

from bip.build import CACHE_DIR, BuildResult, Options, build, unit_of
from bip.problems import Problem

# A page carries the generation it was served at (?g=N on this script): any later generation reloads it,
# even one reached before the event stream connected.
RELOAD_JS = b"""(function () {
  "use strict";
  var script = document.currentScript;
  var served = script && /[?&]g=(\\d+)/.exec(script.src);
  var shown = served ? served[1] : null;
  var source = new EventSource("/__bip__/events");
  source.onmessage = function (event) {
    if (shown === null) { shown = event.data; return; }
    if (event.data !== shown) { source.close(); window.location.reload(); }
  };
})();
"""
RELOAD_TAG = b'<script src="/__bip__/reload.js" defer></script>'
DEBOUNCE = 0.08
CHANGES: list[type[FileSystemEvent]] = [
    FileCreatedEvent, FileModifiedEvent, FileClosedEvent, FileDeletedEvent, FileMovedEvent,
    DirCreatedEvent, DirDeletedEvent, DirMovedEvent,
]


@dataclass
class PreviewState:
    """What the server shows: the generation counter and the current problems per unit."""

    generation: int = 0
    errors: dict[str, list[Problem]] = field(default_factory=dict)  # unit id ("" = whole region) → errors
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, result: BuildResult, units: list[str] | None) -> None:
        with self.changed:
            if units is None:
                self.errors = {}
            else:
                for unit in units:
                    self.errors.pop(unit, None)
                self.errors.pop("", None)
            for problem in result.problems.errors:
                self.errors.setdefault(unit_of(problem.file), []).append(problem)
            self.generation += 1
            self.changed.notify_all()


def with_generation(page: bytes, generation: int) -> bytes:
    """The page with the generation it shows in its reload script's address."""
    return page.replace(RELOAD_TAG, RELOAD_TAG.replace(b".js", f".js?g={generation}".encode()), 1)


def error_page(problems: list[Problem]) -> bytes:
    rows = "\n".join(
        f"<li><p><strong>{html.escape(p.file)}</strong>, wiersz {p.line}"
        f"{' (pole „' + html.escape(p.key) + '”)' if p.key else ''}: {html.escape(p.message)}</p>"
        f"<p>Co zrobić: {html.escape(p.hint)}</p></li>"
        for p in problems
    )
    return f"""<!DOCTYPE html>
<html lang="pl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Błędy w treści – podgląd BIP</title><script src="/__bip__/reload.js" defer></script></head>
<body><main><h1>Ta strona nie może być pokazana: są błędy w treści</h1>
<p>Popraw poniższe miejsca i zapisz plik — podgląd odświeży się sam.</p><ol>{rows}</ol></main></body></html>
""".encode()


def make_handler(root: Path, state: PreviewState) -> type[http.server.SimpleHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet server
            return

        def _send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            path = unquote(urlsplit(self.path).path)
            if path == "/__bip__/reload.js":
                return self._send(200, RELOAD_JS, "text/javascript; charset=utf-8")
            if path == "/__bip__/version":
                return self._send(200, str(state.generation).encode(), "text/plain")
            if path == "/__bip__/events":
                return self._events()
            generation = state.generation  # read before the page: a page never claims a later generation
            unit = path.strip("/").split("/", 1)[0]
            broken = state.errors.get("", []) + (state.errors.get(unit, []) if unit else [])
            if broken and (path.endswith("/") or path.endswith(".html")):
                return self._send(200, with_generation(error_page(broken), generation), "text/html; charset=utf-8")
            file = Path(self.translate_path(self.path))
            if path.endswith("/") and file.is_dir():
                file = file / "index.html"
            if file.suffix == ".html" and file.is_file() and (path.endswith("/") or path.endswith(".html")):
                return self._send(200, with_generation(file.read_bytes(), generation), "text/html; charset=utf-8")
            return super().do_GET()

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = -1
            try:
                while True:
                    with state.changed:
                        if state.generation == seen:
                            state.changed.wait(timeout=15)
                        current = state.generation
                    message = f"data: {current}\n\n" if current != seen else ": ping\n\n"
                    self.wfile.write(message.encode())
                    self.wfile.flush()
                    seen = current
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


class Watcher(FileSystemEventHandler):
    """Collects changed paths; a debounce thread turns them into rebuilds of the affected units."""

    def __init__(self, root: Path, rebuild: Callable[[list[str] | None], None]):
        self.root = root
        self.rebuild = rebuild
        self.pending: set[str] = set()
        self.lock = threading.Lock()
        self.wake = threading.Event()
        threading.Thread(target=self._loop, daemon=True).start()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if raw:
                try:
                    relative = Path(str(raw)).resolve().relative_to(self.root).as_posix()
                except ValueError:
                    continue
                with self.lock:
                    self.pending.add(relative)
        self.wake.set()

    def _loop(self) -> None:
        while True:
            self.wake.wait()
            time.sleep(DEBOUNCE)
            self.wake.clear()
            with self.lock:
                paths, self.pending = self.pending, set()
            units: set[str] | None = set()
            for path in paths:
                parts = path.split("/")
                if parts[0] == "themes" or path == "content/region.yaml":
                    units = None
                    break
                if parts[0] == "content" and len(parts) > 2:
                    units.add(parts[1])
            if units is None or units:
                self.rebuild(sorted(units) if units is not None else None)


def serve(root: Path, port: int, units: list[str], report: Callable[[str], None]) -> tuple[http.server.ThreadingHTTPServer, Callable[[], None]]:
    """Start the preview; returns the server (call serve_forever) and a stop function.

    Order matters: the port is taken first (a busy one fails at once, OSError), then files are watched,
    then the first build runs: a save made while it reads the files is seen and rebuilt after it, and
    the server answers no request before both are done."""
    out = root / CACHE_DIR / "preview"
    state = PreviewState()
    base = Options(root=root, out=out, units=units, allow_dirty=True, allow_shallow=True, preview=True, jobs=1,
                   histories={})
    lock = threading.Lock()

    def rebuild(changed: list[str] | None) -> None:
        with lock:
            started = time.perf_counter()
            selected = changed if changed is not None else units
            # the first build uses every core (its workers are forked while only the watcher's threads,
            # which they never touch, run); later ones run in this process, next to the server's threads
            options = replace(base, units=selected or [], preview_edit=changed is not None,
                              jobs=1 if state.generation else 0)
            result = build(options)
            state.publish(result, changed)
            for problem in result.problems.sorted():
                report(problem.format())
            names = ", ".join(changed) if changed else "wszystko"
            report(f"Przebudowano: {names} ({time.perf_counter() - started:.2f} s).")

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), make_handler(out, state))
    server.daemon_threads = True
    observer = Observer()
    watcher = Watcher(root.resolve(), rebuild)
    for folder in ("content", "themes"):
        if (root / folder).is_dir():
            # only changes: with opened/read events too, a large region overflows the inotify queue (the
            # build reads every file, and watchdog's reconciling after an overflow reads them again)
            observer.schedule(watcher, str(root / folder), recursive=True, event_filter=CHANGES)

    def stop() -> None:
        observer.stop()
        server.shutdown()
        server.server_close()

    observer.start()  # watches are in place when this returns
    try:
        rebuild(None)
    except BaseException:
        observer.stop()
        server.server_close()
        raise
    return server, stop
