"""Helpers every command module shares: the Assistant, output formats, JSON printing."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

import typer
from pydantic import BaseModel
from rich.console import Console

from assistant.api import Assistant

console = Console()
err_console = Console(stderr=True)


class Format(StrEnum):
    """Output formats of read commands."""

    text = "text"
    json = "json"


FORMAT_OPTION = typer.Option(Format.text, "--format", "-f", help="Output format.")


def assistant() -> Assistant:
    """A fresh Assistant with settings from the environment."""
    return Assistant()


def print_json(value: Any) -> None:
    """Print pydantic models (or lists of them) as JSON on stdout."""

    def plain(item: Any) -> Any:
        if isinstance(item, BaseModel):
            return item.model_dump(mode="json")
        if isinstance(item, list):
            return [plain(i) for i in item]
        return item

    typer.echo(json.dumps(plain(value), ensure_ascii=False, indent=2))
