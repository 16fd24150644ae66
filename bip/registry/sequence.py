"""A diff of two sequences in bounded work: Myers' O(ND) algorithm, its steps counted against a budget.

difflib's matcher takes tens of seconds on some 20,000-word paragraphs (few distinct words, or many
scattered changes); here every step of the search is counted, and a comparison that would pass the
budget stops and reports None, so a diff page costs at most about a second whatever two versions hold.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

Opcode = tuple[str, int, int, int, int]  # as difflib's: tag, a[i1:i2], b[j1:j2]

# steps of the search for one diff page (a step: one diagonal tried or one equal element followed);
# 400,000 take well under a second
DIFF_WORK = 400_000


class Budget:
    """Steps left for the comparisons of one diff page."""

    def __init__(self, steps: int = DIFF_WORK) -> None:
        self.left = steps


def opcodes(a: Sequence[Hashable], b: Sequence[Hashable], budget: Budget, whole: bool = False) -> list[Opcode] | None:
    """difflib-style opcodes of a shortest edit script from `a` to `b`. When the budget runs out: None, or with
    `whole`, the common start and end as equal and all between them as replaced."""
    n, m = len(a), len(b)
    start = 0
    while start < n and start < m and a[start] == b[start]:
        start += 1
    end = 0
    while end < n - start and end < m - start and a[n - 1 - end] == b[m - 1 - end]:
        end += 1
    middle = _equal_runs(a[start:n - end], b[start:m - end], budget)
    if middle is None and not whole:
        return None
    if middle is None:
        middle = []
    runs = [(0, 0, start)] + [(i + start, j + start, k) for i, j, k in middle] + [(n - end, m - end, end)]
    ops: list[Opcode] = []
    i = j = 0
    for si, sj, length in runs:
        if i < si or j < sj:
            tag = "replace" if i < si and j < sj else "delete" if i < si else "insert"
            ops.append((tag, i, si, j, sj))
        if length:
            if ops and ops[-1][0] == "equal":
                ops[-1] = ("equal", ops[-1][1], si + length, ops[-1][3], sj + length)
            else:
                ops.append(("equal", si, si + length, sj, sj + length))
        i, j = si + length, sj + length
    return ops


def _equal_runs(a: Sequence[Hashable], b: Sequence[Hashable], budget: Budget) -> list[tuple[int, int, int]] | None:
    """The equal runs (i, j, length) of a shortest edit script, in order; None when the budget runs out."""
    n, m = len(a), len(b)
    if n == 0 or m == 0:
        return []
    offset = n + m + 1
    v = [0] * (2 * offset + 1)  # v[offset + k]: the furthest x reached on diagonal k
    trace: list[list[int]] = []  # trace[d]: v on diagonals -d-1 … d+1 before step d
    for d in range(n + m + 1):
        budget.left -= d + 1
        if budget.left < 0:
            return None
        trace.append(v[offset - d - 1 : offset + d + 2])
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and v[offset + k - 1] < v[offset + k + 1]):
                x = v[offset + k + 1]
            else:
                x = v[offset + k - 1] + 1
            y = x - k
            x0 = x
            while x < n and y < m and a[x] == b[y]:
                x += 1
                y += 1
            budget.left -= x - x0
            v[offset + k] = x
            if x >= n and y >= m:
                return _back(trace, n, m, d)
    return None  # not reached: d = n + m always ends


def _back(trace: list[list[int]], n: int, m: int, steps: int) -> list[tuple[int, int, int]]:
    runs = []
    x, y = n, m
    for d in range(steps, 0, -1):
        vd, base = trace[d], d + 1
        k = x - y
        down = k == -d or (k != d and vd[base + k - 1] < vd[base + k + 1])
        pk = k + 1 if down else k - 1
        px = vd[base + pk]
        py = px - pk
        sx, sy = (px, py + 1) if down else (px + 1, py)
        if x > sx:
            runs.append((sx, sy, x - sx))
        x, y = px, py
    if x > 0:
        runs.append((0, 0, x))
    runs.reverse()
    return runs
