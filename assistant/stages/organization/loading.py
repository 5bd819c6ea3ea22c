"""Reading organizational plans: YAML/JSON files (one plan or a list), folders of them, dicts and models.

Paths inside a plan (`routing`, `schedule.jobs[].routing`, `costs.part`) are relative to the plan file's folder;
errors name the plan and the field, e.g. `LINE-01/operations: cyclic precedence: A → B → A`.
"""

from __future__ import annotations

import json
import types
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from assistant.engineering.precedence import Element, topological_order
from assistant.errors import InputError
from assistant.stages.organization.model import OrgInput

PLAN_SUFFIXES = {".yaml", ".yml", ".json"}


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The input model a location inside a plan points to (list indices and dict keys skipped)."""
    model: type[BaseModel] = OrgInput
    for key in loc:
        if not isinstance(key, str) or key not in model.model_fields:
            continue
        found = _inner_model(model.model_fields[key].annotation)
        if found is None:
            return None
        model = found
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list, dict):
        return next((m for a in typing.get_args(annotation) if (m := _inner_model(a)) is not None), None)
    return None


def _step(value: Any, key: Any) -> tuple[str, Any]:
    """How one step of a location is written, and the value it leads to: a list item by its id when it has one."""
    if isinstance(key, int) and isinstance(value, list) and key < len(value):
        item = value[key]
        name = item.get("id") or item.get("item") if isinstance(item, dict) else None
        return (f"[{name}]" if name else f"[{key}]"), item
    if isinstance(value, dict):
        return f".{key}", value.get(key, value.get(str(key)))
    return f".{key}", None


def _where(data: Any, loc: tuple[Any, ...]) -> str:
    text, value = "", data
    for key in loc:
        part, value = _step(value, key)
        text += part
    return text.lstrip(".")


def _problem(plan_id: str, data: Any, error: Any) -> str:
    """One validation error as `PLAN/field: what is wrong (got value)`; unknown keys listed with the valid ones."""
    loc = tuple(error["loc"])
    if error["type"] == "extra_forbidden":
        model = _model_at(loc[:-1])
        keys = f" (the keys are {', '.join(model.model_fields)})" if model else ""
        where, message = _where(data, loc[:-1]), f"unknown key '{loc[-1]}'{keys}"
    else:
        where = _where(data, loc)
        message = "is required" if error["type"] == "missing" else str(error["msg"]).removeprefix("Value error, ")
        if error["type"] not in {"missing", "value_error", "model_type"} and loc:
            message += f" (got {error['input']!r})"
    return f"{plan_id}/{where}: {message}" if where else f"{plan_id}: {message}"


def parse_plan(record: Any, label: str = "plan") -> OrgInput:
    """One plan from a mapping; errors name the plan id and the field; the precedence diagram is checked."""
    if isinstance(record, OrgInput):
        return record
    if not isinstance(record, dict):
        raise InputError(f"{label}: a plan is a mapping of fields (got {type(record).__name__})")
    data = {**record, "id": str(record["id"])} if isinstance(record.get("id"), (int, float)) else record
    plan_id = str(data.get("id") or label)
    try:
        plan = OrgInput.model_validate(data)
    except ValidationError as exc:
        raise InputError("; ".join(_problem(plan_id, data, e) for e in exc.errors()[:5])) from None
    if plan.operations:
        check_precedence(
            plan.id, "operations", [Element(e.id, e.time_min, tuple(e.predecessors)) for e in plan.operations]
        )
    return plan


def check_precedence(plan_id: str, field: str, elements: list[Element]) -> tuple[str, ...]:
    """The elements in precedence order; unknown, repeated or cyclic elements are an input error naming the field."""
    try:
        return topological_order(elements)
    except ValueError as exc:
        raise InputError(f"{plan_id}/{field}: {exc}") from None


def _resolved(record: Any, base: Path) -> Any:
    """A raw plan with its relative paths made relative to `base` (the plan file's folder)."""
    if not isinstance(record, dict):
        return record

    def under(value: Any) -> Any:
        return str(base / value) if isinstance(value, str) and not Path(value).is_absolute() else value

    data = dict(record)
    if "routing" in data:
        data["routing"] = under(data["routing"])
    if isinstance(data.get("costs"), dict) and "part" in data["costs"]:
        data["costs"] = {**data["costs"], "part": under(data["costs"]["part"])}
    schedule = data.get("schedule")
    if isinstance(schedule, dict) and isinstance(schedule.get("jobs"), list):
        jobs = [
            {**job, "routing": under(job["routing"])} if isinstance(job, dict) and "routing" in job else job
            for job in schedule["jobs"]
        ]
        data["schedule"] = {**schedule, "jobs": jobs}
    return data


def _documents(path: Path) -> list[Any]:
    text = path.read_text(encoding="utf-8-sig")
    if not text.strip():
        raise InputError(f"{path.name}: the file is empty")
    is_json = path.suffix.lower() == ".json"
    try:
        data = json.loads(text) if is_json else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InputError(
            f"{path.name}: not valid {'JSON' if is_json else 'YAML'} ({' '.join(str(exc).split())})"
        ) from exc
    return data if isinstance(data, list) else [data]


def read_plans(path: Path) -> list[tuple[str, Any]]:
    """Raw plans with a label each, from a YAML/JSON file (one plan or a list) or a folder of them."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in PLAN_SUFFIXES)
        if not files:
            raise InputError(f"{path}: no plan files (.yaml, .yml, .json) in this folder")
        return [item for file in files for item in read_plans(file)]
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if path.suffix.lower() not in PLAN_SUFFIXES:
        raise InputError(f"{path.name}: plans are read from .yaml, .yml or .json files")
    records = _documents(path)
    if len(records) == 1:
        return [(path.name, _resolved(records[0], path.parent))]
    return [(f"{path.name}#{n}", _resolved(r, path.parent)) for n, r in enumerate(records, start=1)]


def load_plan_input(source: OrgInput | dict[str, Any] | str | Path) -> OrgInput:
    """One plan from a model, a mapping (paths relative to the working folder) or a file holding exactly one."""
    if isinstance(source, (OrgInput, dict)):
        return parse_plan(source)
    records = read_plans(Path(source))
    if len(records) != 1:
        raise InputError(f"{Path(source).name}: holds {len(records)} plans; draft them with `prepro batch`")
    label, record = records[0]
    return parse_plan(record, label)
