"""Export of a static, sharded search index for search.js (written to a site's `szukaj/indeks/`).

One query fetches meta.json, the term shards of its words and the document blocks of the results shown.
"""

from __future__ import annotations

import json
import math
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from json.encoder import encode_basestring
from typing import Any

import orjson

from bip.search.analysis import (
    JOINERS,
    MAX_WHOLE,
    MAX_WORD,
    ROOT,
    ROOT_RULES,
    STOPWORDS,
    SURFACE,
    TOKEN_PATTERN,
    WEIGHTS,
    WORD_CHARS,
    Alternatives,
    Lexicon,
    expand_word,
    normalize,
    root,
)
from bip.search.index import FIELD_WEIGHTS, SearchDoc, analyze_docs, check_unique_urls, year_of
from bip.search.synonyms import SYNONYM_WEIGHT, synonym_entries

FORMAT = 3
K1 = 1.2  # BM25 parameters, as whoosh's
B = 0.75
_K1_PLUS_1 = K1 + 1
WEIGHT_SCALE = 10  # posting weights are stored as integers: round(weight * WEIGHT_SCALE)
SHARD_BYTES = 8_000  # aimed-at size of a term shard, before compression
BLOCK_BYTES = 2_000  # aimed-at size of a block of documents: a page of results touches up to 10 blocks
TEXT_CHARS = 2000  # characters of a page's text kept in the index for snippets
MAX_SHARDS = 4096


# Postings are strings of base-32 numbers: every digit but the last of a number from _MORE, the last from
# _LAST. A small id gap or weight takes one character instead of two or three digits and a comma.
_LAST = "0123456789abcdefghijklmnopqrstuv"
_MORE = "ABCDEFGHIJKLMNOPQRSTUVWXYZwxyz+/"


def _code(number: int) -> str:
    if number < 0:
        raise ValueError(f"a posting number cannot be negative: {number}")
    digits = [_LAST[number & 31]]
    number >>= 5
    while number:
        digits.append(_MORE[number & 31])
        number >>= 5
    return "".join(reversed(digits))


# the code of every number of up to three digits, made once (one digit, then two, then three, in order)
_CODES = [*_LAST, *(a + z for a in _MORE[1:] for z in _LAST),
          *(a + b + z for a in _MORE[1:] for b in _MORE for z in _LAST)]


def encode_numbers(numbers: Iterable[int]) -> str:
    codes, limit = _CODES, len(_CODES)
    return "".join([codes[n] if 0 <= n < limit else _code(n) for n in numbers])


def decode_numbers(text: str) -> list[int]:
    out: list[int] = []
    value = 0
    for char in text:
        digit = _LAST.find(char)
        if digit >= 0:
            out.append(value * 32 + digit)
            value = 0
        else:
            value = value * 32 + _MORE.index(char)
    return out


@lru_cache(maxsize=1 << 18)
def fnv1a(text: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes: cheap, and easy to compute the same way in JavaScript (cached: the
    terms of a region's units repeat, and the static index and the portal's cut both need them)."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def shard_of(term: str, shards: int) -> int:
    return fnv1a(term) % shards


def compact_json(data: Any) -> bytes:
    """Sorted keys and no whitespace (the same input gives the same bytes), in UTF-8, written by orjson several
    times faster than by json: the bytes of `json.dumps(data, ensure_ascii=False, sort_keys=True,
    separators=(",", ":"))`, except that a float below 1e-4 or from 1e16 on is written as "0.00001" or "1e16"
    (the same number to JSON.parse; an index's weights are neither). What orjson refuses (an integer beyond 64
    bits, a key that is not text) goes to json."""
    try:
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def passage_text(text: str, size: int = TEXT_CHARS) -> str:
    """A page's text for search.js to pick the passage that matched from: whitespace made single, cut at a
    word boundary after `size` characters (a long act's later pages are rarely what a snippet needs, and
    every character is fetched with the results shown)."""
    text = " ".join(normalize(text).split())
    if len(text) <= size:
        return text
    cut = text.rfind(" ", 0, size)
    return text[: cut if cut > size // 2 else size] + "…"


def _doc_order(doc: SearchDoc) -> tuple[str, int, str, str]:
    # Documents of one type and year get consecutive ids: filters become id ranges, and the results of
    # a query (often of one type and period) fall into few document blocks.
    year = year_of(doc.date)
    return (doc.type, -int(year) if year else 1, "".join(chr(0x10FFFF - ord(c)) for c in doc.date), doc.url)


@dataclass
class UnitIndex:
    """A unit's static index: its files, and its entries cut into fragments for the portal's index
    (bip.search.portal): fragment n is blob[offsets[n]:offsets[n + 1]], n < MAX_SHARDS."""

    files: dict[str, bytes]
    docs: int
    offsets: array
    blob: bytes


def unit_index(docs: list[SearchDoc], unit: str) -> UnitIndex:
    """export_static() of a unit's documents, with its fragments for the portal (`unit`: the unit's id)."""
    files, members = _export(docs, True)
    offsets, blob = fragments(unit, members)
    return UnitIndex(files, len(docs), offsets, blob)


def export_static(docs: Iterable[SearchDoc], *, full_text: bool = True) -> dict[str, bytes]:
    """File name (relative to the index folder) → content, for the documents of a site.

    Without `full_text` the page bodies are not indexed (titles, numbers, types, units and dates are).
    (The regional portal does not use it: its index is joined from the units' full-text indexes, see
    bip.search.portal.)

    - meta.json: counts (of documents; of attachments among them, when there are any), shard and block
      sizes, types, units, the id range of each type and year, the size of the term entries (for the
      portal's shard count), the analysis settings that search.js needs and the synonym table
      (bip.search.synonyms) cut to what can match in this index;
    - t/<shard>.json: {"p": {term: postings}, "f": {form: [[term, weight], ...]}, "r": {root: [lemma,
      ...]}}: postings are id, weight, id gap, weight, ... (encode_numbers); "f" says what a form of the
      corpus means (expand_word) where fallback_expansion() would not; "r" lists the lemmas derived
      from a root where they are not just the root itself;
    - d/<block>.json: [[title, url, type, date, number, unit, text], ...] by document id (url relative to
      the unit's root, the index folder's ../../), the text cut after TEXT_CHARS (passage_text): search.js
      shows the passage of it that matched the query.
    """
    return _export(docs, full_text)[0]


Members = dict[int, tuple[str, str, str]]


def _export(docs: Iterable[SearchDoc], full_text: bool) -> tuple[dict[str, bytes], Members]:
    """export_static()'s files, and the term entries by fragment (see term_members)."""
    ordered = sorted(docs, key=_doc_order)
    check_unique_urls(ordered)
    fields = [name for name in FIELD_WEIGHTS if full_text or name != "text"]
    analyzed = analyze_docs(ordered, fields)
    counted = [[analyzed.terms[doc.url][name] for name in fields] for doc in ordered]
    total_length = [sum(counter.total() for counter in column) for column in zip(*counted, strict=True)]
    count = len(ordered)
    average = [max(total / count, 1.0) for total in total_length] if count else [1.0] * len(fields)

    postings: dict[str, list[int]] = {}
    field_weights = [FIELD_WEIGHTS[name] for name in fields]
    for doc_id, per_field in enumerate(counted):
        weights: dict[str, float] = {}
        for field_weight, mean, counter in zip(field_weights, average, per_field, strict=True):
            if not counter:
                continue
            norm = K1 * (1 - B + B * counter.total() / mean)
            part = {term: field_weight * tf * _K1_PLUS_1 / (tf + norm) for term, tf in counter.items()}
            for term in part.keys() & weights.keys():  # a term of an earlier field too: the fields' sum
                part[term] = weights[term] + part[term]
            weights.update(part)
        for term, weight in weights.items():
            scaled = round(weight * WEIGHT_SCALE)
            listed = postings.get(term)
            if listed is None:
                postings[term] = [doc_id, scaled or 1]
            else:
                listed += (doc_id, scaled or 1)
    del counted

    lexicon = Lexicon()
    lexicon.add_rows(analyzed.lexicon_rows)
    # Root → the corpus lemmas derived from it, where that is not just the root itself.
    root_entries: dict[str, list[str]] = {}
    for root_term, derived in lexicon.roots.items():
        stem = root_term[1:]
        kept = sorted(lemma for lemma in derived if lemma in postings)
        if kept != [stem] and (kept or stem in postings):
            root_entries[stem] = kept

    def indexed(alternatives: Alternatives) -> list[list[Any]]:
        # Terms without postings make no difference to a search: leave them out.
        return [list(pair) for pair in alternatives if pair[0] in postings]

    # What each form of the corpus means, where search.js's fallback would not get it right.
    expansions: dict[str, list[list[Any]]] = {}
    for surface in lexicon.surfaces:
        expanded = indexed(expand_word(surface, lexicon))
        if expanded != indexed(fallback_expansion(surface, root_entries.get(root(surface), [root(surface)]))):
            expansions[surface] = expanded

    encoded = {term: encode_numbers(_delta(ids_weights)) for term, ids_weights in postings.items()}

    # One label per type and one name per unit, whatever the documents say (the first one wins).
    types = sorted({doc.type: doc.type_label for doc in reversed(ordered)}.items())
    type_index = {name: i for i, (name, _) in enumerate(types)}
    units = sorted({doc.unit_id: doc.unit_name for doc in reversed(ordered)}.items())
    unit_index = {unit_id: i for i, (unit_id, _) in enumerate(units)}
    rows = [
        [doc.title, doc.unit_url, type_index[doc.type], doc.date, doc.number, unit_index[doc.unit_id],
         passage_text(doc.text)]
        for doc in ordered
    ]
    ranges: list[list[Any]] = []
    for doc_id, doc in enumerate(ordered):
        key = [type_index[doc.type], year_of(doc.date)]
        if ranges and ranges[-1][:2] == key:
            ranges[-1][3] = doc_id + 1
        else:
            ranges.append([*key, doc_id, doc_id + 1])
    synonyms = synonym_entries(postings.keys())
    attached = sum(1 for doc in ordered if doc.attachment)
    return _files(encoded, expansions, root_entries, types, units, rows, ranges, synonyms, attached)


def shard_count(size: int) -> int:
    """Term shards for an index of `size` bytes of entries: a power of two, each about SHARD_BYTES."""
    shards = 1
    while shards < MAX_SHARDS and size / shards > SHARD_BYTES:
        shards *= 2
    return shards


def _files(
    encoded: dict[str, str], expansions: dict[str, list[list[Any]]], root_entries: dict[str, list[str]],
    types: list[tuple[str, str]], units: list[tuple[str, str]], rows: list[list[Any]], ranges: list[list[Any]],
    synonyms: list[list[Any]], attached: int = 0,
) -> tuple[dict[str, bytes], Members]:
    """The files of an index from its parts: term shards sized by the total, document blocks, meta.json;
    and the term entries by fragment, of which the term shards are made."""
    # each form's and root's entry encoded once: for the size, then as the term entries' text
    forms = {surface: compact_json(pairs) for surface, pairs in expansions.items()}
    roots = {stem: compact_json(lemmas) for stem, lemmas in root_entries.items()}
    size = sum(len(term) + len(values) + 6 for term, values in encoded.items())
    size += sum(len(text) + len(surface) + 4 for surface, text in forms.items())
    size += sum(len(text) + len(stem) + 4 for stem, text in roots.items())
    shards = shard_count(size)

    files: dict[str, bytes] = {}
    members = term_members(encoded, {k: v.decode("utf-8") for k, v in forms.items()},
                           {k: v.decode("utf-8") for k, v in roots.items()}, encoded=True)
    for number in range(shards):
        # shard n holds fragments n, n + shards, n + 2 * shards, ... (shards: a power of two, up to MAX_SHARDS)
        parts = [members[n] for n in range(number, MAX_SHARDS, shards) if n in members]
        kinds = (",".join(part[k] for part in parts if part[k]) for k in range(3))
        # Empty shards too: search.js fetches the shard of any term typed, and a 404 is not an answer.
        files[f"t/{number:x}.json"] = '{{"f":{{{}}},"p":{{{}}},"r":{{{}}}}}'.format(*kinds).encode("utf-8")

    count = len(rows)
    encoded_rows = [compact_json(row) for row in rows]  # a block is its rows' JSON joined: each encoded once
    row_bytes = sum(map(len, encoded_rows)) / count if count else 1.0
    block = max(1, min(256, round(BLOCK_BYTES / row_bytes)))
    for start in range(0, count, block):
        files[f"d/{start // block:x}.json"] = b"[" + b",".join(encoded_rows[start : start + block]) + b"]"

    files["meta.json"] = compact_json(
        {
            "format": FORMAT,
            "docs": count,
            "shards": shards,
            "block": block,
            "scale": WEIGHT_SCALE,
            "types": [list(t) for t in types],
            "units": [list(u) for u in units],
            "ranges": ranges,
            "bytes": size,
            "analysis": analysis_settings(),
            "synonyms": synonyms,
            # how many of the documents are attachments (the portal's list counts pages); only when some are
            **({"attachments": attached} if attached else {}),
        }
    )
    return files, members


def json_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False) if '"' in text or "\\" in text else f'"{text}"'


def term_members(
    postings: dict[str, str], forms: dict[str, Any], roots: dict[str, Any], encoded: bool = False
) -> Members:
    """The entries of an index by fragment (the FNV-1a hash of a term (a form with its SURFACE prefix, a
    root with ROOT's) modulo MAX_SHARDS; a term shard of S shards holds the fragments equal to it modulo
    S): the members of its "f", "p" and "r" objects as JSON text, by key (empty where it has none).
    `encoded`: the values of `forms` and `roots` are their compact_json text already."""
    parts: dict[int, tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = {}
    for kind, (entries, prefix) in enumerate(((forms, SURFACE), (postings, ""), (roots, ROOT))):
        for key, value in entries.items():
            number = shard_of(prefix + key, MAX_SHARDS)
            part = parts.get(number)
            if part is None:
                part = parts[number] = ({}, {}, {})
            part[kind][key] = value
    members: Members = {}
    for number, (forms_in, postings_in, roots_in) in parts.items():
        # written by hand: one json.dumps per fragment would be most of the time of a unit's cut
        members[number] = (
            _object_members(forms_in, encoded),
            ",".join(f"{json_string(term)}:{json_string(value)}" for term, value in sorted(postings_in.items())),
            _object_members(roots_in, encoded),
        )
    return members


def _object_members(entries: dict[str, Any], encoded: bool) -> str:
    """The members of compact_json(entries) (sorted keys), from values encoded already when `encoded`."""
    if not entries:
        return ""
    if not encoded:
        return compact_json(entries).decode("utf-8")[1:-1]
    return ",".join(f"{encode_basestring(key)}:{text}" for key, text in sorted(entries.items()))


def fragments(unit: str, members: Members) -> tuple[array, bytes]:
    """A unit's entries as MAX_SHARDS fragments `[unit, {...}]`, one after another (an empty one where the
    unit has no entry; a kind without entries left out: this is repeated per unit in the portal's shards)."""
    offsets, blob, label = array("I", [0]), bytearray(), json_string(unit)
    for number in range(MAX_SHARDS):
        part = members.get(number)
        if part is not None:
            kinds = ",".join(f'"{name}":{{{text}}}' for name, text in zip("fpr", part, strict=True) if text)
            blob += f"[{label},{{{kinds}}}]".encode()
        offsets.append(len(blob))
    return offsets, bytes(blob)


def analysis_settings() -> dict[str, Any]:
    """What search.js needs to analyse a query as the index was analysed."""
    return {
        "word_chars": WORD_CHARS,
        "joiners": JOINERS,
        "token_pattern": TOKEN_PATTERN,
        "max_word": MAX_WORD,
        "max_whole": MAX_WHOLE,
        "stopwords": sorted(STOPWORDS),
        "root_rules": [list(rule) for rule in ROOT_RULES],
        "weights": WEIGHTS,
        "synonym_weight": SYNONYM_WEIGHT,
    }


def fallback_expansion(surface: str, root_lemmas: list[str]) -> Alternatives:
    """What search.js takes a folded word to mean when the index does not list it ("f").

    The word is its own lemma, and the lemmas of its root ("r", else the root itself) are related:
    what expand_word() gives for most base forms, and for most forms missing from the corpus.
    """
    weights = {SURFACE + surface: WEIGHTS["surface"], surface: WEIGHTS["lemma"]}
    for lemma in root_lemmas:
        weights[lemma] = weights.get(lemma, 0.0) + WEIGHTS["root"]
    return tuple(sorted((term, round(weight, 3)) for term, weight in weights.items()))


def _delta(ids_weights: list[int]) -> list[int]:
    """[id, w, id, w, ...] with ids as differences from the previous id: shorter numbers in JSON."""
    out = list(ids_weights)
    for i in range(len(out) - 2, 0, -2):
        out[i] -= out[i - 2]
    return out


def idf(doc_frequency: int, docs: int) -> float:
    """whoosh's idf, which search.js uses too."""
    return math.log(docs / (doc_frequency + 1)) + 1
