"""Reading research requests (text file, YAML, bare text, mapping) and `prepro draft research` with --text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.api import Assistant
from assistant.cli import app
from assistant.errors import InputError
from assistant.stages.research.model import (
    ResearchRequest,
    load_brief,
    load_request,
    parse_request,
    read_requests,
    text_id,
)
from tests.conftest import make_settings

REQUEST = (
    "Output shaft for a 5 kW two-stage reducer, 1450 rpm input, outdoor use, "
    "3000 units a year, bearing seats for 6208 bearings, keyed coupling."
)


def test_a_text_file_is_one_request_named_after_the_file(tmp_path: Path) -> None:
    path = tmp_path / "pump shaft.txt"
    path.write_text(f"  {REQUEST}\n\n")
    request = load_request(path)
    assert request == ResearchRequest(id="pump_shaft", request=REQUEST)


def test_a_yaml_file_gives_id_volume_and_constraints(tmp_path: Path) -> None:
    path = tmp_path / "RQ-01.yaml"
    path.write_text(f"request: >\n  {REQUEST}\nannual_volume: 3000\nconstraints: no imported steels\n")
    request = load_request(str(path))
    assert (request.id, request.annual_volume, request.constraints) == ("RQ-01", 3000, ["no imported steels"])
    path.write_text(f"id: 42\nrequest: {REQUEST}\n")
    assert load_request(path).id == "42"


def test_an_unknown_yaml_key_is_an_error_that_names_it(tmp_path: Path) -> None:
    path = tmp_path / "RQ-02.yaml"
    path.write_text(f"request: {REQUEST}\nvolume: 3000\n")
    with pytest.raises(InputError, match=r"RQ-02.yaml: unknown key 'volume' \(the keys are id, request, annual_volume"):
        load_request(path)
    path.write_text("annual_volume: 3000\n")
    with pytest.raises(InputError, match="RQ-02.yaml: 'request' is required"):
        load_request(path)
    path.write_text(f"request: {REQUEST}\nannual_volume: -5\n")
    with pytest.raises(InputError, match="annual_volume: Input should be greater than or equal to 1"):
        load_request(path)


def test_bare_text_is_the_request_itself_and_a_missing_file_is_named() -> None:
    request = load_request(REQUEST)
    assert request.request == REQUEST and request.id == text_id(REQUEST) == load_request(f" {REQUEST} ").id
    assert request.id.startswith("RQ-") and len(request.id) == 11
    with pytest.raises(InputError, match=r"missing\.yaml: no such file"):
        load_request("missing.yaml")
    with pytest.raises(InputError, match="the request is empty"):
        load_request("   ")
    assert parse_request({"id": "R-1", "request": "a shaft"}).id == "R-1"


def test_folders_and_lists_give_one_record_per_request(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a bracket")
    (tmp_path / "many.yaml").write_text("- {id: R-1, request: a shaft}\n- {id: R-2, request: a gear}\n")
    (tmp_path / "notes.csv").write_text("ignored")
    records = read_requests(tmp_path)
    assert [label for label, _ in records] == ["a.txt", "many.yaml#1", "many.yaml#2"]
    assert records[0][1] == {"id": "a", "request": "a bracket"}
    with pytest.raises(InputError, match="holds 2 requests; draft them with `prepro batch`"):
        load_request(tmp_path / "many.yaml")


def test_a_malformed_brief_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "brief.json"
    path.write_text('{"request_id": "R-1", "requirements": [{"n": 0}]}')
    with pytest.raises(InputError, match="brief.json: not a research brief"):
        load_brief(path)


# ---- the command ------------------------------------------------------------------------------------------


def test_draft_research_from_text_works_on_an_empty_knowledge_base() -> None:
    result = CliRunner().invoke(app, ["draft", "research", "--text", REQUEST, "--format", "json"])
    assert result.exit_code == 0, result.output
    brief = json.loads(result.stdout)
    assert brief["request_id"] == text_id(REQUEST) and brief["provider"] == "offline"
    assert brief["production"] == {"annual_volume": 3000, "type": "medium batch"}
    assert [r["text"] for r in brief["requirements"][:2]] == ["Transmit 5 kW", "Rotational speed 1450 rpm"]
    assert "no-documents" in {f["rule"] for f in brief["findings"]}
    assert brief["materials"][0]["grade"] == "Steel 45"


def test_draft_research_from_a_file_and_the_input_rules(tmp_path: Path) -> None:
    path = tmp_path / "RQ-05.txt"
    path.write_text(REQUEST)
    shown = CliRunner().invoke(app, ["draft", "research", str(path)])
    assert shown.exit_code == 0 and shown.stdout.startswith("# Research brief — RQ-05\n")
    target = tmp_path / "out" / "brief.docx"
    made = CliRunner().invoke(app, ["draft", "research", str(path), "-f", "docx", "-o", str(target)])
    assert made.exit_code == 0 and target.read_bytes()[:2] == b"PK"
    both = CliRunner().invoke(app, ["draft", "research", str(path), "--text", REQUEST])
    neither = CliRunner().invoke(app, ["draft", "research"])
    assert both.exit_code == neither.exit_code == 2 and "Invalid value for INPUT" in both.output


def test_a_batch_of_requests_writes_one_brief_each(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Bracket for a 2 kW motor, 200 a year")
    (folder / "many.yaml").write_text("- {id: R-1, request: a 40 mm shaft}\n- {id: R-2, request: a gear, size: 3}\n")
    helper = Assistant(make_settings(tmp_path / "home"))
    result = helper.draft_batch("research", folder, outdir=tmp_path / "out", concurrency=2)
    assert (result.count("drafted"), result.count("failed")) == (2, 1)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["R-1.json", "a.json"]
    (failed,) = [item for item in result.items if item.status == "failed"]
    assert failed.error == "many.yaml#2: unknown key 'size' (the keys are id, request, annual_volume, constraints)"
