"""Search benchmark: whoosh index build and queries, static export size, bytes fetched per browser query.

python -m benchmarks.search_bench [--pages 60000] [--static-pages 3000] [--attachments 100]; node runs search.js
if present. --attachments: what that many attachments at the indexed-text cap (bip.search.attached) add to
the static export of the --static-pages pages.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.search_corpus import corpus
from bip.search.attached import ATTACHMENT_CHARS
from bip.search.index import build_index, search, update_index
from bip.search.static import export_static, passage_text

SEARCH_JS = Path(__file__).resolve().parents[1] / "themes" / "default" / "static" / "search.js"
QUERIES = [
    "uchwały budżetowe 2024",
    "zarzadzenie podatek od nieruchomosci",
    "przetarg drogi gminnej",
    "oświadczenie majątkowe radnego",
    "protokół z sesji rady gminy",
    "nabór inspektor",
    "ZP.271.3.2024",
    "XII/1/2024",
]
NODE_FETCHES = r"""
const fs = require('fs'), path = require('path'), zlib = require('zlib');
const api = require(process.argv[2]);
const queries = JSON.parse(process.argv[4]);
(async () => {
  const out = [];
  for (const q of queries) {
    let raw = 0, gz = 0, files = 0;
    const index = new api.Index(async (p) => {
      const b = fs.readFileSync(path.join(process.argv[3], p));
      raw += b.length; gz += zlib.gzipSync(b).length; files += 1;
      return JSON.parse(b.toString('utf8'));
    });
    const started = process.hrtime.bigint();
    const found = await api.search(index, q, {});
    await api.documents(index, found.ids.slice(0, 10));
    out.push({ q, raw, gz, files, ms: Number(process.hrtime.bigint() - started) / 1e6, found: found.ids.length });
  }
  console.log(JSON.stringify(out));
})();
"""


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def bench_index(pages: int, work: Path) -> None:
    docs = list(corpus(pages))
    text = sum(len(d.text) for d in docs)
    print(f"whoosh: {pages} pages, {text / pages:.0f} characters of text per page")
    started = time.perf_counter()
    build_index(docs, work / "ix")
    seconds = time.perf_counter() - started
    print(f"  build_index: {seconds:.1f} s ({pages / seconds:.0f} pages/s), {_size(work / 'ix') / 1e6:.0f} MB")
    changed = docs[: max(1, pages // 100)]
    started = time.perf_counter()
    update_index(work / "ix", changed, [d.url for d in docs[-10:]])
    print(f"  update_index of {len(changed)} pages, 10 removed: {time.perf_counter() - started:.1f} s")
    for query in QUERIES:
        started = time.perf_counter()
        results = search(work / "ix", query)
        ms = (time.perf_counter() - started) * 1000
        print(f"  search {query!r}: {ms:.0f} ms, first: {results[0].title if results else '-'}")


def bench_static(pages: int, work: Path) -> None:
    docs = list(corpus(pages))
    started = time.perf_counter()
    files = export_static(docs)
    seconds = time.perf_counter() - started
    raw = sum(len(v) for v in files.values())
    packed = sum(len(gzip.compress(v)) for v in files.values())
    shards = [len(v) for k, v in files.items() if k.startswith("t/")]
    blocks = [len(v) for k, v in files.items() if k.startswith("d/")]
    print(f"static: {pages} pages exported in {seconds:.1f} s, {len(files)} files")
    print(f"  {raw / pages:.0f} bytes per page ({packed / pages:.0f} gzipped), total {raw / 1e6:.1f} MB")
    print(f"  {len(shards)} term shards (median {statistics.median(shards):.0f} B, max {max(shards)} B),"
          f" {len(blocks)} document blocks (median {statistics.median(blocks):.0f} B),"
          f" meta.json {len(files['meta.json'])} B")
    folder = work / "static"
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
    node = shutil.which("node")
    if node is None:
        print("  (node not found: bytes per query not measured)")
        return
    runner = work / "fetches.js"
    runner.write_text(NODE_FETCHES, encoding="utf-8")
    done = subprocess.run([node, str(runner), str(SEARCH_JS), str(folder), json.dumps(QUERIES)],
                          capture_output=True, text=True, check=True)
    measured = json.loads(done.stdout)
    for m in measured:
        print(f"  query {m['q']!r}: {m['files']} files, {m['raw']} B ({m['gz']} B gzipped),"
              f" {m['found']} found, {m['ms']:.0f} ms")
    print(f"  mean per query (first 10 results shown): {statistics.mean(m['raw'] for m in measured):.0f} B,"
          f" {statistics.mean(m['gz'] for m in measured):.0f} B gzipped")


def bench_attachments(pages: int, attachments: int) -> None:
    """Static index bytes per attachment whose text reaches the cap (made of the corpus's page texts)."""
    docs = list(corpus(pages))
    step = max(1, pages // attachments)
    added = [
        dataclasses.replace(doc, url=doc.url + "zalacznik.pdf", title=f"Załącznik — na stronie „{doc.title}”",
                            text=passage_text(" ".join(d.text for d in docs[i : i + 40]), ATTACHMENT_CHARS),
                            attachment="Załącznik", page_title=doc.title, number="")
        for i, doc in list(enumerate(docs))[::step][:attachments]
    ]

    def size(of: list) -> tuple[int, int]:
        files = export_static(of)
        return sum(map(len, files.values())), sum(len(gzip.compress(v)) for v in files.values())

    (raw, packed), (raw_more, packed_more) = size(docs), size(docs + added)
    chars = statistics.mean(len(a.text) for a in added)
    print(f"attachments: {len(added)} of {chars:.0f} characters on {pages} pages ({raw / pages:.0f} bytes a page):"
          f" {(raw_more - raw) / len(added):.0f} bytes each ({(packed_more - packed) / len(added):.0f} gzipped)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=60000)
    parser.add_argument("--static-pages", type=int, default=3000)
    parser.add_argument("--attachments", type=int, default=0)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bip-search-bench-"))
    try:
        if args.static_pages:
            bench_static(args.static_pages, work)
            if args.attachments:
                bench_attachments(args.static_pages, args.attachments)
        if args.pages:
            bench_index(args.pages, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
