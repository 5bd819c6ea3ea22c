"""Runs on disk: PREPRO_HOME/evals/<run-id>/ holds results.json (canonical) and metadata.json (when, which commit,
how long, which provider and model, corpus and dataset hashes, prompt versions, tokens and cost)."""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.errors import ConfigError
from assistant.evaluation.bench import corpus_files
from assistant.evaluation.cases import files_hash
from assistant.evaluation.paths import evals_home
from assistant.evaluation.results import canonical_json
from assistant.evaluation.runner import Run
from assistant.resources import prompts_dir

RESULTS, METADATA = "results.json", "metadata.json"


def _git(*args: str) -> str | None:
    """A git query in the checkout prepro runs from, or None outside one."""
    root = Path(__file__).resolve().parents[2]
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip()


def prompt_versions() -> dict[str, str]:
    """The first 12 hex digits of each prompt file's SHA-256: a changed prompt is a new version."""
    return {p.stem: hashlib.sha256(p.read_bytes()).hexdigest()[:12] for p in sorted(prompts_dir().glob("*.md"))}


def provenance(run: Run, started: datetime, model: str) -> dict[str, Any]:
    """The metadata of a finished run (everything that varies between runs or machines)."""
    corpora = {"shipped": files_hash(corpus_files("shipped"))}
    if any("realdocs" in c["tags"] for s in run.results["suites"].values() for c in s["cases"]):
        corpora["realdocs"] = files_hash(corpus_files("realdocs"))
    usage = run.metadata.get("usage", {})
    return run.metadata | {
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_commit": _git("rev-parse", "HEAD"),
        "git_dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "provider": run.results["provider"],
        "model": model,
        "support": run.results["support"],
        "corpus_hashes": corpora,
        "dataset_hashes": {name: s["dataset_hash"] for name, s in run.results["suites"].items()},
        "prompt_versions": prompt_versions(),
        "totals": {
            k: sum(u[k] for u in usage.values())
            for k in ("calls", "cached_calls", "prompt_tokens", "completion_tokens", "cost_usd")
        },
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}",
    }


def save(home: Path, run: Run, started: datetime) -> Path:
    """Write the run's two files under a new run id (time and provider) and return its folder."""
    base = evals_home(home)
    stem = f"{started.strftime('%Y%m%d-%H%M%S')}-{run.results['provider']}"
    folder, n = base / stem, 1
    while folder.exists():
        n += 1
        folder = base / f"{stem}-{n}"
    folder.mkdir(parents=True)
    (folder / RESULTS).write_text(canonical_json(run.results), encoding="utf-8")
    metadata = run.metadata | {"run_id": folder.name}
    (folder / METADATA).write_text(
        json.dumps(metadata, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return folder


def list_runs(home: Path) -> list[Path]:
    """Run folders, oldest first (run ids start with their time)."""
    base = evals_home(home)
    return sorted(p for p in base.iterdir() if (p / RESULTS).is_file()) if base.is_dir() else []


def resolve(home: Path, name: str | None) -> Path:
    """A run folder from its id, a unique id prefix, a path, `latest` (the default) or `previous`."""
    runs = list_runs(home)
    if name and Path(name).is_dir() and (Path(name) / RESULTS).is_file():
        return Path(name)
    if name in (None, "latest", "previous"):
        index = -2 if name == "previous" else -1
        if len(runs) < -index:
            raise ConfigError(
                f"no {'earlier ' if index == -2 else ''}eval run in {evals_home(home)}; run `prepro eval run` first"
            )
        return runs[index]
    matches = [p for p in runs if p.name.startswith(name)]
    if len(matches) != 1:
        known = ", ".join(p.name for p in runs[-5:]) or "none"
        what = "matches several runs" if matches else "is no run"
        raise ConfigError(f"eval run {name!r} {what} in {evals_home(home)} (latest: {known})")
    return matches[0]


def load(folder: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """A run's results and metadata (metadata empty when its file is missing)."""
    results = json.loads((folder / RESULTS).read_text(encoding="utf-8"))
    meta = folder / METADATA
    return results, json.loads(meta.read_text(encoding="utf-8")) if meta.is_file() else {}
