"""A citation: the document, clause and page a fact came from, in one type and one written form."""

from __future__ import annotations

from pydantic import BaseModel


class Citation(BaseModel):
    """Where a fact came from: document, clause or section, page."""

    doc: str
    section: str | None = None
    page: int | None = None

    def label(self) -> str:
        """The one written form of a citation: `tolerances.md §3.2, p. 4` (clause and page when known)."""
        section = f" §{self.section}" if self.section else ""
        page = f", p. {self.page}" if self.page is not None else ""
        return f"{self.doc}{section}{page}"
