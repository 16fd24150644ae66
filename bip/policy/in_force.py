"""Which policy is in force: region.yaml's, unless a commit weakened it without an administrator's signature.

A commit that lowers the mode (enforce → warn → off, or drops `policy`) is judged, like every commit, by the
policy before it: an administrator of that policy must have signed it (or accepted its id). Otherwise the
stronger policy stays in force, with that commit reported, so a push that switches the policy off is no way
around it. The region.yaml history is walked once; the answer is cached by its newest version.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from bip.files import write_atomic
from bip.history import History
from bip.load.yamlfile import BipLoader

from .model import Policy, region_policy

REGION_FILE = "content/region.yaml"
RANK = {"off": 0, "warn": 1, "enforce": 2}


@dataclass(frozen=True)
class Lowering:
    """An unauthorised commit that lowered the mode; `kept` is the policy that stays in force."""

    commit: str
    author: str
    kept: Policy
    written: str  # the mode that commit wrote


def in_force(root: Path, data: object, history: History, cache_dir: Path) -> tuple[Policy, Lowering | None]:
    """The policy of the build: region.yaml's (`data`), or the one before its unauthorised lowering."""
    current = region_policy(data)
    chain = history.versions(REGION_FILE) if history.head else []
    if len(chain) < 2:
        return current, None
    key = f"{chain[-1].commit} {len(chain)}"
    state = cache_dir / "in-force.json"
    cached = _load(state)
    found = cached.get("lowering") if cached.get("key") == key else False
    if not (found is None or (isinstance(found, list) and len(found) == 2 and all(isinstance(i, int) for i in found)
                              and 0 <= found[1] < found[0] < len(chain))):
        found = _unauthorised_lowering(root, history, chain, cache_dir)
        with contextlib.suppress(OSError):  # a cache only saves time
            write_atomic(state, json.dumps({"key": key, "lowering": found}).encode())
    if found is None:
        return current, None
    lowering, kept_at = found
    kept = _policy(history.read_blobs([chain[kept_at].blob]).get(chain[kept_at].blob, b""))
    if RANK[current.mode] >= RANK[kept.mode]:
        return current, None  # lowered and raised again: the normal check reports the unsigned commits
    version = chain[lowering]
    return kept, Lowering(version.commit, f"{version.author_name} <{version.author_email}>", kept, current.mode)


def _unauthorised_lowering(root: Path, history: History, chain: list, cache_dir: Path) -> list[int] | None:
    """[index of the first unauthorised lowering after the policy kept, index of the version whose policy is
    kept] in `chain` (oldest first), or None when the newest version's policy is in force. A version's policy
    is kept when it was made while no policy was in force, or signed by an administrator of the one before."""
    blobs = history.read_blobs([v.blob for v in chain if v.blob])
    policies = [_policy(blobs.get(v.blob, b"")) for v in chain]
    first = next((i for i, p in enumerate(policies) if p.active), None)
    if first is None or first == len(chain) - 1:
        return None  # never in force, or only since the newest version: nothing could have weakened it
    from . import gitio
    from .errors import PolicyError
    from .verify import Verifier  # git and the keyring only for a region that had a policy

    try:
        start = [gitio.resolve(root, f"{chain[first].commit}^")]
    except PolicyError:
        start = []  # the repository's first commit
    verdicts = {v.commit: v for v in Verifier(root, cache_dir, history).range(history.head, start)}
    kept = first
    lowering: int | None = None
    for i in range(first + 1, len(chain)):
        if not policies[kept].active or _authorised(chain[i].commit, policies[kept], verdicts):
            kept, lowering = i, None
        elif lowering is None and RANK[policies[i].mode] < RANK[policies[kept].mode]:
            lowering = i
    if kept == len(chain) - 1:
        return None
    if lowering is None:  # unauthorised changes that lowered nothing: the normal check reports them
        return None
    return [lowering, kept]


def _authorised(commit: str, before: Policy, verdicts: dict) -> bool:
    """Whether an administrator of `before` (the policy in force, not the commit's parent's, which an
    unauthorised commit may have changed) signed this commit, or accepted its id."""
    if any(commit.startswith(a) for a in before.accepted if len(a) >= 7):
        return True
    verdict = verdicts.get(commit)
    person = before.administrators.get(verdict.signer_email) if verdict is not None and verdict.signer else None
    if verdict is None or person is None:
        return False
    if verdict.via == "ssh":
        return verdict.key in person.fingerprints
    return verdict.via in before.forge_keys  # a forge key that policy trusts vouched for the author's e-mail


def _policy(data: bytes) -> Policy:
    if b"policy" not in data:
        return Policy()  # most regions: no need to parse
    try:
        return region_policy(yaml.load(data.decode("utf-8"), Loader=BipLoader))  # noqa: S506 - a safe loader
    except (yaml.YAMLError, UnicodeDecodeError):
        return Policy()


def _load(path: Path) -> dict:
    try:
        data = json.loads(path.read_bytes())
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}
