"""The shape of the code: imports run one way (ARCHITECTURE.md).

The import graph is read from the source with ``ast``, imports inside functions included, and
with the modules loaded by name: the callback modules ``dashboard.app`` registers and the page
modules Dash loads from ``layouts/``. (A package's ``__init__`` that imports its own modules is
not a cycle: Python runs it before them.)
"""
from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import REPO_ROOT

PACKAGES = ("dashboard", "layouts", "callbacks")
SERVICES = ("dashboard.plan", "dashboard.national", "dashboard.workflow", "dashboard.publishing")
CORE = ("dashboard.models", "dashboard.config", "dashboard.db", "dashboard.errors")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _source_files() -> dict[str, Path]:
    files = {}
    for package in PACKAGES:
        for path in (REPO_ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                files[_module_name(path)] = path
    return files


MODULES = _source_files()


def _resolve(name: str) -> str | None:
    """The module of ours that an imported name is, or lives in."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str, path: Path) -> Iterator[str]:
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the module's own package upwards
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            # `from package import submodule` imports the submodule.
            names = [f"{origin}.{alias.name}" for alias in node.names] + [origin]
        else:
            continue
        for name in names:
            if name.split(".")[0] in PACKAGES and (target := _resolve(name)):
                yield target


def import_graph() -> dict[str, set[str]]:
    graph = {module: set() for module in MODULES}
    for module, path in MODULES.items():
        graph[module] |= set(_imports(module, path)) - {module}
    # Loaded by name at run time, by the factory: every callbacks module, and (through Dash)
    # every module of the pages folder.
    graph["dashboard.app"] |= {m for m in MODULES if m.startswith(("callbacks.", "layouts."))}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 = on the path being walked, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


GRAPH = import_graph()


def _importers_of(prefixes: tuple[str, ...]) -> dict[str, set[str]]:
    return {module: {t for t in targets if t.startswith(prefixes)} for module, targets in GRAPH.items()}


def _under(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def test_the_graph_is_read():
    assert len(MODULES) > 100
    assert "dashboard.national.disclosure" in GRAPH["dashboard.national.statistics"]
    assert "callbacks.review" in GRAPH["dashboard.app"]


def test_no_import_cycle_counting_imports_inside_functions():
    assert _cycle(GRAPH) is None, " -> ".join(_cycle(GRAPH) or [])


def test_the_cycle_finder_finds_one():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


@pytest.mark.parametrize(("lower", "higher"), [
    (CORE, ("dashboard.plan", "dashboard.national", "dashboard.workflow", "dashboard.publishing", "dashboard.ingest",
            "dashboard.web",
            "dashboard.app", "layouts", "callbacks")),
    (SERVICES, ("dashboard.ingest", "dashboard.web", "dashboard.app", "dashboard.cli", "layouts", "callbacks")),
    # The services in their own order: the national response, the plan, the workflow, publishing.
    (("dashboard.national",), ("dashboard.plan", "dashboard.workflow", "dashboard.publishing")),
    (("dashboard.plan",), ("dashboard.workflow", "dashboard.publishing")),
    (("dashboard.workflow",), ("dashboard.publishing",)),
    (("dashboard.ingest",), ("dashboard.web", "dashboard.app", "layouts", "callbacks")),
    (("dashboard.web",), ("dashboard.app", "layouts", "callbacks")),
    (("layouts",), ("callbacks", "dashboard.app")),
    (("callbacks",), ("dashboard.app",)),
], ids=["core", "services", "national", "plan", "workflow", "ingest", "web", "layouts", "callbacks"])
def test_imports_run_one_way(lower, higher):
    wrong = {f"{module} -> {target}" for module, targets in GRAPH.items() if _under(module, lower)
             for target in targets if _under(target, higher)}
    assert not wrong, sorted(wrong)


def test_models_import_nothing_of_ours_but_models():
    wrong = {f"{module} -> {target}" for module, targets in GRAPH.items() if _under(module, ("dashboard.models",))
             for target in targets if not _under(target, ("dashboard.models",))}
    assert not wrong, sorted(wrong)


def test_services_and_ingest_do_not_need_flask():
    with_flask = []
    for module, path in MODULES.items():
        if _under(module, (*SERVICES, "dashboard.ingest", "dashboard.models")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                         else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                with_flask += [module for name in names if name.split(".")[0] in ("flask", "flask_babel")]
    assert not with_flask, with_flask
