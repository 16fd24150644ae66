"""`bip policy codeowners` and `bip policy check`: what the command line prints and its exit code."""

from __future__ import annotations

import sys
from pathlib import Path

from bip.history import History
from bip.job import CACHE_DIR
from bip.load import load_region
from bip.problems import Problems

from . import gitio
from .codeowners import codeowners
from .errors import PolicyError
from .model import region_policy, unit_editors
from .verify import Verifier


def write_codeowners(root: Path, out: Path | None) -> int:
    problems = Problems()
    region = load_region(root, problems, pages_of=[])
    if region is None:
        for problem in problems.sorted():
            print(problem.format(), file=sys.stderr)
        return 1
    text = codeowners(region_policy(region.data), {u: unit_editors(region.units[u].data) for u in sorted(region.units)})
    if out is None:
        sys.stdout.write(text)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        print(f"Zapisano {out}.")
    return 0


def check_range(root: Path, given: str) -> int:
    """Every commit of `given` ("A..B", or one commit: its history after `policy.since`) with its verification;
    1 when any holds a change no authorised person signed (and no administrator accepted)."""
    problems = Problems()
    region = load_region(root, problems, pages_of=[])
    policy = region_policy(region.data if region is not None else None)
    start, dots, tip = given.partition("..")
    if dots and start and set(start) == {"0"}:  # a CI's "before" of a new branch: no earlier commit
        start, dots = tip or "HEAD", ""
    try:
        if dots:
            exclude = [gitio.resolve(root, start or "HEAD")]
            tip = tip or "HEAD"
        else:
            tip, exclude = start, [gitio.resolve(root, policy.since)] if policy.since else []
        verdicts = Verifier(root, root / CACHE_DIR / "policy", History.empty(root)).range(gitio.resolve(root, tip),
                                                                                          exclude)
    except PolicyError as exc:
        print(f"bip: {exc.message} {exc.hint}", file=sys.stderr)
        return 2
    refused = 0
    for verdict in reversed(verdicts):  # oldest first, as they were made
        accepted = any(verdict.commit.startswith(a) for a in policy.accepted if len(a) >= 7)
        state = "zaakceptowana przez administratora" if verdict.refused and accepted else \
            "BEZ UPRAWNIEŃ" if verdict.refused else "uprawniona"
        print(f"{verdict.commit[:12]} {verdict.author} <{verdict.email}>: {verdict.status_text()} — {state}")
        if verdict.refused and not accepted:
            refused += 1
            for area, paths in verdict.refused:
                who = f"redaktor podmiotu {area} albo administrator" if area else "administrator"
                print(f"    wymaga podpisu: {who}; pliki: {', '.join(paths)}")
    print(f"\nSprawdzono commitów: {len(verdicts)}, bez uprawnień: {refused}.")
    return 1 if refused else 0
