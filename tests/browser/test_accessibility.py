"""axe-core (WCAG 2.0/2.1, levels A and AA) finds no violation on any kind of generated page."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import DETECTED, REQUIRED, UNIT_ID
from .support import describe_violations, run_axe, site_files

pytestmark = pytest.mark.browser

KINDS = [*REQUIRED, *DETECTED]


@pytest.mark.parametrize("contrast", [False, True], ids=["normalny", "wysoki-kontrast"])
@pytest.mark.parametrize("kind", KINDS)
def test_no_wcag_violations(site, open_page, kind, contrast):
    url = site.require(kind)
    visit = open_page(url)
    page = visit.page
    if contrast:
        page.check("#opt-contrast")
        assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    violations = run_axe(page)
    assert not violations, describe_violations(violations, f"{kind} ({url}{', wysoki kontrast' if contrast else ''})")


def is_redirect(path: Path) -> bool:
    """An alias stub (meta refresh to the new address): it navigates away at once; test_requests covers it."""
    return 'http-equiv="refresh"' in path.read_text(encoding="utf-8", errors="replace")[:4000]


def _sample_pages(folder: Path) -> list[str]:
    """Every page of the sample content, plus a bounded sample of each unit's registry pages."""
    pages = []
    for path in site_files(folder):
        relative = path.relative_to(folder).as_posix()
        if "/rejestr-zmian/" not in relative and not is_redirect(path):
            pages.append(relative)
    for unit in sorted(p for p in folder.iterdir() if (p / "rejestr-zmian").is_dir()):
        registry = site_files(unit / "rejestr-zmian")
        picked = [p for p in registry if p.parent == unit / "rejestr-zmian"]
        for part in (".wersja-", ".zmiany-"):
            picked += [p for p in registry if part in p.name][:3]
        picked += [p for p in registry if ".wersja-" not in p.name and ".zmiany-" not in p.name][:3]
        pages += sorted({p.relative_to(folder).as_posix() for p in picked})
    return pages


def test_sample_content_has_no_wcag_violations(sample_site, open_page):
    """The repository's sample content (what editors copy and citizens see in screenshots), page by page."""
    pages = _sample_pages(sample_site.folder)
    assert len(pages) > 20, f"the sample content built only {len(pages)} pages"
    visit = open_page()
    reports = []
    for relative in pages:
        response = visit.page.goto(sample_site.url + relative)
        assert response is not None and response.ok, relative
        violations = run_axe(visit.page)
        if violations:
            reports.append(describe_violations(violations, relative))
    assert not reports, f"{len(reports)} z {len(pages)} stron ma naruszenia:\n" + "\n".join(reports)


def test_fixture_site_has_every_required_kind(site):
    missing = [f"{kind}: {path}" for kind, path in REQUIRED.items() if not (site.folder / path).is_file()]
    assert not missing, "pages not generated:\n" + "\n".join(missing)
    assert (site.folder / UNIT_ID / "static").exists() or (site.folder / "static").exists()


@pytest.mark.parametrize("contrast", [False, True], ids=["normalny", "wysoki-kontrast"])
@pytest.mark.parametrize("kind", ["szukaj", "portal-szukaj"])
def test_search_results_have_no_wcag_violations(site, open_page, kind, contrast):
    """The search page after a query: results rendered by its script (search.js), announced in a status region."""
    visit = open_page(site.require(kind))
    page = visit.page
    if contrast:
        page.check("#opt-contrast")
    field = page.locator("main input[type=search]").first
    assert field.count() == 1, "the search page has no search field in <main>"
    field.fill("uchwała budżet")
    field.press("Enter")
    try:
        page.wait_for_function("() => document.querySelectorAll('#bip-search-results li').length > 0", timeout=10_000)
    except Exception as error:  # noqa: BLE001 - show what the page says instead of a bare timeout
        raise AssertionError(f"no results listed for a matching query ({error}):\n"
                             f"{page.locator('main').inner_text()[:800]}") from None
    results = page.locator("#bip-search-results").inner_text()
    assert "XII/123/2024" in results, results[:800]
    status = page.locator("main [role=status]")
    assert status.count() == 1 and status.inner_text().strip(), "the number of results is not announced"
    violations = run_axe(page)
    assert not violations, describe_violations(violations, f"wyniki wyszukiwania ({page.url})")
    origin = site.url.rstrip("/")
    assert all(r.startswith(origin + "/") for r in visit.requests), visit.requests
    assert not visit.page_errors and not visit.csp_violations(), visit.page_errors + visit.csp_violations()
    assert not visit.failed, visit.failed
