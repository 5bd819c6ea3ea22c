"""What each feature must reach: IT grade (from the fit, the thread class or the gear grade) and Ra."""

from __future__ import annotations

import re
from typing import Any

from assistant.engineering.types import Requirement

DEFAULT_IT = 14  # untoleranced dimensions: general tolerance, about IT14 (process-capability.md §10)
DEFAULT_RA = 12.5  # unspecified roughness: as rough-machined
COARSE_PITCH = {
    3: 0.5,
    4: 0.7,
    5: 0.8,
    6: 1.0,
    8: 1.25,
    10: 1.5,
    12: 1.75,
    14: 2.0,
    16: 2.0,
    18: 2.5,
    20: 2.5,
    22: 2.5,
    24: 3.0,
    27: 3.0,
    30: 3.5,
    33: 3.5,
    36: 4.0,
    39: 4.0,
    42: 4.5,
    45: 4.5,
    48: 5.0,
    52: 5.0,
    56: 5.5,
    60: 5.5,
    64: 6.0,
}
_FIT = re.compile(r"^([A-Za-z]{1,2})(\d{1,2})$")
# Threads carry a thread tolerance class (6H, 6g: ISO 965 / GOST 16093), whose digit is not an IT grade
THREAD_TYPES = frozenset({"external_thread", "internal_thread"})
_THREAD = re.compile(r"^\s*M\s*(\d+(?:[.,]\d+)?)\s*(?:[xх×]\s*(\d+(?:[.,]\d+)?))?\s*(?:-\s*(\d)([a-hA-H]))?", re.I)
_FIT_TOKEN = r"(?:\s*[A-Za-z]{1,2}\d{1,2}(?:\s*/\s*[A-Za-z]{1,2}\d{1,2})?)?"
_SPLINE = re.compile(rf"(\d+)\s*[xх×]\s*(\d+(?:\.\d+)?){_FIT_TOKEN}\s*[xх×]\s*(\d+(?:\.\d+)?)")


def fit_grade(fit: str) -> int:
    """IT grade of an ISO fit designation: H7 -> 7, js6 -> 6."""
    match = _FIT.match(fit.strip())
    if not match:
        raise ValueError(f"fit '{fit}' is not an ISO designation like H7 or h6")
    return int(match.group(2))


def coarse_pitch(diameter: float) -> float:
    """ISO 261 coarse pitch for the nominal diameter (nearest listed size at or below it)."""
    sizes = [d for d in COARSE_PITCH if d <= diameter] or [min(COARSE_PITCH)]
    return COARSE_PITCH[max(sizes)]


def parse_thread(designation: str) -> tuple[float, float, int | None]:
    """(nominal diameter, pitch, tolerance grade or None) of `M36x1.5-6g`, `M20`, `M12-6H`."""
    match = _THREAD.match(designation or "")
    if not match:
        raise ValueError(f"thread designation '{designation}' is not metric (expected e.g. M36x1.5-6g)")
    diameter = float(match.group(1).replace(",", "."))
    pitch = float(match.group(2).replace(",", ".")) if match.group(2) else coarse_pitch(diameter)
    return diameter, pitch, int(match.group(3)) if match.group(3) else None


def tolerance_class(req: Requirement) -> str | None:
    """The class a surface is toleranced to as the drawing writes it: its fit (k6, H7), or the class of its
    thread designation (6g in M36x1.5-6g); None when it has neither."""
    if req.fit:
        return req.fit
    designation = req.designation or ""
    return designation.rsplit("-", 1)[1] if "-" in designation else None


def parse_spline(designation: str) -> tuple[int, float, float] | None:
    """(number of splines, minor diameter, major diameter) of a straight-sided spline `8x36x40`."""
    match = _SPLINE.search(designation or "")
    return (int(match.group(1)), float(match.group(2)), float(match.group(3))) if match else None


def _gear_ra(accuracy: int) -> float:
    return 0.8 if accuracy <= 6 else 1.6 if accuracy == 7 else 3.2 if accuracy == 8 else 6.3


def requirement(feature: Any, part_diameter: float = 0.0) -> Requirement:
    """The feature's target grade and roughness with the drawing's defaults applied; sizes for time norms."""
    it = feature.it or (fit_grade(feature.fit) if feature.fit else None)
    ra = feature.ra
    size = feature.diameter or feature.width or 0.0
    extra: dict[str, Any] = {}
    if feature.type in {"external_thread", "internal_thread"}:
        diameter, pitch, grade = parse_thread(feature.designation or f"M{feature.diameter or 0:g}")
        it, ra, size = it or grade or 6, ra or 3.2, diameter
        extra["pitch"] = pitch
    elif feature.type == "gear_teeth":
        accuracy = feature.accuracy or it or 8
        it, ra = accuracy, ra or _gear_ra(accuracy)
        module, teeth = feature.module or 2.0, feature.teeth or 20
        size = feature.diameter or module * (teeth + 2)
        extra.update(module=module, teeth=teeth)
    elif feature.type == "spline":
        spline = parse_spline(feature.designation or "")
        size = spline[2] if spline else feature.diameter or part_diameter
        extra["teeth"] = spline[0] if spline else feature.teeth or 6
        it, ra = it or 9, ra or 3.2
    elif feature.type == "keyway":
        it, ra = it or 9, ra or 3.2
    elif feature.type in {"end_face", "chamfer", "groove"} and not size:
        size = part_diameter
    length = feature.length or getattr(feature, "face_width", None) or 0.0
    return Requirement(
        feature_id=feature.id,
        feature_type=feature.type,
        it=int(it or DEFAULT_IT),
        ra=float(ra or DEFAULT_RA),
        size=float(size),
        length=float(length),
        count=feature.count,
        flatness=feature.flatness,
        internal=feature.internal,
        width=float(feature.width or 0.0),
        depth=float(feature.depth or 0.0),
        fit=feature.fit,
        designation=feature.designation,
        **extra,
    )
