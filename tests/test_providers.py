"""Providers by configuration, the privacy switch, and the OpenAI client path over real HTTP."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from pydantic import BaseModel

from assistant.errors import ConfigError, PrivacyError, ProviderError
from assistant.llm.client import OutputMismatchError
from assistant.llm.endpoints import is_loopback
from assistant.llm.model import OfflineModel
from assistant.llm.providers import get_model, provider_name
from assistant.store import llm_log, open_store
from evals.stub_server import StubState, example_for, serve
from tests.conftest import make_settings


@pytest.fixture
def stub():
    state = StubState()
    server, url = serve(state)
    yield state, url
    server.shutdown()


def test_provider_defaults_follow_what_is_configured(tmp_path: Path) -> None:
    home = tmp_path / "h"
    assert provider_name(make_settings(home)) == "offline"
    assert provider_name(make_settings(home, llm_api_key="sk-test")) == "openai"
    assert provider_name(make_settings(home, llm_base_url="http://127.0.0.1:9/v1")) == "openai-compatible"
    assert provider_name(make_settings(home, llm_api_key="sk-test"), "offline") == "offline"
    with pytest.raises(ConfigError, match="unknown LLM provider 'gemini' \\(choose from: openai, openai-compatible"):
        provider_name(make_settings(home), "gemini")


def test_openai_sdk_environment_variables_are_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9999/v1")
    settings = make_settings(tmp_path / "h")
    assert settings.llm_api_key.get_secret_value() == "sk-from-env"
    assert provider_name(settings) == "openai-compatible"


def test_missing_configuration_is_explained(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="needs an API key: set OPENAI_API_KEY"):
        get_model(make_settings(tmp_path), override="openai")
    with pytest.raises(ConfigError, match="needs PREPRO_LLM_BASE_URL"):
        get_model(make_settings(tmp_path), override="openai-compatible")
    assert isinstance(get_model(make_settings(tmp_path), override="offline"), OfflineModel)


def test_privacy_switch_refuses_remote_endpoints_before_sending(tmp_path: Path) -> None:
    strict = {"local_only": True}
    with pytest.raises(PrivacyError, match="https://api.openai.com/v1 is not on this machine"):
        get_model(make_settings(tmp_path, llm_api_key="sk-x", **strict), override="openai")
    with pytest.raises(PrivacyError, match="PREPRO_LOCAL_ONLY"):
        get_model(make_settings(tmp_path, llm_base_url="http://10.20.30.40:8000/v1", **strict))
    with pytest.raises(PrivacyError):
        get_model(make_settings(tmp_path, llm_base_url="http://intranet-gpu.example:8000/v1", **strict))
    assert get_model(make_settings(tmp_path, llm_base_url="http://127.0.0.1:8000/v1", **strict)).label.startswith(
        "openai-compatible:"
    )
    with pytest.raises(PrivacyError, match="embedding endpoint"):
        from assistant.retrieval.embeddings import get_embeddings

        get_embeddings(
            make_settings(
                tmp_path, embedding_provider="openai-compatible", embedding_base_url="http://192.0.2.7/v1", **strict
            )
        )


def test_loopback_detection() -> None:
    assert (
        is_loopback("http://localhost:8000/v1")
        and is_loopback("http://127.0.0.2/v1")
        and is_loopback("http://[::1]:1/")
    )
    assert not is_loopback("https://api.openai.com/v1") and not is_loopback("http://192.168.1.5/v1")


def test_compatible_server_answer_records_api_usage(tmp_path: Path, stub) -> None:
    state, url = stub
    settings = make_settings(tmp_path, llm_base_url=url, llm_model="stub-model")
    store = open_store(settings)
    llm = get_model(settings, store)
    text, usage = llm.complete(llm_messages("Which fit for a bearing seat?"), step="answer")
    assert text == "Stub answer [1]." and usage.completion_tokens == 3 and usage.prompt_tokens > 0
    (call,) = llm_log.calls(store)
    assert (call.provider, call.model, call.counted, call.cached) == ("openai-compatible", "stub-model", "api", False)


def test_completion_length_is_bounded_for_compatible_servers(tmp_path: Path, stub) -> None:
    state, url = stub
    get_model(make_settings(tmp_path, llm_base_url=url, llm_max_tokens=77)).complete(llm_messages("q"), step="x")
    assert state.bodies[-1]["max_tokens"] == 77, "llama.cpp and older vLLM read max_tokens"


def test_retries_with_backoff_on_429_and_5xx(tmp_path: Path, stub) -> None:
    state, url = stub
    state.fail_first, state.fail_status = 2, 429
    llm = get_model(make_settings(tmp_path, llm_base_url=url, llm_max_retries=3))
    text, _ = llm.complete(llm_messages("q"), step="answer")
    assert text == "Stub answer [1]." and state.requests == 3

    state.requests, state.fail_first, state.fail_status = 0, 5, 503
    with pytest.raises(ProviderError, match=r"answered HTTP 503"):
        get_model(make_settings(tmp_path, llm_base_url=url, llm_max_retries=1)).complete(llm_messages("q2"), step="x")
    assert state.requests == 2


def test_rejected_key_and_unreachable_server_are_one_line_errors(tmp_path: Path, stub) -> None:
    state, url = stub
    state.api_key = "right-key"
    with pytest.raises(ProviderError, match="rejected the API key; set OPENAI_API_KEY"):
        get_model(make_settings(tmp_path, llm_base_url=url, llm_api_key="wrong")).complete(llm_messages("q"), step="x")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    with pytest.raises(ProviderError, match="cannot reach the LLM endpoint .* is the server running"):
        get_model(make_settings(tmp_path, llm_base_url=dead, llm_max_retries=0)).complete(llm_messages("q"), step="x")


class Operation(BaseModel):
    number: str
    name: str
    minutes: float


def test_structured_output_through_tool_calling(tmp_path: Path, stub) -> None:
    _, url = stub
    settings = make_settings(tmp_path, llm_base_url=url)
    llm = get_model(settings, open_store(settings))
    parsed, usage = llm.structured(llm_messages("Name operation 005"), Operation, step="route")
    assert parsed == Operation(number="stub", name="stub", minutes=1.0)
    again, cached = llm.structured(llm_messages("Name operation 005"), Operation, step="route")
    assert again == parsed and cached.cached_calls == 1 and cached.total_tokens == 0


def test_local_provider_asks_for_a_schema_constrained_response_format(
    tmp_path: Path, stub, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.llm import local_server

    state, url = stub
    state.responder = lambda messages: '{"number": "005", "name": "Cutting-off\nof the bar", "minutes": 2}'
    monkeypatch.setattr(local_server, "local_base_url", lambda settings: url)
    llm = get_model(make_settings(tmp_path), override="local")
    parsed, _ = llm.structured(llm_messages("Name operation 005"), Operation, step="route")
    assert parsed == Operation(number="005", name="Cutting-off\nof the bar", minutes=2.0), "a raw line break is read"
    body = state.bodies[-1]
    assert body["response_format"] == {"type": "json_object", "schema": Operation.model_json_schema()}
    assert "tools" not in body and "tool_choice" not in body
    assert (llm.chat.request_timeout, llm.chat.max_retries) == (300.0, 0), "local defaults: long, no repeats"
    chosen = get_model(make_settings(tmp_path, llm_timeout_s=20, llm_max_retries=2), override="local")
    assert (chosen.chat.request_timeout, chosen.chat.max_retries) == (20, 2), "the user's settings win"


def test_the_local_models_cache_outlives_its_servers_port(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each start of the local server takes a new port: the cached answers are keyed by the model file instead."""
    from assistant.llm import local_server

    gguf = tmp_path / "model.gguf"
    gguf.write_bytes(b"GGUF weights")
    monkeypatch.setattr(local_server, "local_model_file", lambda settings: gguf)
    store = open_store(make_settings(tmp_path / "home"))
    messages = llm_messages("Name operation 005")
    keys = []
    for port, temperature in ((41001, 0.0), (41002, 0.0), (41002, 0.7)):
        monkeypatch.setattr(local_server, "local_base_url", lambda settings, p=port: f"http://127.0.0.1:{p}/v1")
        llm = get_model(make_settings(tmp_path / "home", llm_temperature=temperature), store, override="local")
        keys.append(llm._key(messages, "text"))
    assert keys[0] == keys[1], "a new port, the same model file: the same cached answer"
    assert keys[1] != keys[2], "other decoding parameters: another answer"
    gguf.write_bytes(b"other GGUF weights")
    assert get_model(make_settings(tmp_path / "home"), store, override="local")._key(messages, "text") != keys[0]


def test_compatible_servers_keep_tool_calling_and_bad_output_is_explained(tmp_path: Path, stub) -> None:
    state, url = stub
    llm = get_model(make_settings(tmp_path, llm_base_url=url, cache_enabled=False))
    llm.structured(llm_messages("Name operation 005"), Operation, step="route")
    assert state.bodies[-1]["tool_choice"]["function"]["name"] == "Operation"
    assert "response_format" not in state.bodies[-1]
    state.tool_responder = lambda function, messages: {"number": "005"}
    with pytest.raises(OutputMismatchError, match="does not fit the Operation schema \\(name: Field required") as exc:
        llm.structured(llm_messages("Name operation 010"), Operation, step="route")
    assert exc.value.problem.startswith("name: Field required")


def test_example_for_fills_required_fields_of_nested_schemas() -> None:
    class Outer(BaseModel):
        items: list[Operation]
        note: str | None = None

    value = example_for(Outer.model_json_schema())
    assert Outer.model_validate(value).items[0].number == "stub"


def llm_messages(question: str):
    from langchain_core.messages import HumanMessage, SystemMessage

    return [SystemMessage("Answer briefly."), HumanMessage(question)]
