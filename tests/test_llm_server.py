"""The provider path against a real OpenAI-compatible server: llama.cpp serving the bundled SmolLM2 GGUF."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel

from assistant.api import Assistant
from assistant.llm.local_server import bundled_gguf, server_command
from assistant.llm.providers import get_model
from assistant.store import llm_log, open_store
from tests.conftest import make_settings
from tests.servers import free_port, running

pytestmark = [pytest.mark.llm_server, pytest.mark.slow]


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory):
    port = free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    command = server_command(bundled_gguf(), port, alias="smollm2")
    with running(command, f"http://127.0.0.1:{port}/v1/models", log, timeout=180):
        yield f"http://127.0.0.1:{port}/v1"


class Step(BaseModel):
    number: str
    name: str


def test_grounded_answer_through_the_real_server(llama_server: str, tmp_path: Path, embeddings) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "grinding.md").write_text(
        "# Grinding\n\n## 4 Accuracy\n4.1 Finish cylindrical grinding reaches IT6 "
        "and Ra 0.4 µm on hardened steel journals.\n"
    )
    settings = make_settings(tmp_path / "home", llm_base_url=llama_server, llm_model="smollm2", local_only=True)
    helper = Assistant(settings)
    helper.index._embeddings = embeddings
    helper.ingest([docs])
    answer = helper.ask("What accuracy does finish cylindrical grinding reach?")
    assert answer.provider == "openai-compatible:smollm2"
    assert answer.answer.strip() and answer.citations and answer.citations[0].doc == "grinding.md"
    assert answer.usage.prompt_tokens > 50 and answer.usage.completion_tokens > 0
    counted = llm_log.calls(helper.index.store)[0].counted
    assert counted == "api", "usage comes from the server's response"
    again = helper.ask("What accuracy does finish cylindrical grinding reach?")
    assert again.usage.total_tokens == 0 and again.answer == answer.answer


def test_structured_output_is_schema_constrained(llama_server: str, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, llm_base_url=llama_server, llm_model="smollm2")
    llm = get_model(settings, open_store(settings))
    messages = [SystemMessage("You write route cards."), HumanMessage("Operation 005 is cutting-off of the bar.")]
    step, usage = llm.structured(messages, Step, step="route")
    assert isinstance(step, Step) and usage.completion_tokens > 0


ROUTED_PART = Path(__file__).resolve().parent.parent / "evals" / "datasets" / "routing" / "parts" / "HS-101.yaml"


def test_local_model_words_a_13_operation_route_in_the_route_schema(
    llama_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The full route schema through the `local` provider: llama.cpp constrains decoding to it (a grammar), so
    even SmolLM2-135M answers in valid JSON for every batch; the draft keeps all its operations."""
    from assistant.llm import local_server

    monkeypatch.setattr(local_server, "local_base_url", lambda settings: llama_server)
    helper = Assistant(make_settings(tmp_path, local_only=True))
    offline = helper.draft("routing", ROUTED_PART, provider="offline")
    assert 12 <= len(offline.operations) <= 16
    started = time.perf_counter()
    drafted = helper.draft("routing", ROUTED_PART, provider="local")
    seconds = time.perf_counter() - started
    assert [op.number for op in drafted.operations] == [op.number for op in offline.operations]
    assert [(op.kind, op.equipment) for op in drafted.operations] == [
        (op.kind, op.equipment) for op in offline.operations
    ]
    failed = [f.message for f in drafted.findings if f.rule == "llm-failed"]
    assert drafted.provider == "local:SmolLM2-135M-Instruct" or failed, "the text is applied, or it says why not"
    assert not [m for m in failed if "route schema" in m], f"the constrained output parsed: {failed}"
    calls = [c for c in llm_log.calls(helper.index.store) if c.step == "route_card"]
    assert len(calls) == 3 and all(c.completion_tokens > 0 for c in calls), "every batch parsed (calls log on success)"
    tokens = sum(c.prompt_tokens for c in calls), sum(c.completion_tokens for c in calls)
    print(f"13-operation route: {seconds:.0f} s, prompt/completion tokens {tokens}")


def test_streaming_from_the_real_server(llama_server: str, tmp_path: Path) -> None:
    llm = get_model(make_settings(tmp_path, llm_base_url=llama_server, llm_model="smollm2", cache_enabled=False))
    pieces: list[str] = []
    text, usage = llm.stream([HumanMessage("Name one machining process.")], step="answer", sink=pieces.append)
    assert len(pieces) > 1 and "".join(pieces) == text and usage.completion_tokens > 0


def test_local_provider_runs_the_bundled_model_itself(tmp_path: Path) -> None:
    from assistant.llm import local_server

    llm = get_model(make_settings(tmp_path, local_only=True), override="local")
    try:
        text, usage = llm.complete([HumanMessage("Say hello.")], step="answer")
        assert text.strip() and usage.completion_tokens > 0
        assert llm.provider == "local" and llm.base_url.startswith("http://127.0.0.1:")
    finally:
        local_server._stop_all()
