"""Diffs citizens can read, from a real git history: the rendered text compared block by block (no Markdown),
document fields as "pole: było → jest" with Polish dates, word-level <ins>/<del> with screen-reader labels,
table cells named by row and column, bounded work on huge or adversarial versions, and the odd versions
(shown as source, front matter that no longer validates, deleted pages, no previous version)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import html5lib
import pytest
from conftest import NOW, REGION, UNIT, commit_files, page, run_bip
from pdfs import accessible_pdf

from bip.registry.blocks import Block, html_blocks
from bip.registry.diff import WORD_DIFF_LIMIT, compare, diff_blocks, words
from bip.registry.sequence import Budget, opcodes
from bip.render.markdown import to_html

U = "content/gmina-testowa"
BODY_1 = """Na podstawie art. 18 ustawy o samorządzie gminnym Rada Gminy uchwala, co następuje:

## Przepisy ogólne

**§ 1.** Ustala się dochody budżetu w kwocie **100 zł**.

**§ 2.** Zestawienie:

| Wyszczególnienie | Plan (zł) |
|---|--:|
| Dochody | 100 |
| Wydatki | 90 |

- punkt pierwszy
- punkt drugi

**§ 3.** Uchwała wchodzi w życie z dniem podjęcia.
"""
BODY_2 = (BODY_1.replace("## Przepisy ogólne", "## Przepisy wstępne")
          .replace("**100 zł**", "**120 zł**").replace("| 90 |", "| 95 |"))
ATTACHMENT = "\n  - file: zal.pdf\n    title: Załącznik nr 1"
DEEP = "> " * 40 + "Zbyt głęboko zagnieżdżony cytat."


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("porownania") / "projekt"
    uchwala = f"{U}/uchwaly/uchwala-v-1-2024.md"
    commit_files(root, {
        "content/region.yaml": REGION, f"{U}/unit.yaml": UNIT, f"{U}/index.md": page("Strona główna", "Witamy."),
        f"{U}/uchwaly/zal.pdf": accessible_pdf("Załącznik do uchwały"),
        uchwala: page("Uchwała budżetowa", BODY_1, type="uchwala", number='"V/1/2024"', adopted="2024-09-26",
                      status="obowiązująca"),
        f"{U}/stara.md": page("Strona do usunięcia", "Pierwsza treść."),
        f"{U}/zlozona.md": page("Strona złożona", "Prosta treść."),
        # front matter that does not validate today: a list for a number, a date as clerks write it, no such status
        f"{U}/dawna.md": page("Dawny komunikat", "Treść komunikatu.", type="uchwala", number="[1, 2]",
                              adopted="26.09.2024", status="archiwalna"),
    }, "Dodanie uchwały budżetowej", "2024-09-27T10:00:00+02:00")
    commit_files(root, {
        uchwala: page("Uchwała budżetowa", BODY_2, type="uchwala", number='"V/1/2024"', adopted="2024-09-27",
                      status="zmieniona", attachments=ATTACHMENT),
        f"{U}/stara.md": page("Strona do usunięcia", "Druga treść."),
        f"{U}/zlozona.md": page("Strona złożona", DEEP),
        f"{U}/dawna.md": page("Dawny komunikat", "Treść komunikatu po poprawce.", type="ogloszenie"),
    }, "Korekta uchwały budżetowej", "2024-10-02T09:00:00+02:00")
    commit_files(root, {f"{U}/zlozona.md": page("Strona złożona", "Prosta treść, poprawiona.")},
                 "Uproszczenie strony", "2024-10-03T09:00:00+02:00")
    (root / f"{U}/stara.md").unlink()
    commit_files(root, {}, "Usunięcie nieaktualnej strony", "2024-10-04T09:00:00+02:00")
    proc = run_bip(root, "build", "--now", NOW)
    assert proc.returncode == 0, proc.stderr
    return root


def read(site: Path, name: str) -> str:
    return (site / "public/gmina-testowa/rejestr-zmian/strony" / name).read_text(encoding="utf-8")


def visible(markup: str) -> str:
    """The text a sighted reader sees of the diff (labels for screen readers left out)."""
    main = markup.split("<h2>Dane dokumentu</h2>", 1)[1].split("Wszystkie wersje tej strony", 1)[0]
    main = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", main)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", main))).strip()


def test_the_rendered_text_is_compared_not_the_markdown(site):
    diff = read(site, "uchwaly/uchwala-v-1-2024.zmiany-2.html")
    shown = visible(diff)
    for syntax in ("**", "|---", "| ", "#"):
        assert syntax not in shown
    # a block under a heading says which (as the newer version names it)
    assert "Zmieniono akapit (w części „Przepisy wstępne”): § 1. Ustala się dochody budżetu w kwocie 100 120 zł." in shown
    assert "Zmieniono nagłówek: Przepisy ogólne wstępne" in shown
    assert 'class="diff-block diff-changed diff-heading"' in diff
    # what did not change is counted, not repeated
    assert "Uchwała wchodzi w życie" not in shown and "punkt pierwszy" not in shown
    assert re.search(r"… \d+ fragment(y|ów)? bez zmian", shown)
    html5lib.HTMLParser(strict=True).parse(diff)


def test_fields_are_listed_as_before_and_after_with_polish_dates(site):
    diff = read(site, "uchwaly/uchwala-v-1-2024.zmiany-2.html")
    shown = visible(diff)
    assert "Data podjęcia: 26 września 2024 r. → 27 września 2024 r." in shown
    assert "Status: obowiązująca → zmieniona" in shown
    assert "Załącznik: brak → Załącznik nr 1 (zal.pdf)" in shown
    assert "Bez zmian: Tytuł, Rodzaj dokumentu, Numer." in shown
    assert "2024-09-2" not in shown
    assert ('<span class="diff-where">Status:</span> <del><span class="visually-hidden">[usunięto: </span>'
            'obowiązująca<span class="visually-hidden">]</span></del> <span aria-hidden="true">→</span> '
            '<ins><span class="visually-hidden">[dodano: </span>zmieniona<span class="visually-hidden">]</span></ins>'
            ) in diff


def test_words_are_marked_with_text_for_screen_readers(site):
    diff = read(site, "uchwaly/uchwala-v-1-2024.zmiany-2.html")
    assert ('<del><span class="visually-hidden">[usunięto: </span>100<span class="visually-hidden">]</span></del>'
            '<ins><span class="visually-hidden">[dodano: </span>120<span class="visually-hidden">]</span></ins>') in diff
    assert "Liczba zmian: 6." in diff  # heading, paragraph, cell; date, status, attachment


def test_a_changed_table_cell_names_its_row_and_column(site):
    shown = visible(read(site, "uchwaly/uchwala-v-1-2024.zmiany-2.html"))
    assert ("Zmieniono komórkę tabeli (w części „Przepisy wstępne”, wiersz 2 „Wydatki”, kolumna „Plan (zł)”): 90 95"
            in shown)


def test_a_version_shown_as_source_is_compared_as_source(site):
    for n in (2, 3):
        diff = read(site, f"zlozona.zmiany-{n}.html")
        assert "porównano tekst źródłowy obu wersji" in diff
        assert "fragment tekstu źródłowego" in diff
        html5lib.HTMLParser(strict=True).parse(diff)
    assert "> > Zbyt głęboko zagnieżdżony cytat" in visible(read(site, "zlozona.zmiany-2.html"))


def test_front_matter_that_no_longer_validates_is_shown_as_it_was(site):
    shown = visible(read(site, "dawna.zmiany-2.html"))
    assert "Rodzaj dokumentu: Uchwała → Ogłoszenie" in shown
    assert "Numer: 1, 2 → brak" in shown and "Status: archiwalna → brak" in shown
    assert "Zmieniono akapit: Treść komunikatu po poprawce" in shown


def test_a_deleted_page_keeps_its_diffs(site):
    diff = read(site, "stara.zmiany-2.html")
    assert "Zmieniono akapit: Pierwsza Druga treść." in visible(diff)
    assert 'href="../../rejestr-zmian/strony/stara.wersja-2.html">wersją 2</a> z dnia' in diff
    html5lib.HTMLParser(strict=True).parse(diff)


def test_diff_pages_are_the_same_in_every_build(site, tmp_path):
    proc = run_bip(site, "build", "--now", NOW, "--out", str(tmp_path / "znowu"))
    assert proc.returncode == 0, proc.stderr
    for name in ("uchwaly/uchwala-v-1-2024.zmiany-2.html", "zlozona.zmiany-2.html", "dawna.zmiany-2.html"):
        again = tmp_path / "znowu/gmina-testowa/rejestr-zmian/strony" / name
        assert again.read_text(encoding="utf-8") == read(site, name)


def blocks_of(markdown: str) -> list[Block]:
    return html_blocks(to_html(markdown))


def test_a_page_without_a_previous_version_is_all_added_and_a_deleted_one_all_removed():
    from bip.model import Page

    new = Page("gmina-testowa", f"{U}/a.md", "a/", "", False, "Komunikat", "ogloszenie",
               {"title": "Komunikat", "type": "ogloszenie", "published": __import__("datetime").date(2024, 9, 26)},
               {}, "Pierwszy akapit.\n\n- punkt", 4)
    added = compare(None, "", new, to_html(new.body))
    assert [(r.status, r.label) for r in added.rows] == [("added", "Dodano akapit"), ("added", "Dodano punkt listy")]
    assert ("Data udostępnienia", '<span class="diff-none">brak</span>',
            '<ins><span class="visually-hidden">[dodano: </span>26 września 2024 r.<span class="visually-hidden">]'
            '</span></ins>') in added.fields
    removed = compare(new, to_html(new.body), None, "")
    assert [r.status for r in removed.rows] == ["removed", "removed"] and removed.changes == 2 + 3


def test_blocks_of_a_rendered_body():
    found = blocks_of("# Tytuł\n\nTekst z przypisem[^1].\n\n> cytat\n\nTermin\n: opis\n\n"
                      "| A | B |\n|---|---|\n| x | 1 |\n\n| C |\n|---|\n| y |\n\n[^1]: Przypis.\n")
    assert [(b.kind, b.text, b.where) for b in found] == [
        ("heading", "Tytuł", ""), ("paragraph", "Tekst z przypisem[1].", ""), ("quote", "cytat", ""),
        ("term", "Termin", ""), ("definition", "opis", ""),
        ("cell", "A", "tabela 1, wiersz nagłówka, kolumna 1"), ("cell", "B", "tabela 1, wiersz nagłówka, kolumna 2"),
        ("cell", "x", "tabela 1, wiersz 1, kolumna „A”"), ("cell", "1", "tabela 1, wiersz 1 „x”, kolumna „B”"),
        ("cell", "C", "tabela 2, wiersz nagłówka, kolumna 1"), ("cell", "y", "tabela 2, wiersz 1, kolumna „C”"),
        ("footnote", "Przypis.", ""),
    ]


def test_changes_one_space_apart_are_one_change():
    assert words("ala ma kota", "ola ma psa") == (
        '<del><span class="visually-hidden">[usunięto: </span>ala<span class="visually-hidden">]</span></del>'
        '<ins><span class="visually-hidden">[dodano: </span>ola<span class="visually-hidden">]</span></ins> ma '
        '<del><span class="visually-hidden">[usunięto: </span>kota<span class="visually-hidden">]</span></del>'
        '<ins><span class="visually-hidden">[dodano: </span>psa<span class="visually-hidden">]</span></ins>')
    assert "[usunięto: </span>Rada uchwala" in words("Rada uchwala budżet.", "Wójt zarządza budżet.")


def test_opcodes_rebuild_the_newer_sequence():
    cases = [("", ""), ("abc", ""), ("", "abc"), ("abcabba", "cbabac"), ("ala ma kota", "ola ma psa"),
             ("xxxxabyyyy", "xxxxbayyyy")]
    for a, b in cases:
        ops = opcodes(a, b, Budget())
        assert ops is not None
        rebuilt = "".join(b[j1:j2] for _, _, _, j1, j2 in ops)
        assert rebuilt == b and all(a[i1:i2] == b[j1:j2] for tag, i1, i2, j1, j2 in ops if tag == "equal")
        assert [i1 for _, i1, _, _, _ in ops] == sorted(i1 for _, i1, _, _, _ in ops)


def test_a_huge_changed_paragraph_is_shown_whole():
    """A paragraph beyond WORD_DIFF_LIMIT is shown as removed and added whole, small changed blocks keep
    their word-level diff."""
    old = " ".join(f"słowo{i}" for i in range(100_000))
    new = old.replace("słowo500 ", "zmienione ")
    assert words(old, new) is None
    rows = diff_blocks([Block("paragraph", "Wstęp."), Block("paragraph", old)],
                       [Block("paragraph", "Wstęp."), Block("paragraph", new)])
    assert [row.status for row in rows] == ["same", "removed", "added"]
    small = diff_blocks([Block("paragraph", "Rada Gminy uchwala budżet.")],
                        [Block("paragraph", "Rada Gminy uchwala zmiany budżetu.")])
    assert [row.status for row in small] == ["changed"]


def test_work_is_bounded_on_the_worst_texts():
    """Two paragraphs of two words in random order within WORD_DIFF_LIMIT would take difflib tens of seconds:
    the search stops at its budget and the blocks are shown whole; a few changes in a long paragraph fit."""
    import random

    chance = random.Random(7)
    old = " ".join(chance.choice(("tak", "nie")) for _ in range(WORD_DIFF_LIMIT // 4))
    new = " ".join(chance.choice(("tak", "nie")) for _ in range(WORD_DIFF_LIMIT // 4))
    budget = Budget()
    assert words(old, new, budget) is None
    assert budget.left < 0 and budget.left > -WORD_DIFF_LIMIT  # stopped as soon as the budget was spent
    rows = diff_blocks([Block("paragraph", old)], [Block("paragraph", new)])
    assert [row.status for row in rows] == ["removed", "added"]
    # many changed blocks: once the page's budget is spent, the rest are shown whole, never compared
    many = diff_blocks([Block("cell", f"{i} {old[:2000]}") for i in range(50)],
                       [Block("cell", f"{i} {new[:2000]}") for i in range(50)])
    assert {row.status for row in many} <= {"changed", "removed", "added"} and "removed" in {r.status for r in many}
    long = " ".join(f"słowo{i}" for i in range(4000))
    assert words(long, long.replace("słowo100 ", "inne ").replace("słowo3000 ", "jeszcze ")) is not None


def test_diff_pages_are_valid_html(site):
    import subprocess

    from test_html_validity import vnu_command

    pages = sorted((site / "public/gmina-testowa/rejestr-zmian/strony").rglob("*.zmiany-*.html"))
    assert len(pages) == 5
    proc = subprocess.run([*vnu_command(), "--errors-only", "--format", "gnu", *map(str, pages)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and not proc.stdout.strip() and not proc.stderr.strip(), proc.stdout + proc.stderr


def test_blocks_beyond_the_budget_keep_their_unchanged_start_and_end():
    old = [Block("cell", str(i)) for i in range(3000)]
    new = [Block("cell", str(i) if i < 100 or i >= 2900 or i % 2 else f"{i}a") for i in range(3000)]
    budget = Budget()
    assert opcodes([b.key for b in old], [b.key for b in new], Budget()) is None
    rows = diff_blocks(old, new, budget)
    assert rows[0].status == rows[-1].status == "same" and (rows[0].count, rows[-1].count) == (100, 101)
    assert [row.status for row in rows[1:4]] == ["removed", "added", "same"] and rows[3].count == 1
