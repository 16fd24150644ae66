"""Orchestration, in pipeline order: load → validate → history → render → index → registry → publish.

`build()` reads as the list of steps; each is timed. Units render in worker processes forked
after the model is loaded (so workers share it read-only instead of receiving pickles); a unit
with errors is not published and its previous output stays.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from bip.history import History, HistoryError, read_history
from bip.load import load_region
from bip.model import Region, Unit
from bip.problems import Problem, Problems
from bip.publish import staging as stage
from bip.publish.feeds import FeedEntry, atom, sitemap
from bip.registry import UnitRegistry, apply_metryczki, unit_registry
from bip.registry.pages import registry_pages
from bip.render.site import LEGAL_PAGES, UnitSite
from bip.validate import validate_region

CACHE_DIR = ".bip-cache"
PORTAL_LATEST = 20
MANIFEST = "bip-manifest.json"  # per unit: what the portal and `bip merge` need, without re-reading content


@dataclass
class Options:
    root: Path
    out: Path
    units: list[str] = field(default_factory=list)
    jobs: int = 0
    now: dt.datetime | None = None
    allow_dirty: bool = False
    allow_shallow: bool = False
    preview: bool = False
    swap_units: bool = False  # replace each built unit's folder alone (preview); else swap the whole site
    strict: bool = False
    ci: bool = False


@dataclass
class UnitReport:
    id: str
    status: str  # "built" | "failed" | "skipped"
    pages: int = 0
    files: int = 0
    seconds: float = 0.0


@dataclass
class BuildResult:
    problems: Problems
    units: list[UnitReport] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)
    published: bool = False

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


def unit_of(source: str) -> str:
    parts = source.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "content" else ""


def check(options: Options) -> tuple[Problems, Region | None]:
    """Load and validate everything (including history-derived fields); build nothing."""
    problems = Problems()
    now = options.now or dt.datetime.now(dt.UTC).astimezone()
    region = load_region(options.root, problems)
    if region is not None:
        validate_region(options.root, region, problems, now)
    return problems, region


def open_history(options: Options, problems: Problems) -> History:
    try:
        history = read_history(options.root, "content", options.root / CACHE_DIR / "history",
                               allow_shallow=options.allow_shallow)
    except HistoryError as exc:
        problems.error("content", 1, "", exc.message, exc.hint)
        return History.empty(options.root)
    if options.ci and not options.allow_dirty:
        for path in history.dirty("content"):
            problems.error(
                path, 1, "", "Plik ma niezatwierdzone zmiany (poza gitem): nie może być opublikowany w CI.",
                "Zatwierdź zmianę (git commit) albo uruchom z --allow-dirty.",
            )
    return history


def write_portal(root: Path, region: Region, now: dt.datetime, site: Path) -> None:
    """The regional portal from the manifests of the units present in `site`."""
    from bip.render.portal import render_portal

    latest: list[dict[str, object]] = []
    available = set()
    for unit_id in sorted(region.units):
        manifest = site / unit_id / MANIFEST
        if manifest.is_file():
            available.add(unit_id)
            for row in json.loads(manifest.read_text(encoding="utf-8")).get("latest", []):
                latest.append({**row, "date": dt.datetime.fromisoformat(row["date"])})
    latest.sort(key=lambda row: (row["date"], row["url"]), reverse=True)
    for relative, data in render_portal(root, region, now, available, latest[:PORTAL_LATEST]):
        stage.write_file(site, relative, data)


def unit_base_url(region: Region, unit: Unit) -> str:
    return str(unit.data.get("base_url") or f"{region.base_url}/{unit.id}").rstrip("/") + "/"


def prepare_unit(unit: Unit, history: History, now: dt.datetime, problems: Problems) -> UnitRegistry:
    """History step for one unit: its registry, and the metryczka of every page from it."""
    registry = unit_registry(unit, history, now, problems)
    apply_metryczki(unit, registry)
    return registry


def unit_outputs(site: UnitSite, registry: UnitRegistry) -> Iterator[tuple[str, bytes]]:
    """Everything one unit publishes, in a fixed order."""
    yield from site.outputs()
    yield from registry_pages(site, registry)
    base = unit_base_url(site.region, site.unit)
    entries = [
        FeedEntry(
            id=f"{base}{e.target}#{e.order[0][:12]}", title=f"{e.title} ({e.kind})", url=base + e.target,
            updated=e.date, summary=e.message, author=e.editor,
        )
        for e in registry.entries
        if e.history_url
    ][:50]
    yield "feed.xml", atom(base + "feed.xml", f"{site.unit.name} – nowe i zmienione informacje", base,
                           base + "feed.xml", entries)
    urls = [(base + p.url, _day(p.metryczka.changed or p.metryczka.published) if p.metryczka else None)
            for p in site.public if p.url not in LEGAL_PAGES]
    urls += [(base + u, None) for u in site.listings if u not in site.by_url]
    yield "sitemap.xml", sitemap(urls)


def _day(value: dt.date | dt.datetime | None) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


# Shared with forked workers: set before the pool starts, read-only afterwards.
_SHARED: dict[str, object] = {}


def render_unit(unit_id: str) -> tuple[UnitReport, list[Problem]]:
    """Worker: render one unit into the staging folder; returns its report and problems.

    A broken template is the author's mistake, reported with its file and line; the unit is then
    not published (its partial output is removed from staging).
    """
    started = time.perf_counter()
    region: Region = _SHARED["region"]  # type: ignore[assignment]
    options: Options = _SHARED["options"]  # type: ignore[assignment]
    staging: Path = _SHARED["staging"]  # type: ignore[assignment]
    now: dt.datetime = _SHARED["now"]  # type: ignore[assignment]
    history: History = _SHARED["history"]  # type: ignore[assignment]
    unit = region.units[unit_id]
    target = staging / unit_id
    files = 0
    problems = Problems()
    try:
        registry = prepare_unit(unit, history, now, problems)
        site = UnitSite(options.root, region, unit, now, preview=options.preview, history=history)
        for relative, data in unit_outputs(site, registry):
            stage.write_file(target, relative, data)
            files += 1
    except jinja2.TemplateError as exc:
        shutil.rmtree(target, ignore_errors=True)
        return UnitReport(unit_id, "failed"), [template_problem(options.root, exc)]
    problems.extend(site.problems.items)
    latest = [
        {"title": e.title, "url": f"{unit_id}/{e.target}", "date": e.date.isoformat(), "kind": e.kind,
         "unit": unit.name}
        for e in [e for e in registry.entries if e.history_url][:PORTAL_LATEST]
    ]
    manifest = {"unit": unit_id, "name": unit.name, "kind": unit.kind, "parent": unit.parent,
                "pages": len(site.public), "latest": latest}
    stage.write_file(target, MANIFEST, (json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode())
    report = UnitReport(unit_id, "built", pages=len(site.public), files=files + 1,
                        seconds=round(time.perf_counter() - started, 3))
    return report, problems.sorted()


def template_problem(root: Path, exc: jinja2.TemplateError) -> Problem:
    filename = getattr(exc, "filename", None) or ""
    line = getattr(exc, "lineno", None) or 1
    try:
        source = Path(filename).resolve().relative_to(root).as_posix()
    except ValueError:
        source = filename or "themes"
    return Problem(source, line, "", f"Błąd w szablonie: {exc.message or exc}.",
                   "Popraw składnię szablonu Jinja2 (zob. dokumentację motywów).")


def _map(
    func: Callable[[str], tuple[UnitReport, list[Problem]]], ids: list[str], jobs: int
) -> Iterable[tuple[UnitReport, list[Problem]]]:
    if jobs <= 1 or len(ids) <= 1:
        return map(func, ids)
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
    try:
        return list(pool.map(func, ids, chunksize=1))
    finally:
        pool.shutdown()


def build(options: Options, progress: Callable[[int, int], None] | None = None) -> BuildResult:
    result = BuildResult(Problems())
    clock = Stopwatch(result.stages)
    now = options.now or dt.datetime.now(dt.UTC).astimezone()
    problems = result.problems

    region = load_region(options.root, problems, only=options.units or None)
    clock.lap("load")
    if region is None:
        return result
    validate_region(options.root, region, problems, now)
    clock.lap("validate")
    if options.units:
        for wanted in options.units:
            if wanted not in region.units:
                problems.error("content", 1, "", f"Nie ma podmiotu „{wanted}”.", "Podaj nazwę folderu z content/.")
    if any(unit_of(p.file) == "" for p in problems.errors):
        return result  # region-level errors (region.yaml, no git): nothing can be published

    history = open_history(options, problems)
    clock.lap("history")
    if any(unit_of(p.file) == "" for p in problems.errors):
        return result
    selected = [u for u in sorted(region.units) if not options.units or u in options.units]

    failed = {unit_of(p.file) for p in problems.errors} | {
        u for u in selected if options.strict and any(unit_of(p.file) == u for p in problems.warnings)
    }
    to_build = [u for u in selected if u not in failed]

    lock = stage.BuildLock(options.out)
    if not lock.acquire(wait=False):
        problems.error(str(options.out), 1, "", "Inna budowa zapisuje teraz ten sam folder wyjściowy.",
                       "Poczekaj na jej zakończenie albo podaj inny --out.")
        return result
    try:
        stage.recover(options.out)
        staging = stage.staging_path(options.out)
        staging.mkdir(parents=True)
        _SHARED.update(region=region, options=options, staging=staging, now=now, history=history)
        jobs = options.jobs or os.cpu_count() or 1
        for report, unit_problems in _map(render_unit, to_build, jobs):
            result.units.append(report)
            problems.extend(unit_problems)
            if progress:
                progress(len(result.units), len(to_build))
        clock.lap("render")
        for unit_id in sorted(set(region.units) - set(to_build)):
            status = "failed" if unit_id in failed else "skipped"
            result.units.append(UnitReport(unit_id, status))
        result.units.sort(key=lambda r: r.id)
        if options.swap_units:
            for report in result.units:
                if report.status == "built":
                    stage.swap_unit(staging / report.id, options.out / report.id)
            shutil.rmtree(staging)
        else:
            for report in result.units:
                previous = options.out / report.id
                if report.status != "built" and previous.is_dir():
                    stage.copy_tree(previous, staging / report.id)
            write_portal(options.root, region, now, staging)
            clock.lap("portal")
            stage.swap_in(staging, options.out)
        result.published = True
        clock.lap("publish")
    finally:
        _SHARED.clear()
        lock.release()
    return result
