"""Reflow (WCAG 1.4.10): no horizontal scrolling at 320 CSS px, nor at 1280 px zoomed to 200 % (= 640 CSS px).

device_scale_factor is not zoom (it only changes device pixels); 200 % zoom of a 1280 px window lays the page
out in 640 CSS px, which is what we emulate. Wide tables scroll inside their own box, never the page.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

OVERFLOW = """() => {
  const root = document.documentElement;
  const wide = [];
  if (root.scrollWidth > root.clientWidth) {
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right > root.clientWidth + 1) {
        const position = getComputedStyle(el).position;
        wide.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') + ' right=' + Math.round(r.right)
                  + (position === 'static' ? '' : ' (' + position + ')'));
      }
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide: wide.slice(0, 12)};
}"""

PAGES = ["strona-glowna", "uchwala", "deklaracja-dostepnosci", "portal", "strona", "dzial-lista-uchwal",
         "zamowienie", "rejestr-zmian", "historia-strony", "porownanie-wersji", "szukaj", "portal-szukaj",
         "informacje-pjm", "mapa-serwisu"]


@pytest.mark.parametrize("large_text", [False, True], ids=["tekst-normalny", "wiekszy-tekst"])
@pytest.mark.parametrize("width", [320, 640], ids=["320px", "1280px-zoom-200"])
@pytest.mark.parametrize("kind", PAGES)
def test_no_horizontal_scroll(site, open_page, kind, width, large_text):
    visit = open_page(site.require(kind), width=width, height=800)
    if large_text:
        visit.page.check("#opt-large")
        assert visit.page.evaluate("() => getComputedStyle(document.documentElement).fontSize") == "20px"
    result = visit.page.evaluate(OVERFLOW)
    assert result["scrollWidth"] <= result["clientWidth"], (
        f"{kind} at {width} CSS px scrolls horizontally: scrollWidth {result['scrollWidth']} > "
        f"clientWidth {result['clientWidth']}; too wide: {result['wide']}")


def test_wide_table_scrolls_inside_its_own_box(site, open_page):
    visit = open_page(site.require("uchwala"), width=320, height=800)
    table = visit.page.locator("main table").first
    assert table.count() == 1, "the fixture resolution should contain a table"
    sizes = table.evaluate("(t) => ({scroll: t.scrollWidth, client: t.clientWidth, overflow: getComputedStyle(t).overflowX})")
    assert sizes["client"] <= 320, sizes
    if sizes["scroll"] > sizes["client"]:
        assert sizes["overflow"] in ("auto", "scroll"), f"a wide table must scroll within itself: {sizes}"
