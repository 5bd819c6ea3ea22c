"""Helpers every command module shares: the Assistant, output formats, JSON printing."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

if TYPE_CHECKING:
    from assistant.api import Assistant

console = Console()
err_console = Console(stderr=True)


class Format(StrEnum):
    """Output formats of read commands."""

    text = "text"
    json = "json"


FORMAT_OPTION = typer.Option(Format.text, "--format", "-f", help="Output format.")


@contextmanager
def progress_bar(verb: str) -> Iterator[Callable[[int, int, str], None]]:
    """A progress bar on stderr and the callback that moves it: callback(done, total, label)."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(verb, total=None)

        def show(done: int, total: int, label: str) -> None:
            bar.update(task, completed=done, total=total, description=f"{verb} {label[:36]:<36}")

        yield show


def assistant() -> Assistant:
    """A fresh Assistant with settings from the environment."""
    from assistant.api import Assistant

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
