"""Orchestration, in pipeline order: load → validate → history → render → index → registry → publish.

`build()` reads as the list of steps; each is timed. A unit's site is a function of its inputs:
its fingerprint (content, theme, config, history, generator) names its output snapshot, so an
unchanged unit is neither loaded nor rendered. Changed units render in worker processes forked
after the model is loaded (workers share it read-only instead of receiving pickles); inside a
unit, an output whose inputs are unchanged is linked from the previous snapshot, not rendered.
A unit with errors is not published and its previous output stays.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import jinja2

from bip.fingerprint import FileHashes, UnitTrees, combine, generator_signature, history_signature, theme_signature
from bip.history import History, HistoryError, read_history
from bip.load import load_pages, load_region
from bip.model import Region, Unit, unit_base_url
from bip.problems import Problem, Problems
from bip.publish.feeds import FeedEntry, atom, sitemap
from bip.publish.lock import BuildLock, write_file
from bip.publish.store import MANIFEST, SITE_FILE, Store, copy_snapshot, link_or_write, link_previous
from bip.registry import UnitRegistry, apply_metryczki, unit_registry
from bip.registry.pages import registry_pages
from bip.render.memo import REUSE, RenderMemo
from bip.render.site import LEGAL_PAGES, UnitSite
from bip.search.analysis import load_dictionary
from bip.search.index import SearchDoc
from bip.search.site import DOCUMENTS, index_files, page_doc, read_documents, refresh_whoosh, write_whoosh
from bip.search.site import page_context as search_page
from bip.validate import validate_pages, validate_region

CACHE_DIR = ".bip-cache"
PORTAL_LATEST = 20


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
    preview_edit: bool = False  # a preview rebuild of the units an edit touched (see write_portal)
    shard: tuple[int, int] | None = None  # (k, n): build the k-th of n stable subsets of units, no portal
    strict: bool = False
    ci: bool = False


@dataclass
class UnitReport:
    id: str
    status: str  # "built" | "unchanged" | "failed" | "skipped"
    pages: int = 0
    files: int = 0
    rendered: int = 0  # templates rendered
    reused: int = 0  # outputs linked from the previous snapshot without rendering
    seconds: float = 0.0


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
        write_portal(root, region, now, tree, preview, previous if keep_search else None)
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
                links[unit_id] = target
                result.units.append(UnitReport(unit_id, "merged"))
        if problems.has_errors():
            return result
        tree = new_tree(root, region, store, links, portal_salt, True, now)
        if tree is not None:
            _, result.published = store.publish(tree)
            store.collect_garbage()
    finally:
        lock.release()
    return result


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


def write_portal(
    root: Path, region: Region, now: dt.datetime, site: Path, preview: bool = False, previous: Path | None = None,
) -> None:
    """The regional portal from the manifests of the units present in `site`.

    With `previous` (a preview rebuild after an edit), the cross-unit search page and index of that tree
    are kept as they are: recomputing them over the whole region takes longer than an editor waits for a
    saved page. They are made anew by the next full preview and by every `bip build`.
    """
    from bip.render.portal import render_portal

    latest: list[dict[str, object]] = []
    available = set()
    indexes = root / CACHE_DIR / "search"
    for unit_id in sorted(region.units):
        manifest = site / unit_id / MANIFEST
        if manifest.is_file():
            available.add(unit_id)
            data = json.loads(manifest.read_text(encoding="utf-8"))
            for row in data.get("latest", []):
                latest.append({**row, "date": dt.datetime.fromisoformat(row["date"])})
            if not preview:
                # `bip search` reads every unit's index as the region's: make sure each one is there
                refresh_whoosh(site / unit_id, indexes / unit_id, str(data.get("fingerprint")))
    latest.sort(key=lambda row: (row["date"], row["url"]), reverse=True)
    kept = previous / "szukaj" if previous is not None else None
    if kept is not None and not (kept / "index.html").is_file():
        kept = None
    docs = [] if kept is not None else [doc for unit_id in sorted(available) for doc in read_documents(site / unit_id)]
    for relative, data in render_portal(root, region, now, available, latest[:PORTAL_LATEST],
                                        search_page(docs, "../")):
        if kept is None or not relative.startswith("szukaj/"):
            write_file(site, relative, data)
    if kept is not None:
        for path in sorted(p for p in kept.rglob("*") if p.is_file()):
            link_previous(kept.parent, site, path.relative_to(kept.parent).as_posix())
        return
    for relative, data in index_files(docs):
        if relative != DOCUMENTS:
            write_file(site, relative, data)


def prepare_unit(unit: Unit, history: History, now: dt.datetime, problems: Problems) -> UnitRegistry:
    """History step for one unit: its registry, and the metryczka of every page from it."""
    registry = unit_registry(unit, history, now, problems)
    apply_metryczki(unit, registry)
    return registry


def unit_outputs(site: UnitSite, registry: UnitRegistry, docs: list[SearchDoc]) -> Iterator[tuple[str, object]]:
    """Everything one unit publishes, in a fixed order."""
    yield from site.outputs()
    yield from registry_pages(site, registry)
    yield "szukaj/index.html", site.render("search.html", "szukaj/", "Wyszukiwarka", **search_page(docs, "../../"))
    yield from index_files(docs)
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
    """Worker: render one unit into a new snapshot; returns its report and problems.

    A broken template is the author's mistake, reported with its file and line; the unit is then
    not published (its half-written snapshot is removed).
    """
    started = time.perf_counter()
    region: Region = _SHARED["region"]  # type: ignore[assignment]
    options: Options = _SHARED["options"]  # type: ignore[assignment]
    store: Store = _SHARED["store"]  # type: ignore[assignment]
    now: dt.datetime = _SHARED["now"]  # type: ignore[assignment]
    history: History = _SHARED["history"]  # type: ignore[assignment]
    fingerprint: str = _SHARED["fingerprints"][unit_id]  # type: ignore[index]
    unit = region.units[unit_id]
    problems = Problems()
    load_pages(options.root, unit, problems)
    validate_pages(options.root, unit, problems, now)
    if problems.errors or unit_id in _SHARED["failed"] or (options.strict and problems.warnings):  # type: ignore[operator]
        return UnitReport(unit_id, "failed", pages=len(unit.pages)), problems.sorted()
    previous = store.live_unit(unit_id)
    salt: str = _SHARED["salts"][unit_id]  # type: ignore[index]
    memo = RenderMemo.load(memo_file(options.root, unit_id), previous, salt)
    target = store.new_snapshot(unit_id, fingerprint)
    written = 0
    try:
        registry = prepare_unit(unit, history, now, problems)
        site = UnitSite(options.root, region, unit, now, preview=options.preview, history=history, memo=memo)
        docs = [page_doc(unit_id, unit.name, page, site.page_text(page)) for page in site.public]
        if not options.preview:  # the preview shows drafts and unsaved work: never in `bip search`
            write_whoosh(docs, options.root / CACHE_DIR / "search" / unit_id, fingerprint)
        for relative, data in unit_outputs(site, registry, docs):
            if data is REUSE:
                link_previous(previous, target, relative)
            else:
                written += link_or_write(previous, target, relative, data)
    except jinja2.TemplateError as exc:
        shutil.rmtree(target, ignore_errors=True)
        return UnitReport(unit_id, "failed"), [template_problem(options.root, exc)]
    except OSError:
        shutil.rmtree(target, ignore_errors=True)  # a full disk must not stay full of a half-written unit
        raise
    problems.extend(site.problems.items)
    latest = [
        {"title": e.title, "url": f"{unit_id}/{e.target}", "date": e.date.isoformat(), "kind": e.kind,
         "unit": unit.name}
        for e in [e for e in registry.entries if e.history_url][:PORTAL_LATEST]
    ]
    manifest = {
        "unit": unit_id, "name": unit.name, "kind": unit.kind, "parent": unit.parent,
        "fingerprint": fingerprint, "pages": len(site.public), "latest": latest,
        "valid_until": next_transition(unit, registry, now),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                   encoding="utf-8")
    store.commit_snapshot(target, unit_id, fingerprint)
    # warnings stay in the cache, never in the output: they may name an editor's e-mail
    memo.save(fingerprint, [asdict(p) for p in sorted({*problems.warnings, *_SHARED["warnings"][unit_id]})])  # type: ignore[index]
    report = UnitReport(unit_id, "built", pages=len(site.public), files=written, rendered=site.rendered,
                        reused=site.reused, seconds=round(time.perf_counter() - started, 3))
    return report, problems.sorted()


def memo_file(root: Path, unit_id: str) -> Path:
    return root / CACHE_DIR / "units" / f"{unit_id}.json"


def next_transition(unit: Unit, registry: UnitRegistry, now: dt.datetime) -> str | None:
    """The first future moment at which this unit's output changes by itself (an embargo ends,
    a page expires into the archive); the snapshot is valid until then."""
    moments: list[dt.datetime] = []
    for page in unit.pages:
        if page.publish_at is not None and page.publish_at > now:
            moments.append(page.publish_at)
        until = page.meta.get("valid_until")
        if isinstance(until, dt.date):
            moment = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), tzinfo=now.tzinfo)
            if moment > now:
                moments.append(moment)
    return min(moments).isoformat() if moments else None


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
) -> Iterator[tuple[UnitReport, list[Problem]]]:
    if jobs <= 1 or len(ids) <= 1:
        yield from map(func, ids)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(jobs, len(ids)), mp_context=context, initializer=_die_with_parent,
                             initargs=(os.getpid(),)) as pool:
        yield from pool.map(func, ids, chunksize=1)


def _die_with_parent(parent: int) -> None:
    """A worker must not outlive a killed build and go on writing into the output."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)  # the build died before the line above took effect


def shard_of(unit_id: str, count: int) -> int:
    """1-based shard of a unit: a stable hash of its id, the same on every machine."""
    return int(hashlib.sha256(unit_id.encode()).hexdigest()[:8], 16) % count + 1


def fingerprints(
    options: Options, region: Region, history: History, ids: list[str]
) -> tuple[dict[str, str], dict[str, str], str]:
    """Per unit: the fingerprint of all its inputs, and the salt (what shapes every page: generator,
    theme, region config, preview mode) that the render memo mixes into each output's digest;
    and the portal's salt."""
    hashes = FileHashes(options.root / CACHE_DIR / "files.json")
    trees = UnitTrees(options.root, history, hashes)
    region_sig = region_signature(region)
    themes: dict[str, str] = {}
    found, salts = {}, {}
    for unit_id in ids:
        unit = region.units[unit_id]
        if unit.theme not in themes:
            themes[unit.theme] = theme_signature(options.root, unit.theme, hashes)
        salts[unit_id] = combine(generator_signature(), themes[unit.theme], region_sig,
                                 "preview" if options.preview else "site")
        found[unit_id] = combine(salts[unit_id], trees.signature(unit.source),
                                 history_signature(history, unit.source))
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
    result = BuildResult(Problems())
    clock = Stopwatch(result.stages)
    now = options.now or dt.datetime.now(dt.UTC).astimezone()
    problems = result.problems

    # load (unit.yaml of every unit; pages later, only of units that changed)
    region = load_region(options.root, problems, pages_of=[])
    clock.lap("load")
    if region is None:
        return result
    for wanted in options.units:
        if wanted not in region.units:
            problems.error("content", 1, "", f"Nie ma podmiotu „{wanted}”.", "Podaj nazwę folderu z content/.")
    selected = [u for u in sorted(region.units) if (not options.units or u in options.units)
                and (options.shard is None or shard_of(u, options.shard[1]) == options.shard[0])]

    # history, then fingerprints: an unchanged unit keeps its snapshot
    history = open_history(options, problems)
    clock.lap("history")
    if any(unit_of(p.file) == "" for p in problems.errors):
        validate_region(options.root, region, problems, now)
        return result  # region-level errors (region.yaml, no git): nothing can be published
    prints, salts, portal_salt = fingerprints(options, region, history, selected)
    store = Store(options.out)
    unchanged = {}
    for unit_id in selected:
        manifest = reusable(store, unit_id, prints[unit_id], now)
        if manifest is not None:
            unchanged[unit_id] = manifest
    changed = [u for u in selected if u not in unchanged]
    clock.lap("fingerprint")

    # validate region.yaml and every unit.yaml here; the pages of the changed units are loaded and
    # validated by the workers (render_unit): in parallel, and never all held by this process
    validate_region(options.root, region, problems, now, pages=False)
    for unit_id in unchanged:
        problems.extend(Problem(**w) for w in RenderMemo.warnings(memo_file(options.root, unit_id),
                                                                   prints[unit_id]))
    clock.lap("validate")
    failed = {unit_of(p.file) for p in problems.errors} | {
        u for u in selected if options.strict and any(unit_of(p.file) == u for p in problems.warnings)
    }
    if "" in failed:
        return result
    # units whose unit.yaml failed go to the workers too, to have their pages checked (never published)
    to_build = list(changed)

    lock = BuildLock(options.out)
    if not lock.acquire(wait=False):
        problems.error(str(options.out), 1, "", "Inna budowa zapisuje teraz ten sam folder wyjściowy.",
                       "Poczekaj na jej zakończenie albo podaj inny --out.")
        return result
    try:
        store.recover()
        # render the changed units (the index and registry steps run per unit, inside render_unit)
        _SHARED.update(region=region, options=options, store=store, now=now, history=history, fingerprints=prints,
                       salts=salts, warnings={u: [p for p in problems.warnings if unit_of(p.file) == u] for u in to_build},
                       failed=set(failed))
        jobs = options.jobs or os.cpu_count() or 1
        if to_build:
            load_dictionary()  # once, before forking: workers share it
        built: dict[str, Path] = {}
        for report, unit_problems in _map(render_unit, to_build, jobs):
            result.units.append(report)
            problems.extend(unit_problems)
            if report.status == "failed":
                failed.add(report.id)
            if options.strict and any(p.severity == "warning" for p in unit_problems):
                report.status = "failed"  # --strict: a warning found while rendering (a dead link) blocks it too
                failed.add(report.id)
            if report.status == "built":
                built[report.id] = store.snapshot(report.id, prints[report.id])
            if progress:
                progress(len(result.units), len(to_build))
        clock.lap("render")
        for unit_id in sorted(set(region.units) - set(to_build)):
            status = "unchanged" if unit_id in unchanged else "failed" if unit_id in failed else "skipped"
            result.units.append(UnitReport(unit_id, status))
        result.units.sort(key=lambda r: r.id)

        # publish: a new tree of unit links (+ the portal), switched in atomically; nothing when nothing changed
        links: dict[str, Path] = {}
        # a unit whose unit.yaml is broken did not load, but its folder is there: its live site stays
        present = sorted(set(region.units) | {e.name for e in os.scandir(options.root / "content") if e.is_dir()})
        for unit_id in present:
            if unit_id in built:
                links[unit_id] = built[unit_id]
            elif unit_id in unchanged and unit_id not in failed:
                links[unit_id] = store.snapshot(unit_id, prints[unit_id])
            elif (live := store.live_unit(unit_id)) is not None:
                links[unit_id] = live  # failed or not selected: what is live stays live
        tree = new_tree(options.root, region, store, links, portal_salt, options.shard is None, now, options.preview,
                        keep_search=options.preview and options.preview_edit)
        if tree is None:
            clock.lap("portal")
            return result
        clock.lap("portal")
        _, result.published = store.publish(tree)
        store.collect_garbage()
        clock.lap("publish")
    finally:
        _SHARED.clear()
        lock.release()
    return result
