"""Shared fixtures: isolated settings, the real local embedding model, a real embedded Chroma index."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.retrieval.embeddings import get_embeddings
from assistant.retrieval.index import KnowledgeIndex
from assistant.store import Store, open_store
from tests import pg

_ENV = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "PREPRO_LLM_PROVIDER",
    "PREPRO_LLM_BASE_URL",
    "PREPRO_LLM_API_KEY",
    "PREPRO_LLM_MODEL",
    "PREPRO_CHROMA_HOST",
    "PREPRO_LOCAL_ONLY",
    "PREPRO_EMBEDDING_PROVIDER",
    "PREPRO_DATABASE_URL",
    "PREPRO_ADMIN_PASSWORD",
)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PREPRO_HOME", str(tmp_path / "prepro-home"))


def make_settings(home: Path, **overrides: object) -> Settings:
    """Settings that ignore any .env file in the working directory."""
    return Settings(_env_file=None, home=home, **overrides)  # type: ignore[call-arg]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "prepro-home")


@pytest.fixture(scope="session")
def embeddings():
    return get_embeddings(make_settings(Path("/nonexistent")))


@pytest.fixture
def index(settings: Settings, embeddings) -> KnowledgeIndex:
    return KnowledgeIndex(settings, embeddings)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def postgres() -> Iterator[pg.PgServer]:
    """A throwaway PostgreSQL server for the session; skipped without the binaries (a failure under CI)."""
    binaries = pg.find_binaries()
    if binaries is None:
        reason = (
            "PostgreSQL not installed: no initdb/pg_ctl in /usr/lib/postgresql/*/bin or on PATH "
            "(apt-get install postgresql)"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with pg.running(binaries) as server:
        yield server


@pytest.fixture
def postgres_url(postgres: pg.PgServer) -> str:
    """The URL of a new, empty PostgreSQL database."""
    return postgres.create_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for a real SQLite file, then for a fresh PostgreSQL database: the store's contract runs on both."""
    if request.param == "sqlite":
        return make_settings(tmp_path / "home")
    return make_settings(tmp_path / "home", database_url=request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(db_settings: Settings) -> Iterator[Store]:
    """The migrated store of `db_settings`, closed after the test."""
    opened = open_store(db_settings)
    yield opened
    opened.close()
