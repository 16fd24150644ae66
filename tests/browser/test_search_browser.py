"""The static search in a real Chromium: a unit's szukaj/ page and the portal, with JavaScript on
(ranked results announced in a live region, under the strict CSP) and off (the complete document list)."""

from __future__ import annotations

import json
import re

import pytest

from .conftest import IN_ATTACHMENT, UNIT_ID

pytestmark = pytest.mark.browser

UNIT = "wojewodztwo-lubuskie"


def search(visit, query: str) -> list[dict[str, str]]:
    page = visit.page
    page.fill("#bip-q", query)
    page.press("#bip-q", "Enter")
    page.wait_for_function("() => document.querySelector('#bip-search-status').textContent.trim() !== ''")
    page.wait_for_function(
        "() => /Znaleziono|Brak wyników/.test(document.querySelector('#bip-search-status').textContent)")
    return page.eval_on_selector_all(
        "#bip-search-results li a", "links => links.map(a => ({title: a.textContent.trim(), href: a.href}))")


def test_unit_search_finds_inflected_and_diacritic_free_queries(sample_site, open_page):
    visit = open_page(sample_site.url + f"{UNIT}/szukaj/")
    found = search(visit, "odpowiedz na petycje automatyzacja")
    assert found and found[0]["title"].startswith("Petycja nr 2024/01"), found
    status = visit.page.text_content("#bip-search-status")
    assert status.startswith("Znaleziono"), status
    assert visit.page.get_attribute("#bip-search-status", "aria-live") == "polite"
    found = search(visit, "uchwały budżetowe")
    assert any("uchwały budżetowej Województwa Lubuskiego na 2025" in r["title"] for r in found[:3]), found
    found = search(visit, "IX/98/2024")
    assert "Uchwała Nr IX/98/2024" in found[0]["title"], found
    target = visit.page.goto(found[0]["href"])
    assert target is not None and target.ok
    assert "IX/98/2024" in visit.page.text_content("h1")
    assert not visit.csp_violations() and not visit.page_errors and not visit.console_errors, (
        visit.csp_violations(), visit.page_errors, visit.console_errors)
    assert all(url.startswith(sample_site.url) for url in visit.requests), visit.requests


def test_unit_search_filters_by_type_and_links_the_query(sample_site, open_page):
    visit = open_page(sample_site.url + f"{UNIT}/szukaj/")
    visit.page.select_option("#bip-type", "ogloszenie")
    found = search(visit, "e-Urząd")
    assert found and all("e-Urząd" in r["title"] for r in found), found
    assert "q=" in visit.page.url  # the result page is linkable
    again = open_page(visit.page.url)
    again.page.wait_for_function(
        "() => /Znaleziono/.test(document.querySelector('#bip-search-status').textContent)")
    assert again.page.eval_on_selector_all("#bip-search-results li", "items => items.length") == len(found)
    assert again.page.input_value("#szukaj-q") == "e-Urząd"  # the header's field shows the query too


def test_portal_search_spans_units(sample_site, open_page):
    visit = open_page(sample_site.url + "szukaj/")
    found = search(visit, "uchwala budzetowa")
    hrefs = " ".join(r["href"] for r in found)
    assert "wojewodztwo-lubuskie/" in hrefs and "gmina-swidnica/" in hrefs, found
    search(visit, "przetargi")  # the portal's index carries the synonym table too
    units = {r["href"].split("/zamowienia/")[0].rsplit("/", 1)[-1] for r in found_kind(visit, "Zamówienie publiczne")}
    assert {"gops-swidnica", "miasto-gorzow-wielkopolski", "powiat-zielonogorski"} <= units, units
    assert not visit.csp_violations() and not visit.page_errors


def test_without_javascript_the_document_list_is_complete(sample_site, open_page):
    # every page; an attachment's text is searched, the file itself is listed on its page
    documents = [doc for doc in json.loads((sample_site.folder / UNIT / "szukaj/dokumenty.json")
                                           .read_text(encoding="utf-8")) if not doc.get("attachment")]
    visit = open_page(sample_site.url + f"{UNIT}/szukaj/", js=False)
    links = visit.page.eval_on_selector_all("#bip-document-list a", "links => links.map(a => a.href)")
    assert len(links) == len(documents)
    assert sorted(links) == sorted(f"{sample_site.url}{UNIT}/{doc['url']}" for doc in documents)
    for href in links[:5]:
        response = visit.page.goto(href)
        assert response is not None and response.ok, href


def results(visit) -> list[dict[str, str]]:
    """Each result as the page shows it: title, the line of details, the passage, the marked words."""
    return visit.page.eval_on_selector_all("#bip-search-results li", """items => items.map(li => ({
        title: li.querySelector('a').textContent.trim(),
        info: li.querySelector('.bip-search-info').textContent.trim(),
        passage: li.querySelector('p') ? li.querySelector('p').textContent : '',
        marked: Array.from(li.querySelectorAll('p mark')).map(m => m.textContent)}))""")


def test_everyday_word_finds_the_document_kind(sample_site, open_page):
    # No page of the unit says "przetarg": the synonym table leads to its zamówienia publiczne.
    visit = open_page(sample_site.url + "miasto-gorzow-wielkopolski/szukaj/")
    search(visit, "przetarg")
    shown = results(visit)
    kinds = [r["info"].split(" · ")[0] for r in shown]
    assert "Zamówienie publiczne" in kinds, shown
    found = shown[kinds.index("Zamówienie publiczne")]
    assert found["title"].startswith("Termomodernizacja"), found
    assert not visit.csp_violations() and not visit.page_errors, (visit.csp_violations(), visit.page_errors)


def test_results_show_polish_dates_and_the_passage_that_matched(sample_site, open_page):
    visit = open_page(sample_site.url + f"{UNIT}/szukaj/")
    found = search(visit, "rezerwa kryzysowa")
    assert found and "IX/98/2024" in found[0]["title"], found
    first = results(visit)[0]
    assert first["info"].split(" · ")[:2] == ["Uchwała", "16 grudnia 2024"], first
    assert not re.search(r"\d{4}-\d{2}-\d{2}", first["info"]), first
    # The words are over a thousand characters into the resolution's text: the passage is theirs.
    text = next(d["text"] for d in json.loads((sample_site.folder / UNIT / "szukaj/dokumenty.json")
                                              .read_text(encoding="utf-8"))
                if "IX/98/2024" in d["title"] and not d.get("attachment"))
    assert " ".join(text.split()).find("kryzysowego") > 1000
    assert first["passage"].startswith("…"), first
    assert "rezerwy" in first["marked"] and "kryzysowego" in first["marked"], first
    assert len(first["passage"]) < 260, first


def found_kind(visit, kind: str) -> list[dict[str, str]]:
    """The results of one document kind (the first of their details)."""
    return visit.page.eval_on_selector_all("#bip-search-results li", """(items, kind) => items
        .filter(li => li.querySelector('.bip-search-info').textContent.trim().startsWith(kind + ' · '))
        .map(li => ({title: li.querySelector('a').textContent.trim(), href: li.querySelector('a').href}))""", kind)


ATTACHMENT_LABEL = ("Załącznik „Załącznik nr 1 – zestawienie zmian” (PDF) — na stronie „Uchwała Nr XII/123/2024 "
                    "w sprawie zmian w budżecie gminy na 2024 rok”")


@pytest.mark.parametrize("where", [f"{UNIT_ID}/szukaj/", "szukaj/"])
def test_words_only_inside_a_pdf_find_the_attachment(site, open_page, where):
    visit = open_page(site.url + where)
    found = search(visit, "przepompownia Lipinki")  # other forms of the words the PDF says
    assert found == [{"title": ATTACHMENT_LABEL,
                      "href": f"{site.url}{UNIT_ID}/uchwaly/uchwala-xii-123-2024-zalacznik.pdf"}], found
    shown = results(visit)[0]
    assert shown["info"].split(" · ")[:2] == ["Uchwała", "1 marca 2024"], shown
    assert IN_ATTACHMENT in shown["marked"] and "Lipinkach" in shown["marked"], shown
    response = visit.page.request.get(found[0]["href"])
    assert response.ok and response.body().startswith(b"%PDF-")
    assert not visit.csp_violations() and not visit.page_errors, (visit.csp_violations(), visit.page_errors)
