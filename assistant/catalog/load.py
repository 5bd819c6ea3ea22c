"""Reading the catalogue files: validation errors that name file, entry and field, and the cached Catalog."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from assistant.catalog.entries import ChainsFile, EquipmentFile, MaterialsFile, ProcessEntry, ProcessesFile, ToolsFile
from assistant.catalog.norm_entries import NormsFile
from assistant.engineering.norm_types import Allowances, ProductionTypes, TimeNorms
from assistant.engineering.types import (
    ChainOption,
    CuttingTool,
    Fixture,
    HeatTreatment,
    Machine,
    Material,
    MeasuringTool,
    Process,
)
from assistant.errors import ConfigError
from assistant.resources import catalog_dir

CAPABILITY_DOC = "process-capability.md"
HEAT_TREATMENT_DOC = "heat-treatment.md"


# ---- reading and error messages ------------------------------------------------------------------

# List or mapping sections whose entries errors name: section -> (what an entry is, the key that names it).
_ENTRIES = {
    "processes": ("process", ""),
    "heat_treatments": ("heat treatment", ""),
    "chains": ("chain", ""),
    "machines": ("machine", "model"),
    "materials": ("material", "grade"),
    "fixtures": ("fixture", "name"),
    "cutting_tools": ("cutting tool", "name"),
    "measuring_tools": ("measuring tool", "name"),
    "shafts": ("shaft", ""),  # fits.yaml (assistant/catalog/fits.py)
    "holes": ("hole", ""),
}
FileModel = TypeVar("FileModel", bound=BaseModel)


def _entry_name(data: Any, section: str, key: int | str, name_key: str) -> str:
    """'16K20' for machines[3], 'turn_rough' for processes.turn_rough, '#4' when the entry has no name."""
    if isinstance(key, str):
        return key
    try:
        return str(data[section][key][name_key])
    except (KeyError, IndexError, TypeError):
        return f"#{key + 1}"


def _where(loc: tuple[int | str, ...], data: Any) -> str:
    """'machine 16K20: hourly_cost' for the location of a validation error in a catalogue file."""
    section, rest = str(loc[0]), list(loc[1:])
    if section in _ENTRIES and rest:
        kind, name_key = _ENTRIES[section]
        entry = f"{kind} {_entry_name(data, section, rest.pop(0), name_key)}"
        if section == "chains" and len(rest) >= 2 and rest[0] == "options" and isinstance(rest[1], int):
            entry, rest = f"{entry} option {rest[1] + 1}", rest[2:]
    else:
        entry = section
    return ": ".join([entry, ".".join(str(part) for part in rest)]) if rest else entry


def _message(path: Path, exc: ValidationError, data: Any) -> str:
    first, *more = exc.errors(include_url=False)
    where = _where(first["loc"], data) if first["loc"] else "top level"
    also = f" (and {len(more)} more problem{'s' if len(more) > 1 else ''})" if more else ""
    return f"{path.name}: {where}: {first['msg'].removeprefix('Value error, ')}{also}; fix {path}"


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """'line 3, column 7: expected ...' on one line."""
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        return f"line {mark.line + 1}, column {mark.column + 1}: {exc.problem}"
    return " ".join(str(exc).split())


def _read(folder: Path, name: str, model: type[FileModel]) -> FileModel:
    """The catalogue file `name` in `folder`, validated by `model`."""
    path = folder / name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(
            f"{name}: catalogue file {path} cannot be read ({exc.strerror or exc}); restore it from prepro's "
            "knowledge/catalog"
        ) from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{name}: not valid YAML at {_yaml_problem(exc)}; fix {path}") from exc
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        raise ConfigError(_message(path, exc, data)) from exc


def _check_steps(chains: ChainsFile, processes: dict[str, ProcessEntry]) -> None:
    """Every chain step is a process of processes.yaml."""
    for feature_type, entry in chains.chains.items():
        for number, option in enumerate(entry.options, 1):
            unknown = [step for step in option.steps if step not in processes]
            if unknown:
                raise ConfigError(
                    f"chains.yaml: chain {feature_type} option {number}: steps: {', '.join(unknown)} "
                    "is not a process of processes.yaml; fix chains.yaml or add the process"
                )


# ---- the catalogue -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Catalog:
    """Everything the engineering core looks up: processes, chains, machines, materials, tools, norms."""

    processes: dict[str, Process]
    chains: dict[str, tuple[ChainOption, ...]]
    heat_treatments: dict[str, HeatTreatment]
    machines: tuple[Machine, ...]
    materials: tuple[Material, ...]
    speed_factors: dict[str, float]  # K_mv by grade (materials.yaml speed_references)
    fixtures: tuple[Fixture, ...]
    cutting_tools: tuple[CuttingTool, ...]
    measuring_tools: tuple[MeasuringTool, ...]
    norms: TimeNorms
    production: ProductionTypes
    allowances: Allowances

    def machine(self, model: str) -> Machine | None:
        """A machine by model, or None."""
        return next((m for m in self.machines if m.model == model), None)


@lru_cache(maxsize=4)
def load_catalog(folder: Path | None = None) -> Catalog:
    """The catalogues in `folder` (the shipped knowledge/catalog by default)."""
    folder = folder or catalog_dir()
    processes = _read(folder, "processes.yaml", ProcessesFile)
    chains = _read(folder, "chains.yaml", ChainsFile)
    _check_steps(chains, processes.processes)
    tools = _read(folder, "tools.yaml", ToolsFile)
    norms = _read(folder, "norms.yaml", NormsFile)
    materials = _read(folder, "materials.yaml", MaterialsFile)
    return Catalog(
        processes={code: row.to_process(code) for code, row in processes.processes.items()},
        chains=chains.to_chains(),
        heat_treatments={code: row.to_heat_treatment(code) for code, row in processes.heat_treatments.items()},
        machines=tuple(row.to_machine() for row in _read(folder, "equipment.yaml", EquipmentFile).machines),
        materials=tuple(row.to_material() for row in materials.materials),
        speed_factors=materials.speed_factors(),
        fixtures=tuple(Fixture(f.name, f.kinds, f.part_kinds, f.locates) for f in tools.fixtures),
        cutting_tools=tuple(
            CuttingTool(t.name, t.kinds, t.stages, t.feature_types, t.material_groups, t.processes)
            for t in tools.cutting_tools
        ),
        measuring_tools=tuple(
            MeasuringTool(t.name, t.feature_types, t.finest_it, t.max_size) for t in tools.measuring_tools
        ),
        norms=norms.time_norms.to_time_norms(),
        production=norms.production_types.to_production_types(),
        allowances=norms.allowances.to_allowances(),
    )
