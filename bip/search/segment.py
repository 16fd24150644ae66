"""A fresh whoosh segment written from documents whose terms are already counted.

A build has every field's terms counted (the static index needs them too): instead of whoosh's
`add_document` analysing and pooling them again, the term table and postings of whoosh's whoosh3 format
are written a term at a time, through whoosh's internals. Only on the whoosh versions this was tested
with (bip.libraries); on others `add_document` writes the same index (tests compare the two).
"""

from __future__ import annotations

import os
import pickle
import struct
import zlib
from collections.abc import Mapping, Sequence
from hashlib import md5
from typing import Any

from whoosh.analysis import IDTokenizer
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec
from whoosh.fields import ID
from whoosh.filedb.filestore import FileStorage
from whoosh.formats import Existence
from whoosh.system import pack_int, pack_long, pack_uint, pack_ushort
from whoosh.util import random_name
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from bip.libraries import internals_allowed

# Segments are written through whoosh's internals (else through add_document)
FAST = internals_allowed("whoosh-reloaded")
# Terms in fewer documents than this keep their postings in the term table (cheaper than a block of their
# own in the postings file); whoosh reads them back through a ListMatcher.
INLINE_LIMIT = 16

# whoosh unpickles term infos and postings blocks whatever the protocol; 5 (its own writer uses 2) is faster
# to write and smaller
PICKLE = 5
BLOCK = 128  # postings per block: W3Codec's blocklimit
COMPRESSION = 3  # zlib level of a block: W3Codec's
_INFO = struct.Struct("!BfIBBfII")  # W3TermInfo's: inlined?, weight, doc freq, min/max length byte, max weight, ids
_ROW = struct.Struct("!ii")  # the hash file's key and value lengths (whoosh.filedb.filetables)


class Storage(FileStorage):
    """whoosh's storage of an index folder, with temporary folders made without an exception: whoosh keeps
    the FileExistsError it raises the second time in a frame's local, a reference cycle that kept a whole
    unit's render alive until the cyclic collector came by."""

    def temp_storage(self, name: str | None = None) -> FileStorage:
        path = os.path.join(self.folder, name or f"{random_name()}.tmp")
        os.makedirs(path, exist_ok=True)
        return FileStorage(path)


class CountedWriter(SegmentWriter):
    """A writer of one new segment; `add_counted` takes documents instead of `add_document`."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        # whoosh's own postings writer cannot inline (whoosh-reloaded calls a method its term info lacks)
        super().__init__(ix, codec=W3Codec(inlinelimit=INLINE_LIMIT) if FAST else None, **kwargs)
        # text fields: term → [docnum, frequency, docnum, frequency, …];
        # other indexed fields: term bytes → [(docnum, weight, value)]
        self._counted: dict[str, dict[str, list[int]]] = {}
        self._indexed: dict[str, dict[bytes, list[tuple[int, float, bytes]]]] = {}
        self._lengths: dict[str, dict[int, int]] = {}
        # ID fields as whoosh makes them (the whole text one term, no boost), whose values are indexed here
        self._whole = {name for name, field in self.schema.items()
                       if type(field) is ID and type(field.analyzer) is IDTokenizer
                       and type(field.format) is Existence and field.format.field_boost == 1.0}

    def add_counted(self, values: Mapping[str, Any], counted: Mapping[str, Mapping[str, int]]) -> None:
        """One document: `values` for the stored and ID fields, `counted` the term counts of text fields
        (which must be scorable fields of whoosh's Frequency format, as TEXT without phrases is)."""
        if not FAST:  # whoosh's public API: the terms as a list of tokens, each as often as counted
            self.add_document(**values, **{name: [term for term, frequency in terms.items() for _ in range(frequency)]
                                           for name, terms in counted.items()})
            return
        self._check_state()
        schema = self.schema
        perdoc = self.perdocwriter
        docnum = self.docnum
        perdoc.start_doc(docnum)
        for name in sorted({*values, *counted}):
            field = schema[name]
            length = 0
            if name in counted:
                terms = self._counted.setdefault(name, {})
                for term, frequency in counted[name].items():
                    listed = terms.get(term)
                    if listed is None:
                        terms[term] = [docnum, frequency]
                    else:
                        listed += docnum, frequency
                    length += frequency
                if length:
                    self._lengths.setdefault(name, {})[docnum] = length
            elif field.indexed and values[name] is not None:
                indexed = self._indexed.setdefault(name, {})
                if name in self._whole:  # the term whoosh's ID field makes of a value: all of it
                    indexed.setdefault(values[name].encode("utf-8"), []).append((docnum, 1.0, b""))
                else:
                    for tbytes, _frequency, weight, value in field.index(values[name]):
                        indexed.setdefault(tbytes, []).append((docnum, weight, value))
            perdoc.add_field(name, field, values.get(name) if field.stored else None, length)
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        if not FAST:
            return super()._flush_segment()
        # what SegmentWriter does with its sorted pool (through W3FieldWriter), from the postings gathered above
        self.perdocwriter.close()
        writer = self.fieldwriter
        terms = _TermWriter(writer._tindex, writer._postfile)
        fieldmap = writer._fieldmap
        packed = _Packed()
        # a field without any term gets no id, as in whoosh's own flush
        for name in sorted(name for name, terms in [*self._counted.items(), *self._indexed.items()] if terms):
            field = self.schema[name]
            fieldid = fieldmap[name] = len(fieldmap)
            prefix = pack_ushort(fieldid)
            fixed = field.format.fixed_value_size()
            if name in self._counted:
                # field length bytes (what whoosh keeps of a length), by document: the order of lengths
                length_bytes = {docnum: length_to_byte(length) for docnum, length in self._lengths.get(name, {}).items()}
                counted = self._counted[name]
                # str order is the order of the UTF-8 bytes whoosh sorts by
                for term in sorted(counted):
                    postings = counted[term]
                    ids, frequencies = tuple(postings[::2]), postings[1::2]
                    terms.add(prefix + term.encode("utf-8"), ids, tuple(map(float, frequencies)),
                              tuple(map(packed.__getitem__, frequencies)), [length_bytes[docnum] for docnum in ids],
                              fixed)
            else:
                indexed = self._indexed[name]
                for tbytes in sorted(indexed):
                    ids, weights, values = zip(*indexed[tbytes], strict=True)
                    terms.add(prefix + tbytes, ids, weights, values, None, fixed)
        terms.finish()
        writer.close()


class _Packed(dict[int, bytes]):
    """A frequency as whoosh's Frequency format stores it (an unsigned int), each packed once."""

    def __missing__(self, frequency: int) -> bytes:
        packed = self[frequency] = pack_uint(frequency)
        return packed


def _max_weight(weights: Sequence[float]) -> float:
    """W3PostingsWriter's block maximum: 0 unless a weight is above it."""
    top = max(weights)
    return top if top > 0 else 0


class _TermWriter:
    """Rows of whoosh's term table (an OrderedHashWriter) and their postings (W3PostingsWriter's blocks),
    gathered and written in one piece each; the table's hash buckets and index are filled as its own
    `add` fills them, and its `close` (through the field writer's) writes them."""

    def __init__(self, table: Any, postfile: Any) -> None:
        self.table = table
        self.postfile = postfile
        self.rows: list[bytes] = []
        self.positions: list[int] = []
        self.row_at = table.dbfile.tell()
        self.posts: list[bytes] = []
        self.post_at = postfile.tell()

    def add(self, key: bytes, ids: tuple[int, ...], weights: tuple[float, ...], values: tuple[bytes, ...],
            lengths: list[int] | None, fixed: int | None) -> None:
        """A term's postings: document numbers (ascending), weights, values (bytes of `fixed` size each, or
        of any size when it is None or negative; empty ones are left out, as whoosh leaves them out) and
        the documents' field lengths as whoosh's length bytes (None: the field has no lengths)."""
        count = len(ids)
        low, high = (0, 0) if lengths is None else (min(lengths), max(lengths))
        inline = count < INLINE_LIMIT
        # the term's statistics (its maximum weight: the greatest of its blocks' maxima)
        value = _INFO.pack(inline, sum(weights), count, low, high, _max_weight(weights), ids[0], ids[-1])
        if inline:
            if not fixed or fixed < 0:  # values of a fixed size are never empty
                values = tuple(v for v in values if v)
            value += pickle.dumps((ids, weights, values), PICKLE)
        else:
            value += self._blocks(ids, weights, values, lengths, fixed)
        position = self.row_at
        self.positions.append(position)
        self.rows += (_ROW.pack(len(key), len(value)), key, value)
        self.row_at = position + 8 + len(key) + len(value)
        digest = int.from_bytes(md5(key, usedforsecurity=False).digest()[-4:])  # whoosh's md5_hash
        self.table.buckets[digest & 255].append((digest, position))
        self.table.lastkey = key

    def _blocks(self, ids: tuple[int, ...], weights: tuple[float, ...], values: tuple[bytes, ...],
                lengths: list[int] | None, fixed: int | None) -> bytes:
        """The term's postings in blocks, put into the postings file; returns where they are (offset, size)."""
        start = self.post_at
        posts = [WHOOSH3_HEADER_MAGIC]
        size = len(WHOOSH3_HEADER_MAGIC)
        count = len(ids)
        for begin in range(0, count, BLOCK):
            end = min(begin + BLOCK, count)
            block_ids = ids[begin:end]
            block_weights = weights[begin:end]
            deltas = []
            previous = 0  # each block's first id is kept whole
            for docnum in block_ids:
                deltas.append(docnum - previous)
                previous = docnum
            if all(w == 1.0 for w in block_weights):
                mini_weights: Any = None
            elif all(w == block_weights[0] for w in block_weights):
                mini_weights = block_weights[0]
            else:
                mini_weights = tuple(block_weights)
            if fixed is None or fixed < 0:
                mini_values: Any = tuple(v for v in values[begin:end] if v)
            elif fixed == 0:
                mini_values = None
            else:
                mini_values = b"".join(values[begin:end])
            data = zlib.compress(pickle.dumps((tuple(deltas), mini_weights, mini_values), PICKLE), COMPRESSION)
            block_top = _max_weight(block_weights)
            if lengths is None:
                block_low, block_high = 0, 0
            else:
                block_lengths = lengths[begin:end]
                block_low, block_high = min(block_lengths), max(block_lengths)
            info = pickle.dumps((end - begin, block_ids[-1], block_top, COMPRESSION, block_low, block_high), PICKLE)
            length = len(info) + len(data)
            posts += (pack_int(-length if end == count else length), info, data)
            size += 4 + length
        self.posts += posts
        self.post_at = start + size
        return pack_long(start) + pack_int(size)

    def finish(self) -> None:
        self.table.dbfile.write(b"".join(self.rows))
        self.postfile.write(b"".join(self.posts))
        index = self.table.index
        for position in self.positions:
            index.append(position)  # GrowableArray: widens its type as whoosh's own add would
