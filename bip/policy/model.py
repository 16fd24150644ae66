"""The publishing policy as data: read from region.yaml (`policy`, `administrators`) and unit.yaml (`editors`).

Parsing is lenient (the schema reports malformed values with their lines); anything unusable is left out,
so a malformed entry never grants anything.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass, field
from typing import Any

MODES = ("off", "warn", "enforce")


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    keys: tuple[str, ...] = ()  # "ssh-ed25519 AAAA…" (type and base64, comment dropped)
    forge: str = ""  # user name on GitHub/GitLab

    @property
    def fingerprints(self) -> frozenset[str]:
        return frozenset(f for f in map(fingerprint, self.keys) if f)


@dataclass(frozen=True)
class Policy:
    mode: str = "off"
    since: str = ""
    accepted: tuple[str, ...] = ()
    forge_keys: dict[str, str] = field(default_factory=dict)  # forge name → armored OpenPGP public key
    administrators: dict[str, Person] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return self.mode != "off"


def ssh_key(text: str) -> str:
    """"type base64" of a public key line (its comment dropped); "" when it is not one."""
    parts = text.split()
    if len(parts) < 2 or not parts[0].startswith(("ssh-", "ecdsa-", "sk-")):
        return ""
    try:
        base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        return ""
    return f"{parts[0]} {parts[1]}"


def fingerprint(key: str) -> str:
    """The SHA256 fingerprint of a public key as ssh-keygen and git print it ("SHA256:…")."""
    parts = key.split()
    if len(parts) < 2:
        return ""
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        return ""
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


def person(email: Any, value: Any) -> Person | None:
    """An editor or administrator from the short form (`email: "Name"`) or the long one ({name, keys, forge})."""
    if not isinstance(email, str) or "@" not in email:
        return None
    if isinstance(value, str) and value:
        return Person(email.lower(), value)
    if not isinstance(value, dict) or not isinstance(value.get("name"), str):
        return None
    raw = value.get("keys")
    keys = tuple(k for k in (ssh_key(x) for x in raw if isinstance(x, str)) if k) if isinstance(raw, list) else ()
    forge = value.get("forge")
    return Person(email.lower(), value["name"], keys, forge.lstrip("@") if isinstance(forge, str) else "")


def people(mapping: Any) -> dict[str, Person]:
    if not isinstance(mapping, dict):
        return {}
    found = (person(email, value) for email, value in mapping.items())
    return {p.email: p for p in found if p is not None}


def region_policy(data: Any) -> Policy:
    """The policy of a parsed region.yaml (a default, inactive one when it has none)."""
    if not isinstance(data, dict):
        return Policy()
    raw = data.get("policy") if isinstance(data.get("policy"), dict) else {}
    mode = raw.get("mode") if raw.get("mode") in MODES else "off"  # a bare `off` is YAML's false
    since = str(raw.get("since") or "").strip().lower()
    accepted = raw.get("accepted") if isinstance(raw.get("accepted"), list) else []
    forge = raw.get("forge_keys") if isinstance(raw.get("forge_keys"), dict) else {}
    return Policy(
        mode=mode, since=since,
        accepted=tuple(sorted({str(c).strip().lower() for c in accepted if isinstance(c, str) and c.strip()})),
        forge_keys={str(k): v for k, v in sorted(forge.items()) if isinstance(v, str)},
        administrators=people(data.get("administrators")),
    )


def unit_editors(data: Any) -> dict[str, Person]:
    """The editors of a parsed unit.yaml, short and long forms."""
    return people(data.get("editors")) if isinstance(data, dict) else {}


def editor_display(value: Any) -> str:
    """The name an `editors` entry gives (either form); "" when it gives none."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return value["name"]
    return ""
