"""Organizational plans out: JSON, Markdown, a DOCX that python-docx opens (tables, the station-load chart and, when
present, the buffer and Gantt charts), an XLSX that openpyxl opens (a sheet per section and a 5S audit sheet with
score cells, a SUM and a percentage formula per workplace), and PNG charts named beside the plan."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.api import Assistant
from assistant.errors import InputError
from assistant.stages.organization.plan import OrgPlan
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "evals" / "datasets" / "organization" / "LINE-01.yaml"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def helper(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return Assistant(make_settings(tmp_path_factory.mktemp("org-export") / "home"))


def _full() -> dict[str, Any]:
    """The example with every optional section."""
    data = copy.deepcopy(yaml.safe_load(EXAMPLE.read_text()))
    data["simulation"] = {"cv": 0.2, "buffer": 2, "shifts": 1, "replications": 2, "seed": 5}
    data["schedule"] = {"jobs": [{"id": "P1", "times_min": [3, 2]}, {"id": "P2", "times_min": [1, 4]}]}
    data["costs"] = {"material_price_per_kg": 1.1, "blank_mass_kg": 2.9, "batch_size": 100}
    data["salbp2"] = {"stations": 3}
    return data


@pytest.fixture(scope="module")
def plain(helper: Assistant) -> OrgPlan:
    plan = helper.draft("organization", EXAMPLE)
    assert isinstance(plan, OrgPlan)
    return plan


@pytest.fixture(scope="module")
def full(helper: Assistant) -> OrgPlan:
    plan = helper.draft("organization", _full())
    assert isinstance(plan, OrgPlan)
    return plan


def test_json_round_trips_and_markdown_shows_the_tables(helper: Assistant, plain: OrgPlan, full: OrgPlan) -> None:
    data = helper.export("organization", full, "json")
    assert OrgPlan.model_validate(json.loads(data)) == full
    assert {"schedule", "cost", "simulation", "salbp2"} <= set(json.loads(data))
    text = helper.export("organization", plain, "md", EXAMPLE).decode()
    assert text.startswith("# Organizational plan — LINE-01 Shaft line\n")
    assert "| 1 | A Cut bar, B Face and centre | 1.5 | 0.375 |" in text
    assert "| Bar D55 | 21 | ceil(480 * 1.5 * 1.15 / 40) | 1 | 40 | 12 | 75 | 840 |" in text
    assert "## Findings\n\n- none" in text and "- lean-kanban.md §4.1" in text
    shown = helper.export("organization", full, "md").decode()
    for title in (
        "## Simulation:",
        "## Launch schedule (Johnson's rule",
        "## Gantt",
        "## Cost per piece",
        "## SALBP-2",
    ):
        assert title in shown


def test_docx_has_the_tables_and_charts(helper: Assistant, plain: OrgPlan, full: OrgPlan) -> None:
    import docx

    document = docx.Document(io.BytesIO(helper.export("organization", plain, "docx", EXAMPLE)))
    assert document.paragraphs[0].text == "Organizational plan — LINE-01 Shaft line"
    assert len(document.inline_shapes) == 1  # the station loads
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[1:4] == ["Stations", "Equipment", "Kanban and supply"]
    assert document.tables[1].rows[1].cells[1].text == "A Cut bar, B Face and centre"
    rich = docx.Document(io.BytesIO(helper.export("organization", full, "docx")))
    assert len(rich.inline_shapes) == 3  # loads, buffers, Gantt


def test_xlsx_has_a_sheet_per_section_and_a_5s_audit_with_formulas(helper: Assistant, plain: OrgPlan) -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(helper.export("organization", plain, "xlsx", EXAMPLE)))
    assert book.sheetnames == [
        "Plan",
        "Stations",
        "Equipment",
        "Kanban & supply",
        "Simulation",
        "Schedule",
        "Cost",
        "5S audit",
        "Findings",
        "Sources",
    ]
    assert book["Schedule"]["A1"].value == "the plan has no schedule section"
    assert [c.value for c in book["Stations"][3]] == [1, "A Cut bar, B Face and centre", 1.5, 0.375]
    audit = book["5S audit"]
    assert [c.value for c in audit[1]] == ["Workplace", "Step", "Checkpoint", "Score (0..4)", "Source"]
    totals = [row for row in audit.iter_rows(min_row=2) if str(row[0].value or "").endswith(": total")]
    assert [row[0].value for row in totals] == ["machining station: total", "storage / supermarket: total"]
    machining = totals[0]
    assert machining[3].value == "=SUM(D2:D12)" and machining[4].value == "=D13/44"  # 11 checkpoints × 4
    assert machining[4].number_format == "0%"
    assert audit["D2"].value is None  # for the auditor
    assert audit.data_validations.dataValidation[0].formula2 == "4"


def test_png_charts_and_their_file_names(helper: Assistant, plain: OrgPlan, full: OrgPlan) -> None:
    loads = helper.export_file("organization", plain, "loads", EXAMPLE)
    assert loads.name == "LINE-01.loads.png" and loads.data.startswith(PNG) and not loads.text
    for fmt in ("gantt", "buffers"):
        made = helper.export_file("organization", full, fmt, _full())
        assert made.name == f"LINE-01.{fmt}.png" and made.data.startswith(PNG)
    with pytest.raises(InputError, match="plan LINE-01 has no schedule: add a `schedule:` section"):
        helper.export("organization", plain, "gantt")
    with pytest.raises(InputError, match="plan LINE-01 has no simulation: add a `simulation:` section"):
        helper.export("organization", plain, "buffers")
    with pytest.raises(InputError, match=r"unknown format 'pdf' \(choose from: json, md, docx, xlsx, loads"):
        helper.export("organization", plain, "pdf")


def test_batch_writes_one_file_per_plan(helper: Assistant, tmp_path: Path) -> None:
    second = yaml.safe_load(EXAMPLE.read_text()) | {"id": "LINE-09"}
    (tmp_path / "plans.yaml").write_text(yaml.safe_dump([yaml.safe_load(EXAMPLE.read_text()), second]))
    result = helper.draft_batch("organization", tmp_path / "plans.yaml", outdir=tmp_path / "out", concurrency=1)
    assert result.count("drafted") == 2
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.suffix == ".json") == [
        "LINE-01.json",
        "LINE-09.json",
    ]
