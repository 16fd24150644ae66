"""The fast path (markdown-it-pyrs) against the reference (markdown-it-py) on the CommonMark spec examples,
markdown-it-py's own fixtures (tests/data/markdown/, see its README) and fuzzed Markdown.

For every input: rendering through `to_html` never raises, and wherever `fast_html` answers, its sanitised
HTML, the links it asks to rewrite (with their lines) and the heading ids it reports are the reference's;
`heading_ids` gives the reference's ids. CI runs a fixed, derandomised set of fuzz examples; set
BIP_FUZZ_EXAMPLES (e.g. 50000) for a long, randomised run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_markdown import rendered

from bip.render import markdown
from bip.render.markdown import body_problem, fast_html, heading_ids, link_targets, reference_html, to_html

DATA = Path(__file__).resolve().parent / "data" / "markdown"
SPEC = json.loads((DATA / "commonmark_spec.json").read_text(encoding="utf-8"))
FIXTURES = json.loads((DATA / "markdown_it_py_fixtures.json").read_text(encoding="utf-8"))
EXAMPLES = {f"spec {e['example']}": e["markdown"] for e in SPEC}
EXAMPLES.update({f"{f['file']}:{f['line']}": f["markdown"] for f in FIXTURES})


def check(body: str) -> bool:
    """The property; True where the fast path answered."""
    assert body_problem(body) is not None or isinstance(to_html(body), str)
    if body_problem(body) is not None:
        return False
    fast = rendered(fast_html, body)
    reference = rendered(reference_html, body)
    assert heading_ids(body) == reference[2][0]
    if fast[0] is None:
        return False
    assert fast == reference
    return True


def test_the_vendored_data_is_whole() -> None:
    assert len(SPEC) == 652 and [e["example"] for e in SPEC] == list(range(1, 653))
    assert len(FIXTURES) == 308 and len(EXAMPLES) == 960


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_renders_as_the_reference(name: str) -> None:
    check(EXAMPLES[name])


def test_most_examples_take_the_fast_path() -> None:
    fast = [name for name, body in EXAMPLES.items() if fast_html(body) is not None]
    # 801 of 960 when written (569 of the 652 spec examples); the others are left to the reference by the
    # checks of bip.render.markdown
    assert len(fast) >= 780, len(fast)


class _Targets(HTMLParser):
    """The href and src attributes of a page's elements."""

    def __init__(self) -> None:
        super().__init__()
        self.found: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.update(value for name, value in attrs if name in ("href", "src") and value is not None)


def test_links_read_from_the_fast_parse_are_those_of_the_rendered_html() -> None:
    """The unused-files check takes a fast-path body's links from its parse instead of its sanitised HTML."""
    compared = 0
    for name, body in EXAMPLES.items():
        if body_problem(body) is not None:
            continue
        targets = link_targets(body)
        if targets is None:
            continue
        parser = _Targets()
        parser.feed(to_html(body, lambda href, line: href))
        # the sanitiser drops a URL of a scheme it does not allow (javascript:); such a link names no file
        assert set(targets) >= parser.found and all(":" in t for t in set(targets) - parser.found), name
        compared += 1
    assert compared >= 780, compared


def test_no_example_left_to_markdown_it_pyrs_makes_it_panic() -> None:
    """The text checks keep markdown-it-pyrs from the inputs that make it panic (and print a Rust backtrace):
    of the examples they let through, none panics."""
    panics = []
    for name, body in EXAMPLES.items():
        text = markdown._normalized(body)
        if markdown._reference_only(text):
            continue
        try:
            markdown._fast().tree(text)
            markdown._fast().render(text)
        except BaseException:  # noqa: BLE001 - pyo3's PanicException
            panics.append(name)
    assert panics == []


# -- fuzz --------------------------------------------------------------------------------------------
EXAMPLE_COUNT = int(os.environ.get("BIP_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLE_COUNT, deadline=dt.timedelta(seconds=5),
                derandomize="BIP_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

ATOMS = st.sampled_from([
    *"`[]()*_!<>-&\\ \n\t|:~#\"'.=/+%",
    "``", "```", "~~", "**", "\n\n", "\r\n", "\r", "\x00", "1", "42", "a", "z", "Ł", "ą", "ż", "ó", "ß", "İ", "ſ",
    "€", "°", "§", "„", "”", "–", "\u00a0", "> ", ">", "- ", "* ", "+ ", "1. ", "2) ", "  ", "    ", ": ", "# ", "## ",
    "<b>", "</b>", "<div>", "</div>", "<span class=\"x\">", "</span>", "<br>", "<p>", "</p>", "<!-- uwaga -->",
    "<!--", "-->", "<![CDATA[x]]>", "<!DOCTYPE html>", "<a href=\"x\">", "</a>", "<img src=x>", "&amp;", "&#35;",
    "&nbsp;", "&copy;", "[x](a.md)", "](b.md)", "![", "![alt](i.png)", "<http://a.pl>", "<a@b.pl>", "http://",
    "https://[::1]/", "//ą.pl/", "xn--", "%20", "[^1]", "^[", "]: /u", "[ref]", "| a | b |\n|---|---|\n",
    "a|b\n-|-\n", "---\n", "===\n", "***", "\\`", "\\*", "[O`Neil]",
])
MARKDOWN = st.lists(ATOMS, max_size=40).map("".join)


@FUZZ
@given(body=MARKDOWN)
def test_fuzzed_markdown_renders_as_the_reference(body: str) -> None:
    started = time.perf_counter()
    check(body)
    assert time.perf_counter() - started < 2


@FUZZ
@given(lines=st.lists(st.tuples(st.lists(st.sampled_from(["> ", "- ", "1. ", "  ", "    ", ": ", "* "]), max_size=4),
                                MARKDOWN), max_size=8))
def test_fuzzed_lines_in_containers_render_as_the_reference(lines: list[tuple[list[str], str]]) -> None:
    check("\n".join("".join(prefix) + text for prefix, text in lines))
