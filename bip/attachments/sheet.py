"""XLSX cell text per sheet and merged header cells, with openpyxl."""

from __future__ import annotations

import openpyxl

from bip.attachments.model import Extraction, Facts, Limits


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def extract_xlsx(path: str, limits: Limits) -> Extraction:
    workbook = openpyxl.load_workbook(path, read_only=False, data_only=True)
    try:
        pages, names, merged = [], [], []
        size = 0
        for sheet in workbook.worksheets:
            names.append(sheet.title)
            rows: list[str] = []
            header_row = None
            for row in sheet.iter_rows(values_only=True):
                values = [_cell(v) for v in row]
                line = "\t".join(values).rstrip("\t")
                if not line:
                    continue
                if header_row is None:
                    header_row = len(rows) + 1
                if size <= limits.max_chars:
                    rows.append(line)
                    size += len(line) + 1
            # the first non-empty row counts as the header; a range of several columns starting there is merged
            first = next((r for r in range(sheet.min_row, sheet.max_row + 1)
                          if any(c.value is not None for c in sheet[r])), None) if header_row else None
            spans = sorted(str(r) for r in sheet.merged_cells.ranges if first and r.min_row == first and r.max_col > r.min_col)
            merged.extend(f"{sheet.title}!{span}" for span in spans)
            pages.append("\n".join(rows))
        facts = Facts(pages=len(pages), sheet_names=tuple(names), merged_headers=tuple(merged),
                      title=(workbook.properties.title or "").strip(), truncated=size > limits.max_chars)
        return Extraction("xlsx", "ok", tuple(pages), facts)
    finally:
        workbook.close()
