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
    open_nodes: set[int] | None = None,
) -> None:
    """Record the line of every key; bound what aliases expand to; refuse aliases that contain themselves.

    Plain keys are read as text (`1:` or `null:` is the key "1" or "null"), so that every key can be
    named in a message and compared with the known ones.
    """
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooBig(path)
    open_nodes = set() if open_nodes is None else open_nodes
    if id(node) in open_nodes:
        raise _Recursive(path)
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
        open_nodes.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != _MERGE:
                key_node.tag = _STR
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark.line)
            child = (*path, key)
            if child in lines:
                dups.append((child, key_node.start_mark.line + 1))
            lines.setdefault(child, key_node.start_mark.line + 1)
            _walk_lines(value_node, child, lines, budget, dups, open_nodes)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, index)
            lines.setdefault(child, item.start_mark.line + 1)
            _walk_lines(item, child, lines, budget, dups, open_nodes)
    open_nodes.discard(id(node))


class _TooBig(Exception):
    """Aliases expand beyond MAX_NODES; args[0] is the key path being expanded."""


class _Recursive(Exception):
    """An alias refers to a node that contains it; args[0] is the key path where that happens."""


# libyaml's problem texts (start) → Polish, and whether the line where the construct starts is the one to show
_PROBLEMS_PL: tuple[tuple[str, str, bool], ...] = (
    ("mapping values are not allowed", "dwukropek w niedozwolonym miejscu (tekst zawierający „: ” ujmij w cudzysłów)", False),
    ("did not find expected ',' or ']'", "niezamknięty nawias „[”", True),
    ("did not find expected ',' or '}'", "niezamknięty nawias „{”", True),
    ("found character that cannot start any token", "wartość zaczyna się od niedozwolonego znaku (np. tabulatora, „@”, „`”, „%”)", False),
    ("found a tab character", "tabulator we wcięciu (wcinaj spacjami)", False),
    ("found unexpected end of stream", "niezamknięty cudzysłów", True),
    ("found undefined alias", "alias (*) bez kotwicy (&) o tej nazwie", False),
    ("could not find expected ':'", "brak dwukropka po kluczu", True),
    ("did not find expected '-' indicator", "nieprawidłowe wcięcie listy (elementy zaczynaj od „- ”)", False),
    ("did not find expected key", "nieprawidłowe wcięcie", False),
    ("found unhashable key", "klucz nie może być listą ani słownikiem", False),
    ("but found another document", "drugi dokument (linia „---”) w pliku", False),
    ("second occurrence", "ta sama kotwica (&) użyta drugi raz", False),
)


def _polish_problem(problem: str) -> tuple[str, bool]:
    for start, polish, at_start in _PROBLEMS_PL:
        if problem.startswith(start):
            return polish, at_start
    return problem, False


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
            "Nie używaj kotwic i aliasów (& i *) w metadanych; wpisz wartości wprost.",
        )
    except _Recursive as exc:
        return YamlError(
            _top_line(lines, exc.args[0]),
            "YAML zawiera alias (*), który odwołuje się do samego siebie.",
            "Nie używaj kotwic i aliasów (& i *) w metadanych; wpisz wartości wprost.",
        )
    except yaml.MarkedYAMLError as exc:
        problem = (exc.problem or exc.context or "błąd składni").strip()
        polish, at_start = _polish_problem(problem)
        # for what is left open (a quote, a bracket, a key without ":") the line where it starts helps more
        mark = (exc.context_mark if at_start else None) or exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        if "could not determine a constructor" in problem:
            tag = re.search(r"'([^']*)'", problem)
            return YamlError(
                line,
                f"Niedozwolony znacznik YAML: {tag.group(1) if tag else problem}.",
                "Usuń znacznik zaczynający się od „!”; metadane mogą zawierać tylko tekst, liczby, listy i słowniki.",
            )
        return YamlError(
            line,
            f"Błąd składni YAML: {polish}.",
            "Sprawdź wcięcia (spacje, nie tabulatory), dwukropek po kluczu i cudzysłowy wokół tekstu z „:” lub „#”.",
        )
    except yaml.YAMLError as exc:
        return YamlError(1, f"Błąd YAML: {exc}.", "Sprawdź składnię pliku.")
    except (RecursionError, ValueError, TypeError, OverflowError) as exc:
        return YamlError(1, f"Nieprawidłowa wartość w YAML: {exc}.", "Sprawdź składnię pliku.")
    finally:
        loader.dispose()
    return YamlDoc(data, lines, dups)
