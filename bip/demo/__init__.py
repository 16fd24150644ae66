"""`bip demo`: a realistic BIP region (units, pages, attachments) with a git history, for benchmarks and tests.

Attachments are the mix a real BIP holds (bip.demo.attachments): text PDFs with and without tags, scans,
DOCX, ODT and XLSX with Polish text, some deliberately inaccessible.

The whole history is written as one `git fast-import` stream; the same seed gives the same commits.
Not part of the generator: nothing here shapes a built site (bip.fingerprint leaves it out).
"""

from __future__ import annotations

from bip.demo.files import front_matter, pdf, yaml_text
from bip.demo.gitwriter import DemoSummary, generate
from bip.demo.model import FUTURE_EMBARGO, RESERVED

__all__ = ["FUTURE_EMBARGO", "RESERVED", "DemoSummary", "front_matter", "generate", "pdf", "yaml_text"]
