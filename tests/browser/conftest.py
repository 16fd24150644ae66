"""Fixtures of the browser tests: built sites (once per session), a local HTTP server, Chromium pages.

Two sites are built:
- `site`: a fixture project (a real git repository in a temporary folder) with every kind of page and a
  history of three commits (added, changed, deleted pages), so registry, version and diff pages exist;
- `sample_site`: the repository's own sample content (`content/`), built from its git history.

Nothing is fetched from the network: the sites are served on 127.0.0.1 and axe-core comes from the
installed PyPI package axe-playwright-python. Chromium is the system one (/usr/bin/chromium, Debian
package `chromium`). Without it the tests are skipped on a developer machine and FAIL under CI=true.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import NOW, REGION, REPO, UNIT, commit_files, git, run_bip
from pdfs import accessible_pdf, scanned_pdf

from bip.attachments.ocr import tesseract_version
from bip.demo.pdfs import scan_pdf, scanned_page

from .support import Kind, chromium_path, first, launch, serve

IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")
UNIT_ID = "gmina-testowa"
IN_ATTACHMENT = "przepompowni"  # a word only inside the resolution's PDF attachment


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: runs in a real Chromium (system /usr/bin/chromium via Playwright)")


def unavailable(reason: str) -> None:
    """Skip on a developer machine; under CI=true a missing browser is a failure, never a silent skip."""
    if IN_CI:
        pytest.fail(f"{reason}. Under CI=true the browser tests must run: use `bash .ci/run`, which installs "
                    "the Debian package chromium and the `test` extra.", pytrace=False)
    pytest.skip(f"{reason} (install the Debian package chromium, and `pip install -e .[test]`)")


# ---------------------------------------------------------------------------------------------------------
# The fixture project: every page kind, a wide table, attachments, an expired notice, three commits.

WIDE_TABLE = """
| Lp. | Nazwa zadania inwestycyjnego | Klasyfikacja budżetowa (dział, rozdział, paragraf) | Plan na 2024 r. (zł) | Zmiana (zł) | Plan po zmianach (zł) | Źródło finansowania |
|---|---|---|---|---|---|---|
| 1 | Przebudowa drogi gminnej nr 004512F w miejscowości Testowo Wielkie wraz z budową chodnika | 600, 60016, 6050 | 1 250 000,00 | +150 000,00 | 1 400 000,00 | środki własne, Rządowy Fundusz Rozwoju Dróg |
| 2 | Termomodernizacja budynku Szkoły Podstawowej im. Marii Konopnickiej | 801, 80101, 6050 | 2 300 000,00 | −50 000,00 | 2 250 000,00 | środki własne, Fundusze Europejskie dla Lubuskiego 2021–2027 |
"""

LONG_LINK = ("https://bip.example/gmina-testowa/uchwaly/bardzo-dlugi-adres-dokumentu-bez-spacji-"
             "ktory-nie-moze-rozpychac-strony-na-waskim-ekranie-telefonu-2024-03-01.pdf")


def _doc(front: str, body: str) -> str:
    return f"---\n{front.strip()}\n---\n{body.strip()}\n"


def fixture_files() -> dict[str, str | bytes]:
    u = f"content/{UNIT_ID}"
    # a real tagged PDF with a text layer: its words are found by the site's search and no page says them
    pdf = accessible_pdf("Załącznik nr 1 – zestawienie zmian", f"Przebudowa {IN_ATTACHMENT} w Lipinkach")
    return {
        "content/region.yaml": REGION,
        f"{u}/unit.yaml": UNIT.replace("pjm:\n  url: https://testowo.example/pjm/\n",
                                       "pjm:\n  video: o-gminie/pjm.mp4\n  captions: o-gminie/pjm.vtt\n"),
        f"{u}/o-gminie/pjm.mp4": b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64,
        f"{u}/o-gminie/pjm.vtt": "WEBVTT\n\n00:00.000 --> 00:04.000\nDzień dobry.\n",
        f"{u}/o-gminie/tekst-latwy-do-czytania.md": _doc(
            "title: Gmina w tekście łatwym do czytania\ntype: etr",
            "## Co robi urząd\n\nUrząd jest w Testowie.\nMożesz tu załatwić sprawę.",
        ),
        f"{u}/index.md": _doc("title: Strona główna", "Witamy w Biuletynie Informacji Publicznej Gminy Testowej."),
        f"{u}/informacje-nieudostepnione.md": _doc(
            "title: Informacje nieudostępnione w Biuletynie",
            "Informacje nieopublikowane w Biuletynie udostępniamy **na wniosek** złożony w sekretariacie urzędu.",
        ),
        f"{u}/o-gminie/index.md": _doc("title: O gminie", "Podstawowe informacje o gminie.\n\n## Położenie\n\nGmina leży w województwie lubuskim."),
        f"{u}/o-gminie/struktura-urzedu.md": _doc(
            "title: Struktura organizacyjna urzędu\nauthor: Sekretarz Gminy\ncreated: 2024-02-01",
            "## Wydziały\n\n- Wydział Finansowy\n- Wydział Inwestycji\n\n"
            f"Regulamin organizacyjny: [{LONG_LINK}]({LONG_LINK}).\n\n"
            "> Urząd jest czynny od poniedziałku do piątku w godzinach 7:30–15:30.",
        ),
        f"{u}/uchwaly/index.md": _doc("title: Uchwały Rady Gminy", "Uchwały Rady Gminy Testowej."),
        f"{u}/uchwaly/uchwala-xii-123-2024.md": _doc(
            'title: Uchwała Nr XII/123/2024 w sprawie zmian w budżecie gminy na 2024 rok\ntype: uchwala\n'
            'number: "XII/123/2024"\nadopted: 2024-03-01\nstatus: obowiązująca\ncreated: 2024-03-01\n'
            'journal: "Dz. Urz. Woj. Lubuskiego z 2024 r. poz. 1234"\n'
            "aliases:\n  - uchwaly/budzet-2024-zmiany/\n"
            "attachments:\n  - file: uchwala-xii-123-2024-zalacznik.pdf\n    title: Załącznik nr 1 – zestawienie zmian"
            "\n  - file: uchwala-xii-123-2024-protokol.pdf\n    title: Protokół z głosowania imiennego radnych",
            "Na podstawie art. 18 ust. 2 pkt 4 ustawy o samorządzie gminnym Rada Gminy uchwala, co następuje:\n\n"
            "**§ 1.** Wprowadza się zmiany w planie wydatków majątkowych:\n" + WIDE_TABLE +
            "\n**§ 2.** Uchwała wchodzi w życie z dniem podjęcia.",
        ),
        f"{u}/uchwaly/uchwala-xii-123-2024-zalacznik.pdf": pdf,
        f"{u}/uchwaly/uchwala-xii-123-2024-protokol.pdf": scanned_pdf("Protokół z głosowania"),  # a scan: listed
        f"{u}/zarzadzenia/index.md": _doc("title: Zarządzenia Wójta", "Zarządzenia Wójta Gminy Testowej."),
        f"{u}/zarzadzenia/zarzadzenie-15-2024.md": _doc(
            "title: Zarządzenie Nr 15/2024 w sprawie powołania komisji przetargowej\ntype: zarzadzenie\n"
            'number: "15/2024"\nadopted: 2024-04-02\nstatus: obowiązująca',
            "**§ 1.** Powołuje się komisję przetargową w składzie:\n\n1. Anna Zielińska – przewodnicząca,\n2. Piotr Wójcik – członek.",
        ),
        f"{u}/ogloszenia/index.md": _doc("title: Ogłoszenia", "Ogłoszenia i obwieszczenia Wójta."),
        f"{u}/ogloszenia/przerwa-w-dostawie-wody.md": _doc(
            "title: Przerwa w dostawie wody w Testowie\ntype: ogloszenie",
            "W dniu 5 czerwca 2024 r. w godzinach 8:00–14:00 nastąpi przerwa w dostawie wody.",
        ),
        f"{u}/ogloszenia/konsultacje-2024.md": _doc(
            "title: Konsultacje projektu programu współpracy z organizacjami pozarządowymi\ntype: ogloszenie\n"
            "valid_until: 2025-01-31",
            "Zapraszamy do zgłaszania uwag do projektu programu do 31 stycznia 2025 r.",
        ),
        f"{u}/ogloszenia/dyzur-wyborczy.md": _doc(
            "title: Dyżur urzędnika wyborczego\ntype: ogloszenie",
            "Urzędnik wyborczy pełni dyżur w sali nr 12.",
        ),
        f"{u}/zamowienia/index.md": _doc("title: Zamówienia publiczne", "Postępowania o udzielenie zamówienia publicznego."),
        f"{u}/zamowienia/zp-271-1-2024.md": _doc(
            'title: Przebudowa drogi gminnej w Testowie Wielkim\ntype: zamowienie\nreference: "ZP.271.1.2024"\n'
            "procedure: tryb podstawowy bez negocjacji\ndeadline: 2024-06-14T10:00:00+02:00\nstatus: rozstrzygnięte\n"
            "result: Wybrano ofertę firmy Drogbud sp. z o.o.",
            "Przedmiotem zamówienia jest przebudowa drogi gminnej nr 004512F.",
        ),
        f"{u}/nabory/index.md": _doc("title: Nabory na stanowiska", "Nabory na wolne stanowiska urzędnicze."),
        f"{u}/nabory/nabor-inspektor-2024.md": _doc(
            "title: Nabór na stanowisko inspektora ds. inwestycji\ntype: nabor\nposition: inspektor ds. inwestycji\n"
            "deadline: 2024-05-31T15:00:00+02:00\nstatus: w toku",
            "## Wymagania niezbędne\n\n- wykształcenie wyższe techniczne,\n- obywatelstwo polskie.",
        ),
        f"{u}/oswiadczenia/index.md": _doc("title: Oświadczenia majątkowe", "Oświadczenia majątkowe."),
        f"{u}/oswiadczenia/oswiadczenie-wojta-2023.md": _doc(
            "title: Oświadczenie majątkowe Wójta Gminy za 2023 rok\ntype: oswiadczenie\nperson: Jan Kowalski\n"
            "position: Wójt Gminy Testowej\nyear: 2023\nkind: roczne\ncreated: 2024-04-30\nwithheld:\n"
            "  - scope: adres zamieszkania składającego oświadczenie\n"
            "    basis: art. 24i ust. 1 ustawy o samorządzie gminnym\n"
            "    decided_by: Anna Lis – Sekretarz Gminy\n    date: 2024-05-02",
            "Oświadczenie złożone 30 kwietnia 2024 r.",
        ),
        f"{u}/protokoly/index.md": _doc("title: Protokoły sesji", "Protokoły z sesji Rady Gminy."),
        f"{u}/protokoly/protokol-xii-sesja.md": _doc(
            "title: Protokół z XII sesji Rady Gminy Testowej\ntype: protokol\nsession: XII sesja Rady Gminy\ndate: 2024-03-01",
            "Sesję otworzył Przewodniczący Rady Gminy. Stwierdzono kworum.",
        ),
        f"{u}/petycje/index.md": _doc("title: Petycje", "Petycje złożone do Rady Gminy."),
        f"{u}/petycje/petycja-1-2024.md": _doc(
            "title: Petycja w sprawie oświetlenia ulicy Polnej\ntype: petycja\nsubmitted: 2024-02-12\n"
            "subject: budowa oświetlenia ulicy Polnej\nstatus: rozpatrzona\nanswer_date: 2024-04-10\n"
            "attachments:\n  - file: petycja-1-2024-skan.pdf\n    title: Treść petycji – skan",
            "Petycja została rozpatrzona pozytywnie.",
        ),
        # a scan of a typed letter: with OCR (the fixture is built with --ocr where tesseract is) its text version
        f"{u}/petycje/petycja-1-2024-skan.pdf": scan_pdf("Petycja", scanned_page(
            "Petycja w sprawie oświetlenia ulicy Polnej",
            "Wnosimy o budowę oświetlenia ulicznego wzdłuż ulicy Polnej w Testowie. Mieszkańcy wracają z pracy "
            "po ciemku, a drogą chodzą dzieci do szkoły. Prosimy o ujęcie zadania w budżecie gminy na 2025 rok.")),
    }


CHANGES = {  # second commit: a changed resolution (so the registry has two versions and a diff)
    f"content/{UNIT_ID}/uchwaly/uchwala-xii-123-2024.md": lambda text: text.replace(
        "status: obowiązująca", "status: zmieniona\nrepealed_by: Uchwała Nr XIV/140/2024"
    ).replace("Uchwała wchodzi w życie z dniem podjęcia.",
              "Uchwała wchodzi w życie z dniem podjęcia i podlega ogłoszeniu w Dzienniku Urzędowym."),
}
DELETED = f"content/{UNIT_ID}/ogloszenia/dyzur-wyborczy.md"  # third commit: a deleted page

# Page kinds of the fixture site: fixed paths, and pages whose paths are found in the output (registry,
# versions, diff, search; see `detected_kinds`). Every one of them must exist (SPEC §3, §5).
REQUIRED = {
    "portal": "index.html",
    "portal-404": "404.html",  # shown at any missing address outside the units: links from the root
    "strona-glowna": f"{UNIT_ID}/index.html",
    "dzial-lista-uchwal": f"{UNIT_ID}/uchwaly/index.html",
    "dzial-lista-ogloszen": f"{UNIT_ID}/ogloszenia/index.html",
    "dzial-strony": f"{UNIT_ID}/o-gminie/index.html",
    "strona": f"{UNIT_ID}/o-gminie/struktura-urzedu/index.html",
    "uchwala": f"{UNIT_ID}/uchwaly/uchwala-xii-123-2024/index.html",
    "zarzadzenie": f"{UNIT_ID}/zarzadzenia/zarzadzenie-15-2024/index.html",
    "ogloszenie": f"{UNIT_ID}/ogloszenia/przerwa-w-dostawie-wody/index.html",
    "ogloszenie-archiwalne": f"{UNIT_ID}/ogloszenia/konsultacje-2024/index.html",
    "zamowienie": f"{UNIT_ID}/zamowienia/zp-271-1-2024/index.html",
    "nabor": f"{UNIT_ID}/nabory/nabor-inspektor-2024/index.html",
    "oswiadczenie": f"{UNIT_ID}/oswiadczenia/oswiadczenie-wojta-2023/index.html",
    "protokol": f"{UNIT_ID}/protokoly/protokol-xii-sesja/index.html",
    "petycja": f"{UNIT_ID}/petycje/petycja-1-2024/index.html",
    "archiwum": f"{UNIT_ID}/archiwum/index.html",
    "instrukcja": f"{UNIT_ID}/instrukcja/index.html",
    "redakcja": f"{UNIT_ID}/redakcja/index.html",
    "informacje-nieudostepnione": f"{UNIT_ID}/informacje-nieudostepnione/index.html",
    "deklaracja-dostepnosci": f"{UNIT_ID}/deklaracja-dostepnosci/index.html",
    "klauzula-rodo": f"{UNIT_ID}/klauzula-informacyjna-rodo/index.html",
    "mapa-serwisu": f"{UNIT_ID}/mapa-serwisu/index.html",
    "etr": f"{UNIT_ID}/o-gminie/tekst-latwy-do-czytania/index.html",
    "informacje-pjm": f"{UNIT_ID}/informacje-pjm/index.html",
    "portal-deklaracja-dostepnosci": "deklaracja-dostepnosci/index.html",
    "404": f"{UNIT_ID}/404.html",
}
DETECTED = ("rejestr-zmian", "historia-strony", "historia-usunietej-strony", "wersja", "porownanie-wersji", "szukaj",
            "portal-szukaj", "tekst-rozpoznany")
# kinds that need a tool besides the browser: where it is missing (and not in CI, which installs it), skipped
OPTIONAL = {"tekst-rozpoznany": "tesseract with Polish data (tesseract-ocr, tesseract-ocr-pol) is not installed"}


def ocr_available() -> bool:
    return tesseract_version() is not None
DOCUMENT_WITH_TABLE = "uchwala"


def detected_kinds(site: Path) -> dict[str, str | None]:
    registry = site / UNIT_ID / "rejestr-zmian"
    changed = "uchwaly/uchwala-xii-123-2024"
    found = {
        "rejestr-zmian": f"{UNIT_ID}/rejestr-zmian/index.html" if (registry / "index.html").is_file() else None,
        "historia-strony": first(site, f"{UNIT_ID}/rejestr-zmian/strony/{changed}.html"),
        "historia-usunietej-strony": first(site, f"{UNIT_ID}/rejestr-zmian/strony/ogloszenia/dyzur-wyborczy.html"),
        "wersja": first(site, f"{UNIT_ID}/rejestr-zmian/**.wersja-1.html", prefer=changed),
        # a diff page (….zmiany-N.html), else whatever registry page shows <del>/<ins> markup
        "porownanie-wersji": (first(site, f"{UNIT_ID}/rejestr-zmian/**.zmiany-*.html", prefer=changed)
                              or first(site, f"{UNIT_ID}/rejestr-zmian/**/*.html", contains="<del", prefer=changed)
                              or first(site, f"{UNIT_ID}/rejestr-zmian/**/*.html", contains="<ins", prefer=changed)),
        "szukaj": f"{UNIT_ID}/szukaj/index.html" if (site / UNIT_ID / "szukaj/index.html").is_file() else None,
        "portal-szukaj": "szukaj/index.html" if (site / "szukaj/index.html").is_file() else None,
        "tekst-rozpoznany": first(site, f"{UNIT_ID}/petycje/*.tekst.html"),  # the recognised text of a scan
    }
    return found


@dataclass
class BuiltSite:
    folder: Path
    url: str  # base URL of the local server, ending in '/'
    kinds: dict[str, str | None] = field(default_factory=dict)

    def kind(self, name: str) -> Kind:
        return Kind(name, self.kinds.get(name))

    def require(self, name: str) -> str:
        path = self.kinds.get(name)
        if path is None and name in OPTIONAL and not ocr_available() and not os.environ.get("CI"):
            pytest.skip(OPTIONAL[name])
        if path is None:
            pytest.fail(f"the build did not produce a {name!r} page (looked for it in {self.folder})", pytrace=False)
        if not (self.folder / path).is_file():
            pytest.fail(f"the build did not produce the {name!r} page: {path} is missing", pytrace=False)
        return self.url + path


def _build(root: Path, *args: str) -> None:
    built = run_bip(root, "build", "--now", NOW, *args)
    assert built.returncode == 0, f"bip build failed ({built.returncode}):\n{built.stdout}\n{built.stderr}"


@pytest.fixture(scope="session")
def built_fixture_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project committed in three steps and built once; returns its public/ folder."""
    root = tmp_path_factory.mktemp("browser-site") / "projekt"
    root.mkdir()
    commit_files(root, fixture_files(), "Dodano serwis testowy")
    for relative, change in CHANGES.items():
        path = root / relative
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    git(root, "commit", "-q", "-am", "Zmiana statusu uchwały XII/123/2024", date="2024-06-10T09:30:00+02:00")
    git(root, "rm", "-q", DELETED)
    git(root, "commit", "-q", "-m", "Usunięto nieaktualne ogłoszenie", date="2024-07-01T08:00:00+02:00")
    _build(root, *(["--ocr"] if ocr_available() else []))
    return root / "public"


@pytest.fixture(scope="session")
def site(built_fixture_project: Path) -> Iterator[BuiltSite]:
    with serve(built_fixture_project) as url:
        kinds: dict[str, str | None] = dict(REQUIRED)
        kinds.update(detected_kinds(built_fixture_project))
        yield BuiltSite(built_fixture_project, url, kinds)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    """The repository's sample content, built from the repository's own git history."""
    out = tmp_path_factory.mktemp("sample-site") / "public"
    shallow = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=REPO, capture_output=True,
                             text=True).stdout.strip() == "true"
    _build(REPO, "--root", str(REPO), "--out", str(out), *(["--allow-shallow"] if shallow else []))
    with serve(out) as url:
        yield BuiltSite(out, url)


# ---------------------------------------------------------------------------------------------------------
# Chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One Chromium per test module (stopped after it, so Playwright's event loop never outlives the module)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Python package playwright is not installed")
    executable = chromium_path()
    if executable is None:
        unavailable(f"Chromium is not installed ({os.environ.get('BIP_CHROMIUM') or '/usr/bin/chromium'})")
    try:
        from .support import axe_source

        axe_source()
    except (ImportError, FileNotFoundError):
        unavailable("axe-core is missing: Python package axe-playwright-python is not installed")
    with sync_playwright() as playwright:
        chromium = launch(playwright, executable)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Visit:
    page: object
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # same-page resources that failed or answered >= 400

    def csp_violations(self) -> list[str]:
        return self.page.evaluate("() => window.__cspViolations || []")


CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber);
});
"""


@pytest.fixture
def open_page(browser) -> Iterator[Callable[..., Visit]]:
    """open_page(url, width=1280, height=900, js=True, context=None) → Visit (page + what it requested/logged)."""
    contexts = []

    def open_(url: str | None = None, *, width: int = 1280, height: int = 900, js: bool = True,
              context=None, **options) -> Visit:
        if context is None:
            context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=js,
                                          locale="pl-PL", service_workers="block", **options)
            context.set_default_timeout(15_000)
            contexts.append(context)
            context.add_init_script(CSP_LISTENER)
        page = context.new_page()
        visit = Visit(page)
        page.on("request", lambda request: visit.requests.append(request.url))
        page.on("console", lambda msg: visit.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda error: visit.page_errors.append(str(error)))
        page.on("requestfailed", lambda request: visit.failed.append(f"{request.url} ({request.failure})"))
        page.on("response", lambda r: visit.failed.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else None)
        if url is not None:
            response = page.goto(url)
            assert response is not None and response.ok, f"{url}: HTTP {response.status if response else '—'}"
        return visit

    yield open_
    for context in contexts:
        context.close()
