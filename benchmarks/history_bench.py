"""History benchmark (issue 4): the one pass over git history as a share of the whole cold build.

    python benchmarks/history_bench.py [--units 300 --pages 105 --commits 5000] [--runs 5]

On a `bip demo` corpus with ≥ 300 units, ≥ 30,000 pages and ≥ 5,000 commits:
- cold: `bip.history.read_history(root)` without a cache folder (one `git log` stream, parsed), plus
  `History.dirty("content")` (the `git status` that `bip build` also runs), each in a fresh process;
- warm: `read_history(root, cache_dir=…)` with the cache already written for this HEAD;
- the whole cold build of the same corpus: `bip build --clean --jobs 2` into a fresh folder, once
  (or `--build-runs N`), with its own "history" stage from `--report`.
Goal: cold history extraction under 10 % of the whole cold build.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from common import log, med, spread, table  # noqa: E402

PROBE = r"""
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from bip.history import read_history
t1 = time.perf_counter()
root = Path(sys.argv[1]); cache = Path(sys.argv[2]) if sys.argv[2] != "-" else None
h = read_history(root, "content", cache)
t2 = time.perf_counter()
dirty = list(h.dirty("content"))
t3 = time.perf_counter()
paths = len(h._files)
versions = sum(len(v) for v in h._files.values())
print(json.dumps({"import": t1 - t0, "read": t2 - t1, "dirty": t3 - t2, "paths": paths, "versions": versions,
                  "commits": len(h._rank)}))
"""


def run_probe(corpus: Path, cache: Path | None) -> dict:
    proc = subprocess.run([common.PYTHON, "-c", PROBE, str(corpus), str(cache) if cache else "-"],
                          cwd=common.REPO, check=True, capture_output=True, text=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--pages", type=int, default=105)
    parser.add_argument("--commits", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--build-runs", type=int, default=1)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    facts = common.machine_facts()
    corpus = common.make_corpus(args.units, args.pages, args.commits, args.seed, fresh=args.fresh)
    cfacts = common.corpus_facts(corpus)
    log(f"corpus: {cfacts}")
    work = common.BENCH_DIR / "work" / ("history-" + common.corpus_name(args.units, args.pages, args.commits, args.seed))
    cache = work / "history-cache"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)

    cold, warm = [], []
    for i in range(args.runs):
        log(f"history run {i + 1}/{args.runs}")
        cold.append(run_probe(corpus, None))
        shutil.rmtree(cache, ignore_errors=True)
        run_probe(corpus, cache)  # writes the cache for this HEAD
        warm.append(run_probe(corpus, cache))
        log(f"  cold {cold[-1]['read']:.3f} s (+ dirty {cold[-1]['dirty']:.3f} s), warm {warm[-1]['read']:.3f} s")

    builds = []
    for i in range(args.build_runs):
        out = work / "out" / "public"
        shutil.rmtree(out.parent, ignore_errors=True)
        out.parent.mkdir(parents=True)
        report = work / f"report-{i}.json"
        log(f"cold build {i + 1}/{args.build_runs}")
        sample = common.measure([common.PYTHON, "-m", "bip", "build", "--root", str(corpus), "--out", str(out),
                                 "--jobs", "2", "--clean", "--report", str(report)], cwd=common.REPO)
        data = json.loads(report.read_text())
        builds.append({"wall": sample.wall, "cpu": sample.cpu, "peak_rss": sample.peak_rss,
                       "stages": data["stages"], "seconds": data["seconds"]})
        log(f"  {sample.wall:.1f} s wall, history stage {data['stages'].get('history', 0):.3f} s")

    cold_read = [c["read"] for c in cold]
    cold_total = [c["read"] + c["dirty"] for c in cold]
    warm_read = [w["read"] for w in warm]
    build_wall = [b["wall"] for b in builds]
    stage = [b["stages"].get("history", 0.0) for b in builds]
    share = med(cold_total) / med(build_wall) * 100
    share_stage = med(stage) / med(build_wall) * 100
    lines = [
        f"Command: `python benchmarks/history_bench.py {' '.join(sys.argv[1:])}`",
        "",
        f"Corpus: `bip demo --units {args.units} --pages {args.pages} --commits {args.commits} --seed {args.seed}`: "
        f"{cfacts['pages']} page files, {cfacts['attachments']} attachments, {cfacts['commits']} commits; "
        f"history: {cold[0]['commits']} commits, {cold[0]['paths']} paths, {cold[0]['versions']} versions.",
        "",
        table(["measurement", "seconds, median (min–max)", "runs"], [
            ["read_history, cold (no cache: git log + parse)", spread(cold_read, "{:.3f}"), len(cold)],
            ["+ History.dirty (git status)", spread([c["dirty"] for c in cold], "{:.3f}"), len(cold)],
            ["cold total", spread(cold_total, "{:.3f}"), len(cold)],
            ["read_history, warm (cache for this HEAD)", spread(warm_read, "{:.3f}"), len(warm)],
            ["whole cold build (`bip build --clean --jobs 2`)", spread(build_wall, "{:.1f}"), len(builds)],
            ["the build's own `history` stage (from --report)", spread(stage, "{:.3f}"), len(builds)],
        ]),
        "",
        f"Share of the whole cold build: cold history extraction {share:.2f} % "
        f"(the build's history stage: {share_stage:.2f} %); goal < 10 %: "
        f"{'holds' if share < 10 else 'MISSED'}.",
    ]
    text = "\n".join(lines)
    common.save_json(common.BENCH_DIR / "results" / "history.json",
                     {"facts": facts, "corpus": cfacts, "cold": cold, "warm": warm, "builds": builds})
    (common.BENCH_DIR / "results" / "history.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
