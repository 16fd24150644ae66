"""Library internals are used only on the versions pinned in pyproject.toml, and the fast path through them
gives what the library's public API gives, on real Polish text (the sample content, from public BIP texts)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import simplemma
from simplemma.strategies import DefaultStrategy
from simplemma.strategies.dictionaries import TrieDictionaryFactory
from test_search import _whoosh_contents

from bip import libraries
from bip.search import segment
from bip.search.analysis import WORD_CHARS, _AtomicTrieFactory
from bip.search.index import SearchDoc, build_index, search

ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted((ROOT / "content" / "wojewodztwo-lubuskie").rglob("*.md"))


def test_internals_are_allowed_exactly_on_the_pinned_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    pins = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    for name, (low, high) in libraries.TESTED.items():
        pin = next(p for p in pins if p.lower().startswith(name + ">="))
        lowest, below = re.fullmatch(rf"{name}>=([\d.]+),<([\d.]+)", pin, re.IGNORECASE).groups()  # type: ignore[union-attr]
        assert (low, high) == (tuple(map(int, lowest.split("."))), tuple(map(int, below.split("."))))
        assert libraries.internals_allowed(name)  # the installed versions are the tested ones
    assert libraries.version_of("no-such-distribution-installed") is None
    for untested in [(2, 8, 0), (2, 7, 4), None]:
        monkeypatch.setattr(libraries, "version_of", lambda _name, v=untested: v)
        assert not libraries.internals_allowed.__wrapped__("whoosh-reloaded")


def real_documents() -> list[SearchDoc]:
    docs = []
    for n, path in enumerate(TEXTS):
        text = path.read_text(encoding="utf-8")
        title = next((line[7:].strip() for line in text.splitlines() if line.startswith("title:")), path.stem)
        docs.append(SearchDoc("wojewodztwo-lubuskie", "Województwo Lubuskie", f"wojewodztwo-lubuskie/{path.stem}-{n}/",
                              title, "strona", "Strona", "", "2024-05-20", text))
    return docs


def test_whoosh_segment_written_through_internals_equals_add_document(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    docs = real_documents()
    assert len(docs) > 10 and sum(len(d.text) for d in docs) > 20_000
    build_index(docs, tmp_path / "fast")
    monkeypatch.setattr(segment, "FAST", False)  # as on a whoosh version whose internals were not tested
    build_index(docs, tmp_path / "public")
    assert _whoosh_contents(tmp_path / "fast") == _whoosh_contents(tmp_path / "public")
    for query in ["petycja", "urząd marszałkowski", "gminy", "BPW.II.153.1.2024"]:
        assert search(tmp_path / "fast", query, limit=50) == search(tmp_path / "public", query, limit=50)


def test_dictionary_written_through_internals_equals_simplemma_own(tmp_path: Path) -> None:
    words = sorted({w for path in TEXTS for w in re.findall(f"[{WORD_CHARS}]+", path.read_text(encoding="utf-8"))})
    assert len(words) > 1000
    fast = _AtomicTrieFactory(disk_cache_dir=str(tmp_path / "fast"))
    fast.get_dictionary("pl")  # built, and written under a temporary name
    public = TrieDictionaryFactory(disk_cache_dir=str(tmp_path / "public"))
    public.get_dictionary("pl")
    assert (tmp_path / "fast" / "pl.dic").read_bytes() == (tmp_path / "public" / "pl.dic").read_bytes()
    reread = TrieDictionaryFactory(disk_cache_dir=str(tmp_path / "fast"))  # the file, read by simplemma itself
    lemmas = [[simplemma.Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=f)).lemmatize(w, "pl")
               for w in words] for f in (fast, public, reread)]
    assert lemmas[0] == lemmas[1] == lemmas[2]
    assert sum(lemma != word for lemma, word in zip(lemmas[0], words, strict=True)) > len(words) // 4
