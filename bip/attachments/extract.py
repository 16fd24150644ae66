"""Reading one file in this process: the kind's reader, with size and container checks first.

Runs inside the worker process (bip.attachments.worker), which bounds memory and time; a reader's
exception becomes a status, never an exception of the build.
"""

from __future__ import annotations

import os
import zipfile

from bip.attachments.model import Extraction, Limits
from bip.attachments.zipcheck import ContainerProblem, open_container

CONTAINERS = ("docx", "odt", "xlsx", "ods")


def _reader(kind: str):
    if kind == "pdf":
        from bip.attachments.pdf import extract_pdf
        return extract_pdf
    if kind == "docx":
        from bip.attachments.word import extract_docx
        return extract_docx
    if kind in ("odt", "ods"):
        from bip.attachments import opendocument
        return opendocument.extract_odt if kind == "odt" else opendocument.extract_ods
    if kind == "xlsx":
        from bip.attachments.sheet import extract_xlsx
        return extract_xlsx
    from bip.attachments import plain
    return {"rtf": plain.extract_rtf, "txt": plain.extract_txt, "csv": plain.extract_csv}.get(kind)


def load_readers() -> None:
    for kind in ("pdf", "docx", "odt", "xlsx", "txt"):
        _reader(kind)


def extract_here(path: str, kind: str, limits: Limits) -> Extraction:
    reader = _reader(kind)
    if reader is None:
        return Extraction(kind, "unsupported")
    try:
        size = os.path.getsize(path)
    except OSError as error:
        return Extraction(kind, "corrupt", detail=str(error))
    if size > limits.max_bytes:
        return Extraction(kind, "too_big", detail=f"{size} bytes")
    try:
        if kind in CONTAINERS:
            with open_container(path, limits) as archive:
                return reader(path, limits, archive)
        return reader(path, limits)
    except ContainerProblem as problem:
        return Extraction(kind, problem.status, detail=problem.detail)  # type: ignore[arg-type]
    except MemoryError:
        return Extraction(kind, "too_big", detail="out of memory")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, TypeError, AttributeError,
            IndexError, UnicodeError, RecursionError) as error:
        return Extraction(kind, "corrupt", detail=f"{type(error).__name__}: {error}"[:500])
    except Exception as error:  # any other library failure on a bad file
        return Extraction(kind, "corrupt", detail=f"{type(error).__name__}: {error}"[:500])
