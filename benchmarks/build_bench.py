"""Build benchmark: bip against Hugo + Pagefind on the same `bip demo` pages (issue 7, item 5).

    python benchmarks/build_bench.py                       # 30 and 300 units × 200 pages, 2000 commits, 3 runs
    python benchmarks/build_bench.py --units 30 --runs 3   # one size only
    python benchmarks/build_bench.py --profile             # + cProfile of a --jobs 1 cold build of the first size

For each size, in one run and interleaved (ours and the reference alternate which goes first):
  (a) cold full build — ours: `bip build --clean` into an --out that did not exist (everything: pages,
      registry with every previous version and diff, search, portal); reference: `hugo` into a folder that
      did not exist, then `pagefind --site` over Hugo's output. Nothing is deleted while runs are timed:
      each cold run gets folders of its own and the earlier ones are deleted at the end (on ext4 without a
      journal, a file made soon after many were deleted costs several times the system time: see
      "Disk entries" in RESULTS.md);
  (b) no-change rebuild — ours: `bip build` again; reference: `hugo` + `pagefind` again (they have no
      incremental production build, so they rebuild everything);
  (c) rebuild after a real git commit that edits one page — ours: `bip build`; reference: the edited
      file is copied into the Hugo tree, then `hugo` + `pagefind`;
  (d) peak RSS of the whole process tree (psutil sampling every 50 ms, RSS summed over all processes);
  (e) output size (files, bytes on disk).
Before each timed run (ours, or Hugo + Pagefind) the script writes out what earlier runs left in the page
cache (`sync`, not timed; its seconds are kept in the JSON as `synced_before`): without it, a run may pay
for the write-back of the one before, whoever made it (`--no-sync`: as before).
The 30-unit size also runs cold builds with `--jobs 1` beside the `--jobs 2` ones.

Results: JSON and Markdown in $BIP_BENCH_DIR/results/ (default /tmp/bip-bench/results/); the Markdown
is what goes into benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import shutil
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from common import log, med, mib, spread, table  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent / "hugo"))
import convert  # noqa: E402

STAGES = ["load", "history", "fingerprint", "validate", "render", "portal", "publish"]


TRASH = common.BENCH_DIR / "work" / "trash"


def put_aside(path: Path) -> None:
    """Move `path` into the trash folder, emptied by `empty_trash` once the runs are timed."""
    TRASH.mkdir(parents=True, exist_ok=True)
    path.rename(TRASH / f"{time.time_ns()}")


def empty_trash() -> None:
    rmtree(TRASH)


def rmtree(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


class Size:
    """One corpus and its two outputs (ours and the reference's)."""

    def __init__(self, units: int, pages: int, commits: int, seed: int, fresh: bool, sync: bool = True):
        self.units, self.pages, self.commits = units, pages, commits
        self.sync = sync  # `sync` before each timed run (`--no-sync`: not)
        self.corpus = common.make_corpus(units, pages, commits, seed, fresh=fresh)
        self.work = common.BENCH_DIR / "work" / common.corpus_name(units, pages, commits, seed)
        self.work.mkdir(parents=True, exist_ok=True)
        # every cold run writes into folders of its own; what earlier runs left is put aside (a rename, no
        # file deleted) and deleted once every run is timed (see `put_aside`)
        self.outputs = self.work / "outputs"
        if self.outputs.exists():
            put_aside(self.outputs)
        self.cold = 0
        self.out = self.outputs / "ours-0" / "public"
        self.site = self.work / "hugo-site"
        self.hugo_out = self.outputs / "hugo-0"
        if self.site.exists():
            put_aside(self.site)  # not deleted here: deletions just before timed runs slow file creation down
        started = time.perf_counter()
        convert.convert(self.corpus, self.site)
        self.convert_seconds = time.perf_counter() - started
        self.edits = 0
        self.edit_page = common.pick_page(self.corpus)
        self.head = common.git(self.corpus, "rev-parse", "HEAD").strip()

    def settle(self) -> float:
        """Write out the page cache's dirty data before a timed run (not timed); the seconds it took."""
        if not self.sync:
            return 0.0
        started = time.perf_counter()
        os.sync()
        return time.perf_counter() - started

    # ours
    def ours(self, tag: str, clean: bool, jobs: int = 2) -> tuple[common.Sample, dict]:
        if clean:
            self.cold += 1
            self.out = self.outputs / f"ours-{self.cold}" / "public"
        self.out.parent.mkdir(parents=True, exist_ok=True)
        report = self.work / f"report-{tag}.json"
        cmd = [common.PYTHON, "-m", "bip", "build", "--root", str(self.corpus), "--out", str(self.out),
               "--jobs", str(jobs), "--report", str(report)]
        if clean:
            cmd.append("--clean")
        synced = self.settle()
        sample = common.measure(cmd, cwd=common.REPO)
        sample.extra["synced_before"] = synced
        data = json.loads(report.read_text())
        summary = {
            "stages": data.get("stages", {}),
            "seconds": data.get("seconds"),
            "rendered": sum(u.get("rendered", 0) for u in data.get("units", [])),
            "reused": sum(u.get("reused", 0) for u in data.get("units", [])),
            "units_built": sum(1 for u in data.get("units", []) if u.get("status") == "built"),
            "ok": data.get("ok"),
        }
        sample.extra.update(summary)
        log(f"  ours {tag}: {sample.wall:.2f} s wall, {sample.cpu:.1f} s CPU, {mib(sample.peak_rss):.0f} MiB, "
            f"rendered {summary['rendered']}, reused {summary['reused']} (sync before: {synced:.1f} s)")
        return sample, summary

    # reference
    def reference(self, tag: str, clean: bool) -> common.Sample:
        if clean:
            self.cold += 1
            self.hugo_out = self.outputs / f"hugo-{self.cold}"
        synced = self.settle()
        hugo = common.measure([common.hugo_binary(), "--buildFuture", "--quiet", "--source", str(self.site),
                               "--destination", str(self.hugo_out)])
        pagefind = common.measure([common.pagefind_binary(), "--site", str(self.hugo_out)])
        total = common.add(hugo, pagefind)
        total.extra["synced_before"] = synced
        log(f"  hugo+pagefind {tag}: {hugo.wall:.2f} + {pagefind.wall:.2f} s wall, "
            f"{mib(hugo.peak_rss):.0f} / {mib(pagefind.peak_rss):.0f} MiB (sync before: {synced:.1f} s)")
        return total

    def reset(self) -> None:
        """Take the corpus back to the commit it had before the edit runs, so that every run starts from it."""
        common.git(self.corpus, "reset", "-q", "--hard", self.head)

    def edit(self) -> None:
        self.edits += 1
        common.commit_page_edit(self.corpus, self.edit_page, self.edits)
        convert.convert_file(self.corpus, self.site, self.edit_page.removeprefix("content/"))


def run_size(size: Size, runs: int, jobs1: bool, cold_budget: float) -> dict:
    res: dict = {"units": size.units, "pages_per_unit": size.pages, "commits_arg": size.commits,
                 "corpus": str(size.corpus), "facts_before": common.corpus_facts(size.corpus),
                 "convert_seconds": size.convert_seconds, "edit_page": size.edit_page}
    cold_o, cold_r, cold_j1 = [], [], []
    cold_runs = runs
    i = 0
    while i < cold_runs:
        log(f"cold run {i + 1}/{cold_runs} ({size.units} units)")
        order = ["ours", "ref"] if i % 2 == 0 else ["ref", "ours"]
        for who in order:
            if who == "ours":
                cold_o.append(size.ours(f"cold{i}", clean=True)[0])
            else:
                cold_r.append(size.reference(f"cold{i}", clean=True))
        if jobs1:
            cold_j1.append(size.ours(f"cold-j1-{i}", clean=True, jobs=1)[0])
        if i == 0 and cold_o[0].wall * runs > cold_budget:
            cold_runs = max(1, min(runs, int(cold_budget // cold_o[0].wall)))
            log(f"  cold build takes {cold_o[0].wall:.0f} s: {cold_runs} cold run(s) fit in {cold_budget:.0f} s")
        i += 1
    # the last cold build of ours is the baseline of the no-change runs: rebuild it if jobs1 ran last
    if jobs1:
        size.ours("cold-baseline", clean=True)
    res["cold_runs"] = cold_runs
    res["ours_out"] = dict(zip(("files", "bytes"), common.du(size.out), strict=True))
    res["ours_out"]["disk_bytes"] = common.disk_usage(size.out.parent)
    res["ref_out"] = dict(zip(("files", "bytes"), common.du(size.hugo_out), strict=True))
    res["ref_out"]["disk_bytes"] = common.disk_usage(size.hugo_out)

    none_o, none_r = [], []
    for i in range(runs):
        log(f"no-change run {i + 1}/{runs}")
        order = ["ours", "ref"] if i % 2 == 0 else ["ref", "ours"]
        for who in order:
            if who == "ours":
                none_o.append(size.ours(f"nochange{i}", clean=False)[0])
            else:
                none_r.append(size.reference(f"nochange{i}", clean=False))

    edit_o, edit_r = [], []
    for i in range(runs):
        log(f"one-page edit run {i + 1}/{runs}: {size.edit_page}")
        size.edit()
        order = ["ours", "ref"] if i % 2 == 0 else ["ref", "ours"]
        for who in order:
            if who == "ours":
                edit_o.append(size.ours(f"edit{i}", clean=False)[0])
            else:
                edit_r.append(size.reference(f"edit{i}", clean=False))
    res["facts_after"] = common.corpus_facts(size.corpus)
    size.reset()
    for folder in sorted(size.outputs.iterdir()):  # the earlier cold runs' outputs (the last ones stay)
        if folder not in (size.out.parent, size.hugo_out):
            put_aside(folder)
    res["samples"] = {k: [asdict(s) for s in v] for k, v in {
        "cold_ours": cold_o, "cold_ref": cold_r, "cold_ours_jobs1": cold_j1,
        "nochange_ours": none_o, "nochange_ref": none_r, "edit_ours": edit_o, "edit_ref": edit_r}.items()}
    return res


# ---------------------------------------------------------------- Markdown


def values(res: dict, key: str, field: str) -> list[float]:
    return [s.get(field, 0) for s in res["samples"][key]]


def parts(res: dict, key: str, index: int, field: str) -> list[float]:
    return [s["extra"]["parts"][index][field] for s in res["samples"][key]]


def markdown(results: list[dict], facts: dict, command: str) -> str:
    out = [f"Command: `{command}`", "", "Machine:", "", common.facts_markdown(facts), ""]
    for res in results:
        f = res["facts_before"]
        out += [f"### {res['units']} units × {res['pages_per_unit']} pages "
                f"({f['pages']} page files, {f['attachments']} attachments, {f['commits']} commits)", ""]
        rows = []
        for label, o, r in (("(a) cold full build", "cold_ours", "cold_ref"),
                            ("(b) no-change rebuild", "nochange_ours", "nochange_ref"),
                            ("(c) one-page edit rebuild", "edit_ours", "edit_ref")):
            if not res["samples"][o]:
                continue
            ow, rw = values(res, o, "wall"), values(res, r, "wall")
            oc, rc = values(res, o, "cpu"), values(res, r, "cpu")
            om, rm = [mib(v) for v in values(res, o, "peak_rss")], [mib(v) for v in values(res, r, "peak_rss")]
            hw, pw = parts(res, r, 0, "wall"), parts(res, r, 1, "wall")
            op, rp = [mib(v) for v in values(res, o, "peak_pss")], [mib(v) for v in values(res, r, "peak_pss")]
            pss = f"{spread(op, '{:.0f}')} / {spread(rp, '{:.0f}')}" if all(op + rp) else "–"
            rows.append([label, spread(ow), spread(rw) + f" = Hugo {spread(hw)} + Pagefind {spread(pw)}",
                         f"**{common.ratio(ow, rw)}**", f"{spread(oc, '{:.1f}')} / {spread(rc, '{:.1f}')}",
                         f"{spread(om, '{:.0f}')} / {spread(rm, '{:.0f}')}", common.ratio(om, rm), pss])
        out.append(table(["scenario", "ours wall s", "Hugo + Pagefind wall s", "ratio ours/ref (wall)",
                          "CPU s (user+sys) ours / ref", "peak RSS MiB (tree) ours / ref", "RSS ratio",
                          "peak PSS MiB (tree) ours / ref"], rows))
        out.append("")
        if res["samples"]["cold_ours"]:
            hm = [mib(v) for v in parts(res, "cold_ref", 0, "peak_rss")]
            pm = [mib(v) for v in parts(res, "cold_ref", 1, "peak_rss")]
            out.append(f"Cold runs: {res['cold_runs']}. Reference peak RSS split: Hugo {spread(hm, '{:.0f}')} MiB, "
                       f"Pagefind {spread(pm, '{:.0f}')} MiB.")
        if res["samples"]["cold_ours_jobs1"]:
            j1 = values(res, "cold_ours_jobs1", "wall")
            j2 = values(res, "cold_ours", "wall")
            out.append(f"`--jobs 1` cold build: {spread(j1)} s wall, "
                       f"{spread([mib(v) for v in values(res, 'cold_ours_jobs1', 'peak_rss')], '{:.0f}')} MiB; "
                       f"`--jobs 2`: {spread(j2)} s; speed-up ×{med(j1) / med(j2):.2f}.")
        # stages
        rows = []
        for key, label in (("cold_ours", "cold"), ("nochange_ours", "no change"), ("edit_ours", "one-page edit")):
            samples = res["samples"][key]
            if not samples:
                continue
            cells = [label]
            for stage in STAGES:
                cells.append(spread([s["extra"]["stages"].get(stage, 0.0) for s in samples]))
            cells.append(spread([s["extra"]["seconds"] or 0 for s in samples]))
            cells.append(f"{med([s['extra']['rendered'] for s in samples]):.0f} / "
                         f"{med([s['extra']['reused'] for s in samples]):.0f}")
            rows.append(cells)
        out += ["", "Our stages (seconds, from `--report`, median (min–max)):", "",
                table(["build", *STAGES, "total", "rendered / reused"], rows), ""]
        oo, ro = res["ours_out"], res["ref_out"]
        out.append(f"(e) Output: ours {oo['files']} files, {oo['bytes'] / 2**20:.0f} MiB apparent, "
                   f"{oo['disk_bytes'] / 2**20:.0f} MiB on disk (public/ and its snapshots, hard links counted once); "
                   f"Hugo + Pagefind {ro['files']} files, {ro['bytes'] / 2**20:.0f} MiB apparent, "
                   f"{ro['disk_bytes'] / 2**20:.0f} MiB on disk.")
        out.append(f"Converting the corpus into the Hugo tree (not timed in the table): {res['convert_seconds']:.1f} s. "
                   f"Edited page: `{res['edit_page']}`.")
        out.append("")
    if len(results) >= 2 and all(r["samples"]["cold_ours"] for r in results[:2]):
        small, big = results[0], results[1]
        growth = small["facts_before"]["pages"], big["facts_before"]["pages"]
        pages_ratio = growth[1] / growth[0]
        ot = med(values(big, "cold_ours", "wall")) / med(values(small, "cold_ours", "wall"))
        rt = med(values(big, "cold_ref", "wall")) / med(values(small, "cold_ref", "wall"))
        om = med(values(big, "cold_ours", "peak_rss")) / med(values(small, "cold_ours", "peak_rss"))
        rm = med(values(big, "cold_ref", "peak_rss")) / med(values(small, "cold_ref", "peak_rss"))
        out += [f"Growth {growth[0]} → {growth[1]} pages (×{pages_ratio:.1f}): cold time ours ×{ot:.2f} "
                f"(per page ×{ot / pages_ratio:.2f}), Hugo + Pagefind ×{rt:.2f}; peak memory ours ×{om:.2f}, "
                f"Hugo + Pagefind ×{rm:.2f}.", ""]
    return "\n".join(out)


def profile(size: Size) -> str:
    """cProfile of one --jobs 1 cold build (in-process: with one job bip renders without workers)."""
    size.out = size.outputs / "profile" / "public"
    size.out.parent.mkdir(parents=True)
    target = common.BENCH_DIR / "results" / f"profile-{size.units}.prof"
    target.parent.mkdir(parents=True, exist_ok=True)
    cmd = [common.PYTHON, "-m", "cProfile", "-o", str(target), "-m", "bip", "build", "--root", str(size.corpus),
           "--out", str(size.out), "--jobs", "1", "--clean"]
    log("profiling: " + " ".join(cmd))
    subprocess.run(cmd, cwd=common.REPO, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lines = []
    for order in ("cumulative", "tottime"):
        stream = __import__("io").StringIO()
        pstats.Stats(str(target), stream=stream).strip_dirs().sort_stats(order).print_stats(30)
        lines.append(stream.getvalue())
    text = "\n".join(lines)
    (target.with_suffix(".txt")).write_text(text)
    return text


def bytecode() -> str:
    """bip's modules compiled, as `pip install` does: a checkout run with PYTHONDONTWRITEBYTECODE=1 (as on the
    benchmark machines) would otherwise compile every imported module again in each build."""
    import compileall

    import bip

    package = Path(bip.__file__).resolve().parent
    compileall.compile_dir(str(package), quiet=1)
    return f"compiled before the runs (python -m compileall {package}), as an installed package has it"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", default="30,300", help="comma-separated unit counts (default 30,300)")
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cold-budget", type=float, default=2400.0,
                        help="seconds the cold runs of ours may take per size; fewer runs if the first is slow")
    parser.add_argument("--no-jobs1", action="store_true", help="skip the --jobs 1 runs of the 30-unit size")
    parser.add_argument("--no-sync", action="store_true",
                        help="no `sync` before each timed run: a run may then pay for the write-back of the one before")
    parser.add_argument("--profile", action="store_true", help="cProfile a --jobs 1 cold build of the first size")
    parser.add_argument("--fresh", action="store_true", help="make the corpora anew")
    parser.add_argument("--source-only", action="store_true",
                        help="leave bip's modules without bytecode, as a checkout run with PYTHONDONTWRITEBYTECODE=1: "
                             "every build then compiles them anew (about 0.3 s)")
    args = parser.parse_args()
    facts = common.machine_facts()
    facts["sync"] = "sync before each timed run (not timed)" if not args.no_sync else "no sync between runs"
    facts["bytecode"] = "source only (compiled by every run)" if args.source_only else bytecode()
    results_dir = common.BENCH_DIR / "results"
    command = "python benchmarks/build_bench.py " + " ".join(sys.argv[1:])
    results = []
    for n in [int(x) for x in args.units.split(",")]:
        size = Size(n, args.pages, args.commits, args.seed, args.fresh, sync=not args.no_sync)
        res = run_size(size, args.runs, jobs1=(n <= 30 and not args.no_jobs1), cold_budget=args.cold_budget)
        results.append(res)
        common.save_json(results_dir / f"build-{n}.json", res)
        (results_dir / "build.md").write_text(markdown(results, facts, command))
        if args.profile and len(results) == 1:
            (results_dir / f"profile-{n}.txt").write_text(profile(size))
    empty_trash()
    text = markdown(results, facts, command)
    (results_dir / "build.md").write_text(text)
    common.save_json(results_dir / "build-all.json", {"facts": facts, "results": results})
    print(text)


if __name__ == "__main__":
    main()
