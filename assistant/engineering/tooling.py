"""Fixtures, cutting tools and measuring instruments for an operation, from the tooling catalogue."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from assistant.engineering.requirements import tolerance_class
from assistant.engineering.types import CuttingTool, Fixture, MeasuringTool, Requirement

PROFILOMETER = "Roughness tester (profilometer)"


def fixture_for(kind: str, part_kind: str, fixtures: Sequence[Fixture], locates: str = "") -> str | None:
    """The first fixture listed for the operation kind and part kind that locates the part as asked ("bore": a
    mandrel in the machined bore; "": the usual holding)."""
    return next(
        (f.name for f in fixtures if kind in f.kinds and part_kind in f.part_kinds and f.locates == locates), None
    )


def cutting_tool_for(
    kind: str, stage: str, feature_type: str, group: str, tools: Sequence[CuttingTool], process: str = ""
) -> str | None:
    """The first cutting tool listed for the kind, stage, feature type and material group; a tool listed for
    particular processes serves only those, and before the general ones (gear shaving takes a shaving cutter)."""
    fitting = [
        t
        for t in tools
        if kind in t.kinds and stage in t.stages and feature_type in t.feature_types and group in t.material_groups
    ]
    own = [t for t in fitting if process and process in t.processes]
    general = [t for t in fitting if not t.processes]
    return next((t.name for t in own + general), None)


def _named_for(name: str, requirement: Requirement) -> str:
    """A gauge made to the surface's tolerance class: '{class}' in the catalogue name becomes k6, H7, 6g ..."""
    if "{class}" not in name:
        return name
    return name.replace("{class}", tolerance_class(requirement) or f"IT{requirement.it}")


def measuring_tool_for(requirement: Requirement, tools: Sequence[MeasuringTool]) -> str | None:
    """The cheapest adequate instrument: largest finest_it not coarser than the feature's grade, big enough."""
    size = requirement.size or requirement.length or requirement.width
    usable = [
        t
        for t in tools
        if requirement.feature_type in t.feature_types
        and t.finest_it <= requirement.it
        and t.max_size >= size
        and t.name != PROFILOMETER
    ]
    if not usable:
        return None
    best = max(t.finest_it for t in usable)
    return next(_named_for(t.name, requirement) for t in usable if t.finest_it == best)


def measuring_tools_for(requirements: Iterable[Requirement], tools: Sequence[MeasuringTool]) -> list[str]:
    """Instruments for all the features, plus a roughness tester when any Ra is 1.6 µm or finer."""
    requirements = list(requirements)
    names = [name for r in requirements if (name := measuring_tool_for(r, tools))]
    if any(r.ra <= 1.6 for r in requirements):
        names.append(PROFILOMETER)
    return list(dict.fromkeys(names))
