"""Editors' raw HTML and Markdown are published without scripts, event handlers or dangerous URLs.

The page is built by the real command line and every generated HTML file is read back with
html5lib, which parses the way browsers do.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import Element

import html5lib
import pytest
from conftest import NOW, basic_files, run_bip
from pdfs import accessible_pdf
from test_build import site_files
from test_validation import U, fm

NASTY_BODY = """Zwykły akapit ze <script>alert("w akapicie")</script> skryptem.

<script>alert(1)</script>

<img src="x.png" onerror="alert(1)" alt="obrazek">

<a href="javascript:alert(1)">link js</a>

<a href="JaVaScRiPt:alert(1)">link JS</a>

<a href=" java&#x09;script:alert(1)">link z tabulatorem</a>

<a href="&#106;avascript:alert(1)">link z encją</a>

<iframe src="https://zly.example/"></iframe>

<style>body { display: none }</style>

<p onclick="alert(1)" style="color: red">kliknij</p>

<div onmouseover="alert(1)" onfocus="alert(2)" tabindex="0">najedź</div>

<svg onload="alert(1)"><circle r="5"/></svg>

<math><mtext><script>alert(1)</script></mtext></math>

<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>

[x](javascript:alert(1)) i [y](JAVASCRIPT:alert%281%29) i [z](vbscript:msgbox(1))

[dane](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)

![obraz](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)

<img src="data:image/png;base64,iVBORw0KGgo=" alt="dane">

<a href="data:text/html,<script>alert(1)</script>">dane html</a>

<object data="x.swf"></object><embed src="x.swf">

<form action="https://zly.example/"><input name="q"><button formaction="javascript:alert(1)">wyślij</button></form>

<base href="https://zly.example/">

<meta http-equiv="refresh" content="0;url=javascript:alert(1)">

<a href="https://example.com/zewnetrzny">zewnętrzny</a> i [md](https://example.org/) i <https://auto.example/>

<a title="duże litery" href="HTTPS://EXAMPLE.NET/">wielkie</a> i <a href="//example.com/proto" rel="opener">bez schematu</a>

[wewnętrzny](../uchwaly/) i [poczta](mailto:gmina@testowo.example)
"""

TITLE = "<script>alert('tytuł')</script> Ogłoszenie"
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "srcset", "poster", "background", "xlink:href", "ping")
EXTERNAL = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
THEME_SCRIPT = re.compile(r"^(?:(?:\.\./)*|/(?:[a-z0-9-]+/)?)static/[a-z0-9_-]+\.[0-9a-f]{10}\.js$")  # 404.html: from the root


def local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1].lower()


def parse(path: Path) -> Element:
    return html5lib.parse(path.read_bytes(), treebuilder="etree", namespaceHTMLElements=False)


def scheme(value: str) -> str:
    """The URL scheme as a browser sees it: control characters and whitespace are ignored."""
    cleaned = re.sub(r"[\x00-\x20]", "", value).lower()
    return cleaned.split(":", 1)[0] if ":" in cleaned.split("/", 1)[0] else ""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from test_validation import make_project

    files = basic_files()
    files[U + "ogloszenia/niebezpieczne.md"] = fm(
        f'title: "{TITLE}"',
        "type: ogloszenie",
        "author: \"<img src=x onerror=alert('autor')>\"",
        "attachments:",
        "  - file: plan.pdf",
        "    title: \"<script>alert('załącznik')</script>\"",
        body=NASTY_BODY,
    )
    files[U + "ogloszenia/plan.pdf"] = accessible_pdf("Plan")
    root = make_project(tmp_path_factory.mktemp("sanitize"), files, {})
    proc = run_bip(root, "build", "--now", NOW)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    return root / "public"


@pytest.fixture(scope="module")
def document(site: Path) -> Element:
    return parse(site / "gmina-testowa/ogloszenia/niebezpieczne/index.html")


def html_files(site: Path) -> list[Path]:
    files = site_files(site, ".html")
    assert len(files) > 5
    return files


def test_no_scripts_except_the_themes_own(site: Path) -> None:
    for path in html_files(site):
        for element in parse(path).iter():
            if local(element.tag) == "script":
                src = element.get("src", "")
                assert THEME_SCRIPT.match(src), f"{path}: <script src={src!r}>"
                assert not (element.text or "").strip(), f"{path}: inline script"


def test_no_event_handler_attributes(site: Path) -> None:
    for path in html_files(site):
        for element in parse(path).iter():
            handlers = [name for name in element.attrib if local(name).startswith("on")]
            assert not handlers, f"{path}: <{local(element.tag)} {handlers}>"


def test_no_javascript_urls(site: Path) -> None:
    for path in html_files(site):
        for element in parse(path).iter():
            for name, value in element.attrib.items():
                if local(name) in URL_ATTRIBUTES or local(name) == "content":
                    assert "javascript" not in re.sub(r"[\x00-\x20]", "", value).lower(), f"{path}: {name}={value!r}"
                if local(name) in URL_ATTRIBUTES:
                    assert scheme(value) in ("", "http", "https", "mailto", "tel"), f"{path}: {name}={value!r}"


def test_dangerous_elements_and_data_urls_are_gone(document: Element) -> None:
    prose = next(e for e in document.iter() if "prose" in (e.get("class") or "").split())
    tags = {local(e.tag) for e in prose.iter()}
    assert not tags & {"script", "iframe", "style", "svg", "math", "object", "embed", "form", "input", "button",
                       "base", "meta", "noscript", "link"}, tags
    for element in prose.iter():
        assert "style" not in element.attrib
        for name in URL_ATTRIBUTES:
            assert not (element.get(name) or "").strip().lower().startswith("data:"), element.attrib


def test_harmless_content_survives(document: Element) -> None:
    text = "".join(document.itertext())
    for words in ("Zwykły akapit", "kliknij", "najedź", "zewnętrzny", "wielkie"):
        assert words in text
    hrefs = {a.get("href") for a in document.iter("a")}
    assert {"https://example.com/zewnetrzny", "https://example.org/", "https://auto.example/",
            "mailto:gmina@testowo.example"} <= hrefs


def test_external_links_carry_noopener_noreferrer(document: Element) -> None:
    external = [a for a in document.iter("a") if EXTERNAL.match(a.get("href") or "")]
    assert len(external) >= 6  # five from the body, the BIP logo
    for link in external:
        assert {"noopener", "noreferrer"} <= set((link.get("rel") or "").split()), link.attrib
        assert "opener" not in (link.get("rel") or "").replace("noopener", "")


def test_front_matter_text_is_escaped(document: Element) -> None:
    h1 = next(document.iter("h1"))
    assert "".join(h1.itertext()) == TITLE  # shown as text, not run
    text = "".join(document.itertext())
    assert "<img src=x onerror=alert('autor')>" in text
    assert "<script>alert('załącznik')</script>" in text
