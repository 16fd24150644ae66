"""Office Open XML packages (DOCX, XLSX): parts found through the package's relationships, read with zipfile
and parsed with lxml (no entities resolved, nothing fetched), and the document's title."""

from __future__ import annotations

import posixpath
import zipfile

from lxml import etree

REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
# python-docx's parser settings: no entities resolved, whitespace-only text between elements dropped
PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)


class Package:
    """A package's parts by name; only the parts asked for are unpacked."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive

    def xml(self, name: str):
        """The part's parsed XML; KeyError when the package has no such part."""
        return etree.fromstring(self.archive.read(name), PARSER)

    def related(self, part: str, kind: str) -> str | None:
        """The part that `part` ("" for the package) relates to with a relationship type ending in `kind`."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", f"{name}.rels")
        try:
            root = self.xml(rels)
        except KeyError:
            return None
        for rel in root.iter(REL):
            if (rel.get("Type") or "").endswith(kind) and rel.get("TargetMode") != "External":
                target = rel.get("Target") or ""
                return posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target))
        return None

    def related_xml(self, part: str, kind: str):
        """The parsed XML of the part `related` finds; None when there is none, or it is not in the package."""
        name = self.related(part, kind)
        if name is None:
            return None
        try:
            return self.xml(name)
        except KeyError:
            return None

    def title(self) -> str:
        """The title in the core properties ("" when there are none)."""
        core = self.related_xml("", "/metadata/core-properties")
        node = core.find(DC_TITLE) if core is not None else None
        return (node.text or "").strip() if node is not None else ""
