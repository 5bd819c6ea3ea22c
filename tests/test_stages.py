"""The stage registry and protocol: a new stage is a registry line, steps run the model's way, findings merge."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from assistant.api import Assistant
from assistant.errors import InputError
from assistant.llm.client import LLM
from assistant.llm.model import OfflineModel, Step
from assistant.stages import registry
from assistant.stages.base import Stage, StageContext
from assistant.stages.findings import Finding, Severity, error, info, merge_findings, warning
from assistant.stages.routing.model import RoutingDraft, RoutingRule
from evals.stub_server import StubState, serve
from tests.conftest import make_settings
from tests.scripted import scripted_provider

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
    with pytest.raises(InputError, match=r"unknown stage 'design' \(available: routing, estimate\)"):
        helper.draft("design", EXAMPLE)
    with pytest.raises(InputError, match=r"unknown format 'pdf' \(choose from: json, md, docx, xlsx\)"):
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
