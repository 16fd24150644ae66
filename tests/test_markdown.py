"""Bodies are rendered by markdown-it-pyrs where it gives what markdown-it-py (the reference) gives.

For every body of the bundled sample content, of a `bip demo` region and of the cases below, the fast
path's HTML (sanitised), the links it asks to rewrite (with their lines) and the heading ids it reports
must be the reference's; the bodies it must leave to the reference (footnotes, raw HTML with links,
images or headings, text that is not UTF-8) must be left to it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bip.demo import generate
from bip.load.text import split_front_matter
from bip.render.markdown import fast_html, reference_html, sanitize, to_html

ROOT = Path(__file__).resolve().parent.parent

CASES = {
    "headings": "# Zał. *nr* `1` [link](a.md) ![obraz](b.png) &amp; \\* ~~stare~~ **nowe**\n\n"
                "## Wykaz\n\n## Wykaz\n\n## Wykaz\n\n##### Piąty\n\n###### Szósty\n\n#\n",
    "setext and nested": "Tytuł\n===\n\nPodtytuł\nw dwóch liniach\n---\n\n> ## W cytacie\n\n- ### W liście\n\n"
                         "1. #### Czwarty\n",
    "lines": "Akapit w pierwszej linii,\nw drugiej,\ni [odnośnik](uchwaly/x.md) w trzeciej.\n\n"
             "Drugi akapit: [a](a.md) [b](../b.md#n-sekcja) [c](#n-wykaz) [d](/zarzadzenia/)\n",
    "tables and lists": "| Nr | Dokument |\n|:--|--:|\n| 1 | [uchwała](u.md) |\n| 2 | ![skan](s.png) |\n\n"
                        "- [jeden](1.md)\n- dwa\n\n  [w akapicie punktu](2.md)\n\n"
                        "Termin\n: [definicja](d.md)\n",
    "references and autolinks": "[ref] i [inny][r2] i ![obraz][ref]\n\n[ref]: <plik z spacją.pdf> \"Tytuł\"\n"
                                "[r2]: https://example.org/?a=1&b=\"2\"\n\n<https://bip.example/ścieżka> "
                                "<mailto:urzad@gmina.example>\n",
    "urls": "[pl](ścieżka/zażółć.md) [amp](a.md?x=1&y=2) [q](\"cudzysłów\".md) [sp](<a b.md>) "
            "[pusty]() [mail](mailto:a@b.pl) [tel](tel:+48123)\n",
    "raw html without links": "<div class=\"ramka\">\n\n*Ważne* [link](w.md)\n\n</div>\n\n<b>pogrubione</b> "
                              "<span>i</span> <!-- komentarz --> <br>\n",
    "code": "`[nie link](x.md)` i\n\n```\n# nie nagłówek\n[nie](link.md)\n```\n\n    <a href=\"x\">kod</a>\n",
    "crlf": "# Nagłówek\r\n\r\nTekst z [odnośnikiem](x.md)\r\nw drugiej linii.\r\n",
    "null": "Znak \x00 zerowy [i link](x.md)\n",
    "hostile markdown": "[x](javascript:alert(1)) ![y](data:image/svg+xml;base64,PHN2Zz4=) [z](vbscript:x)\n",
}

REFERENCE_ONLY = {
    "footnote": "Tekst[^1] i znowu[^1].\n\n[^1]: Przypis z [odnośnikiem](p.md).\n",
    "inline footnote": "Tekst^[przypis w linii].\n",
    "raw link": "Zobacz <a href=\"x.md\">to</a> i [tamto](y.md).\n",
    "raw image": "<IMG src=\"x.png\" alt=\"\"> i ![obraz](y.png)\n",
    "raw heading": "<h2>Surowy</h2>\n\n## Zwykły\n",
    "no-break space": "Akapit z twardą spacją\u00a0\n\n\u00a0\n\n| a\u2003| b |\n|---|---|\n",
}


def rendered(render, body: str) -> tuple[str | None, list[tuple[str, int]], list[set[str]]]:
    calls: list[tuple[str, int]] = []
    ids: list[set[str]] = []

    def rewrite(href: str, line: int) -> str:
        calls.append((href, line))
        return "/wynik/" + href

    html = render(body, rewrite, 4, ids.append)
    return (sanitize(html) if html is not None else None), sorted(calls), ids


def assert_same(body: str) -> None:
    fast, reference = rendered(fast_html, body), rendered(reference_html, body)
    assert fast[0] is not None, "markdown-it-pyrs was not used"
    assert fast == reference


@pytest.mark.parametrize("name", sorted(CASES))
def test_fast_path_renders_as_the_reference(name: str) -> None:
    assert_same(CASES[name])


@pytest.mark.parametrize("name", sorted(REFERENCE_ONLY))
def test_bodies_the_fast_path_cannot_match_are_left_to_the_reference(name: str) -> None:
    body = REFERENCE_ONLY[name]
    assert fast_html(body) is None
    html, calls, ids = rendered(lambda *args: fast_html(*args) or reference_html(*args), body)
    assert (html, calls, ids) == rendered(reference_html, body)
    assert to_html(body) == sanitize(reference_html(body))


def test_text_that_is_not_utf8_is_left_to_the_reference() -> None:
    assert fast_html("Tekst \ud800 [link](x.md)\n") is None


def test_links_keep_the_line_of_their_block_and_headings_their_ids() -> None:
    html, calls, ids = rendered(fast_html, CASES["lines"] + "\n# Na końcu [z](z.md)\n")
    # a link's line is where its paragraph starts (as markdown-it-py's token map gives it), plus the offset
    assert calls == sorted([("uchwaly/x.md", 5), ("a.md", 9), ("../b.md#n-sekcja", 9), ("#n-wykaz", 9),
                            ("/zarzadzenia/", 9), ("z.md", 11)])
    assert ids == [{"n-na-koncu-z"}]
    assert '<h2 id="n-na-koncu-z">' in html and 'href="/wynik/uchwaly/x.md"' in html


def bodies(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.md")):
        parts = split_front_matter(path.read_text(encoding="utf-8"))
        found.append(getattr(parts, "body", ""))
    return found


def test_every_sample_and_demo_body_renders_as_the_reference(tmp_path: Path) -> None:
    generate(tmp_path / "demo", 3, 60, 40, seed=3)
    samples = bodies(ROOT / "content") + bodies(tmp_path / "demo" / "content")
    assert len(samples) > 200
    fast = [body for body in samples if fast_html(body) is not None]
    assert len(fast) >= 0.95 * len(samples)  # the others have footnotes or no-break spaces
    for body in fast:
        assert_same(body)
