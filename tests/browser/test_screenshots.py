"""scripts/screenshots.py keeps working: it photographs a built site at 1280 and 360 CSS px."""

from __future__ import annotations

import os
import struct
import subprocess
import sys

import pytest
from conftest import REPO

from .conftest import UNIT_ID
from .support import chromium_path

pytestmark = pytest.mark.browser


def test_screenshots_script_writes_pngs_of_each_page_and_width(built_fixture_project, browser, tmp_path):
    out = tmp_path / "screenshots"
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts/screenshots.py"), "--site", str(built_fixture_project), "--out", str(out),
         "--unit", UNIT_ID],
        capture_output=True, text=True, timeout=180, env={**os.environ, "BIP_CHROMIUM": chromium_path() or ""},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    names = sorted(p.name for p in out.glob("*.png"))
    expected = sorted(f"{page}-{width}.png" for page in ("portal", "strona-glowna", "dokument", "rejestr-zmian",
                                                          "porownanie-wersji", "wyniki-wyszukiwania")
                      for width in (1280, 360))
    assert names == expected, names
    for path in out.glob("*.png"):
        header = path.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n", path
        width, height = struct.unpack(">II", header[16:24])
        assert width == int(path.stem.rsplit("-", 1)[1]) and 300 < height <= 6000, (path.name, width, height)
