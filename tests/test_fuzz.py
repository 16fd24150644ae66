"""Property-based fuzzing of front matter, unit.yaml and Markdown bodies (hypothesis).

Whatever bytes an editor commits, the result is published sanitised HTML or a located problem:
never an exception, never a hang. The body's structure (deep nesting, long paragraphs, raw HTML,
backticks among brackets) is fuzzed on bip.render.markdown directly: `body_problem` refuses the body
(and `to_html` raises BodyTooComplex with that problem) or `to_html` returns sanitised HTML, in bounded
time. CI runs a bounded number of examples (the body-structure ones derandomised); set
BIP_FUZZ_EXAMPLES (e.g. 5000) for a long, randomised run.
"""

from __future__ import annotations

import datetime as dt
import html.parser
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from conftest import REGION, UNIT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bip.load import load_region
from bip.problems import Problems
from bip.render.markdown import BodyTooComplex, body_problem, fast_html, heading_ids, reference_html, sanitize, to_html
from bip.render.site import UnitSite
from bip.validate import validate_region

EXAMPLES = int(os.environ.get("BIP_FUZZ_EXAMPLES", "60"))
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
FUZZ = settings(max_examples=EXAMPLES, deadline=dt.timedelta(seconds=5),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


class Checker(html.parser.HTMLParser):
    """Records what must never be in published HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed", "style") and not (
            tag == "script" and dict(attrs).get("src", "").split("/")[-1].startswith(("bip.", "search."))
        ):
            self.bad.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.bad.append(f"{tag}@{name}")
            if name in ("href", "src") and value and value.strip().lower().startswith(("javascript:", "vbscript:", "data:text")):
                self.bad.append(f"{tag}@{name}={value}")


def publish_or_locate(files: dict[str, bytes]) -> None:
    """Load, validate and render in-process; every outcome must be clean HTML or located problems."""
    root = Path(tempfile.mkdtemp(prefix="bip-fuzz-"))
    try:
        base = {"content/region.yaml": REGION.encode(), "content/gmina-f/unit.yaml": UNIT.encode()}
        for relative, data in {**base, **files}.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        problems = Problems()
        region = load_region(root, problems)
        if region is not None:
            validate_region(root, region, problems, NOW)
        for problem in problems.items:
            assert problem.file and problem.line >= 1 and problem.message
        if region is None or problems.has_errors():
            assert problems.has_errors() or region is not None
            return
        for unit in region.units.values():
            site = UnitSite(root, region, unit, NOW)
            for relative, data in site.outputs():
                if relative.endswith(".html"):
                    checker = Checker()
                    checker.feed(data.decode("utf-8"))
                    assert not checker.bad, (relative, checker.bad)
    finally:
        shutil.rmtree(root, ignore_errors=True)


HOSTILE = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
    "<a href='JaVaScRiPt:alert(1)'>x</a>", "<svg onload=alert(1)>", "<iframe src=//x>", "<style>*{}</style>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a>", "\x00", "\u202e", "---", "&#x6A;avascript:",
    "<div onclick=\"x\">", "![i](vbscript:x)", "<math><mi xlink:href=\"javascript:alert(1)\">",
])
MARKDOWN = st.lists(st.one_of(st.text(max_size=200), HOSTILE, st.sampled_from(
    ["# Nagłówek", "| a | b |\n|---|---|\n| 1 | 2 |", "- lista\n  - zagnieżdżona", "> cytat", "```\nkod\n```",
     "[^1]\n\n[^1]: przypis", "x" * 5000])), max_size=12).map("\n\n".join)
SCALAR = st.one_of(st.text(max_size=40), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False),
                   st.sampled_from(["2024-02-30", "2024-01-01", "2024-13-01", "uchwala", "XII/1/2024", "w toku"]))
YAML_VALUE = st.recursive(SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                          st.dictionaries(st.text(max_size=10), inner, max_size=4)),
                          max_leaves=20)
KEYS = st.sampled_from(["title", "type", "number", "adopted", "status", "draft", "publish_at", "valid_until",
                        "attachments", "aliases", "weight", "author", "created", "published", "deadline"])


def dump(value: object) -> str:
    import yaml

    return yaml.safe_dump(value, allow_unicode=True)


@FUZZ
@given(raw=st.binary(max_size=3000))
def test_random_bytes_as_a_page(raw):
    publish_or_locate({"content/gmina-f/strona.md": raw})


@FUZZ
@given(meta=st.dictionaries(st.one_of(KEYS, st.text(max_size=12)), YAML_VALUE, max_size=8), body=MARKDOWN)
def test_random_front_matter_and_hostile_markdown(meta, body):
    text = "---\n" + dump(meta) + "---\n" + body
    publish_or_locate({"content/gmina-f/strona.md": text.encode("utf-8", "surrogatepass")})


@FUZZ
@given(text=st.text(max_size=2000), encoding=st.sampled_from(["utf-8", "utf-16", "cp1250", "latin-1", "utf-8-sig"]))
def test_mixed_encodings_and_control_characters(text, encoding):
    data = ("---\ntitle: " + text[:50] + "\n---\n" + text).encode(encoding, "replace")
    publish_or_locate({"content/gmina-f/strona.md": data})


@FUZZ
@given(unit=st.dictionaries(st.one_of(st.sampled_from(["name", "kind", "parent", "editors", "accessibility",
                                                        "menu", "email", "theme"]), st.text(max_size=8)),
                            YAML_VALUE, max_size=8))
def test_random_unit_yaml(unit):
    publish_or_locate({
        "content/gmina-f/unit.yaml": dump(unit).encode(),
        "content/gmina-f/index.md": b"---\ntitle: Start\n---\nTre\xc5\x9b\xc4\x87\n",
    })


@FUZZ
@given(depth=st.integers(min_value=1, max_value=400), width=st.integers(min_value=1, max_value=3000))
def test_deep_nesting_and_long_lines(depth, width):
    nested = "title: x\nk: " + "[" * depth + "1" + "]" * depth + "\n"
    body = ("> " * min(depth, 100)) + "słowo " * width + "\n" + ("- " * min(depth, 60)) + "x\n"
    publish_or_locate({"content/gmina-f/a.md": ("---\n" + nested + "---\n" + body).encode()})


# -- body structure, on bip.render.markdown directly ------------------------------------------------------
STRUCTURE = settings(max_examples=max(EXAMPLES // 2, 30), deadline=dt.timedelta(seconds=20),
                     derandomize="BIP_FUZZ_EXAMPLES" not in os.environ,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PREFIX = st.sampled_from(["> ", ">", "- ", "* ", "+ ", "1. ", "2) ", "  ", "    ", "\t", ": ", "-\t", "> - ", "1. > "])
PIECE = st.sampled_from([
    "`", "``", "```", "[", "]", "(", ")", "![", "](x.md)", "[a](b.md)", "*", "**", "_", "~~", "~~~", "<b>", "</b>",
    "<div>", "</div>", "<span>", "<!--", "-->", "&amp;", "&#1;", "\\", "tekst", "ąę", "€", " ", "|", "#", "^[",
    "[^1]", "]: /u", "\n", "\n\n", "-|-", "=", "<http://a.pl>", "Pan [O`Neil]",
])
INLINE = st.lists(PIECE, max_size=20).map("".join)
NESTED = st.builds(lambda prefix, depth, text: prefix * depth + text, PREFIX, st.integers(0, 120), INLINE)
LONG = st.builds(lambda text, times: (text + " ") * times, INLINE, st.integers(1, 30_000))
TAGS = st.builds(lambda tag, times: tag * times,
                 st.sampled_from(["<div>", "<em>", "<span><div></span>", "<p><b>x</p>", "<li>", "<td>", "<ul><li>"]),
                 st.integers(0, 3000))
BODY = st.lists(st.one_of(NESTED, NESTED, LONG, TAGS, INLINE), max_size=10).map("\n".join)


def render_or_refuse(body: str) -> None:
    """A located problem, or sanitised HTML: never another exception; both in bounded time (about 2 s at
    most on a quiet machine for what body_problem accepts; 10 s allowed here, for a busy one)."""
    started = time.perf_counter()
    problem = body_problem(body)
    if problem is not None:
        with pytest.raises(BodyTooComplex) as raised:
            to_html(body)
        assert time.perf_counter() - started < 10
        assert 1 <= problem.line <= body.count("\n") + body.count("\r") + 1
        assert problem.message and problem.hint
        assert raised.value.problem == problem
        assert heading_ids(body) == set() and fast_html(body) is None
    else:
        html = to_html(body)
        assert time.perf_counter() - started < 10
        checker = Checker()
        checker.feed(html)
        assert not checker.bad
        assert isinstance(heading_ids(body), set)


@STRUCTURE
@given(body=BODY)
def test_body_structure_renders_or_is_refused(body):
    render_or_refuse(body)


@STRUCTURE
@given(prefix=PREFIX, depth=st.integers(0, 200), text=INLINE)
def test_deep_nesting_renders_or_is_refused_and_the_fast_path_agrees(prefix, depth, text):
    body = prefix * depth + text + "\n"
    render_or_refuse(body)
    fast = fast_html(body)
    if fast is not None:
        assert sanitize(fast) == sanitize(reference_html(body))


@STRUCTURE
@given(pieces=st.lists(st.sampled_from(["`", "[", "]", "](x.md)", "![", "\\", "<", ">", "|", "a", " ", "\n"]),
                       max_size=60))
def test_backticks_among_brackets_never_reach_a_panic(pieces):
    body = "".join(pieces)
    render_or_refuse(body)
    fast = fast_html(body)
    if fast is not None:
        assert sanitize(fast) == sanitize(reference_html(body))
