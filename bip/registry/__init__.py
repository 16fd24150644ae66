"""Change registry data of a unit: public versions of every page and file, from git history.

Only versions that were public are shown: a draft or an embargoed version never appears; a
page's first public version is its "dodanie", a rename "przeniesienie", a deletion (or a return
to draft) "usunięcie". Deleted pages keep their history and their last version.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field

from bip.doctypes.typed import apply_types
from bip.fault import at
from bip.history import History
from bip.history.messages import says_nothing
from bip.load import page_from_bytes
from bip.load.paths import file_url, page_url
from bip.model import UNIT_DATA, Attachment, Page, Unit, Version
from bip.problems import Problems
from bip.registry.metryczka import editor_name, metryczka

# Commit messages are checked for this long before the build's moment: older ones are public already and
# cannot be changed without rewriting the published history (docs/redaktorzy/rejestr-zmian.md).
MESSAGE_CHECK_DAYS = 30

KIND_LABELS = {"A": "dodanie", "M": "zmiana", "R": "przeniesienie", "D": "usunięcie"}
HOME_KEY = "_strona-glowna/"


@dataclass
class PageVersion:
    n: int  # 1-based among the page's public versions
    version: Version
    kind: str  # dodanie | zmiana | przeniesienie | usunięcie
    date: dt.datetime  # when it became public
    editor: str
    url: str  # the page's URL at that version
    page: Page | None  # None for a deletion
    signature: str = ""  # the publishing policy's verification of the commit ("" when the policy is off)
    sha256: str = ""  # of the source at this version (bip.registry.record), shown on its version page
    withdrawn: str = ""  # the withdrawal notice, when the register withdraws this version (bip.registry.redactions)


@dataclass
class PageHistory:
    source: str  # latest path
    key: str  # registry key: the latest URL ("" → HOME_KEY)
    versions: list[PageVersion] = field(default_factory=list)

    @property
    def deleted(self) -> bool:
        return bool(self.versions) and self.versions[-1].page is None

    @property
    def last_page(self) -> Page | None:
        for version in reversed(self.versions):
            if version.page is not None:
                return version.page
        return None

    @property
    def history_url(self) -> str:
        return history_address(self.key)

    def version_url(self, n: int) -> str:
        return f"{self.history_url.removesuffix('.html')}.wersja-{n}.html"

    def diff_url(self, n: int) -> str:
        return f"{self.history_url.removesuffix('.html')}.zmiany-{n}.html"


def history_address(key: str) -> str:
    """A page's change history, "rejestr-zmian/strony/uchwaly/u1.html" for the page "uchwaly/u1/", with its
    earlier versions and diffs beside it ("….wersja-2.html", "….zmiany-2.html"): files in the registry's
    folders, which mirror the site's sections, and no folder per page (a folder and its first entry are two
    new disk blocks; see docs/architecture.md). Page addresses are slugs, which have no dots: these names never meet."""
    return f"rejestr-zmian/strony/{key.rstrip('/')}.html"


@dataclass
class FileVersion:
    version: Version
    url: str  # unit-relative URL of the stored copy (of its withdrawal notice when withdrawn)
    withdrawn: str = ""  # the withdrawal notice, when the register withdraws this version (bip.registry.redactions)

    @property
    def name(self) -> str:
        return self.version.path.rsplit("/", 1)[-1]


@dataclass
class RegistryEntry:
    date: dt.datetime
    title: str
    target: str  # unit-relative URL to link to
    kind: str
    editor: str
    message: str
    history_url: str
    order: tuple[str, ...] = ()
    signature: str = ""  # the publishing policy's verification of the commit ("" when the policy is off)


@dataclass
class UnitRegistry:
    pages: dict[str, PageHistory] = field(default_factory=dict)  # latest source path → history
    files: dict[str, list[FileVersion]] = field(default_factory=dict)  # path at the time → versions
    entries: list[RegistryEntry] = field(default_factory=list)  # newest first
    complete_since: dt.datetime | None = None

    def file_at(self, path: str, when: dt.datetime) -> FileVersion | None:
        """The stored version of a file as it was at a moment (None if it did not exist then)."""
        found = None
        for candidate in self.files.get(path, []):
            if candidate.version.date <= when:
                found = candidate
        return found if found and found.version.change != "D" else None


def stored_file_url(version: Version) -> str:
    """"rejestr-zmian/pliki/zal.0123456789ab.pdf": the name, the blob and the extension, in one folder (not a
    folder per file: see docs/architecture.md)."""
    stem, extension = posixpath.splitext(file_url(version.path.rsplit("/", 1)[-1]))  # slugs have no dots
    return f"rejestr-zmian/pliki/{stem}.{version.blob[:12]}{extension}"


def _public_since(page: Page, version: Version, now: dt.datetime) -> dt.datetime | None:
    """When this version became public; None while it is a draft or under embargo. A commit dated after `now`
    (a committer's clock ahead of the build's) is published with its own date: it is in the tree built."""
    if page.draft:
        return None
    if page.publish_at is not None and page.publish_at > version.date:
        return page.publish_at if page.publish_at <= now else None
    return version.date


# commit id → (its verification text, the verified person or ""): bip.policy.Outcome.label
Signatures = Callable[[str], tuple[str, str]]


def unit_registry(
    unit: Unit, history: History, now: dt.datetime, problems: Problems, signatures: Signatures | None = None
) -> UnitRegistry:
    registry = UnitRegistry(complete_since=history.complete_since)
    prefix = unit.source + "/"
    paths = [p for p in history.paths_under(unit.source) if not p.startswith(prefix + "templates/")]
    page_paths = [p for p in paths if p.lower().endswith(".md")]
    file_paths = [p for p in paths if not p.lower().endswith(".md") and p[len(prefix):] not in UNIT_DATA]
    all_versions = {p: history.versions(p) for p in paths}
    blobs = history.read_blobs(
        {v.blob for p in page_paths for v in all_versions[p] if v.blob}
    )
    for path in file_paths:
        for version in all_versions[path]:
            stored = FileVersion(version, stored_file_url(version) if version.blob else "")
            registry.files.setdefault(version.path, []).append(stored)
    warned: set[str] = set()

    def editor(version: Version) -> str:
        if signatures is not None and (verified := signatures(version.commit)[1]):
            return verified  # "wprowadził": the person whose signature the policy verified
        # one warning per unmapped e-mail, naming the first commit where it appears
        first_time = version.author_email not in warned
        warned.add(version.author_email)
        return editor_name(unit, version, problems if first_time else None)

    def signed(version: Version) -> str:
        return signatures(version.commit)[0] if signatures is not None else ""

    quiet = Problems()  # earlier versions were checked when they were current; only show what is readable
    for path in page_paths:
        key = page_url(path[len(prefix):]) or HOME_KEY
        page_history = PageHistory(path, key)
        public = False
        for version in all_versions[path]:
            page = None
            if version.change != "D" and version.blob in blobs:
                with at(version.path, version.commit):
                    page = page_from_bytes(version.path, unit, blobs[version.blob], quiet)
                    if page is not None:
                        apply_types(page, now)
            when = _public_since(page, version, now) if page is not None else None
            if when is None:
                if public and (version.change == "D" or page is not None):
                    kind = "usunięcie"
                    when = version.date
                    page = None
                    public = False
                else:
                    continue
            else:
                kind = "dodanie" if not public else KIND_LABELS[version.change] if version.change != "A" else "zmiana"
                public = True
            page_history.versions.append(
                PageVersion(len(page_history.versions) + 1, version, kind, when,
                            editor(version), page_url(version.path[len(prefix):]), page, signed(version))
            )
        if page_history.versions:
            registry.pages[path] = page_history
    for page_history in registry.pages.values():
        for pv in page_history.versions:
            title = (pv.page or page_history.last_page).title if (pv.page or page_history.last_page) else pv.url
            target = pv.url if pv.page is not None and not page_history.deleted else page_history.history_url
            registry.entries.append(RegistryEntry(
                pv.date, title, target, pv.kind, pv.editor, pv.version.message, page_history.history_url,
                (pv.version.commit, pv.version.path), pv.signature,
            ))
    for path in file_paths:
        for version in all_versions[path]:
            name = version.path.rsplit("/", 1)[-1]
            target = stored_file_url(version) if version.blob else "rejestr-zmian/"
            registry.entries.append(RegistryEntry(
                version.date, f"Plik: {name}", target, KIND_LABELS[version.change],
                editor(version), version.message, "", (version.commit, version.path), signed(version),
            ))
    registry.entries.sort(key=lambda e: e.order[1])  # within one moment: by path
    registry.entries.sort(key=lambda e: e.date, reverse=True)  # newest first
    check_messages(registry.entries, now, problems)
    return registry


def check_messages(entries: list[RegistryEntry], now: dt.datetime, problems: Problems) -> None:
    """One warning per commit whose message (the public reason for a change) says nothing, naming its first
    path in this unit; only changes that entered the registry in the last MESSAGE_CHECK_DAYS days."""
    since = now - dt.timedelta(days=MESSAGE_CHECK_DAYS)
    seen: set[str] = set()
    for entry in entries:  # newest first, by path within one moment
        commit, path = entry.order
        if entry.date < since or commit in seen:
            continue
        seen.add(commit)
        if says_nothing(entry.message):
            shown = f"„{entry.message}”" if entry.message.strip() else "pusty"
            problems.warning(
                path, 1, "",
                f"Opis zmiany w commicie {commit[:7]} (autor: {entry.editor}) nic nie mówi: {shown}. "
                "Ten opis jest publiczny: rejestr zmian pokazuje go jako powód zmiany.",
                "Opisz, co zmieniono i dlaczego, np. „Dodano uchwałę Nr XII/123/2024 w sprawie budżetu”. "
                "Zmianę jeszcze niewysłaną popraw poleceniem git commit --amend (zob. docs/redaktorzy/rejestr-zmian.md).",
                lasting=True,  # history: no edit fixes it, so --strict does not stop the unit for 30 days
            )


def apply_metryczki(unit: Unit, registry: UnitRegistry) -> None:
    """Metryczka of every current page from its public versions (front matter still wins)."""
    for page in unit.pages:
        page_history = registry.pages.get(page.source)
        versions = page_history.versions if page_history else []
        key = page_history.key if page_history else (page.url or HOME_KEY)
        page.metryczka = metryczka(
            unit, page,
            published_at=versions[0].date if versions else None,
            changed_at=versions[-1].date if len(versions) > 1 else None,
            entered_by=versions[0].editor if versions else None,
            history_url=history_address(key),
        )


def version_metryczka(unit: Unit, page_history: PageHistory, pv: PageVersion) -> None:
    """Metryczka of an earlier version as it read at that moment."""
    assert pv.page is not None
    first = page_history.versions[0]
    pv.page.metryczka = metryczka(
        unit, pv.page, first.date, pv.date if pv.n > 1 else None, first.editor, page_history.history_url
    )


def version_attachments(registry: UnitRegistry, unit: Unit, pv: PageVersion) -> list[Attachment]:
    """The attachments of an earlier version, pointing at the stored copies valid at that moment."""
    page = pv.page
    if page is None:
        return []
    found = []
    raw = page.meta.get("attachments") or []
    folder = pv.version.path.rsplit("/", 1)[0]
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("file"), str) or ".." in item["file"]:
            continue
        path = f"{folder}/{item['file']}".replace("/./", "/")
        stored = registry.file_at(path, pv.version.date)
        found.append(Attachment(item["file"], str(item.get("title") or item["file"]), path,
                                stored.url if stored else "", 0))
    return found
