"""Markdown to safe HTML: markdown-it-py (CommonMark + tables, footnotes, definition lists) then nh3.

Editors may write raw HTML; whatever they write, the sanitiser keeps only harmless markup:
no scripts, no event handlers, no `javascript:` links, no inline styles.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import cache

import nh3
from markdown_it import MarkdownIt
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


def heading_ids(markdown: str, tokens: list[Token] | None = None) -> set[str]:
    """The ids a body gives its headings and footnotes (what a link's #fragment may point to); inside
    `remembering`, a body seen before is not parsed again. `tokens`: the body's parse, if it is at hand."""
    return recall("ids", lambda: markdown.encode("utf-8", "surrogatepass"),
                  lambda: _heading_ids(markdown, tokens if tokens is not None else _parser().parse(markdown)),
                  sorted, set)


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
            ids: Callable[[list[Token]], object] | None = None) -> str:
    """Safe HTML of a Markdown body; `rewrite(href, line)` maps editors' links to output URLs; `ids` is
    given the parse (to take the heading ids from it, not from a second parse)."""
    md = _parser()
    tokens = md.parse(markdown)
    if ids is not None:
        ids(tokens)
    if rewrite is not None:
        _rewrite_links(tokens, rewrite, line_offset)
    raw = md.renderer.render(tokens, md.options, {})
    clean = nh3.clean(
        _demote_h1(raw),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    return _mark_external(clean)


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
