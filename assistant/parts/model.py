"""The part specification (shared/contracts/PART_SPEC.md): model and validation with errors that name the field."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assistant.catalog.fits import load_fits
from assistant.engineering.grades import span_grade
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
    """One machined feature; `count` repeats identical ones.

    The tolerance is given one of three ways: an ISO fit (`fit: h6`), an IT grade (`it: 6`), or the limit
    deviations from the nominal size in mm (`upper: -0.009, lower: -0.025` for a Ø40 shaft -0.009/-0.025).
    Deviations come in pairs with `upper` > `lower`; their span (upper - lower) is read against the feature's size
    (`diameter`, else `width`, else `length`) in the ISO 286 / GOST 25346 standard tolerances, and the coarsest
    grade whose standard tolerance does not exceed the span becomes `it` (tolerances-and-fits.md §3.7.5): 16 µm on
    Ø40 is IT6. A span tighter than IT1 or coarser than IT18 is an error, and so is a grade that contradicts a
    given `it` or `fit`.
    """

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
    upper: float | None = Field(default=None, allow_inf_nan=False)  # upper limit deviation, mm (es / ES)
    lower: float | None = Field(default=None, allow_inf_nan=False)  # lower limit deviation, mm (ei / EI)

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

    @property
    def tolerance_size(self) -> tuple[str, float] | None:
        """(field, value) of the size a tolerance grade is read against: diameter, else width, else length."""
        return next(
            ((name, size) for name in ("diameter", "width", "length") if (size := getattr(self, name)) is not None),
            None,
        )

    @model_validator(mode="after")
    def _deviations_give_it(self) -> Feature:
        """Limit deviations → the IT grade they hold, checked against `it` and `fit` (tolerances-and-fits.md §3.7.5)."""
        if self.upper is None and self.lower is None:
            return self
        if self.upper is None or self.lower is None:
            given, missing = ("lower", "upper") if self.upper is None else ("upper", "lower")
            raise ValueError(f"{missing} is required with {given}: limit deviations (mm) are given in pairs")
        deviations = f"{_deviation(self.upper)}/{_deviation(self.lower)}"
        if self.upper <= self.lower:
            raise ValueError(f"upper must be greater than lower (got upper {self.upper:g}, lower {self.lower:g})")
        sized = self.tolerance_size
        if sized is None:
            raise ValueError(f"upper/lower deviations {deviations} need a size: give diameter, width or length")
        name, size = sized
        where = f"Ø{size:g}" if name == "diameter" else f"{name} {size:g}"
        span = round((self.upper - self.lower) * 1000, 3)
        try:
            grade = span_grade(load_fits(), size, span).grade
        except ValueError as exc:
            raise ValueError(f"upper/lower deviations {deviations} on {where}: {exc}") from None
        said = f"deviations {deviations} span {span:g} µm = IT{grade} on {where}"
        if self.it is not None and self.it != grade:
            raise ValueError(f"upper/lower {said} but it is {self.it}")
        if self.fit and fit_grade(self.fit) != grade:
            raise ValueError(f"upper/lower {said} but fit {self.fit} means IT{fit_grade(self.fit)}")
        self.it = grade
        return self


def _deviation(value: float) -> str:
    """A limit deviation as drawings write it: -0.009, +0.025, 0."""
    return "0" if value == 0 else f"{value:+g}"


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
