"""Text that reads at any width (WCAG 1.4.10, 1.4.4): at 320 and 360 CSS px, in the normal, high-contrast and
larger-text modes, no page kind scrolls sideways and no text is squeezed into lines of a few characters.

Line boxes are measured on the text nodes themselves (Range.getClientRects gives one box per line): a text of
at least 8 letters laid out in two or more lines narrower than about four average characters is a squeezed
column (the one-letter-per-line value column of a two-column grid at 320 px, a table cell of a squeezed table).
"""

from __future__ import annotations

import pytest

from .conftest import DETECTED, REQUIRED

pytestmark = pytest.mark.browser

SQUEEZED = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('.visually-hidden, .skip-link, script, style, noscript')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || !el.getClientRects().length) continue;
    const em = parseFloat(style.fontSize);
    // a line the author broke (pre-wrap text) may be short: each such line is measured on its own
    const keepsBreaks = /^(pre|pre-wrap|pre-line|break-spaces)$/.test(style.whiteSpace);
    const text = node.textContent;
    let start = 0;
    for (const part of keepsBreaks ? text.split('\\n') : [text]) {
      const end = start + part.length;
      if ((part.match(/[\\p{L}\\p{N}]/gu) || []).length >= 8) {
        const range = document.createRange();
        range.setStart(node, start);
        range.setEnd(node, end);
        // one box per line: pieces of a line (a hanging space in pre-wrap text) are added together
        const widths = new Map();
        for (const r of range.getClientRects()) {
          if (r.width < 1 || r.height < 1) continue;
          const top = Math.round(r.top);
          widths.set(top, (widths.get(top) || 0) + r.width);
        }
        const lines = [...widths.values()].map(width => ({width}));
        const narrow = lines.filter(r => r.width < 2 * em);  // about 4 average characters
        if (lines.length >= 2 && narrow.length >= 2) {
          found.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') + ': "'
                     + part.trim().slice(0, 50) + '" in ' + lines.length + ' lines, narrowest '
                     + Math.round(Math.min(...lines.map(r => r.width))) + ' px');
        }
      }
      start = end + 1;
    }
  }
  return found.slice(0, 15);
}"""

SIDEWAYS = """() => {
  const root = document.documentElement;
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth};
}"""

# Every page kind of the fixture site, and the two search pages after a query (results listed by search.js).
KINDS = [*REQUIRED, *DETECTED]
QUERIES = {"szukaj-wyniki": ("szukaj", "uchwała budżet"), "portal-szukaj-wyniki": ("portal-szukaj", "uchwała")}
MODES = {"normalny": [], "wysoki-kontrast": ["#opt-contrast"], "wiekszy-tekst": ["#opt-large"]}


def check(visit, what: str) -> list[str]:
    problems = []
    page = visit.page
    for mode, boxes in MODES.items():
        for box in ("#opt-contrast", "#opt-large"):
            (page.check if box in boxes else page.uncheck)(box)
        size = page.evaluate(SIDEWAYS)
        if size["scrollWidth"] > size["clientWidth"]:
            problems.append(f"{what}, {mode}: the page scrolls sideways ({size})")
        problems += [f"{what}, {mode}: {line}" for line in page.evaluate(SQUEEZED)]
    return problems


@pytest.mark.parametrize("width", [320, 360], ids=["320px", "360px"])
@pytest.mark.parametrize("kind", [*KINDS, *QUERIES])
def test_text_is_not_squeezed_on_a_phone(site, open_page, kind, width):
    if kind in QUERIES:
        base, query = QUERIES[kind]
        visit = open_page(site.require(base) + "?q=" + query, width=width, height=800)
        visit.page.wait_for_function("() => document.querySelectorAll('#bip-search-results li').length > 0",
                                     timeout=10_000)
    else:
        visit = open_page(site.require(kind), width=width, height=800)
    problems = check(visit, f"{kind} at {width} px")
    assert not problems, "text squeezed or page too wide:\n" + "\n".join(problems)


@pytest.mark.parametrize("kind, labels", [
    ("historia-strony", ["Data i godzina", "Rodzaj zmiany", "Wprowadził", "Opis zmiany", "Porównanie"]),
    ("rejestr-zmian", ["Data i godzina", "Rodzaj zmiany", "Wprowadził", "Opis zmiany"]),
    ("dzial-lista-uchwal", ["Numer"]),
])
def test_tables_become_labelled_cards_on_a_phone(site, open_page, kind, labels):
    """One card per row, every field with its label in view, the link to the comparison always on screen."""
    page = open_page(site.require(kind), width=360, height=800).page
    row = page.locator("main table tbody tr").first
    box = row.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360, f"a row must fit the screen: {box}"
    shown = row.evaluate("""(tr) => [...tr.cells].map(c => getComputedStyle(c, '::before').content)""")
    for label in labels:
        assert f'"{label}: "' in shown, f"{label!r} is not shown in the card of {kind}: {shown}"
    if kind == "historia-strony":
        diff = page.locator("main table").get_by_role("link", name="Zmiany w wersji").first
        diff_box = diff.bounding_box()
        assert diff.is_visible() and diff_box["x"] + diff_box["width"] <= 360, diff_box
    wide = open_page(site.require(kind), width=1280).page
    assert wide.locator("main table thead").first.is_visible(), "a wide screen keeps the table"
