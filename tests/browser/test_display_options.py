"""High contrast and larger text: the header checkboxes work without JavaScript (CSS :has()) and, with it,
the choice is remembered on the next page (localStorage, themes/default/static/bip.js)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

STYLES = """() => ({
  background: getComputedStyle(document.body).backgroundColor,
  color: getComputedStyle(document.body).color,
  link: getComputedStyle(document.querySelector('main a') || document.body).color,
  fontSize: getComputedStyle(document.documentElement).fontSize,
  h1: getComputedStyle(document.querySelector('h1')).fontSize,
  contrast: document.getElementById('opt-contrast').checked,
  large: document.getElementById('opt-large').checked,
})"""


@pytest.mark.parametrize("kind", ["strona-glowna", "uchwala", "portal"])
def test_toggles_work_without_javascript(site, open_page, kind):
    visit = open_page(site.require(kind), js=False)
    page = visit.page
    before = page.evaluate(STYLES)
    assert before["background"] == "rgb(255, 255, 255)" and before["fontSize"] == "16px", before
    page.check("#opt-contrast")  # a real click on the box; no script runs
    contrast = page.evaluate(STYLES)
    assert contrast["background"] == "rgb(0, 0, 0)", contrast
    assert contrast["color"] == "rgb(255, 255, 255)", contrast
    assert contrast["link"] != before["link"], "links must change colour in high contrast"
    page.click("label[for=opt-large]")  # the label toggles the box too
    large = page.evaluate(STYLES)
    assert large["fontSize"] == "20px", large
    assert float(large["h1"][:-2]) > float(before["h1"][:-2]), (before, large)
    page.uncheck("#opt-contrast")
    page.uncheck("#opt-large")
    assert page.evaluate(STYLES) == before
    assert not visit.page_errors


def test_choice_persists_to_the_next_page_with_javascript(site, open_page):
    visit = open_page(site.require("strona-glowna"))
    page = visit.page
    page.check("#opt-contrast")
    page.check("#opt-large")
    page.locator(".subject-menu a").first.click()
    page.wait_for_load_state("load")
    assert page.url != site.require("strona-glowna")
    page.wait_for_function("() => document.getElementById('opt-contrast').checked")
    state = page.evaluate(STYLES)
    assert state["contrast"] and state["large"], state
    assert state["background"] == "rgb(0, 0, 0)" and state["fontSize"] == "20px", state
    # another page kind of the same unit, then switching back off persists too
    page.goto(site.require("deklaracja-dostepnosci"))
    page.wait_for_function("() => document.getElementById('opt-large').checked")
    page.uncheck("#opt-contrast")
    page.uncheck("#opt-large")
    page.goto(site.require("uchwala"))
    page.wait_for_load_state("load")
    state = page.evaluate(STYLES)
    assert not state["contrast"] and not state["large"], state
    assert state["background"] == "rgb(255, 255, 255)" and state["fontSize"] == "16px", state
    assert not visit.page_errors and not visit.console_errors, visit.page_errors + visit.console_errors



@pytest.mark.parametrize("width", [320, 360, 640])
@pytest.mark.parametrize("kind", ["uchwala", "portal"])
def test_each_checkbox_stays_on_the_line_of_its_label(site, open_page, kind, width):
    page = open_page(site.require(kind), width=width, height=800).page
    for large in (False, True):
        (page.check if large else page.uncheck)("#opt-large")
        for box in ("#opt-contrast", "#opt-large"):
            check = page.locator(box).bounding_box()
            label = page.locator(f"label[for={box[1:]}]").bounding_box()
            middle = check["y"] + check["height"] / 2
            assert label["y"] <= middle <= label["y"] + label["height"] and label["x"] > check["x"], \
                f"{box} at {width} px{' (większy tekst)' if large else ''}: box {check}, label {label}"
            assert label["height"] < 2.2 * check["height"] * (1.25 if large else 1), f"{box} label wraps: {label}"
