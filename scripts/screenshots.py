#!/usr/bin/env python3
"""Screenshots of the default theme for the documentation: docs/screenshots/*.png.

Builds the repository's sample content (or takes an already built folder with --site), serves it on
127.0.0.1 and photographs, at 1280 and 360 CSS px, the regional portal, a unit's home page, a document
page (a resolution with a table), the change registry, a comparison of two versions and the search page
with the results of a query, with the system Chromium (Debian `chromium`).

    python scripts/screenshots.py                      # build content/ and write docs/screenshots/
    python scripts/screenshots.py --site public --unit gmina-swidnica
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",  # containers often have a 64 MB /dev/shm
    "--font-render-hinting=none", "--hide-scrollbars",
]
WIDTHS = {1280: 900, 360: 780}
MAX_HEIGHT = 6000  # CSS px: a long registry is cut here rather than making a huge image
QUERY = "budżet"  # the search shown with its results


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


def build(out: Path, now: str | None) -> None:
    shallow = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=REPO, capture_output=True,
                             text=True).stdout.strip() == "true"
    command = [sys.executable, "-m", "bip", "build", "--root", str(REPO), "--out", str(out)]
    command += ["--now", now] if now else []
    command += ["--allow-shallow"] if shallow else []
    subprocess.run(command, cwd=REPO, check=True)


def pick_pages(site: Path, unit: str | None) -> dict[str, str]:
    units = sorted(p.name for p in site.iterdir() if (p / "index.html").is_file() and (p / "404.html").is_file())
    if not units:
        raise SystemExit(f"no unit sites in {site}")
    unit = unit or ("gmina-swidnica" if "gmina-swidnica" in units else units[0])
    if unit not in units:
        raise SystemExit(f"unit {unit!r} not in {site}; units: {', '.join(units)}")
    pages = {"portal": "index.html", "strona-glowna": f"{unit}/index.html"}
    documents = sorted((site / unit).glob("*/*/index.html"))
    documents = [p for p in documents if "/rejestr-zmian/" not in p.as_posix()
                 and 'class="metryczka"' in (text := p.read_text(encoding="utf-8"))
                 and 'class="doc-fields"' in text and "http-equiv=\"refresh\"" not in text]
    documents.sort(key=lambda p: ("/uchwaly/" not in p.as_posix(), p.as_posix()))  # a resolution, if any
    with_table = [p for p in documents if "<table" in p.read_text(encoding="utf-8")]
    document = (with_table or documents or [None])[0]
    if document is not None:
        pages["dokument"] = document.relative_to(site).as_posix()
    if (site / unit / "rejestr-zmian/index.html").is_file():
        pages["rejestr-zmian"] = f"{unit}/rejestr-zmian/index.html"
    diffs = sorted((site / unit / "rejestr-zmian").rglob("*.zmiany-*.html"))
    diffs.sort(key=lambda p: ("/uchwaly/" not in p.as_posix(), p.as_posix()))
    if diffs:
        pages["porownanie-wersji"] = diffs[0].relative_to(site).as_posix()
    if (site / unit / "szukaj/index.html").is_file():
        pages["wyniki-wyszukiwania"] = f"{unit}/szukaj/index.html?q={QUERY}"
    return pages


def shoot(site: Path, out: Path, unit: str | None) -> list[Path]:
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("BIP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    pages = pick_pages(site, unit)
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
            for width, height in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": height}, locale="pl-PL",
                                              reduced_motion="reduce")
                page = context.new_page()
                page.on("request", lambda r: r.url.startswith(base) or r.url.startswith("data:") or
                        sys.exit(f"external request: {r.url}"))
                for name, relative in pages.items():
                    page.goto(base + relative)
                    if "?q=" in relative:  # the results are listed by the page's script
                        page.wait_for_function("() => document.querySelector('#bip-search-status')"
                                               " && /Znaleziono|Brak/.test(document.querySelector("
                                               "'#bip-search-status').textContent)", timeout=15_000)
                    page.evaluate("() => document.fonts.ready")
                    full = page.evaluate("() => document.documentElement.scrollHeight")
                    target = out / f"{name}-{width}.png"
                    page.screenshot(path=str(target), full_page=True,
                                    clip=None if full <= MAX_HEIGHT else {"x": 0, "y": 0, "width": width,
                                                                          "height": MAX_HEIGHT},
                                    animations="disabled", caret="hide")
                    written.append(target)
                    print(f"{target.relative_to(REPO) if target.is_relative_to(REPO) else target}  ←  /{relative}")
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build content/ into a temp folder)")
    parser.add_argument("--out", type=Path, default=REPO / "docs/screenshots", help="where to write the PNG files")
    parser.add_argument("--unit", help="which unit to photograph (default: gmina-swidnica or the first)")
    parser.add_argument("--now", help="build time passed to `bip build --now` (ISO), for reproducible pictures")
    args = parser.parse_args(argv)
    if args.site:
        shoot(args.site.resolve(), args.out, args.unit)
        return 0
    with tempfile.TemporaryDirectory(prefix="bip-screenshots-") as tmp:
        site = Path(tmp) / "public"
        build(site, args.now)
        shoot(site, args.out, args.unit)
    stale = [p for p in args.out.glob("*.png") if not re.fullmatch(r"[a-z-]+-(1280|360)\.png", p.name)]
    for path in stale:
        print(f"note: unexpected file {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
