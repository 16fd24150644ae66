"""The registry's pages, from the data bip.registry computes: the unit's rejestr zmian (paged), each page's
history, every earlier version as a full page, diffs between versions, stored files, deleted pages kept."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from bip.doctypes import DOCTYPES
from bip.fault import at, fatal
from bip.model import Page
from bip.registry import (
    PageHistory,
    PageVersion,
    RegistryEntry,
    UnitRegistry,
    version_attachments,
    version_metryczka,
)
from bip.registry.diff import compare
from bip.render.site import Output, UnitSite, source_html

PAGE_SIZE = 50


def registry_pages(site: UnitSite, registry: UnitRegistry) -> Iterator[Output]:
    yield from _listing(site, registry)
    for page_history in sorted(registry.pages.values(), key=lambda h: h.key):
        yield from _page_history(site, registry, page_history)
    yield from _stored_files(site, registry)
    yield from _deleted_pages(site, registry)
    yield from _redirects(site, registry)


def chunks(entries: list[RegistryEntry], size: int) -> list[list[RegistryEntry]]:
    """Chunks numbered from the oldest, so a full chunk keeps its URL and rows forever."""
    oldest_first = list(reversed(entries))
    return [list(reversed(oldest_first[i : i + size])) for i in range(0, len(oldest_first), size)]


def _listing(site: UnitSite, registry: UnitRegistry) -> Iterator[Output]:
    size = int(site.region.data.get("registry_page_size", PAGE_SIZE))
    parts = chunks(registry.entries, size) or [[]]
    count = len(parts)
    for number, rows in enumerate(parts, start=1):
        url = "rejestr-zmian/" if number == count else f"rejestr-zmian/{number}/"
        pager = [(n, "rejestr-zmian/" if n == count else f"rejestr-zmian/{n}/") for n in range(count, 0, -1)]
        yield url + "index.html", site.render(
            "registry.html", url, "Rejestr zmian" if number == count else f"Rejestr zmian – część {number}",
            entries=rows, number=number, count=count, pager=pager, complete_since=registry.complete_since,
        )


def _page_history(site: UnitSite, registry: UnitRegistry, page_history: PageHistory) -> Iterator[Output]:
    base = page_history.history_url
    current = page_history.last_page
    title = current.title if current else page_history.key
    live_url = None if page_history.deleted else (page_history.versions[-1].url if page_history.versions else None)
    current_n = shown_live(site, page_history, live_url)
    yield base, site.render(
        "page_history.html", base, f"Historia zmian: {title}", output=base, history=page_history, page_title=title,
        live_url=live_url, current_n=current_n,
    )
    previous: PageVersion | None = None
    for pv in page_history.versions:
        with at(pv.version.path, pv.version.commit):
            # every earlier version as a full page; the current one is the live page (linked as such): its
            # version address is made once a newer version comes
            if pv.page is not None and pv.n != current_n:
                yield _version(site, registry, page_history, pv, live_url)
            if previous is not None and previous.page is not None and pv.page is not None:
                yield _diff(site, page_history, previous, pv, title, live_url, current_n)
        if pv.page is not None:
            previous = pv


def shown_live(site: UnitSite, page_history: PageHistory, live_url: str | None) -> int | None:
    """The number of the version the live page shows (its last one, when the working tree has that very
    text), else None (a page deleted, or changed since the last commit: a preview, `--allow-dirty`)."""
    if live_url is None:
        return None
    last = page_history.versions[-1]
    live = site.by_url.get(live_url)
    if last.page is None or live is None or live.source != page_history.source:
        return None
    return last.n if live.content_hash == last.page.content_hash else None


def _version(
    site: UnitSite, registry: UnitRegistry, page_history: PageHistory, pv: PageVersion, live_url: str | None,
) -> Output:
    page = pv.page
    assert page is not None
    version_metryczka(site.unit, page_history, pv)
    page.attachments = version_attachments(registry, site.unit, pv)
    url = page_history.version_url(pv.n)
    # the stored copy of each file: its blob id stands in the digest for the label computed from it
    stored = {a.source: registry.file_at(a.source, pv.version.date) for a in page.attachments}
    blobs = {source: found.version.blob for source, found in stored.items() if found is not None}

    def render(shown: Page, body: Callable[[], str]) -> Any:
        return site.render(
            "version.html", url, f"{shown.title} (wersja {pv.n})", output=url, page=shown, stored_blobs=blobs,
            derived=lambda: {"body": body(), "labels": site.stored_labels(shown.attachments, blobs)},
            archived=False, doctype=DOCTYPES.get(shown.type, DOCTYPES["strona"]),
            version=pv, history=page_history, live_url=live_url,
            removed=page_history.versions[-1] if page_history.deleted else None,
        )

    return url, lenient(site, pv, render)


def lenient(site: UnitSite, pv: PageVersion, render: Callable[[Page, Callable[[], str]], Any]) -> Any:
    """An earlier version's page; one that cannot be rendered as it was (data that today's templates cannot
    show) is rendered with only its title and its text shown as source, and a warning naming the commit:
    history never stops the current site."""
    page = pv.page
    assert page is not None
    try:
        return render(page, lambda: site.body_html(page, pv.version.blob))
    except BaseException as exc:
        if fatal(exc):
            raise
        reason = f"nie udało się jej wyświetlić jako strony ({type(exc).__name__})."
        site.shown_as_source(page, reason)
    plain = replace(page, meta={"title": page.title}, type="strona", attachments=[])
    return render(plain, lambda: source_html(page.body, reason))


def _diff(
    site: UnitSite, page_history: PageHistory, old: PageVersion, new: PageVersion, title: str, live_url: str | None,
    current_n: int | None,
) -> Output:
    old_page, new_page = old.page, new.page
    assert old_page is not None and new_page is not None

    withdrawn = old.withdrawn or new.withdrawn  # a withdrawn side: its notice instead of a comparison

    def compared() -> dict[str, Any]:
        if withdrawn:
            return {"diff": None}
        # the bodies as their version pages show them (the same cached HTML), each under its own commit
        shown = []
        for pv, page in ((old, old_page), (new, new_page)):
            with at(pv.version.path, pv.version.commit):
                shown.append(site.body_html(page, pv.version.blob))
        return {"diff": compare(old_page, shown[0], new_page, shown[1])}

    url = page_history.diff_url(new.n)
    return url, site.render(
        "diff.html", url, f"Zmiany w wersji {new.n}: {title}", output=url, old=old, new=new, history=page_history,
        derived=compared, live_url=live_url, current_n=current_n, withdrawn=withdrawn,
    )


def _stored_files(site: UnitSite, registry: UnitRegistry) -> Iterator[Output]:
    """Every stored version of an attachment; one the previous snapshot has (the same blob) is not read again."""
    written = set()
    for versions in registry.files.values():
        for fv in versions:
            if fv.url and fv.url not in written:
                written.add(fv.url)
                if fv.withdrawn:  # the register withdraws these bytes: a notice stands in their place
                    yield fv.url, site.render("withdrawn.html", fv.url, f"Plik wycofany: {fv.name}", output=fv.url,
                                              notice=fv.withdrawn, name=fv.name, date=fv.version.date)
                else:
                    yield fv.url, site.stored_blob(fv.url, fv.version.blob)


def _deleted_pages(site: UnitSite, registry: UnitRegistry) -> Iterator[Output]:
    """A deleted page's URL keeps serving its last version, marked as removed (it never 404s)."""
    live = {p.url for p in site.public} | set(site.listings)
    for page_history in sorted(registry.pages.values(), key=lambda h: h.key):
        last = page_history.last_page
        if not page_history.deleted or last is None:
            continue
        url = next(pv.url for pv in reversed(page_history.versions) if pv.page is not None)
        if url in live or not url:
            continue
        removed = page_history.versions[-1]
        last_version = next(pv for pv in reversed(page_history.versions) if pv.page is not None)

        def render(shown: Page, body: Callable[[], str], last_version: PageVersion = last_version,
                   removed: PageVersion = removed, page_history: PageHistory = page_history, url: str = url) -> Any:
            return site.render(
                "removed.html", url, shown.title, page=shown, body=body(), removed=removed, version=last_version,
                history=page_history, doctype=DOCTYPES.get(shown.type, DOCTYPES["strona"]), archived=False,
            )

        with at(last_version.version.path, last_version.version.commit):
            yield url + "index.html", lenient(site, last_version, render)


def _redirects(site: UnitSite, registry: UnitRegistry) -> Iterator[Output]:
    """Old addresses keep working: earlier URLs of moved pages and the `aliases` of current ones."""
    taken = {p.url for p in site.public} | set(site.listings) | {h.versions[-1].url for h in registry.pages.values()
                                                                  if h.deleted}
    moves: dict[str, tuple[str, str]] = {}
    for page_history in registry.pages.values():
        last = page_history.last_page
        if last is None:
            continue
        final = page_history.versions[-1].url if not page_history.deleted else page_history.history_url
        for pv in page_history.versions:
            if pv.page is not None and pv.url != final:
                moves.setdefault(pv.url, (final, last.title))
    for page in site.public:
        for alias in page.meta.get("aliases") or []:
            moves.setdefault(alias, (page.url, page.title))
    for old in sorted(moves):
        target, title = moves[old]
        if old and old not in taken:
            yield old + "index.html", site.render("redirect.html", old, "Strona przeniesiona", target=target,
                                                  target_title=title)
