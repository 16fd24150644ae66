"""Load step: walk content/, read region.yaml, unit.yaml files and pages into the model.

Nothing here judges content beyond what is needed to read it; the validate step does that.
Every problem is recorded with its file and line and the walk goes on.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Collection, Iterator
from pathlib import Path

from bip import fault
from bip.fault import at
from bip.load.paths import file_url, is_valid_unit_id, page_url
from bip.load.readahead import read_ahead
from bip.load.text import FrontMatter, TextError, decode, read_text, split_front_matter
from bip.load.yamlfile import YamlDoc, YamlError, parse_yaml
from bip.model import UNIT_DATA, Attachment, Page, Region, Unit
from bip.problems import Problems

CONTENT = "content"
SKIPPED_DIRS = {"templates"}  # a unit's template overrides, not content


def rel(root: Path, path: str | os.PathLike[str]) -> str:
    text, base = os.fspath(path), os.fspath(root) + os.sep
    if text.startswith(base) and os.sep == "/":
        return text[len(base):]  # the common case, without pathlib's parsing of both paths
    return Path(path).relative_to(root).as_posix()


def load_yaml_file(root: Path, path: Path, problems: Problems) -> YamlDoc | None:
    """Read a whole-file YAML document; problems get the file's path and line."""
    source = rel(root, path)
    text = read_text(path)
    if isinstance(text, TextError):
        problems.error(source, text.line, "", text.message, text.hint)
        return None
    doc = parse_yaml(text)
    if isinstance(doc, YamlError):
        problems.error(source, doc.line, "", doc.message, doc.hint)
        return None
    _report_duplicates(doc, source, 0, problems)
    if doc.data is None:
        doc.data = {}
    if not isinstance(doc.data, dict):
        problems.error(source, 1, "", "Plik powinien składać się z pól „nazwa: wartość”.", "Zobacz przykład w README.")
        return None
    return doc


def _report_duplicates(doc: YamlDoc, source: str, offset: int, problems: Problems) -> None:
    for path, line in doc.duplicates:
        key = ".".join(str(p) for p in path)
        problems.error(
            source, line + offset, key, f"Pole „{key}” występuje więcej niż raz.", "Zostaw jeden wiersz z tym polem."
        )


def load_region(root: Path, problems: Problems, pages_of: Collection[str] | None = None) -> Region | None:
    """Load region.yaml and every unit.yaml; pages of every unit, or only of the units in `pages_of`.

    Returns None if the region itself is unreadable.
    """
    content = root / CONTENT
    if not content.is_dir():
        problems.error(CONTENT, 1, "", "Brak folderu content/.", "Uruchom polecenie w folderze projektu albo podaj --root.")
        return None
    region_file = content / "region.yaml"
    if not region_file.is_file():
        problems.error(rel(root, region_file), 1, "", "Brak pliku region.yaml.", "Utwórz content/region.yaml z polem name.")
        return None
    doc = load_yaml_file(root, region_file, problems)
    if doc is None:
        return None
    region = Region(
        name=str(doc.data.get("name", "")),
        base_url=str(doc.data.get("base_url", "")).rstrip("/"),
        theme=str(doc.data.get("theme", "default")),
        data=doc.data,
    )
    region.key_lines = doc.lines
    folders = [entry for entry in sorted(os.scandir(content), key=lambda e: e.name)
               if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False)]
    read_ahead(os.path.join(entry.path, name) for entry in folders for name in UNIT_DATA)
    for entry in folders:
        pages = pages_of is None or entry.name in pages_of
        fault.reset()
        try:
            unit = load_unit(root, Path(entry.path), region, problems, pages=pages)
        except BaseException as exc:  # the unit is the fault boundary, in this step too
            if fault.fatal(exc):
                raise
            problems.add(fault.unit_failure(rel(root, entry.path), exc, step="wczytywanie"))
            region.refused[entry.name] = _refused_unit(root, Path(entry.path), region, problems, False)
            continue
        if unit is not None:
            region.units[unit.id] = unit
        else:  # refused: its faults stay its own, its pages are still read to be checked
            region.refused[entry.name] = _refused_unit(root, Path(entry.path), region, problems, pages)
    return region


def load_unit(root: Path, folder: Path, region: Region, problems: Problems, pages: bool = True) -> Unit | None:
    """A unit folder as a unit, or None (with located errors) when it cannot be one."""
    source = rel(root, folder)
    if not is_valid_unit_id(folder.name):
        problems.error(
            source, 1, "", f"Nazwa folderu podmiotu „{folder.name}” jest niedozwolona: podmiot nie zostanie opublikowany.",
            "Używaj tylko małych liter a–z bez polskich znaków, cyfr i łącznika, np. gmina-swidnica.",
        )
        return None
    unit_file = folder / "unit.yaml"
    if not unit_file.is_file():
        problems.error(source + "/unit.yaml", 1, "", "Brak pliku unit.yaml: podmiot nie zostanie opublikowany.",
                       "Utwórz unit.yaml z polami name i kind.")
        return None
    doc = load_yaml_file(root, unit_file, problems)
    if doc is None:
        return None
    data = doc.data
    unit = Unit(
        id=folder.name,
        source=source,
        name=str(data.get("name", folder.name)),
        kind=str(data.get("kind", "")),
        data=data,
        lines={str(k[0]): v for k, v in doc.lines.items() if len(k) == 1},
        parent=str(data["parent"]) if data.get("parent") is not None else None,
        theme=str(data.get("theme", region.theme)),
    )
    unit.key_lines = doc.lines
    unit.pages_loaded = False
    if pages:
        load_pages(root, unit, problems)
    return unit


def _refused_unit(root: Path, folder: Path, region: Region, problems: Problems, pages: bool) -> Unit:
    unit = Unit(id=folder.name, source=rel(root, folder), name=folder.name, kind="", data={}, lines={},
                theme=region.theme, pages_loaded=False)
    if pages:
        load_pages(root, unit, problems)
    return unit


def load_pages(root: Path, unit: Unit, problems: Problems) -> None:
    """Read a unit's pages and files (once)."""
    if not unit.pages_loaded:
        unit.pages_loaded = True
        _walk_unit(root, root / unit.source, unit, problems)


def unload_pages(unit: Unit) -> None:
    """Forget what `load_pages` read: the unit is back as only its unit.yaml (a worker renders unit after
    unit, and what each loaded would otherwise stay with the shared region until the worker ends)."""
    unit.pages, unit.static_files, unit.pages_loaded = [], [], False


def _unit_files(folder: Path) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """(folder relative to the unit's, entry) of each of a unit's files, in os.walk's top-down order with
    names sorted; hidden names, the unit's templates/ and symlinked folders are not entered, and an
    unreadable folder is left out, as os.walk does. The listings' entries tell a symlink without a stat."""
    pending = ["."]
    while pending:
        relative_dir = pending.pop()
        try:
            with os.scandir(folder if relative_dir == "." else folder / relative_dir) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            continue
        folders = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if not is_dir:
                yield relative_dir, entry
            elif not (entry.name.startswith(".") or (relative_dir == "." and entry.name in SKIPPED_DIRS)
                      or entry.is_symlink()):
                folders.append(entry.name if relative_dir == "." else f"{relative_dir}/{entry.name}")
        pending.extend(reversed(folders))


def _regular(entry: os.DirEntry[str]) -> bool:
    """A regular file, not a link (what the listing already knows): the files worth reading ahead."""
    try:
        return entry.is_file(follow_symlinks=False)
    except OSError:
        return False


def _special(entry: os.DirEntry[str]) -> bool:
    """A pipe, socket or device, also behind a link (reading one may wait forever); not a broken link."""
    try:
        if entry.is_file():
            return False
        entry.stat()
        return True
    except OSError:
        return False


def _walk_unit(root: Path, folder: Path, unit: Unit, problems: Problems) -> None:
    content = root / CONTENT
    files = [(relative_dir, entry) for relative_dir, entry in _unit_files(folder)
             if not (entry.name.startswith(".") or (relative_dir == "." and entry.name in UNIT_DATA))]
    read_ahead(entry.path for _, entry in files if _regular(entry))
    for relative_dir, entry in files:
        name = entry.name
        path = Path(entry.path)
        relative = name if relative_dir == "." else f"{relative_dir}/{name}"
        if entry.is_symlink():
            real = os.path.realpath(path)
            if os.path.commonpath([real, os.path.realpath(content)]) != os.path.realpath(content):
                problems.error(
                    rel(root, path), 1, "", "Plik jest dowiązaniem (symlinkiem) prowadzącym poza folder content/.",
                    "Skopiuj plik do folderu podmiotu zamiast dowiązania.",
                )
                continue
        if _special(entry):
            problems.error(
                rel(root, path), 1, "", "To nie jest zwykły plik, tylko np. potok (FIFO), gniazdo lub urządzenie: "
                "nie da się go odczytać ani opublikować.",
                "Usuń go z folderu podmiotu; w repozytorium git i tak go nie ma.",
            )
            continue
        if name.lower().endswith(".md"):
            with at(rel(root, path)):
                page = load_page(root, path, relative, unit, problems)
            if page is not None:
                unit.pages.append(page)
        else:
            unit.static_files.append(
                Attachment(file=relative, title=name, source=rel(root, path), url=file_url(relative),
                           size=entry.stat().st_size)
            )


def load_page(root: Path, path: Path, relative: str, unit: Unit, problems: Problems) -> Page | None:
    source = rel(root, path)
    return page_from_text(source, relative, unit, read_text(path), problems)


def page_from_bytes(source: str, unit: Unit, raw: bytes, problems: Problems) -> Page | None:
    """A page from file contents (e.g. an earlier version from git); source is its path then."""
    relative = source[len(unit.source) + 1 :]
    return page_from_text(source, relative, unit, decode(raw), problems)


def page_from_text(source: str, relative: str, unit: Unit, text: str | TextError, problems: Problems) -> Page | None:
    if isinstance(text, TextError):
        problems.error(source, text.line, "", text.message, text.hint)
        return None
    parts = split_front_matter(text)
    if isinstance(parts, TextError):
        problems.error(source, parts.line, "", parts.message, parts.hint)
        return None
    return _page_from_parts(source, relative, unit, parts, text, problems)


def _page_from_parts(
    source: str, relative: str, unit: Unit, parts: FrontMatter, text: str, problems: Problems
) -> Page | None:
    doc = parse_yaml(parts.yaml_text)
    offset = parts.yaml_line - 1
    if isinstance(doc, YamlError):
        problems.error(source, doc.line + offset, "", doc.message, doc.hint)
        return None
    _report_duplicates(doc, source, offset, problems)
    meta = doc.data if doc.data is not None else {}
    if not isinstance(meta, dict):
        problems.error(
            source, parts.yaml_line, "", "Nagłówek strony powinien składać się z pól „nazwa: wartość”.",
            "Wpisz np. „title: Tytuł strony”.",
        )
        return None
    url = page_url(relative)
    lines = {".".join(str(p) for p in key): line + offset for key, line in doc.lines.items()}
    return Page(
        unit_id=unit.id,
        source=source,
        url=url,
        section=url.split("/", 1)[0] if url else "",
        is_section_index=relative.rsplit("/", 1)[-1].lower() == "index.md",
        title=str(meta.get("title", "")),
        type=str(meta.get("type", "strona")),
        meta=meta,
        lines=lines,
        body=parts.body,
        body_line=parts.body_line,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )
