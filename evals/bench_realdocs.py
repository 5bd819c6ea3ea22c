"""Retrieval on real public standards (NASA, MSFC, FED-STD, MIL-STD), page-level, prepro vs a naive LangChain RAG.

Run:  .venv/bin/python -m evals.bench_realdocs [--k 5] [--out evals/reports/realdocs.json]

Both systems ingest the ten PDFs of ../shared/realdocs in one run on this machine (timed), then answer the
108 questions of evals/datasets/realdocs.jsonl. Scoring is by (document, page), as a user checks a
citation: a passage is a hit when its document is an expected one and its cited page is among that
document's expected pages. Questions with "also" entries accept any of their (document, page) pairs.
Prints Markdown tables, writes the JSON report and the misses of prepro hybrid (evals/reports/).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from assistant.evaluation.suites.retrieval import expected_docs, expected_pairs

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "evals" / "datasets" / "realdocs.jsonl"
DOCS = ROOT.parent / "shared" / "realdocs"
REPORTS = ROOT / "evals" / "reports"
MRR_DEPTH = 10
PREPRO_MODES = ("hybrid", "dense", "bm25")
ALSO_NOTE = (
    'questions with "also" entries count a hit on any of their expected (document, page) pairs, '
    "and a document hit on any of their documents"
)


@dataclass(frozen=True)
class Cited:
    """A retrieved passage as a user sees its citation."""

    doc: str
    page: int | None
    section: str | None = None
    text: str = ""


@dataclass(frozen=True)
class Outcome:
    """How one system did on one question."""

    qid: str
    tags: tuple[str, ...]
    rank: int | None  # 1-based rank of the first page hit in the top k, None when missed
    rank_mrr: int | None  # the same in the top MRR_DEPTH
    doc_hit: bool  # an expected document among the top k


Retrieve = Callable[[str, int], list[Cited]]


# ---- scoring (pure) ------------------------------------------------------------------------------
def is_hit(cited: Cited, pairs: set[tuple[str, int]]) -> bool:
    """A passage is a hit when its document and cited page are an expected pair."""
    return cited.page is not None and (cited.doc, cited.page) in pairs


def first_hit(ranked: Sequence[Cited], pairs: set[tuple[str, int]]) -> int | None:
    """1-based rank of the first hit, or None."""
    return next((n for n, c in enumerate(ranked, start=1) if is_hit(c, pairs)), None)


def score(question: dict[str, Any], top_k: Sequence[Cited], top_mrr: Sequence[Cited]) -> Outcome:
    """Outcome of one question from the top-k list (recall, doc recall) and the deeper list (MRR)."""
    expected = question["expected"]
    pairs, docs = expected_pairs(expected), expected_docs(expected)
    return Outcome(
        qid=question["id"],
        tags=tuple(question.get("tags", [])),
        rank=first_hit(top_k, pairs),
        rank_mrr=first_hit(top_mrr[:MRR_DEPTH], pairs),
        doc_hit=any(c.doc in docs for c in top_k),
    )


def summarize(outcomes: Sequence[Outcome]) -> dict[str, float]:
    """Recall@k (page), MRR@10 (page) and doc-level recall@k of a group of questions."""
    n = len(outcomes)
    if not n:
        return {"n": 0, "recall": 0.0, "mrr": 0.0, "doc_recall": 0.0}
    return {
        "n": n,
        "recall": sum(1 for o in outcomes if o.rank is not None) / n,
        "mrr": sum(1 / o.rank_mrr for o in outcomes if o.rank_mrr) / n,
        "doc_recall": sum(1 for o in outcomes if o.doc_hit) / n,
    }


def by_tag(outcomes: Sequence[Outcome]) -> dict[str, dict[str, float]]:
    """Metrics overall ("all") and per tag; a question counts in each of its tags."""
    tags = sorted({t for o in outcomes for t in o.tags})
    return {"all": summarize(outcomes)} | {t: summarize([o for o in outcomes if t in o.tags]) for t in tags}


# ---- running the systems -------------------------------------------------------------------------
def load_questions(path: Path = DATASET) -> list[dict[str, Any]]:
    """The fixed question set."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def physical_pages(pdfs: Iterable[Path]) -> int:
    """Pages of the PDFs, scanned ones included (the denominator of pages/s for both systems)."""
    return sum(len(PdfReader(p).pages) for p in pdfs)


def evaluate(
    retrieve: Retrieve, questions: Sequence[dict[str, Any]], k: int
) -> tuple[list[Outcome], list[list[Cited]]]:
    """Outcomes of every question and the top-k lists they were scored on."""
    outcomes, lists = [], []
    for q in questions:
        top_k = retrieve(q["input"], k)
        outcomes.append(score(q, top_k, retrieve(q["input"], MRR_DEPTH)))
        lists.append(top_k)
    return outcomes, lists


def ingest_prepro(home: Path, pdfs: Sequence[Path]) -> tuple[Any, dict[str, Any]]:
    """A fresh prepro Assistant with the PDFs ingested the normal way; its ingest summary."""
    from assistant.api import Assistant
    from assistant.config import Settings

    assistant = Assistant(Settings(_env_file=None, home=home))  # type: ignore[call-arg]
    started = time.perf_counter()
    report = assistant.ingest(list(pdfs))
    seconds = time.perf_counter() - started
    files = [
        f.model_dump(include={"doc", "status", "pages", "image_only_pages", "chunks", "reason", "warnings"})
        for f in report.files
    ]
    return assistant, {"seconds": seconds, "chunks": report.chunks, "summary": report.summary(), "files": files}


def prepro_retriever(assistant: Any, mode: str) -> Retrieve:
    """prepro's search in one mode, as citations."""

    def retrieve(query: str, k: int) -> list[Cited]:
        return [Cited(p.doc, p.page, p.section, p.text) for p in assistant.search(query, k=k, mode=mode)]

    return retrieve


def naive_retriever(rag: Any) -> Retrieve:
    """The naive pipeline's similarity search, as citations."""

    def retrieve(query: str, k: int) -> list[Cited]:
        return [Cited(h.doc, h.page, None, h.text) for h in rag.search(query, k=k)]

    return retrieve


def run(k: int) -> tuple[dict[str, Any], list[dict[str, Any]], list[list[Cited]]]:
    """Ingest into both systems, ask every question; the report, and the questions and lists of prepro hybrid."""
    from assistant.config import Settings
    from assistant.evaluation.naive import NaiveRag
    from assistant.retrieval.embeddings import _sentence_transformer, bundled_embedding_model, get_embeddings

    questions = load_questions()
    pdfs = sorted(DOCS.glob("*.pdf"))
    pages = physical_pages(pdfs)
    # the model loads are not counted in either ingest: prepro's ONNX encoder, and for the naive pipeline the
    # sentence-transformers (torch) model a LangChain user has, the same MiniLM weights
    get_embeddings(Settings(_env_file=None)).embed_query("warm up")  # type: ignore[call-arg]
    naive_embeddings = _sentence_transformer(str(bundled_embedding_model()))
    naive_embeddings.embed_query("warm up")
    with tempfile.TemporaryDirectory() as tmp:
        assistant, prepro_ingest = ingest_prepro(Path(tmp) / "prepro", pdfs)
        rag = NaiveRag(naive_embeddings, Path(tmp) / "naive")
        naive = rag.ingest(pdfs)
        retrievers = {f"prepro {m}": prepro_retriever(assistant, m) for m in PREPRO_MODES}
        retrievers["naive"] = naive_retriever(rag)
        results = {name: evaluate(fn, questions, k) for name, fn in retrievers.items()}
    ingest = {
        "pdfs": len(pdfs),
        "physical_pages": pages,
        "prepro": prepro_ingest | {"pages_per_s": pages / prepro_ingest["seconds"]},
        "naive": asdict(naive) | {"pages_per_s": pages / naive.seconds},
    }
    report = {
        "questions": len(questions),
        "k": k,
        "mrr_depth": MRR_DEPTH,
        "scoring": f"hit = (document, cited page) among the expected pairs; {ALSO_NOTE}",
        "ingest": ingest,
        "metrics": {name: by_tag(outcomes) for name, (outcomes, _) in results.items()},
        "outcomes": {name: [asdict(o) for o in outcomes] for name, (outcomes, _) in results.items()},
    }
    return report, questions, results["prepro hybrid"][1]


# ---- reporting -----------------------------------------------------------------------------------
def markdown(report: dict[str, Any]) -> str:
    """The Markdown tables: overall per system, then per tag."""
    k, metrics = report["k"], report["metrics"]
    lines = [
        f"Real documents: {report['questions']} questions, {report['ingest']['pdfs']} PDFs; page-level hits; {ALSO_NOTE}.",
        "",
        f"| system | recall@{k} | MRR@{MRR_DEPTH} | doc recall@{k} |",
        "|---|---|---|---|",
    ]
    for name, tags in metrics.items():
        m = tags["all"]
        lines.append(f"| {name} | {m['recall']:.3f} | {m['mrr']:.3f} | {m['doc_recall']:.3f} |")
    systems = list(metrics)
    lines += [
        "",
        f"Per tag (recall@{k} / MRR@{MRR_DEPTH} / doc recall@{k}):",
        "",
        "| tag | n | " + " | ".join(systems) + " |",
        "|---|---|" + "---|" * len(systems),
    ]
    for tag in metrics[systems[0]]:
        cells = [
            f"{metrics[s][tag]['recall']:.3f} / {metrics[s][tag]['mrr']:.3f} / {metrics[s][tag]['doc_recall']:.3f}"
            for s in systems
        ]
        lines.append(f"| {tag} | {metrics[systems[0]][tag]['n']} | " + " | ".join(cells) + " |")
    ing = report["ingest"]
    lines += [
        "",
        f"Ingest of {ing['physical_pages']} physical pages: prepro {ing['prepro']['seconds']:.1f} s "
        f"({ing['prepro']['pages_per_s']:.1f} pages/s, {ing['prepro']['chunks']} chunks); naive "
        f"{ing['naive']['seconds']:.1f} s ({ing['naive']['pages_per_s']:.1f} pages/s, {ing['naive']['chunks']} chunks)",
    ]
    return "\n".join(lines)


def scanned_lines(report: dict[str, Any]) -> list[str]:
    """prepro's ingest report of the files with image-only pages, failures or warnings."""
    lines = []
    for f in report["ingest"]["prepro"]["files"]:
        if f["image_only_pages"] or f["status"] == "failed" or f["warnings"]:
            detail = f["reason"] or "; ".join(f["warnings"])
            lines.append(
                f"- {f['doc']}: {f['status']}, pages {f['pages']}, image_only_pages {f['image_only_pages']}, "
                f"chunks {f['chunks']}: {detail}"
            )
    return lines


def misses_markdown(
    questions: Sequence[dict[str, Any]], outcomes: Sequence[dict[str, Any]], lists: Sequence[Sequence[Cited]]
) -> str:
    """The questions prepro hybrid missed at page level, each with its top-3 citations."""
    lines = ["# prepro hybrid: page-level misses on the real documents", ""]
    for q, o, top in zip(questions, outcomes, lists, strict=True):
        if o["rank"] is not None:
            continue
        e = q["expected"]
        also = "".join(f"; also {a['doc']} p. {a['pages']}" for a in e.get("also", []))
        deeper = f"rank {o['rank_mrr']} in the top {MRR_DEPTH}" if o["rank_mrr"] else f"not in the top {MRR_DEPTH}"
        lines += [
            f"## {q['id']} [{', '.join(q['tags'])}] {q['input']}",
            f"- expected: {e['doc']} p. {e['pages']}{also} ({deeper}; right document in top {len(top)}: {o['doc_hit']})",
            f"- answer: {e.get('answer', '')}",
        ]
        for n, c in enumerate(top[:3], start=1):
            snippet = " ".join(c.text.split())[:140]
            lines.append(f"- {n}. {c.doc} p. {c.page} § {c.section}: {snippet}")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--out", type=Path, default=REPORTS / "realdocs.json")
    args = parser.parse_args()
    report, questions, hybrid_lists = run(args.k)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    misses = args.out.with_name(args.out.stem + "_misses.md")
    misses.write_text(misses_markdown(questions, report["outcomes"]["prepro hybrid"], hybrid_lists), encoding="utf-8")
    print(markdown(report))
    print("\nprepro ingest report of the scanned / warned documents:")
    print("\n".join(scanned_lines(report)) or "- none")
    print(f"\nWrote {args.out} and {misses}")


if __name__ == "__main__":
    main()
