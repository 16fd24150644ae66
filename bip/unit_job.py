"""The context of every unit's pipeline (bip.unit_pipeline): made once by the build before its workers fork,
which inherit it; only unit ids and their results cross between processes.

Kept free of the render step's libraries, so that a build with nothing to render never imports them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bip.job import Options

if TYPE_CHECKING:
    from bip.history import History
    from bip.model import Region
    from bip.policy.enforce import Outcome as PolicyOutcome
    from bip.problems import Problem
    from bip.publish.store import Store


@dataclass(frozen=True)
class UnitJob:
    options: Options
    region: Region
    store: Store
    now: dt.datetime
    history: History
    fingerprints: Mapping[str, str]  # unit → fingerprint of its inputs (names its snapshot)
    salts: Mapping[str, str]  # unit → what shapes every page (the render memo's salt)
    failed: frozenset[str]  # units whose pages are only checked, never published
    warnings: Mapping[str, list[Problem]]  # unit → warnings found before the render step (kept in its memo)
    losses: Mapping[str, list[dict]]  # unit → acknowledged lost versions (the ledger)
    policy: PolicyOutcome | None = None  # the publishing policy's verdicts, when region.yaml turns it on
