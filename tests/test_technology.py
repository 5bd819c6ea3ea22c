"""The technological stage end to end: offline drafts, the LLM layer (scripted and over HTTP), exports, batch."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml

from assistant.api import Assistant
from assistant.catalog import load_catalog
from assistant.stages.routing.model import RoutingDraft
from evals.stub_server import StubState, serve
from tests.conftest import make_settings

EXAMPLE = Path(__file__).resolve().parent.parent / "evals" / "datasets" / "parts" / "SH-001.yaml"


@pytest.fixture
def helper(tmp_path: Path) -> Assistant:
    return Assistant(make_settings(tmp_path / "home"))


def test_offline_draft_follows_the_contract(helper: Assistant) -> None:
    draft = helper.draft("routing", EXAMPLE)
    data = json.loads(draft.model_dump_json())
    assert data["provider"] == "offline" and data["part_id"] == "SH-001"
    numbers = [op["number"] for op in data["operations"]]
    assert numbers == [f"{5 * i:03d}" for i in range(1, len(numbers) + 1)]
    kinds = [op["kind"] for op in data["operations"]]
    assert kinds[0] == "blank" and kinds[-3:] == ["deburring", "washing", "inspection"]
    assert kinds.index("heat_treatment") < kinds.index("grinding")
    catalog = {m.model for m in load_catalog().machines}
    for op in data["operations"]:
        assert op["equipment"]["model"] in catalog and op["sources"], op["number"]
        assert op["setup_time_min"] > 0 and op["piece_time_min"] > 0
        assert ("stage" in op) == (op["kind"] not in {"blank", "heat_treatment", "deburring", "washing", "inspection"})
    assert data["findings"] == [] and data["sources"]


def test_every_feature_of_the_example_is_worked(helper: Assistant) -> None:
    draft = helper.draft("routing", EXAMPLE)
    worked = {fid for op in draft.operations for fid in op.features}
    assert worked == {"F1", "F2", "F3", "F4", "F5", "F6", "F7"}
    by_feature = {fid: [op.kind for op in draft.operations if fid in op.features] for fid in worked}
    assert by_feature["F1"] == ["turning", "grinding"], "rough and finish turning in one CNC operation (4.2)"
    assert by_feature["F7"] == ["gear_cutting", "gear_finishing"]


def test_llm_names_operations_picks_catalogue_tooling_and_is_rechecked(helper: Assistant) -> None:
    def write_route(function: dict, messages: list[dict]) -> dict:
        prompt = messages[-1]["content"]
        listed = json.loads(
            prompt.split("Operations (fixed by the planner, with candidate fixtures and tools):")[1].split(
                "<passages>"
            )[0]
        )
        return {
            "operations": [
                {
                    "number": op["number"],
                    "name": f"Operation {op['number']}",
                    "rationale": "Done here for a reason [1].",
                    "fixtures": [*op["candidate_fixtures"][-1:], "Magic clamp"],
                    "tools": [],
                }
                for op in listed
            ]
        }

    server, url = serve(StubState(tool_responder=write_route))
    try:
        draft = Assistant(make_settings(helper.settings.home, llm_base_url=url)).draft("routing", EXAMPLE)
    finally:
        server.shutdown()
    assert draft.provider == "openai-compatible:default"
    assert [op.name for op in draft.operations] == [f"Operation {op.number}" for op in draft.operations]
    assert all(op.rationale.startswith("Done here for a reason [1]. | planner:") for op in draft.operations)
    offline = helper.draft("routing", EXAMPLE)
    changed = [
        op.number
        for op, plain in zip(draft.operations, offline.operations, strict=True)
        if op.fixtures != plain.fixtures
    ]
    assert changed, "the model's choice among the candidates is used"
    assert all("Magic clamp" not in op.fixtures for op in draft.operations), "invented tooling is refused"
    assert any("Magic clamp" in f.message for f in draft.findings if f.rule == "llm-repair")
    assert not [f for f in draft.findings if f.severity == "error"], "the re-check finds nothing to fix"


def test_exports_are_real_files(helper: Assistant) -> None:
    import docx
    from openpyxl import load_workbook

    draft = helper.draft("routing", EXAMPLE)

    def export(draft: RoutingDraft, fmt: str, part: object) -> bytes:
        return helper.export("routing", draft, fmt, part)

    header = EXAMPLE
    md = export(draft, "md", header).decode()
    assert "| 005 | Cutting-off | blank |" in md and "Steel 45" in md and "## Findings" in md
    assert RoutingDraft.model_validate_json(export(draft, "json", header)) == draft
    document = docx.Document(io.BytesIO(export(draft, "docx", header)))
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    assert ["A", "03", "Blank preparation", "Sawing", "", "005", "Cutting-off", "", "", "", "", ""] in rows
    book = load_workbook(io.BytesIO(export(draft, "xlsx", header)))
    card = book["Route card"]
    symbols = [card.cell(row=r, column=1).value for r in range(1, card.max_row + 1)]
    assert symbols.count("A") == len(draft.operations) and symbols.count("B") == len(draft.operations)
    assert symbols.count("T") == sum(len(op.fixtures + op.tools + op.measuring) for op in draft.operations)
    assert export(draft, "opcard", header)[:2] == b"PK"
    assert book["Sources"].max_row == len(draft.sources) + 1


def test_batch_reports_bad_parts_and_resumes(helper: Assistant, tmp_path: Path) -> None:
    good = yaml.safe_load(EXAMPLE.read_text())
    parts = [
        good,
        {**good, "id": "SH-002"},
        {**good, "id": "SH-BAD", "features": [{"id": "F1", "type": "hole", "ra": -2}]},
    ]
    source = tmp_path / "parts.yaml"
    source.write_text(yaml.safe_dump(parts))
    seen: list[tuple[int, int]] = []
    first = helper.draft_batch(
        "routing",
        source,
        concurrency=2,
        outdir=tmp_path / "out",
        progress=lambda done, total, label: seen.append((done, total)),
    )
    assert first.count("drafted") == 2 and first.count("failed") == 1
    bad = next(i for i in first.items if i.status == "failed")
    assert bad.error.startswith("SH-BAD/F1: ra must be > 0 (got -2)")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["SH-001.json", "SH-002.json"]
    assert seen[-1] == (3, 3)
    second = helper.draft_batch("routing", source, concurrency=4, outdir=tmp_path / "out")
    assert second.count("skipped") == 2 and second.count("drafted") == 0


def test_unknown_stage_and_provider_fail_clearly(helper: Assistant) -> None:
    from assistant.errors import ConfigError, InputError
    from assistant.stages.registry import REGISTRY

    with pytest.raises(InputError, match=rf"unknown stage 'costing' \(available: {', '.join(REGISTRY)}\)"):
        helper.draft("costing", EXAMPLE)
    with pytest.raises(ConfigError, match="unknown LLM provider"):
        helper.draft("routing", EXAMPLE, provider="claude")


def test_free_text_is_read_into_a_part_spec_by_the_llm(helper: Assistant) -> None:
    part = yaml.safe_load(EXAMPLE.read_text())
    server, url = serve(StubState(tool_responder=lambda function, messages: part))
    try:
        spec = Assistant(make_settings(helper.settings.home, llm_base_url=url)).extract_part(
            "Output shaft SH-001 of Steel 45, journals 40h6 Ra 0.8 ..."
        )
    finally:
        server.shutdown()
    assert spec.id == "SH-001" and len(spec.features) == 7
    from assistant.errors import InputError

    with pytest.raises(InputError, match="needs an LLM"):
        helper.extract_part("a shaft")
