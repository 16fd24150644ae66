"""Atom feeds (feedgen), sitemaps and robots.txt: dates come from history, never from the clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from xml.sax.saxutils import escape

from feedgen.feed import FeedGenerator


@dataclass(frozen=True)
class FeedEntry:
    id: str  # stable: absolute URL plus the commit
    title: str
    url: str  # absolute
    updated: dt.datetime
    summary: str
    author: str


def atom(feed_id: str, title: str, url: str, self_url: str, entries: list[FeedEntry]) -> bytes:
    fg = FeedGenerator()
    fg.id(feed_id)
    fg.title(title)
    fg.link(href=url, rel="alternate")
    fg.link(href=self_url, rel="self")
    fg.language("pl")
    fg.generator("bip")
    epoch = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    fg.updated(max((e.updated for e in entries), default=epoch))
    # feedgen prepends entries: add oldest first so the newest is on top
    for entry in reversed(entries):
        fe = fg.add_entry()
        fe.id(entry.id)
        fe.title(entry.title)
        fe.link(href=entry.url)
        fe.updated(entry.updated)
        fe.summary(entry.summary or entry.title)
        fe.author({"name": entry.author or "—"})
    return fg.atom_str(pretty=True)


def sitemap(urls: list[tuple[str, dt.date | None]]) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for loc, lastmod in sorted(urls, key=lambda u: u[0]):
        mod = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
        lines.append(f"<url><loc>{escape(loc)}</loc>{mod}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def sitemap_index(locations: list[str]) -> bytes:
    """A sitemap index (sitemaps.org) listing the sitemaps at `locations` (absolute URLs)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"<sitemap><loc>{escape(loc)}</loc></sitemap>" for loc in locations]
    lines.append("</sitemapindex>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots(sitemap_url: str) -> bytes:
    """robots.txt of a site root: everything may be crawled (pages taken down say noindex themselves); its
    sitemap named when its address is absolute, as the standard requires (RFC 9309, sitemaps.org)."""
    lines = ["User-agent: *", "Allow: /", ""]
    if sitemap_url.startswith(("https://", "http://")):
        lines.append(f"Sitemap: {sitemap_url}")
    return ("\n".join(lines).rstrip("\n") + "\n").encode("utf-8")
