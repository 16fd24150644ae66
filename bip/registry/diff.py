"""Readable diffs between two versions of a page: their rendered blocks, then words inside changed blocks.

Changes are marked with <ins>/<del> and with text for screen readers, never by colour alone. Unchanged
blocks are counted, not repeated. All comparisons of one page share a bounded budget (sequence.Budget):
what does not fit is shown as removed and added whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from bip.model import Page
from bip.registry.blocks import KINDS, Block, html_blocks, quoted, source_blocks
from bip.registry.fields import field_changes
from bip.registry.sequence import Budget, Opcode, opcodes

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
# two blocks with more words and spaces than this together are shown as removed and added whole
# (a megabyte paragraph must not stop a unit's registry)
WORD_DIFF_LIMIT = 20_000
INS_OPEN = '<ins><span class="visually-hidden">[dodano: </span>'
INS_CLOSE = '<span class="visually-hidden">]</span></ins>'
DEL_OPEN = '<del><span class="visually-hidden">[usunięto: </span>'
DEL_CLOSE = '<span class="visually-hidden">]</span></del>'
# how rendering marks a body shown as its source text (bip.render.site.source_html); an editor's HTML never
# keeps a class attribute, so no body begins so
SOURCE_MARK = '<p class="notice source-note">'


def _ins(text: str) -> str:
    return INS_OPEN + escape(text) + INS_CLOSE if text.strip() else escape(text)


def _del(text: str) -> str:
    return DEL_OPEN + escape(text) + DEL_CLOSE if text.strip() else ""


def words(old: str, new: str, budget: Budget | None = None) -> str | None:
    """Word-level diff of two texts as HTML; None when they are too long for it (WORD_DIFF_LIMIT) or the
    comparison would pass the budget."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    if len(a) + len(b) > WORD_DIFF_LIMIT:
        return None
    ops = opcodes(a, b, budget or Budget())
    if ops is None:
        return None
    out = []
    for op, i1, i2, j1, j2 in _joined(ops, a):
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
        if op in ("delete", "replace"):
            out.append(_del("".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(_ins("".join(b[j1:j2])))
    return "".join(out)


def _joined(ops: list[Opcode], a: list[str]) -> list[Opcode]:
    """Changes separated only by a space are one change: "ala ma" → "ola psa", not word by word."""
    out: list[Opcode] = []
    for op in ops:
        if op[0] != "equal" and out and out[-1][0] != "equal":
            last = out.pop()
            op = ("replace", last[1], op[2], last[3], op[4])
        elif (op[0] != "equal" and len(out) >= 2 and out[-2][0] != "equal"
              and all(token.isspace() for token in a[out[-1][1]:out[-1][2]])):
            out.pop()
            last = out.pop()
            op = ("replace", last[1], op[2], last[3], op[4])
        out.append(op)
    return [(op if op[0] != "replace" or (op[1] < op[2] and op[3] < op[4])
             else ("delete" if op[1] < op[2] else "insert", *op[1:])) for op in out]


@dataclass
class Row:
    """One line of a diff: a changed, added or removed block, or a run of unchanged ones ("same")."""

    status: str  # "changed" | "added" | "removed" | "same"
    kind: str = ""  # a key of blocks.KINDS
    label: str = ""  # "Zmieniono komórkę tabeli (wiersz 2, kolumna „Kwota”)"
    html: str = ""
    count: int = 0  # unchanged blocks in a "same" row

    @property
    def same_text(self) -> str:
        return f"{self.count} {_plural(self.count)} bez zmian"


def _plural(n: int) -> str:
    if n == 1:
        return "fragment"
    return "fragmenty" if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14) else "fragmentów"


def _row(status: str, block: Block, html: str) -> Row:
    verb = {"changed": "Zmieniono", "added": "Dodano", "removed": "Usunięto"}[status]
    parts = ([f"w części {quoted(block.section)}"] if block.section else []) + ([block.where] if block.where else [])
    where = f" ({', '.join(parts)})" if parts else ""
    return Row(status, block.kind, f"{verb} {KINDS[block.kind]}{where}", html)


def diff_blocks(old: list[Block], new: list[Block], budget: Budget | None = None) -> list[Row]:
    """The rows of a diff of two block lists; runs of unchanged blocks as one "same" row each."""
    budget = budget or Budget()
    # too many blocks changed to align them all: those between the common start and end are replaced
    ops = opcodes([b.key for b in old], [b.key for b in new], budget, whole=True) or []
    rows: list[Row] = []

    def same(count: int) -> None:
        if rows and rows[-1].status == "same":
            rows[-1].count += count
        else:
            rows.append(Row("same", count=count))

    for op, i1, i2, j1, j2 in ops:
        if op == "equal":
            same(i2 - i1)
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            before = old[i1 + k] if i1 + k < i2 else None
            after = new[j1 + k] if j1 + k < j2 else None
            if before is not None and after is not None and before.key == after.key:
                same(1)  # paired by place where the blocks were not aligned: the same block
                continue
            changed = (words(before.text, after.text, budget)
                       if before is not None and after is not None and before.kind == after.kind else None)
            if changed is not None and after is not None:
                rows.append(_row("changed", after, changed))
                continue
            if before is not None:
                rows.append(_row("removed", before, _del(before.text)))
            if after is not None:
                rows.append(_row("added", after, _ins(after.text)))
    return rows


@dataclass
class Comparison:
    fields: list[tuple[str, str, str]]  # label, HTML before, HTML after
    same_fields: list[str]
    rows: list[Row]
    as_source: bool  # a version's body was shown as its source text: sources compared

    @property
    def changes(self) -> int:
        return len(self.fields) + sum(1 for row in self.rows if row.status != "same")


def _value(text: str | None, mark: str) -> str:
    if text is None or not text.strip():
        return '<span class="diff-none">brak</span>'
    return _del(text) if mark == "del" else _ins(text)


def compare(old: Page | None, old_html: str, new: Page | None, new_html: str) -> Comparison:
    """Two versions of a page (None: there was none) and the HTML of their bodies, as shown."""
    changed, same = field_changes(old, new)
    fields = [(label, _value(was, "del"), _value(now, "ins")) for label, was, now in changed]
    as_source = old_html.startswith(SOURCE_MARK) or new_html.startswith(SOURCE_MARK)
    if as_source:
        before = source_blocks(old.body) if old else []
        after = source_blocks(new.body) if new else []
    else:
        before, after = html_blocks(old_html), html_blocks(new_html)
    return Comparison(fields, same, diff_blocks(before, after), as_source)
