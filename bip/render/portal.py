"""The regional portal: public/index.html listing every unit by kind, with its subordinate units, its latest
changes and the cross-unit search, made from what the units' snapshots published."""

from __future__ import annotations

import datetime as dt
import heapq
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bip.doctypes import UNIT_KIND_GROUPS
from bip.files import write_file
from bip.job import PORTAL_LATEST, portal_cache
from bip.model import Region, Unit, portal_path
from bip.publish.feeds import robots, sitemap, sitemap_index
from bip.publish.store import MANIFEST, link_files
from bip.render.env import unit_environment
from bip.render.legal import declaration
from bip.render.site import Output, static_assets
from bip.search.site import portal_index


def render_portal(
    root: Path, region: Region, now: dt.datetime, units: list[Unit], latest: list[dict[str, Any]],
    search: dict[str, Any] | None, addresses: dict[str, str] | None = None,
) -> Iterator[Output]:
    """The portal's index page listing `units` (those published), its cross-unit search page (search: the
    search page context; None: not rendered, the previous one is kept), assets, and its robots.txt and
    sitemaps (`addresses`: unit id → the unit's public address, default under the portal's)."""
    env = unit_environment(root, "content/.portal", region.theme)
    assets = static_assets(root, region.theme)
    available = {u.id for u in units}
    children: dict[str, list] = {}
    for unit in sorted(units, key=lambda u: u.name):
        if unit.parent and unit.parent in available:
            children.setdefault(unit.parent, []).append(unit)
    groups = []
    for kind, label in UNIT_KIND_GROUPS.items():
        members = sorted((u for u in units if u.kind == kind and not (u.parent and u.parent in available)),
                         key=lambda u: u.name)
        if members:
            groups.append((label, members))
    html = env.get_template("portal.html").render(
        region=region, groups=groups, children=children, latest=latest, asset=lambda name: assets[name][0],
        link=lambda target: target, home="./", now=now,
    )
    yield "index.html", html.encode("utf-8")
    yield "deklaracja-dostepnosci/index.html", portal_declaration(env, region, now, assets)
    # shown by the web server for any missing address outside the units' folders, at any depth: links from
    # the server's root (the portal's path in the region's base_url)
    top = portal_path(region)
    html = env.get_template("portal_404.html").render(
        region=region, asset=lambda name: top + assets[name][0], link=lambda target: top + target, home=top, now=now,
    )
    yield "404.html", html.encode("utf-8")
    if search is not None:
        html = env.get_template("portal_search.html").render(
            region=region, asset=lambda name: "../" + assets[name][0], link=lambda target: "../" + target,
            home="../", now=now, portal=True, **search,
        )
        yield "szukaj/index.html", html.encode("utf-8")
    for name in sorted(assets):
        yield assets[name]
    yield from crawler_files(region, [u.id for u in units], addresses or {})


PORTAL_SITEMAP = "sitemap-portal.xml"


def crawler_files(region: Region, units: list[str], addresses: dict[str, str]) -> Iterator[Output]:
    """robots.txt of the portal's site root naming its sitemap index, which lists the portal's own sitemap
    and every unit's (a unit on its own domain: its sitemap there, whose addresses are the ones to index)."""
    base = region.base_url.rstrip("/") + "/"
    yield PORTAL_SITEMAP, sitemap([(base, None), (base + "szukaj/", None)])
    units_maps = [(addresses.get(unit) or f"{base}{unit}/") + "sitemap.xml" for unit in units]
    yield "sitemap.xml", sitemap_index([base + PORTAL_SITEMAP, *units_maps])
    yield "robots.txt", robots(base + "sitemap.xml")


def portal_declaration(env: Any, region: Region, now: dt.datetime, assets: dict[str, tuple[str, bytes]]) -> bytes:
    """The portal's own deklaracja dostępności, from region.yaml `accessibility`."""
    given = region.data.get("accessibility")
    given = given if isinstance(given, dict) else {}
    a11y = declaration(given, region.name, region.base_url.rstrip("/") + "/", {}, now.date(), now.date())
    return env.get_template("portal_deklaracja.html").render(
        region=region, a11y=a11y, asset=lambda name: "../" + assets[name][0], link=lambda target: "../" + target,
        home="../", now=now,
    ).encode("utf-8")


def write_portal(
    root: Path, region: Region, now: dt.datetime, site: Path, preview: bool = False, previous: Path | None = None,
    live: tuple[Path, str] | None = None, key: str = "",
) -> None:
    """The regional portal from the manifests of the units present in `site` (a tree of the site key `key`).

    With `previous` (a preview rebuild after an edit: the live preview tree), the cross-unit search page and
    index of that tree are kept as they are: joining them anew over the whole region is more than an editor
    should wait for a saved page. The folder is moved over, as the last step before the new tree goes live
    (the preview's own server is its only reader). They are made anew by the next full preview and by every
    `bip build`, which links from `live` (the live tree and its key) the index files that did not change.
    """
    latest: list[dict[str, object]] = []
    available: dict[str, str] = {}  # unit id → the fingerprint of its snapshot
    addresses: dict[str, str] = {}  # unit id → its public address
    listed: list[Unit] = []
    for unit_id in sorted({*region.units, *region.refused}):
        manifest = site / unit_id / MANIFEST
        if manifest.is_file():
            data = json.loads(manifest.read_text(encoding="utf-8"))
            available[unit_id] = str(data.get("fingerprint"))
            if isinstance(data.get("address"), str):
                addresses[unit_id] = data["address"]
            listed.append(as_published(unit_id, data))
            for row in data.get("latest", []):
                latest.append({**row, "date": dt.datetime.fromisoformat(row["date"])})
    latest = heapq.nlargest(PORTAL_LATEST, latest, key=lambda row: (row["date"], row["url"]))
    kept = previous / "szukaj" if previous is not None else None
    if kept is not None and not (kept / "index.html").is_file():
        kept = None
    search, index = (None, {}) if kept is not None else portal_index(
        site, [(u.id, u.name, available[u.id]) for u in listed],
        portal_cache(root, preview), live, key)
    for relative, data in render_portal(root, region, now, listed, latest, search, addresses):
        write_file(site, relative, data)
    if kept is not None:
        os.rename(kept, site / kept.name)
        return
    link_files((data, site / relative) for relative, data in index.items() if isinstance(data, Path))
    for relative, data in index.items():
        if not isinstance(data, Path):
            write_file(site, relative, data)


def as_published(unit_id: str, manifest: dict[str, Any]) -> Unit:
    """A unit as its live snapshot was published (a unit whose unit.yaml is broken now stays listed as it was)."""
    parent = manifest.get("parent")
    return Unit(id=unit_id, source=f"content/{unit_id}", name=str(manifest.get("name") or unit_id),
                kind=str(manifest.get("kind") or ""), data={}, lines={},
                parent=str(parent) if isinstance(parent, str) else None, pages_loaded=False)
