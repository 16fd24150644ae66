"""Defence in depth in a real browser: no request leaves 127.0.0.1, and the Content-Security-Policy (meta)
blocks nothing of our own: stylesheet and script load and run, no "Refused to ..." in the console."""

from __future__ import annotations

import pytest

from .conftest import DETECTED, REQUIRED, UNIT_ID

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("kind", [*REQUIRED, *DETECTED])
def test_no_external_requests_and_csp_blocks_nothing_of_ours(site, open_page, kind):
    url = site.require(kind)
    visit = open_page(url)
    page = visit.page
    origin = site.url.rstrip("/")
    external = [r for r in visit.requests if not (r.startswith(origin + "/") or r.startswith("data:"))]
    assert not external, f"{kind}: requests outside {origin}:\n" + "\n".join(external)
    assert any(r.endswith(".css") for r in visit.requests), f"{kind}: no stylesheet requested: {visit.requests}"
    refused = [m for m in visit.console_errors if "Refused to" in m or "Content Security Policy" in m]
    violations = visit.csp_violations()
    assert not refused and not violations, f"{kind}: CSP blocked something:\n" + "\n".join(refused + violations)
    assert not visit.page_errors, f"{kind}: script errors: {visit.page_errors}"
    # the stylesheet really applied (a blocked one would leave the browser's default look)
    assert page.evaluate("() => getComputedStyle(document.querySelector('.skip-link')).position") == "absolute"
    csp = page.evaluate(
        "() => (document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]') || {}).content || ''")
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp, f"{kind}: weak or missing CSP: {csp!r}"
    # every same-origin resource the page asked for exists (no broken CSS/JS/image links)
    assert not visit.failed, f"{kind}: broken resources:\n" + "\n".join(visit.failed)


def test_scripts_run_under_the_csp(site, open_page):
    """bip.js is loaded as a same-origin file and runs (it restores a saved preference)."""
    visit = open_page(site.require("strona-glowna"))
    visit.page.evaluate("() => localStorage.setItem('bip-prefs', JSON.stringify({contrast: true}))")
    visit.page.reload()
    visit.page.wait_for_function("() => document.getElementById('opt-contrast').checked", timeout=5000)
    assert any(r.endswith(".js") for r in visit.requests)
    assert not visit.csp_violations()


def test_alias_redirects_in_the_browser(site, open_page):
    """An old address (front matter `aliases`) takes the browser to the page's current address."""
    old = site.folder / UNIT_ID / "uchwaly/budzet-2024-zmiany/index.html"
    if not old.is_file():
        pytest.fail(f"the alias page was not generated: {old}")
    visit = open_page(site.url + f"{UNIT_ID}/uchwaly/budzet-2024-zmiany/")
    visit.page.wait_for_url("**/uchwaly/uchwala-xii-123-2024/", timeout=5000)
    assert visit.page.locator("h1").inner_text().startswith("Uchwała Nr XII/123/2024")
    origin = site.url.rstrip("/")
    assert all(r.startswith(origin + "/") for r in visit.requests), visit.requests


def test_404_page_works_at_any_missing_address(site, open_page):
    """The web server answers a missing deep address with the unit's 404.html: it must look and work the same."""
    context_page = open_page()
    page = context_page.page
    response = page.goto(site.url + f"{UNIT_ID}/uchwaly/nie-ma-takiej/strony/")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "Nie znaleziono strony"
    assert page.evaluate("() => getComputedStyle(document.querySelector('.skip-link')).position") == "absolute", \
        "the stylesheet of the 404 page did not load at a deep address"
    failed = [f for f in context_page.failed if "/nie-ma-takiej/strony/ (HTTP 404)" not in f]
    assert not failed, "resources of the 404 page broken at a deep address:\n" + "\n".join(failed)
    home = page.locator("main a", has_text="strony głównej")
    assert home.get_attribute("href") is not None
    home.click()
    page.wait_for_load_state("load")
    assert page.url == site.url + f"{UNIT_ID}/", page.url
