"""Markdown to safe HTML: markdown-it (CommonMark + tables, footnotes, definition lists) then nh3.

Editors may write raw HTML; whatever they write, the sanitiser keeps only harmless markup:
no scripts, no event handlers, no `javascript:` links, no inline styles.

A body is parsed by markdown-it-pyrs (the Rust port of markdown-it: its syntax tree and HTML of a body
take a sixth of the time of markdown-it-py's parse), which renders what markdown-it-py renders but has no
heading ids and no way to change a link before rendering: its headings get their ids and its links their
output URLs in the HTML it writes, matched one to one with the headings and links of its syntax tree.
Where that could differ from markdown-it-py, the reference, the body is rendered by markdown-it-py
instead: footnotes (the two number them differently), whitespace beyond ASCII's (markdown-it-py strips it
where markdown-it-pyrs keeps it), raw HTML holding links, images or headings, text that is not valid
UTF-8, any mismatch of the two lists. A test renders every sample and demo body both ways.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import cache
from typing import Any

import markdown_it_pyrs
import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from bip.load.paths import slug
from bip.load.remembered import recall

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


def heading_id(text: str) -> str:
    """"Załącznik nr 1" → "n-zalacznik-nr-1" (the transliteration of page addresses, and its cache: bodies
    repeat headings, and slugify takes a third of a millisecond)."""
    return "n-" + (slug(text) or "sekcja")


# Options markdown-it-py's rules look up with a default (off) where the preset does not set them: set here to
# the same default, since each lookup of a missing one raises and catches a KeyError (0.8 µs, some 25 times
# per page: a few per cent of the parse). The output does not change.
_OFF = {"alerts": False, "inline_definitions": False, "store_labels": False, "strikethrough_single_tilde": False,
        "tasklists": False, "tasklists_editable": False}


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False, **_OFF})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin).use(deflist_plugin)
    # headings get ids for links to a part of a page; the prefix keeps them apart from the theme's ids
    md.use(anchors_plugin, min_level=1, max_level=4, slug_func=heading_id)
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
    `remembering`, a body seen before is not parsed again. `known`: the ids, if a render found them."""
    return recall("ids", lambda: markdown.encode("utf-8", "surrogatepass"),
                  lambda: known if known is not None else _ids_of(markdown), sorted, set)


def _ids_of(markdown: str) -> set[str]:
    if not _has_footnotes(markdown):
        try:
            return {anchor for _, anchor in _Scan(_fast().tree(markdown), markdown).ids() if anchor}
        except UnicodeError:
            pass
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
    given the body's heading and footnote ids (taken from its parse, not from a second one)."""
    raw = fast_html(markdown, rewrite, line_offset, ids)
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
    # the same syntax as _parser() but footnotes: a body with footnotes is markdown-it-py's (see _has_footnotes)
    return markdown_it_pyrs.MarkdownIt("commonmark").enable_many(["table", "strikethrough", "deflist"])


def _has_footnotes(markdown: str) -> bool:
    return "[^" in markdown or "^[" in markdown  # a reference or definition, an inline footnote


# Whitespace beyond ASCII's (a no-break space, an em space, ...): markdown-it-py strips it from the ends of
# paragraphs, headings and table cells and folds it in link labels (Python's str.strip and \s), which
# markdown-it-pyrs (as CommonMark says) does not.
_UNICODE_SPACE = re.compile(
    "[" + "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c not in " \t\n\r") + "]"
)


# Raw HTML that would put a link, image or heading into the HTML beside those of the syntax tree.
_RAW_MARKUP = re.compile(r"<\s*/?\s*(?:a|img|h[1-6])(?![\w-])", re.IGNORECASE)
# A link's or image's start as markdown-it writes it (its URL escaped), or a heading's.
_MARKUP = re.compile(r'<(?:a href|img src)="([^"]*)"|<h([1-6])>')
_INLINE = frozenset({"text", "text_special", "em", "strong", "strikethrough", "link", "image", "autolink",
                     "code_inline", "html_inline", "softbreak", "hardbreak"})


class _Scan:
    """The headings (level, text) and links (URL, line) of a markdown-it-pyrs syntax tree in the order its
    HTML has them; `raw`: raw HTML that holds a link, image or heading was seen."""

    def __init__(self, tree: Any, markdown: str, line_offset: int = 0) -> None:
        self.encoded = markdown.encode("utf-8")  # the tree's offsets are in UTF-8 bytes
        self.line_offset = line_offset
        self.headings: list[tuple[int, str]] = []
        self.links: list[tuple[str, int]] = []
        self.raw = False
        self._walk(tree, 0)

    def _walk(self, node: Any, block: int) -> None:
        """`block`: the byte offset where the block holding `node`'s inline content starts."""
        for child in node.children:
            name = child.name
            if name == "html_block" or name == "html_inline":
                self.raw = self.raw or bool(_RAW_MARKUP.search(child.meta.get("content", "")))
                continue
            # a link's line is that of the block it is in (as markdown-it-py's token map gives it)
            within = block if name in _INLINE or child.srcmap is None else child.srcmap[0]
            if name == "link" or name == "image" or name == "autolink":
                self.links.append((child.meta["url"], self.encoded.count(b"\n", 0, block) + 1 + self.line_offset))
                if name == "image":
                    continue  # its text is the alt attribute: no links, no headings
            elif name == "heading" or name == "lheading":
                self.headings.append((child.meta["level"], _title(child)))
            self._walk(child, within)

    def ids(self) -> list[tuple[int, str | None]]:
        """Each heading's level and id as markdown-it-py's anchors plugin gives them (up to h4, unique)."""
        used: set[str] = set()
        out: list[tuple[int, str | None]] = []
        for level, title in self.headings:
            anchor = None
            if level <= 4:
                anchor = base = heading_id(title)
                number = 1
                while anchor in used:
                    anchor = f"{base}-{number}"
                    number += 1
                used.add(anchor)
            out.append((level, anchor))
        return out


def _title(node: Any) -> str:
    """A heading's text as the anchors plugin takes it: text, entities, escapes and code; no image's alt."""
    parts: list[str] = []
    for child in node.children:
        if child.name == "text" or child.name == "text_special":
            parts.append(child.meta.get("content", ""))
        elif child.name != "image":
            parts.append(_title(child))
    return "".join(parts)


def fast_html(markdown: str, rewrite: Rewrite | None = None, line_offset: int = 0,
              ids: Callable[[set[str]], object] | None = None) -> str | None:
    """markdown-it-pyrs's HTML of a body with heading ids and rewritten links, before sanitising, or None
    where it may not be reference_html()'s."""
    if _has_footnotes(markdown) or _UNICODE_SPACE.search(markdown):
        return None
    md = _fast()
    try:
        scan = _Scan(md.tree(markdown), markdown, line_offset)
    except UnicodeError:  # a lone surrogate: not UTF-8
        return None
    if scan.raw:
        return None
    raw = md.render(markdown)
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
    if ids is not None:
        ids({anchor for _, anchor in headings if anchor})
    replaced: dict[int, str] = {}
    for m, (level, anchor) in zip(heads, headings, strict=True):
        if anchor is not None:
            replaced[m.start()] = f'<h{level} id="{escapeHtml(anchor)}">'
    if rewrite is not None:
        for m, (url, line) in zip(links, scan.links, strict=True):
            new = rewrite(url, line)
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
