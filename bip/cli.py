"""Command line: parses arguments, calls the pipeline, prints problems and picks exit codes.

The only module that prints or exits. Exit codes: 0 ok, 1 content errors, 2 usage error,
3 environment error (disk full, output not writable, busy port, unreadable folder) or an internal error in bip.
Every text, argparse's own included, is Polish (bip.argparse_pl).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import datetime as dt
import difflib
import errno
import itertools
import json
import os
import signal
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from slugify import slugify

from bip import __version__, argparse_pl
from bip.doctypes import DOCTYPES, type_name
from bip.problems import Problem, Problems, WarningBlock, encoded_rows, to_json, utf8

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_ENVIRONMENT = 0, 1, 2, 3
ROOT_HELP = ("folder projektu, w którym jest content/ (domyślnie: najbliższy folder z content/region.yaml, "
             "szukany od bieżącego w górę, albo główny folder repozytorium git)")


class Refused(Exception):
    """A command cannot run here (wrong place, unknown unit, busy port): exit code and a Polish sentence with the fix."""

    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" Czy chodziło o „{close[0]}”?" if close else ""


class Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", argparse_pl.HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # usage errors exit with 2 and a Polish hint
        self.print_usage(sys.stderr)
        print(f"bip: błąd użycia: {message}", file=sys.stderr)
        print(f"Pomoc: {self.prog} --help", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)

    def _check_value(self, action: argparse.Action, value: object) -> None:
        """A value outside the choices (a command, a format): which are allowed, and the closest one."""
        if action.choices is not None and value not in action.choices:
            choices = [str(c) for c in action.choices]
            what = "nieznane polecenie" if action.dest == "command" else "nieznana wartość"
            raise argparse.ArgumentError(
                action, f"{what} „{value}” (dozwolone: {', '.join(choices)}).{did_you_mean(str(value), choices)}")


def _now(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else value.astimezone()


def _iso_datetime(text: str) -> str:
    """--now as given, once it is known to be a date and time (the commands read it with _now)."""
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"„{text}” nie jest datą i godziną; podaj np. 2026-11-25T12:00:00+01:00") from None
    return text


def _shard(text: str) -> tuple[int, int]:
    try:
        k, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError("podaj K/N, np. 2/4") from None
    if not 1 <= k <= n:
        raise argparse.ArgumentTypeError("K musi być od 1 do N")
    return k, n


def _count(least: int):  # type: ignore[no-untyped-def]
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"„{text}” nie jest liczbą całkowitą") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"podaj liczbę nie mniejszą niż {least}")
        return value

    parse.__name__ = "liczba"
    return parse


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"„{text}” nie jest numerem portu; podaj liczbę, np. 8000") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("numer portu musi być od 0 do 65535 (0: dowolny wolny), np. 8000")
    return value


def _doctype(text: str) -> str:
    found = type_name(text)
    if found is None:
        known = sorted(DOCTYPES)
        raise argparse.ArgumentTypeError(
            f"nieznany rodzaj dokumentu „{text}” (dozwolone: {', '.join(known)}).{did_you_mean(slugify(text, lowercase=True), known)}")
    return found


def _root_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=None, metavar="FOLDER", help=ROOT_HELP)


def _common(parser: argparse.ArgumentParser) -> None:
    _root_option(parser)
    parser.add_argument("--now", type=_iso_datetime, metavar="DATA",
                        help="data i godzina budowy w zapisie ISO, np. 2026-11-25T12:00:00+01:00, do sprawdzania "
                             "publikacji z opóźnieniem i archiwum (domyślnie: teraz)")


def _ocr_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ocr", dest="ocr", action="store_true", default=None,
                        help="rozpoznawaj tekst skanów PDF programem tesseract (domyślnie: jak w ustawieniach "
                             "załączników w region.yaml, czyli zwykle nie)")
    parser.add_argument("--no-ocr", dest="ocr", action="store_false", default=None,
                        help="nie rozpoznawaj tekstu skanów, choć region.yaml tego chce")


def _apply_ocr(args: argparse.Namespace) -> None:
    """The command-line choice overrides region.yaml in this process and in the workers it starts."""
    if getattr(args, "ocr", None) is not None:
        from bip.attachments.ocr import SWITCH

        os.environ[SWITCH] = "1" if args.ocr else "0"


def make_parser() -> Parser:
    argparse_pl.install()
    parser = Parser(prog="bip", description="Generator serwisów Biuletynu Informacji Publicznej.",
                    epilog="Pomoc do polecenia: bip POLECENIE --help, np. bip new --help.")
    parser.add_argument("--version", action="version", version=f"bip {__version__}",
                        help="pokaż wersję programu i zakończ")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser, metavar="POLECENIE",
                                title="polecenia")

    build = sub.add_parser("build", help="zbuduj serwisy do public/", description="Buduje serwisy wszystkich podmiotów (albo wybranych) do public/.")
    _common(build)
    build.add_argument("--unit", action="append", default=[], metavar="ID",
                       help="buduj tylko ten podmiot (identyfikator = nazwa folderu w content/; można powtórzyć; domyślnie: wszystkie)")
    build.add_argument("--out", type=Path, default=None, metavar="FOLDER", help="folder wyjściowy (domyślnie: public/ w folderze projektu)")
    build.add_argument("--jobs", type=_count(0), default=0, metavar="N", help="liczba procesów (domyślnie: 0, czyli liczba rdzeni)")
    build.add_argument("--shard", type=_shard, metavar="K/N",
                       help="buduj K-tą z N stałych części podmiotów (CI), np. 2/4 (domyślnie: wszystkie podmioty)")
    build.add_argument("--report", type=Path, metavar="PLIK", help="zapisz raport JSON dla CI (domyślnie: bez raportu)")
    build.add_argument("--clean", action="store_true", help="usuń pamięć podręczną budowy (.bip-cache/) przed budową")
    build.add_argument("--strict", action="store_true", help="ostrzeżenia traktuj jak błędy")
    _ocr_options(build)
    build.add_argument("--allow-dirty", action="store_true", help="pozwól w CI na niezatwierdzone zmiany")
    build.add_argument("--allow-shallow", action="store_true", help="pozwól na płytkie repozytorium git")
    build.add_argument("--verbose", "-v", action="store_true", help="pokaż czasy etapów")
    build.add_argument("--debug", action="store_true", help="przy błędzie wewnętrznym pokaż jego pełny opis techniczny (ślad wywołań)")

    merge = sub.add_parser("merge", help="połącz wyniki zadań --shard w jeden serwis z portalem",
                           description="Łączy foldery wyjściowe zadań „bip build --shard K/N” w jeden serwis z portalem regionu.")
    _common(merge)
    merge.add_argument("sources", nargs="+", type=Path, metavar="FOLDER", help="foldery --out zadań „bip build --shard K/N”")
    merge.add_argument("--out", type=Path, required=True, metavar="FOLDER", help="folder wyjściowy (wymagany)")

    check = sub.add_parser("check", help="sprawdź treść, nic nie buduj",
                           description="Sprawdza wszystkie pliki w content/ i wypisuje wszystkie błędy i ostrzeżenia; niczego nie publikuje.")
    _common(check)
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="postać wyniku: text (dla ludzi) albo json (dla programów)")
    check.add_argument("--strict", action="store_true", help="ostrzeżenia traktuj jak błędy")
    _ocr_options(check)
    check.add_argument("--allow-shallow", action="store_true", help="pozwól na płytkie repozytorium git")
    check.add_argument("--debug", action="store_true", help="przy błędzie wewnętrznym pokaż jego pełny opis techniczny (ślad wywołań)")

    serve = sub.add_parser("serve", help="podgląd na żywo pod http://127.0.0.1:PORT",
                           description="Podgląd serwisu w przeglądarce na tym komputerze; po zapisaniu pliku strona odświeża się sama.")
    _root_option(serve)
    serve.add_argument("--unit", action="append", default=[], metavar="ID",
                       help="podgląd tylko tego podmiotu (można powtórzyć; domyślnie: wszystkie)")
    serve.add_argument("--port", type=_port, default=8000, metavar="PORT", help="numer portu")

    new = sub.add_parser("new", help="utwórz nową stronę z gotowym nagłówkiem",
                         description="Tworzy plik nowej strony we właściwym dziale. Numer, datę i organ odczytuje z tytułu; "
                                     "pozostałe wartości oznacza „UZUPEŁNIJ” — bip check zgłasza je, dopóki ich nie wpiszesz.",
                         epilog='Przykład: bip new uchwała --unit gmina-swidnica "Uchwała Nr V/42/2024 Rady Gminy Świdnica '
                                'z dnia 26 września 2024 r. w sprawie zmian w budżecie"')
    new.add_argument("type", type=_doctype, metavar="RODZAJ",
                     help="rodzaj dokumentu, z polskimi literami lub bez: " + ", ".join(sorted(DOCTYPES)))
    new.add_argument("title", metavar="TYTUŁ", help="pełny tytuł strony (w cudzysłowie)")
    new.add_argument("--unit", required=True, metavar="ID", help="identyfikator podmiotu: nazwa jego folderu w content/ (wymagany)")
    _root_option(new)

    search = sub.add_parser("search", help="przeszukaj zbudowane serwisy",
                            description="Szuka w serwisach zbudowanych ostatnio przez „bip build”, tak jak wyszukiwarka serwisu. Indeks podmiotu "
                                        "zmienionego od ostatniego wyszukiwania powstaje przy pierwszym pytaniu (.bip-cache/search/).",
                            epilog='Przykład: bip search "zmiany w budżecie" --type uchwała --year 2024')
    search.add_argument("query", nargs="*", metavar="SŁOWA", help="szukane słowa (np. w cudzysłowie)")
    search.add_argument("--unit", metavar="ID", help="szukaj tylko w tym podmiocie (domyślnie: w całym regionie)")
    search.add_argument("--type", type=_doctype, metavar="RODZAJ",
                        help="tylko dokumenty tego rodzaju, np. uchwała (domyślnie: wszystkie)")
    search.add_argument("--year", type=_count(1), metavar="ROK", help="tylko z tego roku (domyślnie: wszystkie lata)")
    search.add_argument("--limit", type=_count(1), default=20, metavar="N", help="najwięcej wyników")
    search.add_argument("--json", action="store_true", help="wynik w formacie JSON (dla programów)")
    _root_option(search)

    schema = sub.add_parser("schema", help="zapisz schematy JSON pól nagłówka, unit.yaml i region.yaml (dla edytorów)",
                            description="Zapisuje schematy JSON, dzięki którym edytor (np. VS Code) podpowiada i sprawdza pola.")
    schema.add_argument("--out", type=Path, default=Path("schemas"), metavar="FOLDER", help="folder na schematy")

    policy = sub.add_parser("policy", help="zasady publikacji: kto może zmieniać treść (podpisane commity)",
                            description="Zasady publikacji z region.yaml (policy, administrators) i unit.yaml (editors).")
    actions = policy.add_subparsers(dest="action", required=True, parser_class=Parser, metavar="CZYNNOŚĆ",
                                    title="czynności", help="co zrobić z zasadami")
    owners = actions.add_parser("codeowners", help="wypisz plik CODEOWNERS (GitHub, GitLab) z zasad",
                                description="Wypisuje plik CODEOWNERS: folder podmiotu należy do jego redaktorów "
                                            "i administratorów, reszta do administratorów.",
                                epilog="Przykład: bip policy codeowners --out .github/CODEOWNERS")
    _root_option(owners)
    owners.add_argument("--out", type=Path, default=None, metavar="PLIK",
                        help="zapisz do pliku (domyślnie: wypisz na ekran)")
    verify = actions.add_parser("check", help="sprawdź podpisy commitów w zakresie (np. w potoku scalania)",
                                description="Sprawdza, czy każdą zmianę w zakresie podpisała osoba uprawniona "
                                            "według zasad obowiązujących przed nią. Kod wyjścia 1, gdy któraś nie.",
                                epilog="Przykład: bip policy check origin/main..HEAD")
    verify.add_argument("range", nargs="?", default="HEAD", metavar="ZAKRES",
                        help="commity do sprawdzenia: OD..DO albo jeden commit z całą historią od policy.since "
                             "(domyślnie: HEAD)")
    _root_option(verify)

    demo = sub.add_parser("demo", help="utwórz przykładowy region (repozytorium git) do testów i pomiarów",
                          description="Tworzy w nowym folderze przykładowy region BIP z historią w gicie.")
    demo.add_argument("out", type=Path, metavar="FOLDER", help="nowy, pusty folder")
    demo.add_argument("--units", type=_count(1), default=30, metavar="N", help="liczba podmiotów")
    demo.add_argument("--pages", type=_count(1), default=200, metavar="N", help="liczba stron na podmiot")
    demo.add_argument("--commits", type=_count(1), default=None, metavar="N",
                      help="liczba commitów (domyślnie: max(podmioty×strony/10, 50))")
    demo.add_argument("--seed", type=int, default=1, metavar="N", help="ziarno losowania (ten sam = ten sam korpus)")
    demo.add_argument("--signed", action="store_true",
                      help="dodaj zasady publikacji z wymaganymi podpisami i podpisane kluczami SSH commity redaktorów "
                           "(klucze w .git/bip-demo-keys/)")
    return parser


def project_root(given: Path | None) -> Path:
    """The project's folder: --root as given, else found from the current folder upwards (bip.project)."""
    from bip.project import find_root

    root = given.resolve() if given is not None else find_root(Path.cwd())
    fix = "Przejdź do folderu repozytorium BIP (tego, w którym jest folder content/) albo podaj go w --root."
    if root is None:
        raise Refused(EXIT_USAGE, f"Nie znaleziono projektu BIP: ani {Path.cwd()}, ani żaden folder nad nim nie "
                                  f"zawiera content/region.yaml i nie jest repozytorium git. {fix}")
    content = root / "content"
    if not content.is_dir():
        where = f"W folderze {root}" + (" (--root)" if given is not None else "")
        raise Refused(EXIT_USAGE, f"{where} nie ma folderu content/. {fix}")
    try:
        os.scandir(content).close()
    except OSError as exc:
        raise Refused(EXIT_ENVIRONMENT, unreadable(exc)) from None
    return root


def unreadable(exc: OSError) -> str:
    reason = "brak uprawnień" if exc.errno in (errno.EACCES, errno.EPERM) else (exc.strerror or str(exc))
    return (f"Nie można odczytać {exc.filename or 'pliku'}: {reason}. Sprawdź uprawnienia (ls -ld {exc.filename or '.'}) "
            "albo uruchom polecenie jako użytkownik, do którego należy repozytorium.")


def check_units(root: Path, wanted: Sequence[str]) -> None:
    """Every unit asked for is a folder in content/; else say which, and the closest existing one."""
    from bip.project import unit_ids

    known = unit_ids(root)
    for unit in wanted:
        if unit not in known:
            raise Refused(EXIT_USAGE, f"Nie ma podmiotu „{unit}” (brak folderu content/{unit}/).{did_you_mean(unit, known)} "
                                      "Identyfikator podmiotu to nazwa jego folderu w content/.")


WRITE_ERRORS = {
    errno.ENOSPC: "brak miejsca na dysku",
    errno.EDQUOT: "przekroczony limit miejsca na dysku",
    errno.EROFS: "system plików jest tylko do odczytu",
    errno.EACCES: "brak uprawnień do zapisu",
    errno.EPERM: "brak uprawnień do zapisu",
}


def write_error(exc: OSError) -> int:
    """The environment failed (not the content): say what in Polish; the live site is untouched."""
    reason = WRITE_ERRORS.get(exc.errno or 0, exc.strerror or str(exc))
    print(f"bip: błąd zapisu: {reason} ({exc.filename}). Poprzednia wersja serwisu pozostała bez zmian.",
          file=sys.stderr)
    return EXIT_ENVIRONMENT


# A build of a whole region may warn of tens of thousands of things (every untagged PDF of 300 units):
# past this many warnings, `bip build` shows these first and counts the rest per unit (-v shows all).
WARNINGS_SHOWN = 200


def print_problems(problems: Problems, stream=None, debug: bool = False, limit: int | None = None) -> None:
    """Every error and the first `limit` warnings (all of them if None) in order; the rest counted per unit.
    The warnings of unchanged units come in blocks: past the limit, a block is only counted."""
    stream = stream or sys.stderr
    from bip.job import unit_label

    shown = errors = 0
    hidden: Counter[str] = Counter()
    for run in problems.runs():
        if type(run) is WarningBlock:
            if limit is not None and shown >= limit:
                hidden.update(run.per_unit())
                continue
            found: Iterable[Problem] = run.problems()
        else:
            found = (run,)
        for problem in found:
            if problem.severity != "warning":
                errors += 1
            elif limit is None or shown < limit:
                shown += 1
            else:
                hidden[unit_label(problem.file)] += 1
                continue
            print(problem.format(debug), file=stream)
    if hidden:
        print(f"\n… i {hidden.total()} dalszych ostrzeżeń (wszystkie: bip build -v, bip check albo --report PLIK):",
              file=stream)
        for unit, count in sorted(hidden.items()):
            print(f"  {unit}: {count}", file=stream)
    if errors or shown or hidden:
        print(f"\nBłędów: {errors}, ostrzeżeń: {shown + hidden.total()}.", file=stream)


def report_json(report: dict[str, Any]) -> Iterator[bytes]:
    """The build report as JSON in UTF-8, indented, with each unit and problem on a line of its own, in
    pieces to be written one after another: json indents only in Python, and one string of a region's tens
    of thousands of warnings (tens of megabytes) would be copied whole at every join, which took most of a
    no-change build. The warnings of unchanged units come from their memo encoded already (WarningBlock)."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    yield b"{\n"
    for number, (key, value) in enumerate(report.items()):
        yield utf8(f",\n  {encode(key)}: " if number else f"  {encode(key)}: ")
        if isinstance(value, Problems) or (isinstance(value, list) and value):
            started = False
            for row in _report_rows(value, encode):
                yield (b",\n    " if started else b"[\n    ") + row
                started = True
            yield b"\n  ]" if started else b"[]"
        else:
            yield utf8(json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  "))
    yield b"\n}\n"


def _report_rows(value: Problems | list[Any], encode: Callable[[Any], str]) -> Iterator[bytes]:
    """The rows of a list in the report: problems (loose ones in runs, so that each repeated text is encoded
    once per run; a block's rows as its memo keeps them) or anything else, each encoded alone."""
    if isinstance(value, list) and not all(type(item) is Problem for item in value):
        for item in value:
            yield utf8(encode(item))
        return
    runs = value.runs() if isinstance(value, Problems) else iter(value)
    for is_block, group in itertools.groupby(runs, key=lambda run: type(run) is WarningBlock):
        if is_block:
            for block in group:
                yield block.encoded
        else:
            yield encoded_rows(group)


def _exit_for(problems: Problems, strict: bool) -> int:
    if problems.has_internal():
        return EXIT_ENVIRONMENT  # bip itself failed somewhere (the other units are published)
    if problems.has_errors() or (strict and problems.strict_failures):
        return EXIT_CONTENT
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    _apply_ocr(args)
    from bip import fault
    from bip.build import Options, check, open_history
    from bip.render.site import UnitSite
    from bip.unit_pipeline import prepare_unit

    options = Options(root=args.root.resolve(), out=Path("public"), now=_now(args.now),
                      allow_shallow=args.allow_shallow)
    problems, region = check(options)
    if region is not None and not any(p.file in ("content", "content/region.yaml") for p in problems.errors):
        history, _ = open_history(options, problems)
        from bip.job import CACHE_DIR
        from bip.policy.enforce import check_build
        from bip.policy.in_force import in_force

        cache = options.root / CACHE_DIR / "policy"
        policy, lowering = in_force(options.root, region.data, history, cache)
        check_build(options.root, policy, lowering, history, cache, problems)  # the publishing policy, when in force
        now = options.now or dt.datetime.now(dt.UTC).astimezone()
        for unit_id in sorted(region.units):
            unit = region.units[unit_id]
            fault.reset()
            try:  # each unit is the fault boundary here too
                prepare_unit(unit, history, now, problems, options.root)
                problems.extend(UnitSite(options.root, region, unit, now).check_links().items)
            except BaseException as exc:
                if fault.fatal(exc):
                    raise
                problems.add(fault.unit_failure(unit.source, exc, step="sprawdzanie"))
    if args.format == "json":
        print(to_json(problems.items, args.debug))
    else:
        print_problems(problems, sys.stdout, args.debug)
        if not problems.items:
            print("Nie znaleziono problemów.")
    return _exit_for(problems, args.strict)


def cmd_build(args: argparse.Namespace) -> int:
    _apply_ocr(args)
    from bip.build import Options, build

    root = args.root.resolve()
    out = Path(os.path.abspath(args.out or root / "public"))  # not resolve(): the output is a symlink
    if args.clean:
        import shutil

        shutil.rmtree(root / ".bip-cache", ignore_errors=True)
    options = Options(
        root=root, out=out, units=args.unit, jobs=args.jobs, now=_now(args.now), allow_dirty=args.allow_dirty,
        allow_shallow=args.allow_shallow, strict=args.strict, shard=args.shard, ci=os.environ.get("CI", "").lower() in ("1", "true", "yes"),
    )
    started = time.perf_counter()
    bar = None
    progress = None
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=0, unit=" podm.", desc="Budowanie", file=sys.stderr, leave=False)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

    try:
        result = build(options, progress)
    except OSError as exc:
        return write_error(exc)
    finally:
        if bar is not None:
            bar.close()
    seconds = time.perf_counter() - started
    print_problems(result.problems, debug=args.debug, limit=None if args.verbose else WARNINGS_SHOWN)
    count = {status: sum(1 for u in result.units if u.status == status)
             for status in ("built", "unchanged", "skipped", "failed")}
    print(
        f"Podmioty: zbudowane: {count['built']}, bez zmian: {count['unchanged']}, pominięte: {count['skipped']}, "
        f"z błędami: {count['failed']}; wyrenderowane strony: {sum(u.rendered for u in result.units)}, "
        f"przeniesione bez zmian: {sum(u.reused for u in result.units)}; "
        f"{'opublikowano nową wersję' if result.published else 'serwis bez zmian'}; czas: {seconds:.1f} s.",
        file=sys.stderr,
    )
    if args.verbose:
        for stage, took in result.stages.items():
            print(f"  {stage:<12} {took:8.3f} s", file=sys.stderr)
    if args.report:
        report = {
            "ok": not result.failed,
            "published": result.published,
            "seconds": round(seconds, 3),
            "stages": result.stages,
            "units": [u.__dict__ for u in result.units],
            "problems": result.problems,
        }
        with open(args.report, "wb") as out:
            out.writelines(report_json(report))
    return _exit_for(result.problems, args.strict)


def cmd_merge(args: argparse.Namespace) -> int:
    from bip.build import merge

    now = _now(args.now) or dt.datetime.now(dt.UTC).astimezone()
    out = Path(os.path.abspath(args.out))
    try:
        result = merge(args.root.resolve(), [Path(os.path.abspath(s)) for s in args.sources], out, now)
    except OSError as exc:
        return write_error(exc)
    print_problems(result.problems)
    print(f"Połączono podmiotów: {len(result.units)}; "
          f"{'opublikowano nową wersję' if result.published else 'serwis bez zmian'}.", file=sys.stderr)
    return _exit_for(result.problems, False)


def cmd_schema(args: argparse.Namespace) -> int:
    from bip.doctypes import schema

    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in schema.generated().items():
        path = args.out / schema.SCHEMA_FILES[name]
        path.write_text(schema.dumps(data), encoding="utf-8")
        print(path)
    return EXIT_OK


def _shown(path: Path) -> str:
    """A path as the editor can type it from where they are."""
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def cmd_new(args: argparse.Namespace) -> int:
    from bip.doctypes import PLACEHOLDER
    from bip.scaffold import new_page

    try:
        made = new_page(args.root, args.type, args.unit, args.title, dt.date.today())
    except FileExistsError as exc:
        print(f"bip: plik {_shown(Path(exc.filename))} już istnieje; nie nadpisuję go. Zmień tytuł albo edytuj ten plik.",
              file=sys.stderr)
        return EXIT_USAGE
    except FileNotFoundError:
        print(f"bip: podmiot „{args.unit}” nie ma pliku content/{args.unit}/unit.yaml. Utwórz go (zob. README) "
              "albo podaj inny --unit.", file=sys.stderr)
        return EXIT_USAGE
    shown = _shown(made.path)
    print(shown)
    labels = {"number": "numer", "adopted": "data", "date": "data", "submitted": "data", "reference": "znak sprawy",
              "year": "rok", "author": "wytworzył"}
    lines = [f"Utworzono stronę {shown}."]
    if made.read:
        lines.append("Z tytułu odczytano: " + ", ".join(f"{labels.get(k, k)}: {v}" for k, v in made.read.items()) + ".")
    if made.new_section:
        lines.append(f"To nowy dział: dodaj w folderze {_shown(made.path.parent)} plik index.md z tytułem działu.")
    fill = f" (pola: {', '.join(made.unfilled)})" if made.unfilled else ""
    lines += [
        "Co dalej:",
        f"  1. Otwórz plik i wpisz prawdziwe wartości w miejsce „{PLACEHOLDER}”{fill} oraz treść dokumentu.",
        "  2. Załącznik (np. PDF) połóż obok pliku i wpisz go w polu attachments (przykład jest w nagłówku).",
        "  3. Sprawdź: bip check (dopóki zostało „UZUPEŁNIJ”, strona ma błędy i nie zostanie opublikowana).",
        f"  4. Obejrzyj: bip serve --unit {args.unit}",
        f'  5. Zapisz w gicie: git add {shown} && git commit -m "Dodano: {args.title}"',
    ]
    print("\n".join(lines), file=sys.stderr)
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    from bip.job import search_cache
    from bip.search.command import public_bases, run
    from bip.search.shell_index import prepare

    query = " ".join(args.query)
    if args.unit is not None:
        check_units(args.root, [args.unit])
    index_root = search_cache(args.root)
    prepare(index_root, args.unit)  # the indexes of units published since the last search are made now
    code, text = run(index_root, query, args.unit, args.type, args.json, args.year, args.limit,
                     bases=public_bases(args.root))
    if code != EXIT_OK:
        print(f"bip: {text}", file=sys.stderr)
        return code
    print(text, end="")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from bip.serve import serve

    def report(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    try:
        server, stop = serve(args.root, args.port, args.unit, report)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise Refused(EXIT_ENVIRONMENT, f"Port {args.port} jest zajęty (może działa już inny podgląd bip serve). "
                                            f"Zamknij go albo podaj inny port, np. bip serve --port {args.port + 1 if args.port < 65535 else 8001}.") from None
        if exc.errno in (errno.EACCES, errno.EPERM) and exc.filename is None:
            raise Refused(EXIT_ENVIRONMENT, f"Brak uprawnień do portu {args.port} (porty poniżej 1024 są zastrzeżone). "
                                            "Podaj inny, np. bip serve --port 8000.") from None
        raise
    first = f"{args.unit[0]}/" if args.unit else ""
    print(f"Podgląd: http://127.0.0.1:{server.server_address[1]}/{first} (Ctrl+C kończy)", file=sys.stderr, flush=True)

    def terminate(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # a service manager's stop (SIGTERM) ends the preview as Ctrl+C does

    signal.signal(signal.SIGTERM, terminate)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop()
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    """`bip demo OUT --units N --pages P [--commits C] [--seed S]`: a one-line summary in Polish."""
    from bip.demo import generate

    try:
        summary = generate(args.out, args.units, args.pages, args.commits, args.seed)
    except FileExistsError:
        print(f"bip: folder {args.out} istnieje i nie jest pusty; podaj nowy folder.", file=sys.stderr)
        return EXIT_USAGE
    print(f"Utworzono korpus demonstracyjny w {args.out}: podmiotów {summary.units}, stron {summary.pages}, "
          f"załączników {summary.attachments}, commitów {summary.commits}; czas {summary.seconds:.1f} s.")
    if args.signed:
        from bip.demo.signed import sign_demo

        print(f"Dodano zasady publikacji i podpisanych commitów: {sign_demo(args.out)}.")
    return EXIT_OK


def cmd_policy(args: argparse.Namespace) -> int:
    from bip.policy.commands import check_range, region_codeowners
    from bip.policy.errors import PolicyError

    if args.action == "codeowners":
        text, problems = region_codeowners(args.root)
        if text is None:
            for problem in problems.sorted():
                print(problem.format(), file=sys.stderr)
            return 1
        if args.out is None:
            sys.stdout.write(text)
        else:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(text, encoding="utf-8")
            print(f"Zapisano {args.out}.")
        return 0
    try:
        checked = check_range(args.root, args.range)
    except PolicyError as exc:
        print(f"bip: {exc.message} {exc.hint}", file=sys.stderr)
        return 2
    refused = 0
    for commit in checked:
        print(f"{commit.commit[:12]} {commit.author} <{commit.email}>: {commit.status} — {commit.state}")
        refused += bool(commit.needs)
        for who, paths in commit.needs:
            print(f"    wymaga podpisu: {who}; pliki: {', '.join(paths)}")
    print(f"\nSprawdzono commitów: {len(checked)}, bez uprawnień: {refused}.")
    return 1 if refused else 0


COMMANDS = {"build": cmd_build, "merge": cmd_merge, "serve": cmd_serve, "check": cmd_check, "new": cmd_new,
            "search": cmd_search, "schema": cmd_schema, "demo": cmd_demo, "policy": cmd_policy}
IN_PROJECT = {"build", "merge", "serve", "check", "new", "search", "policy"}  # commands that read content/


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        if args.command in IN_PROJECT:
            args.root = project_root(args.root)
            wanted = getattr(args, "unit", None)
            if args.command != "search" and wanted:
                check_units(args.root, wanted if isinstance(wanted, list) else [wanted])
        return COMMANDS[args.command](args)
    except Refused as refusal:
        print(f"bip: {refusal}", file=sys.stderr)
        return refusal.code
    except KeyboardInterrupt:
        print("bip: przerwano.", file=sys.stderr)
        return 130
    except PermissionError as exc:  # the machine's permissions, not the content
        print(f"bip: {unreadable(exc)}", file=sys.stderr)
        return EXIT_ENVIRONMENT
    except Exception:  # a bug in bip, not a content mistake: say so, with what is needed to report it
        print("bip: błąd wewnętrzny programu (to nie jest błąd w treści). Prosimy o zgłoszenie z poniższym opisem:",
              file=sys.stderr)
        traceback.print_exc()
        return EXIT_ENVIRONMENT


def run() -> NoReturn:
    """The command as a process (`bip`, `python -m bip`): main(), then an end without the interpreter's teardown.

    Freeing every object of a build one by one at exit took about a tenth of a second of each command, more
    than a no-change build's own work (benchmarks/RESULTS.md). What must happen at exit still does: the
    threads are joined, the exit handlers run (the attachment readers and the forked workers are waited
    for), the output streams are flushed. Files are written and closed within the command, never left to
    the teardown."""
    code = main()
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)  # CPython's; elsewhere the usual exit
    if run_exit_handlers is None:
        raise SystemExit(code)
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()
    run_exit_handlers()
    try:
        sys.stdout.flush()
    except (OSError, ValueError):  # a closed pipe or stream
        code = code or 120  # what the interpreter's own exit gives when it cannot flush the output
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)


__all__ = ["main", "run", "Problem"]
