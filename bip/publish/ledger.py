"""The output's ledger: every page version it ever published, so that the record cannot silently shrink.

    <out>.d/ledger/<unit>.jsonl   one line per version (unit, page, commit, date, SHA-256 of the source and of
                                  each attachment), sorted; entries are added, never removed
    <out>.d/ledger/state.json     per unit: the snapshot recorded last, and the last check that passed

It lives beside the snapshots (a unit's snapshot is replaced, the ledger is not). Entries come from the
`rejestr-zmian/rejestr.json` of each snapshot that goes live (once per snapshot), so unchanged units and
snapshots merged from shards are recorded alike. A unit whose git history lacks a version of its ledger
(a force-push, a rewrite) is not published until an administrator acknowledges the loss in region.yaml
(`policy.lost_versions_acknowledged`, or the commit in `policy.accepted`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bip.files import write_atomic
from bip.history import History
from bip.problems import Problems
from bip.publish.store import Store

RECORD = "rejestr-zmian/rejestr.json"
HINT = ("Przywróć utracone commity w repozytorium albo, gdy utrata jest zamierzona, niech administrator ją "
        "potwierdzi podpisaną zmianą region.yaml: policy: lost_versions_acknowledged: [{commit: …, reason: …}] "
        "(docs/rejestr-wersji.md).")


def acknowledged(region_data: Any) -> dict[str, str]:
    """Commit (or prefix of at least 7 characters) → reason, from `policy.lost_versions_acknowledged` and
    `policy.accepted` in region.yaml."""
    policy = region_data.get("policy") if isinstance(region_data, dict) else None
    if not isinstance(policy, dict):
        return {}
    found: dict[str, str] = {}
    for item in policy.get("accepted") or []:
        if isinstance(item, str) and len(item.strip()) >= 7:
            found[item.strip().lower()] = ""
    for item in policy.get("lost_versions_acknowledged") or []:
        commit = item.get("commit") if isinstance(item, dict) else item
        if isinstance(commit, str) and len(commit.strip()) >= 7:
            found[commit.strip().lower()] = str(item.get("reason") or "") if isinstance(item, dict) else ""
    return found


def entries_of(record: dict) -> list[dict]:
    """The ledger entries of a published rejestr.json: its page versions that had content."""
    unit = record.get("unit", "")
    found = []
    for entry in record.get("entries") or []:
        if entry.get("sha256"):
            found.append({"unit": unit, "page": entry["page"], "commit": entry["commit"], "date": entry["date"],
                          "sha256": entry["sha256"],
                          "attachments": [{"file": a["file"], "sha256": a.get("sha256")}
                                          for a in entry.get("attachments") or []]})
    return found


def _line(entry: dict) -> str:
    return json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _order(entry: dict) -> tuple[str, str, str]:
    return entry["page"], entry["date"], entry["commit"]


NO_RECORD, NOTHING_NEW = object(), object()  # what Ledger._merged finds besides a new ledger


@dataclass
class Missing:
    entry: dict

    def message(self) -> str:
        e = self.entry
        return (f"Opublikowana wersja zniknęła z historii git: strona {e['page']}, commit {e['commit'][:12]}, "
                f"z dnia {e['date'][:10]}; podmiot nie zostanie opublikowany, dopóki utrata nie zostanie "
                "wyjaśniona.")


class Ledger:
    def __init__(self, store: Store):
        self.folder = store.base / "ledger"
        self.state_file = self.folder / "state.json"
        try:
            self.state: dict[str, dict] = json.loads(self.state_file.read_bytes())
        except (OSError, ValueError):
            self.state = {}
        self.changed = False
        self.losses: dict[str, list[dict]] = {}  # unit → its acknowledged lost versions, with the reason
        self.passed: dict[str, str] = {}  # unit → the key of its check that passed in this run
        self.prepared: dict[str, tuple[str, Path | object]] = {}  # unit → (snapshot name, what prepare() found)

    def file(self, unit: str) -> Path:
        return self.folder / f"{unit}.jsonl"

    def entries(self, unit: str) -> list[dict]:
        try:
            text = self.file(unit).read_text(encoding="utf-8")
        except OSError:
            return []
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    def _stamp(self, unit: str) -> str:
        """Identifies the ledger file as it is now (written whole by a rename: a new inode each time)."""
        try:
            st = os.stat(self.file(unit))
        except OSError:
            return "none"
        return f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"

    # -- the check --------------------------------------------------------------------------------
    def lost(self, unit: str, source: str, history: History) -> list[dict]:
        """The versions of the unit's ledger its history lacks (those a shallow clone cannot reach aside)."""
        entries = self.entries(unit)
        if not entries:
            return []
        known = {(v.path, v.commit) for p in history.paths_under(source) for v in history.versions(p)}
        since = history.complete_since
        return [e for e in entries if (e["page"], e["commit"]) not in known
                and not (since is not None and dt.datetime.fromisoformat(e["date"]) < since)]

    def check(self, unit: str, source: str, history: History, acks: dict[str, str], key: str,
              again: bool = False) -> list[Missing]:
        """The lost versions no administrator acknowledged; those acknowledged go to `losses` (with the
        reason: the unit's rejestr.json lists them). `key` (the unit's fingerprint: it covers its history
        and region.yaml) skips a check that passed before, unless `again` (a unit about to be rendered)."""
        stamp = f"{key}|{self._stamp(unit)}"
        if not again and self.state.get(unit, {}).get("checked") == stamp:
            return []
        missing = []
        for entry in self.lost(unit, source, history):
            reason = next((r for prefix, r in acks.items() if entry["commit"].startswith(prefix)), None)
            if reason is None:
                missing.append(Missing(entry))
            else:
                self.losses.setdefault(unit, []).append({**entry, "reason": reason})
        if not missing:
            self.passed[unit] = key
            self._mark(unit, stamp)
        return missing

    def _mark(self, unit: str, stamp: str) -> None:
        if self.state.get(unit, {}).get("checked") != stamp:
            self.state.setdefault(unit, {})["checked"] = stamp
            self.changed = True

    # -- recording ----------------------------------------------------------------------------------
    def prepare(self, unit: str, snapshot: Path) -> None:
        """Work out what record() will add for a snapshot ahead of time (while other units render): the merged
        ledger goes into a file beside the unit's, which record() puts in its place once the snapshot is live."""
        if self.state.get(unit, {}).get("snapshot") == snapshot.name:
            return
        merged = self._merged(unit, snapshot)
        if isinstance(merged, bytes):
            pending = self.folder / f".{unit}.pending"
            try:
                write_atomic(pending, merged)
            except OSError:
                return  # record() merges it then
            merged = pending
        self.prepared[unit] = (snapshot.name, merged)

    def record(self, unit: str, snapshot: Path) -> None:
        """Add the versions of a live snapshot (once per snapshot)."""
        if self.state.get(unit, {}).get("snapshot") == snapshot.name:
            return
        name, merged = self.prepared.pop(unit, ("", None))
        if name != snapshot.name:  # prepared for another snapshot (or not at all)
            if isinstance(merged, Path):
                with contextlib.suppress(OSError):
                    merged.unlink()
            merged = self._merged(unit, snapshot)
        if merged is NO_RECORD:
            return  # a snapshot with no registry (made before the ledger): its versions come with the next
        if merged is not NOTHING_NEW:
            if isinstance(merged, Path):
                os.replace(merged, self.file(unit))
            else:
                write_atomic(self.file(unit), merged)
            if unit in self.passed:  # what this history published is in it: the check still passes
                self._mark(unit, f"{self.passed[unit]}|{self._stamp(unit)}")
        self.state.setdefault(unit, {})["snapshot"] = snapshot.name
        self.changed = True

    def _merged(self, unit: str, snapshot: Path) -> bytes | object:
        """The unit's ledger with the versions of the snapshot's registry added; NOTHING_NEW when it has them
        all, NO_RECORD when the snapshot has no registry."""
        try:
            record = json.loads((snapshot / RECORD).read_bytes())
        except (OSError, ValueError):
            return NO_RECORD
        lines = {_line(e): e for e in self.entries(unit)}
        before = len(lines)
        lines.update((_line(e), e) for e in entries_of(record))
        if len(lines) == before:
            return NOTHING_NEW
        ordered = sorted(lines, key=lambda line: (*_order(lines[line]), line))
        return ("\n".join(ordered) + "\n").encode()

    def save(self) -> None:
        for _, merged in self.prepared.values():  # prepared for a snapshot that did not go live
            if isinstance(merged, Path):
                with contextlib.suppress(OSError):
                    merged.unlink()
        self.prepared.clear()
        if self.changed:
            with contextlib.suppress(OSError):
                write_atomic(self.state_file, (json.dumps(self.state, sort_keys=True, indent=1) + "\n").encode())


def check_units(ledger: Ledger, units: dict[str, str], history: History, region_data: Any,
                prints: dict[str, str], problems: Problems, changed: frozenset[str] = frozenset()) -> set[str]:
    """Errors for every lost version of `units` (id → source folder); the units refused. `changed`: the units
    to be rendered (checked even when a check passed before: their acknowledged losses are needed)."""
    acks = acknowledged(region_data)
    refused = set()
    for unit_id, source in sorted(units.items()):
        for lost in ledger.check(unit_id, source, history, acks, prints.get(unit_id, ""), unit_id in changed):
            problems.error(lost.entry["page"], 1, "ledger", lost.message(), HINT)
            refused.add(unit_id)
    return refused
