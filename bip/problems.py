"""Content problems as values: each has a location, a Polish message and a hint."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from json.encoder import encode_basestring
from operator import attrgetter
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One located mistake. Ordered by file, line, key so that output is stable."""

    file: str  # path relative to the project root, with forward slashes
    line: int  # 1-based; the line of the YAML key where it applies, else 1
    key: str  # front matter / unit.yaml key, "" when the whole file is concerned
    message: str  # Polish, says what is wrong
    hint: str = ""  # Polish, says what to do
    severity: Severity = "error"
    # a failure of bip itself (an exception, a panic, a dead worker), not a content mistake: exit code 3
    internal: bool = field(default=False, compare=False)
    detail: str = field(default="", compare=False)  # the traceback, printed only with --debug
    # a warning about history no edit of the content can fix (a commit message): shown, never failing --strict
    lasting: bool = field(default=False, compare=False)

    def format(self, debug: bool = False) -> str:
        label = ("błąd wewnętrzny" if self.internal else "błąd") if self.severity == "error" else "ostrzeżenie"
        where = f"{self.file}:{self.line}"
        key = f" [{self.key}]" if self.key else ""
        text = f"{where}: {label}{key}: {self.message}"
        if self.hint:
            text += f"\n    → {self.hint}"
        if debug and self.detail:
            text += "\n" + "\n".join("    | " + line for line in self.detail.rstrip().splitlines())
        return text


@dataclass
class Problems:
    """Collects problems across a whole run; de-duplicates and sorts on read.

    Kept in the order they came (a dict, not a set): a build adds each unit's warnings in order, as its
    render memo recorded them, so sorting tens of thousands of them finds them almost sorted already."""

    items: dict[Problem, None] = field(default_factory=dict)
    _sorted: list[Problem] | None = field(default=None, init=False, repr=False, compare=False)

    def add(self, problem: Problem) -> None:
        self.items[problem] = None
        self._sorted = None

    def error(self, file: str, line: int, key: str, message: str, hint: str = "") -> None:
        self.add(Problem(file, max(1, line), key, message, hint, "error"))

    def warning(self, file: str, line: int, key: str, message: str, hint: str = "", lasting: bool = False) -> None:
        self.add(Problem(file, max(1, line), key, message, hint, "warning", lasting=lasting))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.update(dict.fromkeys(problems))
        self._sorted = None

    def sorted(self) -> list[Problem]:
        """Ordered by file, line, key, message (as Problem's own order), computed once until the next add:
        a region's build may hold tens of thousands of warnings."""
        if not self.is_sorted:
            self._sorted = sorted(self.items, key=problem_order)
        return list(self._sorted or ())

    @property
    def is_sorted(self) -> bool:
        """sorted() is computed already (and costs a copy only)."""
        return self._sorted is not None and len(self._sorted) == len(self.items)

    @property
    def errors(self) -> list[Problem]:
        # the few errors sorted alone: the warnings may be tens of thousands
        return sorted((p for p in self.items if p.severity == "error"), key=problem_order)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.sorted() if p.severity == "warning"]

    @property
    def strict_failures(self) -> list[Problem]:
        """The warnings `--strict` fails on: those an edit of the content can fix."""
        return [p for p in self.warnings if not p.lasting]

    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.items)

    def has_internal(self) -> bool:
        return any(p.internal for p in self.items)

    def __len__(self) -> int:
        return len(self.items)


# Problem's own order as a sort key made in C: a region's build sorts tens of thousands of warnings
problem_order = attrgetter("file", "line", "key", "message", "hint", "severity")


def problem_rows(problems: Iterable[Problem]) -> list[str]:
    """Each problem as the JSON object json.dumps(asdict(problem), ensure_ascii=False) gives, written over the
    C string encoder with each repeated text (file, key, hint) encoded once: a region's build report holds
    tens of thousands of warnings, and a dictionary per problem through JSONEncoder was most of its cost."""
    known: dict[str, str] = {}

    def once(text: str) -> str:
        encoded = known.get(text)
        if encoded is None:
            encoded = known[text] = encode_basestring(text)
        return encoded

    return [
        f'{{"file": {once(p.file)}, "line": {int(p.line)}, "key": {once(p.key)}, '
        f'"message": {encode_basestring(p.message)}, "hint": {once(p.hint)}, "severity": {once(p.severity)}, '
        f'"internal": {_BOOL[bool(p.internal)]}, "detail": {encode_basestring(p.detail)}, '
        f'"lasting": {_BOOL[bool(p.lasting)]}}}'
        for p in problems
    ]


_BOOL = {True: "true", False: "false"}


def to_json(problems: Iterable[Problem], debug: bool = False) -> str:
    """Problems as JSON; a failure's traceback (`detail`) only with `debug`."""
    rows = [asdict(p) for p in sorted(problems)]
    for row in rows if not debug else []:
        del row["detail"]
    return json.dumps(rows, ensure_ascii=False, indent=2)
