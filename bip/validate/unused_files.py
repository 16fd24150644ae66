"""Files of a unit that nothing publishes: no page lists them (`attachments`) or links them.

Such a file is left out of the unit's files (so it is not published) with a warning naming it. What counts
as a use is read from the sources, never from rendering (a page the build reuses is not rendered):
a page's attachments, the links and images of its Markdown body (remembered by the body's text), any
front-matter value naming a file of the unit, and any unit.yaml value that does (e.g. a video in PJM).
A file dropped from a page stays public only as its stored version in the change registry.
"""

from __future__ import annotations

import html
import posixpath
import re
from urllib.parse import unquote

from bip.load.remembered import recall
from bip.model import Attachment, Unit
from bip.problems import Problems
from bip.validate.personal import strings

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_ATTRIBUTE = re.compile(r"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def body_links(markdown: str) -> list[str]:
    """Every href and src a body's HTML has (Markdown links and images, raw HTML), as written."""
    def compute() -> list[str]:
        # the render step's libraries: only when needed
        from bip.render.markdown import BodyTooComplex, link_targets, to_html

        try:
            # the fast path's links from its parse (which the render step reuses); any other body's rendered
            targets = link_targets(markdown)
            if targets is not None:
                return targets
            rendered = to_html(markdown, lambda href, line: href)
        except BodyTooComplex:
            return []  # refused by the validate step; its links are not published either
        return sorted({html.unescape(m.group(1) if m.group(1) is not None else m.group(2))
                       for m in _ATTRIBUTE.finditer(rendered)})

    return recall("links", lambda: markdown.encode("utf-8", "surrogatepass"), compute)


def _resolve(reference: str, folder: str) -> list[str]:
    """The unit-relative paths a link or value may name (as written and percent-decoded)."""
    if not reference or reference.startswith(("//", "?", "#")) or _SCHEME.match(reference):
        return []
    path = re.split(r"[#?]", reference, maxsplit=1)[0]
    found = []
    for form in {path, unquote(path)}:
        target = form.lstrip("/") if form.startswith("/") else posixpath.normpath(posixpath.join(folder, form))
        if not target.startswith(".."):
            found.append(target)
    return found


def used_files(unit: Unit) -> set[str]:
    """Unit-relative paths and URLs of files that pages and unit.yaml refer to."""
    prefix = len(unit.source) + 1
    used: set[str] = set()
    for _, value in strings(unit.data):
        used.update(_resolve(value.strip(), ""))
    for page in unit.pages:
        folder = posixpath.dirname(page.source[prefix:])
        used.update(a.source[prefix:] for a in page.attachments)
        for _, value in strings(page.meta):
            if "\n" not in value and len(value) < 300:
                used.update(_resolve(value.strip(), folder))
        for href in body_links(page.body):
            used.update(_resolve(href, folder))
    return used


def drop_orphans(unit: Unit, problems: Problems) -> None:
    """Warn of each file nothing uses and keep it out of `unit.static_files` (out of the output)."""
    used = used_files(unit)
    prefix = len(unit.source) + 1
    kept: list[Attachment] = []
    for static in unit.static_files:
        if static.source[prefix:] in used or static.url in used or static.url.rstrip("/") in used:
            kept.append(static)
            continue
        problems.warning(
            static.source, 1, "",
            f"Pliku „{static.file}” nie dołączono do żadnej strony ani nie prowadzi do niego żaden odnośnik: "
            "nie zostanie opublikowany.",
            "Dołącz plik do strony (pole attachments albo odnośnik w treści) albo usuń go z folderu.",
        )
    unit.static_files = kept
