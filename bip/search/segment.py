"""A fresh whoosh segment written from documents whose terms are already counted.

whoosh's own `add_document` analyses every field again, puts each posting into a pool as a tuple, sorts
the pool and reads each field length back from the segment being written. A build has the terms of every
field counted already (the static index needs the same counts): here they go straight into whoosh's
field writer, term by term, with the field lengths at hand. The segment is the one `add_document` would
write (a test compares every stored field, term, posting and length of the two).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3TermInfo
from whoosh.system import pack_uint
from whoosh.writing import SegmentWriter

# Terms in fewer documents than this keep their postings in the term table: most terms of a unit are in a
# few of its documents, and a block of their own in the postings file (pickled, compressed, with its
# header) costs more to write than the postings themselves. whoosh reads them back through a ListMatcher.
INLINE_LIMIT = 16
if not hasattr(W3TermInfo, "set_inline"):
    # whoosh-reloaded's postings writer calls set_inline(), which its term info names set_inlined()
    W3TermInfo.set_inline = W3TermInfo.set_inlined

# (docnum, weight, value bytes) of every document holding a term, by field and term bytes
Postings = dict[str, dict[bytes, list[tuple[int, float, bytes]]]]


class CountedWriter(SegmentWriter):
    """A writer of one new segment; `add_counted` takes documents instead of `add_document`."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, codec=W3Codec(inlinelimit=INLINE_LIMIT), **kwargs)
        self._postings: Postings = {}
        self._lengths: dict[str, dict[int, int]] = {}
        self._packed: dict[int, bytes] = {}

    def add_counted(self, values: Mapping[str, Any], counted: Mapping[str, Counter[str]]) -> None:
        """One document: `values` for the stored and ID fields, `counted` the term counts of text fields
        (which must be scorable fields of whoosh's Frequency format, as TEXT without phrases is)."""
        self._check_state()
        schema = self.schema
        perdoc = self.perdocwriter
        docnum = self.docnum
        perdoc.start_doc(docnum)
        for name in sorted({*values, *counted}):
            field = schema[name]
            length = 0
            if name in counted:
                terms = self._postings.setdefault(name, {})
                for term, frequency in counted[name].items():
                    terms.setdefault(term.encode("utf-8"), []).append((docnum, float(frequency), self._pack(frequency)))
                    length += frequency
                if length:
                    self._lengths.setdefault(name, {})[docnum] = length
            elif field.indexed and values[name] is not None:
                terms = self._postings.setdefault(name, {})
                for tbytes, _frequency, weight, value in field.index(values[name]):
                    terms.setdefault(tbytes, []).append((docnum, weight, value))
            perdoc.add_field(name, field, values.get(name) if field.stored else None, length)
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _pack(self, frequency: int) -> bytes:
        packed = self._packed.get(frequency)
        if packed is None:
            packed = self._packed[frequency] = pack_uint(frequency)
        return packed

    def _flush_segment(self) -> None:
        # what SegmentWriter does with its sorted pool, from the postings gathered above
        self.perdocwriter.close()
        writer = self.fieldwriter
        add = writer.add
        for name in sorted(self._postings):
            terms = self._postings[name]
            if not terms:
                continue
            lengths = self._lengths.get(name, {})
            writer.start_field(name, self.schema[name])
            for tbytes in sorted(terms):
                writer.start_term(tbytes)
                for docnum, weight, value in terms[tbytes]:
                    add(docnum, weight, value, lengths.get(docnum, 0))
                writer.finish_term()
            writer.finish_field()
        writer.close()
