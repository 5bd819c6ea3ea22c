"""The real `prepro` command: knowledge-base commands, JSON output, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.docfiles import make_pdf

pytestmark = pytest.mark.slow  # subprocesses import the whole stack; full-corpus ingest


def prepro(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PREPRO_HOME": str(home)}
    command = [str(Path(sys.executable).with_name("prepro")), *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False)


def test_ingest_search_sources_remove(tmp_path: Path) -> None:
    home, docs = tmp_path / "home", tmp_path / "docs"
    docs.mkdir()
    (docs / "fits.md").write_text(
        "---\ntitle: Fits\nkind: standard\n---\n# Fits\n\n## 4 Bearing seats\n"
        "4.1 A rolling bearing seat on a shaft is made to k6 and Ra 0.8 µm.\n"
    )
    make_pdf(
        docs / "guide.pdf", [["1 Scope", "1.1 General."], ["2 Holes", "2.1 Holes for dowel pins are reamed to H7."]]
    )
    (docs / "broken.pdf").write_bytes(b"%PDF-1.5 broken")

    ingest = prepro("ingest", str(docs), home=home)
    assert ingest.returncode == 1, "a failed file makes the exit code non-zero"
    assert "broken.pdf: not a readable PDF" in ingest.stderr and "Traceback" not in ingest.stderr
    assert "added    fits.md" in ingest.stdout and "2 added, 1 failed" in ingest.stdout

    search = prepro("search", "which fit for a bearing seat on a shaft", "-k", "2", "--format", "json", home=home)
    assert search.returncode == 0, search.stderr
    passages = json.loads(search.stdout)
    assert len(passages) == 2
    assert {"doc", "page", "section", "score", "text"} <= set(passages[0])
    assert (passages[0]["doc"], passages[0]["section"]) == ("fits.md", "4.1")

    pdf = json.loads(prepro("search", "dowel pin holes reamed", "-k", "1", "--format", "json", home=home).stdout)
    assert (pdf[0]["doc"], pdf[0]["page"]) == ("guide.pdf", 2)

    sources = json.loads(prepro("sources", "--format", "json", home=home).stdout)
    assert {s["doc"] for s in sources} == {"fits.md", "guide.pdf"}

    missing = prepro("remove", "nothing.md", home=home)
    assert missing.returncode == 2 and missing.stderr.startswith("error: no indexed document named 'nothing.md'")
    assert prepro("remove", "guide.pdf", home=home).returncode == 0


def test_search_on_an_empty_home_explains_what_to_do(tmp_path: Path) -> None:
    result = prepro("search", "anything", home=tmp_path / "empty")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: the knowledge base under {tmp_path / 'empty'} is empty; index documents first: prepro ingest knowledge/"
    ]


def test_bad_setting_and_bad_option_are_one_line(tmp_path: Path) -> None:
    env_bad = prepro("sources", home=tmp_path / "h")
    assert env_bad.returncode == 0
    result = subprocess.run(
        [str(Path(sys.executable).with_name("prepro")), "sources"],
        capture_output=True,
        text=True,
        env={**os.environ, "PREPRO_HOME": str(tmp_path), "PREPRO_CHUNK_TOKENS": "five"},
        check=False,
    )
    assert result.returncode == 2 and "invalid value for PREPRO_CHUNK_TOKENS" in result.stderr
    assert "Traceback" not in result.stderr
    usage = prepro("search", home=tmp_path)
    assert usage.returncode == 2 and "Missing argument" in usage.stderr


def test_offline_ask_answers_from_the_shipped_corpus(tmp_path: Path, repo_root: Path) -> None:
    home = tmp_path / "home"
    assert prepro("ingest", str(repo_root / "knowledge"), home=home).returncode == 0
    result = prepro("ask", "Which parallel key suits a 45 mm shaft?", "--format", "json", home=home)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["provider"] == "offline" and answer["usage"]["total_tokens"] == 0
    assert "14 x 9" in answer["answer"]
    assert answer["citations"][0]["doc"] == "keys-and-keyways.md"
    assert {"n", "doc", "page", "section"} <= set(answer["citations"][0])
    refused = json.loads(prepro("ask", "Who won the football world cup in 1998?", "--format", "json", home=home).stdout)
    assert refused["answer"] == "The indexed documents do not answer this question." and refused["citations"] == []
