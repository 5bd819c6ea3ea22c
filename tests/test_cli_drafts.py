"""The real `prepro` command for the technological stage: draft, check (exit codes 0/1/2), batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.test_cli_knowledge import prepro

pytestmark = pytest.mark.slow  # subprocesses import the whole stack; full-corpus ingest

EXAMPLE = Path(__file__).resolve().parent.parent / "evals" / "datasets" / "parts" / "SH-001.yaml"


def test_draft_formats_and_check_exit_codes(tmp_path: Path) -> None:
    home = tmp_path / "home"
    shown = prepro("draft", "routing", str(EXAMPLE), home=home)
    assert shown.returncode == 0 and shown.stdout.startswith("# Route card — SH-001 Output shaft")
    draft_file = tmp_path / "SH-001.json"
    assert (
        prepro("draft", "routing", str(EXAMPLE), "--format", "json", "-o", str(draft_file), home=home).returncode == 0
    )
    for fmt in ("docx", "xlsx"):
        made = prepro("draft", "routing", str(EXAMPLE), "-f", fmt, "-o", str(tmp_path / f"card.{fmt}"), home=home)
        assert made.returncode == 0 and (tmp_path / f"card.{fmt}").stat().st_size > 5000

    ok = prepro("check", "routing", str(draft_file), "--part", str(EXAMPLE), "--format", "json", home=home)
    assert ok.returncode == 0 and json.loads(ok.stdout) == []

    draft = json.loads(draft_file.read_text())
    draft["operations"] = [op for op in draft["operations"] if op["kind"] != "inspection"]
    draft["operations"][3]["piece_time_min"] = 0
    flawed = tmp_path / "flawed.json"
    flawed.write_text(json.dumps(draft))
    bad = prepro("check", "routing", str(flawed), "--part", str(EXAMPLE), "--format", "json", home=home)
    assert bad.returncode == 1
    rules = {(f["rule"], f["operation"]) for f in json.loads(bad.stdout)}
    assert ("missing-final-inspection", None) in rules and (
        "time-not-positive",
        draft["operations"][3]["number"],
    ) in rules

    garbage = tmp_path / "garbage.json"
    garbage.write_text('{"part_id": "SH-001", "operations": [{"number": 5}]}')
    broken = prepro("check", "routing", str(garbage), "--part", str(EXAMPLE), home=home)
    assert broken.returncode == 2 and broken.stderr.startswith("error: garbage.json: not a routing draft")
    assert "Traceback" not in broken.stderr


def test_bad_part_is_one_line_with_exit_2(tmp_path: Path) -> None:
    data = yaml.safe_load(EXAMPLE.read_text())
    data["features"][0]["ra"] = -1
    part = tmp_path / "bad.yaml"
    part.write_text(yaml.safe_dump(data))
    result = prepro("draft", "routing", str(part), home=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "error: SH-001/F1: ra must be > 0 (got -1)"


def test_batch_command_with_csv_and_resume(tmp_path: Path) -> None:
    csv = tmp_path / "parts.csv"
    csv.write_text(
        "id,name,kind,material,blank,annual_volume,envelope_diameter,envelope_length,feature_id,feature_type,"
        "feature_diameter,feature_length,feature_fit,feature_ra\n"
        "P-1,Pin,shaft,Steel 45,rolled_bar,2000,20,80,F1,external_cylinder,16,40,h7,1.6\n"
        "P-1,Pin,shaft,Steel 45,rolled_bar,2000,20,80,F2,end_face,20,,,6.3\n"
        "P-2,Axle,shaft,40Kh,rolled_bar,300,40,200,F1,external_cylinder,35,120,k6,0.8\n"
        "P-3,Bad,shaft,Steel 45,rolled_bar,100,40,200,F1,external_cylinder,35,120,k6,-0.8\n"
    )
    out = tmp_path / "out"
    first = prepro("batch", "routing", str(csv), "-o", str(out), "--concurrency", "2", home=tmp_path / "h")
    assert first.returncode == 1, "a failed part makes the exit code non-zero"
    assert "2 drafted, 0 skipped (already drafted), 1 failed" in first.stdout
    assert "P-3/F1: ra must be > 0 (got -0.8)" in first.stderr
    assert sorted(p.name for p in out.iterdir()) == ["P-1.json", "P-2.json"]
    again = prepro("batch", "routing", str(csv), "-o", str(out), home=tmp_path / "h")
    assert "0 drafted, 2 skipped (already drafted), 1 failed" in again.stdout
