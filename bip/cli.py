"""Command line: parses arguments, calls the pipeline, prints problems and picks exit codes.

The only module that prints or exits. Exit codes: 0 ok, 1 content errors, 2 usage error,
3 environment error (disk full, output not writable) or an internal error in bip.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import json
import os
import signal
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from bip import __version__
from bip.doctypes import DOCTYPES
from bip.problems import Problem, Problems, to_json

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_ENVIRONMENT = 0, 1, 2, 3


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit with 2 and a Polish hint
        self.print_usage(sys.stderr)
        print(f"bip: błąd użycia: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _now(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else value.astimezone()


def _shard(text: str) -> tuple[int, int]:
    try:
        k, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError("podaj K/N, np. 2/4") from None
    if not 1 <= k <= n:
        raise argparse.ArgumentTypeError("K musi być od 1 do N")
    return k, n


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=Path("."), help="folder projektu (z content/)")
    parser.add_argument("--now", help="data i godzina budowy (ISO), do testów embarga i archiwum")


def make_parser() -> Parser:
    parser = Parser(prog="bip", description="Generator serwisów Biuletynu Informacji Publicznej.")
    parser.add_argument("--version", action="version", version=f"bip {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    build = sub.add_parser("build", help="zbuduj serwisy do public/")
    _common(build)
    build.add_argument("--unit", action="append", default=[], help="buduj tylko ten podmiot (można powtórzyć)")
    build.add_argument("--out", type=Path, default=None, help="folder wyjściowy (domyślnie public/)")
    build.add_argument("--jobs", type=int, default=0, help="liczba procesów (domyślnie: liczba rdzeni)")
    build.add_argument("--shard", type=_shard, help="buduj K-tą z N stałych części podmiotów (CI), np. 2/4")
    build.add_argument("--report", type=Path, help="zapisz raport JSON dla CI")
    build.add_argument("--clean", action="store_true", help="usuń pamięć podręczną budowy przed budową")
    build.add_argument("--strict", action="store_true", help="ostrzeżenia traktuj jak błędy")
    build.add_argument("--allow-dirty", action="store_true", help="pozwól w CI na niezatwierdzone zmiany")
    build.add_argument("--allow-shallow", action="store_true", help="pozwól na płytkie repozytorium git")
    build.add_argument("--verbose", "-v", action="store_true", help="pokaż czasy etapów")

    merge = sub.add_parser("merge", help="połącz wyniki zadań --shard w jeden serwis z portalem")
    _common(merge)
    merge.add_argument("sources", nargs="+", type=Path, help="foldery --out zadań `bip build --shard K/N`")
    merge.add_argument("--out", type=Path, required=True, help="folder wyjściowy")

    check = sub.add_parser("check", help="sprawdź treść, nic nie buduj")
    _common(check)
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--strict", action="store_true", help="ostrzeżenia traktuj jak błędy")
    check.add_argument("--allow-shallow", action="store_true", help="pozwól na płytkie repozytorium git")

    serve = sub.add_parser("serve", help="podgląd na żywo pod http://127.0.0.1:PORT")
    serve.add_argument("--root", type=Path, default=Path("."))
    serve.add_argument("--unit", action="append", default=[], help="podgląd tylko tego podmiotu")
    serve.add_argument("--port", type=int, default=8000)

    new = sub.add_parser("new", help="utwórz nową stronę z właściwymi metadanymi")
    new.add_argument("type", choices=sorted(DOCTYPES), help="rodzaj dokumentu")
    new.add_argument("title", help="tytuł strony")
    new.add_argument("--unit", required=True, help="identyfikator podmiotu (nazwa folderu w content/)")
    new.add_argument("--root", type=Path, default=Path("."))

    schema = sub.add_parser("schema", help="zapisz schematy JSON metadanych (dla edytorów)")
    schema.add_argument("--out", type=Path, default=Path("schemas"))

    demo = sub.add_parser("demo", help="utwórz przykładowy region (repozytorium git) do testów i pomiarów")
    demo.add_argument("out", type=Path, help="nowy, pusty folder")
    demo.add_argument("--units", type=int, default=30, help="liczba podmiotów")
    demo.add_argument("--pages", type=int, default=200, help="liczba stron na podmiot")
    demo.add_argument("--commits", type=int, default=None, help="liczba commitów (domyślnie max(podmioty×strony/10, 50))")
    demo.add_argument("--seed", type=int, default=1, help="ziarno losowania (ten sam = ten sam korpus)")
    return parser


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


def print_problems(problems: Problems, stream=None) -> None:
    stream = stream or sys.stderr
    for problem in problems.sorted():
        print(problem.format(), file=stream)
    errors, warnings = len(problems.errors), len(problems.warnings)
    if errors or warnings:
        print(f"\nBłędów: {errors}, ostrzeżeń: {warnings}.", file=stream)


def _exit_for(problems: Problems, strict: bool) -> int:
    if problems.has_errors() or (strict and problems.warnings):
        return EXIT_CONTENT
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from bip.build import Options, check, open_history
    from bip.render.site import UnitSite
    from bip.render.unit import prepare_unit

    options = Options(root=args.root.resolve(), out=Path("public"), now=_now(args.now),
                      allow_shallow=args.allow_shallow)
    problems, region = check(options)
    if region is not None and not any(p.file in ("content", "content/region.yaml") for p in problems.errors):
        history, _ = open_history(options, problems)
        now = options.now or dt.datetime.now(dt.UTC).astimezone()
        for unit_id in sorted(region.units):
            unit = region.units[unit_id]
            prepare_unit(unit, history, now, problems)
            problems.extend(UnitSite(options.root, region, unit, now).check_links().items)
    if args.format == "json":
        print(to_json(problems.items))
    else:
        print_problems(problems, sys.stdout)
        if not problems.items:
            print("Nie znaleziono problemów.")
    return _exit_for(problems, args.strict)


def cmd_build(args: argparse.Namespace) -> int:
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
    print_problems(result.problems)
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
            "problems": [p.__dict__ for p in result.problems.sorted()],
        }
        args.report.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
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


def cmd_new(args: argparse.Namespace) -> int:
    from bip.scaffold import new_page

    try:
        path = new_page(args.root, args.type, args.unit, args.title, dt.date.today())
    except FileExistsError as exc:
        print(f"bip: plik {exc.filename} już istnieje; nie nadpisuję go. Zmień tytuł albo edytuj ten plik.",
              file=sys.stderr)
        return EXIT_USAGE
    except FileNotFoundError:
        print(f"bip: nie ma podmiotu „{args.unit}” (brak content/{args.unit}/unit.yaml).", file=sys.stderr)
        return EXIT_USAGE
    print(path)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from bip.serve import serve

    def report(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    server, stop = serve(args.root.resolve(), args.port, args.unit, report)
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
    from bip.demo import run

    return run(args)


COMMANDS = {"build": cmd_build, "merge": cmd_merge, "serve": cmd_serve, "check": cmd_check, "new": cmd_new, "schema": cmd_schema,
            "demo": cmd_demo}


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("bip: przerwano.", file=sys.stderr)
        return 130
    except Exception:  # a bug in bip, not a content mistake: say so, with what is needed to report it
        print("bip: błąd wewnętrzny programu (to nie jest błąd w treści). Prosimy o zgłoszenie z poniższym opisem:",
              file=sys.stderr)
        traceback.print_exc()
        return EXIT_ENVIRONMENT


__all__ = ["main", "Problem"]
