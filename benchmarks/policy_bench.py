"""Publishing-policy benchmark: what commit verification adds to a cold and to a no-change build.

On a `bip demo` corpus (default 300 units × 200 pages, the build benchmark's 60,000 pages), alternating
runs of the same builds with `policy: {mode: warn}` in region.yaml and without it:

  (a) cold: `bip build --clean` into an --out that did not exist (the policy verifies every commit);
  (b) no change: the same build again (the verdicts are cached by commit id).

Every commit of a demo corpus is unsigned, so `warn` reports each one: the most work the policy can do.
region.yaml is changed in the working tree only and put back at the end.

    python benchmarks/policy_bench.py --runs 3
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

POLICY = "policy:\n  mode: warn\n"


def build(corpus: Path, out: Path, clean: bool) -> tuple[common.Sample, dict]:
    report = out.parent / "report.json"
    cmd = [common.PYTHON, "-m", "bip", "build", "--root", str(corpus), "--out", str(out), "--jobs", "2",
           "--report", str(report)]
    if clean:
        cmd.append("--clean")
    sample = common.measure(cmd, cwd=corpus, check=False)
    stages = json.loads(report.read_text(encoding="utf-8")).get("stages", {}) if report.exists() else {}
    return sample, stages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=common.BENCH_DIR / "work" / "policy")
    args = parser.parse_args()
    corpus = common.make_corpus(args.units, args.pages, args.commits)
    region = corpus / "content/region.yaml"
    original = region.read_text(encoding="utf-8")
    results: dict[str, dict[str, list]] = {m: {"cold": [], "nochange": [], "policy": []} for m in ("off", "warn")}
    shutil.rmtree(args.work, ignore_errors=True)  # an earlier run's folders, before anything is timed
    try:
        for run in range(args.runs):
            for mode in ("off", "warn") if run % 2 == 0 else ("warn", "off"):  # each goes first in turn
                region.write_text(original + (POLICY if mode == "warn" else ""), encoding="utf-8")
                out = args.work / f"{mode}-{run}" / "public"
                out.parent.mkdir(parents=True)
                common.log(f"run {run + 1}/{args.runs}, policy {mode}: cold")
                cold, stages = build(corpus, out, clean=True)
                common.log(f"  {cold.wall:.1f} s; policy stage {stages.get('policy', 0):.2f} s")
                again, _ = build(corpus, out, clean=False)
                results[mode]["cold"].append(cold.wall)
                results[mode]["nochange"].append(again.wall)
                results[mode]["policy"].append(stages.get("policy", 0.0))
    finally:
        region.write_text(original, encoding="utf-8")
        # deleted only now: a tree of files deleted just before a timed run made that run pay for it (on ext4
        # without a journal, files made soon after many were deleted cost several times the system time)
        shutil.rmtree(args.work, ignore_errors=True)
    off, warn = results["off"], results["warn"]
    lines = [
        f"### Publishing policy on `bip demo --units {args.units} --pages {args.pages} --commits {args.commits}` "
        f"({args.runs} alternating runs, medians (min–max))", "",
        common.table(["build", "policy off", "policy warn (every commit unsigned)", "ratio"], [
            ["(a) cold, wall s", common.spread(off["cold"]), common.spread(warn["cold"]),
             common.ratio(warn["cold"], off["cold"])],
            ["  of which the policy step, s", "—", common.spread(warn["policy"]), ""],
            ["(b) no change, wall s", common.spread(off["nochange"]), common.spread(warn["nochange"]),
             common.ratio(warn["nochange"], off["nochange"])],
        ]), "",
    ]
    text = "\n".join(lines)
    print(text)
    (common.BENCH_DIR / "results").mkdir(parents=True, exist_ok=True)
    (common.BENCH_DIR / "results" / "policy.md").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
