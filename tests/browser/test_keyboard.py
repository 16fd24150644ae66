"""Keyboard use: the skip link comes first and works; every focused element shows a visible focus indicator."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

FOCUS_STYLE = """(el) => {
  const s = getComputedStyle(el);
  return {outline: s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor,
          outlineVisible: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
          shadow: s.boxShadow, background: s.backgroundColor, color: s.color,
          decoration: s.textDecorationLine + ' ' + s.textDecorationThickness, top: el.getBoundingClientRect().top};
}"""

ACTIVE = """() => {
  const el = document.activeElement;
  return el ? {tag: el.tagName, id: el.id, text: (el.innerText || el.value || '').trim().slice(0, 80),
               inMain: !!el.closest('main'), visible: !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length)}
            : null;
}"""


@pytest.mark.parametrize("kind", ["strona-glowna", "uchwala", "portal", "deklaracja-dostepnosci"])
def test_first_tab_focuses_skip_link_which_moves_focus_to_main(site, open_page, kind):
    visit = open_page(site.require(kind))
    page = visit.page
    page.keyboard.press("Tab")
    active = page.evaluate(ACTIVE)
    assert active["tag"] == "A" and active["text"] == "Przejdź do treści", f"first Tab focused {active}"
    box = page.locator(".skip-link").bounding_box()
    assert box and box["y"] >= 0 and box["height"] > 0, f"the focused skip link is not on screen: {box}"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'MAIN'")
    assert page.evaluate("() => location.hash") == "#tresc"
    page.keyboard.press("Tab")
    after = page.evaluate(ACTIVE)
    assert after["inMain"], f"after the skip link, Tab should go into the main content, went to {after}"


@pytest.mark.parametrize("contrast", [False, True], ids=["normalny", "wysoki-kontrast"])
@pytest.mark.parametrize("kind", ["uchwala", "strona-glowna", "szukaj"])
def test_every_focused_element_has_a_visible_focus_indicator(site, open_page, kind, contrast):
    visit = open_page(site.require(kind))
    page = visit.page
    if contrast:
        page.check("#opt-contrast")
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        page.evaluate("() => window.scrollTo(0, 0)")
    seen, problems = [], []
    for _ in range(60):
        page.keyboard.press("Tab")
        handle = page.evaluate_handle("() => document.activeElement")
        element = handle.as_element()
        if element is None or page.evaluate("(el) => el === document.body", element):
            break
        key = page.evaluate("(el) => el.outerHTML.slice(0, 120)", element)
        if key in seen:
            break
        seen.append(key)
        focused = page.evaluate(FOCUS_STYLE, element)
        page.evaluate("(el) => el.blur()", element)
        unfocused = page.evaluate(FOCUS_STYLE, element)
        page.evaluate("(el) => el.focus({focusVisible: true})", element)
        changed = (focused["outlineVisible"] and focused["outline"] != unfocused["outline"]) or \
            (focused["shadow"] != unfocused["shadow"] and focused["shadow"] != "none")
        if not changed:
            problems.append(f"{key}\n    focused: {focused}\n    unfocused: {unfocused}")
    assert len(seen) >= 5, f"only {len(seen)} elements reachable with Tab: {seen}"
    assert not problems, "no visible focus indicator on:\n" + "\n".join(problems)
