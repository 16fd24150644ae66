"""Personal identifiers (PESEL, identity-card numbers) in text that is about to be published.

The rules (patterns, checksum weights, messages) are data: personal_data.json beside this module. A
candidate counts only if its checksum holds (and, for a PESEL, it encodes a real birth date), so
ordinary numbers (phone, NIP, REGON, sums) are not reported.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from bip.problems import Problems

BASIS_KEY = "personal_data_basis"  # front matter: the legal basis for publishing such data


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    weights: tuple[int, ...]
    check: str
    centuries: dict[int, int]
    label: str
    message: str
    hint: str


@dataclass(frozen=True)
class Finding:
    rule: Rule
    offset: int  # in the text scanned
    text: str

    @property
    def masked(self) -> str:
        """Shown in messages: enough to find it, not the whole identifier."""
        return self.text[:3] + "…" + self.text[-2:]

    @property
    def message(self) -> str:
        return self.rule.message.format(masked=self.masked)


@cache
def rules() -> tuple[Rule, ...]:
    data = json.loads(resources.files(__package__).joinpath("personal_data.json").read_text(encoding="utf-8"))
    return tuple(
        Rule(name, re.compile(spec["pattern"]), tuple(spec["weights"]), spec["check"],
             {int(k): v for k, v in spec.get("centuries", {}).items()}, spec["label"], spec["message"], spec["hint"])
        for name, spec in sorted(data["rules"].items())
    )


def is_pesel(digits: str, rule: Rule) -> bool:
    """Checksum and a birth date that exists (the month carries the century)."""
    values = [int(c) for c in digits]
    if (10 - sum(v * w for v, w in zip(values, rule.weights, strict=False)) % 10) % 10 != values[10]:
        return False
    month = values[2] * 10 + values[3]
    offset = month // 20 * 20
    if offset not in rule.centuries:
        return False
    try:
        dt.date(rule.centuries[offset] + values[0] * 10 + values[1], month - offset, values[4] * 10 + values[5])
    except ValueError:
        return False
    return True


def is_id_card(text: str, rule: Rule) -> bool:
    """Series letters A=10 … Z=35 and digits, weighted; the sum (check digit included) ends in 0."""
    chars = text.replace(" ", "")
    values = [ord(c) - 55 if c.isalpha() else int(c) for c in chars]
    return sum(v * w for v, w in zip(values, rule.weights, strict=True)) % 10 == 0


CHECKS = {"pesel": is_pesel, "id_card": is_id_card}


def find(text: str) -> Iterator[Finding]:
    """Every identifier in `text`, in order of position."""
    found = []
    for rule in rules():
        for match in rule.pattern.finditer(text):
            if CHECKS[rule.check](match.group(), rule):
                found.append(Finding(rule, match.start(), match.group()))
    yield from sorted(found, key=lambda f: f.offset)


def strings(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string in front matter with its key path (iterative: any depth)."""
    stack = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            yield where, item
        elif isinstance(item, dict):
            stack.extend(((*where, str(k)), v) for k, v in reversed(list(item.items())))
        elif isinstance(item, list):
            stack.extend(((*where, i), v) for i, v in reversed(list(enumerate(item))))


def has_basis(meta: dict[str, Any]) -> bool:
    basis = meta.get(BASIS_KEY)
    return isinstance(basis, str) and bool(basis.strip())


def page_findings(meta: dict[str, Any], lines: dict[str, int], body: str,
                  body_line: int) -> Iterator[tuple[int, str, Finding]]:
    """(line, key, finding) for the front matter and the body of a page; nothing if it gives a legal basis."""
    if has_basis(meta):
        return
    for path, text in strings(meta):
        if path and path[0] == BASIS_KEY:
            continue
        for finding in find(text):
            yield lines.get(str(path[0]), 1) if path else 1, ".".join(map(str, path)), finding
    for finding in find(body):
        yield body_line + body.count("\n", 0, finding.offset), "", finding


def check_personal_data(source: str, meta: dict[str, Any], lines: dict[str, int], body: str, body_line: int,
                        problems: Problems) -> None:
    """One located error per identifier found in a page (front matter and body)."""
    for line, key, finding in page_findings(meta, lines, body, body_line):
        problems.error(source, line, key, finding.message, finding.rule.hint)
