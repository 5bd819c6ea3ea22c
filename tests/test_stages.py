"""The stage registry and protocol: a new stage is a registry line, steps run the model's way, findings merge."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import BaseMessage
from pydantic import BaseModel

from assistant.api import Assistant
from assistant.catalog import load_catalog
from assistant.errors import InputError, ProviderError
from assistant.llm.client import LLM
from assistant.llm.model import OfflineModel, Step
from assistant.llm.providers import CHAT_PROVIDERS
from assistant.stages import registry
from assistant.stages.base import Stage, StageContext
from assistant.stages.findings import Finding, Severity, error, info, merge_findings, warning
from assistant.stages.routing.draft import llm_draft, offline_draft
from assistant.stages.routing.model import RoutingDraft, RoutingRule
from evals.stub_server import StubState, serve
from tests.conftest import make_settings
from tests.scripted import prompt_text, raising, scripted_provider

EXAMPLE = Path(__file__).resolve().parent.parent / "evals" / "datasets" / "parts" / "SH-001.yaml"


class Request(BaseModel):
    """A text request: not a part spec."""

    id: str
    text: str


class Estimate(BaseModel):
    """A toy stage's draft that reads another stage's draft."""

    request_id: str
    operations: int
    findings: list[Finding] = []
    provider: str = "offline"


def _load_request(source: Any) -> Request:
    if isinstance(source, Request):
        return source
    if isinstance(source, str):
        return Request(id="R-1", text=source)
    return Request.model_validate(source)


def _draft(ctx: StageContext, request: Request) -> Estimate:
    route = ctx.draft("routing", EXAMPLE)
    assert isinstance(route, RoutingDraft)
    return Estimate(request_id=request.id, operations=len(route.operations), provider=ctx.model.label)


def _check(ctx: StageContext, draft: Estimate, request: Request) -> list[Finding]:
    return [] if draft.operations else [error("no-operations", "the routing has no operations")]


ESTIMATE = Stage(
    name="estimate",
    summary="operation count of a request (test stage)",
    author="technologist",
    input_label="request",
    load_input=_load_request,
    parse_input=lambda record, label: _load_request(record),
    read_inputs=lambda path: [(path.name, {"id": path.stem, "text": path.read_text()})],
    draft=_draft,
    check=_check,
    load_draft=lambda source: source if isinstance(source, Estimate) else Estimate.model_validate(source),
    subject=lambda request: request.id,
    exporters={"json": lambda draft, header: draft.model_dump_json().encode()},
)


@pytest.fixture
def helper(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Assistant:
    monkeypatch.setitem(registry.REGISTRY, "estimate", ESTIMATE)
    return Assistant(make_settings(tmp_path / "home"))


def test_a_new_stage_needs_only_a_registry_line(helper: Assistant, tmp_path: Path) -> None:
    draft = helper.draft("estimate", "make 200 shafts")
    assert draft.operations == len(helper.draft("routing", EXAMPLE).operations) > 5
    assert helper.check("estimate", draft.model_dump(), "make 200 shafts") == []
    assert b'"request_id":"R-1"' in helper.export("estimate", draft, "json")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "R-9.txt").write_text("a housing")
    result = helper.draft_batch("estimate", tmp_path / "in" / "R-9.txt", outdir=tmp_path / "out")
    assert result.count("drafted") == 1 and (tmp_path / "out" / "R-9.json").is_file()
    assert "estimate" in helper.stages() and "routing" in helper.stages()


def test_unknown_stage_and_format_list_the_choices(helper: Assistant) -> None:
    available = ", ".join(registry.REGISTRY)
    assert "estimate" in available
    with pytest.raises(InputError, match=rf"unknown stage 'costing' \(available: {available}\)"):
        helper.draft("costing", EXAMPLE)
    with pytest.raises(InputError, match=r"unknown format 'pdf' \(choose from: json, md, docx, xlsx, opcard\)"):
        helper.export("routing", helper.draft("routing", EXAMPLE), "pdf")


def test_steps_run_the_models_way(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    step: Step[str, str] = Step("shout", lambda text: text.upper(), lambda llm, text: f"{llm.label}: {text}")
    assert OfflineModel().run(step, "ra 0.8") == "RA 0.8"
    scripted = scripted_provider(lambda messages: "unused")(make_settings(tmp_path), None)
    assert isinstance(scripted, LLM)
    assert scripted.run(step, "ra 0.8") == "scripted:script-1: ra 0.8"
    assert OfflineModel().label == "offline"


def test_findings_merge_and_serialise_as_the_contract_shows() -> None:
    first = warning(RoutingRule.TIME_ABSURD, "long", "010")
    merged = merge_findings([first, error(RoutingRule.TIME_ABSURD, "again", "010"), info("assumption", "x")])
    assert merged == [first, info("assumption", "x")]
    assert first.severity is Severity.WARNING and first.rule == "time-absurd"
    assert first.model_dump(mode="json") == {
        "severity": "warning",
        "rule": "time-absurd",
        "operation": "010",
        "message": "long",
    }


def test_llm_draft_without_documents_says_so(helper: Assistant) -> None:
    server, url = serve(StubState(tool_responder=lambda function, messages: {"operations": []}))
    try:
        drafted = Assistant(make_settings(helper.settings.home, llm_base_url=url)).draft("routing", EXAMPLE)
    finally:
        server.shutdown()
    missing = [f for f in drafted.findings if f.rule == RoutingRule.NO_DOCUMENTS]
    assert len(missing) == 1 and "knowledge base" in missing[0].message and "is empty" in missing[0].message
    assert not [f for f in helper.draft("routing", EXAMPLE).findings if f.rule == RoutingRule.NO_DOCUMENTS]


def _llm_failed(draft: RoutingDraft) -> list[Finding]:
    return [f for f in draft.findings if f.rule == RoutingRule.LLM_FAILED]


def _listed(messages: list[BaseMessage]) -> list[dict[str, Any]]:
    """The operations a route_card prompt asks about."""
    text = prompt_text(messages).split("Operations (fixed by the planner, with candidate fixtures and tools):")[1]
    return json.loads(text.split("<passages>")[0])


@pytest.mark.parametrize(
    ("script", "why"),
    [
        (lambda m: '{"operations": [{"number": "005", "name": "Cut', "did not fit the route schema (Invalid JSON"),
        (lambda m: "", "output did not fit the route schema (the reply was empty)"),
        (lambda m: '{"operations": "none"}', "output did not fit the route schema (operations: Input should be"),
        (lambda m: '{"operations": [{"number": "999", "name": "Elsewhere"}]}', "it wrote nothing for any operation"),
        (raising(ProviderError("the LLM endpoint http://127.0.0.1:9/v1 did not answer")), "did not answer"),
        (raising(RuntimeError("connection reset")), "failed: RuntimeError: connection reset"),
    ],
)
def test_a_failed_llm_leaves_the_offline_draft_with_a_warning(
    helper: Assistant, monkeypatch: pytest.MonkeyPatch, script: Any, why: str
) -> None:
    monkeypatch.setitem(CHAT_PROVIDERS, "scripted", scripted_provider(script))
    offline = helper.draft("routing", EXAMPLE)
    drafted = helper.draft("routing", EXAMPLE, provider="scripted")
    assert drafted.operations == offline.operations and drafted.provider == offline.provider == "offline"
    (failed,) = _llm_failed(drafted)
    assert failed.severity == Severity.WARNING and failed.message.startswith("scripted model script-1: ")
    assert why in failed.message and failed.message.endswith("; the offline draft is shown")
    others = [f for f in drafted.findings if f.rule not in {RoutingRule.LLM_FAILED, RoutingRule.NO_DOCUMENTS}]
    assert others == offline.findings


def test_a_route_the_llm_fails_half_way_keeps_what_it_wrote(tmp_path: Path) -> None:
    calls: list[int] = []

    def first_batch_only(messages: list[BaseMessage]) -> str:
        calls.append(1)
        if len(calls) > 1:
            raise ProviderError("the LLM endpoint http://127.0.0.1:9/v1 did not answer within the timeout")
        return json.dumps({"operations": [{"number": op["number"], "name": "Worded"} for op in _listed(messages)]})

    llm = scripted_provider(first_batch_only)(make_settings(tmp_path), None)
    catalog = load_catalog()
    offline, facts = offline_draft(registry.REGISTRY["routing"].load_input(EXAMPLE), catalog)
    seen: list[tuple[int, int, str]] = []
    drafted = llm_draft(offline, facts, catalog, llm, [], batch=5, progress=lambda *done: seen.append(done))
    assert len(calls) == 2, "a provider that failed is not asked again for the rest of the route"
    assert [op.name for op in drafted.operations[:5]] == ["Worded"] * 5
    assert [op.name for op in drafted.operations[5:]] == [op.name for op in offline.operations[5:]]
    assert drafted.provider == "scripted:script-1"
    (failed,) = _llm_failed(drafted)
    rest = ", ".join(op.number for op in offline.operations[5:])
    assert failed.message.endswith(f"did not answer within the timeout; operations {rest} keep the offline text")
    assert seen == [(5, len(offline.operations), offline.operations[4].number)]


def test_the_llm_wording_reports_progress_per_operation_through_the_api(
    helper: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    def words(messages: list[BaseMessage]) -> str:
        return json.dumps({"operations": [{"number": op["number"], "name": "Worded"} for op in _listed(messages)]})

    monkeypatch.setitem(CHAT_PROVIDERS, "scripted", scripted_provider(words))
    seen: list[tuple[int, int, str]] = []
    drafted = helper.draft("routing", EXAMPLE, provider="scripted", progress=lambda *step: seen.append(step))
    total = len(drafted.operations)
    assert [done for done, _, _ in seen] == [min(n, total) for n in range(5, total + 5, 5)]
    assert all(t == total for _, t, _ in seen) and seen[-1][2] == f"operation {drafted.operations[-1].number}"


def test_the_operation_card_file_is_named_beside_the_route_card(helper: Assistant) -> None:
    draft = helper.draft("routing", EXAMPLE)
    assert helper.export_file("routing", draft, "opcard", EXAMPLE).name == "SH-001.opcard.docx"
    assert helper.export_file("routing", draft, "docx", EXAMPLE).name == "SH-001.docx"


@pytest.mark.slow
def test_cli_draft_survives_a_model_that_answers_outside_the_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_cli_knowledge import prepro

    state = StubState(tool_responder=lambda function, messages: {"operations": "garbage"})
    server, url = serve(state)
    monkeypatch.setenv("PREPRO_LLM_BASE_URL", url)
    try:
        result = prepro("draft", "routing", str(EXAMPLE), "--format", "json", home=tmp_path / "home")
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr
    assert state.requests == 1, "an answer outside the schema is not asked again"
    drafted = json.loads(result.stdout)
    assert len(drafted["operations"]) == len(
        Assistant(make_settings(tmp_path / "h2")).draft("routing", EXAMPLE, provider="offline").operations
    )
    (failed,) = [f for f in drafted["findings"] if f["rule"] == "llm-failed"]
    assert failed["severity"] == "warning"
    assert failed["message"].startswith("openai-compatible model default: output did not fit the route schema")
