"""The keyword side of the index: BM25 (bm25s) over the chunks, saved beside the database."""

from __future__ import annotations

import json
import shutil
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import numpy as np

TOKEN_PATTERN = r"(?u)\b(?:\w+(?:\.\w+)+|\w\w+)\b"  # keeps 0.8, 12.5 and 4.2.1 whole
_META = "prepro.json"


def _stemmer():  # noqa: ANN202 - PyStemmer has no stubs
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(texts: list[str]) -> list[list[str]]:
    """Lower-cased, stop-word-free, stemmed tokens."""
    import bm25s

    return bm25s.tokenize(
        texts, token_pattern=TOKEN_PATTERN, stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False
    )


@dataclass
class KeywordIndex:
    """A BM25 model with the chunk id, document and kind of each row."""

    model: object
    ids: list[str]
    docs: list[str]
    kinds: list[str]
    generation: int

    def _mask(self, kind: str | None, doc: str | None, docs: Collection[str] | None) -> np.ndarray | None:
        """Rows that may be returned: of the kind, of the document, of the permitted documents (None: all)."""
        if kind is None and doc is None and docs is None:
            return None
        return np.array(
            [
                (kind is None or k == kind) and (doc is None or d == doc) and (docs is None or d in docs)
                for k, d in zip(self.kinds, self.docs, strict=True)
            ],
            dtype=bool,
        )

    def search(
        self,
        query: str,
        n: int,
        kind: str | None = None,
        doc: str | None = None,
        docs: Collection[str] | None = None,
    ) -> list[tuple[str, float]]:
        """Best chunks for the query as (id, BM25 score), zero scores dropped; `docs` limits the documents."""
        if not self.ids:
            return []
        tokens = tokenize([query])[0]
        if not tokens:
            return []
        scores = np.asarray(self.model.get_scores(tokens), dtype=np.float64)  # type: ignore[attr-defined]
        mask = self._mask(kind, doc, docs)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        top = np.argsort(-scores, kind="stable")[:n]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def coverage(
        self, query: str, kind: str | None = None, doc: str | None = None, docs: Collection[str] | None = None
    ) -> float:
        """Share of the query's distinct terms that occur in at least one chunk the search may return (0 to 1)."""
        terms = set(tokenize([query])[0])
        if not terms or not self.ids:
            return 0.0
        vocabulary: dict[str, int] = getattr(self.model, "vocab_dict", None) or {}
        mask = self._mask(kind, doc, docs)
        found = 0
        for term in terms:
            if term not in vocabulary:
                continue
            scores = np.asarray(self.model.get_scores([term]), dtype=np.float64)  # type: ignore[attr-defined]
            found += bool(np.any(scores[mask] > 0) if mask is not None else np.any(scores > 0))
        return found / len(terms)


def build(ids: list[str], texts: list[str], docs: list[str], kinds: list[str], generation: int) -> KeywordIndex:
    """Index the chunk texts."""
    import bm25s

    model = bm25s.BM25()
    if texts:
        model.index(tokenize(texts), show_progress=False)
    return KeywordIndex(model, ids, docs, kinds, generation)


def save(index: KeywordIndex, folder: Path) -> None:
    """Write the index next to `folder` and swap it in, so a reader never sees half an index."""
    tmp, old = folder.with_name(folder.name + ".tmp"), folder.with_name(folder.name + ".old")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    if index.ids:
        index.model.save(str(tmp), show_progress=False)  # type: ignore[attr-defined]
    meta = {"ids": index.ids, "docs": index.docs, "kinds": index.kinds, "generation": index.generation}
    (tmp / _META).write_text(json.dumps(meta), encoding="utf-8")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    tmp.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


def load(folder: Path) -> KeywordIndex | None:
    """The saved index, or None when there is none or it is unreadable (the caller rebuilds it)."""
    import bm25s

    try:
        meta = json.loads((folder / _META).read_text(encoding="utf-8"))
        model = bm25s.BM25.load(str(folder), mmap=False) if meta["ids"] else bm25s.BM25()
    except (OSError, ValueError, KeyError):
        return None
    return KeywordIndex(model, meta["ids"], meta["docs"], meta["kinds"], int(meta["generation"]))
