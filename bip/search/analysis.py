"""Polish text analysis shared by the whoosh index, the static browser index and queries.

A word yields `=surface`, `lemma` and `~root` terms (folded); codes, numbers and dates yield literals.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

import simplemma
from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy
from simplemma.strategies.dictionaries import TrieDictionaryFactory
from simplemma.strategies.dictionaries.dictionary_factory import DEFAULT_DICTIONARY_FACTORY
from simplemma.utils import normalize_token
from whoosh.analysis import Token, Tokenizer

from bip.libraries import internals_allowed

# search.js tokenizes and folds queries itself, so the character ranges are spelled out instead of \w
# (whose meaning differs between Python and JavaScript): both sides then agree by construction.
# Latin (Basic, Latin-1, Extended-A/B, IPA), Greek and Cyrillic letters, ASCII digits.
WORD_CHARS = (
    "0-9A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02af"
    "\u0370-\u0373\u0376\u0377\u037b-\u037d\u0386\u0388-\u03ff\u0400-\u0481\u048a-\u052f"
)
JOINERS = "./\\-"  # inside "XII/123/2024", "ZP.271.3.2024", "2024-05-20", "Kędzierzyn-Koźle"
TOKEN_PATTERN = f"[{WORD_CHARS}]+(?:[{JOINERS}][{WORD_CHARS}]+)*"
_TOKEN_RE = re.compile(TOKEN_PATTERN)
_SPLIT_RE = re.compile(f"[{JOINERS}]")
_MARKS_RE = re.compile("[\u0300-\u036f]")  # combining diacritical marks left by NFKD
_DIGIT_RE = re.compile("[0-9]")

MAX_WORD = 40  # longer "words" are hashes or garbage: indexed literally, never lemmatized
MAX_WHOLE = 64  # longer joined tokens are indexed by their parts only

SURFACE = "="  # prefix of a folded surface-form term
ROOT = "~"  # prefix of a derivational-root term

# Query weights of the kinds of terms. A document with the exact form typed matches surface + lemma +
# root (2.0), another form of the word lemma + root (1.5), a derived word root only (0.5).
WEIGHTS: dict[str, float] = {"literal": 1.0, "whole": 2.0, "lemma": 1.0, "surface": 0.5, "root": 0.5}

# Folded Polish function words and BIP boilerplate abbreviations ("nr", "r." in "2024 r."): they occur in
# nearly every page, so they would only inflate the index and dilute queries.
STOPWORDS: frozenset[str] = frozenset(
    ["a", "aby", "ale", "albo", "ani", "az", "bo", "by", "byc", "byl", "byla", "bylo", "co", "czy", "dla", "do", "gdy", "go", "i", "ich", "ii", "iz", "ja", "jak", "jako", "je", "jej", "jest", "jego", "jednak", "jesli", "juz", "ku", "lub", "ma", "mu", "na", "nad", "nie", "niz", "np", "nr", "o", "od", "oraz", "po", "pod", "przed", "przez", "przy", "r", "sa", "sie", "sobie", "ta", "tak", "takze", "te", "tego", "tej", "ten", "to", "tu", "tym", "u", "w", "we", "wraz", "z", "za", "ze", "zl"]
)



def _rules(groups: list[tuple[str, str]]) -> tuple[tuple[str, str, int], ...]:
    rules = [(ending, replacement, 3) for endings, replacement in groups for ending in endings.split()]
    return tuple(sorted(rules, key=lambda rule: -len(rule[0])))


# A light Polish stemmer on folded text: (ending, replacement, minimal length left), the longest ending
# first, applied once. On a lemma it gives the root shared with derived words ("budzetowy" → "budzet" =
# "budzet"; "gminny" → "gmin" = "gmina" → "gmin"); on an inflected form it mostly gives the root of the
# form's lemma ("budzetowe" → "budzet"), which is how search.js understands words not in the corpus.
ROOT_RULES: tuple[tuple[str, str, int], ...] = _rules([
    ("owymi owych owego owemu owym owej owy owa owe owi ow", ""),
    ("cyjnymi cyjnych cyjnego cyjnemu cyjnym cyjnej cyjny cyjna cyjne cja cji cje cjach cjami cjom", "c"),
    ("sja sji sje sjach sjami", "s"),
    ("nnymi nnych nnego nnemu nnym nnej nny nna nne", "n"),
    ("niami niach niem niom nia nie niu", "n"),
    ("ciami ciach ciem ciom cia cie ciu", "c"),
    ("ek", "k"),
    ("ymi ych ego emu ym ej imi ich iego iemu im iej", ""),
    ("ami ach iem om em ie y i a e o u", ""),
])

# Verbal nouns: simplemma maps some of their forms to the verb ("zarządzenie" → "zarządzić") and others to
# the noun ("zarządzenia" → "zarządzenie"); adding the noun's nominative makes all forms meet.
_GERUND_ENDINGS: tuple[tuple[str, str], ...] = (
    ("niami", "nie"), ("ciami", "cie"), ("niach", "nie"), ("ciach", "cie"), ("niem", "nie"),
    ("ciem", "cie"), ("niom", "nie"), ("ciom", "cie"), ("nia", "nie"), ("cia", "cie"), ("niu", "nie"),
    ("ciu", "cie"), ("nie", "nie"), ("cie", "cie"), ("eń", "enie"), ("ań", "anie"), ("ęć", "ęcie"),
)


def normalize(text: str) -> str:
    """NFC, so that "ż" is one character whether typed or pasted decomposed."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case and strip diacritics: "Zażółć" → "zazolc" (ł has no decomposition, so it is mapped)."""
    text = unicodedata.normalize("NFKD", text.lower())
    return _MARKS_RE.sub("", text).replace("ł", "l")


@lru_cache(maxsize=1 << 16)
def root(lemma: str) -> str:
    """The derivational root of a folded lemma (see ROOT_RULES); cached: the words of a region's units repeat."""
    for suffix, replacement, keep in ROOT_RULES:
        if lemma.endswith(suffix) and len(lemma) - len(suffix) >= keep:
            return lemma[: len(lemma) - len(suffix)] + replacement
    return lemma


class _AtomicTrieFactory(TrieDictionaryFactory):
    """simplemma's dictionary as a MARISA trie (built once per machine and simplemma version, then loaded
    fast and small), its file written under a temporary name and renamed: builds running at once never read
    a half-written one. Overrides a private method: only on the simplemma versions tested (bip.libraries)."""

    def _write_trie_to_disk(self, lang: str, trie: Any) -> None:
        self._cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{lang}-", suffix=".tmp", dir=self._cache_dir)
        os.close(fd)
        try:
            trie.save(tmp)
            os.replace(tmp, self._cache_dir / f"{lang}.dic")
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _dictionary() -> Any:
    """The dictionary factory: the trie where marisa-trie is installed, else simplemma's default."""
    factory = _AtomicTrieFactory if internals_allowed("simplemma") else TrieDictionaryFactory
    try:
        return factory(disk_cache_dir=os.environ.get("BIP_DICTIONARY_CACHE") or None)
    except ImportError:
        return DEFAULT_DICTIONARY_FACTORY


_FACTORY = _dictionary()
_LEMMATIZER = simplemma.Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=_FACTORY))
_LOOKUP = DictionaryLookupStrategy(dictionary_factory=_FACTORY)


def load_dictionary() -> None:
    """Make the Polish dictionary ready now: before forking workers, so that they share it (and, on a
    machine's first build, so that one process builds the trie rather than each worker)."""
    _FACTORY.get_dictionary("pl")


def _is_known(word: str) -> bool:
    return _LOOKUP.get_lemma(normalize_token(word), "pl") is not None


@lru_cache(maxsize=1 << 18)
def lemmas(word: str) -> tuple[str, ...]:
    """Lemmas of a lower-case word, not folded: the dictionary needs the diacritics."""
    lemma = _LEMMATIZER.lemmatize(word, lang="pl").lower()
    found = [lemma]
    if lemma.endswith("ć"):
        for ending, nominative in _GERUND_ENDINGS:
            if word.endswith(ending):
                noun = word[: len(word) - len(ending)] + nominative
                if noun != lemma and (noun == word or _is_known(noun)):
                    found.append(noun)
                break
    return tuple(found)


@lru_cache(maxsize=1 << 18)
def word_terms(word: str) -> tuple[str, ...]:
    """Terms of one lower-case alphabetic word: its surface first, then its lemmas, then their roots."""
    terms = [SURFACE + fold(word)]
    for lemma in lemmas(word):
        folded = fold(lemma)
        if folded not in terms:
            terms.append(folded)
    for lemma in terms[1:]:
        rooted = ROOT + root(lemma)
        if rooted not in terms:
            terms.append(rooted)
    return tuple(terms)


@dataclass(frozen=True)
class Span:
    """One token of a text: where it is and the terms it yields (none for stop words)."""

    start: int
    end: int
    terms: tuple[str, ...]
    word: str = ""  # the lower-case word for words, "" for literals


def _has_digit(text: str) -> bool:
    return _DIGIT_RE.search(text) is not None


def _single(lower: str, start: int, end: int, *, literal: bool) -> Span:
    if literal or len(lower) > MAX_WORD or _has_digit(lower):
        return Span(start, end, (fold(lower),))
    terms = word_terms(lower)
    if terms[0][1:] in STOPWORDS:
        return Span(start, end, (), lower)
    return Span(start, end, terms, lower)


def iter_tokens(text: str) -> Iterator[tuple[Span | None, list[Span]]]:
    """Tokens of NFC-normalized `text`: the whole of a joined token (if kept) and its parts.

    A joined token with a digit ("XII/123/2024") is a code: its parts are literals. Without one
    ("Kędzierzyn-Koźle") its parts are words. A plain token is its own only part.
    """
    for match in _TOKEN_RE.finditer(text):
        token = match.group()
        start = match.start()
        lower = token.lower()
        if _SPLIT_RE.search(token) is None:
            yield None, [_single(lower, start, match.end(), literal=False)]
            continue
        coded = _has_digit(token)
        whole = Span(start, match.end(), (fold(lower),)) if len(token) <= MAX_WHOLE else None
        parts = []
        offset = start
        for part in _SPLIT_RE.split(lower):
            parts.append(_single(part, offset, offset + len(part), literal=coded))
            offset += len(part) + 1
        yield whole, parts


def iter_spans(text: str) -> Iterator[Span]:
    """Spans of NFC-normalized `text`, the whole of a joined token before its parts."""
    for whole, parts in iter_tokens(text):
        if whole is not None:
            yield whole
        yield from parts


@lru_cache(maxsize=1 << 20)
def token_terms(token: str) -> tuple[str, ...]:
    """All terms of one raw token (tokens repeat a lot: caching them is what makes indexing fast)."""
    return tuple(term for span in iter_spans(token) for term in span.terms)


@lru_cache(maxsize=1 << 20)
def token_index_terms(token: str) -> tuple[str, ...]:
    """The terms of a raw token that get postings: all but roots.

    Roots are expanded to lemmas at query time through the lexicon: a third fewer postings to write.
    """
    return tuple(term for term in token_terms(token) if term[0] != ROOT)


def tokens(text: str) -> list[str]:
    """The raw tokens of a text, NFC-normalized."""
    return _TOKEN_RE.findall(normalize(text))


def analyze(text: str) -> list[str]:
    """All terms of `text` in order, repeated as often as they occur."""
    return [term for token in tokens(text) for term in token_terms(token)]


def index_terms(text: str, seen: set[str] | None = None) -> list[str]:
    """The terms of `text` that get postings (analyze() without roots); raw tokens are added to `seen`."""
    found = tokens(text)
    if seen is not None:
        seen.update(found)
    return [term for token in found for term in token_index_terms(token)]


# --- the lexicon: what the words of a corpus mean ------------------------------------------------------


def lexicon_rows(seen: Iterable[str]) -> set[tuple[str, str]]:
    """(key, term) rows for the words among the raw tokens `seen`.

    ("=surface", lemma or root term) tells what a form means, so that a query typed without diacritics
    ("uchwaly", which the dictionary does not know) gets the lemmas of "uchwały"; ("~root", lemma) tells
    which lemmas of the corpus derive from a root.
    """
    rows: set[tuple[str, str]] = set()
    for token in seen:
        rows.update(token_lexicon_rows(token))
    return rows


@lru_cache(maxsize=1 << 18)
def token_lexicon_rows(token: str) -> tuple[tuple[str, str], ...]:
    """lexicon_rows() of one raw token (each unit of a region sees most of the same words)."""
    rows = []
    for _whole, parts in iter_tokens(token):
        for span in parts:
            if not (span.word and span.terms):
                continue
            surface = span.terms[0]
            for term in span.terms[1:]:
                rows.append((surface, term))
                if term[0] != ROOT:
                    rows.append((ROOT + root(term), term))
    return tuple(rows)


class LexiconLike(Protocol):
    def get(self, surface: str) -> Collection[str] | None:
        """Lemma and root terms of a folded surface form seen in the corpus, None if never seen."""

    def root_lemmas(self, roots: Collection[str]) -> dict[str, set[str]]:
        """Root term → the lemmas of the corpus with that root."""


@dataclass
class Lexicon:
    """An in-memory lexicon (the whoosh index keeps the same rows in SQLite)."""

    surfaces: dict[str, set[str]] = field(default_factory=dict)
    roots: dict[str, set[str]] = field(default_factory=dict)

    def add_rows(self, rows: Iterable[tuple[str, str]]) -> None:
        for key, term in rows:
            if key[0] == SURFACE:
                self.surfaces.setdefault(key[1:], set()).add(term)
            else:
                self.roots.setdefault(key, set()).add(term)

    def get(self, surface: str) -> Collection[str] | None:
        return self.surfaces.get(surface)

    def root_lemmas(self, roots: Collection[str]) -> dict[str, set[str]]:
        return {r: self.roots[r] for r in roots if r in self.roots}


# --- queries ------------------------------------------------------------------------------------------

Alternatives = tuple[tuple[str, float], ...]  # (term, weight) pairs, sorted by term


def _sorted(weights: dict[str, float]) -> Alternatives:
    return tuple(sorted((term, round(weight, 3)) for term, weight in weights.items()))


def expand_word(word: str, lexicon: LexiconLike | None) -> Alternatives:
    """What a lower-case query word matches, with weights: its surface, its lemmas and related lemmas.

    A form seen in the corpus means what the lexicon says (so "uchwaly" means "uchwała"); another is
    lemmatized. Roots are resolved to the corpus lemmas that share them.
    """
    surface = fold(word)
    known = lexicon.get(surface) if lexicon is not None else None
    terms = known if known is not None else word_terms(word)[1:]
    weights: dict[str, float] = {SURFACE + surface: WEIGHTS["surface"]}
    roots = sorted(term for term in terms if term[0] == ROOT)
    for term in terms:
        if term[0] != ROOT:
            weights[term] = weights.get(term, 0.0) + WEIGHTS["lemma"]
    related = lexicon.root_lemmas(roots) if lexicon is not None else {r: {r[1:]} for r in roots}
    for lemma in sorted({lemma for r in roots for lemma in related.get(r, ())}):
        weights[lemma] = weights.get(lemma, 0.0) + WEIGHTS["root"]
    return _sorted(weights)


@dataclass(frozen=True)
class QueryGroup:
    """One query token: a document matches it through `whole`, through every one of `parts`, or through
    every part of one of `synonyms` (phrases the word stands for, see bip.search.synonyms).

    Each part is a set of weighted alternatives, any one of which satisfies it.
    """

    text: str  # the token as typed
    whole: Alternatives
    parts: tuple[Alternatives, ...]
    synonyms: tuple[tuple[Alternatives, ...], ...] = ()


def query_groups(query: str, lexicon: LexiconLike | None = None) -> list[QueryGroup]:
    """Analyze a query into groups, one per token, stop words left out, the way search.js does."""
    text = normalize(query)
    groups: list[QueryGroup] = []
    for whole, spans in iter_tokens(text):
        token = text[(whole or spans[0]).start : (whole or spans[-1]).end]
        parts = []
        for span in spans:
            if span.word:
                if span.terms:
                    parts.append(expand_word(span.word, lexicon))
            else:
                parts.append(((span.terms[0], WEIGHTS["literal"]),))
        whole_terms: Alternatives = ((whole.terms[0], WEIGHTS["whole"]),) if whole is not None else ()
        if parts or whole_terms:
            groups.append(QueryGroup(token, whole_terms, tuple(parts)))
    return groups


# --- whoosh -------------------------------------------------------------------------------------------


class PolishTokenizer(Tokenizer):
    """A whoosh tokenizer yielding the terms of analyze() (index_terms() without `roots`).

    A list of terms is passed through as it is.
    """

    def __init__(self, roots: bool = True) -> None:
        self.roots = roots

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PolishTokenizer) and other.roots == self.roots

    def __hash__(self) -> int:
        return hash((type(self), self.roots))

    def __call__(  # type: ignore[override]
        self,
        value: str | list[str],
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if isinstance(value, list):
            spans: Iterable[Span] = [Span(0, 0, (term,)) for term in value]
        else:
            spans = iter_spans(normalize(value))
        for pos, span in enumerate(spans):
            for term in span.terms:
                if not self.roots and term[0] == ROOT:
                    continue
                token.text = term
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = term
                if positions:
                    token.pos = start_pos + pos
                if chars:
                    token.startchar = start_char + span.start
                    token.endchar = start_char + span.end
                yield token


def polish_analyzer(roots: bool = True) -> PolishTokenizer:
    """The whoosh analyzer of bip: the terms of analyze(), or of index_terms() without `roots`."""
    return PolishTokenizer(roots)
