"""A unit on its own domain in a real Chromium: its search (search.js resolving the index's unit-relative
addresses) links its own pages both where its folder is the site root and under the portal."""

from __future__ import annotations

import pytest

from .support import serve
from .test_search_browser import search

pytestmark = pytest.mark.browser

OWN = "miasto-gorzow-wielkopolski"  # base_url: https://bip.gorzow.example
QUERY = "podatek od nieruchomości"


def check_results(visit, root: str) -> None:
    found = search(visit, QUERY)
    assert found and any("stawek podatku od nieruchomości" in r["title"] for r in found), found
    assert not visit.failed and not visit.page_errors and not visit.csp_violations(), (
        visit.failed, visit.page_errors)
    for result in found:
        assert result["href"].startswith(root) and f"/{OWN}/{OWN}/" not in result["href"], result
        assert visit.page.request.get(result["href"]).ok, result


def test_search_at_the_units_own_domain(sample_site, open_page):
    with serve(sample_site.folder / OWN) as own:  # the unit's folder as the root of its domain
        visit = open_page(own + "szukaj/")
        check_results(visit, own)
        assert not any(f"/{OWN}/" in url for url in visit.requests), visit.requests


def test_search_of_the_same_unit_under_the_portal(sample_site, open_page):
    root = f"{sample_site.url}{OWN}/"
    check_results(open_page(root + "szukaj/"), root)


def test_portal_search_links_the_unit_under_the_portal(sample_site, open_page):
    visit = open_page(sample_site.url + "szukaj/")
    found = search(visit, QUERY)
    ours = [r for r in found if "stawek podatku od nieruchomości" in r["title"] and f"/{OWN}/" in r["href"]]
    assert ours, found
    response = visit.page.goto(ours[0]["href"])
    assert response is not None and response.ok
