"""`bip serve` reloads the open page in a real Chromium by itself when a file is saved.

Deterministic: the preview says it is ready only once it watches the files and has built the site, and
a page carries the generation it was served at, so a save made at any moment after it was served
reloads it — whether the page's event stream connected before the rebuild or after. No sleeps.
"""

from __future__ import annotations

import urllib.request

import pytest
from preview import preview

pytestmark = pytest.mark.browser

PAGE = "content/gmina-testowa/uchwaly/uchwala-xii-123-2024.md"


def test_saved_edit_reloads_the_open_page(project, browser):
    root = project()
    with preview(root) as server:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(server.url("/gmina-testowa/uchwaly/uchwala-xii-123-2024/"))
            assert "nowy budżet" not in page.content()
            page.evaluate("() => { window.__notReloaded = true; }")
            path = root / PAGE
            path.write_text(path.read_text(encoding="utf-8").replace("uchwala budżet", "uchwala nowy budżet"),
                            encoding="utf-8")
            page.wait_for_function("() => document.body.textContent.includes('nowy budżet')", timeout=30_000)
            assert page.evaluate("() => window.__notReloaded === undefined")  # a fresh document: it reloaded itself
        finally:
            context.close()


def test_a_page_served_before_a_save_reloads_even_if_it_connects_after_the_rebuild(project, browser):
    """The race behind the flaky reload: the page's event stream connects only after the rebuild it should
    notice. The page shows the generation it was served at, so it reloads all the same."""
    root = project()
    with preview(root) as server:
        address = server.url("/gmina-testowa/uchwaly/uchwala-xii-123-2024/")
        served = urllib.request.urlopen(address, timeout=30).read()
        shown = int(served.decode().split("/__bip__/reload.js?g=", 1)[1].split('"', 1)[0])
        path = root / PAGE
        path.write_text(path.read_text(encoding="utf-8").replace("uchwala budżet", "uchwala nowy budżet"),
                        encoding="utf-8")
        with urllib.request.urlopen(server.url("/__bip__/events"), timeout=60) as events:
            for line in events:  # the rebuild is observable: the preview announces the next generation
                if line.startswith(b"data: ") and int(line[6:]) > shown:
                    break
        context = browser.new_context()
        stale = []

        def first_copy_is_the_stale_one(route) -> None:  # type: ignore[no-untyped-def]
            if not stale:
                stale.append(route.request.url)
                route.fulfill(status=200, body=served, content_type="text/html; charset=utf-8")
            else:
                route.continue_()

        try:
            page = context.new_page()
            page.route(address, first_copy_is_the_stale_one)
            page.goto(address)
            page.wait_for_function("() => document.body.textContent.includes('nowy budżet')", timeout=30_000)
            assert stale == [address]
        finally:
            context.close()
