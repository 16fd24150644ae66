"""Attachment text extraction: speed and quality of the candidate libraries, then of bip.attachments.

Makes Polish office-like files from the texts in shared seeds (or a built-in paragraph): a 40-page PDF drawn
with an embedded TrueType font, DOCX, ODT, XLSX, ODS, RTF, CSV; adds the real PDFs found under /usr/share/doc.
For PDF it compares pypdfium2, pdfminer.six and pypdf (seconds, best of --runs; quality: share of the source's
words found, Polish letters kept); then times bip's reader cold (worker processes) and warm (cache).

    python benchmarks/attachments_bench.py [--runs 3] [--pages 40]

Needs the bench extra (pdfminer.six) and pypdf (test extra).
"""

from __future__ import annotations

import argparse
import ctypes
import os
import platform
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SEEDS = [REPO.parent.parent / "shared" / "seeds", Path("/work/shared/seeds")]
FALLBACK = ("Zarządzenie Nr 12/2025 Wójta Gminy Świdnica w sprawie przebudowy ul. Polnej. Na podstawie art. 30 ust. 1 "
            "ustawy z dnia 8 marca 1990 r. o samorządzie gminnym zarządzam, co następuje: zlecić przygotowanie "
            "dokumentacji, ogłosić przetarg i powiadomić mieszkańców o utrudnieniach w ruchu. ")
WORD = re.compile(r"[^\W\d_]{3,}")
POLISH = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"


def source_text() -> str:
    for folder in SEEDS:
        if folder.is_dir():
            texts = [p.read_text("utf-8") for p in sorted(folder.glob("*.txt"))]
            if texts:
                return re.sub(r"[*#_]", "", "\n".join(texts))
    return FALLBACK * 40


def lines_of(text: str, width: int = 90) -> list[str]:
    out = []
    for paragraph in text.split("\n"):
        words, line = paragraph.split(), ""
        for word in words:
            if len(line) + len(word) + 1 > width:
                out.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        if line:
            out.append(line)
    return out


def font() -> bytes:
    for path in sorted(Path("/usr/share/fonts").rglob("DejaVuSans.ttf")):
        return path.read_bytes()
    raise SystemExit("DejaVuSans.ttf is needed (fonts-dejavu-core)")


def make_pdf(path: Path, lines: list[str], pages: int, per_page: int = 45) -> str:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    data = font()
    document = pdfium.PdfDocument.new()
    buffer = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
    handle = raw.FPDFText_LoadFont(document.raw, buffer, len(data), raw.FPDF_FONT_TRUETYPE, True)
    written = []
    for number in range(pages):
        page = document.new_page(595, 842)
        for row in range(per_page):
            line = lines[(number * per_page + row) % len(lines)]
            written.append(line)
            obj = raw.FPDFPageObj_CreateTextObj(document.raw, handle, 10.0)
            encoded = ctypes.create_string_buffer((line + "\0").encode("utf-16-le"))
            raw.FPDFText_SetText(obj, ctypes.cast(encoded, ctypes.POINTER(raw.FPDF_WCHAR)))
            raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 40, 800 - row * 17)
            raw.FPDFPage_InsertObject(page.raw, obj)
        page.gen_content()
    document.save(path)
    return "\n".join(written)


def make_office(folder: Path, lines: list[str]) -> dict[str, tuple[Path, str]]:
    import docx
    import openpyxl
    from odf import table, text
    from odf.opendocument import OpenDocumentSpreadsheet, OpenDocumentText

    body = lines * 6
    made = {}
    document = docx.Document()
    for index, line in enumerate(body):
        (document.add_heading if index % 40 == 0 else document.add_paragraph)(line)
    document.save(folder / "dokument.docx")
    made["docx"] = (folder / "dokument.docx", "\n".join(body))
    odt = OpenDocumentText()
    for line in body:
        odt.text.addElement(text.P(text=line))
    odt.save(str(folder / "dokument.odt"))
    made["odt"] = (folder / "dokument.odt", "\n".join(body))
    rows = [(f"{i}", line[:40], line[40:], f"{i * 1250},00") for i, line in enumerate(body)]
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(folder / "arkusz.xlsx")
    sheet_text = "\n".join(" ".join(r) for r in rows)
    made["xlsx"] = (folder / "arkusz.xlsx", sheet_text)
    ods = OpenDocumentSpreadsheet()
    sheet = table.Table(name="Arkusz1")
    for row in rows:
        tr = table.TableRow()
        for value in row:
            cell = table.TableCell()
            cell.addElement(text.P(text=value))
            tr.addElement(cell)
        sheet.addElement(tr)
    ods.spreadsheet.addElement(sheet)
    ods.save(str(folder / "arkusz.ods"))
    made["ods"] = (folder / "arkusz.ods", sheet_text)
    rtf = "".join(f"\\u{ord(c)}?" if ord(c) > 127 else c for c in "\\par ".join(body))
    (folder / "pismo.rtf").write_text("{\\rtf1\\ansi\\ansicpg1250 " + rtf + "}", "ascii")
    made["rtf"] = (folder / "pismo.rtf", "\n".join(body))
    (folder / "dane.csv").write_text("\n".join(";".join(r) for r in rows), "utf-8")
    made["csv"] = (folder / "dane.csv", sheet_text)
    return made


def quality(source: str, got: str) -> str:
    want = set(WORD.findall(source.lower()))
    have = set(WORD.findall(got.lower()))
    recall = len(want & have) / max(1, len(want))
    kept = sum(got.count(c) for c in POLISH) / max(1, sum(source.count(c) for c in POLISH))
    return f"words {recall:.1%}, Polish letters {kept:.1%}"


def pdf_pypdfium2(path: Path) -> str:
    import pypdfium2 as pdfium
    document = pdfium.PdfDocument(str(path))
    out = []
    for page in document:
        textpage = page.get_textpage()
        out.append(textpage.get_text_range())
        textpage.close()
        page.close()
    document.close()
    return "\n".join(out)


def pdf_pdfminer(path: Path) -> str:
    from pdfminer.high_level import extract_text
    return extract_text(str(path))


def pdf_pypdf(path: Path) -> str:
    from pypdf import PdfReader
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def best(function, path: Path, runs: int) -> tuple[float, str]:
    times, result = [], ""
    for _ in range(runs):
        started = time.perf_counter()
        result = function(path)
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--small", type=int, default=300, help="small files of the demo's mix for the per-file cost")
    args = parser.parse_args()
    from bip.attachments import AttachmentReader
    from bip.attachments.extract import extract_here
    from bip.attachments.model import Limits
    from bip.attachments.pool import _close_shared

    folder = Path(tempfile.mkdtemp(prefix="bip-attachments-bench-"))
    try:
        lines = lines_of(source_text())
        pdf_source = make_pdf(folder / "uchwala.pdf", lines, args.pages)
        pdfs = [(folder / "uchwala.pdf", pdf_source)]
        for real in sorted(Path("/usr/share/doc").rglob("*.pdf"))[:3]:
            shutil.copy(real, folder / real.name)
            pdfs.append((folder / real.name, ""))
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}, "
              f"load {os.getloadavg()[0]:.2f}, runs {args.runs} (best of)\n")
        print("| PDF | pages | pypdfium2 s | pdfminer.six s | pypdf s | quality pypdfium2 / pdfminer.six / pypdf |")
        print("| --- | --- | --- | --- | --- | --- |")
        for path, source in pdfs:
            import pypdfium2 as pdfium
            pages = len(pdfium.PdfDocument(str(path)))
            results = [best(f, path, args.runs) for f in (pdf_pypdfium2, pdf_pdfminer, pdf_pypdf)]
            if source:
                notes = " / ".join(quality(source, text) for _, text in results)
            else:  # no ground truth: agreement with pdfminer.six's words, characters extracted
                ref = results[1][1]
                notes = " / ".join(f"{len(text)} chars, {quality(ref, text).split(',')[0]} of pdfminer's" for _, text in results)
            print(f"| {path.name} ({path.stat().st_size // 1024} KB) | {pages} | "
                  + " | ".join(f"{seconds:.3f}" for seconds, _ in results) + f" | {notes} |")
        print("\n| kind | file | size KB | bip reader s (in process) | quality |")
        print("| --- | --- | --- | --- | --- |")
        office = make_office(folder, lines)
        for kind, (path, source) in [("pdf", pdfs[0]), *office.items()]:
            seconds, result = best(lambda p, k=kind: extract_here(str(p), k, Limits()), path, args.runs)
            print(f"| {kind} | {path.name} | {path.stat().st_size // 1024} | {seconds:.3f} | "
                  f"{quality(source, result.text) if source else '-'} |")
        files = sorted(p for p in folder.iterdir() if p.is_file())
        root = folder / "project"
        many = folder / "many"
        many.mkdir()
        from bip.demo.attachments import Attachments
        mix = Attachments(1)  # distinct files of the mix `bip demo` writes: text PDFs, scans, DOCX, ODT, XLSX
        profiles = ("pdf", "document", "form", "declaration", "table")
        for number in range(args.small):
            name, _, data = mix.make(profiles[number % len(profiles)], f"z{number}.pdf", f"Zarządzenie Nr {number}/2025",
                                     lines[number % len(lines):][:2], "\n\n".join(lines[number % len(lines):][:4]))
            (many / name).write_bytes(data)
        small = sorted(many.iterdir())
        reader = AttachmentReader(root)
        cpu, own = resource.getrusage(resource.RUSAGE_CHILDREN), resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        reader.read(small, text=False)
        _close_shared()
        after, own_after = resource.getrusage(resource.RUSAGE_CHILDREN), resource.getrusage(resource.RUSAGE_SELF)
        print(f"\nparent (hashing, cache files) CPU: {own_after.ru_utime + own_after.ru_stime - own.ru_utime - own.ru_stime:.2f} s")
        print(f"\nbip AttachmentReader, {len(small)} files as `bip demo` makes them (same scans count once), cold, 1 worker: "
              f"{time.perf_counter() - started:.2f} s wall, "
              f"{after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime:.2f} s CPU of the worker "
              f"({(after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime) / len(small) * 1000:.1f} ms per file)")
        for label, workers in (("cold, 1 worker", 1), ("cold, 2 workers", 2)):
            shutil.rmtree(root, ignore_errors=True)
            reader = AttachmentReader(root, workers=workers)
            cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            reader.read(files)
            reader.save()
            _close_shared()
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            print(f"\nbip AttachmentReader, {len(files)} files, {label}: {time.perf_counter() - started:.2f} s wall, "
                  f"{after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime:.2f} s CPU of the workers")
        reader = AttachmentReader(root)
        started = time.perf_counter()
        reader.read(files, text=False)
        print(f"bip AttachmentReader, {len(files)} files, warm (cache, no text): "
              f"{(time.perf_counter() - started) * 1000:.1f} ms, files read {reader.extracted}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
