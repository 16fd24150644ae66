"""Readable diffs between two versions of a page: blocks, then words inside changed blocks (difflib).

Changes are marked with <ins>/<del> and with text for screen readers, never by colour alone.
"""

from __future__ import annotations

import difflib
import re
from html import escape

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
# difflib compares sequences in up to quadratic time: two blocks with more words than this together are
# shown as removed and added whole (a megabyte paragraph must not stop a unit's registry)
WORD_DIFF_LIMIT = 20_000
INS_OPEN = '<ins><span class="visually-hidden">[dodano: </span>'
INS_CLOSE = '<span class="visually-hidden">]</span></ins>'
DEL_OPEN = '<del><span class="visually-hidden">[usunięto: </span>'
DEL_CLOSE = '<span class="visually-hidden">]</span></del>'


def _ins(text: str) -> str:
    return INS_OPEN + escape(text) + INS_CLOSE if text.strip() else escape(text)


def _del(text: str) -> str:
    return DEL_OPEN + escape(text) + DEL_CLOSE if text.strip() else ""


def words(old: str, new: str) -> str | None:
    """Word-level diff of two texts as HTML; None when they are too long for it (WORD_DIFF_LIMIT)."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    if len(a) + len(b) > WORD_DIFF_LIMIT:
        return None
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
        if op in ("delete", "replace"):
            out.append(_del("".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(_ins("".join(b[j1:j2])))
    return "".join(out)


def blocks(text: str) -> list[str]:
    return [block.strip("\n") for block in re.split(r"\n\s*\n", text) if block.strip()]


def diff_blocks(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    """(status, html) per block: status is "same", "changed", "added" or "removed"."""
    rows: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            rows.extend(("same", escape(block)) for block in old[i1:i2])
        elif op == "replace":
            pairs = max(i2 - i1, j2 - j1)
            for k in range(pairs):
                before = old[i1 + k] if i1 + k < i2 else None
                after = new[j1 + k] if j1 + k < j2 else None
                if before is not None and after is not None:
                    changed = words(before, after)
                    rows += [("changed", changed)] if changed is not None else [("removed", _del(before)),
                                                                                ("added", _ins(after))]
                elif before is not None:
                    rows.append(("removed", _del(before)))
                elif after is not None:
                    rows.append(("added", _ins(after)))
        elif op == "delete":
            rows.extend(("removed", _del(block)) for block in old[i1:i2])
        elif op == "insert":
            rows.extend(("added", _ins(block)) for block in new[j1:j2])
    return rows


def count_changes(rows: list[tuple[str, str]]) -> int:
    return sum(1 for status, _ in rows if status != "same")
