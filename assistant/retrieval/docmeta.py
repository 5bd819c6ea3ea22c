"""What a document is called and who may read it: the metadata given at ingest, checked, and the title chosen."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import InputError
from assistant.retrieval.access import DEFAULT_ACCESS, AccessLevel, access_level
from assistant.retrieval.document import Block
from assistant.store.documents import DocumentRecord

_JUNK_TITLE = re.compile(
    r"^(microsoft (word|excel|powerpoint)\s*-|untitled|(document|title)\s*\d*$)|\.(tmp|docx?|pdf|indd|qxd)$", re.I
)


def usable_title(text: str | None) -> bool:
    """Whether a title names the document: some letters, and not an editor's placeholder ("Untitled", "x.doc")."""
    text = (text or "").strip()
    return sum(ch.isalpha() for ch in text) >= 2 and not _JUNK_TITLE.search(text)


def structure_title(blocks: Sequence[Block]) -> str | None:
    """The first unnumbered heading of the document's structure (its "# Title" or Title paragraph), if usable."""
    return next((b.text for b in blocks if b.kind == "heading" and b.number is None and usable_title(b.text)), None)


def document_title(given: str | None, loaded: str, blocks: Sequence[Block], path: Path) -> str:
    """The title given at ingest, else the one the file declares, else its structure's, else the file name."""
    for candidate in (given, loaded, structure_title(blocks)):
        if usable_title(candidate):
            return " ".join(str(candidate).split())[:160]
    return path.stem


def _iso_date(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise InputError(f"the effective date '{value}' is not a date; write it as YYYY-MM-DD") from None


@dataclass(frozen=True)
class IngestMeta:
    """Metadata given at ingest; None keeps what the document already has (a new one: internal, no revision)."""

    access: AccessLevel | None = None
    title: str | None = None
    revision: str | None = None
    effective_date: str | None = None

    @classmethod
    def checked(
        cls,
        access: str | AccessLevel | None = None,
        title: str | None = None,
        revision: str | None = None,
        effective_date: str | None = None,
    ) -> IngestMeta:
        """The metadata with the access level and date validated (an error names the bad value and the fix)."""
        if title is not None and not usable_title(title):
            raise InputError(f"the title '{title}' names nothing; give the document's real title or leave it out")
        return cls(
            access=access_level(access) if access is not None else None,
            title=title.strip() if title else None,
            revision=(revision.strip() or None) if revision is not None else None,
            effective_date=_iso_date(effective_date),
        )

    def differs(self, existing: DocumentRecord) -> bool:
        """Whether re-ingesting with this metadata changes what the document has now."""
        given = {
            "access": self.access,
            "title": self.title,
            "revision": self.revision,
            "effective_date": self.effective_date,
        }
        return any(value is not None and value != getattr(existing, name) for name, value in given.items())

    def resolved(self, existing: DocumentRecord | None) -> tuple[AccessLevel, str | None, str | None]:
        """Access level, revision and effective date: given, else kept from the indexed document, else defaults.

        A re-ingest without --access keeps the level: re-indexing a restricted document never makes it internal.
        """
        if existing is None:
            return self.access or DEFAULT_ACCESS, self.revision, self.effective_date
        access = self.access or access_level(existing.access)
        return access, self.revision or existing.revision, self.effective_date or existing.effective_date
