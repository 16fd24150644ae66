"""The regional portal: public/index.html listing every unit by kind, with its subordinate units."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bip.doctypes import UNIT_KIND_GROUPS
from bip.model import Region
from bip.render.env import theme_dirs, unit_environment
from bip.render.site import Output, static_assets


def render_portal(
    root: Path, region: Region, now: dt.datetime, available: set[str], latest: list[dict[str, Any]],
    search: dict[str, Any],
) -> Iterator[Output]:
    """The portal's index page, its cross-unit search page (search: the search page context) and assets."""
    env = unit_environment(root, "content/.portal", region.theme)
    assets = static_assets(root, region.theme)
    units = [u for u in region.units.values() if u.id in available]
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
    html = env.get_template("portal_search.html").render(
        region=region, asset=lambda name: "../" + assets[name][0], link=lambda target: "../" + target, home="../",
        now=now, portal=True, **search,
    )
    yield "szukaj/index.html", html.encode("utf-8")
    for name in sorted(assets):
        yield assets[name]


__all__ = ["render_portal", "theme_dirs"]
