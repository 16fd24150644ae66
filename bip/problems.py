"""Content problems as values: each has a location, a Polish message and a hint."""

from __future__ import annotations

import heapq
import json
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import cached_property
from json.encoder import encode_basestring
from operator import attrgetter
from typing import Any, Literal

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


# where each field sits in a warning kept as a tuple of Problem's fields (in a WarningBlock, a render memo)
_SEVERITY, _INTERNAL, _LASTING = 5, 6, 8
ROW_SEPARATOR = ",\n    "  # between two problems' rows in the build report


class WarningBlock:
    """The warnings of one unit that a build repeats from its render memo (the unit is unchanged): sorted,
    each kept as the tuple of its Problem's fields and its report row encoded already (UTF-8, joined as the
    report joins them). A region's no-change build repeats tens of thousands of warnings; making a Problem
    of each, sorting and encoding them again was most of its time. Problems are made only when one is
    asked for: the few a build shows first, or all of them for `-v` or `--strict`."""

    def __init__(self, rows: list[tuple[Any, ...]], encoded: bytes):
        self.rows, self.encoded = rows, encoded
        self.first, self.last = tuple(rows[0][:_SEVERITY + 1]), tuple(rows[-1][:_SEVERITY + 1])

    @classmethod
    def of(cls, rows: list[tuple[Any, ...]], encoded: bytes) -> WarningBlock | None:
        """A block of `rows` if they can be one (warnings only, in order, no failure of bip), else None."""
        if not rows or any(row[_SEVERITY] != "warning" or row[_INTERNAL] for row in rows):
            return None
        keys = [row[:_SEVERITY + 1] for row in rows]
        if any(a > b for a, b in zip(keys, keys[1:], strict=False)):
            return None
        return cls(rows, encoded)

    def problems(self) -> list[Problem]:
        return [Problem(*row) for row in self.rows]

    @cached_property
    def strict(self) -> bool:
        """Has a warning `--strict` fails on (one an edit of the content can fix)."""
        return not all(row[_LASTING] for row in self.rows)

    def per_unit(self) -> Counter[str]:
        """How many warnings each unit has here, by `bip.job.unit_label` (one unit, unless a warning's
        file lies outside it)."""
        from bip.job import unit_label, unit_of

        first, last = unit_of(self.first[0]), unit_of(self.last[0])
        if first and first == last:  # every file sorted between two of content/<unit>/ lies in it too
            return Counter({unit_label(self.first[0]): len(self.rows)})
        return Counter(unit_label(row[0]) for row in self.rows)


@dataclass
class Problems:
    """Collects problems across a whole run; de-duplicates and sorts on read.

    Kept in the order they came (a dict, not a set): a build adds each unit's warnings in order, as its
    render memo recorded them, so sorting tens of thousands of them finds them almost sorted already.
    The warnings of unchanged units come as WarningBlocks (`add_block`): `runs` gives them whole, in
    order, to what can take them so (the summary of a build, its report); anything else that reads
    the problems (`items`, `sorted`, …) gets the blocks' problems one by one."""

    _items: dict[Problem, None] = field(default_factory=dict)
    _sorted: list[Problem] | None = field(default=None, init=False, repr=False, compare=False)
    _blocks: list[WarningBlock] = field(default_factory=list, init=False, repr=False, compare=False)

    @property
    def items(self) -> dict[Problem, None]:
        self._unblock(self._blocks)
        return self._items

    @property
    def loose(self) -> dict[Problem, None]:
        """The problems that came one by one, without the blocks' (those of unchanged units)."""
        return self._items

    def add(self, problem: Problem) -> None:
        self._items[problem] = None
        self._sorted = None

    def add_block(self, block: WarningBlock) -> None:
        self._blocks.append(block)
        self._sorted = None

    def _unblock(self, blocks: list[WarningBlock]) -> None:
        """Make the problems of `blocks` loose ones (each once, as any problem added)."""
        if blocks:
            chosen = {id(b) for b in blocks}
            self._blocks = [b for b in self._blocks if id(b) not in chosen]
            for block in blocks:
                self._items.update(dict.fromkeys(block.problems()))
            self._sorted = None

    def runs(self) -> Iterator[Problem | WarningBlock]:
        """Every problem in order (as `sorted`), a block given whole where it is one run of that order: a
        block that shares its span with another problem (the same warning added twice, another warning
        on its unit's files) is made loose problems first."""
        blocks = sorted(self._blocks, key=attrgetter("first"))
        loose = self.sorted_loose()
        keys = [problem_order(p) for p in loose]
        overlapping = []
        for number, block in enumerate(blocks):
            at = bisect_left(keys, block.first)
            if ((at < len(keys) and keys[at] <= block.last)
                    or (number and blocks[number - 1].last >= block.first)
                    or (number + 1 < len(blocks) and blocks[number + 1].first <= block.last)):
                overlapping.append(block)
        if overlapping:
            self._unblock(overlapping)
            blocks = sorted(self._blocks, key=attrgetter("first"))
            loose = self.sorted_loose()
        return heapq.merge(loose, blocks, key=lambda run: run.first if type(run) is WarningBlock
                           else problem_order(run))

    def sorted_loose(self) -> list[Problem]:
        if self._sorted is None or len(self._sorted) != len(self._items):
            self._sorted = sorted(self._items, key=problem_order)
        return self._sorted

    def error(self, file: str, line: int, key: str, message: str, hint: str = "") -> None:
        self.add(Problem(file, max(1, line), key, message, hint, "error"))

    def warning(self, file: str, line: int, key: str, message: str, hint: str = "", lasting: bool = False) -> None:
        self.add(Problem(file, max(1, line), key, message, hint, "warning", lasting=lasting))

    def extend(self, problems: Iterable[Problem]) -> None:
        self._items.update(dict.fromkeys(problems))
        self._sorted = None

    def sorted(self) -> list[Problem]:
        """Ordered by file, line, key, message (as Problem's own order), computed once until the next add:
        a region's build may hold tens of thousands of warnings."""
        self._unblock(self._blocks)
        return list(self.sorted_loose())

    @property
    def errors(self) -> list[Problem]:
        # the few errors sorted alone (a block holds none): the warnings may be tens of thousands
        return sorted((p for p in self._items if p.severity == "error"), key=problem_order)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.sorted() if p.severity == "warning"]

    @property
    def strict_failures(self) -> list[Problem]:
        """The warnings `--strict` fails on: those an edit of the content can fix."""
        return [p for p in self.warnings if not p.lasting]

    def strict_units(self) -> set[str]:
        """The units (by `bip.job.unit_of`, "" for the region) with a warning `--strict` fails on."""
        from bip.job import unit_of

        units = {unit_of(p.file) for p in self._items if p.severity == "warning" and not p.lasting}
        for block in self._blocks:
            if block.strict:
                units |= {unit_of(row[0]) for row in block.rows if not row[_LASTING]}
        return units

    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self._items)  # a block holds warnings only

    def has_internal(self) -> bool:
        return any(p.internal for p in self._items)

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


def encoded_rows(problems: Iterable[Problem]) -> bytes:
    """The problems' report rows as a WarningBlock keeps them: joined as the report joins them, in UTF-8
    (a lone surrogate, from a file name that is not UTF-8, as its JSON escape)."""
    return utf8(ROW_SEPARATOR.join(problem_rows(problems)))


def utf8(text: str) -> bytes:
    """JSON text as UTF-8: a lone surrogate can only stand inside a string literal, where `\\udcff` is its
    escape (json.loads gives the same string back)."""
    return text.encode("utf-8", "backslashreplace")


def to_json(problems: Iterable[Problem], debug: bool = False) -> str:
    """Problems as JSON; a failure's traceback (`detail`) only with `debug`."""
    rows = [asdict(p) for p in sorted(problems)]
    for row in rows if not debug else []:
        del row["detail"]
    return json.dumps(rows, ensure_ascii=False, indent=2)
