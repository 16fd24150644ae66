"""`bip policy codeowners` and `bip policy check`: their results as values (bip.cli prints them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bip.history import History
from bip.job import CACHE_DIR
from bip.load import load_region
from bip.problems import Problems

from . import gitio
from .codeowners import codeowners
from .model import region_policy, unit_editors
from .verify import Verifier


def region_codeowners(root: Path) -> tuple[str | None, Problems]:
    """The CODEOWNERS text of the region's policy; None (and why) when the region does not load."""
    problems = Problems()
    region = load_region(root, problems, pages_of=[])
    if region is None:
        return None, problems
    return codeowners(region_policy(region.data), {u: unit_editors(region.units[u].data) for u in sorted(region.units)}), \
        problems


@dataclass
class CheckedCommit:
    commit: str
    author: str
    email: str
    status: str  # the verification of its signature, in Polish
    state: str  # "uprawniona", "BEZ UPRAWNIEŃ" or "zaakceptowana przez administratora"
    needs: list[tuple[str, list[str]]]  # unaccepted, unauthorised: (who must sign, the files), else empty


def check_range(root: Path, given: str) -> list[CheckedCommit]:
    """Every commit of `given` ("A..B", or one commit: its history after `policy.since`) with its verification,
    oldest first. Raises PolicyError when the range cannot be read."""
    problems = Problems()
    region = load_region(root, problems, pages_of=[])
    policy = region_policy(region.data if region is not None else None)
    start, dots, tip = given.partition("..")
    if dots and start and set(start) == {"0"}:  # a CI's "before" of a new branch: no earlier commit
        start, dots = tip or "HEAD", ""
    if dots:
        exclude = [gitio.resolve(root, start or "HEAD")]
        tip = tip or "HEAD"
    else:
        tip, exclude = start, [gitio.resolve(root, policy.since)] if policy.since else []
    verdicts = Verifier(root, root / CACHE_DIR / "policy", History.empty(root)).range(gitio.resolve(root, tip), exclude)
    checked = []
    for verdict in reversed(verdicts):  # oldest first, as they were made
        accepted = any(verdict.commit.startswith(a) for a in policy.accepted if len(a) >= 7)
        state = "zaakceptowana przez administratora" if verdict.refused and accepted else \
            "BEZ UPRAWNIEŃ" if verdict.refused else "uprawniona"
        needs = [] if not verdict.refused or accepted else [
            (f"redaktor podmiotu {area} albo administrator" if area else "administrator", paths)
            for area, paths in verdict.refused]
        checked.append(CheckedCommit(verdict.commit, verdict.author, verdict.email, verdict.status_text(), state,
                                     needs))
    return checked
