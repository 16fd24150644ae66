"""The packages of bip depend on each other without cycles: each import (at any depth of a module, lazy ones
and those for type checking included) is an edge from the importing module's package to the imported one's."""

from __future__ import annotations

import ast
from pathlib import Path

import bip

PACKAGE = Path(bip.__file__).parent


def part_of(module: str) -> str:
    """`bip.render.site` → `render`; a top-level module is its own part (`bip.build` → `build`)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def imported(file: Path, module: str) -> list[tuple[str, int]]:
    """(module imported, line) of every bip import in a file."""
    package = module if file.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parents = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parents + ([node.module] if node.module else []))
            if base == "bip":  # `from bip import fault`: the module named
                found += [(f"bip.{alias.name}", node.lineno) for alias in node.names]
            else:
                found.append((base, node.lineno))
    return [(name, line) for name, line in found if name.startswith("bip.")]


def dependency_graph() -> dict[str, dict[str, str]]:
    """Part → part it imports → where (the first such import, file:line)."""
    graph: dict[str, dict[str, str]] = {}
    for file in sorted(PACKAGE.rglob("*.py")):
        relative = file.relative_to(PACKAGE.parent).with_suffix("")
        module = ".".join(relative.parts[:-1] if relative.name == "__init__" else relative.parts)
        source = part_of(module)
        for name, line in imported(file, module):
            target = part_of(name)
            if target != source:
                graph.setdefault(source, {}).setdefault(target, f"{file.relative_to(PACKAGE.parent)}:{line}")
    return graph


def find_cycle(graph: dict[str, dict[str, str]]) -> list[str] | None:
    """A cycle of the graph as the list of its parts (the first one repeated at the end), or None."""
    state: dict[str, str] = {}  # "open" while on the path, "done" after
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph.get(node, {})):
            if state.get(nxt) == "open":
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)) is not None:
                return cycle
        path.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)) is not None:
            return cycle
    return None


def test_no_import_cycle_between_packages() -> None:
    graph = dependency_graph()
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " → ".join(
        f"{a} ({graph[a][b]})" for a, b in zip(cycle, cycle[1:], strict=False)) + f" → {cycle[-1]}"


def test_the_graph_sees_lazy_imports_and_a_cycle_is_found() -> None:
    graph = dependency_graph()
    assert "render" in graph["build"]  # imported only inside a function
    assert graph["render"].get("registry")  # the registry's pages are rendered by render
    assert "render" not in graph["registry"]
    looped = {**graph, "registry": {**graph["registry"], "render": "made up"}}
    cycle = find_cycle(looped)
    assert cycle is not None and {"registry", "render"} <= set(cycle)
