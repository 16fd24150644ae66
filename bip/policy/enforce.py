"""The policy in a build or a check: which changes no authorised person signed, and what they block.

A unit is blocked while its current content holds such a change: until an administrator accepts the
commit (`policy.accepted` in region.yaml, itself a change only an administrator may make), or an
authorised person's later signed commit (not a merge) is the last to change every file it touched.
An unauthorised change to region.yaml or a theme blocks every unit; to any other file, it is reported.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bip.files import write_atomic
from bip.history import History
from bip.problems import Problems

from . import gitio
from .errors import PolicyError
from .in_force import REGION_FILE, Lowering
from .model import Policy
from .verify import FORMAT, Verdict, Verifier, area_of

BEFORE = "sprzed wdrożenia zasad"
HINT = ("Publikację odblokuje podpisany commit osoby uprawnionej, który na nowo zapisze te pliki, albo "
        "akceptacja administratora: policy: accepted: [<commit>] w region.yaml (docs/redaktorzy/podpisywanie.md).")


@dataclass
class Finding:
    verdict: Verdict
    area: str  # the unit, "" for the region's own files
    paths: tuple[str, ...]  # still holding the unauthorised change

    def message(self) -> str:
        v = self.verdict
        shown = ", ".join(self.paths[:5]) + (f" (i {len(self.paths) - 5} innych)" if len(self.paths) > 5 else "")
        who = f"redaktor podmiotu {self.area} albo administrator" if self.area else "administrator"
        signer = " (ta osoba nie ma uprawnień do tych plików)" if v.signer else ""
        return (f"Zmiana bez podpisu osoby uprawnionej ({who}): commit {v.commit[:12]}, autor {v.author} "
                f"<{v.email}>, {v.status_text()}{signer}; pliki: {shown}.")


@dataclass
class Outcome:
    findings: list[Finding] = field(default_factory=list)
    listing: Callable[[], list[Verdict]] | None = None  # every commit after `since`, read when first asked for
    _verdicts: dict[str, Verdict] | None = None

    @property
    def verdicts(self) -> dict[str, Verdict]:
        if self._verdicts is None:
            self._verdicts = {v.commit: v for v in (self.listing() if self.listing else [])}
        return self._verdicts

    def load(self) -> None:
        """Read the verdicts now (before workers fork, which then share them)."""
        self._verdicts = self.verdicts

    def blocked(self) -> set[str]:
        """Units not to publish; "" when every unit is (region.yaml or a theme)."""
        return {f.area for f in self.findings if f.area or _shapes_sites(f.paths)}

    def label(self, commit: str) -> tuple[str, str]:
        """(the registry's verification text, the verified person or "") of a commit."""
        verdict = self.verdicts.get(commit)
        if verdict is None:
            return BEFORE, ""
        return verdict.status_text(), verdict.signer


def _shapes_sites(paths: tuple[str, ...]) -> bool:
    return any(p == "content/region.yaml" or p.startswith(("themes/", "content/")) for p in paths)


def evaluate(root: Path, policy: Policy, history: History, cache_dir: Path, tip: str = "HEAD",
             exclude: list[str] | None = None) -> Outcome:
    """The findings of every commit reachable from `tip` (after `policy.since`, or `exclude`)."""
    verifier = Verifier(root, cache_dir, history if history.head else None)
    tip = tip if len(tip) == 40 else gitio.resolve(root, tip)
    # the findings of this tip, since and acceptance as an earlier build left them: a build with no new
    # commit reads one small file and runs no git
    key = hashlib.sha256(json.dumps([FORMAT, tip, exclude, policy.since, policy.accepted]).encode()).hexdigest()
    if exclude is None:
        since = policy.since
        exclude = [since if len(since) == 40 else gitio.resolve(root, since)] if since else []
    outcome = Outcome(listing=lambda: verifier.range(tip, exclude))
    summary = cache_dir / "findings.json"
    stored = _stored(summary, key)
    if stored is not None:
        outcome.findings = stored
        return outcome
    for verdict in outcome.verdicts.values():
        if not verdict.refused or any(verdict.commit.startswith(a) for a in policy.accepted if len(a) >= 7):
            continue
        for area, paths in verdict.refused:
            left = tuple(p for p in paths if not _taken_over(p, verdict, history, outcome.verdicts))
            if left:
                outcome.findings.append(Finding(verdict, area, left))
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        rows = [[f.verdict.row(), f.area, list(f.paths)] for f in outcome.findings]
        write_atomic(summary, json.dumps({"key": key, "findings": rows}, ensure_ascii=False).encode())
    except OSError:
        pass  # a cache only saves time
    return outcome


def _stored(summary: Path, key: str) -> list[Finding] | None:
    try:
        data = json.loads(summary.read_bytes())
        if data["key"] != key:
            return None
        found = []
        for row, area, paths in data["findings"]:
            found.append(Finding(Verdict.of(row), area, tuple(paths)))
        return found
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _taken_over(path: str, verdict: Verdict, history: History, verdicts: dict[str, Verdict]) -> bool:
    """Whether the last change to `path` on the published line is a later authorised, single-parent commit
    (which then signed the whole file as it is now)."""
    if not path.startswith("content/") or history.subdir != "content" or not history.head:
        return False
    chain = history.versions(path)
    if not chain or chain[-1].path != path:
        chain = next((c for p in history.paths_under(path.rsplit("/", 1)[0])
                      for c in [history.versions(p)] if any(v.path == path or v.old_path == path for v in c)), [])
    if not chain:
        return False
    last = verdicts.get(chain[-1].commit)
    return (last is not None and last.commit != verdict.commit and last.parents == 1
            and area_of(path) not in {a for a, _ in last.refused})


def check_build(root: Path, policy: Policy, lowering: Lowering | None, history: History, cache_dir: Path,
                problems: Problems, units: set[str] | None = None) -> Outcome | None:
    """The policy step of a build: errors (enforce) or warnings (warn), located at the blocked unit's files
    (of `units` only, when given: a shard or `--unit` build). `policy` and `lowering` are what
    bip.policy.in_force found in force. None when its mode is off or there is no history."""
    if not policy.active or not history.head:
        return None
    if lowering is not None:
        report = problems.error if policy.mode == "enforce" else problems.warning
        report(REGION_FILE, 1, "policy",
               f"Tryb zasad publikacji obniżono do „{lowering.written}” commitem {lowering.commit[:12]} "
               f"({lowering.author}) bez podpisu administratora: nadal obowiązuje tryb „{policy.mode}”.",
               "Zmianę trybu musi podpisać administrator wymieniony w region.yaml przed tą zmianą albo zaakceptować "
               "jej commit (policy: accepted) — docs/redaktorzy/podpisywanie.md.")
    try:
        outcome = evaluate(root, policy, history, cache_dir, history.head)
    except PolicyError as exc:
        report = problems.error if policy.mode == "enforce" else problems.warning
        report("content/region.yaml", 1, "policy", exc.message, exc.hint)
        return None
    report = problems.error if policy.mode == "enforce" else problems.warning
    for finding in outcome.findings:
        if units is not None and finding.area and finding.area not in units:
            continue
        where = finding.paths[0]
        if not finding.area and not _shapes_sites(finding.paths):
            problems.warning(where, 1, "policy", finding.message(), HINT)  # not published: reported only
            continue
        report(where, 1, "policy", finding.message(), HINT)
    return outcome
