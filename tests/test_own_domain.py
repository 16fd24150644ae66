"""A unit on its own domain (base_url in unit.yaml) works at both of its addresses: its domain, where its
folder is the site root, and its folder under the regional portal. The built sample is served by real HTTP
servers (127.0.0.1, a free port each, the unit's 404 page for a missing address as docs/deploy/ configures
it) and crawled by a link checker: every href/src/action of every page, the URLs of the search data (the
document list and the rows of the static index, resolved as search.js resolves them), of the feed,
sitemaps and robots.txt, and every #fragment against the ids of its target page. Absolute addresses of the
region and of the unit's domain are checked at the servers that stand for them."""

from __future__ import annotations

import json
import math
import re
import threading
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit
from xml.etree import ElementTree

import pytest
import yaml
from conftest import NOW, REGION, REPO, basic_files, run_bip

OWN = "miasto-gorzow-wielkopolski"  # a unit with base_url
PLAIN = "gmina-swidnica"  # a unit without one
NOT_FOUND = "Nie znaleziono strony"
MISSING = "nie-ma/takiej/strony/"  # a missing address some folders deep
DOCUMENTS = "szukaj/dokumenty.json"  # a unit's document list (open data: not linked from its pages)


def base_url(path: Path) -> str:
    return str(yaml.safe_load(path.read_text(encoding="utf-8"))["base_url"]).rstrip("/") + "/"


REGION_URL = base_url(REPO / "content/region.yaml")
OWN_URL = base_url(REPO / f"content/{OWN}/unit.yaml")


def serve(root: Path, not_found: Callable[[str], Path | None]) -> tuple[ThreadingHTTPServer, str]:
    """A static web server of `root` on a free port; a missing address gets the page `not_found` names."""

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            page = not_found(urlsplit(self.path).path) if code == 404 else None
            if page is None or not page.is_file():
                super().send_error(code, message, explain)
                return
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@dataclass
class Sites:
    out: Path  # the built output
    region: str  # the whole output as a site root
    own: str  # the own-domain unit's folder as a site root
    public: dict[str, str]  # public address → the local server standing for it


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    out = tmp_path_factory.mktemp("own-domain") / "public"
    proc = run_bip(REPO, "build", "--now", NOW, "--allow-shallow", "--out", str(out))
    assert proc.returncode == 0, proc.stderr

    def in_portal(path: str) -> Path | None:
        """docs/deploy/nginx.conf: a unit's folder shows its 404-portal.html, any other address the portal's
        404.html."""
        unit = path.strip("/").split("/")[0]
        return out / unit / "404-portal.html" if unit and (out / unit / "404-portal.html").is_file() else out / "404.html"

    region, region_url = serve(out, in_portal)
    own, own_url = serve(out / OWN, lambda path: out / OWN / "404.html")  # its domain's error_page 404 /404.html
    try:
        yield Sites(out, region_url, own_url, {REGION_URL: region_url, OWN_URL: own_url})
    finally:
        for server in (region, own):
            server.shutdown()
            server.server_close()


class Links(HTMLParser):
    """The URLs a page refers to (href, src, action, a meta refresh), the ids it has, its search form's index."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()
        self.index: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.urls += [values[name] for name in ("href", "src", "action") if name in values]
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.urls.append(values.get("content", "").partition("url=")[2])
        if tag == "form" and values.get("id") == "bip-search":
            self.index = values.get("data-index", "indeks/")


@dataclass
class Crawl:
    public: dict[str, str]
    scope: str  # pages under this local address are followed; any other local one is only checked
    broken: list[str] = field(default_factory=list)
    ids: dict[str, set[str]] = field(default_factory=dict)
    fetched: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    reached: set[str] = field(default_factory=set)

    def local(self, url: str) -> str | None:
        """The local address standing for `url`, or None for a page of the wide web (not checked)."""
        for public, local in self.public.items():
            if url.startswith(public):
                return local + url[len(public):]
        return url if any(url.startswith(local) for local in self.public.values()) else None

    def fetch(self, url: str) -> tuple[int, bytes]:
        if url not in self.fetched:
            try:
                with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own local server
                    self.fetched[url] = (response.status, response.read())
            except urllib.error.HTTPError as error:
                self.fetched[url] = (error.code, error.read())
        return self.fetched[url]

    def run(self, starts: list[str], missing: list[str] = ()) -> list[str]:
        """Crawl from `starts` (and from the 404 pages served at the `missing` addresses); the broken links."""
        queue: deque[tuple[str, str]] = deque((url, "(start)") for url in [*starts, *missing])
        seen = set(starts) | set(missing)
        fragments: list[tuple[str, str, str]] = []
        while queue:
            url, source = queue.popleft()
            status, body = self.fetch(url)
            expected = 404 if url in missing else 200
            if status != expected or (url in missing and NOT_FOUND not in body.decode("utf-8")):
                self.broken.append(f"{source} → {url}: {status}")
                continue
            self.reached.add(url)
            if not url.startswith(self.scope):
                self.page_ids(url, body)
                continue
            for link in self.links(url, body):
                target = self.local(urljoin(url, link))
                if target is None:
                    continue
                address, fragment = urldefrag(target)
                if fragment:
                    fragments.append((address, fragment, url))
                if address not in seen:
                    seen.add(address)
                    queue.append((address, url))
        for address, fragment, source in fragments:
            if address in self.ids and fragment not in self.ids[address]:
                self.broken.append(f"{source} → {address}#{fragment}: no such id")
        return self.broken

    def page_ids(self, url: str, body: bytes) -> Links:
        parser = Links()
        if url.endswith("/") or url.endswith(".html"):
            parser.feed(body.decode("utf-8"))
            self.ids[url] = parser.ids
        return parser

    def links(self, url: str, body: bytes) -> list[str]:
        path = urlsplit(url).path
        if path.endswith("/") or path.endswith(".html"):
            parser = self.page_ids(url, body)
            found = [u for u in parser.urls if u and not u.startswith(("mailto:", "tel:"))]
            if parser.index is not None:
                found += self.search_index(urljoin(url, parser.index))
            return found
        if path.endswith(".xml"):  # sitemaps, sitemap indexes, Atom feeds
            tree = ElementTree.fromstring(body)
            return [e.text or "" for e in tree.iter() if e.tag.endswith("}loc")] + [
                e.get("href", "") for e in tree.iter() if e.tag.endswith("}link")]
        if path.endswith("robots.txt"):
            return [line.partition(":")[2].strip() for line in body.decode().splitlines() if line.startswith("Sitemap:")]
        if path.endswith("szukaj/dokumenty.json"):  # urls relative to the unit's root
            return [urljoin(urljoin(url, "../"), row["url"]) for row in json.loads(body)]
        return []

    def search_index(self, folder: str) -> list[str]:
        """What the static search links to: each row of each document block, its url relative to its unit's
        root (the index folder's ../../), read as search.js reads them (a portal's index: from every unit's)."""
        status, body = self.fetch(folder + "meta.json")
        if status != 200:
            return [folder + "meta.json"]
        meta = json.loads(body)
        sites = meta.get("sites") or [[0, meta["docs"], meta["block"], "", None]]
        found = [folder + meta["ranges"]] if isinstance(meta.get("ranges"), str) else []
        for _, docs, block, path, _ in sites:
            index = urljoin(folder, path)
            for n in range(math.ceil(docs / block)):
                status, data = self.fetch(f"{index}d/{n:x}.json")
                if status != 200:
                    found.append(f"{index}d/{n:x}.json")
                    continue
                found += [urljoin(index, "../../" + row[1]) for row in json.loads(data)]
        return found


def test_own_domain_unit_works_at_its_domain(sites: Sites) -> None:
    crawl = Crawl(sites.public, scope=sites.own)
    broken = crawl.run([sites.own, sites.own + "robots.txt", sites.own + DOCUMENTS], missing=[sites.own + MISSING])
    assert not broken, "\n".join(broken)
    # the whole unit was crawled: search page and data, feed, sitemap, registry, the 404 page's links
    for path in ("szukaj/", "szukaj/dokumenty.json", "feed.xml", "sitemap.xml", "rejestr-zmian/", "uchwaly/"):
        assert sites.own + path in crawl.reached, path
    # it never sends readers from its domain to its copy under the portal, only to the portal itself
    to_region = {url for url in crawl.reached if url.startswith(sites.region)}
    assert to_region <= {sites.region}, sorted(to_region)


def test_own_domain_unit_works_under_the_portal(sites: Sites) -> None:
    unit = sites.region + OWN + "/"
    crawl = Crawl(sites.public, scope=unit)
    broken = crawl.run([unit, unit + DOCUMENTS], missing=[unit + MISSING])
    assert not broken, "\n".join(broken)
    assert {unit + "szukaj/dokumenty.json", unit + "rejestr-zmian/"} <= crawl.reached


def test_unit_without_own_domain_works_under_the_portal(sites: Sites) -> None:
    unit = sites.region + PLAIN + "/"
    crawl = Crawl(sites.public, scope=unit)
    broken = crawl.run([unit, unit + "robots.txt", unit + DOCUMENTS], missing=[unit + MISSING])
    assert not broken, "\n".join(broken)
    assert {unit + "szukaj/dokumenty.json", unit + "feed.xml", unit + "sitemap.xml"} <= crawl.reached
    assert not any(url.startswith(sites.own) for url in crawl.reached)


def test_portal_its_search_and_sitemaps_link_every_unit(sites: Sites) -> None:
    crawl = Crawl(sites.public, scope=sites.region)
    broken = crawl.run([sites.region, sites.region + "robots.txt"],
                       missing=[*(sites.region + unit + "/" + MISSING for unit in (OWN, PLAIN)),
                                sites.region + MISSING, sites.region + "nie-ma-takiego-podmiotu/uchwaly/"])
    assert not broken, "\n".join(broken)
    units = sorted(p.parent.name for p in (REPO / "content").glob("*/unit.yaml"))
    # robots.txt → the sitemap index → every unit's sitemap (the own-domain unit's at its domain)
    for unit in units:
        expected = sites.own + "sitemap.xml" if unit == OWN else f"{sites.region}{unit}/sitemap.xml"
        assert expected in crawl.reached, unit
    assert sites.region + "sitemap-portal.xml" in crawl.reached and sites.region + "szukaj/indeks/ranges.json" in crawl.reached


def test_every_page_names_its_address_at_the_units_domain_as_canonical(sites: Sites) -> None:
    """The same page at two addresses: search engines are told which one is the unit's (rel=canonical)."""
    unit = sites.out / OWN
    pages = sorted(p for p in unit.rglob("*.html") if not p.name.startswith("404"))
    assert len(pages) > 30
    for path in pages:
        relative = path.relative_to(unit).as_posix()
        expected = OWN_URL + relative.removesuffix("index.html")
        assert re.findall(r'<link rel="canonical" href="([^"]*)">', path.read_text(encoding="utf-8")) == [expected]
    for name in ("404.html", "404-portal.html"):  # shown at any address: none is its own
        assert 'rel="canonical"' not in (unit / name).read_text(encoding="utf-8")
    plain = (sites.out / PLAIN / "uchwaly/index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{REGION_URL}{PLAIN}/uchwaly/">' in plain


def test_portal_404_links_from_the_portal_path_of_base_url(project, tmp_path: Path) -> None:
    """The portal's 404.html is shown at any depth: every link and asset starts at the portal's path."""
    files = basic_files()
    files["content/region.yaml"] = REGION.replace("base_url: https://bip.example", "base_url: https://example.gov.pl/bip")
    root = project(files)
    out = tmp_path / "public"
    done = run_bip(root, "build", "--now", NOW, "--out", str(out))
    assert done.returncode == 0, done.stderr
    links = Links()
    links.feed((out / "404.html").read_text(encoding="utf-8"))
    local = [url for url in links.urls if not url.startswith(("https://", "#"))]  # skip links stay in the page
    assert "/bip/" in local and "/bip/szukaj/" in local, local
    assert all(url.startswith("/bip/") for url in local), local
    for url in local:  # each points at a file of the output
        target = out / url.removeprefix("/bip/")
        assert target.is_file() or (target / "index.html").is_file(), url
