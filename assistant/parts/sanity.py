"""Spec sanity: a feature cannot be larger than the part that carries it (route-review-rules.md, feature-within-envelope)."""

from __future__ import annotations

from collections.abc import Mapping

from assistant.engineering.types import Requirement
from assistant.parts.model import PartSpec

_SLACK = 1.001  # sizes written to a tenth of a millimetre round both ways
_OUTSIDE = frozenset({"external_cylinder", "external_thread", "gear_teeth", "spline", "end_face"})
_DESCRIBED = {"gear_teeth": "tip diameter", "external_thread": "nominal diameter", "spline": "major diameter"}


def _too_big(value: float, limit: float | None) -> bool:
    return bool(limit) and value > (limit or 0.0) * _SLACK


def outside_envelope(part: PartSpec, requirements: Mapping[str, Requirement]) -> list[tuple[str, str]]:
    """(feature id, why) for every feature whose size exceeds the part's envelope."""
    env = part.envelope
    largest = max((v for v in (env.diameter, env.length, env.width, env.height) if v), default=None)
    found = []
    for fid, req in requirements.items():
        what = _DESCRIBED.get(req.feature_type, "diameter")
        if env.diameter and req.feature_type in _OUTSIDE and not req.internal and _too_big(req.size, env.diameter):
            found.append((fid, f"its {what} Ø{req.size:g} exceeds the envelope diameter Ø{env.diameter:g}"))
        elif env.diameter and req.feature_type == "hole" and req.size >= env.diameter:
            found.append((fid, f"the hole Ø{req.size:g} is not smaller than the envelope diameter Ø{env.diameter:g}"))
        elif not env.diameter and _too_big(req.size, largest):
            found.append((fid, f"its size {req.size:g} mm exceeds the largest envelope dimension {largest:g} mm"))
        elif _too_big(req.length, env.length if env.diameter else largest):
            limit = env.length if env.diameter else largest
            found.append((fid, f"its length {req.length:g} mm exceeds the envelope length {limit:g} mm"))
    return found
