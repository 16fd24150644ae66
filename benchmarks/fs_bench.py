"""What the disk charges for the kinds of entries a build makes: a folder, a file in an existing folder, a
file as the first entry of a new folder, a hard link. Prints Markdown (medians of the runs, min–max).

    python benchmarks/fs_bench.py [--count 2000] [--runs 5] [--dir /tmp] [--after-delete 20000]

The system time (the kernel's work, charged to the process) is what differs between them; a build's
output is laid out by it (docs/architecture.md: "Files and folders of a unit's output"). Each run works
in a fresh folder under --dir and deletes it afterwards; with --after-delete N, each run first makes and
deletes a tree of N files (in folders of ten), as a build replaces its previous output: on a disk mounted
with `discard` that is when new entries cost the most.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import tempfile
from collections.abc import Callable

DATA = b"x" * 5000  # about a page


def system_ms(count: int, make: Callable[[int], None]) -> tuple[float, float]:
    """(system, user) milliseconds per entry."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    for i in range(count):
        make(i)
    after = resource.getrusage(resource.RUSAGE_SELF)
    return (1000 * (after.ru_stime - before.ru_stime) / count, 1000 * (after.ru_utime - before.ru_utime) / count)


def write(path: str) -> None:
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), "wb") as out:
        out.write(DATA)


def one_run(base: str, count: int, after_delete: int) -> dict[str, tuple[float, float]]:
    if after_delete:
        old = tempfile.mkdtemp(prefix="bip-fs-old-", dir=base)
        for i in range(after_delete):
            if i % 10 == 0:
                os.mkdir(f"{old}/{i // 10}")
            write(f"{old}/{i // 10}/{i}.html")
        shutil.rmtree(old)
    root = tempfile.mkdtemp(prefix="bip-fs-", dir=base)
    try:
        return {
            "folder (mkdir)": system_ms(count, lambda i: os.mkdir(f"{root}/d{i}")),
            "file, first entry of a new folder": system_ms(count, lambda i: write(f"{root}/d{i}/index.html")),
            "file in an existing folder": system_ms(count, lambda i: write(f"{root}/f{i}.html")),
            "hard link in an existing folder": system_ms(count, lambda i: os.link(f"{root}/f{i}.html", f"{root}/l{i}")),
        }
    finally:
        shutil.rmtree(root)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", default=tempfile.gettempdir())
    parser.add_argument("--after-delete", type=int, default=0, metavar="N")
    args = parser.parse_args()
    runs = [one_run(args.dir, args.count, args.after_delete) for _ in range(args.runs)]
    after = f", each after deleting {args.after_delete} files" if args.after_delete else ""
    print(f"{args.count} entries per kind, {args.runs} runs{after}, in {args.dir}\n")
    print("| entry | system ms each, median (min–max) | user ms each, median |")
    print("|---|---|---|")
    for kind in runs[0]:
        system = [run[kind][0] for run in runs]
        user = [run[kind][1] for run in runs]
        print(f"| {kind} | {statistics.median(system):.3f} ({min(system):.3f}–{max(system):.3f}) | "
              f"{statistics.median(user):.3f} |")


if __name__ == "__main__":
    main()
