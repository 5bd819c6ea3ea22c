"""Retrieval benchmark: recall@5 and MRR (dense, BM25, hybrid), ingestion throughput, latency at 10k chunks.

Run:  .venv/bin/python -m evals.bench_retrieval [--chunks 10000] [--skip-scale]
Prints a Markdown report and writes evals/reports/retrieval.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from assistant.config import Settings
from assistant.retrieval.embeddings import get_embeddings
from assistant.retrieval.index import KnowledgeIndex
from assistant.retrieval.models import Passage
from assistant.store import documents
from evals.metrics import matches_clause

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "evals" / "datasets" / "retrieval.jsonl"
REPORTS = ROOT / "evals" / "reports"
MODES = ("dense", "bm25", "hybrid")


def load_dataset() -> list[dict]:
    return [json.loads(line) for line in DATASET.read_text(encoding="utf-8").splitlines() if line.strip()]


def rank_of(passages: list[Passage], doc: str, clause: str) -> int | None:
    """1-based rank of the first passage that holds the expected clause."""
    return next((n for n, p in enumerate(passages, start=1) if p.doc == doc and matches_clause(p, clause)), None)


def quality(index: KnowledgeIndex, dataset: list[dict]) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    for mode in MODES:
        ranks = [
            rank_of(index.search(q["input"], k=10, mode=mode), q["expected"]["doc"], q["expected"]["clause"])
            for q in dataset
        ]
        results[mode] = {
            "recall@5": sum(1 for r in ranks if r and r <= 5) / len(ranks),
            "recall@1": sum(1 for r in ranks if r == 1) / len(ranks),
            "mrr@10": sum(1 / r for r in ranks if r) / len(ranks),
        }
    return results


def ingest_corpus(settings: Settings, embeddings) -> dict[str, float]:  # noqa: ANN001
    index = KnowledgeIndex(settings, embeddings)
    started = time.perf_counter()
    report = index.ingest([ROOT / "knowledge"])
    seconds = time.perf_counter() - started
    rows = documents.all_chunks(index.store)
    texts = [r.body for r in rows]
    started = time.perf_counter()
    embeddings.embed_documents(texts)
    raw = time.perf_counter() - started
    pdf_pages = sum(s.pages or 0 for s in index.sources() if s.doc.endswith(".pdf"))
    return {
        "documents": len(report.files),
        "chunks": report.chunks,
        "pdf_pages": pdf_pages,
        "seconds": seconds,
        "chunks_per_s": report.chunks / seconds,
        "documents_per_s": len(report.files) / seconds,
        "raw_embedding_chunks_per_s": len(texts) / raw,
        "pipeline_to_embedding_ratio": (report.chunks / seconds) / (len(texts) / raw),
    }


def ingest_pdfs(settings: Settings, embeddings) -> dict[str, float]:  # noqa: ANN001
    index = KnowledgeIndex(settings, embeddings)
    pdfs = sorted((ROOT / "knowledge" / "corpus").glob("*.pdf"))
    started = time.perf_counter()
    report = index.ingest(pdfs)
    seconds = time.perf_counter() - started
    pages = sum(f.pages or 0 for f in report.files)
    return {"pdfs": len(pdfs), "pages": pages, "chunks": report.chunks, "pages_per_s": pages / seconds}


def scaled_corpus(target: Path, chunks: int, index: KnowledgeIndex) -> None:
    """Markdown files whose clauses are the shipped chunks with distinct plant-specific prefixes."""
    rows = documents.all_chunks(index.store)
    per_file, written, n = 40, 0, 0
    while written < chunks:
        lines = [f"# Plant standard {n}", ""]
        for i in range(per_file):
            row = rows[(written + i) % len(rows)]
            lines += [
                f"## {i + 1} Section {i + 1} of plant standard {n}",
                f"{i + 1}.1 Plant {n} variant {i}: {row.body[:700]}",
                "",
            ]
        (target / f"plant-{n:04d}.md").write_text("\n".join(lines), encoding="utf-8")
        written += per_file
        n += 1


def latency(index: KnowledgeIndex, dataset: list[dict], repeats: int = 2) -> dict[str, dict[str, float]]:
    results = {}
    index.search("warm up", k=5)
    for mode in MODES:
        times = []
        for _ in range(repeats):
            for q in dataset:
                started = time.perf_counter()
                index.search(q["input"], k=5, mode=mode)
                times.append((time.perf_counter() - started) * 1000)
        times.sort()
        results[mode] = {"p50_ms": statistics.median(times), "p95_ms": times[int(0.95 * (len(times) - 1))]}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chunks", type=int, default=10000)
    parser.add_argument("--skip-scale", action="store_true")
    args = parser.parse_args()
    dataset = load_dataset()
    embeddings = get_embeddings(Settings(_env_file=None))  # type: ignore[call-arg]
    with tempfile.TemporaryDirectory() as tmp:
        base = Settings(_env_file=None, home=Path(tmp) / "corpus")  # type: ignore[call-arg]
        ingestion = ingest_corpus(base, embeddings)
        index = KnowledgeIndex(base, embeddings)
        report = {
            "questions": len(dataset),
            "quality": quality(index, dataset),
            "ingestion": ingestion,
            "pdf_ingestion": ingest_pdfs(Settings(_env_file=None, home=Path(tmp) / "pdf"), embeddings),
        }  # type: ignore[call-arg]
        report["latency_corpus"] = latency(index, dataset)
        if not args.skip_scale:
            docs = Path(tmp) / "scaled"
            docs.mkdir()
            scaled_corpus(docs, args.chunks - ingestion["chunks"], index)
            started = time.perf_counter()
            index.ingest([docs])
            total = len(documents.all_chunks(index.store))
            report["scale"] = {
                "chunks": total,
                "ingest_seconds": time.perf_counter() - started,
                "latency": latency(KnowledgeIndex(base, embeddings), dataset),
                "quality": quality(index, dataset),
            }
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "retrieval.json").write_text(json.dumps(report, indent=2))
    print_report(report)


def print_report(report: dict) -> None:
    print(f"Retrieval on {report['questions']} questions over the shipped corpus\n")
    print("| mode | recall@1 | recall@5 | MRR@10 |\n|---|---|---|---|")
    for mode, q in report["quality"].items():
        print(f"| {mode} | {q['recall@1']:.3f} | {q['recall@5']:.3f} | {q['mrr@10']:.3f} |")
    ing = report["ingestion"]
    print(
        f"\nIngestion: {ing['documents']} documents, {ing['chunks']} chunks in {ing['seconds']:.1f} s = "
        f"{ing['chunks_per_s']:.1f} chunks/s; raw embedding {ing['raw_embedding_chunks_per_s']:.1f} chunks/s; "
        f"pipeline/embedding ratio {ing['pipeline_to_embedding_ratio']:.2f}"
    )
    pdf = report["pdf_ingestion"]
    print(f"PDF ingestion: {pdf['pages']} pages of {pdf['pdfs']} PDFs at {pdf['pages_per_s']:.1f} pages/s")
    for label, lat in (("corpus", report["latency_corpus"]),) + (
        (("10k", report["scale"]["latency"]),) if "scale" in report else ()
    ):
        print(
            f"Latency ({label}): "
            + ", ".join(f"{m} p50 {v['p50_ms']:.1f} ms / p95 {v['p95_ms']:.1f} ms" for m, v in lat.items())
        )
    if "scale" in report:
        s = report["scale"]
        print(
            f"Scale: {s['chunks']} chunks (ingested in {s['ingest_seconds']:.0f} s); hybrid recall@5 with "
            f"distractors {s['quality']['hybrid']['recall@5']:.3f}"
        )


if __name__ == "__main__":
    main()
