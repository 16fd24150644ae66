"""Safe YAML with line numbers: the C loader when present, no implicit timestamps, no alias bombs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from bip.load.remembered import recall

try:  # the C loader is several times faster; the pure-Python one behaves the same
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

# A front matter or unit.yaml file is small; this bounds what aliases may expand to.
MAX_NODES = 20_000
# Data nested deeper than this is refused (real metadata nests 3 or 4 levels); every step after parsing
# (schemas, digests, templates) may then walk it recursively.
MAX_DEPTH = 50
# libyaml composes flow collections ([…], {…}) recursively in C: some 50,000 nested brackets overflow the
# stack and kill the process. No real metadata has this many brackets; a text that does is not parsed.
MAX_BRACKETS = 10_000

Path_ = tuple[str | int, ...]


class BipLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader that keeps dates as text so that we can check them ourselves with a located message."""


BipLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


@dataclass
class YamlError:
    line: int  # 1-based, relative to the YAML text
    message: str
    hint: str


@dataclass
class YamlDoc:
    data: Any
    lines: dict[Path_, int]  # key path → 1-based line (relative to the YAML text)
    duplicates: list[tuple[Path_, int]] = field(default_factory=list)  # repeated keys and their lines


_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"


def _walk_lines(
    node: yaml.Node, path: Path_, lines: dict[Path_, int], budget: list[int], dups: list[tuple[Path_, int]],
) -> None:
    """Record the line of every key; bound what aliases expand to and how deep the data nests; refuse
    aliases that contain themselves. Iterative: the depth of the input never becomes the depth of a call.

    Plain keys are read as text (`1:` or `null:` is the key "1" or "null"), so that every key can be
    named in a message and compared with the known ones.
    """
    open_nodes: set[int] = set()
    # (node, its path) to enter, or (node, None) to leave once its children are done
    stack: list[tuple[yaml.Node, Path_ | None]] = [(node, path)]
    while stack:
        node, at = stack.pop()
        if at is None:
            open_nodes.discard(id(node))
            continue
        budget[0] -= 1
        if budget[0] < 0:
            raise _TooBig(at)
        if len(at) > MAX_DEPTH:
            raise _TooDeep(at)
        if id(node) in open_nodes:
            raise _Recursive(at)
        children: list[tuple[yaml.Node, Path_]] = []
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag != _MERGE:
                    key_node.tag = _STR
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark.line)
                child = (*at, key)
                if child in lines:
                    dups.append((child, key_node.start_mark.line + 1))
                lines.setdefault(child, key_node.start_mark.line + 1)
                children.append((value_node, child))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                child = (*at, index)
                lines.setdefault(child, item.start_mark.line + 1)
                children.append((item, child))
        else:
            continue
        open_nodes.add(id(node))
        stack.append((node, None))
        stack.extend(reversed(children))


class _TooBig(Exception):
    """Aliases expand beyond MAX_NODES; args[0] is the key path being expanded."""


class _TooDeep(Exception):
    """The data nests deeper than MAX_DEPTH; args[0] is the key path where that happens."""


class _Recursive(Exception):
    """An alias refers to a node that contains it; args[0] is the key path where that happens."""


# libyaml's problem texts (start) → the Polish name of the mistake, the one hint for it, and whether the line
# where the construct starts is the one to show
_QUOTE = "Cytat wewnątrz tekstu zapisz polskimi cudzysłowami „…” (zwykły \" kończy tekst) albo ujmij cały tekst w apostrofy '…'."
_INDENT = "Pola tego samego poziomu zaczynaj w tej samej kolumnie; wcinaj spacjami (po 2 na poziom), nie tabulatorem."
_TAB = "Zamień tabulatory na spacje (wcięcie to 2 spacje na poziom); w edytorze włącz wcinanie spacjami."
_QUOTE_VALUE = "Ujmij całą wartość w cudzysłów: \"…\"."
_PROBLEMS_PL: tuple[tuple[str, str, str, bool], ...] = (
    ("mapping values are not allowed", "dwukropek ze spacją wewnątrz wartości",
     "Tekst zawierający dwukropek ze spacją („: ”) ujmij w cudzysłów, np. title: \"Uchwała: w sprawie …\"; "
     "sprawdź też, czy wiersz wyżej ma dwukropek po nazwie pola.", False),
    ("did not find expected ',' or ']'", "niezamknięty nawias „[”", _QUOTE_VALUE, True),
    ("did not find expected ',' or '}'", "niezamknięty nawias „{”", _QUOTE_VALUE, True),
    ("found character that cannot start any token", "wartość zaczyna się od niedozwolonego znaku (np. „@”, „`”, „%”)",
     _QUOTE_VALUE, False),
    ("found a tab character", "tabulator we wcięciu", _TAB, False),
    ("found unexpected end of stream", "niezamknięty cudzysłów",
     "Dopisz cudzysłów zamykający na końcu tekstu (tym samym znakiem, którym tekst się zaczyna).", True),
    ("found undefined alias", "wartość zaczyna się od „*”, co w YAML oznacza odwołanie (alias)", _QUOTE_VALUE, False),
    ("could not find expected ':'", "brak dwukropka po nazwie pola", "Po nazwie pola wpisz dwukropek i spację, np. title: Tytuł.", True),
    ("did not find expected '-' indicator", "nieprawidłowe wcięcie listy",
     "Każdy element listy zaczynaj od „- ”, a jego dalsze pola (np. title pod file) wyrównaj z pierwszym polem po „- ”.", False),
    ("did not find expected key", "nieprawidłowe wcięcie", _INDENT, False),
    ("block sequence entries are not allowed", "myślnik „- ” na początku wartości",
     "Tekst zaczynający się od myślnika ujmij w cudzysłów; listę zapisuj od następnego wiersza.", False),
    ("found unhashable key", "nazwa pola nie może być listą ani zestawem pól", _INDENT, False),
    ("but found another document", "drugi blok „---” w pliku", "Usuń dodatkową linię „---”: nagłówek ma tylko jedną parę.", False),
    ("second occurrence", "ta sama kotwica (&) użyta drugi raz", "Nie używaj kotwic i aliasów (& i *); wpisz wartości wprost.", False),
)
_SYNTAX_HINT = "Sprawdź wcięcia (spacje, nie tabulatory), dwukropek po nazwie pola i cudzysłowy wokół tekstu z „: ” lub „#”."


def _polish_problem(problem: str, text: str = "", line: int = -1, column: int = -1) -> tuple[str, str, bool]:
    """The mistake libyaml found, named in Polish with its hint. Where libyaml names two mistakes alike,
    the text at the place tells them apart: a tab, or a quote that ended a quoted value too early."""
    rows = text.split("\n")
    here = rows[line] if 0 <= line < len(rows) else ""
    indent = here[: len(here) - len(here.lstrip(" \t"))]
    if problem.startswith(("found character that cannot start", "found a tab")) and (
            "\t" in indent or here[column:column + 1] == "\t"):
        return "tabulator we wcięciu", _TAB, False
    if problem.startswith(("did not find expected key", "expected <block end>")) and here[:column].rstrip().endswith(('"', "'")):
        return "cudzysłów wewnątrz tekstu ujętego w cudzysłów", _QUOTE, False
    for start, polish, hint, at_start in _PROBLEMS_PL:
        if problem.startswith(start):
            return polish, hint, at_start
    return problem, _SYNTAX_HINT, False


def _top_line(lines: dict[Path_, int], path: Path_) -> int:
    """Line of the top-level key whose value holds `path` (where an editor can see the problem)."""
    return lines.get(path[:1], 1) if path else 1


def parse_yaml(text: str) -> YamlDoc | YamlError:
    """Parse one YAML document; never raises for bad input. Inside `remembering`, a text parsed before
    is not parsed again."""
    return recall("yaml", lambda: text.encode("utf-8", "surrogatepass"), lambda: _parse(text),
                  lambda doc: (doc.data, doc.lines, doc.duplicates) if isinstance(doc, YamlDoc) else None,
                  lambda known: YamlDoc(*known))


def _parse(text: str) -> YamlDoc | YamlError:
    if text.count("[") + text.count("{") > MAX_BRACKETS:
        return YamlError(
            1, f"YAML jest zbyt złożony (ponad {MAX_BRACKETS} nawiasów „[” i „{{”).",
            "Nagłówek ma zwykle kilka pól: wpisz listy jako „- element” w kolejnych wierszach.",
        )
    loader = BipLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(None, {})
        lines: dict[Path_, int] = {}
        dups: list[tuple[Path_, int]] = []
        _walk_lines(node, (), lines, [MAX_NODES], dups)
        data = loader.construct_document(node)
    except _TooBig as exc:
        return YamlError(
            _top_line(lines, exc.args[0]),
            f"YAML jest zbyt złożony (po rozwinięciu aliasów ma ponad {MAX_NODES} elementów).",
            "Nie używaj kotwic i aliasów (& i *); wpisz wartości wprost.",
        )
    except _TooDeep as exc:
        return YamlError(
            _top_line(lines, exc.args[0]),
            f"YAML jest zbyt zagnieżdżony (ponad {MAX_DEPTH} poziomów list lub słowników).",
            "Nagłówek ma zwykle 2–3 poziomy wcięć: uprość zapis tego pola.",
        )
    except _Recursive as exc:
        return YamlError(
            _top_line(lines, exc.args[0]),
            "YAML zawiera alias (*), który odwołuje się do samego siebie.",
            "Nie używaj kotwic i aliasów (& i *); wpisz wartości wprost.",
        )
    except yaml.MarkedYAMLError as exc:
        problem = (exc.problem or exc.context or "błąd składni").strip()
        found = exc.problem_mark or exc.context_mark
        polish, hint, at_start = _polish_problem(problem, text, found.line if found else -1, found.column if found else -1)
        # for what is left open (a quote, a bracket, a key without ":") the line where it starts helps more
        mark = (exc.context_mark if at_start else None) or exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        if "could not determine a constructor" in problem:
            tag = re.search(r"'([^']*)'", problem)
            return YamlError(
                line,
                f"Niedozwolony znacznik YAML: {tag.group(1) if tag else problem}.",
                "Usuń znacznik zaczynający się od „!”; wartością pola może być tylko tekst, liczba, data, lista albo pola wcięte pod nim.",
            )
        return YamlError(
            line,
            f"Błąd składni YAML: {polish}.",
            hint,
        )
    except yaml.YAMLError as exc:
        return YamlError(1, f"Błąd YAML: {exc}.", "Sprawdź składnię pliku.")
    except (RecursionError, ValueError, TypeError, OverflowError) as exc:
        return YamlError(1, f"Nieprawidłowa wartość w YAML: {exc}.", "Sprawdź składnię pliku.")
    finally:
        loader.dispose()
    return YamlDoc(data, lines, dups)
