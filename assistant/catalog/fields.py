"""Field types every catalogue entry model shares: numbers kept as written, text, lookup tables with a fallback row."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainValidator,
)
from pydantic_core import PydanticCustomError


def _number(value: Any) -> int | float:
    """A YAML number kept as written (int or float), so that figures print in drafts exactly as before."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("number_type", "Input should be a valid number")
    return value


def _text(value: Any) -> Any:
    """YAML reads an unquoted 3.1 or 2135 as a number; the catalogue means the text."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


Number = Annotated[int | float, PlainValidator(_number)]
Text = Annotated[str, BeforeValidator(_text)]
Words = tuple[str, ...]
Pair = tuple[int, float]  # [IT grade, Ra µm]
Value = TypeVar("Value")


def with_row(key: str) -> AfterValidator:
    """A table looked up by a key with a fallback row: the fallback must be there."""

    def check(table: dict[str, Value]) -> dict[str, Value]:
        if key not in table:
            raise ValueError(f"needs a '{key}' row, the fallback for keys it does not list")
        return table

    return AfterValidator(check)


class Entry(BaseModel):
    """A catalogue entry: every key must be known, so a misspelt key is an error rather than a silent default."""

    model_config = ConfigDict(extra="forbid", frozen=True)
