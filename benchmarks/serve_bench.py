"""Preview benchmark (issue 6): `bip serve` start time and save-to-browser latency.

    python benchmarks/serve_bench.py [--starts 3] [--units 150 --pages 200 --commits 2000] [--edits 10]

1. Start time on the repository's sample content: a `git clone` of this repository at HEAD (so the
   working copy and its caches are left alone); time from process start until the first unit's home
   page is served with 200 (cold: no `.bip-cache/`; warm: the preview cache of the previous start kept).
   Goal: < 3 s.
2. On a `bip demo` region of 150 units × 200 pages (30,000 pages): start `bip serve` once (its first
   start builds the whole preview; that time is recorded too), then for each of N edits (different
   pages in different units) append a paragraph with a unique marker to one page file and measure the
   time from the write until (a) the reload signal comes on the event stream the page's reload script
   listens to (`/__bip__/events`) and (b) the page, loaded once on that signal as the browser does,
   contains the marker. Goal: < 1 s, median of 10 edits.
"""

from __future__ import annotations

import argparse
import queue
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from common import log, spread, table  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback only
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return 0, b""


class Server:
    def __init__(self, root: Path, log_file: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_file = log_file
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [common.PYTHON, "-m", "bip", "serve", "--root", str(root), "--port", str(self.port)],
            cwd=common.REPO, stdout=subprocess.DEVNULL, stderr=log_file.open("wb"), start_new_session=True)

    def wait_for(self, path: str, timeout: float, contains: bytes | None = None, interval: float = 0.02) -> float:
        """Seconds from process start until `path` answers 200 (and contains `contains`)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"bip serve exited ({self.proc.returncode}); see {self.log_file}")
            status, body = get(self.base + path)
            if status == 200 and (contains is None or contains in body):
                return time.perf_counter() - self.started
            time.sleep(interval)
        raise TimeoutError(f"{path} not served in {timeout} s")

    def events(self) -> queue.Queue[int]:
        """Generations as the preview's event stream announces them (after the first, the current one)."""
        found: queue.Queue[int] = queue.Queue()
        opened = threading.Event()

        def listen() -> None:
            with urllib.request.urlopen(self.base + "/__bip__/events", timeout=600) as stream:  # noqa: S310
                opened.set()
                first = True
                for line in stream:
                    if line.startswith(b"data: "):
                        if not first:
                            found.put(int(line[6:].strip()))
                        first = False

        threading.Thread(target=listen, daemon=True).start()
        opened.wait(10)
        time.sleep(0.2)  # the first message (the current generation) has come
        return found

    def generation(self) -> int:
        status, body = get(self.base + "/__bip__/version")
        return int(body) if status == 200 and body.strip().isdigit() else -1

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def first_unit(root: Path) -> str:
    return sorted(p.name for p in (root / "content").iterdir() if (p / "unit.yaml").exists())[0]


def start_times(starts: int, work: Path) -> dict:
    sample = work / "sample"
    if sample.exists():
        shutil.rmtree(sample)
    subprocess.run(["git", "clone", "-q", str(common.REPO), str(sample)], check=True)
    head = common.git(sample, "rev-parse", "--short", "HEAD").strip()
    unit = first_unit(sample)
    pages = sum(1 for _ in (sample / "content").rglob("*.md"))
    cold, warm = [], []
    for i in range(starts):
        for kind, series in (("cold", cold), ("warm", warm)):
            if kind == "cold":
                shutil.rmtree(sample / ".bip-cache", ignore_errors=True)
            server = Server(sample, work / f"serve-sample-{kind}-{i}.log")
            try:
                series.append(server.wait_for(f"/{unit}/", timeout=300))
            finally:
                server.stop()
            log(f"  sample start {kind} {i + 1}: {series[-1]:.2f} s")
    return {"cold": cold, "warm": warm, "head": head, "unit": unit, "pages": pages}


def page_url(relative: str) -> str:
    """content/<unit>/a/b.md → /<unit>/a/b/ (demo file names are already slugs)."""
    parts = relative.split("/")[1:]
    if parts[-1] == "index.md":
        parts = parts[:-1]
    else:
        parts[-1] = parts[-1][:-3]
    return "/" + "/".join(parts) + "/"


def edit_latency(units: int, pages: int, commits: int, seed: int, edits: int, work: Path, fresh: bool) -> dict:
    corpus = common.make_corpus(units, pages, commits, seed, fresh=fresh)
    facts = common.corpus_facts(corpus)
    unit_ids = sorted(p.name for p in (corpus / "content").iterdir() if p.is_dir())
    step = max(1, len(unit_ids) // edits)
    targets = [common.pick_page(corpus, unit_ids[(k * step) % len(unit_ids)]) for k in range(edits)]
    server = Server(corpus, work / "serve-region.log")
    result: dict = {"corpus": facts, "targets": targets}
    try:
        result["first_start"] = server.wait_for(f"/{unit_ids[0]}/", timeout=3600, interval=0.5)
        log(f"  region preview first start: {result['first_start']:.1f} s")
        for relative in targets:  # every target page is served before we edit it
            server.wait_for(page_url(relative), timeout=60)
        # what the first start replaced (a whole earlier preview, after a change of bip) is deleted by a
        # process of its own: the saves are measured once it is done, as an editor's day would be
        trash = corpus / ".bip-cache" / "preview.d" / "trash"
        waited = time.perf_counter()
        while trash.is_dir() and any(trash.iterdir()) and time.perf_counter() - waited < 900:
            time.sleep(1)
        result["trash_wait"] = time.perf_counter() - waited
        log(f"  the first start's trash deleted after {result['trash_wait']:.0f} s more")
        to_version, to_page = [], []
        rng = random.Random(seed)
        events = server.events()  # what the reload script in the page listens to
        for n, relative in enumerate(targets):
            marker = f"znacznikedycji{n}x{rng.randrange(10**9)}x{time.time_ns()}".encode()  # new in every run
            path = corpus / relative
            text = path.read_text(encoding="utf-8")
            time.sleep(0.5)  # the previous rebuild's debounce has settled
            while not events.empty():
                events.get()
            t0 = time.perf_counter()
            path.write_text(text + f"\n\n{marker.decode()}\n", encoding="utf-8")
            got_version = got_page = None
            # as the browser does: on a new generation from the event stream, load the page once; a rebuild
            # that does not show the edit yet (another event) is waited out the same way
            while got_page is None:
                remaining = t0 + 120 - time.perf_counter()
                if remaining <= 0:
                    break
                try:
                    events.get(timeout=remaining)
                except queue.Empty:
                    break
                got_version = got_version if got_version is not None else time.perf_counter() - t0
                status, body = get(server.base + page_url(relative))
                if status == 200 and marker in body:
                    got_page = time.perf_counter() - t0
            to_version.append(got_version if got_version is not None else float("nan"))
            to_page.append(got_page if got_page is not None else float("nan"))
            log(f"  edit {n + 1}: reload signal after {to_version[-1]:.3f} s, page shows it after {to_page[-1]:.3f} s"
                f" ({relative})")
        result["to_version"] = to_version
        result["to_page"] = to_page
    finally:
        server.stop()
        for relative in targets:  # leave the corpus clean for the other benchmarks
            subprocess.run(["git", "-C", str(corpus), "checkout", "-q", "--", relative], check=False)
    rebuilds = [line for line in (work / "serve-region.log").read_text(encoding="utf-8", errors="replace").splitlines()
                if "Przebudowano" in line] if (work / "serve-region.log").exists() else []
    result["server_log_rebuilds"] = rebuilds[-edits - 1:]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--units", type=int, default=150)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--skip-start", action="store_true")
    parser.add_argument("--skip-edits", action="store_true")
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    facts = common.machine_facts()
    work = common.BENCH_DIR / "work" / "serve"
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {"facts": facts}
    lines = [f"Command: `python benchmarks/serve_bench.py {' '.join(sys.argv[1:])}`", ""]
    if not args.skip_start:
        log("start time on the sample content")
        st = start_times(args.starts, work)
        results["start"] = st
        med_cold = common.med(st["cold"])
        lines += [f"Start on the repository's sample content (clone of HEAD {st['head']}, {st['pages']} page files), "
                  f"until `/{st['unit']}/` answers 200:", "",
                  table(["start", "seconds, median (min–max)", "goal < 3 s"], [
                      ["cold (no .bip-cache/)", spread(st["cold"]), "holds" if med_cold < 3 else "MISSED"],
                      ["warm (preview cache kept)", spread(st["warm"]),
                       "holds" if common.med(st["warm"]) < 3 else "MISSED"]]), ""]
    if not args.skip_edits:
        log("edit latency on the demo region")
        ed = edit_latency(args.units, args.pages, args.commits, args.seed, args.edits, work, args.fresh)
        results["edits"] = ed
        c = ed["corpus"]
        ok = [v for v in ed["to_page"] if v == v]
        lines += [f"Edit latency on `bip demo --units {args.units} --pages {args.pages} --commits {args.commits}` "
                  f"({c['pages']} page files, {c['commits']} commits); first start of the preview (whole build, "
                  f"every core): {ed['first_start']:.1f} s.", "",
                  table(["from saving one page to …", "seconds, median (min–max)", "edits", "goal < 1 s"], [
                      ["reload signal on the event stream", spread([v for v in ed["to_version"] if v == v], "{:.3f}"),
                       len(ed["to_version"]), ""],
                      ["the page, loaded on it, shows the change", spread(ok, "{:.3f}"), len(ok),
                       ("holds" if ok and common.med(ok) < 1 else "MISSED")]]), "",
                  "Server log of the rebuilds: " + "; ".join(r.strip() for r in ed["server_log_rebuilds"]), ""]
    text = "\n".join(lines)
    common.save_json(common.BENCH_DIR / "results" / "serve.json", results)
    (common.BENCH_DIR / "results" / "serve.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
