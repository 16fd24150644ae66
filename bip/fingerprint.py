"""Fingerprints of a unit's inputs: content hashes (never mtimes alone), theme, config, history, generator.

Equal fingerprint ⇒ the unit's previous output is still right. File hashes are remembered by
(size, mtime) in .bip-cache/files.json so an unchanged tree is not re-read; a checkout that resets
mtimes only costs one re-read. A corrupt or foreign cache file is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from functools import cache
from pathlib import Path

from bip import __version__
from bip.files import write_atomic
from bip.history import History
from bip.libraries import distribution_versions
from bip.render.themes import theme_dirs

FORMAT = 1

# Installed distributions whose version can change a byte of the output (parsing, validation, rendering,
# sanitising, slugs, dates, feeds, search indexes), transitive ones included.
OUTPUT_DEPENDENCIES = (
    "babel", "fastjsonschema", "feedgen", "jinja2", "jsonschema", "lxml", "markdown-it-py", "markdown-it-pyrs",
    "marisa-trie", "markupsafe", "mdit-py-plugins", "nh3", "odfpy", "orjson", "pypdfium2", "python-calamine",
    "python-dateutil", "python-slugify", "pyyaml", "simplemma", "striprtf", "text-unidecode",
    "whoosh-reloaded",
)
# Runtime dependencies that never shape output (progress bars, file watching, cache folders).
RUN_ONLY_DEPENDENCIES = ("platformdirs", "tqdm", "watchdog")
# Files of the package that build no site: the demo region generator.
NOT_GENERATOR = ("demo",)


def dependency_versions() -> str:
    """Python's minor version and the version of each output-shaping distribution, one line each."""
    return "\n".join([f"python {sys.version_info[0]}.{sys.version_info[1]}", *distribution_versions(OUTPUT_DEPENDENCIES)])


@cache
def generator_signature() -> str:
    """The generator's code, data and output-shaping dependencies: any other gives other output."""
    digest = hashlib.sha256(f"bip {__version__} format {FORMAT}\n{dependency_versions()}".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package)
        if (path.suffix in (".py", ".json") and "__pycache__" not in path.parts
                and relative.parts[0] not in NOT_GENERATOR and path.is_file()):
            digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class FileHashes:
    """Content hashes of files, remembered by (size, mtime_ns)."""

    def __init__(self, cache_file: Path):
        self.cache_file = cache_file
        self.known: dict[str, list] = {}
        self.dirty = False
        try:
            data = json.loads(cache_file.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("format") == FORMAT and isinstance(data.get("files"), dict):
                self.known = data["files"]
        except (OSError, ValueError):
            self.known = {}

    def of(self, path: Path, stat: os.stat_result) -> str:
        key = str(path)
        entry = self.known.get(key)
        if isinstance(entry, list) and len(entry) == 3 and entry[0] == stat.st_size and entry[1] == stat.st_mtime_ns:
            return str(entry[2])
        with open(path, "rb") as handle:
            value = hashlib.sha256(handle.read()).hexdigest()
        self.known[key] = [stat.st_size, stat.st_mtime_ns, value]
        self.dirty = True
        return value

    def save(self) -> None:
        if not self.dirty:
            return
        write_atomic(self.cache_file, json.dumps({"format": FORMAT, "files": self.known}).encode("utf-8"))


def tree_signature(folder: Path, hashes: FileHashes) -> str:
    """Hash of every file under a folder (names and contents), in sorted order."""
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            try:
                stat = path.stat()
            except OSError:
                continue
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + hashes.of(path, stat).encode())
    return digest.hexdigest()


class UnitTrees:
    """Unit signatures from git instead of reading every file: the tree id of `content/<unit>` at HEAD
    covers every committed file; the files git reports as changed, untracked or ignored are hashed from
    the working tree. Two git commands (ls-tree, status) for the whole region, however many files it has. Without git (or
    without a HEAD) every unit falls back to `tree_signature`.
    """

    def __init__(self, root: Path, history: History, hashes: FileHashes,
                 status: tuple[list[str], list[str]] | None = None, folders: list[str] | None = None):
        """`status`: History.status("content", ignored=True), if the caller already has it; `folders`: the
        only unit folders that will be asked for (git then looks at them alone)."""
        self.root, self.hashes = root, hashes
        self.trees = history.folder_trees("content")
        self.loose: dict[str, list[str]] = {}
        if self.trees is not None:
            if status is None:
                status = history.status(*(folders or ["content"]), ignored=True)
            changed, ignored = status
            for path in sorted({*changed, *ignored}):
                parts = path.split("/")
                if len(parts) >= 3 and parts[0] == "content":
                    self.loose.setdefault(parts[1], []).append(path)

    def signature(self, unit_source: str) -> str:
        folder = self.root / unit_source
        if self.trees is None:
            return tree_signature(folder, self.hashes)
        unit = unit_source.rsplit("/", 1)[-1]
        digest = hashlib.sha256(f"tree {self.trees.get(unit, '-')}\n".encode())
        for path in self.loose.get(unit, []):
            file = self.root / path
            try:
                stat = file.stat()
                value = self.hashes.of(file, stat) if file.is_file() else "not a file"
            except OSError:
                value = "deleted"
            digest.update(f"{path}\0{value}\n".encode())
        return digest.hexdigest()


def theme_signature(root: Path, theme: str, hashes: FileHashes) -> str:
    return hashlib.sha256("".join(tree_signature(d, hashes) for d in theme_dirs(root, theme)).encode()).hexdigest()


def combine(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]
