"""The render step of one unit, run in a worker: pages → registry → site, search index and feeds → snapshot.

The worker reads the loaded region and history from `_SHARED` (set by the build before it forks) and
receives only a unit id: nothing is pickled.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import jinja2

from bip import fault
from bip.history import History
from bip.job import CACHE_DIR, PORTAL_LATEST, Options, UnitReport, memo_file, parsed_file, portal_cache
from bip.load import load_pages, unload_pages
from bip.load.remembered import remembering
from bip.model import Region, Unit, unit_base_url
from bip.polish_dates import to_date
from bip.problems import Problem, Problems
from bip.publish.feeds import FeedEntry, atom, robots, sitemap
from bip.publish.store import MANIFEST, CarryOver, SnapshotFiles, Store
from bip.registry import UnitRegistry, apply_metryczki, redactions, unit_registry
from bip.registry.pages import _shown_live as shown_live
from bip.registry.pages import registry_pages
from bip.registry.record import RECORD, Digests, registry_record
from bip.render.memo import REUSE, RenderMemo
from bip.render.site import LEGAL_PAGES, UnitSite
from bip.search.index import SearchDoc, analyze_docs
from bip.search.portal import save_site
from bip.search.site import index_files, page_doc, read_documents, write_whoosh
from bip.search.site import page_context as search_page
from bip.search.static import UnitIndex, unit_index
from bip.validate import validate_pages
from bip.validate.personal_files import check_versions


def prepare_unit(unit: Unit, history: History, now: dt.datetime, problems: Problems,
                 root: Path | None = None) -> UnitRegistry:
    """History step for one unit: its registry, and the metryczka of every page from it. With `root`, the
    earlier versions it publishes are checked for personal data too."""
    policy = _SHARED.get("policy")  # bip.policy.Outcome when the region's publishing policy is on
    registry = unit_registry(unit, history, now, problems, policy.label if policy is not None else None)  # type: ignore[attr-defined]
    register = redactions.load_register(history.root, unit, problems)
    if register:  # the withdrawal register: applied before anything is rendered or indexed
        redactions.apply(history.root, unit, registry,
                         redactions.resolve(register, unit, history, registry, problems))
    apply_metryczki(unit, registry)
    if root is not None:
        check_versions(root, unit, registry, problems)
    return registry


def unit_outputs(
    site: UnitSite, registry: UnitRegistry, search: tuple[list[SearchDoc], UnitIndex] | None
) -> Iterator[tuple[str, object]]:
    """Everything one unit publishes, in a fixed order (`search`: its documents and their static index;
    None: all but its search page and index)."""
    yield from site.outputs()
    record = unit_record(site, registry)  # first: it gives each version page its SHA-256
    yield from registry_pages(site, registry)
    yield RECORD, record
    if search is not None:
        docs, static = search
        yield "szukaj/index.html", site.render("search.html", "szukaj/", "Wyszukiwarka", **search_page(docs, "../"))
        yield from index_files(docs, static)
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
    urls = [(base + p.url, to_date(p.metryczka.changed or p.metryczka.published) if p.metryczka else None)
            for p in site.public if p.url not in LEGAL_PAGES]
    urls += [(base + u, None) for u in site.listings if u not in site.by_url]
    yield "sitemap.xml", sitemap(urls)
    yield "robots.txt", robots(base + "sitemap.xml")  # in effect where the unit's folder is a site root (its domain)


def unit_record(site: UnitSite, registry: UnitRegistry) -> bytes:
    """`rejestr-zmian/rejestr.json`: every version with its commit and SHA-256 (bip.registry.record)."""
    live = {}
    for history in registry.pages.values():
        live_url = None if history.deleted else history.versions[-1].url
        live[history.key] = shown_live(site, history, live_url)
    digests = Digests(site.history or History.empty(site.root),
                      site.root / CACHE_DIR / "sha256" / f"{site.unit.id}.json")
    losses: dict[str, list[dict]] = _SHARED.get("losses") or {}  # type: ignore[assignment]
    record = registry_record(site, registry, digests, live, losses.get(site.unit.id, []))
    digests.save()
    return record


SEARCH = "szukaj"  # the unit's search page and index

# Shared with forked workers: set before the pool starts, read-only afterwards.
_SHARED: dict[str, object] = {}


def render_unit(unit_id: str) -> tuple[UnitReport, list[Problem]]:
    """Worker: render one unit into a new snapshot; returns its report and problems.

    The unit is the fault boundary: a broken template is the author's mistake, reported with its file
    and line; any other failure (an exception of any kind, a panic of a native library) fails this unit
    alone, with one problem naming the file (and commit) it happened at. The unit is then not published:
    its half-written snapshot is removed and its previous one stays live. Its pages (and their earlier
    versions) parsed and checked before are taken from the cache.
    """
    options: Options = _SHARED["options"]  # type: ignore[assignment]
    region: Region = _SHARED["region"]  # type: ignore[assignment]
    unit = region.unit(unit_id)
    problems = Problems()
    fault.reset()
    try:
        fault.failpoint(unit_id)
        with collected_once(), remembering(parsed_file(options.root, unit_id)):
            return _render_unit(unit, problems)
    except BaseException as exc:
        if fault.fatal(exc):
            raise
        problems.add(fault.unit_failure(unit.source, exc))
        return UnitReport(unit_id, "failed", pages=len(unit.pages), reason="internal"), problems.sorted()
    finally:
        unload_pages(unit)  # a worker's memory must not grow with every unit it renders


@contextmanager
def collected_once() -> Iterator[None]:
    """No cyclic garbage collection while a unit renders, one when it is done.

    A unit's objects (its pages, registry, search documents and the site that renders them) refer to
    each other and live until its snapshot is written: the collector, run every 50,000 allocations,
    scanned them again and again (5 % of a build's CPU) and found nothing to free. Collected at the end,
    they are all young (nothing is promoted while the collector is off): one scan of that generation.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.collect(0)


def _render_unit(unit: Unit, problems: Problems) -> tuple[UnitReport, list[Problem]]:
    started = time.perf_counter()
    unit_id = unit.id
    options: Options = _SHARED["options"]  # type: ignore[assignment]
    store: Store = _SHARED["store"]  # type: ignore[assignment]
    now: dt.datetime = _SHARED["now"]  # type: ignore[assignment]
    if unit_id in _SHARED["failed"]:  # type: ignore[operator]
        # errors in unit.yaml (or a folder that is no unit): its pages are only checked, never published
        load_pages(options.root, unit, problems)
        validate_pages(options.root, unit, problems, now)
        return UnitReport(unit_id, "failed", pages=len(unit.pages), reason="content"), problems.sorted()
    fingerprint: str = _SHARED["fingerprints"][unit_id]  # type: ignore[index]
    previous = store.live_unit(unit_id)
    target = store.new_snapshot(unit_id, fingerprint)
    # the previous snapshot's files are linked in while the unit loads and renders (disk time in a thread of
    # its own); what the new snapshot no longer has is removed at the end
    carry = CarryOver(previous, target, skip=[MANIFEST]) if previous is not None else None
    try:
        return _render_into(unit, problems, started, previous, target, carry)
    except BaseException:
        _discard(carry, target)  # nothing half-written stays: not a full disk's, not a failed unit's
        raise


def _render_into(
    unit: Unit, problems: Problems, started: float, previous: Path | None, target: Path, carry: CarryOver | None
) -> tuple[UnitReport, list[Problem]]:
    unit_id = unit.id
    region: Region = _SHARED["region"]  # type: ignore[assignment]
    options: Options = _SHARED["options"]  # type: ignore[assignment]
    store: Store = _SHARED["store"]  # type: ignore[assignment]
    now: dt.datetime = _SHARED["now"]  # type: ignore[assignment]
    history: History = _SHARED["history"]  # type: ignore[assignment]
    fingerprint: str = _SHARED["fingerprints"][unit_id]  # type: ignore[index]
    load_pages(options.root, unit, problems)
    extractions = validate_pages(options.root, unit, problems, now)  # attachments' text and facts, read once
    registry = prepare_unit(unit, history, now, problems, options.root)  # its earlier versions are checked too
    if problems.errors or (options.strict and problems.warnings):
        _discard(carry, target)
        return UnitReport(unit_id, "failed", pages=len(unit.pages), reason="content"), problems.sorted()
    salt: str = _SHARED["salts"][unit_id]  # type: ignore[index]
    memo = RenderMemo.load(memo_file(options.root, unit_id), previous, salt)
    written = 0
    try:
        site = UnitSite(options.root, region, unit, now, preview=options.preview, history=history, memo=memo,
                        extractions=extractions)
        # a preview rebuild after a save keeps the unit's search page and index as they were (the text of
        # every page again is more than an editor should wait for); the next full preview makes them anew
        kept = options.preview_edit and previous is not None and (previous / SEARCH / "index.html").is_file()
        docs = None if kept else [page_doc(unit_id, unit.name, page, site.page_text(page)) for page in site.public]
        analyzed = analyze_docs(docs) if docs is not None else None  # one analysis for both search indexes
        if docs is not None and not options.preview:  # the preview shows drafts and unsaved work: never in `bip search`
            # the previous snapshot's documents: an index that holds them is updated, not made anew
            manifest = Store.manifest(previous) if previous is not None else None
            before = (str(manifest.get("fingerprint")), read_documents(previous)) if manifest and previous else None
            if (options.root / unit.source / redactions.REGISTER).is_file():
                before = None  # an updated whoosh index keeps replaced documents' text in its files: made anew
            write_whoosh(docs, options.root / CACHE_DIR / "search" / unit_id, fingerprint, before, analyzed)
        search = (docs, unit_index(docs, unit_id, analyzed)) if docs is not None else None
        produced: set[str] = set()
        files = SnapshotFiles(previous, target)
        for relative, data in unit_outputs(site, registry, search):
            produced.add(relative)
            if data is not REUSE:  # a reused output is one of the carried files
                written += files.put(relative, data)
        if carry is not None:
            carry.finish(produced, keep=f"{SEARCH}/" if kept else None)
    except jinja2.TemplateError as exc:
        _discard(carry, target)
        return UnitReport(unit_id, "failed", reason="content"), [template_problem(options.root, exc)]
    site.carry_link_warnings(memo.link_warnings)
    problems.extend(site.problems.items)
    latest = [
        {"title": e.title, "url": f"{unit_id}/{e.target}", "date": e.date.isoformat(), "kind": e.kind,
         "unit": unit.name}
        for e in [e for e in registry.entries if e.history_url][:PORTAL_LATEST]
    ]
    manifest = {
        "unit": unit_id, "name": unit.name, "kind": unit.kind, "parent": unit.parent,
        "fingerprint": fingerprint, "pages": len(site.public), "latest": latest,
        "address": unit_base_url(region, unit),
        "valid_until": next_transition(unit, registry, now),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                   encoding="utf-8")
    # the unit's search entries cut for the portal's index
    if search is not None:
        static = search[1]
        save_site(portal_cache(options.root, options.preview), unit_id, fingerprint, static.docs, static.offsets,
                  static.blob)
    store.commit_snapshot(target, unit_id, fingerprint)
    # warnings stay in the cache, never in the output: they may name an editor's e-mail
    memo.save(fingerprint, sorted({*problems.warnings, *_SHARED["warnings"][unit_id]}), site.link_warnings)  # type: ignore[index]
    report = UnitReport(unit_id, "built", pages=len(site.public), files=written, rendered=site.rendered,
                        reused=site.reused, seconds=round(time.perf_counter() - started, 3))
    return report, problems.sorted()


def _discard(carry: CarryOver | None, target: Path) -> None:
    if carry is not None:
        carry.wait()
    shutil.rmtree(target, ignore_errors=True)


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
