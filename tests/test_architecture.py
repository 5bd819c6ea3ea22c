"""The import rules of ARCHITECTURE.md, checked on the source: each layer imports only what it may."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> list[str]:
    """Every module a file imports (absolute names; relative imports are not used in this project)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def _files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def _ours(name: str) -> bool:
    return name == "assistant" or name.startswith("assistant.")


def test_engineering_imports_nothing_else_of_ours() -> None:
    bad = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _files("assistant/engineering")
        for name in _imports(path)
        if _ours(name) and not name.startswith("assistant.engineering")
    ]
    assert not bad, bad


def test_charts_draw_from_engineering_values_only() -> None:
    bad = [
        name
        for name in _imports(ROOT / "assistant/charts.py")
        if _ours(name) and not name.startswith("assistant.engineering")
    ]
    assert not bad, bad


@pytest.mark.parametrize("folder", ["ui", "assistant/cli"])
def test_ui_and_cli_call_only_the_api(folder: str) -> None:
    """The UI and the CLI call the facade; `prepro eval` alone calls the eval harness's facade, its service."""
    allowed = ("assistant.api", "assistant.cli")
    bad = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _files(folder)
        for name in _imports(path)
        if _ours(name)
        and not name.startswith(allowed)
        and not (path.name == "evaluation.py" and name == "assistant.evaluation.service")
    ]
    assert not bad, bad


def test_only_the_eval_command_uses_the_eval_harness() -> None:
    """assistant/evaluation/ sits on top of the API like the CLI: nothing below it imports it, except that the
    API reads saved runs through its read-only view (assistant.evaluation.overview, for the UI's Evals page)."""
    bad = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _files("assistant", "ui")
        for name in _imports(path)
        if name.startswith("assistant.evaluation")
        and "assistant/evaluation" not in path.as_posix()
        and path != ROOT / "assistant/cli/evaluation.py"
        and not (path == ROOT / "assistant/api.py" and name == "assistant.evaluation.overview")
    ]
    assert not bad, bad


def test_eval_statistics_and_metrics_are_pure() -> None:
    """Formulas of the eval harness take values and return values: nothing of ours beyond the metric types."""
    pure = [ROOT / "assistant/evaluation" / f"{name}.py" for name in ("stats", "metrics", "grounding")]
    bad = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in pure
        for name in _imports(path)
        if _ours(name) and name != "assistant.evaluation.metrics"
    ]
    assert not bad, bad


def test_only_the_store_talks_to_the_database() -> None:
    bad = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _files("assistant", "ui", "evals")
        for name in _imports(path)
        if name.split(".")[0] in {"sqlalchemy", "alembic", "sqlite3", "psycopg"}
        and "assistant/store" not in path.as_posix()
    ]
    assert not bad, bad


def test_the_workspace_builds_only_on_the_store_and_the_stage_registry() -> None:
    """... and on the access levels, the vocabulary a user's clearance and a document's level share."""
    allowed = ("assistant.workspace", "assistant.store", "assistant.errors", "assistant.config")
    allowed += ("assistant.retrieval.access",)
    bad = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _files("assistant/workspace")
        for name in _imports(path)
        if _ours(name) and not name.startswith(allowed) and name != "assistant.stages.registry"
    ]
    assert not bad, bad


def test_stages_reach_each_other_only_through_the_context() -> None:
    """A stage package imports no other stage package: it asks the context for another stage's draft."""
    stages = [p for p in (ROOT / "assistant/stages").iterdir() if p.is_dir() and (p / "__init__.py").exists()]
    bad = [
        f"{path.relative_to(ROOT)}: {name}"
        for stage in stages
        for path in stage.rglob("*.py")
        for name in _imports(path)
        if name.startswith("assistant.stages.") and name.split(".")[2] not in {stage.name, "base", "findings"}
    ]
    assert not bad, bad


def test_the_rule_catches_a_violation(tmp_path: Path) -> None:
    """The checker itself sees an import of ours inside a function body."""
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from assistant.store import x\n    import sqlite3\n")
    assert _imports(module) == ["assistant.store", "sqlite3"]
