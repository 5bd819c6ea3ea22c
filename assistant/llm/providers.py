"""Chat models chosen by configuration: one registry of providers, each a factory of a model object."""

from __future__ import annotations

from collections.abc import Callable

from assistant.config import Settings
from assistant.errors import ConfigError, ProviderError
from assistant.llm.client import LLM, Price, StructuredOutput
from assistant.llm.endpoints import OPENAI_URL, guard_endpoint
from assistant.llm.model import Model, OfflineModel
from assistant.store import Store

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
PRICES: dict[str, tuple[float, float]] = {  # USD per 1M prompt / completion tokens, list prices
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1": (2.00, 8.00),
}
# The bundled model runs on the CPU of this machine: a long route card takes minutes, not seconds, and a
# request that timed out is not worth repeating (llama.cpp's server keeps computing it; a retry queues behind it).
LOCAL_TIMEOUT_S = 300.0
LOCAL_MAX_RETRIES = 0


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


def _llm(
    settings: Settings,
    provider: str,
    base_url: str,
    model: str,
    key: str | None,
    store: Store | None,
    structured: StructuredOutput = "tools",
    timeout_s: float | None = None,
    max_retries: int | None = None,
    served: str | None = None,
) -> LLM:
    """A chat model on an OpenAI-compatible endpoint; `structured` is how it is asked for schema output,
    `timeout_s` / `max_retries` are the provider's defaults where the user set none, and `served` names what
    answers when the URL does not (the local model's file: its server gets a new port each start)."""
    from langchain_openai import ChatOpenAI

    guard_endpoint(base_url, settings, "LLM")
    chosen = settings.model_fields_set
    chat = ChatOpenAI(
        model=model,
        base_url=base_url,
        api_key=key or "not-needed",  # type: ignore[arg-type]
        timeout=settings.llm_timeout_s if timeout_s is None or "llm_timeout_s" in chosen else timeout_s,
        max_retries=settings.llm_max_retries if max_retries is None or "llm_max_retries" in chosen else max_retries,
        temperature=settings.llm_temperature,
        max_tokens=settings.llm_max_tokens,
        # many OpenAI-compatible servers (llama.cpp, older vLLM) read only `max_tokens`, not the newer name
        extra_body=None if provider == "openai" else {"max_tokens": settings.llm_max_tokens},
        stream_usage=True,
    )
    price = Price(*PRICES.get(model, (0.0, 0.0))) if provider == "openai" else Price()
    explain = _explainer(base_url, model)
    # answers are cached per endpoint (or served file), model and decoding parameters
    scope = f"{served or base_url}|temperature={settings.llm_temperature}|max_tokens={settings.llm_max_tokens}"
    return LLM(provider, model, chat, base_url, price, store, settings.cache_enabled, explain, structured, scope)


def _openai(settings: Settings, store: Store | None) -> LLM:
    if settings.llm_api_key is None:
        raise ConfigError(
            "provider 'openai' needs an API key: set OPENAI_API_KEY, or choose "
            "PREPRO_LLM_PROVIDER=offline / local / openai-compatible"
        )
    model = settings.llm_model or DEFAULT_OPENAI_MODEL
    return _llm(settings, "openai", OPENAI_URL, model, settings.llm_api_key.get_secret_value(), store)


def _compatible(settings: Settings, store: Store | None) -> LLM:
    if not settings.llm_base_url:
        raise ConfigError(
            "provider 'openai-compatible' needs PREPRO_LLM_BASE_URL (or OPENAI_BASE_URL), e.g. "
            "http://127.0.0.1:8000/v1 for vLLM or http://127.0.0.1:11434/v1 for Ollama"
        )
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    return _llm(settings, "openai-compatible", settings.llm_base_url, settings.llm_model or "default", key, store)


def _local(settings: Settings, store: Store | None) -> LLM:
    from assistant.llm.local_server import LOCAL_MODEL_NAME, local_base_url, local_model_file

    # llama.cpp constrains decoding to a response-format schema (a grammar): even the 135M model answers in it
    url = local_base_url(settings)
    gguf = local_model_file(settings)
    served = f"gguf:{gguf.name}:{gguf.stat().st_size}"
    return _llm(
        settings,
        "local",
        url,
        LOCAL_MODEL_NAME,
        None,
        store,
        "json_schema",
        LOCAL_TIMEOUT_S,
        LOCAL_MAX_RETRIES,
        served,
    )


def _offline(settings: Settings, store: Store | None) -> OfflineModel:
    return OfflineModel()


CHAT_PROVIDERS: dict[str, Callable[[Settings, Store | None], Model]] = {
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


def get_model(settings: Settings, store: Store | None = None, override: str | None = None) -> Model:
    """The configured model: a chat model wrapped with cache and usage log, or the offline model."""
    return CHAT_PROVIDERS[provider_name(settings, override)](settings, store)
