"""Search: Polish analysis, the whoosh index, the static export read by the real search.js, `bip search`."""

from __future__ import annotations

import gc
import io
import json
import os
import random
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import NOW, basic_files, commit_files, git, page, run_bip, tree_hash
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh.filedb.filetables import OrderedHashReader

from bip.demo.files import pdf
from bip.search import synonyms
from bip.search.analysis import (
    ROOT,
    SURFACE,
    analyze,
    fold,
    iter_tokens,
    normalize,
    polish_analyzer,
    query_groups,
    root,
)
from bip.search.attached import ATTACHMENT_CHARS, attachment_label, with_attachments
from bip.search.command import run, spoken_date
from bip.search.index import SearchDoc, build_index, search, update_index
from bip.search.index import _document as index_document
from bip.search.index import _schema as index_schema
from bip.search.portal import RANGES, cut, join
from bip.search.site import documents_json
from bip.search.static import (
    compact_json,
    decode_numbers,
    encode_numbers,
    export_static,
    fnv1a,
    shard_of,
    term_members,
    unit_index,
)
from bip.search.synonyms import with_synonyms

SEARCH_JS = Path(__file__).resolve().parents[1] / "themes" / "default" / "static" / "search.js"
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")

UNIT = ("gmina-dabrowa", "Gmina Dąbrowa")


def doc(slug: str, title: str, type: str, label: str, number: str, date: str, text: str) -> SearchDoc:
    return SearchDoc(UNIT[0], UNIT[1], f"{UNIT[0]}/{slug}/", title, type, label, number, date, text)


BUDGET = doc(
    "uchwaly/xii-123-2024",
    "Uchwała Nr XII/123/2024 Rady Gminy Dąbrowa w sprawie budżetu gminy na 2024 rok",
    "uchwala", "Uchwała", "XII/123/2024", "2024-01-15",
    "Na podstawie art. 18 ust. 2 pkt 4 ustawy o samorządzie gminnym Rada Gminy uchwala budżet gminy na "
    "rok 2024. Dochody budżetu w wysokości 25 000 000 zł. Wykonanie powierza się Wójtowi Gminy.",
)
TAX = doc(
    "uchwaly/xii-124-2024",
    "Uchwała Nr XII/124/2024 Rady Gminy Dąbrowa w sprawie stawek podatku od nieruchomości",
    "uchwala", "Uchwała", "XII/124/2024", "2024-01-15",
    "Określa się stawki podatku od nieruchomości obowiązujące w 2024 roku. Wpływy z podatku stanowią "
    "dochód budżetowy gminy.",
)
STREET = doc(
    "uchwaly/xi-100-2023",
    "Uchwała w sprawie nadania nazwy ulicy Lipowej",
    "uchwala", "Uchwała", "XI/100/2023", "2023-11-20",
    "Nadaje się nazwę ulicy Lipowej w Dąbrowie. Uchwała wchodzi w życie po upływie 14 dni.",
)
RULES = doc(
    "zarzadzenia/5-2024",
    "Zarządzenie Nr 5/2024 Wójta Gminy Dąbrowa w sprawie regulaminu organizacyjnego",
    "zarzadzenie", "Zarządzenie", "5/2024", "2024-03-01",
    "Wprowadza się regulamin organizacyjny Urzędu Gminy Dąbrowa.",
)
PLAN = doc(
    "zarzadzenia/1-2026",
    "Zarządzenie Nr 1/2026 Wójta Gminy Dąbrowa w sprawie planu finansowego",
    "zarzadzenie", "Zarządzenie", "1/2026", "2026-01-05",
    "Ustala się plan finansowy jednostek organizacyjnych gminy.",
)
ROAD = doc(
    "zamowienia/zp-271-3-2024",
    "Przebudowa drogi gminnej w Zalesiu",
    "zamowienie", "Zamówienie publiczne", "ZP.271.3.2024", "2024-05-20",
    "Zamawiający ogłasza przetarg nieograniczony. Termin składania ofert: 2024-05-20 godz. 10:00. "
    "Znak sprawy: ZP.271.3.2024.",
)
PAGE = doc(
    "informacje/zazolc",
    "Zażółć gęślą jaźń — strona testowa",
    "strona", "Strona", "", "",
    "Pchnąć w tę łódź jeża lub ośm skrzyń fig. <script>alert('x')</script> & więcej.",
)
SESSION = doc(
    "ogloszenia/sesja",
    "Ogłoszenie o sesji Rady Gminy Dąbrowa",
    "ogloszenie", "Ogłoszenie", "", "2024-02-01",
    "Porządek obrad: zmiana uchwały Nr XII/123/2024 w sprawie budżetu gminy na 2024 rok.",
)
DOCS = [BUDGET, TAX, STREET, RULES, PLAN, ROAD, PAGE, SESSION]

# query, type, year → the URL expected first (None: expected to find nothing)
RANKED = [
    ("uchwały budżetowe 2024", None, None, BUDGET.url),
    ("XII/123/2024", None, None, BUDGET.url),
    ("ZP.271.3.2024", None, None, ROAD.url),
    ("1/2026", None, None, PLAN.url),
    ("2024-05-20", None, None, ROAD.url),
    ("zazolc gesla jazn", None, None, PAGE.url),
    ("regulamin zarzadzenie", None, None, RULES.url),
    ("nazwa ulicy", None, None, STREET.url),
    ("uchwała", "uchwala", 2023, STREET.url),
    ("przetargi drogowe", None, None, ROAD.url),
    ("kwiatki bratki", None, None, None),
]


def urls(results: list) -> list[str]:
    return [r.url for r in results]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("search") / "gmina-dabrowa"
    build_index(DOCS, folder)
    return folder


def write_index(folder: Path, files: dict[str, bytes]) -> Path:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return folder


@pytest.fixture(scope="module")
def static_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_index(tmp_path_factory.mktemp("static"), export_static(DOCS))


# Two units (as the portal joins them): the first half of DOCS in Gmina Dąbrowa, the rest in Gmina Lipowo.
OTHER = ("gmina-lipowo", "Gmina Lipowo")
SPLIT = (DOCS[:4], [replace(d, unit_id=OTHER[0], unit_name=OTHER[1], url=d.url.replace(UNIT[0], OTHER[0]))
                    for d in DOCS[4:]])


def join_units(root: Path, cache: Path | None = None) -> dict[str, bytes]:
    units = [(unit, name, root / unit, f"../{unit}/", f"klucz-{unit}") for unit, name in (UNIT, OTHER)]
    return join(units, cache)


@pytest.fixture(scope="module")
def merged_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The portal's index of the two units (in portal/, beside the units' own indexes)."""
    root = tmp_path_factory.mktemp("merged")
    for (unit, _), docs in zip((UNIT, OTHER), SPLIT, strict=True):
        write_index(root / unit, export_static(docs))
    return write_index(root / "portal", join_units(root))


# --- analysis -------------------------------------------------------------------------------------------


def test_fold_strips_polish_diacritics() -> None:
    assert fold("Zażółć GĘŚLĄ jaźń") == "zazolc gesla jazn"
    assert fold("Łódź") == "lodz"


def test_document_numbers_and_dates_stay_whole_tokens() -> None:
    terms = analyze("Uchwała Nr XII/123/2024, znak ZP.271.3.2024, zarządzenie 1/2026 z 2024-05-20.")
    for whole in ("xii/123/2024", "zp.271.3.2024", "1/2026", "2024-05-20"):
        assert whole in terms
    for part in ("xii", "123", "2024", "zp", "271", "05", "20"):
        assert part in terms


def test_inflected_forms_share_a_lemma() -> None:
    def lemmas(word: str) -> set[str]:
        return {t for t in analyze(word) if t[0] not in "=~"}

    assert lemmas("uchwały") & lemmas("uchwała") == {"uchwala"}
    assert lemmas("zarządzeń") & lemmas("Zarządzenie")
    assert lemmas("ogłoszenia") & lemmas("ogłoszenie")
    assert lemmas("podatku") & lemmas("podatek")


def test_exact_form_and_derived_root_are_indexed() -> None:
    terms = analyze("budżetowe")
    assert "=budzetowe" in terms  # the form as written
    assert "budzetowy" in terms  # its lemma
    assert "~budzet" in terms  # its root, shared with "budżet"
    assert "~" + root("budzet") in analyze("budżetu")


def test_stop_words_are_left_out() -> None:
    assert analyze("w sprawie i z") == analyze("sprawie")
    assert query_groups("w i z") == []


def test_whoosh_analyzer_is_the_same_analysis() -> None:
    text = "Uchwała Nr XII/123/2024 w sprawie budżetu gminy Kędzierzyn-Koźle"
    assert [t.text for t in polish_analyzer()(text)] == analyze(text)
    tokens = list(polish_analyzer()(text, chars=True))
    assert all(text[t.startchar : t.endchar] for t in tokens)


# --- whoosh index ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "type", "year", "first"), RANKED)
def test_ranking(index_dir: Path, query: str, type: str | None, year: int | None, first: str | None) -> None:
    results = search(index_dir, query, type=type, year=year)
    assert (results[0].url if results else None) == first


def test_inflected_query_finds_the_base_form(index_dir: Path) -> None:
    assert STREET.url in urls(search(index_dir, "uchwały"))  # its text has "uchwała" only


def test_query_without_diacritics_finds_them(index_dir: Path) -> None:
    found = search(index_dir, "zarzadzenie")
    assert {r.url for r in found} == {RULES.url, PLAN.url}
    assert found[0].type == "zarzadzenie"


def test_derived_word_finds_its_base(index_dir: Path) -> None:
    assert BUDGET.url in urls(search(index_dir, "budżetowe"))


def test_exact_form_ranks_first(index_dir: Path) -> None:
    # Both have the lemma "budżetowy"/"budżet"; only TAX has the exact form "budżetowy".
    assert urls(search(index_dir, "budżetowy"))[0] == TAX.url


def test_filters(index_dir: Path) -> None:
    assert set(urls(search(index_dir, "gminy", type="zarzadzenie"))) == {RULES.url, PLAN.url}
    assert urls(search(index_dir, "gminy", year=2026)) == [PLAN.url]
    assert search(index_dir, "gminy", type="petycja") == []
    assert search(index_dir, "budżet", year=1999) == []
    # Filters alone list their documents, newest first.
    assert urls(search(index_dir, "", type="uchwala")) == [BUDGET.url, TAX.url, STREET.url]


def test_partial_match_when_no_document_has_every_word(index_dir: Path) -> None:
    found = search(index_dir, "regulamin kwiatki")
    assert urls(found) == [RULES.url]


def test_result_fields_and_snippet(index_dir: Path) -> None:
    result = search(index_dir, "XII/123/2024")[0]
    assert (result.title, result.unit_id, result.unit_name, result.type, result.date) == (
        BUDGET.title, UNIT[0], UNIT[1], "uchwala", "2024-01-15"
    )
    assert (result.type_label, result.number) == ("Uchwała", "XII/123/2024")
    assert result.score > 0
    snippet = search(index_dir, "budżet 2024")[0].snippet_html
    assert "<mark>budżet</mark>" in snippet and "<mark>budżetu</mark>" in snippet


def test_snippet_escapes_html(index_dir: Path) -> None:
    snippet = search(index_dir, "jeża")[0].snippet_html
    assert "<mark>jeża</mark>" in snippet
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; więcej" in snippet
    assert "<script>" not in snippet


def generated(count: int, seed: int = 7) -> list[SearchDoc]:
    """Many similar documents sharing boilerplate: what makes whoosh's shortcuts matter."""
    rng = random.Random(seed)
    subjects = ["budżetu gminy", "podatku od nieruchomości", "nadania nazwy ulicy", "regulaminu", "dotacji"]
    sentences = ["Wydatki budżetowe gminy.", "Podatek od nieruchomości.", "Rada Gminy uchwala.",
                 "Uchwała wchodzi w życie.", "Ogłoszenie o naborze.", "Termin 2024-05-20."]
    out = []
    for i in range(count):
        year = rng.choice([2023, 2024, 2025])
        type, label = rng.choice([("uchwala", "Uchwała"), ("zarzadzenie", "Zarządzenie")])
        text = " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 8)))
        out.append(doc(f"d/{i}", f"{label} Nr {i}/{year} w sprawie {rng.choice(subjects)}", type, label,
                       f"{i}/{year}", f"{year}-01-01", text))
    return out


def test_top_results_are_the_best_of_all(tmp_path: Path) -> None:
    # whoosh's collectors drop sub-queries that could still reach the top N (matcher.replace): a
    # limited search returned worse documents than the head of the full ranking.
    build_index(generated(150), tmp_path / "ix")
    for query in ["uchwały budżetowe 2024", "podatek 2025", "zarządzenie budżet", "regulamin uchwała"]:
        everything = search(tmp_path / "ix", query, limit=1000)
        assert len(everything) > 5
        assert search(tmp_path / "ix", query, limit=5) == everything[:5]


def test_update_index_adds_changes_and_removes(tmp_path: Path) -> None:
    folder = tmp_path / "ix"
    build_index(DOCS, folder)
    renamed = replace(RULES, title="Zarządzenie Nr 5/2024 w sprawie kontroli zarządczej", text="Kontrola.")
    added = doc("ogloszenia/nabor", "Nabór na stanowisko inspektora", "nabor", "Nabór", "", "2024-06-01",
                "Wójt ogłasza nabór na wolne stanowisko urzędnicze.")
    update_index(folder, [renamed, added], [STREET.url])
    assert search(folder, "nazwy ulicy") == []
    assert urls(search(folder, "kontrola zarządcza")) == [RULES.url]
    assert search(folder, "regulaminu") == []
    assert urls(search(folder, "naborze urzędniczym")) == [added.url]
    assert len(search(folder, "gmina", limit=100)) == len(DOCS)  # 8 - 1 removed + 1 added


def _whoosh_contents(folder: Path) -> dict[str, object]:
    """Everything a whoosh index holds: stored fields, field lengths, and every term's statistics and postings."""
    ix = whoosh_index.open_dir(str(folder))
    with ix.reader() as reader:
        postings = {}
        for fieldname, term in reader.all_terms():
            info = reader.term_info(fieldname, term)
            matcher = reader.postings(fieldname, term)
            listed = []
            while matcher.is_active():
                # no value: None read from a postings block, "" from postings kept in the term table
                listed.append((matcher.id(), matcher.weight(), matcher.value() or None, matcher.block_min_length(),
                               matcher.block_max_length(), matcher.block_max_weight()))
                matcher.next()
            postings[fieldname, term] = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
                                         info.max_weight(), listed)
        scorable = list(reader.schema.scorable_names())
        contents = {
            "count": reader.doc_count_all(),
            "stored": [reader.stored_fields(n) for n in range(reader.doc_count_all())],
            # (whoosh's reader fails on the shortest and longest length of a field no document has)
            "lengths": {name: ([reader.doc_field_length(n, name) for n in range(reader.doc_count_all())],
                               reader.field_length(name),
                               *((reader.min_field_length(name), reader.max_field_length(name))
                                 if reader.field_length(name) else ()))
                        for name in scorable},
            "postings": postings,
        }
    segment = ix._segments()[0]
    files = segment.open_compound_file(ix.storage)
    terms = next(name for name in files.list() if name.endswith(".trm"))
    size = len(files.open_file(terms).read())
    contents["fieldmap"] = OrderedHashReader(files.open_file(terms), size).extras["fieldmap"]  # field → id
    ix.close()
    return contents


def test_fresh_index_holds_what_whoosh_own_writer_writes(tmp_path: Path) -> None:
    # build_index writes the terms it has counted straight into a segment; whoosh's add_document analyses
    # and pools them itself: the two indexes must hold the same
    words = ["budżet", "gminy", "uchwała", "podatek", "drogi", "Dąbrowa", "XII/123/2024", "ZP.271.3.2024", "2024",
             "Kędzierzyn-Koźle", "oświata", "i", "w", "nieruchomości", "ośrodek"]
    rng = random.Random(7)
    many = [doc(f"strony/s-{n}", " ".join(rng.choices(words, k=rng.randint(0, 12))), rng.choice(["uchwala", "strona"]),
                rng.choice(["Uchwała", "Strona"]), rng.choice(["", f"{n}/2024"]), rng.choice(["", "2024-05-01", "2023-01-02"]),
                " ".join(rng.choices(words, k=rng.randint(0, 900))))
            for n in range(300)]  # 300 documents: terms of more than one 128-posting block, lengths past 255
    docs = DOCS + many + [doc("puste", "", "strona", "Strona", "", "", "")]
    # and a unit whose documents have no number at all: a field without terms gets no id in the term table
    for name, indexed in [("all", docs), ("no-numbers", [replace(d, number="") for d in docs])]:
        counted, reference = tmp_path / name / "counted", tmp_path / name / "reference"
        build_index(indexed, counted)
        reference.mkdir()
        ix = whoosh_index.create_in(str(reference), index_schema())
        writer = ix.writer()
        for d in indexed:
            writer.add_document(**index_document(d, set()))
        writer.commit()
        ix.close()
        shutil.copy(counted / "lexicon.sqlite", reference)  # the words' meanings, stored beside either index alike
        assert _whoosh_contents(counted) == _whoosh_contents(reference)
        for query in ["budżet gminy", "XII/123/2024", "kędzierzyn", "nieruchomość"]:
            assert search(counted, query, limit=50) == search(reference, query, limit=50)


def test_update_without_index_builds_one(tmp_path: Path) -> None:
    update_index(tmp_path / "new", [BUDGET], [])
    assert urls(search(tmp_path / "new", "budżet")) == [BUDGET.url]


def test_rebuild_swaps_and_leaves_nothing_behind(tmp_path: Path) -> None:
    folder = tmp_path / "ix"
    build_index(DOCS, folder)
    build_index([PLAN], folder)
    assert urls(search(folder, "gminy")) == [PLAN.url]
    assert [p.name for p in tmp_path.iterdir()] == ["ix"]


def test_failed_build_keeps_the_old_index(tmp_path: Path) -> None:
    folder = tmp_path / "ix"
    build_index([PLAN], folder)
    with pytest.raises(ValueError, match="same url"):
        build_index([BUDGET, BUDGET], folder)
    assert urls(search(folder, "plan")) == [PLAN.url]
    assert [p.name for p in tmp_path.iterdir()] == ["ix"]


def test_missing_index(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        search(tmp_path / "none", "budżet")


# --- static export -----------------------------------------------------------------------------------


def test_document_list_is_json_one_key_per_line() -> None:
    # the published document list: what json.dumps(indent=0) writes, made faster; quotes, backslashes,
    # newlines, control and non-ASCII characters in any field
    tricky = replace(BUDGET, title='Uchwała "budżetowa"\n{2024}', number="XII\\123", text="a,\tb: \u2028 [c]\x00")
    attached = replace(BUDGET, url=BUDGET.url + "plan.pdf", attachment="Plan", page_title=BUDGET.title)
    for docs in ([], [PAGE], [tricky, attached, *DOCS]):
        # unit-relative urls; an attachment's own keys only in its row: a page's row is as it always was
        rows = [{**{k: v for k, v in d.__dict__.items() if v or k not in ("attachment", "page_title")},
                 "url": d.unit_url} for d in sorted(docs, key=lambda d: d.url)]
        assert documents_json(docs) == (json.dumps(rows, ensure_ascii=False, indent=0, sort_keys=True) + "\n").encode()
        assert json.loads(documents_json(docs)) == rows
    assert "attachment" not in json.loads(documents_json([PAGE]))[0]


def test_static_export_is_deterministic() -> None:
    first = export_static(DOCS)
    assert export_static(list(reversed(DOCS))) == first
    meta = json.loads(first["meta.json"])
    assert meta["docs"] == len(DOCS)
    assert sum(1 for name in first if name.startswith("t/")) == meta["shards"]
    assert sum(1 for name in first if name.startswith("d/")) == -(-len(DOCS) // meta["block"])
    assert all(b"\n" not in content for content in first.values())


def test_static_export_without_bodies_indexes_titles_only() -> None:
    full, titles = export_static(DOCS), export_static(DOCS, full_text=False)
    assert sum(map(len, titles.values())) < sum(map(len, full.values()))

    def postings(files: dict[str, bytes]) -> set[str]:
        return {term for name, data in files.items() if name.startswith("t/") for term in json.loads(data)["p"]}

    assert "jez" in postings(full) and "jez" not in postings(titles)  # "jeża": in a body only
    assert {"uchwala", "xii/123/2024", "dabrowa"} <= postings(titles)


def portal_postings(folder: Path) -> dict[str, dict[int, int]]:
    """term → {portal id: weight}, read from the portal's shards as search.js joins them."""
    meta = json.loads((folder / "meta.json").read_text())
    found: dict[str, dict[int, int]] = {}
    for shard in range(meta["shards"]):
        for unit, part in json.loads((folder / f"t/{shard:x}.json").read_text()):
            site = [u for u, _ in meta["units"]].index(unit)
            for term, values in part.get("p", {}).items():
                numbers = decode_numbers(values)
                doc_id = meta["sites"][site][0]
                for i in range(0, len(numbers), 2):
                    doc_id += numbers[i]
                    found.setdefault(term, {})[doc_id] = numbers[i + 1]
    return found


def test_portal_index_keeps_every_units_postings_behind_its_documents(merged_dir: Path) -> None:
    units = [merged_dir.parent / unit for unit, _ in (UNIT, OTHER)]
    metas = [json.loads((u / "meta.json").read_text()) for u in units]
    meta = json.loads((merged_dir / "meta.json").read_text())
    assert meta["docs"] == len(DOCS) and meta["units"] == [list(UNIT), list(OTHER)]
    assert [site[:4] for site in meta["sites"]] == [[0, 4, metas[0]["block"], f"../{UNIT[0]}/"],
                                                   [4, 4, metas[1]["block"], f"../{OTHER[0]}/"]]
    terms = portal_postings(merged_dir)
    for offset, unit in zip((0, 4), units, strict=True):
        for term, postings in portal_postings_of_unit(unit).items():
            assert {i + offset: w for i, w in postings.items()}.items() <= terms[term].items(), term
    assert sum(map(len, terms.values())) == sum(len(v) for u in units for v in portal_postings_of_unit(u).values())
    # no rows are copied: the portal reads them from the units' own blocks
    assert not (merged_dir / "d").exists()
    # an entry holds only the kinds it has (it is repeated for every unit in every shard)
    entries = [entry for shard in (merged_dir / "t").iterdir() for entry in json.loads(shard.read_text())]
    assert entries and all(part and all(part.values()) for _, part in entries)
    ranges = json.loads((merged_dir / RANGES).read_text())
    assert meta["ranges"] == RANGES and {r[2] for r in ranges} >= {0, 4}
    on_disk = {p.relative_to(merged_dir).as_posix(): p.read_bytes() for p in merged_dir.rglob("*") if p.is_file()}
    assert join_units(merged_dir.parent) == on_disk  # deterministic


def portal_postings_of_unit(folder: Path) -> dict[str, dict[int, int]]:
    meta = json.loads((folder / "meta.json").read_text())
    found: dict[str, dict[int, int]] = {}
    for shard in range(meta["shards"]):
        for term, values in json.loads((folder / f"t/{shard:x}.json").read_text())["p"].items():
            numbers = decode_numbers(values)
            doc_id = 0
            for i in range(0, len(numbers), 2):
                doc_id += numbers[i]
                found.setdefault(term, {})[doc_id] = numbers[i + 1]
    return found


def test_portal_index_cache_is_used_and_a_damaged_one_is_made_anew(merged_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "kopia"
    for unit, _ in (UNIT, OTHER):
        shutil.copytree(merged_dir.parent / unit, root / unit)
    cache = tmp_path / "cache"
    expected = join_units(root)
    assert join_units(root, cache) == expected
    assert sorted(p.name for p in cache.iterdir()) == [f"{UNIT[0]}.bin", f"{OTHER[0]}.bin", "joined.json"]
    # used: with the cache, the units' term shards are not read again
    shutil.rmtree(root / UNIT[0] / "t")
    assert join_units(root, cache) == expected
    shutil.copytree(merged_dir.parent / UNIT[0] / "t", root / UNIT[0] / "t")
    stamp = (cache / f"{UNIT[0]}.bin").read_bytes()
    (cache / f"{UNIT[0]}.bin").write_bytes(stamp[: len(stamp) // 2])  # cut short
    (cache / f"{OTHER[0]}.bin").write_bytes(b"garbage")
    assert join_units(root, cache) == expected
    assert (cache / f"{UNIT[0]}.bin").read_bytes() == stamp
    # a cache file of another fingerprint is not taken for this one
    units = [(unit, name, root / unit, f"../{unit}/", "inny-klucz") for unit, name in (UNIT, OTHER)]
    shutil.rmtree(root / UNIT[0] / "t")
    assert join(units, cache) != expected  # the unit's entries are gone now, and the cache was not trusted


def many_docs(unit: tuple[str, str], count: int, seed: int) -> list[SearchDoc]:
    """Documents of made-up words: enough entries for an index of many term shards."""
    rng = random.Random(seed)
    words = ["".join(rng.choice("abcdefghijklmnoprstuwyząęółśżź") for _ in range(rng.randint(4, 9)))
             for _ in range(3000)]
    return [SearchDoc(unit[0], unit[1], f"{unit[0]}/strony/s-{n}/", f"Strona {n} {rng.choice(words)}", "strona",
                      "Strona", "", f"2024-01-{n % 28 + 1:02d}", " ".join(rng.choices(words, k=120)))
            for n in range(count)]


def test_building_an_index_leaves_nothing_for_the_cyclic_collector(tmp_path: Path) -> None:
    # whoosh's own temporary folders kept an exception in a reference cycle with every frame up to the
    # caller's: a unit's whole render was then freed only by the cyclic collector
    build_index(DOCS, tmp_path / "pierwszy", "s")  # what is imported and cached once
    gc.collect()
    gc.disable()
    try:
        build_index(DOCS, tmp_path / "indeks", "s")
        assert gc.collect() == 0
    finally:
        gc.enable()
    assert {r.url for r in search(tmp_path / "indeks", "budżet")} >= {BUDGET.url}


def test_a_units_fragments_are_those_cut_from_its_published_shards() -> None:
    docs = many_docs(UNIT, 300, 7)
    index = unit_index(docs, UNIT[0])
    assert index.files == export_static(docs)
    meta = json.loads(index.files["meta.json"])
    assert meta["shards"] >= 8 and index.docs == meta["docs"] == 300
    shards = [json.loads(index.files[f"t/{n:x}.json"]) for n in range(meta["shards"])]
    # every entry is in the shard of its term (a form and a root with their prefixes)
    for number, shard in enumerate(shards):
        for kind, prefix in (("p", ""), ("f", SURFACE), ("r", ROOT)):
            assert all(shard_of(prefix + key, meta["shards"]) == number for key in shard[kind])
    # the worker's fragments for the portal are what `bip merge` cuts from the published files
    assert cut(UNIT[0], shards) == (index.offsets, index.blob)
    assert len(index.offsets) == 4097 and index.blob.startswith(b'["gmina-dabrowa",{')


def test_portal_join_takes_the_shards_an_edit_did_not_change_from_the_live_tree(tmp_path: Path) -> None:
    units = tmp_path / "jednostki"
    docs = {UNIT[0]: many_docs(UNIT, 80, 1), OTHER[0]: many_docs(OTHER, 80, 2)}
    for unit, unit_docs in docs.items():
        write_index(units / unit, export_static(unit_docs))
    cache = tmp_path / "cache"

    def listed(keys: dict[str, str]) -> list[tuple[str, str, Path, str, str]]:
        return [(unit, name, units / unit, f"../{unit}/", keys[unit]) for unit, name in (UNIT, OTHER)]

    first = join(listed({UNIT[0]: "a1", OTHER[0]: "b1"}), cache, None, "drzewo-1")
    shards = json.loads(first["meta.json"])["shards"]
    assert shards >= 16 and not any(isinstance(v, Path) for v in first.values())
    live = write_index(tmp_path / "na-zywo", first)  # type: ignore[arg-type]
    # one page of the second unit gets a new sentence: the unit is cut again, its earlier fragments kept
    edited = docs[OTHER[0]]
    edited[5] = replace(edited[5], text=edited[5].text + " Uzupełniono termin składania wniosków.")
    shutil.rmtree(units / OTHER[0])
    write_index(units / OTHER[0], export_static(edited))
    keys = {UNIT[0]: "a1", OTHER[0]: "b2"}
    second = join(listed(keys), cache, (live, "drzewo-1"), "drzewo-2")
    linked = sorted(name for name, value in second.items() if isinstance(value, Path))
    assert shards // 2 <= len(linked) < shards  # most shards are the live tree's, the edited ones are new
    assert all(second[name] == live / name for name in linked)
    anew = join(listed(keys))  # no cache, no live tree: everything joined again
    assert {n: v.read_bytes() if isinstance(v, Path) else v for n, v in second.items()} == anew
    # the record names the tree it was joined for: against any other tree nothing is taken over
    for other in ((live, "drzewo-1"), (live, "inne-drzewo")):
        assert not any(isinstance(v, Path) for v in join(listed(keys), cache, other, "drzewo-3").values())


def test_portal_index_leaves_out_folders_without_an_index(merged_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    write_index(broken, {"meta.json": b"{not json"})
    units = [("brak", "Brak", tmp_path / "missing", "../missing/", "k"), ("zepsuty", "Zepsuty", broken, "../b/", "k"),
             (UNIT[0], UNIT[1], merged_dir.parent / UNIT[0], f"../{UNIT[0]}/", "k")]
    alone = join(units)
    meta = json.loads(alone["meta.json"])
    assert meta["units"] == [list(UNIT)] and meta["docs"] == len(SPLIT[0])


def test_posting_encoding_round_trips() -> None:
    numbers = [0, 1, 31, 32, 33, 1023, 1024, 99999, 5, 0]
    assert decode_numbers(encode_numbers(numbers)) == numbers


def test_posting_codes_table_is_the_code_of_each_number() -> None:
    from bip.search import static

    assert len(static._CODES) == 1 << 15
    assert [static._code(n) for n in range(1 << 15)] == static._CODES
    every = list(range(1 << 16))  # past the table too
    assert decode_numbers(encode_numbers(every)) == every


NODE_RUNNER = r"""
const fs = require('fs'), path = require('path');
const api = require(process.argv[2]);
const dir = process.argv[3];
const task = JSON.parse(fs.readFileSync(0, 'utf8'));
(async () => {
  const out = {};
  const index = new api.Index(async (p) => JSON.parse(fs.readFileSync(path.join(dir, p), 'utf8')));
  const meta = await index.load();
  out.groups = task.groups.map((q) => index.analyzer.groups(q).map((g) => ({ whole: g.whole, parts: g.parts })));
  out.hashes = task.hashes.map(api.fnv1a);
  out.roots = task.roots.map((w) => api.rootOf(w, meta.analysis.root_rules));
  out.folds = task.folds.map(api.fold);
  out.plurals = [1, 2, 4, 5, 12, 22, 25, 112, 122].map(api.plural);
  out.searches = [];
  for (const q of task.searches) {
    const found = await api.search(index, q.q, { type: q.type, year: q.year });
    const docs = await api.documents(index, found.ids.slice(0, 10));
    out.searches.push({ urls: docs.map((d) => d.unit + '/' + d.url), partial: found.partial,
                        title: docs.length ? api.highlight(docs[0].title, found.terms, index.analyzer) : null,
                        snippet: docs.length ? api.highlight(api.passage(docs[0].text, found.terms, index.analyzer), found.terms,
                                                              index.analyzer) : null });
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
"""


def run_js(static_dir: Path, tmp_path: Path, **task: object) -> dict:
    runner = tmp_path / "runner.js"
    runner.write_text(NODE_RUNNER, encoding="utf-8")
    base = {"groups": [], "hashes": [], "roots": [], "folds": [], "searches": []}
    base.update(task)
    done = subprocess.run(
        [str(NODE), str(runner), str(SEARCH_JS), str(static_dir)],
        input=json.dumps(base), capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict = json.loads(done.stdout)
    return result


def python_groups(query: str) -> list[dict]:
    """What search.js must produce for a query before consulting the index."""
    out = []
    for whole, spans in iter_tokens(normalize(query)):
        parts: list[dict] = []
        for span in spans:
            if span.word:
                if span.terms:
                    parts.append({"surface": span.terms[0][1:]})
            else:
                parts.append({"literal": span.terms[0]})
        if parts or whole is not None:
            out.append({"whole": whole.terms[0] if whole else None, "parts": parts})
    return out


PARITY_QUERIES = [
    "Uchwała Nr XII/123/2024 w sprawie budżetu",
    "ZP.271.3.2024 2024-05-20 1/2026",
    "Zażółć GĘŚLĄ jaźń Łódź",
    "Kędzierzyn-Koźle i/lub e-mail",
    "zaz\u0307o\u0301łc\u0301",  # decomposed: NFC composes it first
    "Київ Ελλάδα ﬁnanse ½ x²",
    "w i z oraz",
    "a" * 45 + " " + "-".join(["b12"] * 30),
    "  --//..  ",
    "COVID-19, art. 18 ust. 2 pkt 4",
]


@needs_node
def test_js_analysis_matches_python(static_dir: Path, tmp_path: Path) -> None:
    words = ["budzetowy", "gminny", "informacja", "inwestycyjny", "podatek", "uchwala", "rok", "kowalski"]
    strings = ["", "uchwala", "=uchwaly", "zółć", "xii/123/2024", "Київ"]
    out = run_js(static_dir, tmp_path, groups=PARITY_QUERIES, hashes=strings, roots=words, folds=PARITY_QUERIES)
    assert out["groups"] == [python_groups(q) for q in PARITY_QUERIES]
    assert out["hashes"] == [fnv1a(s) for s in strings]
    assert out["roots"] == [root(w) for w in words]
    assert out["folds"] == [fold(q) for q in PARITY_QUERIES]
    assert out["plurals"] == ["wynik", "wyniki", "wyniki", "wyników", "wyników", "wyniki", "wyników",
                              "wyników", "wyniki"]


@needs_node
def test_js_search_ranks_like_python(static_dir: Path, index_dir: Path, tmp_path: Path) -> None:
    searches = [{"q": q, "type": t or "", "year": str(y) if y else ""} for q, t, y, _ in RANKED]
    searches += [{"q": "uchwały"}, {"q": "zarzadzenie"}, {"q": "budżetowe"}, {"q": "regulamin kwiatki"}]
    out = run_js(static_dir, tmp_path, searches=searches)["searches"]
    for (query, type, year, first), found in zip(RANKED, out, strict=False):
        assert (found["urls"][0] if found["urls"] else None) == first, query
        python_first = urls(search(index_dir, query, type=type, year=year))[:1]
        assert found["urls"][:1] == python_first, query
    inflected, folded, derived, partial = out[len(RANKED) :]
    assert STREET.url in inflected["urls"]
    assert set(folded["urls"]) == {RULES.url, PLAN.url}
    assert BUDGET.url in derived["urls"]
    assert partial["urls"] == [RULES.url] and partial["partial"] is True


@needs_node
def test_js_search_of_a_merged_index_finds_documents_of_both_units(merged_dir: Path, tmp_path: Path) -> None:
    searches = [{"q": q, "type": t or "", "year": str(y) if y else ""} for q, t, y, _ in RANKED]
    searches += [{"q": "gminy", "type": "zarzadzenie"}, {"q": "uchwała", "year": "2024"}]
    out = run_js(merged_dir, tmp_path, searches=searches)["searches"]
    moved = {d.url.replace(OTHER[0], UNIT[0]): d.url for d in SPLIT[1]}
    for (query, _, _, first), found in zip(RANKED, out, strict=False):
        assert (found["urls"][0] if found["urls"] else None) == moved.get(first, first), query
    managers, resolutions = out[len(RANKED):]
    assert set(managers["urls"]) == {RULES.url, moved[PLAN.url]}  # one in each unit, by the type filter
    assert set(resolutions["urls"]) == {BUDGET.url, TAX.url, moved[SESSION.url]}  # 2024: not STREET (2023)


@needs_node
def test_js_highlights_matches_as_text(static_dir: Path, tmp_path: Path) -> None:
    searches = [{"q": "uchwały budżetowe 2024"}, {"q": "jeża"}]
    budget, page = run_js(static_dir, tmp_path, searches=searches)["searches"]
    marked = [text for text, on in budget["title"] if on]
    assert marked == ["Uchwała", "2024", "budżetu", "2024"]
    assert "".join(text for text, _ in budget["title"]) == BUDGET.title
    # The snippet is text, put into the page as text nodes: markup in it stays inert.
    assert ["jeża", True] in page["snippet"]
    assert any("<script>" in text and not on for text, on in page["snippet"])


def test_search_js_is_es2017_and_self_contained() -> None:
    source = SEARCH_JS.read_text(encoding="utf-8")
    for construct in ("?.", "??", "\\p{", "innerHTML", "eval(", "new Function", "http://", "https://", ".flat("):
        assert construct not in source, construct


# --- bip search ---------------------------------------------------------------------------------------


def _unit_indexes(root: Path) -> list[Path]:
    """DOCS in three indexes, as a build writes one per unit."""
    folders = [root / name for name in ("gmina-a", "gmina-b", "gmina-c")]
    for n, folder in enumerate(folders):
        build_index(DOCS[n::3], folder)
    return folders


def test_units_searched_as_one_score_like_one_index(tmp_path: Path) -> None:
    folders = _unit_indexes(tmp_path / "units")
    assert len(folders) > 1
    build_index(DOCS, tmp_path / "one")
    for query in ("uchwały budżetowe 2024", "XII/123/2024", "zarzadzenie", "plan 2026"):
        together = search(folders, query, limit=50)
        one = search(tmp_path / "one", query, limit=50)
        assert together, query
        assert [(r.url, r.score) for r in together] == [(r.url, r.score) for r in one], query


def test_command_text_and_json(tmp_path: Path) -> None:
    _unit_indexes(tmp_path)
    code, text = run(tmp_path, "uchwały budżetowe 2024", None, None, False)
    assert code == 0
    assert text.startswith("Znaleziono ")
    assert "1. " + BUDGET.title in text
    assert "Uchwała · 15 stycznia 2024 · XII/123/2024 · Gmina Dąbrowa" in text
    code, out = run(tmp_path, "XII/123/2024", None, "uchwala", True)
    data = json.loads(out)
    assert code == 0 and data["results"][0]["url"] == BUDGET.url and data["count"] >= 1
    assert set(data["results"][0]) >= {"title", "unit_id", "unit_name", "url", "type", "date", "score",
                                       "snippet_html"}
    assert run(tmp_path, "kwiatki bratki", None, None, False) == (0, "Brak wyników dla „kwiatki bratki”.\n")


def test_command_unit_index_and_fallback_to_units(tmp_path: Path) -> None:
    build_index(DOCS, tmp_path / UNIT[0])
    code, text = run(tmp_path, "1/2026", UNIT[0], None, False)
    assert code == 0 and PLAN.title in text
    code, text = run(tmp_path, "1/2026", None, None, False)  # without --unit: every unit's index
    assert code == 0 and PLAN.title in text


def test_command_errors(tmp_path: Path) -> None:
    assert run(tmp_path, "budżet", None, None, False)[0] == 2
    assert run(tmp_path, "budżet", "brak", None, False)[0] == 2
    _unit_indexes(tmp_path)
    code, text = run(tmp_path, "budżet", None, "uchwały", False)
    assert code == 2 and "uchwala" in text
    assert run(tmp_path, "  ", None, None, False)[0] == 2


def test_trie_dictionary_gives_the_lemmas_of_simplemmas_own_dictionary() -> None:
    import re as regex

    import simplemma

    from bip.search import analysis

    assert isinstance(analysis._FACTORY, analysis._AtomicTrieFactory)
    repo = Path(__file__).resolve().parent.parent
    words = sorted({w.lower() for p in (repo / "content").rglob("*.md")
                    for w in regex.findall(r"[^\W\d_]+", p.read_text(encoding="utf-8"))})
    assert len(words) > 1000
    for word in words:
        assert analysis._LEMMATIZER.lemmatize(word, lang="pl") == simplemma.lemmatize(word, lang="pl"), word
        assert analysis._is_known(word) == simplemma.is_known(word, lang="pl"), word


# --- everyday words, passages, dates ---------------------------------------------------------------------

FILLER = " ".join(["Treść ogólna dokumentu bez szczególnych słów."] * 30)  # ~1,400 characters
EVERYDAY = [
    doc("zamowienia/bzp-271-18-2025", "Termomodernizacja budynku szkoły podstawowej", "zamowienie",
        "Zamówienie publiczne", "BZP.271.18.2025", "2025-03-10",
        "Zamawiający zaprasza do składania ofert na docieplenie ścian i wymianę okien."),
    doc("nabory/referent", "Referent w Wydziale Komunikacji", "nabor", "Nabór na stanowisko", "", "2026-01-12",
        "Wymagania: wykształcenie średnie, znajomość przepisów o ruchu drogowym."),
    doc("uchwaly/xiv-150-2025", "Uchwała w sprawie regulaminu utrzymania czystości", "uchwala", "Uchwała",
        "XIV/150/2025", "2025-04-24", FILLER + " Odpady komunalne odbiera się co dwa tygodnie."),
    doc("oswiadczenia/wojt-2024", "Oświadczenie majątkowe Wójta za 2024 rok", "oswiadczenie",
        "Oświadczenie majątkowe", "", "2025-04-30", "Zasoby pieniężne, nieruchomości, udziały w spółkach."),
]


@pytest.fixture(scope="module")
def everyday(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The whoosh and the static index of EVERYDAY: no text in them says przetarg, praca or śmieci."""
    root = tmp_path_factory.mktemp("everyday")
    build_index(EVERYDAY, root / "whoosh")
    return root / "whoosh", write_index(root / "static", export_static(EVERYDAY))


SYNONYM_QUERIES = [
    ("przetarg", EVERYDAY[0].url),
    ("przetargi na szkoły", EVERYDAY[0].url),
    ("praca", EVERYDAY[1].url),
    ("rekrutacji", EVERYDAY[1].url),
    ("wywóz śmieci", EVERYDAY[2].url),
    ("majątek wójta", EVERYDAY[3].url),
]


def test_synonym_table_is_data_analysed_like_indexed_text() -> None:
    entries = synonyms.table()
    assert len(entries) >= 10
    tender = next(e for e in entries if "przetarg" in e.keys)
    # The phrase's words become the lemma terms indexed text has: "zamówienia publicznego" meets them.
    assert tender.phrases == (synonyms.phrase_terms("zamówienie publiczne"),)
    indexed = set(analyze("zamówienia publicznego"))
    assert all(indexed.intersection(part) for part in tender.phrases[0])
    with pytest.raises(ValueError, match="synonym entry 1"):
        synonyms.parse({"synonimy": [{"słowa": ["x"], "szukaj_też": "y"}]})
    with pytest.raises(ValueError, match="synonimy"):
        synonyms.parse({"opis": "bez listy"})


@pytest.mark.parametrize(("query", "expected"), SYNONYM_QUERIES)
def test_everyday_words_find_the_official_names(everyday: tuple[Path, Path], query: str, expected: str) -> None:
    assert urls(search(everyday[0], query))[:1] == [expected]


def test_a_synonym_never_lifts_what_the_word_found(index_dir: Path) -> None:
    # "budżetowy" is in the phrase "uchwała budżetowa" it would stand for: nothing changes.
    assert not with_synonyms(query_groups("budżetowy"))[0].synonyms
    assert urls(search(index_dir, "budżetowy"))[0] == TAX.url


@needs_node
def test_js_expands_everyday_words_like_python(everyday: tuple[Path, Path], tmp_path: Path) -> None:
    meta = json.loads((everyday[1] / "meta.json").read_text(encoding="utf-8"))
    # meta.json carries only what can match in this index: "posiedzenie" → "sesja" has nothing to find here.
    keys = {key for entry in meta["synonyms"] for key in entry[0]}
    assert "przetarg" in keys and "smiec" in keys and "posiedzen" not in keys, meta["synonyms"]
    out = run_js(everyday[1], tmp_path, searches=[{"q": q} for q, _ in SYNONYM_QUERIES])["searches"]
    for (query, expected), found in zip(SYNONYM_QUERIES, out, strict=True):
        assert found["urls"][:1] == [expected], query
        assert found["urls"] == urls(search(everyday[0], query)), query


@needs_node
def test_snippet_is_the_passage_that_matched_far_into_the_text(everyday: tuple[Path, Path], tmp_path: Path) -> None:
    assert EVERYDAY[2].text.index("Odpady") > 1000
    python = search(everyday[0], "odpady komunalne")[0].snippet_html
    assert "<mark>Odpady</mark> <mark>komunalne</mark>" in python and python.startswith("…")
    found = run_js(everyday[1], tmp_path, searches=[{"q": "odpady komunalne"}, {"q": "śmieci"}])["searches"]
    for result in found:
        marked = [text for text, on in result["snippet"] if on]
        assert marked[:1] == ["Odpady"], result["snippet"]
        assert result["snippet"][0][0].startswith("…") and len("".join(t for t, _ in result["snippet"])) < 260


def test_dates_are_written_in_polish(everyday: tuple[Path, Path]) -> None:
    assert spoken_date("2024-12-16") == "16 grudnia 2024"
    assert spoken_date("2025-03-01") == "1 marca 2025"
    assert spoken_date("") == "" and spoken_date("2024") == "2024"
    code, text = run(everyday[0].parent, "praca", "whoosh", None, False)
    assert code == 0 and "Nabór na stanowisko · 12 stycznia 2026" in text, text


# --- attachments: real files in a real build ------------------------------------------------------------

A = "content/gmina-testowa"
OTHER_UNIT = "content/gmina-inna"
IN_PDF = "oczyszczalniazqx"  # words found only inside one file each
IN_DOCX = "kanalizacjazqx"
IN_DRAFT = "szkicownikzqx"
IN_WITHDRAWN = "wycofanyzqx"
BUDGET_PAGE = "Uchwała w sprawie budżetu gminy na 2024 rok"
PDF_URL = "gmina-testowa/uchwaly/plan.pdf"
PDF_LABEL = f"Załącznik „Plan dochodów” (PDF) — na stronie „{BUDGET_PAGE}”"


def docx(*paragraphs: str) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def budget_page(attachments: str = "\n  - file: plan.pdf\n    title: Plan dochodów") -> str:
    return page(BUDGET_PAGE, "Rada Gminy uchwala budżet.", type="uchwala", number='"XII/123/2024"',
                adopted="2024-03-01", status="obowiązująca", attachments=attachments)


def attachment_project(root: Path) -> Path:
    """Two units: a resolution with a PDF, a page with a DOCX and a draft with a PDF in gmina-testowa; in
    gmina-inna a page whose PDF is withdrawn through the withdrawal register."""
    files = {**basic_files(), **basic_files("gmina-inna")}
    files.update({
        f"{A}/uchwaly/uchwala-xii-123-2024.md": budget_page(),
        f"{A}/uchwaly/plan.pdf": pdf("Plan dochodow", ["Modernizacja oczyszczalni w Kwiatkowie", IN_PDF]),
        f"{A}/kanalizacja.md": page("Informacja o sieci", "Sieć w gminie.",
                                    attachments="\n  - file: siec.docx\n    title: Opis sieci"),
        f"{A}/siec.docx": docx("Opis sieci wodociągowej", f"Budowa {IN_DOCX} w Testowie."),
        f"{A}/szkic.md": page("Projekt ogłoszenia", "Jeszcze nie.", draft="true",
                              attachments="\n  - file: szkic.pdf\n    title: Projekt"),
        f"{A}/szkic.pdf": pdf("Projekt", [IN_DRAFT]),
        f"{OTHER_UNIT}/ogloszenie.md": page("Ogłoszenie o konsultacjach", "Konsultacje społeczne.",
                                             attachments="\n  - file: stary.pdf\n    title: Stary plan"),
        f"{OTHER_UNIT}/stary.pdf": pdf("Stary plan", [IN_WITHDRAWN]),
        f"{OTHER_UNIT}/redactions.yaml": (
            "- page: ogloszenie.md\n  commits: all\n  attachments: [stary.pdf]\n"
            '  reason: "Opublikowano dane osobowe"\n  legal_basis: "art. 17 RODO"\n'
            '  decided_by: "Jan Kowalski, Wójt"\n  date: 2024-06-01\n'),
    })
    commit_files(root, files)
    return root


def build(root: Path) -> None:
    done = run_bip(root, "build", "--now", NOW)
    assert done.returncode == 0, done.stdout + done.stderr


def cli_search(root: Path, query: str, *args: str) -> list[dict]:
    done = run_bip(root, "search", query, "--json", *args)
    assert done.returncode == 0, done.stdout + done.stderr
    results: list[dict] = json.loads(done.stdout)["results"]
    return results


@pytest.fixture(scope="module")
def attached_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = attachment_project(tmp_path_factory.mktemp("attachments") / "projekt")
    build(root)
    return root


def test_attachment_documents_are_those_of_published_files_with_text() -> None:
    from bip.attachments.model import Extraction
    from bip.model import Attachment, Page

    def with_files(*names: str) -> Page:
        return Page("gmina-dabrowa", "content/gmina-dabrowa/u.md", "uchwaly/u/", "uchwaly", False, BUDGET.title,
                    "uchwala", {}, {}, "", 1, attachments=[Attachment(n, n.upper(), f"content/gmina-dabrowa/uchwaly/{n}", f"uchwaly/{n}")
                                 for n in names])

    long = " ".join(["słowo"] * ATTACHMENT_CHARS)
    read = {f"content/gmina-dabrowa/uchwaly/{n}": Extraction("pdf", pages=(text,))
            for n, text in (("a.pdf", "Plan"), ("b.pdf", long), ("wycofany.pdf", "Plan"), ("skan.pdf", " "))}
    read["content/gmina-dabrowa/uchwaly/zly.pdf"] = Extraction("pdf", status="corrupt")
    published = {"uchwaly/a.pdf", "uchwaly/b.pdf", "uchwaly/zly.pdf", "uchwaly/skan.pdf"}
    first = with_files("a.pdf", "b.pdf", "wycofany.pdf", "zly.pdf", "skan.pdf")
    second = replace(with_files("a.pdf"), url="uchwaly/v/")
    docs = with_attachments([(first, BUDGET), (second, replace(BUDGET, url=BUDGET.url + "v/"))], read, published)
    assert [d.url for d in docs] == [BUDGET.url, "gmina-dabrowa/uchwaly/a.pdf", "gmina-dabrowa/uchwaly/b.pdf",
                                     BUDGET.url + "v/"]  # one document for a file attached twice
    plan = docs[1]
    assert plan.title == attachment_label("A.PDF", "pdf", BUDGET.title) == f"Załącznik „A.PDF” (PDF) — na stronie „{BUDGET.title}”"
    assert (plan.type, plan.date, plan.number, plan.attachment, plan.page_title) == (
        BUDGET.type, BUDGET.date, "", "A.PDF", BUDGET.title)
    assert ATTACHMENT_CHARS - 10 < len(docs[2].text) <= ATTACHMENT_CHARS + 1 < len(long)  # cut at a word, "…" after
    assert docs[2].text.endswith("słowo…")


def test_a_phrase_only_inside_attachments_is_found_by_every_search(attached_site: Path, tmp_path: Path) -> None:
    out = attached_site / "public"
    assert (out / PDF_URL).is_file()
    found = cli_search(attached_site, IN_PDF)
    assert [(r["url"], r["title"], r["type"], r["date"]) for r in found] == [
        (PDF_URL, PDF_LABEL, "uchwala", "2024-03-01")]
    assert f"<mark>{IN_PDF}</mark>" in found[0]["snippet_html"]
    assert found[0]["address"] == "https://bip.example/" + PDF_URL
    assert [r["title"] for r in cli_search(attached_site, IN_DOCX)] == [
        "Załącznik „Opis sieci” (DOCX) — na stronie „Informacja o sieci”"]
    text = run_bip(attached_site, "search", IN_PDF).stdout
    assert f"1. {PDF_LABEL}\n   Uchwała · 1 marca 2024 · Gmina gmina-testowa\n   https://bip.example/{PDF_URL}\n" in text, text
    if NODE is None:
        pytest.skip("node is not installed")
    for folder in (out / "gmina-testowa/szukaj/indeks", out / "szukaj/indeks"):  # the unit's, the portal's
        unit_found, docx_found = run_js(folder, tmp_path, searches=[{"q": IN_PDF}, {"q": IN_DOCX}])["searches"]
        assert unit_found["urls"] == [PDF_URL], folder
        assert "".join(text for text, _ in unit_found["title"]) == PDF_LABEL
        assert [text for text, on in unit_found["snippet"] if on] == [IN_PDF]
        assert docx_found["urls"] == ["gmina-testowa/siec.docx"]
    # the search page's list without JavaScript names pages only: an attachment is listed on its page; the
    # portal's list of units counts those pages
    assert "plan.pdf" not in (out / "gmina-testowa/szukaj/index.html").read_text(encoding="utf-8")
    rows = json.loads((out / "gmina-testowa/szukaj/dokumenty.json").read_text(encoding="utf-8"))
    pages = sum(1 for row in rows if "attachment" not in row)
    assert pages == len(rows) - 2
    assert json.loads((out / "gmina-testowa/szukaj/indeks/meta.json").read_bytes())["attachments"] == 2
    assert "attachments" not in json.loads((out / "gmina-inna/szukaj/indeks/meta.json").read_bytes())
    portal = (out / "szukaj/index.html").read_text(encoding="utf-8")
    assert re.search(rf'gmina-testowa/szukaj/#wykaz">[^<]*</a></th><td data-label="Dokumenty">{pages}</td>', portal)


def test_attachments_of_drafts_and_withdrawn_files_are_not_found(attached_site: Path, tmp_path: Path) -> None:
    out = attached_site / "public"
    assert cli_search(attached_site, "konsultacjach")  # the page of the withdrawn file is
    for word in (IN_DRAFT, IN_WITHDRAWN):
        assert cli_search(attached_site, word) == [], word
        assert not any(word.encode() in p.read_bytes() for p in out.rglob("szukaj/**/*") if p.is_file()), word
        assert not any(word.encode() in p.read_bytes()
                       for p in (attached_site / ".bip-cache/search").rglob("*") if p.is_file()), word
    if NODE is not None:
        for folder in (out / "gmina-testowa/szukaj/indeks", out / "gmina-inna/szukaj/indeks", out / "szukaj/indeks"):
            searches = run_js(folder, tmp_path, searches=[{"q": IN_DRAFT}, {"q": IN_WITHDRAWN}])["searches"]
            assert [s["urls"] for s in searches] == [[], []], folder


def test_type_and_year_filters_apply_to_attachments(attached_site: Path, tmp_path: Path) -> None:
    assert [r["url"] for r in cli_search(attached_site, IN_PDF, "--type", "uchwala", "--year", "2024")] == [PDF_URL]
    assert cli_search(attached_site, IN_PDF, "--type", "zarzadzenie") == []
    assert cli_search(attached_site, IN_PDF, "--year", "2023") == []
    assert PDF_URL in [r["url"] for r in cli_search(attached_site, "", "--type", "uchwala", "--limit", "50")]
    if NODE is None:
        pytest.skip("node is not installed")
    searches = [{"q": IN_PDF, "type": "uchwala", "year": "2024"}, {"q": IN_PDF, "type": "zarzadzenie"},
                {"q": IN_PDF, "year": "2023"}]
    for folder in (attached_site / "public/gmina-testowa/szukaj/indeks", attached_site / "public/szukaj/indeks"):
        found = run_js(folder, tmp_path, searches=searches)["searches"]
        assert [s["urls"] for s in found] == [[PDF_URL], [], []], folder


def test_bip_search_indexes_what_the_last_build_published_wherever_it_went(tmp_path: Path) -> None:
    root = tmp_path / "projekt"
    commit_files(root, {**basic_files(), **basic_files("gmina-inna")})
    out = tmp_path / "gdzie-indziej" / "bip"
    done = run_bip(root, "build", "--now", NOW, "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    indexes = root / ".bip-cache/search"
    assert sorted(p.name for p in indexes.iterdir() if p.is_dir()) == []  # no unit indexed by the build
    found = cli_search(root, "budżet")
    assert sorted(r["unit_id"] for r in found) == ["gmina-inna", "gmina-testowa"]
    assert sorted(p.name for p in indexes.iterdir() if p.is_dir()) == ["gmina-inna", "gmina-testowa"]
    assert [r["unit_id"] for r in cli_search(root, "budżet", "--unit", "gmina-inna")] == ["gmina-inna"]

    git(root, "rm", "-q", "-r", "content/gmina-inna")
    git(root, "commit", "-q", "-m", "Usunięcie podmiotu")
    done = run_bip(root, "build", "--now", NOW, "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert [r["unit_id"] for r in cli_search(root, "budżet")] == ["gmina-testowa"]
    assert sorted(p.name for p in indexes.iterdir() if p.is_dir()) == ["gmina-testowa"]  # its index is gone


def test_merging_shards_built_elsewhere_removes_the_old_index_of_each_unit_it_brings_anew(tmp_path: Path) -> None:
    root = tmp_path / "projekt"
    commit_files(root, {**basic_files(), **basic_files("gmina-inna")})
    out = tmp_path / "serwis"

    def merge_shards_built_elsewhere(name: str) -> None:
        other = tmp_path / name  # the CI jobs' checkouts: their builds never touch this project's cache
        shutil.copytree(root, other, ignore=shutil.ignore_patterns(".bip-cache"))
        shards = [str(tmp_path / f"{name}-{k}") for k in (1, 2)]
        for k, shard in enumerate(shards, start=1):
            done = run_bip(other, "build", "--now", NOW, "--shard", f"{k}/2", "--out", shard)
            assert done.returncode == 0, done.stdout + done.stderr
        done = run_bip(root, "merge", *shards, "--out", str(out), "--now", NOW)
        assert done.returncode == 0, done.stdout + done.stderr

    merge_shards_built_elsewhere("ci-1")
    assert sorted(r["unit_id"] for r in cli_search(root, "budżet")) == ["gmina-inna", "gmina-testowa"]
    index = root / ".bip-cache/search/gmina-testowa"
    assert index.is_dir()

    commit_files(root, {f"{A}/uchwaly/uchwala-xii-123-2024.md": page(
        "Uchwała w sprawie budżetu gminy na 2024 rok", "Rada Gminy uchwala budżet i remont przepompowni.",
        type="uchwala", number='"XII/123/2024"', adopted="2024-03-01", status="obowiązująca")},
        "Poprawka uchwały", date="2024-06-20T10:00:00+02:00")
    merge_shards_built_elsewhere("ci-2")
    assert not index.exists()  # the unit came anew: its old index went with the merge
    assert (root / ".bip-cache/search/gmina-inna").is_dir()  # the unchanged unit's stays
    assert [r["unit_id"] for r in cli_search(root, "przepompowni")] == ["gmina-testowa"]


def _whoosh_files(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()}


def test_changed_and_removed_attachments_leave_the_indexes_after_incremental_builds(tmp_path: Path) -> None:
    root = tmp_path / "projekt"
    files = {**basic_files(), f"{A}/uchwaly/uchwala-xii-123-2024.md": budget_page(),
             f"{A}/uchwaly/plan.pdf": pdf("Plan dochodow", [IN_PDF])}
    commit_files(root, files)
    build(root)
    whoosh = root / ".bip-cache/search/gmina-testowa"
    assert not whoosh.exists()  # made when `bip search` first asks for it
    assert [r["url"] for r in cli_search(root, IN_PDF)] == [PDF_URL]
    folder = os.stat(whoosh).st_ino

    commit_files(root, {f"{A}/uchwaly/plan.pdf": pdf("Plan dochodow", [IN_DOCX])}, "Nowy plan",
                 date="2024-06-20T10:00:00+02:00")
    build(root)
    assert not whoosh.exists()  # the unit was rendered anew: its index goes, old text and all
    assert cli_search(root, IN_PDF) == []
    assert [r["url"] for r in cli_search(root, IN_DOCX)] == [PDF_URL]
    assert os.stat(whoosh).st_ino != folder

    before, files_before = tree_hash(root / "public"), _whoosh_files(whoosh)
    build(root)  # nothing changed: nothing is written, the index stays
    assert tree_hash(root / "public") == before and _whoosh_files(whoosh) == files_before
    assert cli_search(root, IN_DOCX) and _whoosh_files(whoosh) == files_before  # and is not made again

    (root / A / "uchwaly/plan.pdf").unlink()
    commit_files(root, {f"{A}/uchwaly/uchwala-xii-123-2024.md": budget_page(attachments="[]")}, "Bez załącznika",
                 date="2024-07-01T10:00:00+02:00")
    build(root)
    assert cli_search(root, IN_DOCX) == []
    assert [r["url"] for r in cli_search(root, "budżet", "--type", "uchwala")] == ["gmina-testowa/uchwaly/uchwala-xii-123-2024/"]
    if NODE is not None:
        for index in (root / "public/gmina-testowa/szukaj/indeks", root / "public/szukaj/indeks"):
            assert run_js(index, tmp_path, searches=[{"q": IN_DOCX}])["searches"][0]["urls"] == [], index


_KEYS = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)  # any text but lone surrogates


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_KEYS, st.lists(st.tuples(_KEYS, st.floats(0, 10, allow_nan=False)).map(list), max_size=3),
                       max_size=40),
       st.dictionaries(_KEYS, st.lists(_KEYS, max_size=3), max_size=40),
       st.dictionaries(_KEYS, _KEYS, max_size=40))
def test_term_members_from_encoded_values_are_those_of_the_values(forms, roots, postings) -> None:
    encoded = term_members(postings, {k: compact_json(v).decode() for k, v in forms.items()},
                           {k: compact_json(v).decode() for k, v in roots.items()}, encoded=True)
    assert encoded == term_members(postings, forms, roots)


JSON_LEAVES = (st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**64 - 1) | st.text()
               | st.floats(allow_nan=False, allow_infinity=False))


@settings(max_examples=400, deadline=None)
@given(st.recursive(JSON_LEAVES, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
                    max_leaves=25))
def test_compact_json_writes_what_json_writes(value) -> None:
    expected = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    written = compact_json(value)
    assert json.loads(written) == json.loads(expected)
    if all(x == 0 or 1e-4 <= abs(x) < 1e16 for x in _floats(value)):  # else orjson writes "1e16", not "1e+16"
        assert written == expected


def _floats(value) -> list[float]:
    if isinstance(value, float):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [x for item in value for x in _floats(item)] if isinstance(value, list) else []


def test_compact_json_takes_what_orjson_refuses_to_json() -> None:
    for value in ({"n": 2**64}, {2: "a", 1: "b"}, [{"x": [2**70, "ą"]}]):
        assert compact_json(value) == json.dumps(value, ensure_ascii=False, sort_keys=True,
                                                 separators=(",", ":")).encode("utf-8")
