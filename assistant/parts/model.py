"""The part specification (shared/contracts/PART_SPEC.md): model and validation with errors that name the field."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assistant.engineering.heat import parse_hardness
from assistant.engineering.requirements import fit_grade
from assistant.errors import InputError

PartKind = Literal["shaft", "bushing", "disk", "flange", "plate", "bracket", "housing", "gear", "lever", "other"]
BlankKind = Literal["rolled_bar", "forging", "stamping", "casting", "plate", "sheet", "tube", "weldment"]
FeatureType = Literal[
    "external_cylinder",
    "hole",
    "plane",
    "end_face",
    "external_thread",
    "internal_thread",
    "keyway",
    "slot",
    "groove",
    "chamfer",
    "gear_teeth",
    "spline",
]
FeatureFunction = Literal[
    "bearing_seat",
    "press_fit",
    "sliding_fit",
    "sealing",
    "locating",
    "threaded_joint",
    "keyed_joint",
    "gear_mesh",
    "free",
]
IDENT = r"^[A-Za-z0-9._-]{1,64}$"
Positive = Field(default=None, gt=0)


class Envelope(BaseModel):
    """Overall size: diameter + length for rotational parts, length + width + height for prismatic ones."""

    model_config = ConfigDict(extra="forbid")
    diameter: float | None = Positive
    length: float | None = Positive
    width: float | None = Positive
    height: float | None = Positive


class Feature(BaseModel):
    """One machined feature; `count` repeats identical ones."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=IDENT)
    type: FeatureType
    diameter: float | None = Positive
    length: float | None = Positive
    width: float | None = Positive
    depth: float | None = Positive
    height: float | None = Positive
    through: bool | None = None
    fit: str | None = Field(default=None, pattern=r"^[A-Za-z]{1,2}\d{1,2}$")
    it: int | None = Field(default=None, ge=1, le=18)
    ra: float | None = Field(default=None, gt=0)
    count: int = Field(default=1, ge=1, le=10000)
    designation: str | None = None
    flatness: float | None = Positive
    module: float | None = Positive
    teeth: int | None = Field(default=None, ge=1)
    face_width: float | None = Positive
    accuracy: int | None = Field(default=None, ge=3, le=12)
    internal: bool | None = None
    function: FeatureFunction | None = None  # what the feature does (design stage); routing ignores it

    @field_validator("ra")
    @classmethod
    def _ra_reachable(cls, value: float | None) -> float | None:
        if value is not None and not 0.01 <= value <= 100:
            raise ValueError(f"ra must be between 0.01 and 100 µm (got {value})")
        return value

    @model_validator(mode="after")
    def _fit_agrees_with_it(self) -> Feature:
        if self.fit and self.it is not None and fit_grade(self.fit) != self.it:
            raise ValueError(f"fit {self.fit} means IT{fit_grade(self.fit)} but it is {self.it}")
        if self.fit and not 1 <= fit_grade(self.fit) <= 18:
            raise ValueError(f"fit {self.fit} has no IT grade between 1 and 18")
        return self


class Component(BaseModel):
    """One line of the part's specification (BOM) for the design stage; routing ignores components."""

    model_config = ConfigDict(extra="forbid")
    position: int = Field(ge=1)
    name: str = Field(min_length=1)
    quantity: float = Field(default=1, gt=0)
    material: str | None = None
    standard: str | None = None


class PartSpec(BaseModel):
    """A part as a technologist reads it off the drawing."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=IDENT)
    name: str = Field(min_length=1)
    kind: PartKind = "other"
    material: str = Field(min_length=1)
    blank: BlankKind | None = None
    hardness: str | None = None
    mass_kg: float | None = Positive
    envelope: Envelope = Field(default_factory=Envelope)
    annual_volume: int = Field(default=1000, ge=1)
    batch_size: int | None = Field(default=None, ge=1)
    features: list[Feature] = Field(min_length=1)
    notes: str | None = None
    components: list[Component] = Field(default_factory=list)

    @field_validator("hardness")
    @classmethod
    def _hardness_readable(cls, value: str | None) -> str | None:
        if value is not None:
            parse_hardness(value)
        return value

    @model_validator(mode="after")
    def _unique_feature_ids(self) -> PartSpec:
        seen: set[str] = set()
        for feature in self.features:
            if feature.id in seen:
                raise ValueError(f"feature id {feature.id} is used twice")
            seen.add(feature.id)
        return self

    @property
    def rotational(self) -> bool:
        """Turned parts (shaft, bushing, disk, flange, gear, and an `other` part whose envelope is a diameter and a
        length) as opposed to prismatic ones."""
        round_other = self.kind == "other" and self.envelope.diameter is not None and self.envelope.width is None
        return self.kind in {"shaft", "bushing", "disk", "flange", "gear"} or round_other


def _location(data: dict[str, Any], loc: tuple[Any, ...]) -> tuple[str, str]:
    """(feature id or '', field path) of a pydantic error location."""
    if len(loc) >= 2 and loc[0] == "features" and isinstance(loc[1], int):
        features = data.get("features") or []
        raw = features[loc[1]] if loc[1] < len(features) else {}
        fid = raw.get("id") if isinstance(raw, dict) else None
        return str(fid or f"feature #{loc[1] + 1}"), ".".join(str(p) for p in loc[2:])
    return "", ".".join(str(p) for p in loc)


_BOUNDS = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<", "less_than_equal": "<="}
_BOUND_KEYS = {"greater_than": "gt", "greater_than_equal": "ge", "less_than": "lt", "less_than_equal": "le"}


def _message(error: Any) -> str:  # pydantic's ErrorDetails
    """The error in the contract's words, e.g. `must be > 0 (got -1)`."""
    kind, ctx, got = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "extra_forbidden":
        return "is not a known field"
    if kind == "missing":
        return "is required"
    if kind in _BOUNDS:
        bound = ctx.get(_BOUND_KEYS[kind])
        return (
            f"must be {_BOUNDS[kind]} {bound:g} (got {got!r})"
            if isinstance(bound, (int, float))
            else f"must be {_BOUNDS[kind]} {bound} (got {got!r})"
        )
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')} (got {got!r})"
    if kind == "string_pattern_mismatch":
        return f"has an invalid format (got {got!r})"
    if kind in {
        "int_parsing",
        "float_parsing",
        "bool_parsing",
        "int_from_float",
        "string_type",
        "list_type",
        "dict_type",
        "model_type",
    }:
        return f"{str(error['msg']).lower()} (got {got!r})"
    if kind == "too_short":
        return "must not be empty"
    return str(error["msg"]).removeprefix("Value error, ")


def parse_part(data: Any, label: str = "part") -> PartSpec:
    """Validate one part; errors name the part id, the feature id and the field, e.g. `SH-001/F1: ra ...`."""
    if not isinstance(data, dict):
        raise InputError(f"{label}: a part must be a mapping of fields (got {type(data).__name__})")
    try:
        return PartSpec.model_validate(data)
    except ValidationError as exc:
        part_id = str(data.get("id") or label)
        lines = []
        for error in exc.errors():
            feature, field = _location(data, tuple(error["loc"]))
            where = "/".join(x for x in (part_id, feature) if x)
            lines.append(f"{where}: {field + ' ' if field else ''}{_message(error)}".replace("  ", " "))
        raise InputError("; ".join(lines)) from None
