"""Optional recognition of scanned PDF pages with the `tesseract` program (Polish), off by default.

On when region.yaml says `attachments: {ocr: true}`; the environment variable BIP_OCR ("1" or "0", set by
`bip build --ocr` / `--no-ocr`) overrides the region either way. A page is rendered with PDFium and read by
tesseract in a child of the extraction worker, so the worker's memory limit bounds it too; each page gets the
time left of the file's budget. Recognised text is marked (Facts.ocr_pages): it may hold mistakes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

SWITCH = "BIP_OCR"
LANGUAGE = "pol"
DPI = 300  # tesseract reads best at about 300 dots per inch
MAX_PIXELS = 40_000_000  # a larger page is rendered smaller (an A0 plan would need gigabytes)
BUDGET = 0.75  # share of a file's time limit that recognition may use; the rest is left for the text


@cache
def tesseract_version() -> str | None:
    """`tesseract --version`'s first line when the program and its Polish data are installed, else None."""
    program = shutil.which("tesseract")
    if program is None:
        return None
    try:
        version = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=30, check=False)
        languages = subprocess.run([program, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if LANGUAGE not in languages.stdout.split():
        return None
    lines = (version.stdout or version.stderr).strip().splitlines()
    return lines[0].strip() if lines else "tesseract"


def _override() -> bool | None:
    """BIP_OCR's choice ("1" on, "0" off), None when it makes none."""
    value = os.environ.get(SWITCH, "")
    return value == "1" if value in ("0", "1") else None


def region_wants_ocr(region_data: dict) -> bool:
    """region.yaml's attachments.ocr, unless BIP_OCR overrides it."""
    override = _override()
    if override is not None:
        return override
    settings = region_data.get("attachments")
    return isinstance(settings, dict) and settings.get("ocr") is True


@cache
def _region_setting(region_file: Path, mtime_ns: int, size: int) -> bool:
    from bip.load.yamlfile import parse_yaml

    try:
        data = parse_yaml(region_file.read_text(encoding="utf-8")).data
    except (OSError, UnicodeError):
        return False
    return isinstance(data, dict) and region_wants_ocr(data)


def ocr_wanted(root: Path) -> bool:
    """Whether the project asks for recognition: BIP_OCR if set, else region.yaml's attachments.ocr."""
    override = _override()
    if override is not None:
        return override  # region.yaml is not read
    region_file = root / "content" / "region.yaml"
    try:
        stat = region_file.stat()
        return _region_setting(region_file, stat.st_mtime_ns, stat.st_size)
    except OSError:
        return False


def ocr_enabled(root: Path) -> bool:
    """Asked for and possible here (tesseract with Polish installed)."""
    return ocr_wanted(root) and tesseract_version() is not None


def cache_tag() -> str:
    """What sets OCR results apart in the cache: another tesseract may read a page differently."""
    version = tesseract_version() or "none"
    return "ocr-" + "".join(c if c.isalnum() or c in ".-" else "-" for c in version)[:40]


def recognise(page, seconds: float) -> str | None:
    """The text tesseract reads on a PDFium page; None when it failed or ran out of time."""
    program = shutil.which("tesseract")
    if program is None or seconds <= 1:
        return None
    width, height = page.get_size()
    scale = DPI / 72
    if width * height * scale * scale > MAX_PIXELS:
        scale = (MAX_PIXELS / (width * height)) ** 0.5
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        with tempfile.TemporaryDirectory(prefix="bip-ocr-") as folder:
            image = Path(folder) / "page.pgm"
            _write_pgm(image, bitmap)
            # one thread: the machine's cores belong to the build's workers
            env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
            done = subprocess.run([program, str(image), "stdout", "-l", LANGUAGE], capture_output=True,
                                  timeout=seconds, env=env, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    finally:
        bitmap.close()
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "replace").replace("\f", "").strip()


def _write_pgm(path: Path, bitmap) -> None:
    """A binary PGM: the one image format tesseract reads without any library on our side."""
    width, height, stride = bitmap.width, bitmap.height, bitmap.stride
    pixels = bytes(bitmap.buffer)
    with open(path, "wb") as out:
        out.write(b"P5 %d %d 255\n" % (width, height))
        if stride == width:
            out.write(pixels[: width * height])
        else:
            out.writelines(pixels[row * stride: row * stride + width] for row in range(height))
