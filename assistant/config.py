"""Settings from environment variables (prefix PREPRO_) and an optional .env file."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

EmbeddingProvider = Literal["local", "openai", "openai-compatible"]


class Settings(BaseSettings):
    """Everything prepro can be configured with; one instance is passed down explicitly."""

    model_config = SettingsConfigDict(
        env_prefix="PREPRO_", env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    home: Path = Field(default_factory=lambda: Path.home() / ".prepro")
    # SQLAlchemy URL of the database (e.g. postgresql://user:pass@host/prepro); None: the SQLite file db_path
    database_url: str | None = None

    embedding_provider: EmbeddingProvider = "local"
    embedding_model: str = ""
    embedding_base_url: str | None = None

    chroma_host: str | None = None
    chroma_port: int = 8000
    collection: str = "prepro-chunks"

    rrf_k: int = Field(20, ge=1, le=1000)
    dense_weight: float = Field(0.5, ge=0.0, le=10.0)
    chunk_tokens: int = Field(200, ge=40, le=2000)
    chunk_overlap: int = Field(30, ge=0, le=500)
    # hybrid search returns nothing below this relevance (retrieval.fusion.relevance; 0 turns the floor off);
    # 0.4 lies between gibberish (at most 0.28) and the eval questions (at least 0.58) on the shipped corpus
    min_relevance: float = Field(0.4, ge=0.0, le=1.0)

    llm_provider: str | None = None
    llm_model: str | None = None
    llm_base_url: str | None = Field(None, validation_alias=AliasChoices("PREPRO_LLM_BASE_URL", "OPENAI_BASE_URL"))
    llm_api_key: SecretStr | None = Field(None, validation_alias=AliasChoices("PREPRO_LLM_API_KEY", "OPENAI_API_KEY"))
    llm_timeout_s: float = Field(60.0, gt=0)
    llm_max_retries: int = Field(3, ge=0, le=10)
    llm_temperature: float = Field(0.0, ge=0, le=2)
    llm_max_tokens: int = Field(1024, ge=16, le=32768)
    local_model_path: Path | None = None
    local_only: bool = False
    cache_enabled: bool = True

    debug: bool = False
    # the first admin's password, read once when the workspace has no accounts (else a one-time one is made)
    admin_password: SecretStr | None = None
    # the account whose role and clearance the CLI and Python API act with (unset: the local administrator)
    user: str | None = None

    @property
    def db_path(self) -> Path:
        """The SQLite file holding the manifest, chunks, usage and cache (unless database_url is set)."""
        return self.home / "prepro.db"

    @property
    def chroma_path(self) -> Path:
        """Where the embedded Chroma keeps its files."""
        return self.home / "chroma"

    @property
    def bm25_path(self) -> Path:
        """Where the BM25 index is saved."""
        return self.home / "bm25"
