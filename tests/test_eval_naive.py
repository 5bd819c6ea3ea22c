"""The naive LangChain baseline beside prepro in the retrieval suite: real Chroma, real PDFs made here."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.evaluation import bench as bench_module
from assistant.evaluation.bench import Bench
from assistant.evaluation.cases import Case
from assistant.evaluation.metrics import NotApplicable
from assistant.evaluation.suites.retrieval import SUITE
from tests.conftest import make_settings
from tests.docfiles import make_pdf

pytest.importorskip("langchain_community", reason="the naive baseline needs the dev extra")


@pytest.fixture
def bench(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embeddings) -> Bench:
    folder = tmp_path / "realdocs"
    folder.mkdir()
    make_pdf(
        folder / "coatings.pdf",
        [
            ["1 Scope", "This standard covers paints for ground support equipment."],
            ["3.2 Zinc primer", "Apply the zinc chromate primer to a dry film thickness of 25 micrometres."],
        ],
    )
    make_pdf(folder / "welding.pdf", [["4.1 Fillet welds", "Fillet welds are inspected visually at 100 percent."]])
    monkeypatch.setattr(bench_module, "corpus_folder", lambda name: folder)
    made = Bench(make_settings(tmp_path / "home"))
    made.indexed("realdocs").index._embeddings = embeddings
    return made


def _case(question: str, doc: str, pages: list[int], tags: tuple[str, ...] = ("realdocs", "long")) -> Case:
    return Case("q1", tags, question, {"doc": doc, "pages": pages}, Path("."))


def test_the_naive_pipeline_is_scored_on_the_same_page_hits(bench: Bench) -> None:
    found = SUITE.score(bench, _case("What dry film thickness of zinc primer?", "coatings.pdf", [2]))
    assert found.scores["naive_recall@5"] == 1.0 and found.scores["naive_mrr@10"] == 1.0
    assert found.scores["recall@5"] == 1.0
    wrong_page = SUITE.score(bench, _case("What dry film thickness of zinc primer?", "coatings.pdf", [1]))
    assert wrong_page.scores["naive_mrr@10"] < 1.0, "the right document at another page is not a hit"
    assert len(bench.naive("realdocs").store.get()["ids"]) == 3, "one chunk per short page, built once per run"


def test_the_shipped_corpus_cases_say_why_the_baseline_does_not_apply(bench: Bench) -> None:
    corpus = Case("r1", ("corpus",), "zinc primer", {"doc": "coatings.pdf", "clause": "3.2"}, Path("."))
    scores = SUITE.score(bench, corpus).scores
    assert scores["naive_recall@5"] == NotApplicable("the naive baseline loads PDFs (PyPDFLoader): real documents only")


def test_the_harness_reads_its_own_indexes_as_the_local_administrator(tmp_path: Path) -> None:
    """PREPRO_USER names an account of the user's workspace, not of the eval homes: the harness ignores it."""
    made = Bench(make_settings(tmp_path / "home", user="ann"))
    assert made.drafter().acting_user() is None
    assert made.drafter().settings.home == tmp_path / "home" / "evals" / "drafts"
