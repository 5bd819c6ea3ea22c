"""Reading part specs from YAML, JSON, CSV (one row per feature) and folders of them."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import InputError
from assistant.parts.model import PartSpec, parse_part

_CSV_PART = {
    "id",
    "name",
    "kind",
    "material",
    "blank",
    "hardness",
    "mass_kg",
    "annual_volume",
    "batch_size",
    "notes",
    "envelope_diameter",
    "envelope_length",
    "envelope_width",
    "envelope_height",
}
_CSV_BOOL = {"through", "internal"}


def _csv_value(key: str, text: str) -> Any:
    if key in _CSV_BOOL:
        return text.strip().lower() in {"1", "true", "yes", "y"}
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() and key not in {"ra", "mass_kg", "flatness", "module"} else number


def read_csv_parts(path: Path) -> list[dict[str, Any]]:
    """Parts from a CSV with one row per feature: part columns, then `feature_*` columns."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        unknown = [c for c in reader.fieldnames or [] if c not in _CSV_PART and not c.startswith("feature_")]
        if unknown:
            raise InputError(
                f"{path.name}: unknown column(s) {', '.join(unknown)}; part columns are "
                f"{', '.join(sorted(_CSV_PART))} and feature columns start with feature_"
            )
        parts: dict[str, dict[str, Any]] = {}
        for row in reader:
            values = {k: v for k, v in row.items() if k and v not in (None, "")}
            part_id = values.get("id")
            if not part_id:
                raise InputError(f"{path.name}: row {reader.line_num} has no part id")
            part = parts.setdefault(part_id, {"features": []})
            for key, text in values.items():
                if key.startswith("envelope_"):
                    part.setdefault("envelope", {})[key.removeprefix("envelope_")] = _csv_value(key, text)
                elif key in _CSV_PART:
                    part.setdefault(key, _csv_value(key, text))
            feature = {
                k.removeprefix("feature_"): _csv_value(k.removeprefix("feature_"), v)
                for k, v in values.items()
                if k.startswith("feature_")
            }
            if feature:
                part["features"].append(feature)
    return list(parts.values())


def _documents(path: Path) -> list[Any]:
    text = path.read_text(encoding="utf-8-sig")
    if not text.strip():
        raise InputError(f"{path.name}: the file is empty")
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InputError(
            f"{path.name}: not valid {'JSON' if path.suffix.lower() == '.json' else 'YAML'} ({exc})"
        ) from exc
    if isinstance(data, dict) and "parts" in data and isinstance(data["parts"], list) and "id" not in data:
        data = data["parts"]
    return data if isinstance(data, list) else [data]


PART_SUFFIXES = {".yaml", ".yml", ".json", ".csv"}


def read_part_data(path: Path) -> list[tuple[str, Any]]:
    """Raw part records with a label each, from a YAML/JSON/CSV file or a folder of them."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in PART_SUFFIXES)
        if not files:
            raise InputError(f"{path}: no part files (.yaml, .yml, .json, .csv) in this folder")
        return [item for file in files for item in read_part_data(file)]
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if path.suffix.lower() not in PART_SUFFIXES:
        raise InputError(f"{path.name}: parts are read from .yaml, .yml, .json or .csv files")
    records = read_csv_parts(path) if path.suffix.lower() == ".csv" else _documents(path)
    return [(f"{path.name}#{n}", record) for n, record in enumerate(records, start=1)]


def load_part(source: PartSpec | dict[str, Any] | str | Path) -> PartSpec:
    """One part from a model, a dict or a file holding exactly one part."""
    if isinstance(source, PartSpec):
        return source
    if isinstance(source, dict):
        return parse_part(source)
    records = read_part_data(Path(source))
    if len(records) != 1:
        raise InputError(f"{Path(source).name}: holds {len(records)} parts; draft them with `prepro batch`")
    label, record = records[0]
    return parse_part(record, label)
