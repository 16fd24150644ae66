"""Render step: one unit's pages, listings and generated legal pages as (path, bytes).

Input is the validated model (plus metryczki filled by the history step); output paths are
relative to the unit's folder in public/. Nothing here reads content files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import posixpath
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

from bip import fault
from bip.attachments.audit import audit, reasons
from bip.attachments.check import Extractions
from bip.attachments.label import label
from bip.attachments.model import Extraction, kind_of
from bip.attachments.reader import AttachmentReader
from bip.doctypes import DOCTYPES, UNIT_KINDS, fields_of
from bip.history import History
from bip.load.remembered import recall
from bip.model import Attachment, Page, Region, Unit, portal_path, unit_base_url
from bip.polish_dates import to_date
from bip.problems import Problem, Problems
from bip.render import legal
from bip.render.env import unit_environment
from bip.render.markdown import BodyTooComplex, heading_ids, to_html, to_text
from bip.render.memo import REUSE, RenderMemo, digest
from bip.render.themes import theme_dirs

Output = tuple[str, bytes]
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# ids every page of the default theme has: links to them are never dead
THEME_IDS = {"tresc", "metryczka-h", "zalaczniki", "najnowsze", "dane-podmiotu", "kontakt-stopka", "wykaz"}

NOT_FOUND_IN_PORTAL = "404-portal.html"  # the unit's 404 page as served under the portal's address

# Generated pages every unit has, in footer order: url → (template, Polish title)
LEGAL_PAGES = {
    "instrukcja/": ("instrukcja.html", "Instrukcja korzystania z BIP"),
    "redakcja/": ("redakcja.html", "Redakcja BIP"),
    "informacje-nieudostepnione/": ("nieudostepnione.html", "Informacje nieudostępnione"),
    "deklaracja-dostepnosci/": ("deklaracja.html", "Deklaracja dostępności"),
    "klauzula-informacyjna-rodo/": ("rodo.html", "Klauzula informacyjna RODO"),
    "mapa-serwisu/": ("mapa.html", "Mapa serwisu"),
}


@dataclass
class Link:
    url: str  # unit-relative URL
    label: str
    current: bool = False


@dataclass
class Listing:
    """A folder of pages: its own page (index.md) if any, child pages and subfolders."""

    url: str
    title: str
    index: Page | None
    pages: list[Page] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)
    archived: list[Page] = field(default_factory=list)  # its pages past valid_until (listed in the archive)


def is_public(page: Page, now: dt.datetime) -> bool:
    return not page.draft and (page.publish_at is None or page.publish_at <= now)


def is_archived(page: Page, now: dt.datetime) -> bool:
    until = page.meta.get("valid_until")
    return isinstance(until, dt.date) and until < now.date()


def sort_key(page: Page) -> tuple[Any, ...]:
    """Listings: explicit weight first, then newest by the type's date, then number and title."""
    doctype = DOCTYPES.get(page.type, DOCTYPES["strona"])
    value = page.meta.get(doctype.sort_key) if doctype.sort_key else None
    if value is None and page.metryczka:
        value = page.metryczka.published
    if isinstance(value, dt.datetime):
        value = value.date()
    ordinal = value.toordinal() if isinstance(value, dt.date) else (value if isinstance(value, int) else 0)
    return (page.meta.get("weight", 1_000_000), -ordinal, str(page.meta.get("number", "")), page.title, page.url)


def static_assets(root: Path, theme: str) -> dict[str, tuple[str, bytes]]:
    """Theme static files: name → (hashed output name, bytes). Hashed names let servers cache forever."""
    assets: dict[str, tuple[str, bytes]] = {}
    for folder in reversed(theme_dirs(root, theme)):
        static = folder / "static"
        if not static.is_dir():
            continue
        for path in sorted(static.rglob("*")):
            if path.is_file():
                name = path.relative_to(static).as_posix()
                data = path.read_bytes()
                stem, dot, ext = name.rpartition(".")
                digest = hashlib.sha256(data).hexdigest()[:10]
                assets[name] = (f"static/{stem}.{digest}.{ext}" if dot else f"static/{name}.{digest}", data)
    return assets


def _ensure(listings: dict[str, Listing], by_url: dict[str, Page], folder: str) -> Listing:
    """The listing of `folder`, made (with those of the folders above it) if there is none yet."""
    if folder not in listings:
        index = by_url.get(folder)
        listings[folder] = Listing(folder, "", index if index and index.is_section_index else None)
        parent = parent_url(folder)
        if parent:
            _ensure(listings, by_url, parent).folders.append(folder)
    return listings[folder]


class UnitSite:
    """Everything needed to render one unit; each method returns finished outputs."""

    def __init__(
        self, root: Path, region: Region, unit: Unit, now: dt.datetime, preview: bool = False,
        history: History | None = None, memo: RenderMemo | None = None, extractions: Extractions | None = None,
    ):
        self.root, self.region, self.unit, self.now, self.preview = root, region, unit, now, preview
        self.env: jinja2.Environment = unit_environment(root, unit.source, unit.theme)
        self.assets = static_assets(root, unit.theme)
        self.public = sorted((p for p in unit.pages if is_public(p, now)), key=lambda p: p.url)
        self.by_url = {p.url: p for p in self.public}
        self.listings = self._listings()
        self.menu = self._menu()
        self.html_cache: dict[str, str] = {}
        self.partials: dict[tuple[Any, ...], Markup] = {}
        self.ids_cache: dict[str, set[str]] = {}
        self.problems = Problems()
        # the link warnings of each public page whose own body was rendered in this build (by source)
        self.link_warnings: dict[str, list[Problem]] = {}
        self.history = history
        self.memo = memo
        self.extractions: Extractions = extractions or {}
        self._blob_reader: AttachmentReader | None = None  # attachment.source → its text and facts (validate)
        self.rendered = 0
        self.reused = 0
        self.targets = self._targets()

    def _targets(self) -> dict[str, str]:
        """Every way an editor may name a link target → its unit-relative output URL."""
        unit_dir = len(self.unit.source) + 1
        targets: dict[str, str] = {}
        for page in self.public:
            targets[page.source[unit_dir:]] = page.url
            targets[page.url] = page.url
        for static in self.unit.static_files:
            targets[static.source[unit_dir:]] = static.url
            targets[static.url] = static.url
        for url in self.listings:
            targets[url] = url
        for url in (*LEGAL_PAGES, "rejestr-zmian/", "szukaj/", "archiwum/"):
            targets[url] = url
        return targets

    # -- structure -------------------------------------------------------------------------
    def _listings(self) -> dict[str, Listing]:
        listings: dict[str, Listing] = {}
        for page in self.public:
            if page.is_section_index and page.url:
                _ensure(listings, self.by_url, page.url)
            elif parent_url(page.url):
                folder = _ensure(listings, self.by_url, parent_url(page.url))
                (folder.archived if is_archived(page, self.now) else folder.pages).append(page)
        for listing in listings.values():
            listing.title = self._folder_title(listing)
            listing.pages.sort(key=sort_key)
        self.listings = listings  # _weighted_title reads the folder titles from it
        for listing in listings.values():
            listing.folders.sort(key=self._weighted_title)
        return listings

    def _folder_title(self, listing: Listing) -> str:
        if listing.index is not None:
            return listing.index.title
        types = {p.type for p in listing.pages or listing.archived}
        if len(types) == 1 and (kind := types.pop()) != "strona":
            return DOCTYPES[kind].plural
        return listing.url.strip("/").split("/")[-1].replace("-", " ").capitalize()

    def _weighted_title(self, url: str) -> tuple[Any, ...]:
        page = self.by_url.get(url)
        title = self.listings[url].title if url in self.listings else (page.title if page else url)
        return (page.meta.get("weight", 1_000_000) if page else 1_000_000, title.lower(), url)

    def _menu(self) -> list[Link]:
        top = sorted({u for u in self.listings if u.count("/") == 1} | {
            p.url for p in self.public if p.url.count("/") == 1 and not is_archived(p, self.now)
        })
        order = [str(m).strip("/") + "/" for m in self.unit.data.get("menu", []) or []]
        ranked = sorted(top, key=lambda u: (order.index(u) if u in order else len(order), *self._weighted_title(u)))
        return [Link(url, self.listings[url].title if url in self.listings else self.by_url[url].title) for url in ranked]

    # -- rendering helpers -----------------------------------------------------------------
    def body_html(self, page: Page, blob: str = "", at: str | None = None) -> str:
        """Rendered body for the output URL `at` (default: the page's own URL).

        Editors' relative links are resolved against the source file's folder and rewritten to
        the output URLs; links to missing pages or files of a current page (not an earlier version)
        are warnings with the source line, kept in `link_warnings` by page.
        """
        at = page.url if at is None else at
        key = (blob or page.source) + "\0" + at
        if key not in self.html_cache:
            with fault.at(page.source):
                self.html_cache[key] = self._body_html(page, blob, at)
        return self.html_cache[key]

    def _body_html(self, page: Page, blob: str, at: str) -> str:
        folder = posixpath.dirname(page.source[len(self.unit.source) + 1 :])
        report = not blob  # earlier versions may link to what is gone since; that is not an error now
        if report:
            self.link_warnings.setdefault(page.source, [])
        try:
            return to_html(
                page.body, lambda href, line: self._rewrite(href, line, folder, at, page if report else None),
                page.body_line - 1, ids=(lambda found: self._ids(page, found)) if report else None,
            )
        except BodyTooComplex as refused:  # a current page is refused by the validate step; history shows its text
            if blob:
                self.shown_as_source(page, refused.problem.message)
            return source_html(page.body, refused.problem.message)
        except BaseException as exc:
            if not blob or fault.fatal(exc):
                raise
            reason = f"nie udało się jej wyświetlić jako strony ({type(exc).__name__})."
            self.shown_as_source(page, reason)  # an earlier version is history: it never stops the current site
            return source_html(page.body, reason)

    def shown_as_source(self, page: Page, reason: str) -> None:
        """Warn that an earlier version of `page` (of the commit being rendered) is shown as its source text."""
        self.problems.warning(
            page.source, page.body_line, "",
            f"Wersja tej strony z commita {fault.commit()[:12]} jest w rejestrze zmian pokazana jako tekst "
            f"źródłowy: {reason}", "Nic nie trzeba robić: ta wersja to historia, bieżąca strona jest publikowana.",
        )

    def _warn(self, page: Page, line: int, message: str, hint: str) -> None:
        problem = Problem(page.source, max(1, line), "", message, hint, "warning")
        self.problems.add(problem)
        self.link_warnings.setdefault(page.source, []).append(problem)

    def carry_link_warnings(self, previous: dict[str, list[Problem]]) -> None:
        """The link warnings of pages whose body was not rendered (every output of theirs was reused: same
        text, same link targets and heading ids) are those the previous snapshot recorded for them."""
        for page in self.public:
            if page.source not in self.link_warnings:
                self.link_warnings[page.source] = list(previous.get(page.source, []))
                self.problems.extend(self.link_warnings[page.source])

    def _rewrite(self, href: str, line: int, folder: str, at: str, page: Page | None) -> str:
        """An editor's link → the output URL; a missing page, file or #anchor is a located warning."""
        if not href or href.startswith(("//", "?")) or _SCHEME.match(href):
            return href
        if href.startswith("#"):
            if page is not None:
                self._check_anchor(href[1:], page, page, line, href)
            return href
        split = re.search(r"[#?]", href)
        path, rest = (href[: split.start()], href[split.start() :]) if split else (href, "")
        target = path.lstrip("/") if path.startswith("/") else posixpath.normpath(posixpath.join(folder, path))
        if target.startswith(".."):
            return href  # another unit's site: its own output decides
        target = "" if target == "." else target
        url = self.targets.get(target, self.targets.get(target.rstrip("/") + "/"))
        if url is None:
            if page is not None:
                self._warn(
                    page, line, f"Odnośnik „{href}” prowadzi do strony lub pliku, którego nie ma.",
                    "Popraw odnośnik: podaj ścieżkę do pliku .md lub załącznika względem tej strony.",
                )
            return href
        if page is not None and rest.startswith("#") and url in self.by_url:
            self._check_anchor(rest[1:].split("?")[0], self.by_url[url], page, line, href)
        return "../" * at.count("/") + url + rest

    def check_links(self) -> Problems:
        """The link check without templates (for `bip check`): every public page's body links."""
        for page in self.public:
            self.body_html(page)
        return self.problems

    def _check_anchor(self, anchor: str, target: Page, page: Page, line: int, href: str) -> None:
        if anchor in THEME_IDS or anchor in self._ids(target):
            return
        self._warn(
            page, line, f"Odnośnik „{href}” wskazuje miejsce (#{anchor}), którego nie ma na stronie.",
            "Nagłówki mają identyfikatory z przedrostkiem n-, np. „## Załącznik 1” → #n-zalacznik-1.",
        )

    def _ids(self, page: Page, known: set[str] | None = None) -> set[str]:
        if page.source not in self.ids_cache:
            self.ids_cache[page.source] = heading_ids(page.body, known)
        return self.ids_cache[page.source]

    def stored_blob(self, output: str, blob: str) -> Any:
        """A file's bytes at a version (from git), or REUSE when the previous snapshot has the same blob there."""
        if self.memo is not None and self.memo.reusable(output, f"blob {blob}"):
            return REUSE
        assert self.history is not None
        return self.history.read_blob(blob)

    def page_text(self, page: Page) -> str:
        """The body's plain text (for search). Links are rewritten in attributes only, so the text is a
        function of the Markdown alone: inside `remembering`, a body seen before is not rendered for it
        (its link warnings then come from the render memo, like those of any page not rendered)."""
        return recall("text", lambda: page.body.encode("utf-8", "surrogatepass"),
                      lambda: to_text(self.body_html(page)),
                      lambda text: zlib.compress(text.encode("utf-8", "surrogatepass"), 1),
                      lambda known: zlib.decompress(known).decode("utf-8", "surrogatepass"))

    def render(self, template: str, url: str, title: str, output: str = "", root: tuple[str, str] | None = None,
               derived: Callable[[], dict[str, Any]] | None = None, body_of: Page | None = None,
               **context: Any) -> Any:
        """The page as bytes, or REUSE when its inputs equal those of the previous snapshot's file.

        `root`: (unit root, portal root) to link from instead of relative links, for a page that the web
        server shows at any address (404.html). `derived`: more of the context, computed only
        when the page is rendered, from what `context` holds and the unit's link targets (an earlier
        version's body, a diff): a page that is reused does not compute it. `body_of`: the current page
        this output shows the body of, rendered only then too; its link warnings depend on the heading
        ids of the pages it links to, so all of those are in the digest as well.
        """
        if self.memo is not None:
            extra = {"targets": self._targets_digest} if derived is not None or body_of is not None else {}
            if body_of is not None:
                extra["anchors"] = self._anchors_digest
            value = digest(template, {"url": url, "title": title, "crumbs": self._breadcrumbs(url),
                                      "shared": self._shared_digest, **extra, **context}, self.memo.seen)
            if self.memo.reusable(output or url + "index.html", value):
                self.reused += 1
                return REUSE
        if derived is not None:
            context.update(derived())
        if body_of is not None:
            context["body"] = self.body_html(body_of)
        self.rendered += 1
        depth = url.count("/")
        to_unit = "../" * depth
        to_site = self.portal_address or to_unit + "../"
        if root is not None:
            to_unit, to_site = root

        def link(target: str) -> str:
            """Relative link from this page to a unit-relative URL (or a file)."""
            return to_unit + target if (to_unit + target) else "./"

        def asset(name: str) -> str:
            return to_unit + self.assets[name][0]

        def address(target: str) -> str:
            """The public address of a unit-relative URL (its base_url's when it has one), for rel=canonical;
            a relative link when the address is not known."""
            return self.public_base + target if self.public_base else link(target)

        crumbs = self._breadcrumbs(url)
        menu = [Link(m.url, m.label, url.startswith(m.url)) for m in self.menu]
        context = dict(
            unit=self.unit,
            unit_kind=UNIT_KINDS.get(self.unit.kind, self.unit.kind),
            region=self.region,
            url=url,
            title=title,
            menu=menu,
            legal=[Link(u, t, url == u) for u, (_, t) in LEGAL_PAGES.items()],
            nav_key=self._nav_key(url, menu),
            breadcrumbs=crumbs,
            link=link,
            address=address,
            canonical=address(url) if self.public_base and root is None else "",  # a 404 page is no address
            site_root=to_site,
            page_url=unit_base_url(self.region, self.unit) + url,  # printed under the page
            asset=asset,
            preview=self.preview,
            doctypes=DOCTYPES,
            fields_of=fields_of,
            now=self.now,
            **context,
        )

        def partial(name: str, *variant: Any) -> Markup:
            """The template `name` rendered with this page's context, once per unit for its links' prefix
            and `variant` (what else of the context it depends on), as Hugo's partialCached."""
            key = (name, to_unit, to_site, *variant)
            html = self.partials.get(key)
            if html is None:
                html = self.partials[key] = Markup(self.env.get_template(name).render(context))
            return html

        context["partial"] = partial
        try:
            html = self.env.get_template(template).render(context)
        finally:
            del context["partial"]  # it refers to the context: freed now, not by the cyclic collector
        return html.encode("utf-8")

    @cached_property
    def public_base(self) -> str:
        """The unit's public address when it is absolute (it is not without a base_url in region.yaml), else ""."""
        base = unit_base_url(self.region, self.unit)
        return base if base.startswith(("https://", "http://")) else ""

    @cached_property
    def portal_address(self) -> str:
        """The portal's address for a unit on its own domain (a relative link would stay on that domain), else ""."""
        own = self.unit.data.get("base_url")
        return self.region.base_url.rstrip("/") + "/" if own and self.region.base_url and not self.preview else ""

    @cached_property
    def _shared_digest(self) -> str:
        """What every page of the unit is rendered with (menu, unit, region, generator and theme), digested once."""
        assert self.memo is not None
        return digest("", {"menu": self.menu, "preview": self.preview, "unit": self.unit, "region": self.region,
                           "salt": self.memo.salt}, self.memo.seen)

    @cached_property
    def _targets_digest(self) -> str:
        return hashlib.sha256(json.dumps(sorted(self.targets.items())).encode()).hexdigest()

    @cached_property
    def _anchors_digest(self) -> str:
        """What a link's #fragment may point to on every page of the unit."""
        return hashlib.sha256(json.dumps([(p.url, sorted(self._ids(p))) for p in self.public]).encode()).hexdigest()

    def own_body(self, page: Page | None) -> dict[str, Any]:
        """render() arguments for an output that shows a current page's body (rendered only if needed)."""
        return {"body_of": page} if page is not None else {"body": ""}

    def _nav_key(self, url: str, menu: list[Link]) -> tuple[Any, ...]:
        """What the navigation (partials/nav.html) of the page at `url` depends on besides the links' prefix:
        which items of its `menu` are current, and whether `url` is one of the addresses the navigation links."""
        current = tuple(item.url for item in menu if item.current)
        linked = url in self._nav_urls
        return current, url if linked else None, url.startswith("rejestr-zmian/")

    @cached_property
    def _nav_urls(self) -> frozenset[str]:
        return frozenset({m.url for m in self.menu} | set(LEGAL_PAGES) | {"rejestr-zmian/", "szukaj/", "archiwum/"})

    def _breadcrumbs(self, url: str) -> list[Link]:
        crumbs = [Link("", "Strona główna")]
        parts = url.strip("/").split("/") if url else []
        for i in range(1, len(parts)):
            folder = "".join(p + "/" for p in parts[:i])
            if folder in self.listings:
                crumbs.append(Link(folder, self.listings[folder].title))
        return crumbs

    # -- outputs ---------------------------------------------------------------------------
    def outputs(self) -> Iterator[Output]:
        yield from self.home()
        for page in self.public:
            if page.url and page.url not in self.listings:
                with fault.at(page.source):
                    yield self.document(page)
        yield from self.recognised_texts()
        for listing in sorted(self.listings.values(), key=lambda lst: lst.url):
            yield self.listing(listing)
        yield from self.legal_pages()
        yield self.archive()
        yield from self.not_found()
        for name in sorted(self.assets):
            yield self.assets[name]
        for static in sorted(self.unit.static_files, key=lambda s: s.url):
            yield static.url, (self.root / static.source).read_bytes()

    def home(self) -> Iterator[Output]:
        page = self.by_url.get("")
        latest = sorted(
            (p for p in self.public if p.url and not p.is_section_index and p.type != "strona"),
            key=lambda p: (-(p.metryczka.published.toordinal() if p.metryczka and p.metryczka.published else 0), p.url),
        )[:10]
        yield "index.html", self.render(
            "home.html", "", self.unit.name, page=page, latest=latest, **self.own_body(page),
            accessible=self.accessible_info(),
        )

    def document(self, page: Page) -> Output:
        return page.url + "index.html", self.render(
            "page.html", page.url, page.title, page=page, **self.own_body(page),
            archived=is_archived(page, self.now), doctype=DOCTYPES.get(page.type, DOCTYPES["strona"]),
            labels=self.labels(page), texts=self.recognised_urls(page),
        )

    def _recognised(self, attachment: Attachment) -> Extraction | None:
        """What reading found of a published attachment whose scanned pages were recognised (OCR), else None."""
        found = self.extractions.get(attachment.source)
        return found if found is not None and found.recognised and _published(attachment) else None

    def recognised_urls(self, page: Page) -> dict[str, str]:
        """The text version of each published attachment of a current page whose scanned pages were recognised
        (OCR), by source."""
        return {a.source: text_url(a) for a in page.attachments if self._recognised(a) is not None}

    def recognised_texts(self) -> Iterator[Output]:
        """The text of each scan recognised automatically (OCR), as a page beside its file: for those who cannot
        read the image, marked as what a program recognised, with a link to the file, which is what counts."""
        done: set[str] = set()
        for page in self.public:
            for attachment in page.attachments:
                extraction, url = self._recognised(attachment), text_url(attachment)
                if extraction is None or url in done:
                    continue
                done.add(url)
                parts = [{"n": n, "recognised": n in extraction.facts.ocr_pages,
                          "paragraphs": [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]}
                         for n, text in enumerate(extraction.pages, start=1)]
                with fault.at(page.source):
                    yield url, self.render(
                        "recognised.html", url, f"Tekst rozpoznany automatycznie: {attachment.title}", output=url,
                        page=page, attachment=attachment, parts=parts,
                        label=label(attachment.file, attachment.size, extraction),
                    )

    def labels(self, page: Page) -> dict[str, str]:
        """The label of each published attachment of a current page by its source: "PDF, 1,2 MB, skan bez warstwy
        tekstowej". In the render context, so a page re-renders when what its files' extraction found changes."""
        return {a.source: label(a.file, a.size, self.extractions.get(a.source)) for a in page.attachments
                if _published(a)}

    def stored_labels(self, attachments: list[Attachment], blobs: dict[str, str]) -> dict[str, str]:
        """The labels of an earlier version's files, by source: `blobs` are the stored copies (source → blob id).
        The size comes from git; what reading found, from the extraction cache (the personal-data check of
        earlier versions has read them), or read now (a worker process) when the cache does not have it."""
        history = self.history
        shown = [(a, blobs[a.source]) for a in attachments if a.source in blobs and _published(a)]
        if history is None or not shown:
            return {}
        readable = [(blob, a.file) for a, blob in shown if kind_of(a.file)]
        extractions = self._read_blobs(readable) if readable else {}
        return {a.source: label(a.file, len(history.read_blob(blob)), extractions.get(blob)) for a, blob in shown}

    def _read_blobs(self, wanted: list[tuple[str, str]]) -> dict[str, Extraction]:
        if self._blob_reader is None:  # the unit's pack, where the check of earlier versions left them
            self._blob_reader = AttachmentReader(self.root, pack=self.unit.id)
        reader = self._blob_reader
        found = reader.read_blobs(wanted, text=False)
        if reader.extracted:
            reader.save()
        return found

    def inaccessible(self) -> list[dict[str, Any]]:
        """The public pages' attachments the accessibility audit finds fault with, for the deklaracja: the page,
        the file, the reasons, and the date of the file's current version (when it was last checked)."""
        found = []
        for page in self.public:
            for attachment in page.attachments:
                extraction = self.extractions.get(attachment.source)
                findings = audit(attachment.source, extraction) if extraction and _published(attachment) else []
                if findings:
                    found.append({"page_url": page.url, "page_title": page.title, "url": attachment.url,
                                  "title": attachment.title, "reason": reasons(findings),
                                  "checked": self._file_date(attachment.source, page),
                                  "text_url": text_url(attachment) if self._recognised(attachment) is not None else None})
        return found

    def _file_date(self, source: str, page: Page) -> dt.date | None:
        """The date of the file's current version in the unit's history (the page's dates for a file not yet
        committed): no build-time date, the same in every build of the same content."""
        versions = self.history.versions(source) if self.history is not None else []
        if versions:
            return to_date(versions[-1].date)
        dates = page.metryczka and (page.metryczka.changed or page.metryczka.published)
        return to_date(dates) if dates else None

    def listing(self, listing: Listing) -> Output:
        page = listing.index
        groups: dict[str, list[Page]] = {}
        for child in listing.pages:
            groups.setdefault(child.type, []).append(child)
        return listing.url + "index.html", self.render(
            "section.html", listing.url, listing.title, page=page, **self.own_body(page),
            groups=[(DOCTYPES[t], groups[t]) for t in sorted(groups, key=lambda t: (t != "strona", DOCTYPES[t].plural))],
            folders=[Link(f, self.listings[f].title if f in self.listings else self.by_url[f].title) for f in listing.folders],
            archived=len(listing.archived),
        )

    def legal_pages(self) -> Iterator[Output]:
        own_data = {"deklaracja-dostepnosci/": lambda: {"a11y": self.accessibility()},
                    "klauzula-informacyjna-rodo/": lambda: {"rodo": self.unit.data.get("rodo") or {}},
                    "mapa-serwisu/": lambda: {"tree": self.site_map()}}
        for url, (template, title) in LEGAL_PAGES.items():
            own = self.by_url.get(url)
            extra = own_data[url]() if url in own_data else {}
            yield url + "index.html", self.render(
                template, url, own.title if own else title, page=own, **self.own_body(own), **extra,
                withheld=self.withheld() if url == "informacje-nieudostepnione/" else [],
            )
        video = self._pjm_file("video")
        if video is not None:
            pjm = self.unit.data["pjm"]
            captions = self._pjm_file("captions")
            yield legal.PJM_URL + "index.html", self.render(
                "pjm.html", legal.PJM_URL, legal.LABEL_PJM, video=video.url, captions=captions.url if captions else None,
                video_title=pjm.get("title") or legal.LABEL_PJM,
            )

    def _pjm_file(self, key: str) -> Any:
        pjm = self.unit.data.get("pjm")
        return legal.file_of(self.unit.static_files, self.unit.source, pjm.get(key)) if isinstance(pjm, dict) else None

    def withheld(self) -> list[tuple[Page, dict[str, Any]]]:
        """Every withholding (art. 8 ust. 5) on a public page, by page address: the informacje nieudostępnione list."""
        return [(page, item) for page in self.public for item in page.meta.get("withheld") or []]

    def accessibility(self) -> dict[str, Any]:
        """Deklaracja data from unit.yaml, with dates derived from the pages where it is silent."""
        given = dict(self.unit.data.get("accessibility") or {})
        published = [p.metryczka.published for p in self.public if p.metryczka and p.metryczka.published]
        changed = [to_date(p.metryczka.changed) for p in self.public if p.metryczka and p.metryczka.changed]
        first = min(published, default=self.now.date())
        last = max(changed + published, default=first)
        base = self.unit.data.get("base_url") or f"{self.region.base_url}/{self.unit.id}/"
        report = legal.file_of(self.unit.static_files, self.unit.source, given.get("report"))
        return legal.declaration(
            given, self.unit.name, base, dict(self.unit.data.get("editor") or {}), first, last,
            email=str(self.unit.data.get("email") or ""), epuap=str(self.unit.data.get("epuap") or ""),
            report_url=report.url if report else None, attachments=self.inaccessible(),
        )

    def accessible_info(self) -> dict[str, str]:
        """Links (unit-relative or absolute) to the unit's ETR, PJM and machine-readable information."""
        found: dict[str, str] = {}
        etr = self.unit.data.get("etr")
        pages = [p for p in self.public if p.type == "etr"]
        if pages:
            found["etr"] = min(pages, key=lambda p: (p.url.count("/"), p.url)).url
        elif legal.is_url(etr):
            found["etr"] = etr
        pjm = self.unit.data.get("pjm")
        if self._pjm_file("video") is not None:
            found["pjm"] = legal.PJM_URL
        elif isinstance(pjm, dict) and legal.is_url(pjm.get("url")):
            found["pjm"] = pjm["url"]
        text = self.unit.data.get("machine_readable")
        machine = legal.file_of(self.unit.static_files, self.unit.source, text)
        if machine is not None:
            found["text"] = machine.url
        elif legal.is_url(text):
            found["text"] = text
        return found

    def site_map(self) -> list[legal.Node]:
        """Every section and document, grouped as the subject menu."""
        def node(url: str, title: str) -> legal.Node:
            entry = legal.Node(url, title)
            listing = self.listings.get(url)
            if listing is not None:
                entry.children = [node(f, self.listings[f].title if f in self.listings else self.by_url[f].title)
                                  for f in listing.folders]
                entry.children += [legal.Node(p.url, p.title, DOCTYPES[p.type].label if p.type != "strona" else "")
                                   for p in listing.pages]
            return entry
        return [node(item.url, item.label) for item in self.menu]

    def archive(self) -> Output:
        archived = sorted((p for p in self.public if is_archived(p, self.now)), key=sort_key)
        return "archiwum/index.html", self.render("archive.html", "archiwum/", "Archiwum", pages=archived)

    def not_found(self) -> Iterator[Output]:
        """The page a web server shows for a missing address, at any depth, so its links start at the server's
        root: 404.html for the unit's own address (its base_url, else its folder in the portal), 404-portal.html
        for its folder in the portal (the same page for a unit without a domain of its own). See docs/deploy/."""
        portal = portal_path(self.region)
        in_portal = (portal + self.unit.id + "/", portal)
        own = self.unit.data.get("base_url")
        at_own = (urlsplit(unit_base_url(self.region, self.unit)).path or "/", self.portal_address or portal)
        for output, root in (("404.html", at_own if own else in_portal), (NOT_FOUND_IN_PORTAL, in_portal)):
            yield output, self.render("404.html", "", "Nie znaleziono strony", output=output, root=root)


RECOGNISED = ".tekst.html"  # the text version of a scanned attachment, beside the file (its address + this)


def text_url(attachment: Attachment) -> str:
    """The address of an attachment's text version (`UnitSite.recognised_texts`), where it has one."""
    return attachment.url + RECOGNISED


def _published(attachment: Attachment) -> bool:
    """A file the page links (not one missing in this version, nor one the withdrawal register replaced)."""
    return bool(attachment.url) and not attachment.url.endswith(".wycofany.html")


def source_html(body: str, reason: str) -> str:
    """A body that is not rendered, shown as its source text: escaped, preformatted, with the reason."""
    return (f'<p class="notice source-note"><strong>Ta treść jest pokazana jako tekst źródłowy</strong>, tak jak zapisał '
            f'ją redaktor. Powód: {escape(reason)}</p>\n<pre class="source-text">{escape(body)}</pre>\n')


def parent_url(url: str) -> str:
    """"a/b/c/" → "a/b/"; top-level and home → ""."""
    parts = url.strip("/").split("/")
    return "".join(p + "/" for p in parts[:-1]) if url else ""


def site_path(unit_id: str, url: str) -> str:
    return posixpath.join(unit_id, url)
