"""The store's contract, on a real SQLite file and a real PostgreSQL server: migrations, adoption, writes."""

from __future__ import annotations

import socket
import sqlite3
import threading
from dataclasses import fields
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from assistant.config import Settings
from assistant.errors import ConfigError, KnowledgeBaseError
from assistant.retrieval.index import KnowledgeIndex
from assistant.store import Store, documents, llm_log, meta, open_store, schema
from assistant.store.documents import ChunkRecord, DocumentRecord
from assistant.store.migrate import BASELINE, current, head
from assistant.store.schema import llm_cache
from assistant.store.upsert import upsert
from tests.conftest import make_settings

# The schema exactly as assistant/db.py created it before Alembic (migrations 1 and 2, PRAGMA user_version 2).
OLD_DDL = """
CREATE TABLE documents (
    doc TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    pages INTEGER,
    image_only_pages INTEGER NOT NULL DEFAULT 0,
    chunks INTEGER NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE TABLE chunks (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    text TEXT NOT NULL,
    context TEXT NOT NULL,
    section TEXT,
    clauses TEXT NOT NULL,
    heading TEXT NOT NULL,
    page INTEGER,
    kind TEXT NOT NULL,
    title TEXT NOT NULL
);
CREATE INDEX chunks_doc ON chunks(doc);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE llm_calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    step TEXT NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    cost_usd REAL NOT NULL,
    latency_s REAL NOT NULL,
    cached INTEGER NOT NULL,
    counted TEXT NOT NULL
);
CREATE TABLE llm_cache (
    key TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    value TEXT NOT NULL,
    created_at TEXT NOT NULL
);
"""

TABLES = {"documents", "chunks", "meta", "llm_calls", "llm_cache"}


def record(doc: str = "a.md", sha: str = "a" * 64, n: int = 3, kind: str = "process") -> DocumentRecord:
    return DocumentRecord(doc, f"/k/{doc}", sha, f"Title of {doc}", kind, None, 0, n, "2026-12-01T00:00:00+00:00")


def rows_of(rec: DocumentRecord) -> list[ChunkRecord]:
    return [
        ChunkRecord(
            f"{rec.sha256[:16]}-{i:05d}", rec.doc, i, f"text {i}", f"context {i}", f"{i}.1", f"{i}.1,{i}.2",
            "Heading", i + 1, rec.kind, rec.title,
        )
        for i in range(rec.chunks)
    ]  # fmt: skip


def old_database(path: Path, ddl: str = OLD_DDL) -> None:
    """A database as the previous prepro left it: raw DDL, user_version 2, some rows."""
    conn = sqlite3.connect(path)
    conn.executescript(ddl)
    conn.execute("PRAGMA user_version = 2")
    if ddl != OLD_DDL:
        conn.close()
        return
    conn.execute(
        "INSERT INTO documents VALUES ('old.md', '/k/old.md', ?, 'Old', 'standard', 4, 1, 1, 'then')", ("b" * 64,)
    )
    conn.execute(
        "INSERT INTO chunks VALUES ('bbbbbbbbbbbbbbbb-00000', 'old.md', 0, 'old text', 'ctx', '1.1', '1.1', 'H', 2, "
        "'standard', 'Old')"
    )
    conn.execute("INSERT INTO meta VALUES ('generation', '7')")
    conn.execute("INSERT INTO llm_cache VALUES ('k', 'openai', 'cached reply', 'then')")
    conn.commit()
    conn.close()


# ---- migrations and adoption ----------------------------------------------------------------------
def test_a_fresh_database_is_migrated_to_the_newest_revision(store: Store, db_settings: Settings) -> None:
    with store.reading() as conn:
        assert current(conn) == head()
        assert set(sa.inspect(conn).get_table_names()) >= TABLES
    again = open_store(db_settings)  # a second open finds it current and changes nothing
    assert documents.list_documents(again) == [] and meta.generation(again) == 0
    again.close()


def test_the_schema_module_matches_the_migrations(store: Store) -> None:
    with store.reading() as conn:
        assert compare_metadata(MigrationContext.configure(conn), schema.metadata) == []


def test_an_old_sqlite_database_is_adopted_not_rebuilt(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "home")
    settings.home.mkdir()
    old_database(settings.db_path)
    store = open_store(settings)
    with store.reading() as conn:
        assert BASELINE == "0001" and current(conn) == head()  # adopted at the baseline, then upgraded
    assert documents.get_document(store, "old.md") == DocumentRecord(
        "old.md", "/k/old.md", "b" * 64, "Old", "standard", 4, 1, 1, "then"
    )
    assert documents.chunk_rows(store, ["bbbbbbbbbbbbbbbb-00000"])["bbbbbbbbbbbbbbbb-00000"].text == "old text"
    assert meta.generation(store) == 7 and llm_log.cached_value(store, "k") == "cached reply"
    assert documents.replace_document(store, record("old.md", "c" * 64, 2), rows_of(record("old.md", "c" * 64, 2))) == [
        "bbbbbbbbbbbbbbbb-00000"
    ]
    assert meta.generation(store) == 8
    store.close()


def test_a_database_with_another_schema_is_refused_by_name(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "home")
    settings.home.mkdir()
    old_database(
        settings.db_path,
        OLD_DDL.replace("    heading TEXT NOT NULL,\n", "").replace("CREATE TABLE meta", "CREATE TABLE other"),
    )
    with pytest.raises(KnowledgeBaseError, match="lacks column chunks.heading, table meta") as caught:
        open_store(settings)
    assert str(settings.db_path) in str(caught.value)


def test_postgresql_database_with_foreign_tables_is_refused(postgres_url: str, tmp_path: Path) -> None:
    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    engine.dispose()
    with pytest.raises(KnowledgeBaseError, match=r"has tables invoices but lacks table documents"):
        open_store(make_settings(tmp_path, database_url=postgres_url))


def test_stores_opened_at_once_migrate_once(db_settings: Settings) -> None:
    opened: list[Store] = []
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            opened.append(open_store(db_settings))
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(opened) == 4
    for s in opened:
        s.close()


def test_unsupported_or_malformed_database_urls_are_explained(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"unsupported database 'mysql' \(supported: sqlite, postgresql\)"):
        open_store(make_settings(tmp_path, database_url="mysql://u@h/db"))
    with pytest.raises(ConfigError, match="PREPRO_DATABASE_URL is not a database URL"):
        open_store(make_settings(tmp_path, database_url="not a url"))


def test_an_unreachable_database_is_named(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"postgresql://prepro:secret@127.0.0.1:{sock.getsockname()[1]}/prepro"
    with pytest.raises(KnowledgeBaseError, match=r"cannot open the database postgresql\+psycopg://prepro:\*\*\*@127"):
        open_store(make_settings(tmp_path, database_url=url))


# ---- documents, chunks, meta ----------------------------------------------------------------------
def test_replace_and_delete_round_trip(store: Store) -> None:
    first = record(n=3)
    assert documents.replace_document(store, first, rows_of(first)) == []
    assert documents.list_documents(store) == [first] and documents.get_document(store, "a.md") == first
    assert documents.has_chunks(store)
    second = record(sha="d" * 64, n=2)
    replaced = documents.replace_document(store, second, rows_of(second))
    assert replaced == [r.id for r in rows_of(first)]
    assert set(documents.chunk_rows(store, replaced + [r.id for r in rows_of(second)])) == {
        r.id for r in rows_of(second)
    }
    assert documents.chunk_rows(store, [rows_of(second)[1].id]) == {rows_of(second)[1].id: rows_of(second)[1]}
    assert documents.delete_document(store, "a.md") == [r.id for r in rows_of(second)]
    assert documents.list_documents(store) == [] and not documents.has_chunks(store)
    assert documents.get_document(store, "a.md") is None


def test_generation_and_meta(store: Store) -> None:
    assert meta.generation(store) == 0 and meta.get_meta(store, "embedding") is None
    doc = record()
    documents.replace_document(store, doc, rows_of(doc))
    documents.replace_document(store, doc, rows_of(doc))
    documents.delete_document(store, "a.md")
    assert meta.generation(store) == 3
    meta.set_meta(store, "embedding", "local:one")
    meta.set_meta(store, "embedding", "local:two")
    assert meta.get_meta(store, "embedding") == "local:two"


def test_documents_are_listed_and_chunks_ordered_in_code_point_order(store: Store) -> None:
    for name, sha in (("b.md", "1" * 64), ("A.md", "f" * 64), ("a-z.md", "0" * 64)):
        documents.replace_document(store, record(name, sha, 2), rows_of(record(name, sha, 2)))
    assert [d.doc for d in documents.list_documents(store)] == ["A.md", "a-z.md", "b.md"]
    rows = documents.all_chunks(store)
    assert [r.id for r in rows] == sorted(r.id for r in rows)
    assert rows[0] == documents.KeywordRow("0000000000000000-00000", "a-z.md", "process", "context 0\ntext 0")


def test_chunk_rows_are_read_in_batches(store: Store) -> None:
    big = record(n=1203)
    documents.replace_document(store, big, rows_of(big))
    ids = [r.id for r in rows_of(big)]
    found = documents.chunk_rows(store, [*ids, "missing-1", "missing-2"])
    assert len(found) == 1203 and found[ids[1202]].ord == 1202
    assert len(documents.all_chunks(store)) == 1203


def test_a_transaction_that_raises_leaves_nothing_written(store: Store) -> None:
    with pytest.raises(RuntimeError, match="power cut"), store.transaction() as conn:
        upsert(conn, llm_cache, {"key": "k", "provider": "p", "value": "v", "created_at": "now"}, "key")
        raise RuntimeError("power cut")
    assert llm_log.cached_value(store, "k") is None
    doc = record(n=2)
    documents.replace_document(store, doc, rows_of(doc))
    clash = record(sha="e" * 64, n=2)
    duplicate = [rows_of(clash)[0], rows_of(clash)[0]]
    with pytest.raises(sa.exc.IntegrityError):
        documents.replace_document(store, clash, duplicate)
    assert documents.get_document(store, "a.md") == doc and meta.generation(store) == 1
    assert set(documents.chunk_rows(store, [r.id for r in rows_of(doc)])) == {r.id for r in rows_of(doc)}


def test_records_follow_their_tables_column_order() -> None:
    assert [f.name for f in fields(DocumentRecord)] == list(schema.documents.c.keys()), "rows are read by position"
    assert [f.name for f in fields(ChunkRecord)] == list(schema.chunks.c.keys()), "rows are read by position"


# ---- LLM cache and usage log ----------------------------------------------------------------------
def test_cache_put_get_and_overwrite(store: Store) -> None:
    assert llm_log.cached_value(store, "key-1") is None
    llm_log.put_cached(store, "key-1", "openai", "first", "t1")
    assert llm_log.cached_value(store, "key-1") == "first"
    llm_log.put_cached(store, "key-1", "openai", "second", "t2")
    assert llm_log.cached_value(store, "key-1") == "second"


def test_usage_log_keeps_every_call_in_order(store: Store) -> None:
    first = llm_log.CallRecord("t1", "openai", "gpt-4o-mini", "answer", 120, 30, 0.000036, 1.25, False, "api")
    hit = llm_log.CallRecord("t2", "openai", "gpt-4o-mini", "answer", 0, 0, 0.0, 0.0, True, "cache")
    llm_log.record_call(store, first)
    llm_log.record_call(store, hit)
    assert llm_log.calls(store) == [first, hit]


def test_concurrent_writes_from_threads_all_land(store: Store) -> None:
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(20):
                llm_log.put_cached(store, f"k-{n}-{i}", "p", f"v-{n}-{i}", "now")
            doc = record(f"doc-{n}.md", f"{n:x}" * 64, 2)
            documents.replace_document(store, doc, rows_of(doc))
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert all(llm_log.cached_value(store, f"k-{n}-{i}") == f"v-{n}-{i}" for n in range(8) for i in range(20))
    assert len(documents.list_documents(store)) == 8 and meta.generation(store) == 8, "no lost generation bump"


# ---- the knowledge index on PostgreSQL ------------------------------------------------------------
def test_knowledge_index_ingests_and_searches_on_postgresql(
    postgres_url: str, tmp_path: Path, embeddings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREPRO_DATABASE_URL", postgres_url)
    settings = make_settings(tmp_path / "home")
    assert settings.database_url == postgres_url
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "grinding.md").write_text(
        "# Grinding\n\n## 4 Accuracy\n4.1 Finish cylindrical grinding reaches IT6 and Ra 0.4 µm on hardened journals.\n"
        "4.2 Rough grinding reaches IT8.\n"
    )
    index = KnowledgeIndex(settings, embeddings)
    report = index.ingest([docs])
    assert report.count("added") == 1
    hits = index.search("finish cylindrical grinding accuracy", k=2)
    assert hits and hits[0].doc == "grinding.md" and "IT6" in hits[0].text
    assert index.store.engine.dialect.name == "postgresql" and not settings.db_path.exists()
    assert index.remove("grinding.md") > 0 and index.sources() == []
