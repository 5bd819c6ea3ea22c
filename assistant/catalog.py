"""Load the machine-readable catalogues (knowledge/catalog/*.yaml) into engineering values."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from assistant.engineering.types import (
    Capability,
    ChainOption,
    CuttingTool,
    Fixture,
    HeatTreatment,
    Machine,
    Material,
    MeasuringTool,
    Process,
    Source,
)
from assistant.errors import ConfigError
from assistant.resources import catalog_dir

CAPABILITY_DOC = "process-capability.md"
HEAT_TREATMENT_DOC = "heat-treatment.md"


@dataclass(frozen=True)
class Catalog:
    """Everything the engineering core looks up: processes, chains, machines, materials, tools, norms."""

    processes: dict[str, Process]
    chains: dict[str, tuple[ChainOption, ...]]
    heat_treatments: dict[str, HeatTreatment]
    machines: tuple[Machine, ...]
    materials: tuple[Material, ...]
    fixtures: tuple[Fixture, ...]
    cutting_tools: tuple[CuttingTool, ...]
    measuring_tools: tuple[MeasuringTool, ...]
    norms: dict[str, Any]
    production: dict[str, Any]
    allowances: dict[str, Any]

    def machine(self, model: str) -> Machine | None:
        """A machine by model, or None."""
        return next((m for m in self.machines if m.model == model), None)


def _read(folder: Path, name: str) -> dict[str, Any]:
    path = folder / name
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"catalogue {path} cannot be read ({exc})") from exc


def _cap(pair: list[float] | None) -> Capability | None:
    return Capability(int(pair[0]), float(pair[1])) if pair else None


def _process(code: str, row: dict[str, Any]) -> Process:
    applies = row.get("applies") or {}
    return Process(
        code=code,
        kind=row["kind"],
        stage=row["stage"],
        name=row["name"],
        capability={group: Capability(int(it), float(ra)) for group, (it, ra) in row["capability"].items()},
        hardened=_cap(row.get("hardened")),
        cost=float(row["cost"]),
        section=str(row["section"]),
        cutting=dict(row.get("cutting") or {}),
        flatness=row.get("flatness"),
        min_d=applies.get("min_d"),
        max_d=applies.get("max_d"),
        min_production=applies.get("min_production"),
        machine_types=tuple(w.lower() for w in row.get("machine_types") or ()),
    )


def _chains(data: dict[str, Any]) -> dict[str, tuple[ChainOption, ...]]:
    return {
        feature_type: tuple(
            ChainOption(
                tuple(o["steps"]),
                entry["doc"],
                str(o["section"]),
                o.get("part"),
                o.get("external"),
                o.get("max_d"),
                o.get("hardened", True),
            )
            for o in entry["options"]
        )
        for feature_type, entry in data["chains"].items()
    }


def _machine(row: dict[str, Any]) -> Machine:
    size = row.get("max_size")
    return Machine(
        model=str(row["model"]),
        name=row["name"],
        type=row["type"],
        kinds=tuple(row["kinds"]),
        automation=row["automation"],
        hourly_cost=float(row["hourly_cost"]),
        setup_time_min=row.get("setup_time_min"),
        profession=row["profession"],
        worker_grade=int(row["worker_grade"]),
        max_diameter=row.get("max_diameter"),
        max_length=row.get("max_length"),
        max_size=tuple(float(x) for x in size) if size else None,  # type: ignore[arg-type]
        max_hole_diameter=row.get("max_hole_diameter"),
        accuracy_it=row.get("accuracy_it"),
        ra_min=row.get("ra_min"),
        power_kw=row.get("power_kw"),
    )


def _material(row: dict[str, Any]) -> Material:
    source = row.get("source") or {}
    return Material(
        grade=row["grade"],
        aliases=tuple(str(a) for a in row.get("aliases", ())),
        group=row["group"],
        hardening=row["hardening"],
        max_hrc=row.get("max_hrc"),
        induction=bool(row.get("induction")),
        supplied_hb=row.get("supplied_hb"),
        density=float(row.get("density", 7.85)),
        machinability=float(row.get("machinability", 1.0)),
        blanks=tuple(row.get("blanks", ())),
        source=Source(source.get("doc", "materials-steels.md"), str(source.get("section", "")) or None),
        through_hrc=row.get("through_hrc"),
    )


@lru_cache(maxsize=4)
def load_catalog(folder: Path | None = None) -> Catalog:
    """The catalogues in `folder` (the shipped knowledge/catalog by default)."""
    folder = folder or catalog_dir()
    processes = _read(folder, "processes.yaml")
    tools = _read(folder, "tools.yaml")
    norms = _read(folder, "norms.yaml")
    return Catalog(
        processes={code: _process(code, row) for code, row in processes["processes"].items()},
        chains=_chains(_read(folder, "chains.yaml")),
        heat_treatments={
            code: HeatTreatment(
                code,
                row["name"],
                tuple(w.lower() for w in row["machine_types"]),
                str(row["section"]),
                float(row.get("cycle_min", 0)),
                float(row.get("load_kg", 0)),
                float(row.get("base_min", 0)),
                float(row.get("per_feature_min", 0)),
            )
            for code, row in processes["heat_treatments"].items()
        },
        machines=tuple(_machine(row) for row in _read(folder, "equipment.yaml")["machines"]),
        materials=tuple(_material(row) for row in _read(folder, "materials.yaml")["materials"]),
        fixtures=tuple(Fixture(f["name"], tuple(f["kinds"]), tuple(f["part_kinds"])) for f in tools["fixtures"]),
        cutting_tools=tuple(
            CuttingTool(
                t["name"], tuple(t["kinds"]), tuple(t["stages"]), tuple(t["feature_types"]), tuple(t["material_groups"])
            )
            for t in tools["cutting_tools"]
        ),
        measuring_tools=tuple(
            MeasuringTool(t["name"], tuple(t["feature_types"]), int(t["finest_it"]), float(t["max_size"]))
            for t in tools["measuring_tools"]
        ),
        norms=norms["time_norms"],
        production=norms["production_types"],
        allowances=norms["allowances"],
    )
