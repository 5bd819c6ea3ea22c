"""The `prepro` command: a root Typer app assembled from one module per command group."""

from __future__ import annotations

import os
import sys

import typer
from pydantic import ValidationError

from assistant.api import PreproError
from assistant.cli import chat, drafts, evaluation, knowledge, ui, workspace

app = typer.Typer(
    name="prepro",
    help="Drafting assistant for the technological preparation of production.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
knowledge.register(app)
chat.register(app)
drafts.register(app)
evaluation.register(app)
workspace.register(app)
ui.register(app)


def _debug() -> bool:
    return os.environ.get("PREPRO_DEBUG", "").lower() in {"1", "true", "yes"}


def main() -> None:
    """Run the CLI: our errors and bad settings print one line to stderr and exit non-zero."""
    try:
        app()
    except PreproError as exc:
        if _debug():
            raise
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "PREPRO_" + str(first["loc"][0]).upper() if first.get("loc") else "a setting"
        print(f"error: invalid value for {name}: {first['msg']}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("aborted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:
        if _debug():
            raise
        print(
            f"error: unexpected {type(exc).__name__}: {exc} (set PREPRO_DEBUG=1 to see the traceback)", file=sys.stderr
        )
        sys.exit(1)
