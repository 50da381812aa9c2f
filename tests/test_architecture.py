"""The package's layers import only downward, with no circle anywhere (function-level imports included).

Data flow: knowledge base -> checklist and assessment -> analysis (one assessment, and groups of them) -> charts ->
widgets -> notebook helpers, with the exchange (store, exports, reports, runner) and the command line on top.
docs/architecture.md draws the same picture; this test is what keeps it true.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "r2kit"

# Lower numbers sit lower. A module may import modules of its own layer or below, never above.
LAYERS = {
    0: ["errors", "inert", "intake", "privacy", "atomic", "display"],  # foundations: no knowledge of the domain
    1: ["data", "docs"],  # the knowledge base
    2: ["checklist", "explore", "selfcheck"],  # the item bank, browsing, the principles quiz
    3: ["validation", "assessment", "samples"],  # one assessment: checked, modelled; the fictional samples
    4: ["analysis", "groupviews", "matching", "actionplan"],  # pure analyses of one or many assessments
    5: ["charts"],
    6: ["widgets"],
    7: ["notebook"],
    8: ["runner", "exchange"],  # sessions, exports, reports and notebook runs
    9: ["cli", "__init__", "__main__"],
}
RANK = {name: rank for rank, names in LAYERS.items() for name in names}


def modules() -> dict[str, Path]:
    """Every module of the package by its dotted name below r2kit ('exchange.store', 'widgets.form' ...)."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 1 else parts)
        out[name] = path
    return out


def layer(module: str) -> int:
    """The layer of a module: that of its top-level name (a package's modules share its layer)."""
    top = module.split(".")[0]
    assert top in RANK, f"r2kit/{top} is in no layer: add it to LAYERS in {Path(__file__).name}"
    return RANK[top]


def imports(module: str, path: Path, known: set[str]) -> set[str]:
    """The r2kit modules that `module` imports anywhere in its file (top level and inside functions)."""
    package = module.split(".")[:-1] if path.name != "__init__.py" else module.split(".")
    if module == "__init__":
        package = []
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name.removeprefix("r2kit.") for a in node.names if a.name.startswith("r2kit.")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                prefix = ".".join(base + ([node.module] if node.module else []))
            elif node.module and (node.module == "r2kit" or node.module.startswith("r2kit.")):
                prefix = node.module.removeprefix("r2kit").lstrip(".")
            else:
                continue
            targets = [f"{prefix}.{a.name}".lstrip(".") for a in node.names]
            targets = [t if t in known else prefix for t in targets]
        else:
            continue
        found.update(t for t in targets if t and t != module and t in known)
    return found


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports(name, path, known) for name, path in found.items()}


def test_every_module_belongs_to_a_layer():
    for name in modules():
        layer(name)


@pytest.mark.parametrize("module", sorted(modules()))
def test_imports_go_only_downward(module):
    upward = sorted(t for t in graph()[module] if layer(t) > layer(module))
    assert not upward, f"r2kit/{module} (layer {layer(module)}) imports from above: " + ", ".join(
        f"{t} (layer {layer(t)})" for t in upward
    )


def test_no_import_circle_anywhere():
    edges = graph()
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt) :] + [nxt]
                pytest.fail("import circle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)


def test_the_check_sees_function_level_imports(tmp_path):
    """The reader finds an import hidden in a function: the circle the old widgets/notebook pair had."""
    source = tmp_path / "widgets.py"
    source.write_text("def f():\n    from .notebook import load\n    return load\n", encoding="utf-8")
    assert imports("widgets", source, {"widgets", "notebook"}) == {"notebook"}
