"""Which commits an authorised person signed: git verifies the signatures, this module authorises them.

A commit is judged by the policy in force in its first parent (region.yaml and the unit.yaml of each unit
it touches, as they were there), so no commit can authorise itself. git verifies every signature once,
against an allowed-signers file of every SSH key those policies list and a keyring of every forge key
(OpenPGP); which person a valid key belongs to, and whether that person may change the paths, is decided
here. Verdicts depend on the commit alone, so they are cached by commit id.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from bip.files import write_atomic
from bip.history import History
from bip.load.yamlfile import BipLoader

from . import gitio
from .errors import PolicyError
from .model import Person, Policy, region_policy, unit_editors

FORMAT = 2
REGION_FILE = "content/region.yaml"
GOOD = "G"  # git's %G?: a good signature by a key the allowed-signers file (SSH) or the keyring lists
FORGE_GOOD = ("G", "U")  # OpenPGP: good signature; forge keys are not given trust in the keyring


@dataclass(frozen=True)
class Verdict:
    commit: str
    parents: int
    author: str  # git author name
    email: str  # git author e-mail
    status: str  # git's %G?
    key: str  # the signing key's fingerprint ("SHA256:…" for SSH), "" when unsigned
    signer: str  # the verified person's name, "" when no listed person signed
    signer_email: str
    via: str  # "ssh", or the forge whose key vouches for the author e-mail; "" when not verified
    refused: tuple[tuple[str, tuple[str, ...]], ...]  # (area, paths) the signer may not change; area "" = region

    @property
    def authorised(self) -> bool:
        return not self.refused

    def row(self) -> list[object]:
        """The verdict as JSON-ready values (the cache); `Verdict.of` reads it back."""
        return [self.commit, self.parents, self.author, self.email, self.status, self.key, self.signer,
                self.signer_email, self.via, [[area, list(paths)] for area, paths in self.refused]]

    @classmethod
    def of(cls, row: list) -> Verdict:  # type: ignore[type-arg]
        *head, refused = row
        if len(head) != 9 or not all(isinstance(v, int if k == 1 else str) for k, v in enumerate(head)):
            raise ValueError("not a verdict")
        return cls(*head, tuple((str(a), tuple(map(str, p))) for a, p in refused))  # type: ignore[arg-type]

    def status_text(self) -> str:
        """Polish: the signature as the registry and errors name it."""
        if self.signer:
            where = f"klucz {self.key}" if self.via == "ssh" else f"klucz serwisu {self.via} {self.key}"
            return f"podpis zweryfikowany: {self.signer}, {where}"
        if self.status == "N" or not self.key:
            return "bez podpisu"
        return f"podpis niezweryfikowany (klucz {self.key})"


def area_of(path: str) -> str:
    """The unit a project path belongs to, "" for the region's own files (region.yaml, themes, the rest)."""
    parts = path.split("/")
    return parts[1] if len(parts) >= 3 and parts[0] == "content" else ""


class Verifier:
    """Verdicts of commits, from the cache or from git (a few git processes for any number of commits)."""

    def __init__(self, root: Path, cache_dir: Path, history: History | None = None) -> None:
        self.root = root
        self.cache_dir = cache_dir
        self.history = history if history is not None else History.empty(root)
        self.prefix = self.history.prefix if history is not None else _prefix(root)
        self._file = cache_dir / f"verdicts-{FORMAT}.json"
        self._cache: dict[str, Verdict] | None = None
        self._parsed: dict[str, object] = {}

    def range(self, tip: str, exclude: Iterable[str] = ()) -> list[Verdict]:
        """The verdict of every commit reachable from `tip` and from none of `exclude`, newest first."""
        listed = gitio.commits(self.root, tip, list(exclude))
        cache = self._load()
        todo = [(sha, parents) for sha, parents in listed if sha not in cache]
        if todo:
            cache.update(self._judge(todo))
            self._save()
        return [cache[sha] for sha, _ in listed]

    # -- judging ---------------------------------------------------------------------------------

    def _judge(self, todo: list[tuple[str, tuple[str, ...]]]) -> dict[str, Verdict]:
        changes = gitio.changed_paths(self.root, [sha for sha, _ in todo])
        if len(changes) != len(todo):  # never judge a commit whose changes were not read
            raise PolicyError("Nie udało się odczytać zmian wszystkich commitów.", "Sprawdź repozytorium: git fsck")
        prefix = self.prefix
        # the policy files of each commit's first parent: region.yaml, the unit.yaml of every unit it touches
        specs: dict[str, list[str]] = {}
        for sha, parents in todo:
            paths = [p[len(prefix):] for p in changes.get(sha, ("", "", []))[2] if p.startswith(prefix)]
            units = sorted({a for a in map(area_of, paths) if a})
            specs[sha] = [f"{parents[0]}:{prefix}{REGION_FILE}", *(f"{parents[0]}:{prefix}content/{u}/unit.yaml"
                                                                    for u in units)] if parents else []
        ids = gitio.blob_ids(self.root, sorted({s for group in specs.values() for s in group}))
        texts = self.history.read_blobs(sorted(set(ids.values())))
        keys: set[str] = set()
        forge: dict[str, str] = {}
        for blob_id, data in texts.items():
            parsed = self._parse(blob_id, data)
            policy, editors = parsed if isinstance(parsed, tuple) else (None, None)
            for person in [*(policy.administrators.values() if policy else ()), *(editors or {}).values()]:
                keys.update(person.keys)
            if policy is not None:
                forge.update({_digest(text): text for text in policy.forge_keys.values()})
        signers = self.cache_dir / f"allowed-signers-{_digest(chr(10).join(sorted(keys)))}"
        if not signers.exists():
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            write_atomic(signers, "".join(f'* namespaces="git" {k}\n' for k in sorted(keys)).encode())
        gnupg, fingerprints = None, {}
        if forge:
            gnupg = self.cache_dir / f"gnupg-{_digest(chr(10).join(sorted(forge)))}"
            for digest, text in sorted(forge.items()):
                fingerprints.update({fp: digest for fp in gitio.import_forge_keys(gnupg, {digest: text})})
        signed = gitio.signatures(self.root, [sha for sha, _ in todo], signers, gnupg)
        found = {}
        for sha, parents in todo:
            name, email, raw = changes.get(sha, ("", "", []))
            status, key, primary = signed.get(sha, ("N", "", ""))
            policy, units = Policy(), {}
            for spec in specs[sha]:
                blob_id = ids.get(spec)
                parsed = self._parsed.get(blob_id) if blob_id else None
                if spec.endswith(REGION_FILE):
                    policy = parsed[0] if isinstance(parsed, tuple) else Policy()
                else:
                    units[spec.rsplit("/", 2)[-2]] = parsed[1] if isinstance(parsed, tuple) else {}
            found[sha] = _verdict(sha, len(parents), name, email, status, key, primary, raw, prefix, policy, units,
                                  fingerprints)
        return found

    def _parse(self, blob_id: str, data: bytes) -> object:
        if blob_id not in self._parsed:
            try:
                doc = yaml.load(data.decode("utf-8"), Loader=BipLoader)  # noqa: S506 - a safe loader
            except (yaml.YAMLError, UnicodeDecodeError):
                doc = None
            self._parsed[blob_id] = (region_policy(doc), unit_editors(doc))
        return self._parsed[blob_id]

    # -- cache -----------------------------------------------------------------------------------

    def _load(self) -> dict[str, Verdict]:
        if self._cache is None:
            self._cache = {}
            try:
                data = json.loads(self._file.read_bytes())
                for row in data:
                    verdict = Verdict.of(row)
                    self._cache[verdict.commit] = verdict
            except (OSError, ValueError, TypeError, KeyError):
                self._cache = {}
        return self._cache

    def _save(self) -> None:
        rows = [v.row() for _, v in sorted((self._cache or {}).items())]
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            write_atomic(self._file, json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode())
        except OSError:
            pass  # a cache only saves time


def _verdict(
    sha: str, parents: int, name: str, email: str, status: str, key: str, primary: str, raw: list[str],
    prefix: str, policy: Policy, units: dict[str, dict[str, Person]], forge_fingerprints: dict[str, str],
) -> Verdict:
    email = email.lower()
    paths = [p[len(prefix):] if p.startswith(prefix) else "../" + p for p in raw]
    trusted_forge = {_digest(text): forge_name for forge_name, text in policy.forge_keys.items()}
    via = ""
    if status == GOOD and key.startswith("SHA256:"):
        via = "ssh"
    elif status in FORGE_GOOD and key and not key.startswith("SHA256:"):
        digest = forge_fingerprints.get((primary or key).upper()) or forge_fingerprints.get(key.upper())
        via = trusted_forge.get(digest or "", "")

    def vouched(person: Person) -> bool:
        if via == "ssh":
            return key in person.fingerprints
        return bool(via) and person.email == email

    everyone = [*policy.administrators.values(), *(p for editors in units.values() for p in editors.values())]
    signer = next((p for p in everyone if vouched(p)), None)
    by_area: dict[str, list[str]] = {}
    for path in paths:
        by_area.setdefault(area_of(path), []).append(path)
    refused = []
    for area, area_paths in sorted(by_area.items()):
        allowed = [*policy.administrators.values(), *(units.get(area, {}).values() if area else ())]
        if not any(vouched(p) for p in allowed):
            refused.append((area, tuple(sorted(area_paths))))
    return Verdict(sha, parents, name, email, status, key, signer.name if signer else "",
                   signer.email if signer else "", via if signer else "", tuple(refused))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _prefix(root: Path) -> str:
    try:
        return gitio._git(root, ["rev-parse", "--show-prefix"]).decode().strip()
    except gitio.PolicyError:
        return ""
