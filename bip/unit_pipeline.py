"""One unit's pipeline, run in a worker: load pages → validate → registry → render → search index → snapshot.

Everything it reads comes from the build's UnitJob (bip.unit_job), made before the workers fork: a worker
receives only unit ids.
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
from typing import TYPE_CHECKING

import jinja2

from bip import fault
from bip.fingerprint import generator_signature
from bip.history import History
from bip.job import CACHE_DIR, PORTAL_LATEST, UnitReport, forget_search_index, memo_file, parsed_file, portal_cache
from bip.load import load_pages, unload_pages
from bip.load.remembered import remembering
from bip.model import Unit, unit_base_url
from bip.polish_dates import to_date
from bip.problems import Problem, Problems
from bip.publish.feeds import FeedEntry, atom, robots, sitemap
from bip.publish.store import MANIFEST, CarryOver, SnapshotFiles
from bip.registry import UnitRegistry, apply_metryczki, redactions, unit_registry
from bip.registry.record import RECORD, Digests, registry_record
from bip.render.markdown import forget_parses
from bip.render.memo import REUSE, RenderMemo
from bip.render.registry_pages import registry_pages, shown_live
from bip.render.site import LEGAL_PAGES, UnitSite
from bip.search.attached import with_attachments
from bip.search.index import SearchDoc
from bip.search.portal import save_site
from bip.search.site import index_files, page_doc
from bip.search.site import page_context as search_page
from bip.search.static import UnitIndex, unit_index
from bip.unit_job import UnitJob
from bip.validate import validate_pages
from bip.validate.personal_files import check_versions

if TYPE_CHECKING:
    from bip.policy.enforce import Outcome as PolicyOutcome


def prepare_unit(unit: Unit, history: History, now: dt.datetime, problems: Problems,
                 root: Path | None = None, policy: PolicyOutcome | None = None) -> UnitRegistry:
    """History step for one unit: its registry, and the metryczka of every page from it. With `root`, the
    earlier versions it publishes are checked for personal data too; with `policy`, each version shows
    its commit's verification."""
    registry = unit_registry(unit, history, now, problems, policy.label if policy is not None else None)
    register = redactions.load_register(history.root, unit, problems)
    if register:  # the withdrawal register: applied before anything is rendered or indexed
        redactions.apply(history.root, unit, registry,
                         redactions.resolve(register, unit, history, registry, problems))
    apply_metryczki(unit, registry)
    if root is not None:
        check_versions(root, unit, registry, problems)
    return registry


def unit_outputs(
    site: UnitSite, registry: UnitRegistry, search: tuple[list[SearchDoc], UnitIndex] | None, lost: list[dict]
) -> Iterator[tuple[str, object]]:
    """Everything one unit publishes, in a fixed order (`search`: its documents and their static index;
    None: all but its search page and index; `lost`: its acknowledged lost versions)."""
    yield from site.outputs()
    record = unit_record(site, registry, lost)  # first: it gives each version page its SHA-256
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


def unit_record(site: UnitSite, registry: UnitRegistry, lost: list[dict]) -> bytes:
    """`rejestr-zmian/rejestr.json`: every version with its commit and SHA-256 (bip.registry.record)."""
    live = {}
    for history in registry.pages.values():
        live_url = None if history.deleted else history.versions[-1].url
        live[history.key] = shown_live(site, history, live_url)
    digests = Digests(site.history or History.empty(site.root),
                      site.root / CACHE_DIR / "sha256" / f"{site.unit.id}.json")
    record = registry_record(site.region, site.unit, registry, digests, live, lost)
    digests.save()
    return record


SEARCH = "szukaj"  # the unit's search page and index


def render_unit(job: UnitJob, unit_id: str) -> tuple[UnitReport, list[Problem]]:
    """Worker: one unit into a new snapshot; its report and problems. The unit is the fault boundary: a
    broken template is reported with its file and line; any other failure (an exception, a panic of a native
    library) fails this unit alone, its half-written snapshot removed and its previous one left live."""
    options, region = job.options, job.region
    unit = region.unit(unit_id)
    problems = Problems()
    fault.reset()
    try:
        fault.failpoint(unit_id)
        with collected_once(), remembering(parsed_file(options.root, unit_id), generator_signature()):
            return _render_unit(job, unit, problems)
    except BaseException as exc:
        if fault.fatal(exc):
            raise
        problems.add(fault.unit_failure(unit.source, exc))
        return UnitReport(unit_id, "failed", pages=len(unit.pages), reason="internal"), problems.sorted()
    finally:
        unload_pages(unit)  # a worker's memory must not grow with every unit it renders
        forget_parses()


@contextmanager
def collected_once() -> Iterator[None]:
    """No cyclic garbage collection while a unit renders, one when it is done: a unit's objects refer to
    each other and live until its snapshot is written, so scans in between free nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.collect(0)


def _render_unit(job: UnitJob, unit: Unit, problems: Problems) -> tuple[UnitReport, list[Problem]]:
    started = time.perf_counter()
    unit_id = unit.id
    options, store, now = job.options, job.store, job.now
    if unit_id in job.failed:
        # errors in unit.yaml (or a folder that is no unit): its pages are only checked, never published
        load_pages(options.root, unit, problems)
        validate_pages(options.root, unit, problems, now)
        return UnitReport(unit_id, "failed", pages=len(unit.pages), reason="content"), problems.sorted()
    fingerprint = job.fingerprints[unit_id]
    previous = store.live_unit(unit_id)
    target = store.new_snapshot(unit_id, fingerprint)
    # the previous snapshot's files are linked in while the unit loads and renders (disk time in a thread of
    # its own); what the new snapshot no longer has is removed at the end
    carry = CarryOver(previous, target, skip=[MANIFEST]) if previous is not None else None
    try:
        return _render_into(job, unit, problems, started, previous, target, carry)
    except BaseException:
        _discard(carry, target)  # nothing half-written stays: not a full disk's, not a failed unit's
        raise


def _render_into(
    job: UnitJob, unit: Unit, problems: Problems, started: float, previous: Path | None, target: Path,
    carry: CarryOver | None,
) -> tuple[UnitReport, list[Problem]]:
    unit_id = unit.id
    region, options, store, now, history = job.region, job.options, job.store, job.now, job.history
    fingerprint = job.fingerprints[unit_id]
    load_pages(options.root, unit, problems)
    extractions = validate_pages(options.root, unit, problems, now)  # attachments' text and facts, read once
    registry = prepare_unit(unit, history, now, problems, options.root, job.policy)  # earlier versions checked too
    if problems.errors or (options.strict and problems.strict_failures):
        _discard(carry, target)
        return UnitReport(unit_id, "failed", pages=len(unit.pages), reason="content"), problems.sorted()
    salt = job.salts[unit_id]
    memo = RenderMemo.load(memo_file(options.root, unit_id), previous, salt)
    written = 0
    try:
        site = UnitSite(options.root, region, unit, now, preview=options.preview, history=history, memo=memo,
                        extractions=extractions)
        # a preview rebuild after a save keeps the unit's search page and index as they were (the text of
        # every page again is more than an editor should wait for); the next full preview makes them anew
        kept = options.preview_edit and previous is not None and (previous / SEARCH / "index.html").is_file()
        docs = None if kept else with_attachments(
            ((page, page_doc(unit_id, unit.name, page, site.page_text(page))) for page in site.public),
            site.extractions, {static.url for static in unit.static_files})
        if not options.preview:  # `bip search` makes the unit's index anew from what this snapshot publishes
            forget_search_index(options.root, unit_id)
        search = (docs, unit_index(docs, unit_id)) if docs is not None else None
        produced: set[str] = set()
        files = SnapshotFiles(previous, target)
        for relative, data in unit_outputs(site, registry, search, job.losses.get(unit_id, [])):
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
    memo.save(fingerprint, sorted({*problems.warnings, *job.warnings[unit_id]}), site.link_warnings)
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
