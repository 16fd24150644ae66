"""The text of a rendered body as a reader sees it, block by block: headings, paragraphs, list items,
table cells (with their row and column), quotes, definitions, footnotes.

Read from the sanitised HTML, so a diff compares what a citizen reads, not the Markdown that made it. nh3
writes every end tag (a stack of open elements is exact), every attribute value in double quotes and every
"<" of text as "&lt;", so a regular expression splits it into tags and text (several times faster than
html.parser).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

# the kinds of block, in the accusative ("Zmieniono akapit", "Dodano komórkę tabeli")
KINDS = {
    "heading": "nagłówek", "paragraph": "akapit", "item": "punkt listy", "cell": "komórkę tabeli",
    "caption": "tytuł tabeli", "quote": "cytat", "term": "termin", "definition": "definicję",
    "code": "tekst preformatowany", "footnote": "przypis", "summary": "tytuł rozwijanej części",
    "figcaption": "podpis", "source": "fragment tekstu źródłowego",
}
_OWN_KIND = {
    "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading", "h6": "heading",
    "li": "item", "footnote": "footnote", "td": "cell", "th": "cell", "caption": "caption", "blockquote": "quote",
    "dt": "term", "dd": "definition", "pre": "code", "summary": "summary", "figcaption": "figcaption",
}
_BLOCK = set(_OWN_KIND) | {
    "p", "div", "section", "details", "figure", "table", "thead", "tbody", "tfoot", "tr", "ul", "ol", "dl", "hr",
}
_VOID = {"hr", "br", "img", "wbr"}
_NAME_CHARS = 60
_PIECE = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"=>/]+(?:="[^"]*")?)*)\s*/?>|[^<]+|<')
_ATTRIBUTE = re.compile(r'([^\s"=>/]+)(?:="([^"]*)")?')
_READ_ATTRIBUTES = {"a", "li", "td", "th"}


@dataclass
class Block:
    kind: str  # a key of KINDS
    text: str  # whitespace collapsed
    where: str = ""  # for a table cell: "wiersz 2 „Dochody”, kolumna „Kwota”"
    section: str = ""  # the heading the block is under, if any

    @property
    def key(self) -> str:
        return self.kind + "\0" + self.text


@dataclass
class _Cell:
    block: Block
    table: int
    row: int  # 0 for a header row, else 1-based among the body rows
    column: int
    row_index: int  # in the table's rows


@dataclass
class _Table:
    number: int
    rows: list[list[tuple[int, str]]] = field(default_factory=list)  # per row: (column, text) of its cells
    header: dict[int, str] = field(default_factory=dict)  # column → header text
    body_rows: int = 0
    column: int = 0  # the last column of the cells so far in the row
    cell_column: int = 0  # the first column of the current cell
    in_head: bool = False
    row_is_header: bool = False


class _Reader:
    def __init__(self) -> None:
        self.open: list[str] = []  # open block elements ("footnote" for a footnote's <li>)
        self.text: list[str] = []
        self.blocks: list[Block] = []
        self.cells: list[_Cell] = []
        self.tables: list[_Table] = []
        self.table_count = 0
        self.all_tables: dict[int, _Table] = {}
        self.skipping = False  # inside a footnote's link back to its reference
        self.section = ""  # the last heading

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "br":
            self.text.append(" ")
        elif tag == "a" and attrs.get("href", "").startswith("#fnref"):
            self.skipping = True
        if tag not in _BLOCK:
            return
        self._flush()
        if tag in _VOID:
            return
        if tag == "li" and attrs.get("id", "").startswith("fn"):
            tag = "footnote"
        self.open.append(tag)
        if tag == "table":
            self.table_count += 1
            self.tables.append(_Table(self.table_count))
            self.all_tables[self.table_count] = self.tables[-1]
        elif self.tables and tag == "thead":
            self.tables[-1].in_head = True
        elif self.tables and tag == "tr":
            table = self.tables[-1]
            table.rows.append([])
            table.column = 0
            table.row_is_header = table.in_head
            if not table.in_head:
                table.body_rows += 1
        elif self.tables and tag in ("td", "th"):
            table = self.tables[-1]
            table.cell_column = table.column + 1  # a cell spanning columns is named by its first
            span = attrs.get("colspan", "1")
            table.column += int(span) if span.isdigit() and 0 < int(span) < 1000 else 1

    def feed(self, html: str) -> None:
        for piece in _PIECE.finditer(html):
            tag = piece.group(2)
            if tag is None:
                if not self.skipping:
                    self.text.append(unescape(piece.group()))
            elif piece.group(1):
                self.end(tag.lower())
            else:
                tag = tag.lower()
                attrs = ({name: unescape(value) for name, value in _ATTRIBUTE.findall(piece.group(3))}
                         if tag in _READ_ATTRIBUTES and piece.group(3) else {})
                self.start(tag, attrs)

    def end(self, tag: str) -> None:
        if tag == "a":
            self.skipping = False
        if tag not in _BLOCK or tag in _VOID:
            return
        self._flush()
        names = ("li", "footnote") if tag == "li" else (tag,)
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth] in names:
                del self.open[depth:]
                break
        if self.tables and tag == "table":
            self.tables.pop()
        elif self.tables and tag == "thead":
            self.tables[-1].in_head = False

    def _flush(self) -> None:
        if not self.text:
            return
        text = " ".join("".join(self.text).split())
        self.text = []
        if not text:
            return
        kind = next((_OWN_KIND[tag] for tag in reversed(self.open) if tag in _OWN_KIND), "paragraph")
        block = Block(kind, text, section=self.section if kind != "heading" else "")
        self.blocks.append(block)
        if kind == "heading":
            self.section = text
        if kind == "cell" and self.tables:
            table = self.tables[-1]
            row = 0 if table.row_is_header else table.body_rows
            self.cells.append(_Cell(block, table.number, row, table.cell_column, len(table.rows) - 1))
            if table.rows:
                table.rows[-1].append((table.cell_column, text))
            if table.row_is_header:
                table.header[table.cell_column] = text


def html_blocks(html: str) -> list[Block]:
    """The blocks of a sanitised body's HTML, in reading order, table cells labelled with row and column."""
    reader = _Reader()
    reader.feed(html)
    reader._flush()
    several = reader.table_count > 1
    for cell in reader.cells:
        table = reader.all_tables[cell.table]
        parts = [f"tabela {cell.table}"] if several else []
        column_name = table.header.get(cell.column, "")
        if cell.row == 0:
            parts.append(f"wiersz nagłówka, kolumna {cell.column}")
        else:
            row = table.rows[cell.row_index] if cell.row_index >= 0 else []
            first = next((text for column, text in row if column == 1), "")
            named = f" {quoted(first)}" if first and cell.column != 1 else ""
            parts.append(f"wiersz {cell.row}{named}, kolumna {quoted(column_name) if column_name else cell.column}")
        cell.block.where = ", ".join(parts)
    return reader.blocks


def quoted(text: str) -> str:
    return "„" + (text if len(text) <= _NAME_CHARS else text[: _NAME_CHARS - 1].rstrip() + "…") + "”"


def source_blocks(markdown: str) -> list[Block]:
    """A body shown as its source text: its paragraphs (text between blank lines)."""
    return [Block("source", part.strip("\n")) for part in re.split(r"\n[ \t]*\n", markdown) if part.strip()]
