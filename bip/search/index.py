"""The whoosh search index of a unit or of the region: build, update in place by URL, query.

The index lives outside the published output (`.bip-cache/search/<unit_id>/`); the region's index is
all units' indexes read as one (`search()` with several folders).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import scoring
from whoosh.collectors import FilterCollector, TopCollector, UnlimitedCollector
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.matching import DisjunctionMaxMatcher
from whoosh.query import And, DisjunctionMax, Or, Query, Term
from whoosh.reading import MultiReader
from whoosh.searching import Searcher

from bip.search.analysis import (
    SURFACE,
    Alternatives,
    QueryGroup,
    index_terms,
    iter_spans,
    lexicon_rows,
    normalize,
    polish_analyzer,
    query_groups,
)
from bip.search.segment import CountedWriter, Storage
from bip.search.synonyms import with_synonyms

# Each field is scored by BM25 on its own and multiplied by its weight (as in Elasticsearch), so that a
# match in a descriptive BIP title is not saturated away by body text. A match in the document number
# beats everything; a query word naming the document type ("uchwały") says what the citizen looks for.
FIELD_WEIGHTS: dict[str, float] = {"number": 8.0, "title": 3.0, "kind": 2.0, "meta": 0.5, "text": 1.0}
LIMIT_MB = 512  # one writer, one big pool: fewer temporary runs to merge
LEXICON = "lexicon.sqlite"
STAMP = "stamp.txt"
SNIPPET_CHARS = 240
_SNIPPET_SCAN = 200_000  # characters of a body searched for highlights; enough for any real page
_YEAR_RE = re.compile(r"^\d{4}")


@dataclass(frozen=True)
class SearchDoc:
    unit_id: str
    unit_name: str
    url: str  # site-root-relative URL, e.g. "gmina-x/uchwaly/uchwala-1/"
    title: str
    type: str  # e.g. "uchwala"
    type_label: str  # e.g. "Uchwała"
    number: str  # document number/reference or ""
    date: str  # ISO date or ""
    text: str  # plain text of the rendered page body (of an attachment: its text, see bip.search.attached)
    attachment: str = ""  # an attachment's own title ("" for a page; `title` is then its whole label, see meta_text)
    page_title: str = ""  # the title of the page an attachment is attached to

    @property
    def unit_url(self) -> str:
        """The URL relative to the unit's own site root: what published search data holds, so that it works
        at the unit's own domain as well as under the regional portal."""
        return self.url.removeprefix(self.unit_id + "/")


@dataclass(frozen=True)
class SearchResult:
    title: str
    unit_id: str
    unit_name: str
    url: str
    type: str
    date: str
    score: float
    snippet_html: str  # HTML-escaped text with matched words in <mark>
    type_label: str = ""
    number: str = ""


def year_of(date: str) -> str:
    """"2024" of "2024-05-20"; "" when the date is empty or not ISO."""
    return date[:4] if _YEAR_RE.match(date) else ""


def meta_text(doc: SearchDoc) -> str:
    """Searchable metadata besides title, number and type: the body's name, the date (and of an attachment,
    its own title and its page's: they say what the file is about, but in the title field they would put the
    file before its page, whose title says the same)."""
    if doc.attachment:
        return f"{doc.unit_name} {doc.date} {doc.attachment} {doc.page_title}"
    return f"{doc.unit_name} {doc.date}"


def _schema() -> Schema:
    # No positions: there are no phrase queries, and positions double the postings.
    analyzer = polish_analyzer(roots=False)
    searchable = {name: TEXT(analyzer=analyzer, phrase=False) for name in FIELD_WEIGHTS}
    return Schema(
        url=ID(stored=True, unique=True),
        unit_id=ID(stored=True),
        unit_name=STORED(),
        type=ID(stored=True),
        type_label=STORED(),
        year=ID(),
        date=STORED(),
        stored_number=STORED(),
        stored_title=STORED(),
        body=STORED(),
        **searchable,
    )


def searchable_parts(doc: SearchDoc) -> dict[str, str]:
    """The text of each field of FIELD_WEIGHTS."""
    return {
        "number": doc.number,
        "title": "" if doc.attachment else doc.title,  # an attachment's: in "meta"
        "kind": doc.type_label,
        "meta": meta_text(doc),
        "text": doc.text,
    }


def _values(doc: SearchDoc) -> dict[str, Any]:
    """The stored and ID fields of a document."""
    return {
        "url": doc.url,
        "unit_id": doc.unit_id,
        "unit_name": doc.unit_name,
        "type": doc.type,
        "type_label": doc.type_label,
        "year": year_of(doc.date),
        "date": doc.date,
        "stored_number": doc.number,
        "stored_title": doc.title,
        "body": " ".join(normalize(doc.text).split()),
    }


def _document(doc: SearchDoc, seen: set[str]) -> dict[str, Any]:
    fields = _values(doc)
    for name, text in searchable_parts(doc).items():
        # Terms are computed here rather than by whoosh so that the tokens seen feed the lexicon in the
        # same pass.
        fields[name] = index_terms(text, seen)
    return fields


@dataclass
class Analyzed:
    """The index terms of each field of FIELD_WEIGHTS counted, by document url; the raw tokens seen.

    Each index of a site (whoosh's and the static one) is made from an analysis of its documents.
    """

    terms: dict[str, dict[str, Counter[str]]]
    seen: set[str]

    @cached_property
    def lexicon_rows(self) -> set[tuple[str, str]]:
        return lexicon_rows(self.seen)


def analyze_docs(docs: Iterable[SearchDoc], fields: Iterable[str] = FIELD_WEIGHTS) -> Analyzed:
    """The terms of `fields` (all of FIELD_WEIGHTS unless told) of each document."""
    seen: set[str] = set()
    names = list(fields)
    terms = {}
    for doc in docs:
        parts = searchable_parts(doc)
        terms[doc.url] = {name: Counter(index_terms(parts[name], seen)) for name in names}
    return Analyzed(terms, seen)


def _store_lexicon(index_dir: Path, rows: Iterable[tuple[str, str]], fresh: bool = False) -> None:
    """Add `rows` (analysis.lexicon_rows of the raw tokens seen) to the index's lexicon. `fresh`: the index
    is a new one in a temporary folder, swapped in only once complete: written without a rollback journal
    or a sync (a crash leaves a folder that is never used; a live lexicon keeps both)."""
    db = sqlite3.connect(index_dir / LEXICON)
    try:
        if fresh:
            db.execute("PRAGMA journal_mode=OFF")
            db.execute("PRAGMA synchronous=OFF")
        with db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS lexicon (key TEXT, term TEXT, PRIMARY KEY (key, term))"
                " WITHOUT ROWID"
            )
            # Rows of removed words stay: they only ever expand a query to terms that match nothing.
            db.executemany("INSERT OR IGNORE INTO lexicon VALUES (?, ?)", sorted(rows))
    finally:
        db.close()


def check_unique_urls(docs: Sequence[SearchDoc]) -> None:
    """ValueError naming a url that two of `docs` have (documents are known by their url)."""
    counts = Counter(doc.url for doc in docs)
    twice = sorted(url for url, count in counts.items() if count > 1)
    if twice:
        raise ValueError(f"two search documents have the same url: {twice[0]!r}")


def build_index(docs: Iterable[SearchDoc], index_dir: Path, stamp: str | None = None) -> None:
    """Build a fresh index in a temporary folder beside `index_dir`, then swap it in.

    Readers never see a half-built index. Two documents with the same `url` are an error. `stamp` (the
    fingerprint of what was indexed) is kept beside the index: `index_stamp()` reads it back.
    """
    docs = list(docs)
    check_unique_urls(docs)
    analyzed = analyze_docs(docs)
    index_dir = Path(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{index_dir.name}.new-", dir=index_dir.parent))
    try:
        ix = Storage(str(tmp)).create_index(_schema())
        writer = CountedWriter(ix)
        try:
            for doc in docs:
                writer.add_counted(_values(doc), analyzed.terms[doc.url])
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        ix.close()
        _store_lexicon(tmp, analyzed.lexicon_rows, fresh=True)
        if stamp is not None:
            (tmp / STAMP).write_text(stamp, encoding="utf-8")
        _swap(tmp, index_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def index_stamp(index_dir: Path) -> str | None:
    """The stamp `build_index` kept with the index in `index_dir`, None without one."""
    try:
        return (Path(index_dir) / STAMP).read_text(encoding="utf-8")
    except OSError:
        return None


def _swap(new: Path, target: Path) -> None:
    if not target.exists():
        os.rename(new, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    os.rmdir(old)
    # Two renames: a reader between them finds no index (and says so), never a mixed one.
    os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)


def update_index(
    index_dir: Path, added_or_changed: Iterable[SearchDoc], removed_urls: Iterable[str]
) -> None:
    """Add or replace documents (by `url`) and delete the removed ones, in place.

    Without an index yet, this builds one from `added_or_changed`.
    """
    index_dir = Path(index_dir)
    if not whoosh_index.exists_in(str(index_dir)):
        build_index(added_or_changed, index_dir)
        return
    ix = Storage(str(index_dir)).open_index()
    # A concurrent writer (another build) holds the lock: wait for it rather than fail.
    writer = ix.writer(limitmb=LIMIT_MB, procs=1, timeout=60.0, delay=0.25)
    seen: set[str] = set()
    try:
        for url in removed_urls:
            writer.delete_by_term("url", url)
        for doc in added_or_changed:
            writer.update_document(**_document(doc, seen))
        # The lexicon first: a query between the two commits may expand to forms not indexed yet,
        # which is harmless, rather than miss forms that are.
        _store_lexicon(index_dir, lexicon_rows(seen))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    ix.close()


# --- searching ----------------------------------------------------------------------------------------


class _WeightedBM25FScorer(scoring.BM25FScorer):
    def __init__(self, searcher: Any, fieldname: str, text: bytes, B: float, K1: float, qf: int = 1) -> None:
        self.field_weight = FIELD_WEIGHTS.get(fieldname, 1.0)
        super().__init__(searcher, fieldname, text, B, K1, qf=qf)

    def _score(self, weight: float, length: float) -> float:
        return self.field_weight * float(super()._score(weight, length))


class _WeightedBM25F(scoring.BM25F):
    """whoosh's BM25F (a BM25 score per field, summed) with each field's score times FIELD_WEIGHTS."""

    def scorer(self, searcher: Any, fieldname: str, text: bytes, qf: int = 1) -> Any:
        if not searcher.schema[fieldname].scorable:
            return super().scorer(searcher, fieldname, text, qf=qf)
        return _WeightedBM25FScorer(searcher, fieldname, text, self.B, self.K1, qf=qf)


class _Lexicon:
    """The lexicons of one or more indexes in SQLite, read as one (see analysis.LexiconLike)."""

    def __init__(self, index_dirs: Iterable[Path]) -> None:
        self.dbs = [sqlite3.connect(f"file:{path}?mode=ro", uri=True)
                    for path in (Path(d) / LEXICON for d in index_dirs) if path.exists()]

    def close(self) -> None:
        for db in self.dbs:
            db.close()

    def get(self, surface: str) -> list[str] | None:
        terms: set[str] = set()
        for db in self.dbs:
            terms.update(term for (term,) in db.execute("SELECT term FROM lexicon WHERE key = ?", (SURFACE + surface,)))
        return sorted(terms) or None

    def root_lemmas(self, roots: Collection[str]) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        if not roots:
            return found
        marks = ",".join("?" * len(roots))
        for db in self.dbs:
            for key, term in db.execute(f"SELECT key, term FROM lexicon WHERE key IN ({marks})", list(roots)):
                found.setdefault(key, set()).add(term)
        return found


class _BestOfMatcher(DisjunctionMaxMatcher):
    """whoosh's DisjunctionMaxMatcher scoring only the sub-matchers on the current document (whoosh's own
    takes the max of both wherever they stand, so a document got the score of another)."""

    def score(self) -> float:
        a, b = self.a, self.b
        if not a.is_active() or (b.is_active() and b.id() < a.id()):
            return float(b.score())
        if not b.is_active() or a.id() < b.id():
            return float(a.score())
        return float(max(a.score(), b.score()))


class _BestOf(DisjunctionMax):
    """Documents matching any subquery, scored by the best of those they match."""

    def _matcher(self, subs: Any, searcher: Any, context: Any) -> Any:
        reader = searcher.reader()
        return self._tree_matcher(subs, _BestOfMatcher, searcher, context, lambda q: q.estimate_size(reader),
                                  tiebreak=self.tiebreak)


def _any(alternatives: Alternatives) -> Query:
    return Or([Term(name, term, boost=weight) for term, weight in alternatives for name in FIELD_WEIGHTS])


def _group_query(group: QueryGroup) -> Query:
    parts = [_any(part) for part in group.parts]
    query: Query | None = None
    if parts:
        query = parts[0] if len(parts) == 1 else And(parts)
    if group.whole:
        query = _any(group.whole) if query is None else Or([_any(group.whole), query])
    if group.synonyms:
        phrases = [_any(parts[0]) if len(parts) == 1 else And([_any(part) for part in parts])
                   for parts in group.synonyms]
        # The best of the ways a document matches: a synonym finds more, never lifts what the word found.
        query = _BestOf(phrases if query is None else [query, *phrases])
    assert query is not None
    return query


def _terms(groups: list[QueryGroup]) -> set[str]:
    """Every term a query can match, for highlighting."""
    out = {term for group in groups for term, _ in group.whole}
    out.update(term for group in groups for part in group.parts for term, _ in part)
    out.update(term for group in groups for phrase in group.synonyms for part in phrase for term, _ in part)
    return out


def search(
    index_dirs: Path | Sequence[Path], query: str, *, type: str | None = None, year: int | None = None,
    limit: int = 20,
) -> list[SearchResult]:
    """Documents matching every query word (in any form); if none does, those matching most words.

    Several indexes (the units of the region) are searched as one: their segments are read together, so
    term statistics and scores are those of one index holding all their documents.
    Raises FileNotFoundError when one of `index_dirs` holds no index.
    """
    dirs = [Path(index_dirs)] if isinstance(index_dirs, str | os.PathLike) else [Path(d) for d in index_dirs]
    for index_dir in dirs:
        if not whoosh_index.exists_in(str(index_dir)):
            raise FileNotFoundError(2, "no search index", str(index_dir))
    if limit <= 0 or not dirs:
        return []
    indexes = [whoosh_index.open_dir(str(d)) for d in dirs]
    readers = [ix.reader() for ix in indexes]
    reader = readers[0] if len(readers) == 1 else MultiReader(readers)
    lexicon = _Lexicon(dirs)
    try:
        with Searcher(reader, weighting=_WeightedBM25F()) as searcher:
            groups = with_synonyms(query_groups(query, lexicon))
            filters: list[Query] = []
            if type:
                filters.append(Term("type", type))
            if year is not None:
                filters.append(Term("year", str(year)))
            allowed = None
            if filters:
                allowed = set(searcher.docs_for_query(filters[0] if len(filters) == 1 else And(filters)))
                if not allowed:
                    return []  # (whoosh takes an empty filter for no filter at all)
            if not groups:
                if allowed is None:
                    return []
                # Filters alone list their documents, newest first, as search.js does.
                listed = sorted(allowed, key=lambda n: _newest_first(searcher.stored_fields(n)))[:limit]
                return [_result(searcher.stored_fields(docnum), 0.0, set()) for docnum in listed]
            group_queries = [_group_query(group) for group in groups]
            everything = group_queries[0] if len(group_queries) == 1 else And(group_queries)
            hits = _top(searcher, everything, allowed, limit)
            if not hits and len(group_queries) > 1:
                hits = _partial_hits(searcher, group_queries, allowed, limit)
            terms = _terms(groups)
            return [_result(searcher.stored_fields(docnum), score, terms) for docnum, score in hits]
    finally:
        lexicon.close()
        for ix in indexes:
            ix.close()


def _newest_first(fields: dict[str, Any]) -> tuple[str, str]:
    date = fields.get("date", "")
    return ("".join(chr(0x10FFFF - ord(c)) for c in date), fields.get("url", ""))


def _top(searcher: Any, query: Query, allowed: set[int] | None, limit: int | None) -> list[tuple[int, float]]:
    """The best `limit` matches (all with None), best first, ties by document number."""
    # replace=0: whoosh's matcher.replace(), which its collectors call to drop sub-queries that cannot
    # reach the top N any more, drops ones that can (whoosh-reloaded 2.7.5): better documents were lost.
    # usequality=False: score every match rather than trust block-quality skipping, to the same end.
    collector: Any = TopCollector(limit=limit, usequality=False) if limit else UnlimitedCollector()
    collector.replace = 0
    if allowed is not None:
        collector = FilterCollector(collector, allow=allowed)
    searcher.search_with_collector(query, collector)
    return [(docnum, score) for score, docnum in collector.results().top_n]


def _partial_hits(
    searcher: Any, group_queries: list[Query], allowed: set[int] | None, limit: int
) -> list[tuple[int, float]]:
    """Documents matching some of the query words, those matching more of them first."""
    coverage: dict[int, int] = {}
    for query in group_queries:
        for docnum in searcher.docs_for_query(query):
            coverage[docnum] = coverage.get(docnum, 0) + 1
    hits = _top(searcher, Or(group_queries), allowed, None)
    return sorted(hits, key=lambda hit: -coverage.get(hit[0], 0))[:limit]  # stable: score order kept


def _result(fields: dict[str, Any], score: float, terms: set[str]) -> SearchResult:
    return SearchResult(
        title=fields.get("stored_title", ""),
        unit_id=fields.get("unit_id", ""),
        unit_name=fields.get("unit_name", ""),
        url=fields.get("url", ""),
        type=fields.get("type", ""),
        date=fields.get("date", ""),
        score=round(float(score), 6),
        snippet_html=snippet_html(fields.get("body", ""), terms),
        type_label=fields.get("type_label", ""),
        number=fields.get("stored_number", ""),
    )


def snippet_html(body: str, terms: set[str], size: int = SNIPPET_CHARS) -> str:
    """The passage of `body` with the most matched words, HTML-escaped, matches in <mark>."""
    marks: list[tuple[int, int]] = []
    for span in iter_spans(body[:_SNIPPET_SCAN]):
        if terms.intersection(span.terms):
            if marks and span.start < marks[-1][1]:
                # A part inside a matched whole ("2024" in "XII/123/2024"): one mark covers both.
                marks[-1] = (marks[-1][0], max(marks[-1][1], span.end))
            else:
                marks.append((span.start, span.end))
    start = 0
    if marks:
        best, best_count, right = 0, 0, 0
        for left in range(len(marks)):
            while right < len(marks) and marks[right][1] <= marks[left][0] + size:
                right += 1
            if right - left > best_count:
                best, best_count = left, right - left
        # Some context before the first match, cut at a word boundary.
        start = max(0, marks[best][0] - size // 5)
        if start > 0:
            space = body.find(" ", start)
            start = space + 1 if 0 <= space < marks[best][0] else marks[best][0]
    end = min(len(body), start + size)
    if end < len(body):
        space = body.rfind(" ", start, end)
        if space > start:
            end = space
        for mark_start, mark_end in marks:
            if mark_start < end < mark_end:
                end = mark_end  # never cut a highlighted word in half
    out: list[str] = ["…"] if start > 0 else []
    position = start
    for mark_start, mark_end in marks:
        if mark_start < position or mark_start >= end:
            continue
        out.append(html.escape(body[position:mark_start]))
        out.append(f"<mark>{html.escape(body[mark_start:mark_end])}</mark>")
        position = mark_end
    out.append(html.escape(body[position:end]))
    if end < len(body):
        out.append("…")
    return "".join(out)
