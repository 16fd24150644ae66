"""Property-based fuzzing of front matter, unit.yaml and Markdown bodies (hypothesis).

Whatever bytes an editor commits, the result is published sanitised HTML or a located problem:
never an exception, never a hang. CI runs a bounded number of examples; set BIP_FUZZ_EXAMPLES
(e.g. 5000) for a long run.
"""

from __future__ import annotations

import datetime as dt
import html.parser
import os
import shutil
import tempfile
from pathlib import Path

from conftest import REGION, UNIT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bip.load import load_region
from bip.problems import Problems
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
