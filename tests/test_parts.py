"""Part specs: the contract's example parses; bad input names the part, the feature and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.errors import InputError
from assistant.parts.model import parse_part
from assistant.parts.readers import load_part, read_part_data

EXAMPLE = Path(__file__).resolve().parent.parent / "evals" / "datasets" / "parts" / "SH-001.yaml"


def example() -> dict:
    return yaml.safe_load(EXAMPLE.read_text())


def test_contract_example_parses() -> None:
    part = load_part(EXAMPLE)
    assert part.id == "SH-001" and part.kind == "shaft" and len(part.features) == 7
    assert part.features[0].fit == "h6" and part.features[3].designation == "M36x1.5-6g"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["features"][0].update(ra=-1), "SH-001/F1: ra must be > 0 (got -1)"),
        (lambda d: d["features"][0].update(it=7), "SH-001/F1: fit h6 means IT6 but it is 7"),
        (lambda d: d["features"][1].update(colour="red"), "SH-001/F2: colour is not a known field"),
        (lambda d: d.update(colour="red"), "SH-001: colour is not a known field"),
        (lambda d: d["features"][4].update(it=0), "SH-001/F5: it must be >= 1 (got 0)"),
        (lambda d: d["features"][4].update(ra=0.001), "SH-001/F5: ra ra must be between 0.01 and 100 µm (got 0.001)"),
        (lambda d: d.update(hardness="very hard"), "SH-001: hardness hardness 'very hard' not understood"),
        (lambda d: d["features"][2].update(type="dovetail"), "SH-001/F3: type must be one of"),
        (lambda d: d["features"].append({"id": "F1", "type": "chamfer"}), "feature id F1 is used twice"),
        (lambda d: d.pop("material"), "SH-001: material is required"),
    ],
)
def test_bad_input_names_part_feature_and_field(mutate, message: str) -> None:
    data = example()
    mutate(data)
    with pytest.raises(InputError) as info:
        parse_part(data)
    assert message.replace("Value error, ", "") in str(info.value)


def test_list_files_csv_and_folders(tmp_path: Path) -> None:
    part = example()
    (tmp_path / "many.yaml").write_text(yaml.safe_dump([part, {**part, "id": "SH-002"}]))
    (tmp_path / "one.json").write_text(
        '{"id": "B-1", "name": "Bush", "material": "Steel 45", '
        '"features": [{"id": "F1", "type": "hole", "diameter": 20, "fit": "H7"}]}'
    )
    (tmp_path / "parts.csv").write_text(
        "id,name,kind,material,envelope_diameter,envelope_length,feature_id,feature_type,feature_diameter,"
        "feature_length,feature_fit,feature_ra,feature_count\n"
        "P-1,Pin,shaft,Steel 45,20,80,F1,external_cylinder,16,40,h7,1.6,1\n"
        "P-1,Pin,shaft,Steel 45,20,80,F2,chamfer,,,,,2\n"
    )
    records = read_part_data(tmp_path)
    assert [r[1]["id"] for r in records] == ["SH-001", "SH-002", "B-1", "P-1"]
    pin = parse_part(records[-1][1])
    assert pin.envelope.diameter == 20 and [f.type for f in pin.features] == ["external_cylinder", "chamfer"]
    assert pin.features[1].count == 2 and pin.features[0].ra == 1.6


def test_csv_with_unknown_columns_and_empty_files(tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text("id,name,colour\nA,B,red\n")
    with pytest.raises(InputError, match="unknown column.*colour"):
        read_part_data(tmp_path / "bad.csv")
    (tmp_path / "empty.yaml").write_text("")
    with pytest.raises(InputError, match="empty.yaml: the file is empty"):
        read_part_data(tmp_path / "empty.yaml")
    (tmp_path / "broken.yaml").write_text("id: [unclosed")
    with pytest.raises(InputError, match="broken.yaml: not valid YAML"):
        read_part_data(tmp_path / "broken.yaml")
    with pytest.raises(InputError, match="holds 2 parts"):
        (tmp_path / "two.yaml").write_text(yaml.safe_dump([example(), {**example(), "id": "X"}]))
        load_part(tmp_path / "two.yaml")
