"""Everyday words → the names a BIP publishes things under (przetarg → zamówienie publiczne), from data.

The table is bip/search/synonimy.json (documented for editors in docs/redaktorzy/synonimy.md). Its words
and phrases go through the analysis of indexed text: a trigger is known by the roots of its lemmas (so any
form of it triggers), a phrase becomes one set of lemma terms per word, all of which a document must have.
search.js gets the same table from meta.json (`synonym_entries`) and applies it the same way.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

from bip.search.analysis import (
    ROOT,
    SURFACE,
    WEIGHTS,
    Alternatives,
    QueryGroup,
    fold,
    iter_spans,
    normalize,
    root,
)

SYNONYM_WEIGHT = 0.5  # a match through a synonym counts half of one through the word typed
FILE = "synonimy.json"

Phrase = tuple[tuple[str, ...], ...]  # one tuple of folded lemma terms per word, each word required


@dataclass(frozen=True)
class Entry:
    keys: tuple[str, ...]  # folded roots of the trigger words and of their lemmas
    phrases: tuple[Phrase, ...]


def phrase_terms(text: str) -> Phrase:
    """The lemma terms of each word of `text` (stop words left out), as indexed text is analysed."""
    parts = []
    for span in iter_spans(normalize(text)):
        lemmas = tuple(term for term in span.terms if term[0] not in (SURFACE, ROOT))
        if lemmas:
            parts.append(lemmas)
    return tuple(parts)


def trigger_keys(word: str) -> set[str]:
    """The roots by which a trigger word is known: of its folded form and of each of its lemmas."""
    keys = {root(fold(word.lower()))}
    for span in iter_spans(normalize(word)):
        keys.update(root(term) for term in span.terms if term[0] not in (SURFACE, ROOT))
    return keys


def parse(data: Any) -> list[Entry]:
    """The entries of a table read from JSON; ValueError saying what is wrong with it."""
    if not isinstance(data, dict) or not isinstance(data.get("synonimy"), list):
        raise ValueError("the synonym table needs a list under „synonimy”")
    entries = []
    for number, item in enumerate(data["synonimy"], 1):
        words, phrases = (item.get("słowa"), item.get("szukaj_też")) if isinstance(item, dict) else (None, None)
        if not (isinstance(words, list) and isinstance(phrases, list) and words and phrases
                and all(isinstance(w, str) and w.strip() for w in [*words, *phrases])):
            raise ValueError(f"synonym entry {number}: „słowa” and „szukaj_też” must be lists of words")
        keys = sorted({key for word in words for key in trigger_keys(word)})
        analysed = tuple(p for p in (phrase_terms(phrase) for phrase in phrases) if p)
        entries.append(Entry(tuple(keys), analysed))
    return entries


@cache
def table() -> tuple[Entry, ...]:
    """The package's synonym table."""
    text = resources.files("bip.search").joinpath(FILE).read_text(encoding="utf-8")
    return tuple(parse(json.loads(text)))


def matched(alternatives: Alternatives, surface: str, entries: Iterable[Entry]) -> list[Phrase]:
    """The phrases a query word triggers: through the root of its folded form, or of a lemma it means
    (`alternatives`, as expand_word gives them), but for phrases with a term among `alternatives`.
    search.js decides the same way."""
    roots = {root(surface)}
    roots.update(root(term) for term, weight in alternatives
                 if term[0] != SURFACE and weight >= WEIGHTS["lemma"])
    meant = {term for term, _ in alternatives}
    found: list[Phrase] = []
    for entry in entries:
        if roots.intersection(entry.keys):
            # A phrase with a term the word matches already finds nothing the word does not.
            found.extend(phrase for phrase in entry.phrases
                         if phrase not in found and not meant.intersection(t for part in phrase for t in part))
    return found


def weighted(phrase: Phrase) -> tuple[Alternatives, ...]:
    weight = round(WEIGHTS["lemma"] * SYNONYM_WEIGHT, 3)
    return tuple(tuple(sorted((term, weight) for term in part)) for part in phrase)


def with_synonyms(groups: list[QueryGroup], entries: Iterable[Entry] | None = None) -> list[QueryGroup]:
    """`groups` with the phrases each single-word group triggers (QueryGroup.synonyms)."""
    entries = table() if entries is None else tuple(entries)
    out = []
    for group in groups:
        single = not group.whole and len(group.parts) == 1
        surfaces = [term[1:] for term, _ in group.parts[0] if term[0] == SURFACE] if single else []
        if not surfaces:
            out.append(group)  # a code, a literal or a joined token: never a synonym
            continue
        phrases = matched(group.parts[0], surfaces[0], entries)
        out.append(replace(group, synonyms=tuple(weighted(p) for p in phrases)) if phrases else group)
    return out


def synonym_entries(indexed: Collection[str] | None = None) -> list[list[Any]]:
    """The table for meta.json: [[keys, phrases], ...]; with `indexed` (the terms with postings), only the
    terms, phrases and entries that can match something in that index."""
    rows = []
    for entry in table():
        phrases = []
        for phrase in entry.phrases:
            parts = [sorted(t for t in part if indexed is None or t in indexed) for part in phrase]
            if all(parts):
                phrases.append(parts)
        if phrases:
            rows.append([list(entry.keys), phrases])
    return rows
