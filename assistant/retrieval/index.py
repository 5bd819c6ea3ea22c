"""The knowledge index: ingest files into the store + Chroma + BM25, remove them, and search them."""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Iterable, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from assistant.config import Settings
from assistant.errors import EmbeddingMismatchError, EmptyIndexError, InputError, PreproError
from assistant.llm.sanitize import instruction_like
from assistant.progress import ProgressFn
from assistant.retrieval import keyword, manifest, vectors
from assistant.retrieval.access import DEFAULT_ACCESS, AccessLevel, Allowed, chroma_filter, permits
from assistant.retrieval.chunking import Chunk, chunk_blocks, document_label
from assistant.retrieval.docmeta import IngestMeta, document_title
from assistant.retrieval.embeddings import embedding_id, get_embeddings
from assistant.retrieval.fusion import FUSION_MODES, FusionParams, promote, relevance
from assistant.retrieval.loaders import DOC_KINDS, LOADERS, load_document
from assistant.retrieval.models import FileOutcome, IngestReport, Passage, Source
from assistant.retrieval.passages import by_page, cited_passage
from assistant.retrieval.ranges import rows_holding, sizes_in
from assistant.retrieval.structure import parse_blocks
from assistant.store import Store, documents, meta, now, open_store, revisions
from assistant.store.documents import DocumentRecord
from assistant.store.revisions import RevisionRecord

_VECTOR_ACCESS = "vector_access"  # meta key: every vector carries its document's access level


def _unsupported(path: Path, in_folder: bool) -> FileOutcome:
    """Files of other types met in a folder are skipped; named explicitly, they are a failure."""
    reason = f"unsupported file type '{path.suffix}'"
    if in_folder:
        return FileOutcome(path=str(path), doc=path.name, status="skipped", reason=reason)
    supported = ", ".join(sorted(LOADERS))
    return FileOutcome(path=str(path), doc=path.name, status="failed", reason=f"{reason} (supported: {supported})")


def discover(paths: Iterable[Path | str]) -> tuple[list[Path], list[FileOutcome]]:
    """Supported files under the given files and folders, and outcomes for what cannot be indexed."""
    found: list[Path] = []
    outcomes: list[FileOutcome] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            candidates = [
                (item, True)
                for item in sorted(path.rglob("*"))
                if item.is_file() and not any(p.startswith((".", "_")) for p in item.relative_to(path).parts)
            ]
        elif path.is_file():
            candidates = [(path, False)]
        else:
            outcomes.append(
                FileOutcome(path=str(path), doc=path.name, status="failed", reason="no such file or folder")
            )
            continue
        for item, in_folder in candidates:
            if item.suffix.lower() in LOADERS:
                found.append(item)
            else:
                outcomes.append(_unsupported(item, in_folder))
    return found, outcomes


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class KnowledgeIndex:
    """Documents indexed for hybrid retrieval under one PREPRO_HOME."""

    def __init__(self, settings: Settings, embeddings: Embeddings | None = None) -> None:
        self.settings = settings
        self._embeddings = embeddings
        self._keyword: keyword.KeywordIndex | None = None
        self._query_vectors: dict[str, list[float]] = {}
        self._vector_access = False

    @cached_property
    def store(self) -> Store:
        """The database: manifest and chunks (and the LLM log, shared with the models)."""
        return open_store(self.settings)

    @cached_property
    def collection(self) -> Any:
        """The Chroma collection."""
        return vectors.open_collection(self.settings)

    @property
    def embeddings(self) -> Embeddings:
        """The embedding model (loaded on first use)."""
        if self._embeddings is None:
            self._embeddings = get_embeddings(self.settings)
        return self._embeddings

    def _check_embedding_space(self) -> None:
        stored, current = meta.get_meta(self.store, "embedding"), embedding_id(self.settings)
        if stored is None:
            meta.set_meta(self.store, "embedding", current)
        elif stored != current:
            raise EmbeddingMismatchError(
                f"the index under {self.settings.home} was built with embeddings '{stored}' but the settings "
                f"ask for '{current}'; restore the embedding settings or use a new PREPRO_HOME and re-ingest"
            )

    # ---- ingest -------------------------------------------------------------------------------
    def ingest(
        self,
        paths: Sequence[Path | str],
        password: str | None = None,
        kind: str | None = None,
        force: bool = False,
        progress: ProgressFn | None = None,
        *,
        access: str | AccessLevel | None = None,
        title: str | None = None,
        revision: str | None = None,
        effective_date: str | None = None,
    ) -> IngestReport:
        """Index files and folders; unchanged files are skipped, changed ones replaced, bad ones reported.

        `access` (public, internal, restricted), `revision` and `effective_date` (YYYY-MM-DD) apply to every file;
        left out, a re-indexed document keeps its own (a new one is internal). `title` names one file.
        """
        if kind is not None and kind not in DOC_KINDS:
            raise InputError(f"unknown document kind '{kind}' (choose from: {', '.join(DOC_KINDS)})")
        given = IngestMeta.checked(access, title, revision, effective_date)
        started = time.perf_counter()
        files, outcomes = discover(paths)
        if given.title and len(files) > 1:
            raise InputError(
                f"a title names one document, but {len(files)} files were given; ingest them one at a time to title each"
            )
        self._check_embedding_space()
        self._ensure_vector_access()
        for n, path in enumerate(files):
            if progress:
                progress(n, len(files), path.name)
            outcomes.append(self._ingest_file(path, password, kind, force, given))
        if progress:
            progress(len(files), len(files), "done")
        if any(o.status in {"added", "updated"} for o in outcomes):
            self._collect_orphans()
            self.keyword_index(rebuild=True)
        return IngestReport(files=outcomes, seconds=time.perf_counter() - started)

    def _ingest_file(
        self, path: Path, password: str | None, kind: str | None, force: bool, given: IngestMeta
    ) -> FileOutcome:
        sha = _sha256(path)
        existing = documents.get_document(self.store, path.name)
        base = {"path": str(path), "doc": path.name}
        same = existing and existing.sha256 == sha and (kind is None or kind == existing.kind)
        if existing and same and not force and not given.differs(existing):
            return FileOutcome(
                **base, status="unchanged", chunks=existing.chunks, pages=existing.pages, flagged=existing.flagged
            )
        if existing and existing.sha256 != sha and existing.path != str(path.resolve()):
            self._keep_unchanged(existing)  # the content it replaces, if that other file still holds it
        try:
            loaded = load_document(path, password, kind)
        except PreproError as exc:
            return FileOutcome(**base, status="failed", reason=str(exc))
        except Exception as exc:  # noqa: BLE001 - a broken file must not stop the batch; reported, not swallowed
            return FileOutcome(
                **base, status="failed", reason=f"{path.name}: could not be read ({type(exc).__name__}: {exc})"
            )
        blocks = list(loaded.blocks) or parse_blocks(loaded.pages, loaded.markdown)
        title = document_title(given.title, loaded.title, blocks, path)
        chunks = chunk_blocks(
            blocks, document_label(loaded.doc, title), self.settings.chunk_tokens, self.settings.chunk_overlap
        )
        if not chunks:
            return FileOutcome(**base, status="failed", reason=f"{path.name}: no text to index")
        access, revision, effective_date = given.resolved(existing)
        vectors.add(
            self.collection,
            [manifest.chunk_id(sha, c.ord) for c in chunks],
            self.embeddings.embed_documents([c.index_text for c in chunks]),
            [{"doc": loaded.doc, "kind": loaded.kind, "access": access.value} for _ in chunks],
        )
        flagged = [c for c in chunks if instruction_like(c.text)]
        pages = len(loaded.pages) + loaded.image_only_pages if path.suffix.lower() == ".pdf" else None
        record = DocumentRecord(
            loaded.doc,
            str(path.resolve()),
            sha,
            title,
            loaded.kind,
            pages,
            loaded.image_only_pages,
            len(chunks),
            now(),
            access.value,
            revision,
            effective_date,
            len(flagged),
        )
        stale = documents.replace_document(self.store, record, manifest.chunk_records(record, chunks))
        vectors.delete(self.collection, stale)
        self._keep_revision(path, record)
        warnings = [*loaded.warnings, *_flag_warnings(flagged)]
        if existing and existing.path != record.path:
            warnings.append(f"replaces the document of the same name from {existing.path}")
        return FileOutcome(
            **base,
            status="updated" if existing else "added",
            chunks=len(chunks),
            pages=pages,
            image_only_pages=loaded.image_only_pages,
            flagged=len(flagged),
            warnings=warnings,
        )

    def _keep_revision(self, path: Path, record: DocumentRecord) -> None:
        """Archive this content of the document (PREPRO_HOME/revisions/<sha>/<name>, once per content), so that a
        later replacement keeps it for the citations of drafts approved against it."""
        target = self.settings.home / "revisions" / record.sha256[:16] / path.name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
        revisions.keep_revision(
            self.store,
            RevisionRecord(
                record.doc,
                record.sha256,
                record.revision,
                record.effective_date,
                record.title,
                str(target),
                record.ingested_at,
            ),
        )

    def keep_current_revision(self, doc: str) -> DocumentRecord | None:
        """Make sure the indexed content of a document is archived (for documents indexed before revisions were
        kept: while its file is unchanged); the document's record, or None when it is not indexed."""
        record = documents.get_document(self.store, doc)
        if record is not None:
            self._keep_unchanged(record)
        return record

    def _keep_unchanged(self, record: DocumentRecord) -> None:
        """Archive an indexed content not kept yet, if its file still holds it."""
        if revisions.get_revision(self.store, record.doc, record.sha256) is not None:
            return
        path = Path(record.path)
        if path.is_file() and _sha256(path) == record.sha256:
            self._keep_revision(path, record)

    def revision_file(self, doc: str, sha256: str) -> Path:
        """The file of a document as it was at a content hash (an approval's cited revision): its archived copy;
        an input error when that revision was never indexed here."""
        kept = revisions.get_revision(self.store, doc, sha256)
        if kept is None or not Path(kept.archived_path).is_file():
            raise InputError(
                f"revision {sha256[:12]} of '{doc}' is not kept here (it was indexed before revisions were)"
            )
        return Path(kept.archived_path)

    def _ensure_vector_access(self) -> None:
        """Vectors written before access levels existed get their document's level, once: a filtered search needs it."""
        if self._vector_access or meta.get_meta(self.store, _VECTOR_ACCESS) == "1":
            self._vector_access = True
            return
        levels = documents.access_by_doc(self.store)
        rows = documents.all_chunks(self.store)
        vectors.update_metadata(
            self.collection,
            [r.id for r in rows],
            [{"doc": r.doc, "kind": r.kind, "access": levels.get(r.doc, DEFAULT_ACCESS.value)} for r in rows],
        )
        meta.set_meta(self.store, _VECTOR_ACCESS, "1")
        self._vector_access = True

    def _collect_orphans(self) -> None:
        """Delete vectors left behind by an interrupted run (ids the manifest no longer has)."""
        ids = vectors.all_ids(self.collection)
        known = documents.chunk_rows(self.store, ids)
        vectors.delete(self.collection, [i for i in ids if i not in known])

    # ---- remove and list ----------------------------------------------------------------------
    def remove(self, doc: str) -> int:
        """Delete a document from every index; returns its chunk count."""
        if documents.get_document(self.store, doc) is None:
            known = [d.doc for d in documents.list_documents(self.store)]
            close = [d for d in known if doc.lower() in d.lower()][:5]
            hint = f"; did you mean: {', '.join(close)}?" if close else "; `prepro sources` lists the indexed documents"
            raise InputError(f"no indexed document named '{doc}'{hint}")
        ids = documents.delete_document(self.store, doc)
        vectors.delete(self.collection, ids)
        self.keyword_index(rebuild=True)
        return len(ids)

    def sources(self, allowed: Allowed | None = None) -> list[Source]:
        """Every indexed document the reader may see (`allowed` levels; None: all)."""
        return [
            Source(**{k: v for k, v in r.__dict__.items() if k != "sha256"})
            for r in documents.list_documents(self.store)
            if permits(allowed, r.access)
        ]

    def readable(self, doc: str, allowed: Allowed | None) -> bool:
        """Whether a reader of the `allowed` levels may see the document named (one not indexed hides nothing)."""
        if allowed is None:
            return True
        record = documents.get_document(self.store, doc)
        return record is None or permits(allowed, record.access)

    # ---- search -------------------------------------------------------------------------------
    def keyword_index(self, rebuild: bool = False) -> keyword.KeywordIndex:
        """The BM25 index, rebuilt from the manifest when missing or behind it."""
        current = meta.generation(self.store)
        if not rebuild and self._keyword and self._keyword.generation == current:
            return self._keyword
        loaded = None if rebuild else keyword.load(self.settings.bm25_path)
        if loaded is None or loaded.generation != current:
            rows = documents.all_chunks(self.store)
            loaded = keyword.build(
                [r.id for r in rows], [r.body for r in rows], [r.doc for r in rows], [r.kind for r in rows], current
            )
            keyword.save(loaded, self.settings.bm25_path)
        self._keyword = loaded
        return loaded

    def search(
        self,
        query: str,
        k: int = 5,
        kind: str | None = None,
        doc: str | None = None,
        mode: str = "hybrid",
        allowed: Allowed | None = None,
        min_relevance: float | None = None,
    ) -> list[Passage]:
        """The k best passages for the query: dense and BM25 rankings fused (or one of them alone).

        Only documents of the `allowed` access levels are searched (None: all). In hybrid mode nothing is returned
        when the query's relevance (assistant.retrieval.fusion.relevance) is below `min_relevance` (None: the
        PREPRO_MIN_RELEVANCE setting).
        """
        self._check_query(query, k, mode, kind)
        levels = documents.access_by_doc(self.store)
        permitted = None if allowed is None else {d for d, level in levels.items() if permits(allowed, level)}
        if permitted is not None and not permitted:
            return []
        depth = max(4 * k, 20)
        dense = self._dense(query, depth, kind, doc, allowed) if mode != "bm25" else []
        sparse = self.keyword_index().search(query, depth, kind, doc, permitted) if mode != "dense" else []
        candidates = documents.chunk_rows(self.store, list(dict.fromkeys(i for i, _ in dense + sparse)))
        if permitted is not None:  # the store, not the vectors' metadata, says who may read a document
            candidates = {i: r for i, r in candidates.items() if r.doc in permitted}
            dense, sparse = [p for p in dense if p[0] in candidates], [p for p in sparse if p[0] in candidates]
        floor = self.settings.min_relevance if min_relevance is None else min_relevance
        if mode == "hybrid" and floor > 0:
            coverage = self.keyword_index().coverage(query, kind, doc, permitted)
            if relevance(dense[0][1] if dense else 0.0, coverage, self.settings.dense_weight) < floor:
                return []
        fused = FUSION_MODES[mode](dense, sparse, FusionParams(self.settings.rrf_k, self.settings.dense_weight))
        rows = {i: candidates[i] for i, _ in fused[:depth] if i in candidates}
        sizes = sizes_in(query) if mode == "hybrid" else []
        if sizes:  # a sized question: the table rows whose range holds the size join the fused ranking
            ranged = [i for i, _ in fused[:depth] if i in rows and rows_holding(rows[i].text, sizes)]
            fused = promote(fused, ranged, self.settings.rrf_k, self.settings.dense_weight)
        similarity, bm25 = dict(dense), dict(sparse)
        terms = set(keyword.tokenize([query])[0])
        pages = by_page([(rows[i], score) for i, score in fused if i in rows])
        return [cited_passage(group, score, similarity, bm25, terms, levels) for group, score in pages[:k]]

    def _check_query(self, query: str, k: int, mode: str, kind: str | None) -> None:
        """A search that cannot run is an error naming the bad value; an empty index says how to fill it."""
        if not query.strip():
            raise InputError("the search query is empty")
        if k < 1:
            raise InputError(f"k must be at least 1 (got {k})")
        if mode not in FUSION_MODES:
            raise InputError(f"unknown search mode '{mode}' (choose from: {', '.join(FUSION_MODES)})")
        if kind is not None and kind not in DOC_KINDS:
            raise InputError(f"unknown document kind '{kind}' (choose from: {', '.join(DOC_KINDS)})")
        if not documents.has_chunks(self.store):
            raise EmptyIndexError(
                f"the knowledge base under {self.settings.home} is empty; index documents first: prepro ingest knowledge/"
            )

    def _dense(
        self, query: str, n: int, kind: str | None, doc: str | None, allowed: Allowed | None = None
    ) -> list[tuple[str, float]]:
        self._check_embedding_space()
        filters: list[vectors.Where] = [{"kind": kind}] if kind else []
        filters += [{"doc": doc}] if doc else []
        if allowed is not None:
            self._ensure_vector_access()
            filters.append(chroma_filter(allowed) or {})
        where = filters[0] if len(filters) == 1 else {"$and": filters} if filters else None
        return vectors.query(self.collection, self._query_vector(query), n, where)

    def top_similarity(self, query: str, allowed: Allowed | None = None) -> float:
        """Cosine similarity of the query's nearest chunk the reader may see: how well the index covers it at all."""
        nearest = self._dense(query, 5, None, None, allowed)
        if allowed is not None and nearest:
            levels = documents.access_by_doc(self.store)
            rows = documents.chunk_rows(self.store, [i for i, _ in nearest])
            nearest = [(i, s) for i, s in nearest if i in rows and permits(allowed, levels.get(rows[i].doc, ""))]
        return nearest[0][1] if nearest else 0.0

    def _query_vector(self, query: str) -> list[float]:
        """The query's embedding; repeated queries (batch drafts of similar parts, re-asked questions) reuse it."""
        if query not in self._query_vectors:
            if len(self._query_vectors) >= 512:
                self._query_vectors.pop(next(iter(self._query_vectors)))
            self._query_vectors[query] = self.embeddings.embed_query(query)
        return self._query_vectors[query]


def _flag_warnings(flagged: Sequence[Chunk]) -> list[str]:
    """One warning for the passages holding instruction-like text, quoting the first such sentence."""
    if not flagged:
        return []
    first = instruction_like(flagged[0].text)[0]
    return [
        f'{len(flagged)} passage(s) hold instruction-like text, flagged and kept out of prompts (first: "{first[:80]}")'
    ]
