"""Markdown to safe HTML: markdown-it (CommonMark + tables, footnotes, definition lists) then nh3.

Whatever raw HTML editors write, the sanitiser keeps only harmless markup. Work is bounded: `body_problem`
refuses a body beyond the limits below before any parser runs, and `to_html` raises only `BodyTooComplex`;
nothing here recurses on the input's depth.

A body is parsed by markdown-it-pyrs (Rust, about six times faster) where it renders as markdown-it-py, the
reference, does; text checks (`_reference_only`), syntax-tree checks (`_Scan`), a tree/HTML mismatch or any
exception (a panic is a BaseException) send the body to markdown-it-py instead. Tests compare both on every
sample and demo body, the CommonMark spec, markdown-it-py's fixtures and fuzzed Markdown
(docs/reliability.md).
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import markdown_it_pyrs
import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from bip.load.paths import slug
from bip.load.remembered import recall


class _LineStart:
    """A pattern at the start of a line, found fast: after "\\n" as a literal prefix, which the regex engine
    scans for (a "^" with re.MULTILINE is tried at every position), or at the text's start."""

    def __init__(self, pattern: str, flags: int = 0, after: str = "") -> None:
        self.first = re.compile(pattern, re.MULTILINE | flags)
        self.rest = re.compile("\n" + after + "(?:" + pattern + ")", re.MULTILINE | flags)

    def search(self, text: str) -> bool:
        return self.first.match(text) is not None or self.rest.search(text) is not None

    def starts(self, text: str) -> Iterator[int]:
        """Where each line that matches starts."""
        if self.first.match(text):
            yield 0
        for found in self.rest.finditer(text):
            yield found.start() + 1

    def count(self, text: str, end: int) -> int:
        return (1 if self.first.match(text, 0, end) else 0) + len(self.rest.findall(text, 0, end))

    def length(self, text: str, end: int) -> int:
        """The characters of all matches (a line break before each but the first)."""
        first = self.first.match(text, 0, end)
        return (first.end() if first else 0) + sum(map(len, self.rest.findall(text, 0, end)))

    def matches(self, text: str, end: int) -> Iterator[str]:
        return (match for _, match in self.found(text, end))

    def found(self, text: str, end: int) -> Iterator[tuple[int, str]]:
        """Where each match starts, and the match (without the line break before it)."""
        first = self.first.match(text, 0, end)
        if first:
            yield 0, first.group()
        for found in self.rest.finditer(text, 0, end):
            yield found.start() + 1, found.group()[1:]


# -- limits of one body (body_problem) -----------------------------------------------------------------
# Block containers (block quotes, list levels, definitions) inside each other. Legal texts nest § → ust. →
# pkt → lit. → tiret: 5–6 levels. Deeper, markdown-it-py drops content past _BLOCK_NESTING token levels
# (two per list level) and markdown-it-pyrs overflows its stack (a crash, at ~100,000 levels).
MAX_NESTING = 30
# Characters of one paragraph or one line. A table is many lines (each row is its own line): the limit
# applies to each row, not to the table. Both parsers are linear here; this bounds a page's biggest block.
MAX_BLOCK_CHARS = 500_000
# Raw HTML elements open at once (an estimate that follows the HTML parser's rules for implied end tags):
# nh3's parser checks the open elements at each tag, quadratic in depth (100,000 nested <div>: 18 s).
MAX_HTML_DEPTH = 100
# Emphasis nesting times raw end tags in one paragraph (estimated as delimiters / 2 × "</"): nh3's parser
# looks through every open element for an end tag's element (emphasis 10,000 deep and 10,000 "</x>":
# 0.75 s); markdown's own tags close at once and cost nothing like it.
MAX_INLINE_SCANS = 100_000_000
# Render work, in microseconds of markdown-it-py's parse and nh3's sanitising on a CI machine: the cost grows
# with Markdown punctuation, lines, list markers, headings and table cells filled in, hardly with plain text
# or raw HTML blocks. Weights are fitted (a linear program, with 40 % to spare) to the time of some 200 kinds
# of body (100,000 "[": 1.1 s; list markers 20 deep on each line; 2,000-column tables) and 750 random
# mixtures of them, while real bodies stay cheap; on 250 other mixtures the slowest accepted body takes
# 1.9 s. A 5,000-row budget table (480 kB) uses 59 % of MAX_WORK, a 4,000-row HTML table 14 %, a 1.8 MB
# protocol 24 %.
MAX_WORK = 2_000_000
_WORK_WEIGHTS = {
    "\n": 23, "!": 72, '"': 2, "#": 5, "$": 4, "%": 4, "&": 12, "'": 1, "(": 1, ")": 1, "*": 17, "+": 5, ",": 1,
    "-": 4, ".": 1, "/": 1, ":": 14, ";": 1, "<": 12, "=": 4, ">": 20, "?": 1, "@": 5, "[": 51, "\\": 6, "]": 5,
    "^": 7, "_": 15, "`": 6, "{": 4, "|": 22, "}": 21, "~": 8, "\t": 1,
}
_MAX_WEIGHT = max(_WORK_WEIGHTS.values())
# a list item's marker: the markers that start a line, counted as half the characters of those lines'
# container prefixes (a marker and its space take two or more)
_MARKERS = _LineStart(r"[ \t>]*(?:(?:[-+*:~]|\d{1,9}[.)])(?:[ \t]+|(?=\n)|\Z)[ \t>]*)+")
_MARKER_WEIGHT = 25
# a heading's line (its id: the title's transliteration)
_HEADING = _LineStart(r"(?:[ \t>]|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))*(?:#{1,6}(?:[ \t]|$)|(?:=+|-+)[ \t]*$)")
_HEADING_WEIGHT = 11
# "<" and ">" in a raw HTML block (one that starts with a block-level tag, up to a blank line): no inline
# parsing, only nh3's
_HTML_BLOCK = _LineStart(
    r"(?<![^\n])[ \t]*</?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|"
    r"details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|"
    r"html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|"
    r"summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?=[\s/>]|$)[^\n]*(?:\n[^\n]*\S[^\n]*)*",
    flags=re.IGNORECASE, after="\n",
)
_HTML_BLOCK_WEIGHT = 1
# a table cell that markdown-it-py adds to a short row (at most 65,536 in a table)
_CELL_WEIGHT = 20
_PLAIN_CHARS_PER_UNIT = 16

# markdown-it-py's own limit of token levels, for blocks (the commonmark preset's 20, about 9 list levels,
# silently drops deeper content); inline parsing keeps 20 (only "[" nested exactly 21 deep reads as text).
_BLOCK_NESTING = 100
# markdown-it-pyrs matches emphasis in time quadratic in a paragraph's delimiters (25,000 "*a*" in one
# paragraph: 26 s): a body with more "*", "_" and "~" than this is markdown-it-py's (linear).
_FAST_MAX_DELIMITERS = 5000
# ... and link reference definitions in time quadratic in their number (8,000: 4 s).
_FAST_MAX_DEFINITIONS = 300

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "dfn", "div", "dl",
    "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "samp", "section", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "*": {"id", "lang"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class BodyProblem:
    """Why a body is refused: `line` is 1-based inside the body; message and hint are for the editor."""

    line: int
    message: str
    hint: str


class BodyTooComplex(Exception):
    """to_html() of a body that body_problem() refuses."""

    def __init__(self, problem: BodyProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def body_problem(markdown: str) -> BodyProblem | None:
    """The first limit a body exceeds (see the MAX_ constants), or None; linear in the body's length."""
    text = markdown.replace("\r\n", "\n").replace("\r", "\n") if "\r" in markdown else markdown
    return _too_deep(text) or _too_long(text) or _too_deep_html(text) or _too_much_work(text)


def _line(text: str, at: int) -> int:
    return text.count("\n", 0, at) + 1


_SPLIT_HINT = "Podziel treść na kilka stron albo uprość jej strukturę."

# -- nesting of block containers -----------------------------------------------------------------------
# A line whose container prefix could be deeper than MAX_NESTING: each level takes one marker character
# or two columns of indentation (a tab: up to four), so at least (MAX_NESTING + 1) / 2 characters.
_DEEP_CANDIDATE = _LineStart(r"[ \t>+*:~\d.)-]{" + str((MAX_NESTING + 2) // 2) + ",}")
_PREFIX = re.compile(r"(?:[ \t]*(?:>|(?:[-+*:~]|\d{1,9}[.)])(?=[ \t]|$)))+", re.MULTILINE)
_MARKER = re.compile(r"([ \t]*)(>|[-+*:~]|\d{1,9}[.)])")


def _too_deep(text: str) -> BodyProblem | None:
    for start in _DEEP_CANDIDATE.starts(text):
        match = _PREFIX.match(text, start)
        prefix = match.group() if match else ""
        if len(prefix) + 3 * prefix.count("\t") <= MAX_NESTING:
            continue
        end = text.find("\n", start)
        if _nesting(prefix, text[start : end if end >= 0 else len(text)]) > MAX_NESTING:
            return BodyProblem(
                _line(text, start),
                f"Strona zbyt złożona: zagnieżdżenie ponad {MAX_NESTING} poziomów (cytatów lub list).",
                "Zmniejsz zagnieżdżenie: cytaty („>”) i listy w listach. " + _SPLIT_HINT,
            )
    return None


def _nesting(prefix: str, line: str) -> int:
    """An upper bound of the containers a line's prefix opens or continues: one per marker, one per two
    columns of indentation that an enclosing list item may take (not the one space a marker takes)."""
    stop = _thematic_break(line)
    depth = columns = counted = 0
    after_marker = False
    for match in _MARKER.finditer(prefix):
        if match.start(2) >= stop:
            break
        space = match.group(1)
        width = len(space) + 3 * space.count("\t")
        if after_marker and space:
            width -= 1
        columns += width
        depth += 1
        counted = columns
        after_marker = True
        if depth + counted // 2 > MAX_NESTING:
            break  # enough to refuse: it only grows
    return depth + counted // 2


def _thematic_break(line: str) -> int:
    """Where the rest of a line is a thematic break ("- - -", "* * *"), not list markers; else its length."""
    stripped = line.rstrip(" \t")
    if not stripped or stripped[-1] not in "-*_":
        return len(line)
    mark = stripped[-1]
    start = len(stripped.rstrip(mark + " \t"))
    if stripped.count(mark, start) < 3:
        return len(line)
    return stripped.index(mark, start)


# -- length of paragraphs and lines --------------------------------------------------------------------
# Where a paragraph ends: blank lines, or before a line that starts another block (list item, quote,
# heading, fence, HTML) or is a table row (each row is measured alone).
_PARAGRAPH_END = re.compile(r"(\n(?:[ \t]*\n)+|\n(?=[ \t]*(?:[>#<]|[-+*][ \t]|\d{1,9}[.)][ \t]|```|~~~)|[^\n]*\|))")


def _too_long(text: str) -> BodyProblem | None:
    if len(text) <= MAX_BLOCK_CHARS:
        return None
    pieces = _PARAGRAPH_END.split(text)  # paragraphs, and the line breaks between them
    if max(map(len, pieces[::2])) <= MAX_BLOCK_CHARS:
        return None
    at = 0
    for index, piece in enumerate(pieces):
        if index % 2 == 0 and len(piece) > MAX_BLOCK_CHARS:
            return BodyProblem(
                _line(text, at),
                f"Akapit za długi: ponad {MAX_BLOCK_CHARS:,} znaków.".replace(",", "\u00a0"),
                "Podziel akapit pustymi wierszami na krótsze albo przenieś część treści na inną stronę.",
            )
        at += len(piece)
    return None


# -- raw HTML depth --------------------------------------------------------------------------------------
def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Elements as the HTML standard's parser sorts them (html5ever, under nh3, follows it).
_VOID = _names("area base basefont bgsound br col embed frame hr image img input keygen link meta param source "
               "track wbr")
_SPECIAL = _names(
    "address applet area article aside base basefont bgsound blockquote body br button caption center col "
    "colgroup dd details dir div dl dt embed fieldset figcaption figure footer form frame frameset h1 h2 h3 "
    "h4 h5 h6 head header hgroup hr html iframe img input keygen li link listing main marquee menu meta nav "
    "noembed noframes noscript object ol p param plaintext pre script search section select source style "
    "summary table tbody td template textarea tfoot th thead title tr track ul wbr xmp mi mo mn ms mtext "
    "annotation-xml foreignobject desc")
_SCOPE = _names("applet caption html table td th marquee object template mi mo mn ms mtext annotation-xml "
                "foreignobject desc title")
_FORMATTING = _names("a b big code em font i nobr s small strike strong tt u")
_CLOSES_P = _names(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption figure footer "
    "header hgroup main menu nav ol p search section summary ul h1 h2 h3 h4 h5 h6 pre listing form li dd dt "
    "plaintext table xmp")
_HEADINGS = _names("h1 h2 h3 h4 h5 h6")
_TABLE_PARTS = {
    "td": [("td", "th")], "th": [("td", "th")], "tr": [("td", "th"), ("tr",)],
    "tbody": [("td", "th"), ("tr",), ("tbody", "thead", "tfoot")],
}
_TABLE_PARTS["thead"] = _TABLE_PARTS["tfoot"] = _TABLE_PARTS["tbody"]
_HTML_TOKEN = re.compile(r"<!--.*?(?:--!?>|\Z)|<[!?][^>]*>?|<(/?)([A-Za-z][^\s/>]*)([^>]*)>?", re.DOTALL)


class _OpenElements:
    """An estimate, never below the real one, of how many elements the HTML parser has open: the stack
    of open elements with the positions of the elements that stop its scans kept beside it, so that each
    tag costs O(1) amortised; formatting elements closed implicitly are counted as the parser may reopen
    them (at most three alike, as its "Noah's Ark" clause keeps)."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.keys: list[str] = []
        self.at: dict[str, list[int]] = {}  # positions of each name
        # positions of the elements that end a scan from the top: any special one; the scope markers
        # (with <button>, with <ol> and <ul>); the special ones but <address>, <div> and <p> (for <li>)
        # and the table scope's (<html>, <table>, <template>)
        self.stops: dict[str, list[int]] = {"special": [], "scope": [], "button": [], "list": [], "item": [],
                                            "table": []}
        self.ghosts: dict[str, int] = {}
        self.ghost_total = 0

    def depth(self) -> int:
        return len(self.names) + self.ghost_total

    def _top(self, kind: str) -> int:
        stops = self.stops[kind]
        return stops[-1] if stops else -1

    def _last(self, name: str) -> int:
        found = self.at.get(name)
        return found[-1] if found else -1

    def push(self, name: str, key: str) -> None:
        index = len(self.names)
        self.names.append(name)
        self.keys.append(key)
        self.at.setdefault(name, []).append(index)
        if name in _SPECIAL:
            self.stops["special"].append(index)
            if name not in ("address", "div", "p"):
                self.stops["item"].append(index)
        if name in _SCOPE:
            self.stops["scope"].append(index)
        if name in _SCOPE or name == "button":
            self.stops["button"].append(index)
        if name in _SCOPE or name in ("ol", "ul"):
            self.stops["list"].append(index)
        if name in ("html", "table", "template"):
            self.stops["table"].append(index)

    def pop_to(self, index: int) -> None:
        """Pops the elements from the top down to and including the one at `index`."""
        while len(self.names) > index:
            top = len(self.names) - 1
            name, key = self.names.pop(), self.keys.pop()
            self.at[name].pop()
            for stops in self.stops.values():
                if stops and stops[-1] == top:
                    stops.pop()
            if top != index and name in _FORMATTING and self.ghosts.get(key, 0) < 3:
                self.ghosts[key] = self.ghosts.get(key, 0) + 1
                self.ghost_total += 1

    def _close_in_table(self, names: tuple[str, ...]) -> None:
        last = max(map(self._last, names))
        if last > self._top("table"):
            self.pop_to(last)

    def start(self, name: str, key: str) -> None:
        if name in _TABLE_PARTS:  # a cell, row or row group ends the open cell (and row, and row group)
            for names in _TABLE_PARTS[name]:
                self._close_in_table(names)
        if name == "li" or name in ("dd", "dt"):
            top = self._top("item")
            if top >= 0 and (self.names[top] == name or (name != "li" and self.names[top] in ("dd", "dt"))):
                self.pop_to(top)
        if name in _CLOSES_P and self._last("p") > self._top("button"):
            self.pop_to(self._last("p"))
        if name in _HEADINGS and self.names and self.names[-1] in _HEADINGS:
            self.pop_to(len(self.names) - 1)
        if name == "a" and self._last("a") > self._top("special"):
            self.pop_to(self._last("a"))
        self.push(name, key)

    def end(self, name: str) -> None:
        last = max(map(self._last, _HEADINGS)) if name in _HEADINGS else self._last(name)
        if name in _SPECIAL:
            scope = "button" if name == "p" else "list" if name == "li" else "scope"
            if name in ("tr", "tbody", "thead", "tfoot", "table"):
                scope = "table"
            if last >= 0 and last >= self._top(scope):
                self.pop_to(last)
        elif last > self._top("special"):
            self.pop_to(last)
        elif last < 0 and name in _FORMATTING:
            for key, count in self.ghosts.items():
                if count and key.split(" ", 1)[0] == name:
                    self.ghosts[key] -= 1
                    self.ghost_total -= 1
                    break


def _too_deep_html(text: str) -> BodyProblem | None:
    tags = text.count("<")
    if tags > MAX_HTML_DEPTH:
        open_elements = _OpenElements()
        for match in _HTML_TOKEN.finditer(text):
            name = (match.group(2) or "").lower()
            if not name or name in _VOID:
                continue
            if match.group(1):
                open_elements.end(name)
                continue
            open_elements.start(name, name + " " + match.group(3).strip(" \t\n/"))
            if open_elements.depth() > MAX_HTML_DEPTH:
                return BodyProblem(
                    _line(text, match.start()),
                    f"Strona zbyt złożona: znaczniki HTML zagnieżdżone ponad {MAX_HTML_DEPTH} poziomów.",
                    "Zamknij otwarte znaczniki HTML (np. </div>) albo zastąp HTML zwykłym Markdownem.",
                )
    if len(text) * len(text) // 2 <= MAX_INLINE_SCANS:
        return None  # delimiters / 2 × tags: at most a half of the length squared
    if sum(map(text.count, "*_~")) // 2 * text.count("</") <= MAX_INLINE_SCANS:
        return None
    at = 0
    for chunk in re.split(r"(\n[ \t]*\n)", text):
        if sum(map(chunk.count, "*_~")) // 2 * chunk.count("</") > MAX_INLINE_SCANS:
            return BodyProblem(
                _line(text, at),
                "Strona zbyt złożona: akapit ma bardzo dużo znaczników wyróżnienia („*”, „_”, „~”) razem "
                "ze znacznikami zamykającymi HTML.",
                "Podziel akapit pustymi wierszami na krótsze. " + _SPLIT_HINT,
            )
        at += len(chunk)
    return None


# -- total work ------------------------------------------------------------------------------------------
def _work(text: str, end: int) -> int:
    """The estimated work of the first `end` characters (see MAX_WORK)."""
    work = sum(weight * text.count(char, 0, end) for char, weight in _WORK_WEIGHTS.items())
    if "<" in text:
        for block in _HTML_BLOCK.matches(text, end):
            tags = block.count("<"), block.count(">")
            work -= _WORK_WEIGHTS["<"] * tags[0] + _WORK_WEIGHTS[">"] * tags[1]
            work += _HTML_BLOCK_WEIGHT * (tags[0] + tags[1])
    work += _MARKER_WEIGHT * (_MARKERS.length(text, end) // 2) + end // _PLAIN_CHARS_PER_UNIT
    work += _HEADING_WEIGHT * _HEADING.count(text, end)
    return work + _CELL_WEIGHT * _missing_cells(text, end)


# A table's delimiter row, maybe in block quotes or a list item.
_DELIMITER_ROW = _LineStart(r"[ \t>]*(?:\|[ \t]*)?:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+(?:\|[ \t]*)?$")


def _missing_cells(text: str, end: int) -> int:
    """An upper bound of the cells markdown-it-py adds to rows shorter than their table's header: each
    row below a delimiter row up to a blank line, as many as its "|" leave (65,536 at most a table)."""
    if "|" not in text:
        return 0
    missing = seen = 0
    for start, row in _DELIMITER_ROW.found(text, end):
        if start < seen:
            continue  # a row of the table above
        columns = sum(1 for part in row.split("|") if "-" in part)
        added = 0
        at = start + len(row) + 1
        while at < end and added < 0x10000:
            stop = text.find("\n", at, end)
            stop = end if stop < 0 else stop
            line = text[at:stop]
            if not line.strip(" \t>"):
                break
            added += max(0, columns - max(line.count("|") - 1, 1))
            at = stop + 1
        missing += min(added, 0x10000)
        seen = at
    return missing


def _too_much_work(text: str) -> BodyProblem | None:
    bound = len(text) * (_MAX_WEIGHT + _MARKER_WEIGHT + _HEADING_WEIGHT + 1)
    if "|" in text:  # missing cells: at most each delimiter row's columns on every line
        columns = max((row.count("-") for row in _DELIMITER_ROW.matches(text, len(text))), default=0)
        bound += _CELL_WEIGHT * columns * (text.count("\n") + 1)
    if bound <= MAX_WORK:
        return None
    # the work of parts of the body (cut at line breaks, up to 32): where the budget runs out
    step = max(1 << 16, len(text) // 32)
    cuts = [0]
    while cuts[-1] < len(text):
        cut = text.find("\n", cuts[-1] + step)
        cuts.append(len(text) if cut < 0 else cut + 1)
    works = [_work(text[start:end], end - start) for start, end in zip(cuts, cuts[1:], strict=False)]
    # (a table cut in two has its missing cells counted only in the whole)
    if sum(works) <= MAX_WORK and (len(works) == 1 or "|" not in text or _work(text, len(text)) <= MAX_WORK):
        return None
    spent = part = 0
    while part < len(works) - 1 and spent + works[part] <= MAX_WORK:
        spent += works[part]
        part += 1
    piece = text[cuts[part] : cuts[part + 1]]
    low, high = 0, len(piece)  # the shortest beginning of that part past what is left
    while low < high:
        middle = (low + high) // 2
        if spent + _work(piece, middle) > MAX_WORK:
            high = middle
        else:
            low = middle + 1
    return BodyProblem(
        _line(text, cuts[part] + max(0, low - 1)),
        "Strona zbyt złożona: za dużo składni Markdown (nawiasów, gwiazdek, znaczników, wierszy list i "
        "tabel) do przetworzenia na jednej stronie.",
        _SPLIT_HINT,
    )


def heading_id(text: str) -> str:
    """"Załącznik nr 1" → "n-zalacznik-nr-1" (the transliteration of page addresses, and its cache: bodies
    repeat headings, and slugify takes a third of a millisecond)."""
    return "n-" + (slug(text) or "sekcja")


# Options markdown-it-py's rules look up with a default (off) where the preset does not set them: set here to
# the same default, since each lookup of a missing one raises and catches a KeyError (0.8 µs, some 25 times
# per page: a few per cent of the parse). The output does not change.
_OFF = {"alerts": False, "inline_definitions": False, "store_labels": False, "strikethrough_single_tilde": False,
        "tasklists": False, "tasklists_editable": False}


def _configured(nesting: int) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False, "maxNesting": nesting,
                                   **_OFF})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin).use(deflist_plugin)
    # headings get ids for links to a part of a page; the prefix keeps them apart from the theme's ids
    md.core.ruler.push("anchor", _anchors)
    return md


def _anchors(state: StateCore) -> None:
    """Ids of headings up to h4, as mdit-py-plugins' anchors plugin gives them (the text and code of a
    heading, made unique with "-1", "-2", ...), in time linear in the headings (the plugin tries every
    suffix from 1 again for each repeated heading: 25,000 alike take 40 s)."""
    unique = _Unique()
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.tag not in ("h1", "h2", "h3", "h4"):
            continue
        children = tokens[index + 1].children or []
        title = "".join(child.content for child in children if child.type in ("text", "code_inline"))
        token.attrSet("id", unique(heading_id(title)))


class _Unique:
    """`base`, else the first of `base-1`, `base-2`, ... not given yet. A suffix once found taken stays
    taken, so each base's search resumes where it stopped: linear in all."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.next: dict[str, int] = {}

    def __call__(self, base: str) -> str:
        anchor = base
        number = self.next.get(base, 1)
        while anchor in self.used:
            anchor = f"{base}-{number}"
            number += 1
        if anchor != base:
            self.next[base] = number
        self.used.add(anchor)
        return anchor


@cache
def _parser() -> MarkdownIt:
    md = _configured(20)
    blocks = _configured(_BLOCK_NESTING)

    def block(state: StateCore) -> None:
        # blocks are parsed by a twin whose only difference is its maxNesting (read from the parser)
        blocks.block.parse(state.src, blocks, state.env, state.tokens)

    md.core.ruler.at("block", block)
    return md


def _demote_h1(text: str) -> str:
    # the page title is the only h1; headings in the body start at h2
    return re.sub(r"<(/?)h1([ >])", r"<\1h2\2", text)


Rewrite = Callable[[str, int], str]


def _rewrite_links(tokens: list[Token], rewrite: Rewrite, line_offset: int) -> None:
    for token in tokens:
        line = (token.map[0] + 1 + line_offset) if token.map else line_offset
        for child in token.children or []:
            for attr in ("href", "src"):
                value = child.attrGet(attr)
                if isinstance(value, str) and child.type in ("link_open", "image"):
                    child.attrSet(attr, rewrite(value, line))


def heading_ids(markdown: str, known: set[str] | None = None) -> set[str]:
    """The ids a body gives its headings and footnotes (what a link's #fragment may point to); inside
    `remembering`, a body seen before is not parsed again. `known`: the ids, if a render found them.
    A body that body_problem() refuses has none."""
    return recall("ids", lambda: markdown.encode("utf-8", "surrogatepass"),
                  lambda: known if known is not None else _ids_of(markdown), sorted, set)


def _ids_of(markdown: str) -> set[str]:
    if body_problem(markdown) is not None:
        return set()
    scan = _fast_scan(_normalized(markdown))
    if scan is not None:
        return {anchor for _, anchor in scan.ids() if anchor}
    return _heading_ids(markdown, _parser().parse(markdown))


def _heading_ids(markdown: str, tokens: list[Token]) -> set[str]:
    ids: set[str] = set()
    for token in tokens:
        if token.type == "heading_open" and isinstance(token.attrGet("id"), str):
            ids.add(str(token.attrGet("id")))
    count = markdown.count("[^")
    ids.update(f"fn{n}" for n in range(1, count + 1))
    ids.update(f"fnref{n}" for n in range(1, count + 1))
    return ids


def to_html(markdown: str, rewrite: Rewrite | None = None, line_offset: int = 0,
            ids: Callable[[set[str]], object] | None = None) -> str:
    """Safe HTML of a Markdown body; `rewrite(href, line)` maps editors' links to output URLs; `ids` is
    given the body's heading and footnote ids (taken from its parse, not from a second one).
    Raises BodyTooComplex for a body that body_problem() refuses, and nothing for any other."""
    problem = body_problem(markdown)
    if problem is not None:
        raise BodyTooComplex(problem)
    raw = _fast_html(markdown, rewrite, line_offset, ids)
    return sanitize(raw if raw is not None else reference_html(markdown, rewrite, line_offset, ids))


def reference_html(markdown: str, rewrite: Rewrite | None = None, line_offset: int = 0,
                   ids: Callable[[set[str]], object] | None = None) -> str:
    """The HTML of a body as markdown-it-py renders it, before sanitising (the arguments as to_html's)."""
    md = _parser()
    tokens = md.parse(markdown)
    if ids is not None:
        ids(_heading_ids(markdown, tokens))
    if rewrite is not None:
        _rewrite_links(tokens, rewrite, line_offset)
    return md.renderer.render(tokens, md.options, {})


def sanitize(raw: str) -> str:
    clean = nh3.clean(
        _demote_h1(raw),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    return _mark_external(clean)


@cache
def _fast() -> Any:
    # the same syntax as _parser() but footnotes: a body with footnotes is markdown-it-py's (see _reference_only)
    return markdown_it_pyrs.MarkdownIt("commonmark").enable_many(["table", "strikethrough", "deflist"])


def _rust(call: Callable[[str], Any], markdown: str) -> Any:
    """markdown-it-pyrs's answer, or None where it panics (pyo3's PanicException is a BaseException)."""
    try:
        return call(markdown)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 - any failure of the fast path falls back to the reference
        return None


# Text where markdown-it-pyrs is known to differ from markdown-it-py, found by the spec examples, fixtures
# and fuzzing (tests/test_markdown_spec.py, tests/test_fuzz.py):
# - whitespace beyond ASCII's (a no-break space, an em space, ...): markdown-it-py strips it from the ends of
#   paragraphs, headings and table cells and folds it in link labels (Python's str.strip and \s), which
#   markdown-it-pyrs (as CommonMark says) does not;
_UNICODE_SPACE = re.compile(
    "[" + "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c not in " \t\n\r") + "]"
)
#   the same whitespace written as an entity ("&nbsp;") in a link's destination or title, where
#   markdown-it-py strips it;
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_LINK_WITH_ENTITY = re.compile(r"\]\([^)\n]{0,1000}&|\]:[^\n]{0,1000}&")
# - "<" and a tag name with a letter beyond ASCII ("<ſcript>"), which it case-folds into a block's name;
_ODD_TAG = re.compile(r"</?[A-Za-z0-9-]*[^\x00-\x7f]")
# - a tab in a line's indentation or container markers, which it expands otherwise inside list items;
_TAB = _LineStart(r"[ >*+\-\d.):~]*\t")
# - a line after a block quote's line that is not a quote's (a lazy continuation, or a list item that
#   markdown-it-py lets end the quote);
_QUOTE_LINE = _LineStart(r"[ \t]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)*>")
_QUOTE_PREFIX = re.compile(r"(?:[ \t]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)*>)+")
_LAZY_AFTER_QUOTE = _LineStart(r"[ \t]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)*>[^\n]*\n(?![ \t]*(?:>|\n|$))")
# - a table whose delimiter row has no "|", or whose header starts another block;
_PIPELESS_DELIMITER = re.compile(r"\|[^|\n]*\n[ \t]*:?-+:?[ \t]*$", re.MULTILINE)
_HEADER_STARTS_BLOCK = _LineStart(r" {0,3}(?:[-+*>#<_=~:`]|\d{1,9}[.)])[^\n]*\|[^|\n]*\n[ \t]*[|:-][|: \t-]*$")
# - a definition's line and a setext underline: markdown-it-py reads a heading where markdown-it-pyrs reads
#   a definition list; definitions beside a nested list or a quote, whose lines each reads otherwise;
_DEFINITION = _LineStart(r"[ \t>]*[:~][ \t]")
_LIST_OR_QUOTE = _LineStart(r"[ \t>]*[:~][ \t]+(?:[-+*>]|\d{1,9}[.)])|[ \t]+(?:[-+*>]|\d{1,9}[.)])(?:[ \t]|$)|[ \t]*>")
_UNDERLINE = _LineStart(r"[ \t>]*(?:=+|-+)[ \t]*$")
# - a run of three or more "~" after other text, which it splits into strikethrough delimiters otherwise;
_TILDES = re.compile(r"\S~~~")
# - an emphasis delimiter next to a symbol (Sc, Sk, Sm, So: "€", "°"), punctuation to markdown-it-py
#   (CommonMark 0.31) and not to markdown-it-pyrs, which changes what "*" may open or close.
_DELIMITERS = re.compile(r"[*_~]+")


def _reference_only(markdown: str) -> bool:
    """Cheap text checks: True where the body must be markdown-it-py's."""
    if "[^" in markdown or "^[" in markdown:  # footnotes: the two number them differently
        return True
    if sum(map(markdown.count, "*_~")) > _FAST_MAX_DELIMITERS or markdown.count("]:") > _FAST_MAX_DEFINITIONS:
        return True
    if _UNICODE_SPACE.search(markdown) or ("<" in markdown and _ODD_TAG.search(markdown)):
        return True
    if "&" in markdown and _LINK_WITH_ENTITY.search(markdown) and any(
        _UNICODE_SPACE.search(html.unescape(entity.group())) for entity in _ENTITY.finditer(markdown)
    ):
        return True
    if _odd_comment(markdown) or _code_span_panic(markdown) or ("\t" in markdown and _TAB.search(markdown)):
        return True
    if ">" in markdown and (_LAZY_AFTER_QUOTE.search(markdown) or _lazy_in_quote(markdown)):
        return True
    if "|" in markdown and (_PIPELESS_DELIMITER.search(markdown) or _HEADER_STARTS_BLOCK.search(markdown)):
        return True
    if _DEFINITION.search(markdown) and (_UNDERLINE.search(markdown) or _LIST_OR_QUOTE.search(markdown)):
        return True
    if "~~~" in markdown and _TILDES.search(markdown):
        return True
    if "]:" in markdown and _label_across_lines(markdown):
        return True
    return _symbol_beside_delimiter(markdown) or _deep_brackets(markdown)


def _label_across_lines(markdown: str) -> bool:
    """A reference definition's label over more than one line, which markdown-it-pyrs reads where a list
    item ends it for markdown-it-py (at most _FAST_MAX_DEFINITIONS of them reach here, 999 characters each)."""
    at = markdown.find("]:")
    while at >= 0:
        start = markdown.rfind("[", max(0, at - 1000), at)
        if start >= 0 and "\n" in markdown[start:at]:
            return True
        at = markdown.find("]:", at + 2)
    return False


def _lazy_in_quote(markdown: str) -> bool:
    """A line with fewer quote markers than the quote line before it (a lazy continuation of the inner
    quote, or what ends it)."""
    if not _QUOTE_LINE.search(markdown):
        return False
    before = 0
    for line in markdown.split("\n"):
        marks = _QUOTE_PREFIX.match(line)
        quotes = marks.group().count(">") if marks else 0
        rest = line[marks.end() if marks else 0 :]
        if quotes < before and rest.strip(" \t"):
            return True
        before = quotes if rest.strip(" \t") else 0
    return False


def _symbol_beside_delimiter(markdown: str) -> bool:
    for run in _DELIMITERS.finditer(markdown):
        start, end = run.span()
        for char in (markdown[start - 1] if start else "", markdown[end] if end < len(markdown) else ""):
            if char > "\x7f" and unicodedata.category(char)[0] == "S":
                return True
    return False


_BLANK_LINE = re.compile(r"(?:\r\n?|\n)[ \t]*(?:\r\n?|\n)")


def _odd_comment(markdown: str) -> bool:
    """"<!" other than a plain comment: markdown-it-pyrs ends comments at "--" or "<!-->" and a comment
    block in a list item at a blank line, and reads declarations and CDATA otherwise."""
    at = markdown.find("<!")
    while at >= 0:
        if not markdown.startswith("<!--", at):
            return True
        end = markdown.find("-->", at + 4)
        if end < 0:
            return True
        text = markdown[at + 4 : end]
        if text.startswith((">", "->")) or text.endswith("-") or "--" in text or "<!" in text or (
            _BLANK_LINE.search(text)
        ):
            return True
        at = markdown.find("<!", end + 3)
    return False


_LINES = re.compile(r"\r\n?|\n")
_QUOTE_MARKS = re.compile(r"^(?:[ \t]*>)+")
_FENCE = re.compile(r" {0,3}(?:`{3,}[^`]*|~{3,}.*)")
_BACKTICKS = re.compile(r"`+")


def _code_span_panic(markdown: str) -> bool:
    """Where markdown-it-pyrs may panic: a "[" (whose label it scans) with a backtick string that opens no
    code span in its line, or a line where a backtick string's meaning may depend on more than its line
    (an escape before it; "<" or ">" of raw HTML, a comment or an autolink, which may span lines; a table
    cell). Fence lines are not inline text."""
    if "`" not in markdown or "[" not in markdown:
        return False
    for line in _LINES.split(markdown):
        if "`" not in line:
            continue
        line = _QUOTE_MARKS.sub("", line, count=1)
        if _FENCE.fullmatch(line):
            continue
        if "\\`" in line or "<" in line or ">" in line or "|" in line:
            return True
        runs = [len(run) for run in _BACKTICKS.findall(line)]
        closers: dict[int, int] = {}
        after = [0] * len(runs)  # the next string of the same length, or 0
        for index in range(len(runs) - 1, -1, -1):
            after[index] = closers.get(runs[index], 0)
            closers[runs[index]] = index
        index = 0
        while index < len(runs):
            if not after[index]:
                return True
            index = after[index] + 1
    return False


_BRACKET = re.compile(r"\\.|[\[\]]", re.DOTALL)


def _deep_brackets(markdown: str) -> bool:
    """"[" nested 20 deep: markdown-it-py's inline maxNesting (20) reads the label as text, markdown-it-pyrs
    (100) does not."""
    if markdown.count("[") < 20:
        return False
    depth = 0
    for match in _BRACKET.finditer(markdown):
        if match.group() == "[":
            depth += 1
            if depth >= 20:
                return True
        elif match.group() == "]" and depth:
            depth -= 1
    return False


# Raw HTML that would put a link, image or heading into the HTML beside those of the syntax tree.
_RAW_MARKUP = re.compile(r"<\s*/?\s*(?:a|img|h[1-6])(?![\w-])", re.IGNORECASE)
# A link's or image's start as markdown-it writes it (its URL escaped), or a heading's.
_MARKUP = re.compile(r'<(?:a href|img src)="([^"]*)"|<h([1-6])>')
_INLINE = frozenset({"text", "text_special", "em", "strong", "strikethrough", "link", "image", "autolink",
                     "code_inline", "html_inline", "softbreak", "hardbreak"})
# The host of a URL that markdown-it-py parses for one (and encodes with punycode, or keeps in brackets
# for IPv6), and markdown-it-pyrs percent-encodes.
_HOST = re.compile(r"(?:(?:https?|mailto):)?(?://)?([^/?#]*)", re.IGNORECASE)
_HOSTED = re.compile(r"(?:https?:|mailto:|//)", re.IGNORECASE)
# A table row that markdown-it-py reads as the start of another block (a list item, quote, heading, fence,
# thematic break, HTML, definition) or as indented code, and so as the table's end.
_CHECKED_BLOCKS = frozenset({"html_block", "fence", "code_block", "table"})
# blocks that follow a tight list item's or definition's text on a new line in markdown-it-pyrs's HTML
_AFTER_TIGHT_TEXT = frozenset({"fence", "code_block", "html_block", "heading", "lheading"})
# nodes whose children (if any) hold no link, heading or node to check
_LEAVES = frozenset({"text", "text_special", "softbreak", "hardbreak", "fence", "code_block", "hr", "definition"})
_ROW_ENDS_TABLE = re.compile(rb"\n(?: {0,3}(?:[-+*>#<_:~`]|\d{1,9}[.)])| {4}|\t)")
_ROW_WITHOUT_PIPE = re.compile(rb"\n[^|\n]*(?:\n|$)")
_QUOTES = re.compile(rb"^(?:[ \t]*>)*")
_ALIGN = re.compile(r"^:?-+:?$")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def _table_columns(header: str, delimiter: str) -> int | None:
    """The number of columns markdown-it-py's table rule finds in a header and a delimiter row, or None
    where it finds no table (its checks, in its order)."""
    delimiter = delimiter.strip(" \t")
    if not delimiter or delimiter[0] not in "|-:" or len(delimiter) < 2:
        return None
    if delimiter[0] == "-" and delimiter[1] in " \t" or delimiter.strip("|-: \t"):
        return None
    aligns = 0
    parts = delimiter.split("|")
    for index, part in enumerate(parts):
        part = part.strip(" \t")
        if not part:
            if index in (0, len(parts) - 1):
                continue
            return None
        if not _ALIGN.match(part):
            return None
        aligns += 1
    header = header.strip(" \t")
    if "|" not in header:
        return None
    cells = _UNESCAPED_PIPE.split(header)  # as markdown-it-py's escapedSplit: "\\|" is no separator
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return len(cells) if cells and len(cells) == aligns else None


class _Scan:
    """The headings (level, text) and links (URL, line) of a markdown-it-pyrs syntax tree in the order its
    HTML has them; `raw`: raw HTML that holds a link, image or heading was seen; `odd`: a node where
    markdown-it-pyrs's HTML may not be markdown-it-py's."""

    def __init__(self, tree: Any, markdown: str) -> None:
        self.encoded = markdown.encode("utf-8")  # the tree's offsets are in UTF-8 bytes
        self.headings: list[tuple[int, str]] = []
        self.links: list[tuple[str, int]] = []
        self.raw = False
        self.odd = False
        self._breaks: list[int] | None = None
        self._walk(tree)

    def _line(self, offset: int) -> int:
        """The 1-based line of a byte offset: the line breaks before it, found by bisection (linear in all)."""
        if self._breaks is None:
            self._breaks = [m.start() for m in re.finditer(b"\n", self.encoded)]
        return bisect_left(self._breaks, offset) + 1

    def _odd_block(self, node: Any) -> bool:
        """A block that markdown-it-pyrs writes otherwise: code or raw HTML at the end of a body with no final
        line break (it adds one); a table that markdown-it-py reads otherwise (_odd_table)."""
        if node.srcmap is None:
            return True
        if node.name == "table":
            return self._odd_table(node)
        return node.srcmap[1] >= len(self.encoded) and not self.encoded.endswith(b"\n")

    def _row(self, offset: int, whole: bool = False) -> bytes:
        """The rest of the line from `offset` (from the line's start if `whole`)."""
        start = self.encoded.rfind(b"\n", 0, offset) + 1 if whole else offset
        end = self.encoded.find(b"\n", offset)
        return self.encoded[start : end if end >= 0 else len(self.encoded)]

    def _odd_table(self, node: Any) -> bool:
        """A table unless markdown-it-py finds the same columns in its header and delimiter rows, every body
        row has a "|" and starts no other block, and it fills in fewer than 65,536 missing cells (where
        markdown-it-py ends a table)."""
        rows = [row for part in node.children for row in part.children]
        if not rows or any(row.srcmap is None for row in rows):
            return True
        header = self._row(rows[0].srcmap[0])
        next_line = self.encoded.find(b"\n", rows[0].srcmap[0])
        if next_line < 0:
            return True
        delimiter = _QUOTES.sub(b"", self._row(next_line + 1, whole=True), count=1)
        count = _table_columns(header.decode("utf-8"), delimiter.decode("utf-8"))
        if count is None or count != len(rows[0].children):
            return True
        if len(rows) == 1:
            return False
        body = self.encoded[self.encoded.rfind(b"\n", 0, rows[1].srcmap[0]) : node.srcmap[1]].rstrip(b"\n")
        if _ROW_WITHOUT_PIPE.search(body) or _ROW_ENDS_TABLE.search(body):
            return True
        if (len(rows) - 1) * count < 0x10000:
            return False
        missing = sum(max(0, count - line.count(b"|") + 1) for line in body[1:].split(b"\n"))
        return missing >= 0x10000

    def _walk(self, tree: Any) -> None:
        """Depth first, in document order, with an explicit stack: a tree's depth is the input's to choose.
        Each entry: the children still to see; the byte offset where the block holding their inline content
        starts (a link's line is that block's, as markdown-it-py's token map gives it); whether they are a
        tight list item's or a definition's, whose text has no paragraph node: each run of inline children
        there is a paragraph that starts where its first child does (not always the item's first line:
        "-" alone, then the text; text after a nested list; a definition after its term)."""
        stack: list[list[Any]] = [[iter(tree.children), 0, False]]
        while stack:
            entry = stack[-1]
            for child in entry[0]:  # the siblings in a loop of their own, until one to descend into
                name = child.name
                if name == "text" or name == "softbreak":
                    if entry[2] and entry[1] is None and child.srcmap is not None:
                        entry[1] = child.srcmap[0]
                    continue  # the commonest nodes: nothing more to see
                if entry[2]:
                    if name not in _INLINE:
                        if entry[1] is not None and name in _AFTER_TIGHT_TEXT:
                            self.odd = True  # written after a line break that markdown-it-py leaves out
                        entry[1] = None
                    elif entry[1] is None and child.srcmap is not None:
                        entry[1] = child.srcmap[0]
                block = entry[1] if entry[1] is not None else 0
                if name in _CHECKED_BLOCKS and self._odd_block(child):
                    self.odd = True
                if name == "html_block" or name == "html_inline":
                    self.raw = self.raw or bool(_RAW_MARKUP.search(child.meta.get("content", "")))
                    continue
                if name == "link" or name == "image" or name == "autolink":
                    url = child.meta["url"]
                    self.links.append((url, self._line(block)))
                    self.odd = self.odd or _odd_url(url, child)
                    if name == "image":
                        # its text is the alt attribute: markdown-it-pyrs keeps plain text only
                        self.odd = self.odd or any(part.name != "text" for part in child.children)
                        continue
                elif name == "heading" or name == "lheading":
                    self.headings.append((child.meta["level"], _title(child)))
                elif name == "blockquote" and all(part.name == "definition" for part in child.children):
                    self.odd = True  # "<blockquote>\n</blockquote>" where markdown-it-py writes "<blockquote></blockquote>"
                elif name == "definition" and "\\\n" in child.meta.get("title", ""):
                    self.odd = True  # a title with a backslash at a line's end: markdown-it-pyrs ends it early
                elif name == "code_inline":
                    # a code span of spaces only: markdown-it-pyrs strips one from each end
                    self.odd = self.odd or all(not part.meta.get("content", "").strip(" ") for part in child.children)
                if name in _LEAVES:
                    continue
                container = name == "list_item" or name == "definition_description"
                within = block if name in _INLINE or child.srcmap is None else child.srcmap[0]
                stack.append([iter(child.children), None if container else within, container])
                break
            else:
                stack.pop()

    def ids(self) -> list[tuple[int, str | None]]:
        """Each heading's level and id as markdown-it-py's anchors plugin gives them (up to h4, unique)."""
        unique = _Unique()
        return [(level, unique(heading_id(title)) if level <= 4 else None) for level, title in self.headings]


def _odd_url(url: str, node: Any) -> bool:
    """A URL whose host markdown-it-py rewrites (punycode, IPv6 brackets) where markdown-it-pyrs
    percent-encodes it, or an autolink whose text markdown-it-py decodes (%XX) or rewrites."""
    if node.name == "autolink" and any("%" in part.meta.get("content", "") for part in node.children):
        return True
    if not _HOSTED.match(url):
        return False
    host = _HOST.match(url)
    return host is not None and ("%" in host.group(1) or "xn--" in host.group(1).lower())


def _title(node: Any) -> str:
    """A heading's text as the anchors plugin takes it: text, entities, escapes and code; no image's alt.
    Iterative, in document order."""
    parts: list[str] = []
    stack = [iter(node.children)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.name == "text" or child.name == "text_special":
            parts.append(child.meta.get("content", ""))
        elif child.name != "image":
            stack.append(iter(child.children))
    return "".join(parts)


def _normalized(markdown: str) -> str:
    """The text as markdown-it-py's first rule leaves it: line breaks \\n, NUL as U+FFFD."""
    if "\r" in markdown:
        markdown = markdown.replace("\r\n", "\n").replace("\r", "\n")
    return markdown.replace("\0", "\ufffd") if "\0" in markdown else markdown


def _fast_scan(markdown: str) -> _Scan | None:
    """The scan of markdown-it-pyrs's syntax tree of a (normalised) body, or None where its HTML may not be
    the reference's (see _reference_only and _Scan)."""
    if _reference_only(markdown):
        return None
    tree = _rust(_fast().tree, markdown)
    if tree is None:
        return None
    try:
        scan = _Scan(tree, markdown)
    except UnicodeError:  # a lone surrogate: not UTF-8
        return None
    return None if scan.raw or scan.odd else scan


def fast_html(markdown: str, rewrite: Rewrite | None = None, line_offset: int = 0,
              ids: Callable[[set[str]], object] | None = None) -> str | None:
    """markdown-it-pyrs's HTML of a body with heading ids and rewritten links, before sanitising, or None
    where it may not be reference_html()'s (or the body is beyond body_problem()'s limits)."""
    if body_problem(markdown) is not None:
        return None
    return _fast_html(markdown, rewrite, line_offset, ids)


@dataclass(frozen=True)
class _Fast:
    """markdown-it-pyrs's HTML of a body, its scan, where the HTML has each heading and link (`found`, in
    order; `heads` and `links` of them), and each heading's level and id as the scan gives them."""

    scan: _Scan
    raw: str
    found: list[re.Match[str]]
    heads: list[re.Match[str]]
    links: list[re.Match[str]]
    headings: list[tuple[int, str | None]]


_FAST: dict[str, _Fast | None] = {}  # by body: a unit's validate step's link scan and its render share one parse
_FAST_CHARS = 1 << 24  # the bodies kept at most (characters): past that, the cache starts again
_fast_kept = [0]


def forget_parses() -> None:
    """Drop the kept parses (a unit's: the next unit's bodies are others)."""
    _FAST.clear()
    _fast_kept[0] = 0


def _fast_parts(markdown: str) -> _Fast | None:
    """_Fast of a body, or None where markdown-it-pyrs's HTML may not be markdown-it-py's."""
    if markdown in _FAST:
        return _FAST[markdown]
    parts = _fast_parts_of(_normalized(markdown))
    if _fast_kept[0] + len(markdown) > _FAST_CHARS:
        _FAST.clear()
        _fast_kept[0] = 0
    _FAST[markdown] = parts
    _fast_kept[0] += len(markdown)
    return parts


def _fast_parts_of(markdown: str) -> _Fast | None:
    scan = _fast_scan(markdown)
    if scan is None:
        return None
    raw = _rust(_fast().render, markdown)
    if not isinstance(raw, str):
        return None
    found = list(_MARKUP.finditer(raw))
    heads = [m for m in found if m.group(2)]
    links = [m for m in found if not m.group(2)]
    headings = scan.ids()
    if len(heads) != len(headings) or len(links) != len(scan.links):
        return None
    if any(int(m.group(2)) != level for m, (level, _) in zip(heads, headings, strict=True)):
        return None
    if any(html.unescape(m.group(1)) != url for m, (url, _) in zip(links, scan.links, strict=True)):
        return None
    return _Fast(scan, raw, found, heads, links, headings)


def link_targets(markdown: str) -> list[str] | None:
    """Every link's and image's URL in a body's HTML (as its href or src reads unescaped), when the body
    takes the fast path, whose raw HTML holds no link; None otherwise. Raises BodyTooComplex as to_html."""
    problem = body_problem(markdown)
    if problem is not None:
        raise BodyTooComplex(problem)
    parts = _fast_parts(markdown)
    return None if parts is None else sorted({url for url, _ in parts.scan.links})


def _fast_html(markdown: str, rewrite: Rewrite | None, line_offset: int,
               ids: Callable[[set[str]], object] | None) -> str | None:
    parts = _fast_parts(markdown)
    if parts is None:
        return None
    raw, found, headings = parts.raw, parts.found, parts.headings
    if ids is not None:
        ids({anchor for _, anchor in headings if anchor})
    replaced: dict[int, str] = {}
    for m, (level, anchor) in zip(parts.heads, headings, strict=True):
        if anchor is not None:
            replaced[m.start()] = f'<h{level} id="{escapeHtml(anchor)}">'
    if rewrite is not None:
        for m, (url, line) in zip(parts.links, parts.scan.links, strict=True):
            new = rewrite(url, line + line_offset)
            if new != url:
                head = m.group(0)
                replaced[m.start()] = head[: m.start(1) - m.start()] + escapeHtml(new) + '"'
    if not replaced:
        return raw
    pieces: list[str] = []
    at = 0
    for m in found:
        if m.start() in replaced:
            pieces += (raw[at : m.start()], replaced[m.start()])
            at = m.end()
    pieces.append(raw[at:])
    return "".join(pieces)


# An <a> start tag as nh3 writes it: attribute values always in double quotes, `"` inside escaped.
_A_START = re.compile(r'<a((?:\s+[^\s"=>]+(?:="[^"]*")?)*)\s*>')
_EXTERNAL_HREF = re.compile(r'\shref="(?:https?:)?//', re.IGNORECASE)


def _mark_external(text: str) -> str:
    """External links open with no access to our page and no referrer.

    nh3 drops any `rel` an editor wrote, so each external link gets exactly ours, whatever the order
    of its attributes or the case of its scheme.
    """

    def mark(match: re.Match[str]) -> str:
        attributes = match.group(1)
        if _EXTERNAL_HREF.search(attributes):
            return f'<a{attributes} rel="noopener noreferrer">'
        return match.group(0)

    return _A_START.sub(mark, text)


def to_text(html_text: str) -> str:
    """Plain text of sanitised HTML, for search and feeds."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", html_text))).strip()
