"""From ranked chunk rows to cited passages: the chunks of one page grouped, the clause a passage is cited by."""

from __future__ import annotations

from assistant.retrieval import keyword
from assistant.retrieval.access import DEFAULT_ACCESS
from assistant.retrieval.models import Passage
from assistant.store.documents import ChunkRecord


def best_clause(text: str, clauses: list[str], terms: set[str]) -> str | None:
    """The clause of a multi-clause passage that shares most query terms (the first one on a tie)."""
    segments: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        head = line.split(" ", 1)[0].rstrip(".")
        current = head if head in clauses else current
        if current:
            segments.setdefault(current, []).append(line)
    if not segments:
        return clauses[0] if clauses else None
    tokens = keyword.tokenize([" ".join(lines) for lines in segments.values()])
    overlap = {c: len(terms & set(words)) for c, words in zip(segments, tokens, strict=True)}
    return max(clauses, key=lambda c: (overlap.get(c, -1), -clauses.index(c)))


def by_page(ranked: list[tuple[ChunkRecord, float]]) -> list[tuple[list[ChunkRecord], float]]:
    """Chunks of one page of a PDF are one passage (ranked where its best chunk ranks): k passages, k pages."""
    groups: dict[tuple[str, int | str], tuple[list[ChunkRecord], float]] = {}
    for row, score in ranked:
        key = (row.doc, row.page if row.page is not None else row.id)
        if key in groups:
            groups[key][0].append(row)
        else:
            groups[key] = ([row], score)
    return list(groups.values())


def cited_passage(
    rows: list[ChunkRecord],
    score: float,
    similarity: dict[str, float],
    bm25: dict[str, float],
    terms: set[str],
    levels: dict[str, str],
) -> Passage:
    """One passage from the chunks of a page, in reading order; the best chunk names the clause."""
    best, ordered = rows[0], sorted(rows, key=lambda r: r.ord)
    text = "\n".join(r.text for r in ordered)
    clauses = list(dict.fromkeys(c for r in ordered for c in r.clauses.split(",") if c))
    best_clauses = [c for c in best.clauses.split(",") if c]
    return Passage(
        text=text,
        score=round(score, 6),
        doc=best.doc,
        page=best.page,
        section=best_clause(best.text, best_clauses, terms) if len(best_clauses) > 1 else best.section,
        kind=best.kind,
        title=best.title,
        heading=best.heading,
        clauses=clauses,
        similarity=max((similarity[r.id] for r in rows if r.id in similarity), default=None),
        bm25=max((bm25[r.id] for r in rows if r.id in bm25), default=None),
        access=levels.get(best.doc, DEFAULT_ACCESS.value),
    )
