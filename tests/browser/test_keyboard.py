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
    box = page.locator(".skip-link").first.bounding_box()
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


def tab_to(page, text: str, limit: int = 5) -> dict:
    """Press Tab from the top of the page until the focused element's text is `text`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if active and active["text"] == text:
            return active
    raise AssertionError(f"{text!r} not reached in {limit} Tabs; focus is on {active}")


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("kind", ["strona-glowna", "uchwala", "rejestr-zmian"])
def test_skip_links_reach_the_menu_and_the_search_field(site, open_page, kind, width):
    visit = open_page(site.require(kind), width=width, height=800)
    page = visit.page
    tab_to(page, "Przejdź do menu")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'menu'")
    page.keyboard.press("Tab")
    after = page.evaluate(ACTIVE)
    if width == 360:  # on a phone the menu is behind a button; Enter opens it
        assert after["tag"] == "SUMMARY" and after["visible"], after
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        after = page.evaluate(ACTIVE)
    assert after["tag"] == "A" and after["visible"] and page.evaluate(
        "() => !!document.activeElement.closest('.subject-menu')"), f"Tab after the menu skip link went to {after}"

    page.goto(site.require(kind))
    tab_to(page, "Przejdź do wyszukiwarki")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'szukaj-q'")
    page.keyboard.type("uchwała budżet")
    page.keyboard.press("Enter")
    page.wait_for_url("**/szukaj/?q=*")
    page.wait_for_function("() => document.querySelectorAll('#bip-search-results li').length > 0", timeout=10_000)
    assert "XII/123/2024" in page.locator("#bip-search-results").inner_text()


def test_portal_skip_link_reaches_its_search_field(site, open_page):
    page = open_page(site.require("portal"), width=360, height=800).page
    tab_to(page, "Przejdź do wyszukiwarki")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'szukaj-q'")
    page.keyboard.type("uchwała")
    page.keyboard.press("Enter")
    page.wait_for_url("**/szukaj/?q=*")
    page.wait_for_function("() => document.querySelectorAll('#bip-search-results li').length > 0", timeout=10_000)


@pytest.mark.parametrize("kind", ["strona-glowna", "uchwala", "deklaracja-dostepnosci", "404"])
def test_header_search_works_without_javascript(site, open_page, kind):
    """A plain GET form to the unit's szukaj/ with the parameter its script reads (q)."""
    page = open_page(site.require(kind), js=False).page
    page.fill("#szukaj-q", "przetarg")
    page.press("#szukaj-q", "Enter")
    page.wait_for_load_state("load")
    assert page.url == site.require("szukaj").removesuffix("index.html") + "?q=przetarg", page.url
    assert page.locator("h1").inner_text() == "Wyszukiwarka"


@pytest.mark.parametrize("js", [True, False], ids=["js", "bez-js"])
def test_menu_is_open_on_wide_screens_and_behind_a_button_on_phones(site, open_page, js):
    wide = open_page(site.require("uchwala"), width=1280, js=js).page
    assert wide.locator(".subject-menu a").first.is_visible(), "the subject menu must be shown on a wide screen"
    assert not wide.locator(".subject-menu summary").is_visible()
    phone = open_page(site.require("uchwala"), width=360, height=800, js=js).page
    first = phone.locator(".subject-menu a").first
    assert not first.is_visible(), "on a phone the menu is collapsed before the content"
    top = phone.locator("main h1").bounding_box()["y"]
    assert top < 800, f"the content should start on the first screen of a phone (h1 at {top} px)"
    phone.click(".subject-menu summary")
    assert first.is_visible()


def test_portal_leads_to_the_units_first_on_a_phone(site, open_page):
    page = open_page(site.require("portal"), width=360, height=800).page
    jump = page.get_by_role("link", name="Podmioty", exact=True)
    assert jump.count() == 1 and jump.bounding_box()["y"] < 800, "a 'Podmioty' link on the first screen"
    unit = page.locator("#podmioty ~ section ul.units a").first.bounding_box()["y"]
    changes = page.locator("ul.latest a")
    if changes.count():
        assert unit < changes.first.bounding_box()["y"], "the units come before the latest changes"
    jump.click()
    assert page.evaluate("() => location.hash") == "#podmioty"
