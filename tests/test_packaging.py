"""A non-editable install (the built wheel) carries the package, its prompts and the shipped knowledge."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # subprocesses import the whole stack; full-corpus ingest


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory, repo_root: Path) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(repo_root),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return next(out.glob("prepro-*.whl"))


def test_wheel_contains_code_prompts_and_knowledge(wheel: Path, repo_root: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "assistant/cli/__init__.py" in names
    for folder in ("knowledge/corpus", "knowledge/catalog", "prompts"):
        shipped = {p.relative_to(repo_root).as_posix() for p in (repo_root / folder).iterdir() if p.is_file()}
        assert shipped, folder
        assert {f"assistant/{name}" for name in shipped} <= names, folder
    assert not any("_pdf_sources" in n for n in names)
    datasets = {p.relative_to(repo_root / "evals").as_posix() for p in (repo_root / "evals/datasets").rglob("*.*")}
    assert len(datasets) > 100
    assert {f"assistant/evaldata/{name}" for name in datasets} <= names, "sample inputs and eval cases"


def test_installed_package_imports_and_finds_its_data_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    script = (
        "import assistant.resources as r, sys; "
        "print(r.catalog_dir()); print(r.prompts_dir()); print(len(list((r.knowledge_dir() / 'corpus').iterdir()))); "
        "print(r.shipped_datasets())"
    )
    # -S skips site-packages' .pth files, so the editable install cannot shadow the extracted wheel
    paths = f"{target}:{sysconfig.get_paths()['purelib']}"
    result = subprocess.run(
        [sys.executable, "-S", "-c", script],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": paths},
        check=True,
        timeout=120,
    )
    catalog, prompts, count, datasets = result.stdout.split()
    assert catalog == str(target / "assistant" / "knowledge" / "catalog")
    assert prompts == str(target / "assistant" / "prompts")
    assert int(count) >= 25
    assert datasets == str(target / "assistant" / "evaldata" / "datasets")
