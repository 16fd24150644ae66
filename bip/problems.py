"""Content problems as values: each has a location, a Polish message and a hint."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
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
    """Collects problems across a whole run; de-duplicates and sorts on read."""

    items: set[Problem] = field(default_factory=set)
    _sorted: list[Problem] | None = field(default=None, init=False, repr=False, compare=False)

    def add(self, problem: Problem) -> None:
        self.items.add(problem)
        self._sorted = None

    def error(self, file: str, line: int, key: str, message: str, hint: str = "") -> None:
        self.add(Problem(file, max(1, line), key, message, hint, "error"))

    def warning(self, file: str, line: int, key: str, message: str, hint: str = "", lasting: bool = False) -> None:
        self.add(Problem(file, max(1, line), key, message, hint, "warning", lasting=lasting))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.update(problems)
        self._sorted = None

    def sorted(self) -> list[Problem]:
        """Ordered by file, line, key, message (as Problem's own order), computed once until the next add:
        a region's build may hold tens of thousands of warnings."""
        if self._sorted is None or len(self._sorted) != len(self.items):
            self._sorted = sorted(self.items, key=problem_order)
        return list(self._sorted)

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


def problem_order(problem: Problem) -> tuple:
    return (problem.file, problem.line, problem.key, problem.message, problem.hint, problem.severity)


def to_json(problems: Iterable[Problem], debug: bool = False) -> str:
    """Problems as JSON; a failure's traceback (`detail`) only with `debug`."""
    rows = [asdict(p) for p in sorted(problems)]
    for row in rows if not debug else []:
        del row["detail"]
    return json.dumps(rows, ensure_ascii=False, indent=2)
