"""The import structure the README's layout promises: the domain imports no framework and no
adapter, and no module imports itself back through another (every import counted, the ones
inside functions too)."""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("campaign", "components", "data_sources", "history", "service", "pages")
# the domain's entry points: the CLI fetches through the adapters and records the history
ENTRY_POINTS = {"campaign.cli", "campaign.__main__"}


def first_party_modules() -> dict[str, Path]:
    modules = {"app": REPO / "app.py"}
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            parts = path.relative_to(REPO).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def imported(module: str, path: Path) -> set[str]:
    """Every module name `module` imports (absolute, relative, at any depth of the file)."""
    names: set[str] = set()
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1] + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


MODULES = first_party_modules()
IMPORTS = {module: imported(module, path) for module, path in MODULES.items()}


def test_the_modules_are_found():
    assert {"app", "campaign.pipeline", "campaign.workbook", "components.data", "data_sources.base",
            "service.reads", "history.store"} <= set(MODULES)


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith("campaign.") and m not in ENTRY_POINTS))
def test_the_domain_imports_no_framework_and_no_adapter(module):
    outside = {name for name in IMPORTS[module]
               if name.split(".")[0] in {"streamlit", "data_sources", "history", "service", "components", "pages"}}
    assert outside == set(), f"{module} imports {sorted(outside)}"


def test_the_import_graph_has_no_circle():
    graph = {module: {name for name in names if name in MODULES and name != module}
             for module, names in IMPORTS.items()}
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        pytest.fail("a circle of imports: " + " → ".join(error.args[1]))


def test_the_circle_check_finds_a_circle():
    with pytest.raises(graphlib.CycleError):
        tuple(graphlib.TopologicalSorter({"a": {"b"}, "b": {"a"}}).static_order())
