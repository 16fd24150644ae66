"""The withdrawal register `content/<unit>/redactions.yaml`: versions (or files of versions) whose content is
withdrawn from every output, each replaced by a notice naming the date, reason, legal basis and decision.

It is data: applied on every build to the registry (earlier versions, diffs, stored files) and to the live
pages and files, before anything is rendered or indexed. The registry entries themselves stay.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import posixpath
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from bip.history import History
from bip.history.blobs import git_blob_id
from bip.load.yamlfile import YamlError, parse_yaml
from bip.model import REDACTIONS, Page, Unit, Version
from bip.problems import Problems
from bip.registry import FileVersion, UnitRegistry, stored_file_url, version_attachments

REGISTER = REDACTIONS
KEYS = ("page", "commits", "attachments", "reason", "legal_basis", "decided_by", "date")
REQUIRED = ("page", "commits", "reason", "legal_basis", "decided_by", "date")
LABELS = {"reason": "powód (reason)", "legal_basis": "podstawa prawna (legal_basis)",
          "decided_by": "kto zdecydował (decided_by)", "date": "data decyzji (date)",
          "page": "strona (page)", "commits": "wersje (commits)"}
MONTHS = ("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września",
          "października", "listopada", "grudnia")
METRYCZKA_KEYS = ("author", "entered_by", "created", "published")  # kept: the metryczka is not the withdrawn text


@dataclass
class Redaction:
    page: str  # source path in the unit, as written
    commits: list[str] | None  # commit ids or prefixes; None: every version
    attachments: list[str]  # only these files of those versions ([]: the whole version)
    reason: str
    legal_basis: str
    decided_by: str
    date: dt.date | None
    lines: dict[str, int] = field(default_factory=dict)  # key → line in the register

    def notice(self) -> str:
        when = f"{self.date.day} {MONTHS[self.date.month - 1]} {self.date.year} r." if self.date else "—"
        return (f"Treść tej wersji została wycofana dnia {when} Powód: {_sentence(self.reason)} "
                f"Podstawa prawna: {_sentence(self.legal_basis)} Decyzja: {_sentence(self.decided_by)}")


@dataclass
class Withdrawals:
    pages: dict[tuple[str, str], Redaction] = field(default_factory=dict)  # (latest path, commit) → decision
    every: dict[str, Redaction] = field(default_factory=dict)  # latest path → decision for all its versions
    blobs: dict[str, Redaction] = field(default_factory=dict)  # attachment blob → decision

    def of_page(self, path: str, commit: str) -> Redaction | None:
        return self.every.get(path) or self.pages.get((path, commit))


def _sentence(text: str) -> str:
    text = " ".join(text.split()) or "—"
    return text if text.endswith((".", "!", "?")) else text + "."


def notice_url(version: Version) -> str:
    """Where a withdrawn stored file's notice stands instead of its bytes."""
    return stored_file_url(version) + ".wycofany.html"


# -- loading and validation ----------------------------------------------------------------------------


def load_register(root: Path, unit: Unit, problems: Problems) -> list[Redaction]:
    """The unit's register, validated; each mistake an error with file, line and key. An entry that names a
    page is kept even when other fields are wrong: withdrawing too much is safer than publishing."""
    source = f"{unit.source}/{REGISTER}"
    path = root / source
    if not path.is_file():
        return []
    parsed = parse_yaml(path.read_text(encoding="utf-8", errors="replace"))
    if isinstance(parsed, YamlError):
        problems.error(source, parsed.line, "", f"Błąd składni rejestru wycofań: {parsed.message}", parsed.hint)
        return []
    data, lines = parsed.data, parsed.lines
    for key_path, line in parsed.duplicates:
        problems.error(source, line, str(key_path[-1]) if key_path else "",
                       "Pole powtórzone we wpisie rejestru wycofań.", "Zostaw jedno pole o tej nazwie w każdym wpisie.")
    if data is None:
        return []
    if not isinstance(data, list):
        problems.error(source, 1, "", "Rejestr wycofań musi być listą wpisów (każdy zaczyna się od „- page:”).",
                       "Zobacz docs/redaktorzy/wycofanie-tresci.md.")
        return []
    found = []
    for i, item in enumerate(data):
        line = lines.get((i,), 1)
        if not isinstance(item, dict):
            problems.error(source, line, f"[{i}]", "Wpis rejestru wycofań musi mieć pola page, commits, reason…",
                           "Zobacz docs/redaktorzy/wycofanie-tresci.md.")
            continue
        here = {key: lines.get((i, key), line) for key in KEYS}
        for key in sorted(set(map(str, item)) - set(KEYS)):
            problems.error(source, lines.get((i, key), line), key, f"Nieznane pole „{key}” we wpisie rejestru wycofań.",
                           "Dozwolone pola: " + ", ".join(KEYS) + ".")
        for key in REQUIRED:
            if item.get(key) in (None, "", []):
                problems.error(source, here[key] if key in item else line, key,
                               f"Wpis rejestru wycofań nie podaje pola {LABELS[key]}.",
                               "Uzupełnij wpis: zawiadomienie o wycofaniu podaje datę, powód, podstawę prawną "
                               "i osobę, która zdecydowała.")
        page = item.get("page")
        if not isinstance(page, str) or not page.strip():
            continue
        commits = _commits(item.get("commits"), source, here["commits"], problems)
        attachments = item.get("attachments") or []
        if not isinstance(attachments, list) or not all(isinstance(a, str) for a in attachments):
            problems.error(source, here["attachments"], "attachments", "Pole attachments musi być listą nazw plików.",
                           "Np. attachments: [oswiadczenie-2024.pdf]")
            attachments = []
        date = _date(item.get("date"), source, here["date"], problems)
        found.append(Redaction(page.strip().strip("/"), commits, list(attachments), _text(item.get("reason")),
                               _text(item.get("legal_basis")), _text(item.get("decided_by")), date, here))
    return found


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _commits(value: object, source: str, line: int, problems: Problems) -> list[str] | None:
    if value == "all" or value is None:
        return None  # missing: reported above; every version is withdrawn meanwhile
    items = value if isinstance(value, list) else [value]
    commits = [str(c).strip().lower() for c in items]
    bad = [c for c in commits if len(c) < 4 or any(ch not in "0123456789abcdef" for ch in c)]
    if bad:
        problems.error(source, line, "commits", f"„{bad[0]}” nie jest identyfikatorem wersji (commita).",
                       "Podaj identyfikatory z historii zmian (co najmniej 4 znaki, np. a1b2c3d) albo „all”.")
    return [c for c in commits if c not in bad]


def _date(value: object, source: str, line: int, problems: Problems) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value).strip())
    except ValueError:
        problems.error(source, line, "date", f"„{value}” nie jest datą.", "Podaj datę w postaci RRRR-MM-DD.")
        return None


# -- resolving against the history ---------------------------------------------------------------------


def resolve(redactions: list[Redaction], unit: Unit, history: History, registry: UnitRegistry,
            problems: Problems) -> Withdrawals:
    """Which page versions and which file blobs each entry withdraws; unknown pages, commits and files are
    errors located at the entry's key."""
    source = f"{unit.source}/{REGISTER}"
    found = Withdrawals()
    chains = {p: history.versions(p) for p in history.paths_under(unit.source)}
    for entry in redactions:
        at = entry.lines
        wanted = f"{unit.source}/{entry.page}"
        latest = next((p for p, chain in sorted(chains.items()) if any(v.path == wanted for v in chain)), None)
        if latest is None:
            problems.error(source, at.get("page", 1), "page", f"Nie znaleziono strony „{entry.page}” w historii podmiotu.",
                           "Podaj ścieżkę pliku .md względem folderu podmiotu, jak w repozytorium (także usuniętego).")
            continue
        files = {name: f"{posixpath.dirname(wanted)}/{name}" for name in entry.attachments}
        for name, path in sorted(files.items()):
            if path not in registry.files:
                problems.error(source, at.get("attachments", 1), "attachments",
                               f"Nie znaleziono pliku „{name}” obok strony „{entry.page}”.",
                               "Podaj nazwę pliku tak, jak w polu attachments strony.")
        chosen = _chosen(entry, chains[latest], files, registry, source, at.get("commits", 1), problems)
        if not entry.attachments:
            if entry.commits is None:
                found.every.setdefault(latest, entry)
            for version in chosen:
                found.pages.setdefault((latest, version.commit), entry)
        for blob in _blobs(entry, chosen, files, registry):
            found.blobs.setdefault(blob, entry)
    return found


def _chosen(entry: Redaction, chain: list[Version], files: dict[str, str], registry: UnitRegistry, source: str,
            line: int, problems: Problems) -> list[Version]:
    """The page's versions the entry names (a commit of one of the named files counts too)."""
    if entry.commits is None:
        return list(chain)
    chosen = []
    for commit in entry.commits:
        matches = [v for v in chain if v.commit.startswith(commit)]
        matches += [fv.version for path in files.values() for fv in registry.files.get(path, [])
                    if fv.version.commit.startswith(commit)]
        if not matches:
            problems.error(source, line, "commits", f"Strona „{entry.page}” nie ma wersji {commit}.",
                           "Identyfikator wersji znajdziesz w historii zmian strony albo w `git log`.")
        chosen += matches
    return chosen


def _blobs(entry: Redaction, chosen: list[Version], files: dict[str, str], registry: UnitRegistry) -> set[str]:
    """Attachment blobs withdrawn: the named files (or all the version's files) as they were at those versions."""
    blobs: set[str] = set()
    if entry.attachments and entry.commits is None:
        return {fv.version.blob for path in files.values() for fv in registry.files.get(path, []) if fv.version.blob}
    for version in chosen:
        if not version.path.lower().endswith(".md"):  # a named file's own version
            if version.blob:
                blobs.add(version.blob)
            continue
        paths = list(files.values()) if entry.attachments else _attached(registry, version)
        for path in paths:
            stored = registry.file_at(path, version.date)
            if stored is not None and stored.version.blob:
                blobs.add(stored.version.blob)
    return blobs


def _attached(registry: UnitRegistry, version: Version) -> list[str]:
    """The files a page version listed (read from its registry entry)."""
    for page_history in registry.pages.values():
        for pv in page_history.versions:
            if pv.version is version and pv.page is not None:
                raw = pv.page.meta.get("attachments") or []
                folder = posixpath.dirname(version.path)
                return [f"{folder}/{item['file']}".replace("/./", "/") for item in raw if isinstance(raw, list)
                        and isinstance(item, dict) and isinstance(item.get("file"), str) and ".." not in item["file"]]
    return []


# -- applying --------------------------------------------------------------------------------------------


def withdrawn_page(page: Page, entry: Redaction) -> Page:
    """The page as every output shows it instead: its title, its metryczka data and the notice."""
    body = entry.notice()
    meta = {"title": page.title, **{k: page.meta[k] for k in METRYCZKA_KEYS if k in page.meta}}
    digest = hashlib.sha256(f"{page.content_hash}\0{body}".encode()).hexdigest()
    return dataclasses.replace(page, meta=meta, lines={}, body=body, body_line=1, type="strona", attachments=[],
                               content_hash=digest)


def apply(root: Path, unit: Unit, registry: UnitRegistry, found: Withdrawals) -> None:
    """Replace withdrawn content in the registry and among the unit's live pages and files."""
    live_versions: dict[str, Redaction] = {}  # latest path → decision, when its last version is withdrawn
    for path, page_history in registry.pages.items():
        for pv in page_history.versions:
            entry = found.of_page(path, pv.version.commit)
            if entry is None or pv.page is None:
                continue
            if pv is page_history.versions[-1] or path in found.every:
                live_versions[path] = entry
            pv.page, pv.withdrawn = withdrawn_page(pv.page, entry), entry.notice()
    notices: dict[str, str] = {}  # blob → its notice page URL
    for versions in registry.files.values():
        for fv in versions:
            if fv.version.blob in found.blobs:
                fv.url = notice_url(fv.version)
                fv.withdrawn = found.blobs[fv.version.blob].notice()
                notices.setdefault(fv.version.blob, fv.url)
    if notices:  # versions that listed a withdrawn file: resolved now, so that every digest of them sees it
        for page_history in registry.pages.values():
            for pv in page_history.versions:
                if pv.page is not None and not pv.withdrawn:
                    listed = version_attachments(registry, unit, pv)
                    if any(a.url.endswith(".wycofany.html") for a in listed):
                        pv.page = dataclasses.replace(pv.page, attachments=listed)
    for registry_entry in registry.entries:
        stored = _file_version(registry, registry_entry.order) if registry_entry.order else None
        if stored is not None and stored.withdrawn:
            registry_entry.target = stored.url
    blob_of = cache(lambda source: _blob_of(root, source))  # each working-tree file hashed once
    pages = []
    for page in unit.pages:
        entry = live_versions.get(page.source) or found.every.get(page.source)
        if entry is not None:
            page = withdrawn_page(page, entry)
        elif found.blobs:
            page = dataclasses.replace(page, attachments=[
                dataclasses.replace(a, url=notices.get(blob_of(a.source), ""), size=0)
                if blob_of(a.source) in found.blobs else a for a in page.attachments])
        pages.append(page)
    unit.pages = pages
    if found.blobs:  # every file, not only those named: the same bytes under another name are withdrawn too
        unit.static_files = [s for s in unit.static_files if blob_of(s.source) not in found.blobs]


def _file_version(registry: UnitRegistry, order: tuple[str, ...]) -> FileVersion | None:
    commit, path = order[0], order[1]
    for fv in registry.files.get(path, []):
        if fv.version.commit == commit:
            return fv
    return None


def _blob_of(root: Path, source: str) -> str:
    try:
        return git_blob_id((root / source).read_bytes())
    except OSError:
        return ""
