"""Attachments: text extraction, accessibility audit, labels, bounded reading of hostile files, the cache.

Every file is made here, with the libraries an office suite's output resembles: PDFs drawn by PDFium with an
embedded font (pypdf adds tags, language, title, encryption), DOCX by python-docx, ODT/ODS by odfpy, XLSX by
openpyxl; bombs and broken files are written byte by byte.
"""

from __future__ import annotations

import ctypes
import json
import os
import struct
import subprocess
import time
import zipfile
import zlib
from dataclasses import asdict
from pathlib import Path

import pytest

from bip.attachments import AttachmentReader, Extraction, Limits, audit, git_blob_id, kind_of, label
from bip.attachments.extract import extract_here
from bip.attachments.model import Facts
from bip.attachments.pool import Worker

TEXT = "Zarządzenie Nr 12/2025 Wójta Gminy Świdnica w sprawie przebudowy ul. Polnej — żółć, gęś, jaźń"
FAST = Limits(memory=768 * 1024 * 1024, seconds=60.0)


# --- making files ---------------------------------------------------------------------------------------


def _font() -> bytes:
    for folder in ("/usr/share/fonts", "/usr/local/share/fonts"):
        for path in sorted(Path(folder).rglob("DejaVuSans.ttf")) if Path(folder).is_dir() else []:
            return path.read_bytes()
    pytest.skip("DejaVuSans.ttf not installed (Debian: fonts-dejavu-core)")


def make_pdf(path: Path, pages: list[str], *, title: str = "", lang: str = "", tagged: bool = False,
             marked_only: bool = False, scan_pages: tuple[int, ...] = (), password: str = "") -> Path:
    """A PDF with one line of text per page (PDFium, embedded DejaVu Sans); scan_pages get an image instead."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    font_data = _font()
    document = pdfium.PdfDocument.new()
    buffer = (ctypes.c_uint8 * len(font_data)).from_buffer_copy(font_data)
    font = raw.FPDFText_LoadFont(document.raw, buffer, len(font_data), raw.FPDF_FONT_TRUETYPE, True)
    for number, line in enumerate(pages, 1):
        page = document.new_page(595, 842)
        if number in scan_pages:
            image = pdfium.PdfImage.new(document)
            bitmap = pdfium.PdfBitmap.new_native(40, 60, raw.FPDFBitmap_BGR)
            bitmap.fill_rect((220, 220, 220, 255), 0, 0, 40, 60)
            image.set_bitmap(bitmap)
            image.set_matrix(pdfium.PdfMatrix().scale(595, 842))
            page.insert_obj(image)
        else:
            obj = raw.FPDFPageObj_CreateTextObj(document.raw, font, 12.0)
            encoded = ctypes.create_string_buffer((line + "\0").encode("utf-16-le"))
            raw.FPDFText_SetText(obj, ctypes.cast(encoded, ctypes.POINTER(raw.FPDF_WCHAR)))
            raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 50, 700)
            raw.FPDFPage_InsertObject(page.raw, obj)
        page.gen_content()
    document.save(path)
    document.close()
    if title or lang or tagged or marked_only or password:
        _finish_pdf(path, title, lang, tagged, marked_only, password)
    return path


def _finish_pdf(path: Path, title: str, lang: str, tagged: bool, marked_only: bool, password: str) -> None:
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject, NameObject, NumberObject, TextStringObject

    writer = PdfWriter(clone_from=str(path))
    root = writer._root_object
    if tagged or marked_only:
        root[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
    if tagged:
        elements = []
        for index, page in enumerate(writer.pages):
            page[NameObject("/StructParents")] = NumberObject(index)
            elements.append(writer._add_object(DictionaryObject({
                NameObject("/Type"): NameObject("/StructElem"), NameObject("/S"): NameObject("/P"),
                NameObject("/Pg"): page.indirect_reference, NameObject("/K"): NumberObject(0)})))
        nums = ArrayObject()
        for index, element in enumerate(elements):
            nums.extend([NumberObject(index), ArrayObject([element])])
        tree = writer._add_object(DictionaryObject({
            NameObject("/Type"): NameObject("/StructTreeRoot"), NameObject("/K"): ArrayObject(elements),
            NameObject("/ParentTree"): DictionaryObject({NameObject("/Nums"): nums})}))
        for element in elements:
            element.get_object()[NameObject("/P")] = tree
        root[NameObject("/StructTreeRoot")] = tree
    if lang:
        root[NameObject("/Lang")] = TextStringObject(lang)
    if title:
        writer.add_metadata({"/Title": title})
    if password:
        writer.encrypt(password, algorithm="AES-128")
    with open(path, "wb") as out:
        writer.write(out)


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF file from object bodies (1 0 R is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def make_pdf_bomb(path: Path, gigabytes: int = 2) -> Path:
    """One page whose FlateDecode content stream (about 2 MB) inflates to `gigabytes` GiB of spaces."""
    chunk = b" " * (1 << 20)
    packer = zlib.compressobj(9)
    first = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    same = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)  # byte-aligned and identical from here on
    count = gigabytes * 1024
    checksum = 1
    for _ in range(count):
        checksum = zlib.adler32(chunk, checksum)
    stream = first + same * (count - 1) + packer.flush()[:-4] + checksum.to_bytes(4, "big")
    path.write_bytes(raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]))
    return path


def png() -> bytes:
    """A 2×2 grey PNG."""
    def block(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    pixels = zlib.compress(b"\x00\x80\x80" * 2)
    return b"\x89PNG\r\n\x1a\n" + block(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0)) + block(b"IDAT", pixels) + block(b"IEND", b"")


def make_docx(path: Path, *, headings: bool, alt: list[str | None], paragraphs: int = 1, title: str = "") -> Path:
    import docx

    document = docx.Document()
    if headings:
        document.add_heading("Uzasadnienie", level=1)
    for _ in range(paragraphs):
        document.add_paragraph(TEXT)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Działka", "Łąka przy ul. Polnej"
    picture = path.with_suffix(".png")
    picture.write_bytes(png())
    for text in alt:
        shape = document.add_picture(str(picture))
        if text is not None:
            shape._inline.docPr.set("descr", text)
    document.core_properties.title = title
    document.save(path)
    return path


def make_odt(path: Path, *, heading: bool, alt: str | None) -> Path:
    from odf import draw, svg, text
    from odf.opendocument import OpenDocumentText

    document = OpenDocumentText()
    if heading:
        document.text.addElement(text.H(outlinelevel=1, text="Ogłoszenie"))
    document.text.addElement(text.P(text=TEXT))
    href = document.addPicture("Pictures/mapa.png", "image/png", png())
    frame = draw.Frame(width="2cm", height="2cm", anchortype="paragraph")
    frame.addElement(draw.Image(href=href))
    if alt is not None:
        frame.addElement(svg.Title(text=alt))
    paragraph = text.P()
    paragraph.addElement(frame)
    document.text.addElement(paragraph)
    document.save(str(path))
    return path


def make_ods(path: Path, *, merged: bool) -> Path:
    from odf import table, text
    from odf.opendocument import OpenDocumentSpreadsheet

    document = OpenDocumentSpreadsheet()
    sheet = table.Table(name="Wydatki")
    header = table.TableRow()
    if merged:
        cell = table.TableCell(numbercolumnsspanned=2)
        cell.addElement(text.P(text="Plan wydatków 2025"))
        header.addElement(cell)
        header.addElement(table.CoveredTableCell())
    else:
        for value in ("Dział", "Kwota"):
            cell = table.TableCell()
            cell.addElement(text.P(text=value))
            header.addElement(cell)
    sheet.addElement(header)
    row = table.TableRow()
    for value in ("Drogi gminne — ul. Polna", "125000"):
        cell = table.TableCell()
        cell.addElement(text.P(text=value))
        row.addElement(cell)
    sheet.addElement(row)
    document.spreadsheet.addElement(sheet)
    document.save(str(path))
    return path


def make_xlsx(path: Path, *, merged: bool) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Budżet"
    sheet.append(["Wydatki majątkowe", None, None])
    sheet.append(["Zadanie", "Kwota", "Rok"])
    sheet.append(["Przebudowa ul. Polnej w Świdnicy", 125000, 2025])
    if merged:
        sheet.merge_cells("A1:C1")
    workbook.create_sheet("Źródła").append(["Środki własne gminy"])
    workbook.save(path)
    return path


def make_zip_bomb_docx(path: Path, megabytes: int = 400) -> Path:
    """A DOCX whose document.xml inflates to `megabytes` MB (a few hundred KB packed)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
            chunk = b"a" * (1 << 20)
            for _ in range(megabytes):
                member.write(chunk)
            member.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return path


def codes(file: str, extraction: Extraction) -> list[str]:
    return [finding.code for finding in audit(file, extraction)]


# --- extraction and audit, one kind at a time -----------------------------------------------------------


def test_tagged_pdf_with_language_and_title_has_text_per_page_and_no_findings(tmp_path):
    path = make_pdf(tmp_path / "a.pdf", [TEXT, "Strona druga: ul. Polna 5"], title="Zarządzenie Nr 12/2025",
                    lang="pl-PL", tagged=True)
    result = extract_here(str(path), "pdf", FAST)
    assert result.status == "ok"
    assert result.pages == (TEXT, "Strona druga: ul. Polna 5")
    assert result.where(1) == "strona 2"
    assert (result.facts.tagged, result.facts.lang, result.facts.title) == (True, "pl-PL", "Zarządzenie Nr 12/2025")
    assert audit("a.pdf", result) == []
    assert label("a.pdf", 1_258_291, result) == "PDF, 1,2 MB"


def test_untagged_pdf_without_language_and_title_gets_three_findings(tmp_path):
    result = extract_here(str(make_pdf(tmp_path / "b.pdf", [TEXT])), "pdf", FAST)
    assert result.pages == (TEXT,)
    assert codes("b.pdf", result) == ["pdf-no-lang", "pdf-no-title", "pdf-untagged"]
    untagged = next(f for f in audit("b.pdf", result) if f.code == "pdf-untagged")
    assert "Dokument z tagami" in untagged.hint and untagged.file == "b.pdf"


def test_markinfo_without_a_structure_tree_is_not_tagged(tmp_path):
    result = extract_here(str(make_pdf(tmp_path / "m.pdf", [TEXT], marked_only=True, lang="pl", title="T")), "pdf", FAST)
    assert result.facts.tagged is False
    assert codes("m.pdf", result) == ["pdf-untagged"]


def test_scan_without_text_layer_is_found_and_labelled(tmp_path):
    path = make_pdf(tmp_path / "skan.pdf", ["", ""], scan_pages=(1, 2), title="Protokół", lang="pl", tagged=True)
    result = extract_here(str(path), "pdf", FAST)
    assert result.status == "ok" and result.text.strip() == ""
    assert result.facts.image_pages == (1, 2)
    assert codes("skan.pdf", result) == ["pdf-scan"]
    assert label("skan.pdf", 1_258_291, result) == "PDF, 1,2 MB, skan bez warstwy tekstowej"


def test_pdf_with_some_scanned_pages_names_them(tmp_path):
    path = make_pdf(tmp_path / "c.pdf", [TEXT, "", TEXT], scan_pages=(2,), title="T", lang="pl", tagged=True)
    result = extract_here(str(path), "pdf", FAST)
    [finding] = audit("c.pdf", result)
    assert finding.code == "pdf-scanned-pages" and finding.message.startswith("Strony 2 PDF")
    assert label("c.pdf", 2048, result) == "PDF, 2,0 KB, część stron to skany bez tekstu"


def test_encrypted_pdf_is_a_located_warning(tmp_path):
    result = extract_here(str(make_pdf(tmp_path / "e.pdf", [TEXT], password="tajne")), "pdf", FAST)
    assert result.status == "encrypted"
    [finding] = audit("content/u/e.pdf", result)
    problem = finding.problem("content/u/strona.md", 7, "attachments.0.file")
    assert (problem.file, problem.line, problem.severity) == ("content/u/strona.md", 7, "warning")
    assert problem.message.startswith("Załącznik „content/u/e.pdf”: Plik jest zabezpieczony hasłem")
    assert label("e.pdf", 500, result) == "PDF, 500 B, zabezpieczony hasłem"


@pytest.mark.parametrize("data", [b"%PDF-1.7\n1 0 obj\n<< /Type /Catal", b"", b"to nie jest PDF" * 100])
def test_corrupt_pdf_is_a_located_warning(tmp_path, data):
    path = tmp_path / "zly.pdf"
    path.write_bytes(data)
    result = extract_here(str(path), "pdf", FAST)
    assert result.status == "corrupt"
    assert codes("zly.pdf", result) == ["corrupt"]


def test_docx_text_headings_and_alt_text(tmp_path):
    good = extract_here(str(make_docx(tmp_path / "ok.docx", headings=True, alt=["Mapa działki"])), "docx", FAST)
    assert good.status == "ok"
    assert good.text == f"Uzasadnienie\n{TEXT}\nDziałka\nŁąka przy ul. Polnej"
    assert (good.facts.headings, good.facts.images, good.facts.images_without_alt) == (1, 1, 0)
    assert audit("ok.docx", good) == []

    bad = extract_here(str(make_docx(tmp_path / "zle.docx", headings=False, alt=[None, "Herb", None], paragraphs=20)),
                       "docx", FAST)
    assert (bad.facts.headings, bad.facts.images, bad.facts.images_without_alt) == (0, 3, 2)
    assert codes("zle.docx", bad) == ["doc-image-no-alt", "doc-no-headings"]
    assert audit("zle.docx", bad)[0].message.startswith("Obrazy bez tekstu alternatywnego: 2 z 3.")


def _repack(source: Path, target: Path, change) -> Path:
    """A copy of a ZIP package with `change(name, data)` giving each member's new (name, data), or None to drop it."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            changed = change(info.filename, old.read(info.filename))
            if changed is not None:
                new.writestr(*changed)
    return target


def test_docx_parts_are_found_through_the_package_relationships(tmp_path):
    made = make_docx(tmp_path / "zrodlo.docx", headings=True, alt=[], title="Uchwała w sprawie ul. Polnej")

    def moved(name: str, data: bytes):
        # the main part under another name, as some generators write it; no core properties at all
        if name == "docProps/core.xml":
            return None
        data = data.replace(b"word/document.xml", b"word/tresc.xml").replace(b"/docProps/core.xml", b"/docProps/brak.xml")
        if name == "word/_rels/document.xml.rels":
            name = "word/_rels/tresc.xml.rels"
        return ("word/tresc.xml" if name == "word/document.xml" else name), data

    result = extract_here(str(_repack(made, tmp_path / "inny.docx", moved)), "docx", FAST)
    assert result.status == "ok"
    assert result.text == f"Uzasadnienie\n{TEXT}\nDziałka\nŁąka przy ul. Polnej"
    assert (result.facts.headings, result.facts.title) == (1, "")
    assert extract_here(str(made), "docx", FAST).facts.title == "Uchwała w sprawie ul. Polnej"
    # a spreadsheet under a Word name is no Word document
    sheet = make_xlsx(tmp_path / "arkusz.xlsx", merged=False)
    renamed = sheet.rename(tmp_path / "arkusz.docx")
    wrong = extract_here(str(renamed), "docx", FAST)
    assert wrong.status == "corrupt" and "not a Word document" in wrong.detail


def test_docx_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "tajne.txt"
    secret.write_text("PESEL 44051401359", encoding="utf-8")
    made = make_docx(tmp_path / "zrodlo.docx", headings=False, alt=[])

    def with_entity(name: str, data: bytes):
        if name == "word/document.xml":
            declaration = f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{secret}">]>'.encode()
            data = data.replace(b"?>", b"?>" + declaration, 1).replace(b"Dzia\xc5\x82ka", b"&x;", 1)
        return name, data

    result = extract_here(str(_repack(made, tmp_path / "encja.docx", with_entity)), "docx", FAST)
    assert result.status in ("ok", "corrupt")
    assert "44051401359" not in result.text


def test_short_docx_without_headings_needs_none(tmp_path):
    result = extract_here(str(make_docx(tmp_path / "krotki.docx", headings=False, alt=[])), "docx", FAST)
    assert audit("krotki.docx", result) == []


def test_odt_text_headings_and_alt_text(tmp_path):
    good = extract_here(str(make_odt(tmp_path / "ok.odt", heading=True, alt="Mapa działki")), "odt", FAST)
    assert good.status == "ok"
    assert good.text == f"Ogłoszenie\n{TEXT}\nMapa działki"  # a picture's description is text of its paragraph
    assert (good.facts.headings, good.facts.images, good.facts.images_without_alt) == (1, 1, 0)
    assert audit("ok.odt", good) == []

    bad = extract_here(str(make_odt(tmp_path / "zle.odt", heading=False, alt=None)), "odt", FAST)
    assert (bad.facts.headings, bad.facts.images_without_alt) == (0, 1)
    assert codes("zle.odt", bad) == ["doc-image-no-alt"]


def _odt_by_hand(path: Path, content: str, styles: str, meta: str, mimetype: str = "application/vnd.oasis.opendocument.text") -> Path:
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
          'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
          'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xlink="http://www.w3.org/1999/xlink"')
    entries = "".join(f'<manifest:file-entry manifest:full-path="{name}" manifest:media-type="text/xml"/>'
                      for name in ("content.xml", "styles.xml", "meta.xml"))
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("META-INF/manifest.xml",
                         '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                         f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>{entries}'
                         "</manifest:manifest>")
        archive.writestr("content.xml", f"<office:document-content {ns}>{content}</office:document-content>")
        archive.writestr("styles.xml", f"<office:document-styles {ns}>{styles}</office:document-styles>")
        archive.writestr("meta.xml", f"<office:document-meta {ns}><office:meta>{meta}</office:meta></office:document-meta>")
    return path


def test_odt_spaces_header_logo_language_of_styles_and_pretty_printed_content(tmp_path):
    logo = ('<draw:frame draw:name="Herb"><draw:image xlink:href="Pictures/herb.png"/></draw:frame>')
    content = ("<office:body>\n  <office:text>\n"  # pretty-printed, as some generators write it
               "    <text:h>Ogłoszenie</text:h>\n"
               '    <text:p>Nabór<text:s text:c="3"/>wniosków<text:tab/>do<text:line-break/>31 marca<!-- uwaga --></text:p>\n'
               "    <text:section><text:p>ul. Polna 5</text:p></text:section>\n"
               "  </office:text>\n</office:body>")
    styles = ('<office:styles><style:default-style><style:text-properties fo:language="zxx"/></style:default-style>'
              '<style:style style:name="Standard"><style:text-properties fo:language="pl" fo:country="PL"/></style:style>'
              "</office:styles>"
              f'<office:master-styles><style:master-page><style:header><text:p>{logo}</text:p></style:header>'
              "</style:master-page></office:master-styles>")
    result = extract_here(str(_odt_by_hand(tmp_path / "nabor.odt", content, styles, "<dc:title> Nabór </dc:title>")),
                          "odt", FAST)
    assert result.status == "ok"
    assert result.text == "Ogłoszenie\nNabór   wniosków\tdo\n31 marca\nul. Polna 5"
    assert (result.facts.headings, result.facts.images, result.facts.images_without_alt) == (1, 1, 1)
    assert (result.facts.title, result.facts.lang) == ("Nabór", "pl-PL")
    sheet = _odt_by_hand(tmp_path / "arkusz.odt", "<office:body><office:spreadsheet/></office:body>", "", "",
                         mimetype="application/vnd.oasis.opendocument.spreadsheet")
    wrong = extract_here(str(sheet), "odt", FAST)
    assert wrong.status == "corrupt" and "not a text document" in wrong.detail


def test_odt_space_count_of_two_billion_is_not_two_gigabytes(tmp_path):
    content = '<office:body><office:text><text:p>ul.<text:s text:c="2000000000"/>Polna</text:p></office:text></office:body>'
    result = extract_here(str(_odt_by_hand(tmp_path / "spacje.odt", content, "", "")), "odt", FAST)
    assert result.status == "ok"
    assert result.text.startswith("ul. ") and result.text.endswith(" Polna") and len(result.text) < 2000


def test_xlsx_sheets_and_merged_header_cells(tmp_path):
    merged = extract_here(str(make_xlsx(tmp_path / "m.xlsx", merged=True)), "xlsx", FAST)
    assert merged.status == "ok"
    assert merged.pages == ("Wydatki majątkowe\nZadanie\tKwota\tRok\nPrzebudowa ul. Polnej w Świdnicy\t125000\t2025",
                            "Środki własne gminy")
    assert merged.where(1) == "arkusz „Źródła”"
    assert merged.facts.merged_headers == ("Budżet!A1:C1",)
    assert codes("m.xlsx", merged) == ["sheet-merged-header"]
    plain = extract_here(str(make_xlsx(tmp_path / "p.xlsx", merged=False)), "xlsx", FAST)
    assert audit("p.xlsx", plain) == []


def test_xlsx_title_dates_and_a_header_below_empty_rows(tmp_path):
    import datetime

    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.properties.title = "Harmonogram odbioru odpadów"
    sheet = workbook.active
    sheet["B3"], sheet["C3"] = "Ulica", "Termin"  # the header is the first row with text, not row 1
    sheet["B4"], sheet["C4"] = "ul. Polna", datetime.date(2025, 3, 14)
    sheet["B5"], sheet["C5"] = "ul. Leśna", datetime.datetime(2025, 3, 14, 7, 30)
    sheet.merge_cells("B3:C3")
    sheet.merge_cells("B5:B6")  # below the header: not a merged header cell
    workbook.save(tmp_path / "odpady.xlsx")
    result = extract_here(str(tmp_path / "odpady.xlsx"), "xlsx", FAST)
    assert result.status == "ok"
    assert result.pages == ("\tUlica\n\tul. Polna\t2025-03-14\n\tul. Leśna\t2025-03-14 07:30:00",)
    assert result.facts.title == "Harmonogram odbioru odpadów"
    assert result.facts.merged_headers == ("Sheet!B3:C3",)


def test_xlsx_with_an_absurd_used_range_ends_its_worker_and_the_next_file_is_read(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active["A1"], workbook.active["XFD1048576"] = "początek", "koniec"  # 17 billion cells between
    workbook.save(tmp_path / "rzadki.xlsx")
    worker = Worker(Limits(memory=512 * 1024 * 1024, seconds=20.0))
    try:
        started = time.monotonic()
        assert worker.extract(str(tmp_path / "rzadki.xlsx"), "xlsx").status in ("crashed", "too_big")
        assert time.monotonic() - started < 15
        good = make_xlsx(tmp_path / "dobry.xlsx", merged=False)
        assert worker.extract(str(good), "xlsx").pages[1] == "Środki własne gminy"
    finally:
        worker.close()


def test_ods_text_and_merged_header_cells(tmp_path):
    merged = extract_here(str(make_ods(tmp_path / "m.ods", merged=True)), "ods", FAST)
    assert merged.status == "ok"
    assert merged.pages == ("Plan wydatków 2025\nDrogi gminne — ul. Polna\t125000",)
    assert merged.facts.sheet_names == ("Wydatki",)
    assert codes("m.ods", merged) == ["sheet-merged-header"]
    plain = extract_here(str(make_ods(tmp_path / "p.ods", merged=False)), "ods", FAST)
    assert plain.pages == ("Dział\tKwota\nDrogi gminne — ul. Polna\t125000",)
    assert audit("p.ods", plain) == []


def test_rtf_from_windows_1250_and_unicode_escapes(tmp_path):
    path = tmp_path / "pismo.rtf"
    path.write_bytes(rb"{\rtf1\ansi\ansicpg1250\deff0{\fonttbl{\f0 Arial;}}\f0 Wniosek o przebudow\'ea ul. Polnej\par "
                     rb"\u379?\'f3\u322?\u263?}")
    result = extract_here(str(path), "rtf", FAST)
    assert result.status == "ok"
    assert result.text == "Wniosek o przebudowę ul. Polnej\nŻółć"
    assert audit("pismo.rtf", result) == []


def test_csv_and_txt_in_utf8_and_windows_1250(tmp_path):
    rows = "Lp.;Nazwa zadania;Kwota\n1;Przebudowa ul. Polnej w Świdnicy;125 000,00 zł\n"
    (tmp_path / "utf.csv").write_text(rows, encoding="utf-8")
    (tmp_path / "win.csv").write_bytes(rows.encode("cp1250"))
    expected = "Lp.\tNazwa zadania\tKwota\n1\tPrzebudowa ul. Polnej w Świdnicy\t125 000,00 zł"
    assert extract_here(str(tmp_path / "utf.csv"), "csv", FAST).text == expected
    assert extract_here(str(tmp_path / "win.csv"), "csv", FAST).text == expected
    (tmp_path / "a.txt").write_bytes(("\ufeff" + TEXT + "\n").encode("utf-8"))
    assert extract_here(str(tmp_path / "a.txt"), "txt", FAST).pages == (TEXT,)


def test_unknown_kinds_are_not_read_and_get_a_plain_label():
    assert kind_of("Załącznik.PDF") == "pdf" and kind_of("plan.dwg") == "" and kind_of(".pdf") == ""
    assert label("plan.dwg", 3 * 1024 * 1024) == "DWG, 3,0 MB"
    assert audit("plan.dwg", Extraction("", "unsupported")) == []


def test_encrypted_and_broken_office_files(tmp_path):
    ole = tmp_path / "haslo.docx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)  # what Word writes for a password
    assert extract_here(str(ole), "docx", FAST).status == "encrypted"
    broken = tmp_path / "zly.xlsx"
    broken.write_bytes(b"PK\x03\x04 not quite a zip")
    assert extract_here(str(broken), "xlsx", FAST).status == "corrupt"
    odt = tmp_path / "haslo.odt"
    with zipfile.ZipFile(odt, "w") as archive:  # what LibreOffice writes for "Zapisz z hasłem"
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("META-INF/manifest.xml", '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
                         'xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml">'
                         '<manifest:encryption-data manifest:checksum="x"/></manifest:file-entry></manifest:manifest>')
        archive.writestr("content.xml", b"\x8f\x02 encrypted bytes")
    assert extract_here(str(odt), "odt", FAST).status == "encrypted"
    not_docx = tmp_path / "inny.docx"
    with zipfile.ZipFile(not_docx, "w") as archive:
        archive.writestr("a.txt", "to nie jest dokument Worda")
    result = extract_here(str(not_docx), "docx", FAST)
    assert result.status == "corrupt" and codes("inny.docx", result) == ["corrupt"]


# --- hostile files in worker processes ------------------------------------------------------------------


def test_zip_bomb_docx_is_refused_before_unpacking(tmp_path):
    path = make_zip_bomb_docx(tmp_path / "bomba.docx")
    assert path.stat().st_size < 2 * 1024 * 1024
    started = time.monotonic()
    result = Worker(FAST).extract(str(path), "docx")
    assert result.status == "too_big"
    assert time.monotonic() - started < FAST.seconds  # it returned by itself, not at the time limit
    assert codes("bomba.docx", result) == ["too_big"]


def test_pdf_decompression_bomb_ends_the_worker_not_the_build_and_the_next_file_is_read(tmp_path):
    bomb = make_pdf_bomb(tmp_path / "bomba.pdf")
    good = make_pdf(tmp_path / "dobry.pdf", [TEXT])
    worker = Worker(Limits(memory=512 * 1024 * 1024, seconds=60.0))
    try:
        result = worker.extract(str(bomb), "pdf")
        assert result.status in ("crashed", "too_big"), result
        assert audit("bomba.pdf", result)[0].code == result.status
        assert worker.extract(str(good), "pdf").pages == (TEXT,)  # a new worker takes over
    finally:
        worker.close()


def test_a_file_past_the_time_limit_gets_timeout_and_the_worker_is_replaced(tmp_path):
    # a FIFO with no writer: opening it blocks forever, like a reader stuck on a hostile file
    fifo = tmp_path / "wisi.txt"
    os.mkfifo(fifo)
    good = tmp_path / "dobry.txt"
    good.write_text(TEXT, encoding="utf-8")
    worker = Worker(Limits(seconds=1.0))
    try:
        assert worker.extract(str(fifo), "txt").status == "timeout"
        assert worker.extract(str(good), "txt").pages == (TEXT,)
    finally:
        worker.close()

def test_files_sent_together_each_get_their_own_result_when_one_kills_or_stalls_the_worker(tmp_path):
    # several requests wait in the worker's input at once: the files after a bad one go to the next worker
    bomb = make_pdf_bomb(tmp_path / "bomba.pdf")
    fifo = tmp_path / "wisi.txt"
    os.mkfifo(fifo)
    goods = []
    for number in range(40):
        good = tmp_path / f"dobry-{number}.txt"
        good.write_text(f"{TEXT} {number}", encoding="utf-8")
        goods.append((f"g{number}", str(good), "txt"))
    jobs = [*goods[:5], ("bomb", str(bomb), "pdf"), *goods[5:20], ("fifo", str(fifo), "txt"), *goods[20:]]
    worker = Worker(Limits(memory=512 * 1024 * 1024, seconds=5.0))
    try:
        results = worker.extract_many(jobs)
    finally:
        worker.close()
    assert set(results) == {key for key, _, _ in jobs}
    assert results["bomb"].status in ("crashed", "too_big"), results["bomb"]
    assert results["fifo"].status == "timeout"
    for number, (key, _, _) in enumerate(goods):
        assert results[key].pages == (f"{TEXT} {number}",), key



def test_a_file_over_the_size_limit_is_not_opened(tmp_path):
    path = tmp_path / "duzy.txt"
    path.write_bytes(b"x" * 2048)
    assert extract_here(str(path), "txt", Limits(max_bytes=1024)).status == "too_big"


# --- the cache ------------------------------------------------------------------------------------------


def test_second_run_reads_nothing_and_a_changed_file_is_read_again(tmp_path):
    root = tmp_path / "projekt"
    folder = root / "content" / "gmina" / "uchwaly"
    folder.mkdir(parents=True)
    pdf = make_pdf(folder / "uchwala.pdf", [TEXT])
    csv = folder / "dane.csv"
    csv.write_text("Nazwa;Kwota\nul. Polna;100\n", encoding="utf-8")
    first = AttachmentReader(root)
    results = first.read([pdf, csv])
    first.save()
    assert first.extracted == 2 and results[pdf].pages == (TEXT,)

    # the same bytes' cached result is used without opening the file: garbage of the same size and mtime
    # would give "corrupt" if it were read
    stat = pdf.stat()
    pdf.write_bytes(b"\0" * stat.st_size)
    os.utime(pdf, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second = AttachmentReader(root)
    again = second.read([pdf, csv])
    assert second.extracted == 0
    assert again == results

    csv.write_text("Nazwa;Kwota\nul. Leśna;200\n", encoding="utf-8")
    third = AttachmentReader(root)
    assert third.read([csv])[csv].text == "Nazwa\tKwota\nul. Leśna\t200"
    assert third.extracted == 1


def test_summary_without_text_and_history_blobs_by_git_id(tmp_path):
    root = tmp_path / "projekt"
    root.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    path = root / "pismo.txt"
    path.write_text(TEXT, encoding="utf-8")
    blob = subprocess.run(["git", "hash-object", "-w", "pismo.txt"], cwd=root, check=True, capture_output=True,
                          text=True).stdout.strip()
    assert git_blob_id(path.read_bytes()) == blob
    path.unlink()  # only in git now, as an old version is
    reader = AttachmentReader(root)
    assert reader.read_blobs([(blob, "pismo.txt")])[blob].pages == (TEXT,)
    reader.save()
    again = AttachmentReader(root)
    assert again.read_blobs([(blob, "pismo.txt")], text=False)[blob].pages == ()
    assert again.read_blobs([(blob, "pismo.txt")])[blob].pages == (TEXT,)
    assert again.extracted == 0
    missing = "0" * 40
    assert again.read_blobs([(missing, "x.pdf")])[missing].status == "corrupt"


# --- bip check / bip build ------------------------------------------------------------------------------


def test_check_and_build_report_attachment_findings_at_the_page_line(project, tmp_path):
    from conftest import NOW, basic_files, page, run_bip

    unit = "content/gmina-testowa"
    files = basic_files()
    files[f"{unit}/ogloszenia/przetarg.md"] = page("Przetarg na przebudowę ul. Polnej").replace(
        "---\nTreść", "attachments:\n  - file: swz.pdf\n    title: SWZ\n  - file: skan.pdf\n    title: Protokół\n---\nTreść")
    files[f"{unit}/ogloszenia/swz.pdf"] = make_pdf(tmp_path / "swz.pdf", [TEXT], title="SWZ", lang="pl-PL",
                                                   tagged=True).read_bytes()
    files[f"{unit}/ogloszenia/skan.pdf"] = make_pdf(tmp_path / "skan.pdf", [""], scan_pages=(1,), title="Protokół",
                                                    lang="pl-PL", tagged=True).read_bytes()
    root = project(files)
    checked = run_bip(root, "check", "--now", NOW)
    located = [line for line in checked.stdout.splitlines() if "Załącznik" in line]
    assert located == [f"{unit}/ogloszenia/przetarg.md:6: ostrzeżenie [attachments.1.file]: Załącznik „skan.pdf”: "
                       "PDF jest skanem bez warstwy tekstowej: czytnik ekranu nie odczyta z niego ani słowa, a "
                       "wyszukiwarka go nie znajdzie."]
    assert checked.returncode == 0
    assert "→ Opublikuj dokument zapisany jako PDF wprost z edytora (Word, Writer), nie skan wydruku" in checked.stdout
    assert run_bip(root, "check", "--now", NOW, "--strict").returncode == 1

    built = run_bip(root, "build", "--now", NOW)
    assert built.returncode == 0 and located[0] in built.stderr
    cache = root / ".bip-cache" / "attachments"
    before = {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()} if cache.is_dir() else {}
    again = run_bip(root, "build", "--now", NOW)  # no change: remembered, nothing read again
    assert located[0] in again.stderr
    assert before and before == {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}
    assert run_bip(root, "build", "--now", NOW, "--strict").returncode == 1


def test_a_unit_pack_holds_every_result_in_two_files_and_texts_are_appended(tmp_path):
    root = tmp_path / "projekt"
    folder = root / "content" / "gmina" / "uchwaly"
    folder.mkdir(parents=True)
    paths = []
    for n in range(12):
        path = folder / f"pismo-{n}.txt"
        path.write_text(f"Pismo nr {n} w sprawie ul. Polnej", encoding="utf-8")
        paths.append(path)
    reader = AttachmentReader(root, pack="gmina")
    first = reader.read(paths[:10])
    reader.save()
    cache_files = sorted(p.name for p in (root / ".bip-cache" / "attachments").rglob("*") if p.is_file())
    assert cache_files == ["gmina.json", "gmina.text"]  # not a file per attachment: --clean deletes two
    text_pack = next((root / ".bip-cache" / "attachments").rglob("gmina.text"))
    before = text_pack.read_bytes()

    more = AttachmentReader(root, pack="gmina")
    results = more.read(paths)
    more.save()
    assert more.extracted == 2  # the ten known ones come from the pack
    assert text_pack.read_bytes().startswith(before)  # appended, the earlier texts not rewritten
    assert [results[p].text for p in paths] == [f"Pismo nr {n} w sprawie ul. Polnej" for n in range(12)]
    assert all(results[p] == first[p] for p in paths[:10])
    other = AttachmentReader(root, pack="powiat")  # another unit's pack knows none of them
    other.read(paths[:1])
    assert other.extracted == 1


def test_a_result_sent_by_the_worker_and_kept_in_the_cache_comes_back_whole() -> None:
    facts = Facts(pages=3, image_pages=(2,), tagged=False, lang="pl", title="Tytuł", images=1, images_without_alt=1,
                  headings=0, merged_headers=("Arkusz!A1:C1",), sheet_names=("Arkusz",), truncated=True,
                  ocr_pages=(2,))
    result = Extraction("pdf", "ok", ("jeden", "", "trzy"), facts, "szczegół", blob="abc")
    expected = asdict(result)
    del expected["blob"]  # set by the reader, never sent or stored
    assert json.loads(json.dumps(result.to_json())) == json.loads(json.dumps(expected))
    assert Extraction.from_json(json.loads(json.dumps(result.to_json()))) == result


def test_a_container_is_read_and_unpacked_once_for_its_checks_and_its_text(tmp_path, monkeypatch):
    files = {"docx": make_docx(tmp_path / "a.docx", headings=True, alt=["Herb"], title="Uchwała"),
             "odt": make_odt(tmp_path / "b.odt", heading=True, alt="Herb"),
             "xlsx": make_xlsx(tmp_path / "c.xlsx", merged=True)}
    alone = {kind: extract_here(str(path), kind, Limits()) for kind, path in files.items()}
    opened: list[object] = []
    real = zipfile.ZipFile.__init__

    def counting(self, file, *args, **kwargs):
        opened.append(file)
        real(self, file, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "__init__", counting)
    for kind, path in files.items():
        opened.clear()
        assert extract_here(str(path), kind, Limits()) == alone[kind]
        assert alone[kind].status == "ok" and len(opened) == 1, kind
