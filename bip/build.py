"""The build as a list of timed steps (`_build`): load → history → fingerprint → policy → ledger → validate
→ render (each changed unit's pipeline in a worker: bip.unit_pipeline) → portal → publish.

A unit's fingerprint names its output snapshot: an unchanged unit is neither loaded nor rendered. A unit with
errors is not published and its previous output stays. See docs/architecture.md.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from bip.attachments.ocr import cache_tag, region_wants_ocr, tesseract_version
from bip.fault import worker_death
from bip.files import write_file
from bip.fingerprint import FileHashes, UnitTrees, combine, generator_signature, theme_signature
from bip.history import History, HistoryError, PendingStatus, read_history
from bip.job import (
    CACHE_DIR,
    PORTAL_LATEST,
    Options,
    UnitReport,
    forget_search_index,
    memo_file,
    note_output,
    parsed_file,
    unit_of,
)
from bip.load import load_region
from bip.load.readahead import read_ahead
from bip.load.remembered import remembering
from bip.model import Region
from bip.problems import Problem, Problems, WarningBlock
from bip.publish.ledger import Ledger, check_units
from bip.publish.lock import BuildLock
from bip.publish.store import MANIFEST, SITE_FILE, Store, copy_snapshot
from bip.render.memo import RenderMemo, warnings_file
from bip.unit_job import UnitJob
from bip.validate import validate_region
from bip.workers import WorkerDied, run_in_workers

if TYPE_CHECKING:
    from bip.policy.enforce import Outcome as PolicyOutcome

# The render step (Jinja2, Markdown, the registry, search indexes, feeds) is imported only when a unit
# or the portal is rendered: a build with nothing to do does not load it.
__all__ = ["CACHE_DIR", "PORTAL_LATEST", "BuildResult", "Options", "UnitReport", "build", "check", "merge",
           "open_history", "unit_of"]


@dataclass
class BuildResult:
    problems: Problems
    units: list[UnitReport] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)
    published: bool = False  # a new site tree went live

    @property
    def failed(self) -> bool:
        return self.problems.has_errors()


class Stopwatch:
    def __init__(self, stages: dict[str, float]):
        self.stages = stages
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.stages[name] = round(self.stages.get(name, 0.0) + now - self.last, 4)
        self.last = now


def check(options: Options) -> tuple[Problems, Region | None]:
    """Load and validate everything (including history-derived fields); build nothing."""
    problems = Problems()
    now = options.now or dt.datetime.now(dt.UTC).astimezone()
    region = load_region(options.root, problems)
    if region is not None:
        validate_region(options.root, region, problems, now)
    return problems, region


def open_history(
    options: Options, problems: Problems, pending: PendingStatus | None = None
) -> tuple[History, tuple[list[str], list[str]] | None]:
    """The history, and the working tree's status (changed, ignored files) if `pending` has it or in CI: a
    change that is not committed cannot be published there. The status is handed on to the fingerprints
    (one `git status`)."""
    try:
        history = read_history(options.root, "content", options.root / CACHE_DIR / "history",
                               allow_shallow=options.allow_shallow, loaded=options.histories)
    except HistoryError as exc:
        problems.error("content", 1, "", exc.message, exc.hint)
        return History.empty(options.root), None
    if pending is not None and pending.running():
        import_render_step()
    status = pending.result(history) if pending is not None else None
    if not options.ci or options.allow_dirty:
        return history, status
    if status is None or pending is None or pending.subdirs != ("content",):
        status = history.status("content", ignored=True)
    for path in status[0]:
        problems.error(
            path, 1, "", "Plik ma niezatwierdzone zmiany (poza gitem): nie może być opublikowany w CI.",
            "Zatwierdź zmianę (git commit) albo uruchom z --allow-dirty.",
        )
    return history, status


def import_render_step() -> None:
    """The render step's modules, imported while git walks the working tree (a time the build waits anyway):
    a one-page edit then no longer imports them after; a build that renders nothing imports them in time it
    would have spent waiting."""
    import bip.unit_pipeline  # noqa: F401


def new_tree(
    root: Path, region: Region, store: Store, links: dict[str, Path], portal_salt: str, portal: bool, now: dt.datetime,
    preview: bool = False, keep_search: bool = False,
) -> Path | None:
    """A site tree: unit links, the portal (not in shard builds) and the key of it all.

    None when the live tree already has this key: nothing changed, nothing is written.
    """
    site_key = combine(portal_salt, "portal" if portal else "shard", *(f"{u}={p.name}" for u, p in sorted(links.items())))
    if store.site_key() == site_key:
        return None
    previous = store.live_tree()
    tree = store.new_tree()
    for unit_id, snapshot in sorted(links.items()):
        store.link_unit(tree, unit_id, snapshot)
    if portal:
        from bip.render.portal import write_portal

        write_portal(root, region, now, tree, preview, previous if keep_search else None,
                     (previous, store.site_key() or "") if previous is not None else None, site_key)
    write_file(tree, SITE_FILE, (json.dumps({"key": site_key}) + "\n").encode())
    return tree


def merge(root: Path, sources: list[Path], out: Path, now: dt.datetime) -> BuildResult:
    """Join shard outputs (built by separate CI jobs) into one site with the portal; same bytes as one build."""
    result = BuildResult(Problems())
    problems = result.problems
    region = load_region(root, problems, pages_of=[])
    if region is None:
        return result
    store = Store(out)
    hashes = FileHashes(root / CACHE_DIR / "files.json")
    portal_salt = combine(generator_signature(), theme_signature(root, region.theme, hashes),
                          region_signature(region))
    lock = BuildLock(out)
    if not lock.acquire(wait=False):
        problems.error(str(out), 1, "", "Inna budowa zapisuje teraz ten sam folder wyjściowy.",
                       "Poczekaj na jej zakończenie albo podaj inny --out.")
        return result
    try:
        store.recover()
        links: dict[str, Path] = {}
        prints: dict[str, str] = {}
        for source in sources:
            for unit_id, snapshot, fingerprint in shard_units(source, problems):
                if unit_id in links:
                    problems.error(str(source), 1, "", f"Podmiot „{unit_id}” jest w więcej niż jednym wyniku.",
                                   "Każdy podmiot powinien być zbudowany w jednym zadaniu (--shard K/N).")
                    continue
                target = store.snapshot(unit_id, fingerprint)
                if store.manifest(target) is None:
                    temporary = store.new_snapshot(unit_id, fingerprint)
                    copy_snapshot(snapshot, temporary)
                    target = store.commit_snapshot(temporary, unit_id, fingerprint)
                    forget_search_index(root, unit_id)  # a new snapshot here: the old index may hold withdrawn text
                links[unit_id], prints[unit_id] = target, fingerprint
                result.units.append(UnitReport(unit_id, "merged"))
        if problems.has_errors():
            return result
        ledger = merge_ledger(root, region, store, links, prints, problems)
        tree = new_tree(root, region, store, links, portal_salt, True, now)
        if tree is not None:
            _, result.published = store.publish(tree)
            store.collect_garbage()
        note_output(root, out)
        record_ledger(ledger, links)
    finally:
        lock.release()
    return result


def merge_ledger(root: Path, region: Region, store: Store, links: dict[str, Path], prints: dict[str, str],
                 problems: Problems) -> Ledger:
    """The ledger of the merged output: a shard's unit whose history lacks a version this output published
    keeps its live snapshot (or is left out), as in a build."""
    ledger = Ledger(store)
    found = Problems()
    history, _ = open_history(Options(root, store.out, allow_shallow=True), found)
    if not history.head:  # no git here: nothing to check against, said once
        problems.warning("content", 1, "ledger", "Księga opublikowanych wersji nie została sprawdzona: brak "
                         "historii git w folderze projektu.", "Uruchom `bip merge` w kopii repozytorium.")
        return ledger
    units = {u: region.units[u].source for u in links if u in region.units}
    for unit_id in check_units(ledger, units, history, region.data, prints, problems):
        live = store.live_unit(unit_id)
        if live is not None:
            links[unit_id] = live
        else:
            del links[unit_id]
    return ledger


def shard_units(source: Path, problems: Problems) -> Iterator[tuple[str, Path, str]]:
    """(unit id, its output folder, fingerprint) of a shard's output: a bip output (a link to a tree),
    or the same copied as plain folders (CI artifacts are often archived with links dereferenced)."""
    tree = Store(source).live_tree() or (source if source.is_dir() else None)
    if tree is None:
        problems.error(str(source), 1, "", "To nie jest wynik budowy bip.", "Podaj foldery --out zadań `bip build --shard K/N`.")
        return
    for entry in sorted(os.scandir(tree), key=lambda e: e.name):
        folder = Path(entry.path)
        manifest = Store.manifest(folder) if entry.is_dir() else None
        if manifest is not None and isinstance(manifest.get("fingerprint"), str):
            yield entry.name, folder.resolve(), manifest["fingerprint"]


def render_units(job: UnitJob, ids: list[str], jobs: int) -> Iterator[tuple[UnitReport, list[Problem]]]:
    """The render step: each unit's pipeline (bip.unit_pipeline) in a worker process forked with `job`, which
    it inherits instead of receiving pickles. A worker that dies fails its unit alone. `jobs` 1: in this
    process (the preview's rebuild after a save: no fork to wait for)."""
    if not ids:
        return
    from bip.search.analysis import load_dictionary
    from bip.unit_pipeline import render_unit

    load_dictionary()  # once, before forking: workers share it
    pipeline = partial(render_unit, job)
    with frozen():
        if jobs == 1:
            yield from map(pipeline, ids)
            return
        for outcome in run_in_workers(pipeline, ids, jobs):
            if isinstance(outcome, WorkerDied):
                outcome = (UnitReport(outcome.unit_id, "failed", reason="internal"),
                           [worker_death(job.region.unit(outcome.unit_id).source, outcome.cause)])
            yield outcome


# A build makes millions of objects and few reference cycles: the default threshold (700) had the cyclic
# collector scan the loaded region again and again (benchmarks/RESULTS.md, "Figures behind code choices").
GC_THRESHOLD = (50_000, 10, 10)


@contextmanager
def fewer_collections() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextmanager
def frozen() -> Iterator[None]:
    """What is loaded so far (the region, its history, the dictionary) is left out of the cyclic collector's
    scans while units render (forked workers then also keep sharing its memory pages instead of copying
    those the collector touches); a long-lived process (`bip serve`) gets it back afterwards."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def shard_of(unit_id: str, count: int) -> int:
    """1-based shard of a unit: a stable hash of its id, the same on every machine."""
    return int(hashlib.sha256(unit_id.encode()).hexdigest()[:8], 16) % count + 1


def fingerprints(
    options: Options, region: Region, history: History, ids: list[str],
    status: tuple[list[str], list[str]] | None = None,
) -> tuple[dict[str, str], dict[str, str], str]:
    """Per unit: the fingerprint of all its inputs, and the salt (what shapes every page: generator,
    theme, region config, preview mode) that the render memo mixes into each output's digest;
    and the portal's salt."""
    hashes = FileHashes(options.root / CACHE_DIR / "files.json")
    trees = UnitTrees(options.root, history, hashes, status,
                      [region.units[u].source for u in ids] if options.units else None)
    region_sig = region_signature(region)
    # recognised text of scans goes into the search index: switching OCR on or off rebuilds the units
    ocr_state = [cache_tag()] if region_wants_ocr(region.data) and tesseract_version() else []
    themes: dict[str, str] = {}
    found, salts = {}, {}
    for unit_id in ids:
        unit = region.units[unit_id]
        if unit.theme not in themes:
            themes[unit.theme] = theme_signature(options.root, unit.theme, hashes)
        salts[unit_id] = combine(generator_signature(), themes[unit.theme], region_sig,
                                 "preview" if options.preview else "site", *ocr_state)
        # a preview rebuild after a save keeps the search of the unit's previous snapshot: its snapshot is
        # not the one a full build of the same content makes
        found[unit_id] = combine(salts[unit_id], trees.signature(unit.source), history.signature(unit.source),
                                 *(["search kept"] if options.preview and options.preview_edit else []))
    if region.theme not in themes:
        themes[region.theme] = theme_signature(options.root, region.theme, hashes)
    hashes.save()
    return found, salts, combine(generator_signature(), themes[region.theme], region_sig)


def region_signature(region: Region) -> str:
    return hashlib.sha256(json.dumps(region.data, sort_keys=True, default=str).encode()).hexdigest()


def reusable(store: Store, unit_id: str, fingerprint: str, now: dt.datetime) -> dict | None:
    """The manifest of an existing snapshot with this fingerprint, if it can be trusted now."""
    manifest = store.manifest(store.snapshot(unit_id, fingerprint))
    if manifest is None or manifest.get("fingerprint") != fingerprint:
        return None
    until = manifest.get("valid_until")
    if until and dt.datetime.fromisoformat(until) <= now:
        return None
    return manifest


def build(options: Options, progress: Callable[[int, int], None] | None = None) -> BuildResult:
    # every unit.yaml parsed and checked before is taken from the cache (the pages: by the workers)
    with fewer_collections(), remembering(parsed_file(options.root, "region"), generator_signature()):
        return _build(options, progress)


@dataclass
class Selection:
    """The units this build is about: those that loaded, and those refused (pages checked, never built)."""
    selected: list[str]
    refused: list[str]


@dataclass
class Plan:
    """Per unit: the fingerprint of its inputs and the salt of every page; which snapshots are reusable."""
    prints: dict[str, str]
    salts: dict[str, str]
    portal_salt: str
    unchanged: dict[str, dict]  # unit → manifest of its reusable snapshot
    changed: list[str]
    losses: dict[str, list[dict]] = field(default_factory=dict)  # unit → acknowledged lost versions (ledger)


def _build(options: Options, progress: Callable[[int, int], None] | None) -> BuildResult:
    """The steps in the order they run, each timed; a step that leaves nothing to publish ends the build."""
    result = BuildResult(Problems())
    problems, clock = result.problems, Stopwatch(result.stages)
    now = options.now or dt.datetime.now(dt.UTC).astimezone()
    pending = working_tree_status(options)  # git walks the working tree while the region loads

    region = load_region(options.root, problems, pages_of=[])  # unit.yaml of each unit; pages in the workers
    clock.lap("load")
    if region is None:
        return result
    selection = select_units(options, region, problems)
    history, status = open_history(options, problems, pending)
    clock.lap("history")
    if any(unit_of(p.file) == "" for p in problems.errors):
        validate_region(options.root, region, problems, now)
        return result  # region-level errors (region.yaml, no git): nothing can be published
    store = Store(options.out)
    plan = plan_units(options, region, history, selection, status, store, now)
    clock.lap("fingerprint")
    policy = check_policy(options, region, history, selection, problems)
    if policy is not None:
        clock.lap("policy")
    ledger = check_ledger(options, region, history, selection, plan, store, problems)
    clock.lap("ledger")
    failed = validate_units(options, region, selection, plan, problems, now)
    clock.lap("validate")
    if failed is None:
        return result  # region-level errors (region.yaml): nothing can be published

    lock = BuildLock(options.out)
    if not lock.acquire(wait=False):
        problems.error(str(options.out), 1, "", "Inna budowa zapisuje teraz ten sam folder wyjściowy.",
                       "Poczekaj na jej zakończenie albo podaj inny --out.")
        return result
    try:
        store.recover()
        built = render_changed(options, region, history, selection, plan, store, failed, now, result, progress,
                               policy, ledger)
        clock.lap("render")
        links = unit_links(options, region, store, plan, built, failed)
        tree = new_tree(options.root, region, store, links, plan.portal_salt, options.shard is None, now,
                        options.preview, keep_search=options.preview and options.preview_edit)
        clock.lap("portal")
        if tree is not None:
            _, result.published = store.publish(tree)
            store.collect_garbage()
            clock.lap("publish")
        if not options.preview:
            note_output(options.root, options.out)  # what `bip search` indexes
        record_ledger(ledger, links)
    finally:
        lock.release()
    return result


def check_ledger(options: Options, region: Region, history: History, selection: Selection, plan: Plan,
                 store: Store, problems: Problems) -> Ledger | None:
    """The output's ledger (bip.publish.ledger): a unit whose history lacks a version it published before,
    unacknowledged, gets an error and keeps its live site, like any failed unit. Not in a preview."""
    if options.preview:
        return None
    ledger = Ledger(store)
    check_units(ledger, {u: region.units[u].source for u in selection.selected}, history, region.data,
                plan.prints, problems, frozenset(plan.changed))
    plan.losses = ledger.losses
    return ledger


def record_ledger(ledger: Ledger | None, links: dict[str, Path]) -> None:
    """Add the versions of every live snapshot to the ledger (each snapshot once: unchanged ones cost a
    comparison)."""
    if ledger is None:
        return
    for unit_id, snapshot in sorted(links.items()):
        ledger.record(unit_id, snapshot)
    ledger.save()


def working_tree_status(options: Options) -> PendingStatus:
    """`git status` of the content, started in the background (CI refuses uncommitted changes)."""
    dirty_check = options.ci and not options.allow_dirty
    return PendingStatus(options.root, *([f"content/{u}" for u in options.units]
                                         if options.units and not dirty_check else ["content"]), ignored=True)


def select_units(options: Options, region: Region, problems: Problems) -> Selection:
    """The units of --unit and --shard (all by default); an unknown --unit is an error."""
    for wanted in options.units:
        if wanted not in region.units and wanted not in region.refused:
            problems.error("content", 1, "", f"Nie ma podmiotu „{wanted}”.", "Podaj nazwę folderu z content/.")
    chosen = [u for u in sorted({*region.units, *region.refused}) if (not options.units or u in options.units)
              and (options.shard is None or shard_of(u, options.shard[1]) == options.shard[0])]
    return Selection([u for u in chosen if u in region.units], [u for u in chosen if u in region.refused])


def plan_units(options: Options, region: Region, history: History, selection: Selection,
               status: tuple[list[str], list[str]] | None, store: Store, now: dt.datetime) -> Plan:
    """Fingerprints, then the snapshots they name: an unchanged unit keeps its snapshot."""
    prints, salts, portal_salt = fingerprints(options, region, history, selection.selected, status)
    unchanged = {}
    read_ahead(str(store.snapshot(unit_id, prints[unit_id]) / MANIFEST) for unit_id in selection.selected)
    for unit_id in selection.selected:
        manifest = reusable(store, unit_id, prints[unit_id], now)
        if manifest is not None:
            unchanged[unit_id] = manifest
    return Plan(prints, salts, portal_salt, unchanged, [u for u in selection.selected if u not in unchanged])


def check_policy(options: Options, region: Region, history: History, selection: Selection,
                 problems: Problems) -> PolicyOutcome | None:
    """The publishing policy (bip.policy), off unless region.yaml turns it on (or an unauthorised commit
    turned it off): a unit holding a change no authorised person signed gets an error (enforce) and keeps
    its live site, like any failed unit."""
    from bip.policy.in_force import in_force

    cache = options.root / CACHE_DIR / "policy"
    policy, lowering = in_force(options.root, region.data, history, cache)  # a commit may not switch it off
    if not policy.active:
        return None
    from bip.policy.enforce import check_build

    chosen = {*selection.selected, *selection.refused}
    return check_build(options.root, policy, lowering, history, cache, problems,
                       chosen if options.units or options.shard else None)


def validate_units(options: Options, region: Region, selection: Selection, plan: Plan, problems: Problems,
                   now: dt.datetime) -> set[str] | None:
    """region.yaml and every unit.yaml here (the pages of changed units: in the workers); the warnings of
    unchanged units from their memo. The units that cannot be published; None if the region cannot."""
    validate_region(options.root, region, problems, now, pages=False)
    read_ahead(str(warnings_file(memo_file(options.root, unit_id))) for unit_id in plan.unchanged)
    for unit_id in plan.unchanged:
        found = RenderMemo.warnings(memo_file(options.root, unit_id), plan.prints[unit_id])
        if isinstance(found, WarningBlock):
            problems.add_block(found)
        else:
            problems.extend(found)
    failed = {unit_of(p.file) for p in problems.errors}
    if options.strict:
        failed |= problems.strict_units() & set(selection.selected)
    if "" in failed:
        return None
    # refused units go to the workers too, to have their pages checked (never published)
    return failed | set(selection.refused)


def render_changed(options: Options, region: Region, history: History, selection: Selection, plan: Plan,
                   store: Store, failed: set[str], now: dt.datetime, result: BuildResult,
                   progress: Callable[[int, int], None] | None, policy: PolicyOutcome | None,
                   ledger: Ledger | None = None) -> dict[str, Path]:
    """Render the changed and refused units (load, validate, registry, index: per unit, in a worker); each
    unit's report goes into `result`. The snapshots of the units built; the ledger prepares what each adds
    while the others render (it is recorded once they are live)."""
    problems = result.problems
    to_build = sorted([*plan.changed, *selection.refused])
    built: dict[str, Path] = {}
    warnings: dict[str, list[Problem]] = {u: [] for u in to_build}  # the region step's, by unit (a worker keeps them)
    for problem in problems.loose:  # not the blocks: those are the warnings of unchanged units, not built here
        if problem.severity == "warning" and (unit := unit_of(problem.file)) in warnings:
            warnings[unit].append(problem)
    if policy is not None and to_build:
        policy.load()  # before the workers fork: the registry shows each commit's verification
    job = UnitJob(options=options, region=region, store=store, now=now, history=history, fingerprints=plan.prints,
                  salts=plan.salts, failed=frozenset(failed), warnings=warnings, losses=plan.losses, policy=policy)
    for report, unit_problems in render_units(job, to_build, options.jobs or os.cpu_count() or 1):
        result.units.append(report)
        problems.extend(unit_problems)
        if report.status == "failed":
            failed.add(report.id)
        if options.strict and any(p.severity == "warning" and not p.lasting for p in unit_problems):
            report.status = "failed"  # --strict: a warning found while rendering (a dead link) blocks it too
            failed.add(report.id)
        if report.status == "built":
            built[report.id] = store.snapshot(report.id, plan.prints[report.id])
            if ledger is not None:
                ledger.prepare(report.id, built[report.id])
        if progress:
            progress(len(result.units), len(to_build))
    for unit_id in sorted({*region.units, *region.refused} - set(to_build)):
        # a unit refused before rendering (the policy, the ledger) fails even with a reusable snapshot
        status = "failed" if unit_id in failed else "unchanged" if unit_id in plan.unchanged else "skipped"
        result.units.append(UnitReport(unit_id, status))
    result.units.sort(key=lambda r: r.id)
    return built


def unit_links(options: Options, region: Region, store: Store, plan: Plan, built: dict[str, Path],
               failed: set[str]) -> dict[str, Path]:
    """The snapshot each unit's folder of the new tree links to: new, reused, or what is live now."""
    links: dict[str, Path] = {}
    # a unit whose unit.yaml is broken did not load, but its folder is there: its live site stays
    present = sorted(set(region.units) | {e.name for e in os.scandir(options.root / "content") if e.is_dir()})
    live_tree = store.live_tree()
    for unit_id in present:
        if unit_id in built:
            links[unit_id] = built[unit_id]
        elif unit_id in plan.unchanged and unit_id not in failed:
            links[unit_id] = store.snapshot(unit_id, plan.prints[unit_id])
        elif (live := store.live_unit(unit_id, live_tree)) is not None:
            links[unit_id] = live  # failed or not selected: what is live stays live
    return links
