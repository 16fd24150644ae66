"""Attachments' text and accessibility: extraction in bounded worker processes, cached by git blob id.

The API for builds and indexes:

    reader = AttachmentReader(root, workers=2)
    results = reader.read([path, ...])          # {Path: Extraction}; reader.read_blobs([(blob, name)]) for history
    reader.save()
    extraction.pages / extraction.where(i)      # text per PDF page or sheet, "strona 3" / "arkusz „Budżet”"
    audit(relative_file, extraction)            # [Finding(file, code, message, hint)] → .problem(...)
    label(name, size, extraction)               # "PDF, 1,2 MB, skan bez warstwy tekstowej"
    reasons(findings)                           # "skan bez warstwy tekstowej, brak tagów (struktury dokumentu)"
"""

from bip.attachments.audit import Finding, audit, reasons
from bip.attachments.cache import ExtractionCache, git_blob_id
from bip.attachments.label import label, size_pl
from bip.attachments.model import Extraction, Facts, Limits, kind_of
from bip.attachments.reader import AttachmentReader

__all__ = ["AttachmentReader", "Extraction", "ExtractionCache", "Facts", "Finding", "Limits", "audit",
           "git_blob_id", "kind_of", "label", "reasons", "size_pl"]
