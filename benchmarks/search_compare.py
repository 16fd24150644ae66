"""Search against Pagefind (issue 5): index build time, index bytes per page, bytes per query, recall@10.

    python benchmarks/search_compare.py [--units 30 --pages 200 --commits 2000] [--runs 3] [--skip-demo]
    python benchmarks/search_compare.py --whoosh-only PROJECT   (recall of `bip search` on the labelled set)

Both run over our own built output, in one run, with the same documents:
- Pagefind (`pagefind[extended]` from PyPI) gets a copy of exactly the pages our index holds (each unit's
  `szukaj/dokumenty.json` names them), with `data-pagefind-body` on `<main>` so that it indexes the
  content and not the menus — the set-up its documentation recommends. One Pagefind run per unit, as each
  unit's site has its own search page.
- Ours: the index step of the build (static export for `search.js` and the whoosh index) timed in this
  process from the same documents.

1. Recall on a labelled set: the repository's sample content (real BIP texts of Lubuskie), with Polish
   queries written by hand and the page each must find (inflected forms, document numbers, words typed
   without diacritics). Each query runs in headless Chromium on both: ours through the unit's real
   `szukaj/` page, Pagefind through its own `pagefind.js` API, each in a fresh browser context (no cache), so
   the bytes fetched for the query are measured too.
2. Size and speed on a `bip demo` corpus (default 30 units × 200 pages): index build time (median of --runs),
   total index bytes per page, and bytes per query for a set of queries on a few units.

Results in $BIP_BENCH_DIR/results/search-compare.{json,md}.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "browser"))

import common  # noqa: E402
import support  # noqa: E402
from common import log, med, spread, table  # noqa: E402

from bip.search.index import build_index  # noqa: E402
from bip.search.site import DOCUMENTS, read_documents  # noqa: E402
from bip.search.static import export_static  # noqa: E402

# (unit, query, the page it must find: its URL inside the unit). Written by hand against content/.
LABELLED = [
    ("wojewodztwo-lubuskie", "uchwały budżetowe 2025", "uchwaly/uchwala-ix-98-2024/"),
    ("wojewodztwo-lubuskie", "IX/98/2024", "uchwaly/uchwala-ix-98-2024/"),
    ("wojewodztwo-lubuskie", "petycje automatyzacja procesów", "petycje/petycja-2024-01/"),
    ("wojewodztwo-lubuskie", "odpowiedz na petycje", "petycje/petycja-2024-01/"),
    ("wojewodztwo-lubuskie", "stypendium marszałka", "uchwaly/uchwala-lxiii-889-2023/"),
    ("wojewodztwo-lubuskie", "uzdolniony uczeń", "uchwaly/uchwala-lxiii-889-2023/"),
    ("wojewodztwo-lubuskie", "fundusze europejskie umowa", "ogloszenia/umowa-lubuski-e-urzad-ii-podpisana/"),
    ("wojewodztwo-lubuskie", "nabór inspektor", "nabory/nabor-inspektor-bpw-2025/"),
    ("wojewodztwo-lubuskie", "sesja sejmiku protokół", "protokoly/protokol-ix-sesja-2024-12-16/"),
    ("gmina-swidnica", "regulamin czystości", "uchwaly/uchwala-v-41-2024/"),
    ("gmina-swidnica", "uchwala budzetowa 2024", "uchwaly/uchwala-lxiv-468-2023/"),
    ("gmina-swidnica", "LXIV/468/2023", "uchwaly/uchwala-lxiv-468-2023/"),
    ("gmina-swidnica", "oswietlenie ulicy polnej", "petycje/petycja-oswietlenie-wilkanowo/"),
    ("gmina-swidnica", "plan zagospodarowania Letnica", "ogloszenia/obwieszczenie-mpzp-letnica/"),
    ("gmina-swidnica", "oświadczenia wójta", "oswiadczenia/oswiadczenie-wojt-2024/"),
    ("gmina-swidnica", "protokol sesji rady gminy", "protokoly/protokol-v-sesja-2024-09-26/"),
    ("gops-swidnica", "pracownik socjalny", "nabory/nabor-pracownik-socjalny-2024/"),
    ("gops-swidnica", "gorące posiłki", "zamowienia/dostawa-posilkow-2025/"),
    ("gops-swidnica", "GOPS.271.1.2024", "zamowienia/dostawa-posilkow-2025/"),
    ("gops-swidnica", "regulaminy pracy", "zarzadzenia/zarzadzenie-5-2024/"),
    ("miasto-gorzow-wielkopolski", "podatki od nieruchomości 2026", "uchwaly/uchwala-xvii-215-2025/"),
    ("miasto-gorzow-wielkopolski", "stawka podatku 2025", "uchwaly/uchwala-viii-98-2024/"),
    ("miasto-gorzow-wielkopolski", "wyniki budżetu obywatelskiego", "ogloszenia/wyniki-budzet-obywatelski-2026/"),
    ("miasto-gorzow-wielkopolski", "termomodernizacja szkoła podstawowa", "zamowienia/termomodernizacja-sp-5/"),
    ("miasto-gorzow-wielkopolski", "BZP.271.18.2025", "zamowienia/termomodernizacja-sp-5/"),
    ("miasto-gorzow-wielkopolski", "konsultacje organizacje pozarządowe", "zarzadzenia/zarzadzenie-412-2025/"),
    ("miasto-gorzow-wielkopolski", "podinspektor podatków", "nabory/nabor-podinspektor-wydzial-podatkow-2024/"),
    ("miasto-gorzow-wielkopolski", "oswiadczenie majatkowe prezydenta", "oswiadczenia/oswiadczenie-prezydent-2024-poczatkowe/"),
    ("powiat-zielonogorski", "droga powiatowa Kalsk", "zamowienia/przebudowa-drogi-powiatowej-1182f/"),
    ("powiat-zielonogorski", "samochod do zimowego utrzymania drog", "zamowienia/zakup-samochodu-dla-zdp-2026/"),
    ("powiat-zielonogorski", "ZP.272.7.2024", "zamowienia/przebudowa-drogi-powiatowej-1182f/"),
    ("powiat-zielonogorski", "referent komunikacja", "nabory/nabor-referent-komunikacja-2026/"),
    ("powiat-zielonogorski", "programy współpracy 2025", "uchwaly/uchwala-vi-47-2024/"),
    ("gmina-miejska-zary", "zwierzęta bezdomne", "uchwaly/uchwala-xii-123-2025/"),
    ("gmina-miejska-zary", "XII/123/2025", "uchwaly/uchwala-xii-123-2025/"),
    ("gmina-miejska-zary", "konkurs ofert kultura fizyczna", "zarzadzenia/zarzadzenie-87-2025/"),
    ("gmina-miejska-zary", "nazwy rond", "petycje/petycja-nazwa-ronda/"),
    ("gmina-miejska-zary", "przeniesienie biura obslugi mieszkancow", "ogloszenia/przeniesienie-biura-obslugi-mieszkancow/"),
    # Everyday words for document kinds and things (bip/search/synonimy.json), as citizens type them.
    ("gops-swidnica", "przetarg", "zamowienia/dostawa-posilkow-2025/"),
    ("miasto-gorzow-wielkopolski", "przetarg szkoła", "zamowienia/termomodernizacja-sp-5/"),
    ("powiat-zielonogorski", "przetargi na drogi", "zamowienia/przebudowa-drogi-powiatowej-1182f/"),
    ("powiat-zielonogorski", "przetarg samochód", "zamowienia/zakup-samochodu-dla-zdp-2026/"),
    ("gops-swidnica", "praca", "nabory/nabor-pracownik-socjalny-2024/"),
    ("miasto-gorzow-wielkopolski", "praca w urzędzie", "nabory/nabor-podinspektor-wydzial-podatkow-2024/"),
    ("powiat-zielonogorski", "rekrutacja", "nabory/nabor-referent-komunikacja-2026/"),
    ("wojewodztwo-lubuskie", "oferty pracy", "nabory/nabor-inspektor-bpw-2025/"),
    ("gmina-swidnica", "majątek wójta", "oswiadczenia/oswiadczenie-wojt-2024/"),
    ("miasto-gorzow-wielkopolski", "majątek prezydenta", "oswiadczenia/oswiadczenie-prezydent-2024-poczatkowe/"),
    ("gmina-swidnica", "budżet gminy", "uchwaly/uchwala-lxiv-468-2023/"),
    ("wojewodztwo-lubuskie", "budżet województwa", "uchwaly/uchwala-ix-98-2024/"),
    ("gmina-swidnica", "wywóz śmieci", "uchwaly/uchwala-v-41-2024/"),
    ("gmina-miejska-zary", "bezpańskie psy", "uchwaly/uchwala-xii-123-2025/"),
    ("gmina-swidnica", "latarnie", "petycje/petycja-oswietlenie-wilkanowo/"),
    ("miasto-gorzow-wielkopolski", "ocieplenie szkoły", "zamowienia/termomodernizacja-sp-5/"),
    ("gops-swidnica", "obiady dla potrzebujących", "zamowienia/dostawa-posilkow-2025/"),
    ("gmina-miejska-zary", "pieniądze na sport", "zarzadzenia/zarzadzenie-87-2025/"),
    ("wojewodztwo-lubuskie", "posiedzenie sejmiku", "protokoly/protokol-ix-sesja-2024-12-16/"),
    ("gmina-swidnica", "mpzp", "ogloszenia/obwieszczenie-mpzp-letnica/"),
]
DEMO_QUERIES = ["uchwała budżetowa", "zarzadzenie burmistrza", "przetarg", "nabór na stanowisko",
                "podatek od nieruchomości", "ogłoszenie o naborze 2024", "oswiadczenie majatkowe"]
HARNESS = "<!doctype html><html lang=\"pl\"><head><meta charset=\"utf-8\"><title>pagefind</title></head><body></body></html>"
PAGEFIND_SEARCH = """async (q) => {
  const pf = await import('./pagefind/pagefind.js');
  await pf.init();
  const found = await pf.search(q);
  const top = await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
  return top.map((d) => d.url);
}"""
RUNTIME = ("pagefind.js", "pagefind-entry.json", ".pagefind")  # Pagefind's code (its WASM is *.pagefind)


def run_bip_build(root: Path, out: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    subprocess.run([common.PYTHON, "-m", "bip", "build", "--root", str(root), "--out", str(out), "--allow-dirty"],
                   cwd=common.REPO, env=env, check=True, stdout=subprocess.DEVNULL)


def unit_ids(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if (p / DOCUMENTS).is_file())


def pagefind_copy(out: Path, copy: Path, unit: str) -> int:
    """Copy the pages of `unit` that our index holds into copy/<unit>/, marking <main> as the body. Our index
    holds the text of the pages' attachments too (PDF, DOCX, …), which Pagefind does not read: sizes per
    page divide by the pages alone."""
    docs = [doc for doc in read_documents(out / unit) if not doc.attachment]
    for doc in docs:
        page = doc.url.removeprefix(unit + "/")
        source = out / unit / page / "index.html" if not page.endswith(".html") else out / unit / page
        html = source.read_text(encoding="utf-8").replace("<main", "<main data-pagefind-body", 1)
        target = copy / unit / page / "index.html" if not page.endswith(".html") else copy / unit / page
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    (copy / unit / "__pagefind.html").write_text(HARNESS, encoding="utf-8")
    return len(docs)


def run_pagefind(copy: Path, units: list[str]) -> float:
    """Wall seconds of one Pagefind run per unit (each unit gets its own bundle, like our szukaj/)."""
    binary = common.pagefind_binary()
    total = 0.0
    for unit in units:
        shutil.rmtree(copy / unit / "pagefind", ignore_errors=True)
        started = time.perf_counter()
        subprocess.run([binary, "--site", str(copy / unit)], check=True, stdout=subprocess.DEVNULL)
        total += time.perf_counter() - started
    return total


def our_index(out: Path, units: list[str], scratch: Path) -> float:
    """Seconds of our index step for `units`: the static export and the whoosh index, from the documents."""
    total = 0.0
    for unit in units:
        docs = read_documents(out / unit)
        started = time.perf_counter()
        export_static(docs)
        build_index(docs, scratch / unit)
        total += time.perf_counter() - started
    return total


def folder_bytes(folder: Path, exclude: tuple[str, ...] = ()) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*")
               if p.is_file() and not any(p.name.endswith(e) or p.name == e for e in exclude))


class Browser:
    """Headless Chromium over two local servers: our output and the Pagefind copy."""

    def __init__(self, out: Path, copy: Path):
        from playwright.sync_api import sync_playwright

        executable = support.chromium_path()
        if executable is None:
            raise SystemExit("Chromium not found: apt-get install chromium")
        self._servers = [support.serve(out.resolve()), support.serve(copy)]
        self.ours_base, self.pf_base = (s.__enter__() for s in self._servers)
        self._pw = sync_playwright().start()
        self.browser = support.launch(self._pw, executable)

    def close(self) -> None:
        self.browser.close()
        self._pw.stop()
        for server in self._servers:
            server.__exit__(None, None, None)

    def _run(self, url: str, action, count) -> tuple[list[str], dict]:
        context = self.browser.new_context()
        page = context.new_page()
        fetched: list[tuple[str, bytes]] = []

        def on_response(response):
            with contextlib.suppress(Exception):  # a redirect or an aborted request has no body
                fetched.append((urlsplit(response.url).path, response.body()))

        page.on("response", on_response)
        try:
            page.goto(url)
            found = action(page)
            page.wait_for_load_state("networkidle")
        finally:
            context.close()
        chosen = [(p, b) for p, b in fetched if count(p) is not None]
        data = [b for p, b in chosen if count(p) == "index"]
        every = [b for _, b in chosen]
        return found, {"files": len(data), "bytes": sum(map(len, data)), "gzip": sum(len(gzip.compress(b)) for b in data),
                       "all_bytes": sum(map(len, every)), "all_gzip": sum(len(gzip.compress(b)) for b in every)}

    def ours(self, unit: str, query: str) -> tuple[list[str], dict]:
        def action(page):
            page.wait_for_function(
                "() => /Znaleziono|Brak wyników|niedostępna/.test(document.querySelector('#bip-search-status').textContent)")
            hrefs = page.eval_on_selector_all("#bip-search-results li a", "links => links.map(a => a.href)")
            return [urlsplit(h).path for h in hrefs[:10]]

        def count(path: str) -> str | None:
            if "/szukaj/indeks/" in path:
                return "index"
            return "code" if path.endswith(".js") else None

        found, fetched = self._run(f"{self.ours_base}{unit}/szukaj/?q={quote(query)}", action, count)
        return [relative(p, unit) for p in found], fetched

    def pagefind(self, unit: str, query: str) -> tuple[list[str], dict]:
        def action(page):
            return page.evaluate(PAGEFIND_SEARCH, query)

        def count(path: str) -> str | None:
            if "/pagefind/" not in path:
                return None
            return "code" if path.endswith(RUNTIME) else "index"

        found, fetched = self._run(f"{self.pf_base}{unit}/__pagefind.html", action, count)
        return [relative(p, unit) for p in found], fetched


def relative(path: str, unit: str) -> str:
    """A result's path inside its unit ('/u/uchwaly/x/' or '/uchwaly/x/' → 'uchwaly/x/')."""
    path = urlsplit(path).path.lstrip("/")
    path = path.removeprefix(unit + "/")
    return path.removesuffix("index.html")


def recall(browser: Browser, labelled: list[tuple[str, str, str]]) -> dict:
    rows, hits, ranks, fetched = [], {"ours": 0, "pagefind": 0}, {"ours": [], "pagefind": []}, {"ours": [], "pagefind": []}
    for unit, query, expected in labelled:
        row = [f"`{unit}`", f"„{query}”", f"`{expected}`"]
        for who in ("ours", "pagefind"):
            found, bytes_ = browser.ours(unit, query) if who == "ours" else browser.pagefind(unit, query)
            rank = found.index(expected) + 1 if expected in found else None
            hits[who] += rank is not None
            ranks[who].append(1 / rank if rank else 0.0)
            fetched[who].append(bytes_)
            row.append(str(rank) if rank else "–")
        rows.append(row)
    n = len(labelled)
    return {
        "queries": n,
        "recall_at_10": {k: v / n for k, v in hits.items()},
        "mrr": {k: sum(v) / n for k, v in ranks.items()},
        "fetched": fetched,
        "table": table(["unit", "query", "expected page", "rank ours", "rank Pagefind"], rows),
    }


def fetched_summary(samples: list[dict]) -> str:
    return (f"index data {med([s['bytes'] for s in samples]) / 1024:.1f} KiB "
            f"({med([s['gzip'] for s in samples]) / 1024:.1f} KiB gzipped) in {med([s['files'] for s in samples]):.0f} files; "
            f"with the search code {med([s['all_bytes'] for s in samples]) / 1024:.1f} KiB "
            f"({med([s['all_gzip'] for s in samples]) / 1024:.1f} KiB gzipped)")


def sample_content(work: Path) -> tuple[dict, list[str]]:
    out, copy = work / "sample" / "public", work / "sample" / "pagefind"
    log("building the sample content")
    run_bip_build(common.REPO, out)
    units = unit_ids(out)
    pages = sum(pagefind_copy(out, copy, u) for u in units)
    run_pagefind(copy, units)
    browser = Browser(out, copy)
    try:
        result = recall(browser, LABELLED)
    finally:
        browser.close()
    result["pages"] = pages
    md = [f"### Recall@10 on the sample content ({pages} indexed pages, {result['queries']} labelled queries)", "",
          f"Recall@10: ours **{result['recall_at_10']['ours']:.0%}**, Pagefind **{result['recall_at_10']['pagefind']:.0%}**; "
          f"MRR ours {result['mrr']['ours']:.2f}, Pagefind {result['mrr']['pagefind']:.2f}.", "",
          f"Bytes fetched per query (median): ours {fetched_summary(result['fetched']['ours'])}; "
          f"Pagefind {fetched_summary(result['fetched']['pagefind'])}.", "", result["table"], ""]
    return result, md


def whoosh_recall(index_root: Path, labelled: list[tuple[str, str, str]]) -> tuple[dict, list[str]]:
    """Recall@10 of `bip search --unit` (the whoosh indexes in .bip-cache/search/, made as `bip search` makes
    them from what the last build published) on `labelled`."""
    from bip.search.index import search
    from bip.search.shell_index import prepare

    prepare(index_root)
    hits, ranks, rows = 0, [], []
    for unit, query, expected in labelled:
        found = [r.url.removeprefix(unit + "/") for r in search(index_root / unit, query, limit=10)]
        rank = found.index(expected) + 1 if expected in found else None
        hits += rank is not None
        ranks.append(1 / rank if rank else 0.0)
        rows.append([f"`{unit}`", f"„{query}”", str(rank) if rank else "–"])
    n = len(labelled)
    result = {"queries": n, "recall_at_10": hits / n, "mrr": sum(ranks) / n}
    md = [f"### `bip search` recall@10 on the sample content ({n} labelled queries)", "",
          f"Recall@10 **{result['recall_at_10']:.0%}**, MRR {result['mrr']:.2f}.", "",
          table(["unit", "query", "rank"], rows), ""]
    return result, md


def demo_corpus(work: Path, units: int, pages: int, commits: int, runs: int) -> tuple[dict, list[str]]:
    corpus = common.make_corpus(units, pages, commits)
    out, copy = work / "demo" / "public", work / "demo" / "pagefind"
    log(f"building {corpus}")
    run_bip_build(corpus, out)
    ids = unit_ids(out)
    indexed = sum(pagefind_copy(out, copy, u) for u in ids)
    ours_s, pf_s = [], []
    for i in range(runs):
        log(f"index run {i + 1}/{runs}")
        scratch = Path(tempfile.mkdtemp(dir=work))
        for who in (("ours", "pf") if i % 2 == 0 else ("pf", "ours")):
            if who == "ours":
                ours_s.append(our_index(out, ids, scratch))
            else:
                pf_s.append(run_pagefind(copy, ids))
        shutil.rmtree(scratch)
    ours_bytes = sum(folder_bytes(out / u / "szukaj" / "indeks") for u in ids)
    pf_bytes = sum(folder_bytes(copy / u / "pagefind", exclude=("pagefind-ui.js", "pagefind-ui.css",
                                                                "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                                                                "pagefind-component-ui.js", "pagefind-component-ui.css",
                                                                "pagefind-highlight.js")) for u in ids)
    browser = Browser(out, copy)
    per_query = {"ours": [], "pagefind": []}
    try:
        for unit in ids[:3]:
            for query in DEMO_QUERIES:
                per_query["ours"].append(browser.ours(unit, query)[1])
                per_query["pagefind"].append(browser.pagefind(unit, query)[1])
    finally:
        browser.close()
    result = {"units": len(ids), "pages": indexed, "ours_seconds": ours_s, "pagefind_seconds": pf_s,
              "ours_bytes": ours_bytes, "pagefind_bytes": pf_bytes, "per_query": per_query}
    md = [f"### Index size and speed on `bip demo` ({len(ids)} units, {indexed} indexed pages, {runs} runs)", "",
          table(["", "ours (static export + whoosh)", "Pagefind (one run per unit)", "ratio ours/Pagefind"], [
              ["index build, s", spread(ours_s), spread(pf_s), f"{med(ours_s) / med(pf_s):.2f}"],
              ["index bytes per page (search code and UI excluded)", f"{ours_bytes / indexed:.0f}",
               f"{pf_bytes / indexed:.0f}", f"{ours_bytes / pf_bytes:.2f}"],
              ["index data fetched per query, KiB (median)",
               f"{med([s['bytes'] for s in per_query['ours']]) / 1024:.1f}",
               f"{med([s['bytes'] for s in per_query['pagefind']]) / 1024:.1f}",
               f"{med([s['bytes'] for s in per_query['ours']]) / med([s['bytes'] for s in per_query['pagefind']]):.2f}"],
              ["all fetched per query with the search code, KiB gzipped (median)",
               f"{med([s['all_gzip'] for s in per_query['ours']]) / 1024:.1f}",
               f"{med([s['all_gzip'] for s in per_query['pagefind']]) / 1024:.1f}",
               f"{med([s['all_gzip'] for s in per_query['ours']]) / med([s['all_gzip'] for s in per_query['pagefind']]):.2f}"],
          ]), "",
          f"Queries per unit on {', '.join(f'`{u}`' for u in ids[:3])}: {', '.join(f'„{q}”' for q in DEMO_QUERIES)}. "
          "Pagefind's time includes its process start and HTML parsing per unit; ours starts from the text the "
          "render step already extracted.", ""]
    return result, md


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=30)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--whoosh-only", metavar="PROJECT", type=Path,
                        help="only the recall of `bip search` over what PROJECT's last `bip build` published (build the sample first)")
    args = parser.parse_args()
    if args.whoosh_only:
        print("\n".join(whoosh_recall(args.whoosh_only / ".bip-cache" / "search", LABELLED)[1]))
        return
    work = Path(tempfile.mkdtemp(prefix="bip-search-compare-"))
    results: dict = {"facts": common.machine_facts()}
    md = ["Command: `python benchmarks/search_compare.py " + " ".join(sys.argv[1:]) + "`", ""]
    try:
        results["sample"], part = sample_content(work)
        md += part
        if not args.skip_demo:
            results["demo"], part = demo_corpus(work, args.units, args.pages, args.commits, args.runs)
            md += part
    finally:
        shutil.rmtree(work, ignore_errors=True)
    target = common.BENCH_DIR / "results"
    common.save_json(target / "search-compare.json", results)
    (target / "search-compare.md").write_text("\n".join(md))
    print("\n".join(md))


if __name__ == "__main__":
    main()
