"""What retrieval returns to callers: passages with citations, ingest reports, indexed sources."""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.citation import Citation


class Passage(BaseModel):
    """A retrieved chunk with its score and citation."""

    text: str
    score: float
    doc: str
    page: int | None = None
    section: str | None = None
    kind: str
    title: str = ""
    heading: str = ""
    clauses: list[str] = Field(default_factory=list)
    similarity: float | None = None
    bm25: float | None = None
    access: str = "internal"  # the document's access level: public, internal or restricted

    @property
    def citation(self) -> Citation:
        """The passage's citation."""
        return Citation(doc=self.doc, section=self.section, page=self.page)


class FileOutcome(BaseModel):
    """What happened to one file during ingest."""

    path: str
    doc: str
    status: str  # added | updated | unchanged | failed | skipped
    chunks: int = 0
    pages: int | None = None
    image_only_pages: int = 0
    flagged: int = 0  # passages with instruction-like text
    reason: str | None = None
    warnings: list[str] = Field(default_factory=list)


class IngestReport(BaseModel):
    """Per-file outcomes of an ingest run and its totals."""

    files: list[FileOutcome] = Field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        """Number of files with the given status."""
        return sum(1 for f in self.files if f.status == status)

    @property
    def chunks(self) -> int:
        """Chunks written in this run."""
        return sum(f.chunks for f in self.files if f.status in {"added", "updated"})

    def summary(self) -> str:
        """One line: counts per status and chunks written."""
        statuses = ("added", "updated", "unchanged", "skipped", "failed")
        counts = ", ".join(f"{self.count(s)} {s}" for s in statuses if self.count(s))
        return f"{counts or 'nothing to do'}; {self.chunks} chunks in {self.seconds:.1f} s"


class Source(BaseModel):
    """An indexed document as `prepro sources` lists it."""

    doc: str
    title: str
    kind: str
    pages: int | None
    image_only_pages: int
    chunks: int
    path: str
    ingested_at: str
    access: str = "internal"
    revision: str | None = None
    effective_date: str | None = None
    flagged: int = 0  # passages with instruction-like text (kept out of prompts when retrieved)
