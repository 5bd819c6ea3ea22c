"""`prepro ui`: the Streamlit app of ui/, served with the shipped .streamlit/config.toml and no telemetry."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import typer

from assistant.api import PreproError
from assistant.cli.common import console

ROOT = Path(__file__).resolve().parents[2]  # the source checkout: ui/ and .streamlit/ sit beside assistant/
APP = Path("ui") / "app.py"

# Repeated as flags so that they hold wherever `prepro ui` is started from and whatever ~/.streamlit says:
# usage statistics never leave the machine, no Deploy button, no browser opened on the server.
PINNED = {
    "browser.gatherUsageStats": "false",
    "client.toolbarMode": "minimal",
    "server.headless": "true",
    "global.developmentMode": "false",
}
# Libraries the app loads that would otherwise report usage (Hugging Face, Chroma) or honour DO_NOT_TRACK
NO_TELEMETRY = {"HF_HUB_DISABLE_TELEMETRY": "1", "ANONYMIZED_TELEMETRY": "False", "DO_NOT_TRACK": "1"}


def streamlit_command(host: str, port: int) -> list[str]:
    """The `streamlit run` command line for the app, run from the checkout's root."""
    flags = {**PINNED, "server.address": host, "server.port": str(port)}
    return [sys.executable, "-m", "streamlit", "run", str(APP), *(f"--{key}={value}" for key, value in flags.items())]


def ui(
    host: str = typer.Option("127.0.0.1", help="Address to serve on (0.0.0.0: every interface of this machine)."),
    port: int = typer.Option(8501, min=1, max=65535, help="Port to serve on."),
) -> None:
    """Start the web UI (chat, drafts, knowledge base) with the shipped Streamlit settings."""
    if not (ROOT / APP).is_file():
        raise PreproError(
            f"the web UI is not in this installation ({ROOT / APP} is missing); "
            "run `prepro ui` from a source checkout installed with `pip install -e .`"
        )
    command = streamlit_command(host, port)
    env = {**os.environ, **NO_TELEMETRY}
    console.print(f"prepro UI on http://{host}:{port} (Ctrl-C stops it)", highlight=False)
    sys.stdout.flush()
    os.chdir(ROOT)  # Streamlit reads .streamlit/config.toml from the working directory
    if os.name == "posix":
        os.execve(command[0], command, env)  # the server takes this process's place: signals reach it directly
    raise typer.Exit(subprocess.run(command, env=env, check=False).returncode)


def register(app: typer.Typer) -> None:
    """Add the `ui` command to the root app."""
    app.command()(ui)
