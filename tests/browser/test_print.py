"""Print: a document page printed to PDF by Chromium keeps the content and the metryczka, drops the menus."""

from __future__ import annotations

import io
import re

import pytest

pytestmark = pytest.mark.browser


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("kind", ["uchwala", "zamowienie", "strona"])
def test_printed_document_has_metryczka_and_no_menus(site, open_page, kind):
    visit = open_page(site.require(kind))
    title = visit.page.locator("h1").inner_text()
    data = visit.page.pdf(format="A4", print_background=False)
    assert data.startswith(b"%PDF"), "Chromium did not produce a PDF"
    text = pdf_text(data)
    for expected in ("Metryczka", "Data udostępnienia", "Informację wytworzył", title.split()[0]):
        assert expected in text, f"{expected!r} missing from the printed {kind}:\n{text[:1500]}"
    for unexpected in ("Menu przedmiotowe", "Przejdź do treści", "Wysoki kontrast", "Wyszukiwarka", "Jesteś tutaj"):
        assert unexpected not in text, f"{unexpected!r} should not be printed ({kind}):\n{text[:1500]}"


def test_printed_page_with_contrast_on_is_black_on_white(site, open_page):
    """A citizen who switched on high contrast still prints dark text on white paper."""
    visit = open_page(site.require("uchwala"))
    visit.page.check("#opt-contrast")
    visit.page.emulate_media(media="print")
    colours = visit.page.evaluate("""() => ({bg: getComputedStyle(document.body).backgroundColor,
                                            fg: getComputedStyle(document.body).color})""")
    assert colours == {"bg": "rgb(255, 255, 255)", "fg": "rgb(0, 0, 0)"}, colours


LIGHT_TEXT = """() => {
  const lum = (c) => { const m = c.match(/[\\d.]+/g).map(Number);
    const ch = m.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2]; };
  const bad = [];
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length) continue;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden') continue;
    const ratio = 1.05 / (lum(s.color) + 0.05);
    if (ratio < 4.5) bad.push(el.tagName.toLowerCase() + '.' + el.className + ' ' + s.color + ' "' + el.textContent.trim().slice(0, 40) + '"');
  }
  return bad;
}"""


@pytest.mark.parametrize("contrast", [False, True], ids=["normalny", "wysoki-kontrast"])
@pytest.mark.parametrize("kind", ["uchwala", "porownanie-wersji"])
def test_printed_text_is_dark_enough_on_white_paper(site, open_page, kind, contrast):
    visit = open_page(site.require(kind))
    if contrast:
        visit.page.check("#opt-contrast")
    visit.page.emulate_media(media="print")
    light = visit.page.evaluate(LIGHT_TEXT)
    assert not light, "text too light to read on white paper (print styles):\n" + "\n".join(light)


def test_print_button_prints_and_is_absent_without_javascript(site, open_page):
    visit = open_page(site.require("uchwala"))
    button = visit.page.get_by_role("button", name="Drukuj")
    assert button.count() == 1 and button.is_visible(), "a document page has a 'Drukuj' button"
    visit.page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    button.click()
    assert visit.page.evaluate("() => window.__printed") == 1, "'Drukuj' must open the print dialogue"
    visit.page.emulate_media(media="print")
    assert not button.is_visible(), "the button itself is not printed"
    plain = open_page(site.require("uchwala"), js=False).page
    assert plain.get_by_role("button", name="Drukuj").count() == 0, "without JavaScript no dead button"
    assert open_page(site.require("strona-glowna")).page.get_by_role("button", name="Drukuj").count() == 0


@pytest.mark.parametrize("js", [True, False], ids=["js", "bez-js"])
@pytest.mark.parametrize("kind", ["uchwala", "wersja"])
def test_printout_carries_the_address_of_the_page(site, open_page, kind, js):
    visit = open_page(site.require(kind), js=js)
    text = pdf_text(visit.page.pdf(format="A4"))
    path = site.require(kind).removeprefix(site.url).removesuffix("index.html")
    address = "https://bip.example/" + path
    assert "Adres strony:" in text and address in text.replace(" ", ""), \
        f"{address} missing from the printed {kind}:\n{text[-800:]}"
    assert "Metryczka" in text and "Drukuj" not in text
    assert "Adres strony" not in visit.page.locator("body").inner_text(), "the address line is for paper only"
