"""Bodies are rendered by markdown-it-pyrs where it gives what markdown-it-py (the reference) gives, and
every body is rendered with bounded work.

For every body of the bundled sample content, of a `bip demo` region and of the cases below, the fast
path's HTML (sanitised), the links it asks to rewrite (with their lines) and the heading ids it reports
must be the reference's; the bodies it must leave to the reference (footnotes, raw HTML with links,
images or headings, text that is not UTF-8, the known disagreements and panics of markdown-it-pyrs) must
be left to it. `body_problem` refuses the bodies beyond the limits of bip.render.markdown, before any
parser drops content, recurses too deep or takes more than about 2 s; `to_html` raises BodyTooComplex for
those and nothing for any other.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from bip.demo import generate
from bip.load.text import split_front_matter
from bip.render import markdown
from bip.render.markdown import (
    MAX_BLOCK_CHARS,
    MAX_HTML_DEPTH,
    MAX_NESTING,
    BodyProblem,
    BodyTooComplex,
    body_problem,
    fast_html,
    heading_ids,
    reference_html,
    sanitize,
    to_html,
)

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


# -- markdown-it-pyrs's panics and disagreements -------------------------------------------------------------
PANICS = {
    "backtick in brackets": "Pan [O`Neil] złożył wniosek.\n",
    "backtick in a link label": "Zobacz [Uchwała nr 5` z 2024](x.md).\n",
    "unclosed label before a code span": "[foo `bar` baz`\n",
    "image label": "![alt `code` x`\n",
    "short": "[:`",
}


@pytest.mark.parametrize("name", sorted(PANICS))
def test_inputs_that_make_markdown_it_pyrs_panic_are_the_references(name: str, capfd) -> None:
    body = PANICS[name]
    assert fast_html(body) is None
    assert to_html(body) == sanitize(reference_html(body))
    assert heading_ids(body) == set()
    assert capfd.readouterr().err == ""  # no Rust backtrace: markdown-it-pyrs never saw the body


class Panic(BaseException):
    """Stands for pyo3's PanicException, a BaseException."""


class Failing:
    def __init__(self, error: BaseException) -> None:
        self.error = error

    def tree(self, text: str) -> None:
        raise self.error

    render = tree


def test_any_failure_of_markdown_it_pyrs_falls_back_to_the_reference(monkeypatch) -> None:
    body = CASES["lines"]
    monkeypatch.setattr(markdown, "_FAST", {})  # bodies parsed by earlier tests are not parsed again
    monkeypatch.setattr(markdown, "_fast", lambda: Failing(Panic("index out of bounds")))
    assert fast_html(body) is None
    assert to_html(body) == sanitize(reference_html(body))
    monkeypatch.setattr(markdown, "_FAST", {})
    monkeypatch.setattr(markdown, "_fast", lambda: Failing(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        to_html(body)


DISAGREEMENTS = {
    "image alt with escapes and entities": "![Wykres \\*dane\\* 2024 &amp; więcej](x.png)\n",
    "image alt with a line break": "![a\\\nb](x.png) ![c <b>d</b>](y.png)\n",
    "comment in a list item": "1. punkt\n\n    <!--\n    a\n\n    b\n    -->\n    akapit po komentarzu\n",
    "comment with --": "tekst <!-- a -- b --> dalej\n\n<!--> x -->\n",
    "declaration and CDATA": "akapit\n<!doctype html>\n\n<![CDATA[ x ]]>\n",
    "IPv6 link": "[serwer](http://[2001:db8::1]:8080/a) ![i](https://[::1]/a.png) <http://[::1]:8000/>\n",
    "host beyond ASCII": "[urząd](https://urząd.example/) [m](mailto:a@ą.pl) [p](http://xn--n3h.net/)\n",
    "autolink with %": "<http://bip.example/a%20b>\n",
    "emphasis beside a symbol": "*€*100 i **°C**\n",
    "empty block quote": ">\n\n> [ref]: /u\n\n[ref]\n",
    "code span of spaces": "`   ` i `  `\n",
    "table without | in its delimiter row": "a|b\n--\n",
    "table header that starts a list": "-|a\n-|-\n",
    "table row that starts a list": "| a | b |\n|---|---|\n| 1 | 2 |\n*\n",
    "list item ending a quote": "> cytat\n2) punkt\n",
    "definition and setext heading": "Termin\n: opis\n===\n",
    "definition holding a list": "Termin\n: - a\n: b\n",
    "tab in indentation": "* a\n\t<div\n",
    "HTML at the end without a line break": "<div>\n<p>x</p>",
    "fence at the end without a line break": "```\nkod",
    "21 nested brackets": "[" * 21 + "foo](x.md)\n",
    "tag name beyond ASCII": "para\n<dİv>\ntext\n",
    "reference title with a backslash line": "[foo]: /url \"\nhello\n\\\nworld\n\"\n\n[foo]\n",
    "many definitions": "".join(f"[d{n}]: /u{n}\n" for n in range(400)) + "[d1]\n",
    "many delimiters": "*a* " * 2600 + "\n",
}


@pytest.mark.parametrize("name", sorted(DISAGREEMENTS))
def test_known_disagreements_are_left_to_the_reference(name: str) -> None:
    body = DISAGREEMENTS[name]
    assert fast_html(body) is None
    assert to_html(body) == sanitize(reference_html(body))
    assert rendered(lambda *args: fast_html(*args) or reference_html(*args), body) == rendered(reference_html, body)


def test_a_definition_after_its_term_keeps_the_line_of_its_text() -> None:
    body = "Termin\n: opis\nDrugi\n: [odnośnik](x.md)\n\n1.\n   [w punkcie](y.md)\n"
    assert_same(body)
    assert rendered(fast_html, body)[1] == [("x.md", 8), ("y.md", 11)]


def test_text_normalised_as_markdown_it_py_does_before_markdown_it_pyrs() -> None:
    assert_same("# İ\x00a\n\nTekst\r[link](x.md)\rdalej\r\n[drugi](y.md)\n")


# -- recursion and quadratic time of the fast path's own code -------------------------------------------
def test_the_syntax_tree_walk_and_heading_titles_use_no_recursion() -> None:
    """_Scan and _title walk a tree 1,500 deep (past Python's recursion limit, beyond body_problem's limit:
    called directly) in document order."""
    assert sys.getrecursionlimit() <= 1500
    quotes = "".join("> " * level + f"[q{level}](q{level}.md)\n" + "> " * level + "\n" for level in range(1, 1500, 100))
    deep = "> " * 1500 + "[najgłębszy](d.md)\n"
    body = quotes + "\n" + deep
    scan = markdown._Scan(markdown._fast().tree(body), body)
    assert [url for url, _ in scan.links] == [f"q{level}.md" for level in range(1, 1500, 100)] + ["d.md"]
    assert scan.links[-1][1] == body.count("\n")
    lists = "".join("  " * level + "- x\n" for level in range(600)) + "  " * 600 + "- [w](w.md)\n"
    assert markdown._Scan(markdown._fast().tree(lists), lists).links == [("w.md", 601)]
    heading = "# " + "*" * 3000 + "Tytuł `kod` &amp;" + "*" * 3000 + "\n"
    scan = markdown._Scan(markdown._fast().tree(heading), heading)
    assert scan.headings == [(1, "Tytuł kod &")]


def test_the_lines_of_links_take_linear_time() -> None:
    """A 2 MB paragraph of 130,000 links: each link's line by bisection (it was a count of line breaks
    from the start for each link: minutes)."""
    body = "".join(f"[u{n}](u{n}.md)\n" for n in range(130_000))
    assert len(body) > 2_000_000
    tree = markdown._fast().tree(body)
    started = time.perf_counter()
    scan = markdown._Scan(tree, body)
    assert time.perf_counter() - started < 5
    assert len(scan.links) == 130_000 and {line for _, line in scan.links} == {1}


def test_repeated_headings_get_unique_ids_in_linear_time() -> None:
    body = "# Wykaz\n\n## Wykaz\n\n# Wykaz 1\n\n#\n\n#\n"
    plugin = MarkdownIt("commonmark")
    from mdit_py_plugins.anchors import anchors_plugin

    plugin.use(anchors_plugin, min_level=1, max_level=4, slug_func=markdown.heading_id)
    assert reference_html(body) == plugin.render(body)
    assert_same(body)
    started = time.perf_counter()
    ids = heading_ids("#\n" * 30_000)
    assert time.perf_counter() - started < 5  # the plugin's search takes minutes here
    assert len(ids) == 30_000


# -- limits (body_problem) -----------------------------------------------------------------------------
def nested_list(levels: int, text: str = "najgłębszy") -> str:
    return "".join("  " * level + f"- poziom {level}\n" for level in range(levels - 1)) + "  " * (levels - 1) + f"- {text}\n"


def test_legal_texts_and_quotes_nest_within_the_limit() -> None:
    legal = "§ 1.\n\n1. ust.\n   1) pkt\n      a) lit.\n         - tiret\n           - podtiret\n\n> cytat\n> > w cytacie\n"
    assert body_problem(legal) is None
    assert_same(legal)
    for body in (nested_list(MAX_NESTING), "> " * MAX_NESTING + "x\n", "- " * MAX_NESTING + "x\n",
                 "1. " * MAX_NESTING + "x\n", "* " * 60 + "*\n"):  # the last: a thematic break
        assert body_problem(body) is None, body


def test_deeper_nesting_is_refused_on_its_line() -> None:
    for body in (nested_list(MAX_NESTING + 1), "> " * (MAX_NESTING + 1) + "x\n", ">" * 100_000,
                 "- " * (MAX_NESTING + 1) + "x\n", "1. " * (MAX_NESTING + 1) + "x\n",
                 "\t" * (MAX_NESTING // 2 + 1) + "- x\n" * 2, "> - " * 16 + "x\n"):
        problem = body_problem("Wstęp\n\n" + body)
        assert problem is not None and problem.line >= 3, body[:40]
        assert problem.message == f"Strona zbyt złożona: zagnieżdżenie ponad {MAX_NESTING} poziomów (cytatów lub list)."


def test_nothing_accepted_is_dropped_by_a_parser() -> None:
    """At the deepest nesting accepted, with a table and a definition list inside, both parsers render the
    innermost text; the commonmark preset's maxNesting (20) would drop it."""
    inner = "| a | b |\n|---|---|\n| najgłębszy | x |\n\nTermin\n: opis\n"  # the definition: one more level
    indent = "  " * (MAX_NESTING - 2)
    body = nested_list(MAX_NESTING - 1, "punkt") + "\n" + "".join(indent + "  " + line + "\n" for line in inner.splitlines())
    assert body_problem(body) is None
    assert "najgłębszy" in to_html(body) and "opis" in to_html(body)
    assert "najgłębszy" in sanitize(markdown._fast().render(body))
    assert "najgłębszy" not in MarkdownIt("commonmark").enable("table").render(body)
    assert markdown._parser().options["maxNesting"] == 20  # inline: "[" 21 deep reads as text
    quotes = "> " * MAX_NESTING + "najgłębszy\n"
    assert "najgłębszy" in to_html(quotes) and "najgłębszy" not in MarkdownIt("commonmark").render(quotes)


def test_a_segfault_deep_body_never_reaches_markdown_it_pyrs(monkeypatch) -> None:
    """markdown-it-pyrs overflows its stack (a crash no exception catches) at ~100,000 nested quotes."""
    body = "> " * 100_000 + "x\n"
    monkeypatch.setattr(markdown, "_FAST", {})
    monkeypatch.setattr(markdown, "_fast", lambda: Failing(AssertionError("markdown-it-pyrs was called")))
    started = time.perf_counter()
    assert fast_html(body) is None
    with pytest.raises(BodyTooComplex) as raised:
        to_html(body)
    assert raised.value.problem == body_problem(body) and raised.value.problem.line == 1
    assert heading_ids(body) == set()
    assert time.perf_counter() - started < 1


def test_long_paragraphs_are_refused_and_long_tables_and_protocols_are_not() -> None:
    paragraph = "Wstęp.\n\n" + ("Bardzo długie zdanie protokołu. " * 20 + "\n") * 800
    problem = body_problem(paragraph)
    assert problem == BodyProblem(3, "Akapit za długi: ponad 500\u00a0000 znaków.", problem.hint)
    assert body_problem("x" * (MAX_BLOCK_CHARS + 1)).message.startswith("Akapit za długi")
    rows = "".join(f"| {n} | 600 | 60016 | §{4300 + n % 50} | Zakup usług pozostałych | {n * 1234.56:.2f} |\n"
                   for n in range(8000))
    table = "| Lp. | Dział | Rozdział | Paragraf | Nazwa | Kwota |\n|---|---|---|---|---|---:|\n" + rows
    assert len(table) > MAX_BLOCK_CHARS and body_problem(table) is None
    protocol = "\n\n".join("Radny zabrał głos w sprawie budżetu, pytając o wydatki. " * 30 for _ in range(1000))
    assert len(protocol) > 1_500_000 and body_problem(protocol) is None
    started = time.perf_counter()
    html = to_html(table)
    assert html.count("<tr>") == 8001 and time.perf_counter() - started < 10


def test_raw_html_nested_too_deep_is_refused() -> None:
    """nh3's parser checks the open elements at each tag: 100,000 nested <div> take 18 s."""
    reopened = "".join(f"<p><b id=x{n}></p>x" for n in range(300))  # each <b> reopened in every <p>: 10,000 take 4.7 s
    for body in ("<div>" * 100_000, "<div>\n" * (MAX_HTML_DEPTH + 1), "<span><div></span>" * 200, reopened,
                 "<li><ul></li>" * 200):
        problem = body_problem(body)
        assert problem is not None and "znaczniki HTML zagnieżdżone" in problem.message, body[:30]
    sloppy = ("<p>akapit bez końca\n" * 3000 + "<ul>" + "<li>punkt\n" * 3000 + "</ul>"
              + "<table>" + "<tr><td><b>x</td><td>y\n" * 3000 + "</table>")
    assert body_problem(sloppy) is None
    started = time.perf_counter()
    to_html(sloppy)
    assert time.perf_counter() - started < 5


def test_deep_emphasis_with_many_tags_is_refused() -> None:
    """Emphasis 25,000 deep leaves as many elements open for nh3 to scan at each of 10,000 tags."""
    body = "*" * 50_000 + "x" + "</x>" * 10_000 + "*" * 50_000
    problem = body_problem(body)
    assert problem is not None and "wyróżnienia" in problem.message
    bold = "\n\n".join(f"**Uchwała {n}:** tekst *ważny* [link](u{n}.md)" for n in range(5000))
    assert body_problem(bold) is None


@pytest.mark.parametrize("unit", ["[", "![", "[a](", "- a\n", "1. " * 20 + "a\n", "a|b\n", "^[a]", "&#1;["])
def test_the_work_budget_refuses_what_would_take_too_long(unit: str) -> None:
    """3 MB of one costly construct, in paragraphs of 20,000 characters: refused by the work budget (in
    at most a second or so, where rendering would take a minute); the most paragraphs it accepts render in
    about 2 s on a quiet machine (10 s allowed here, for a busy one)."""
    chunk = unit * (20_000 // len(unit)) + "\n\n"
    started = time.perf_counter()
    problem = body_problem(chunk * 150)
    assert time.perf_counter() - started < 3
    assert problem is not None and problem.message.startswith("Strona zbyt złożona: za dużo składni"), unit
    low, high = 0, 150
    while low < high:  # the most paragraphs accepted
        middle = (low + high + 1) // 2
        low, high = (middle, high) if body_problem(chunk * middle) is None else (low, middle - 1)
    if unit in ("[", "- a\n", "a|b\n", "^[a]"):
        started = time.perf_counter()
        to_html(chunk * low)
        assert time.perf_counter() - started < 10


def test_body_problem_is_cheap_for_ordinary_bodies() -> None:
    body = CASES["tables and lists"] * 20
    started = time.perf_counter()
    for _ in range(1000):
        assert body_problem(body) is None
    assert time.perf_counter() - started < 1


def test_no_pattern_backtracks_on_long_runs() -> None:
    """Every regular expression of bip.render.markdown takes linear time on long runs of the characters
    that invite backtracking (a run of 22,500 spaces once took body_problem 8 s)."""
    import itertools
    import re

    patterns = []
    for name in dir(markdown):
        value = getattr(markdown, name)
        if isinstance(value, re.Pattern):
            patterns.append((name, value))
        elif isinstance(value, markdown._LineStart):
            patterns += [(name + ".first", value.first), (name + ".rest", value.rest)]
    anchored = {"_QUOTE_PREFIX", "_PREFIX", "_FENCE", "_ALIGN", "_QUOTES", "_HOST", "_HOSTED", "_MARKER"}
    chars = " \t-|#=*>`~:[]!&1._\\a\n"
    units = [c * 10_000 for c in chars] + [(a + b) * 5_000 for a, b in itertools.product(" \t->*|-1.", repeat=2)]
    slow = []
    for name, pattern in patterns:
        if name == "_TAG":
            continue  # to_text's, on sanitised HTML only (every "<" closed)
        for unit in units:
            for tail in ("", "x"):
                text = "\n" + unit + tail
                subject = text if isinstance(pattern.pattern, str) else text.encode()
                started = time.perf_counter()
                if name.endswith(".first") or name in anchored:
                    pattern.match(subject, 1)
                else:
                    for _ in pattern.finditer(subject):
                        pass
                if time.perf_counter() - started > 0.25:
                    slow.append((name, unit[:4], tail))
    assert slow == []
