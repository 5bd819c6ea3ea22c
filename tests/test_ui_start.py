"""`prepro ui`: the shipped Streamlit settings, the command's options, and a real server answering its health check."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

from typer.testing import CliRunner

from assistant.cli import app
from assistant.cli.ui import PINNED, streamlit_command


def test_the_shipped_config_keeps_telemetry_home_and_hides_deploy(repo_root: Path) -> None:
    config = tomllib.loads((repo_root / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["toolbarMode"] == "minimal"
    assert config["server"]["headless"] is True


def test_streamlit_reads_the_config_when_run_at_the_repository_root(repo_root: Path, tmp_path: Path) -> None:
    probe = (
        "from streamlit import config; config.get_config_options(force_reparse=True); "
        "print([(config.get_option(k), config.get_where_defined(k)) for k in "
        "('browser.gatherUsageStats', 'client.toolbarMode', 'server.headless')])"
    )
    env = {**os.environ, "HOME": str(tmp_path)}  # no ~/.streamlit of the person running the tests
    shown = subprocess.run(
        [sys.executable, "-c", probe], cwd=repo_root, env=env, capture_output=True, text=True, check=True
    ).stdout
    where = str(repo_root / ".streamlit" / "config.toml")
    assert shown.strip() == str([(False, where), ("minimal", where), (True, where)])


def test_the_command_pins_the_settings_whatever_the_working_directory() -> None:
    command = streamlit_command("127.0.0.1", 8600)
    assert command[:5] == [sys.executable, "-m", "streamlit", "run", str(Path("ui") / "app.py")]
    flags = dict(flag.removeprefix("--").split("=", 1) for flag in command[5:])
    assert flags == {**PINNED, "server.address": "127.0.0.1", "server.port": "8600"}
    assert flags["browser.gatherUsageStats"] == "false" and flags["client.toolbarMode"] == "minimal"


def test_help_lists_host_and_port() -> None:
    result = CliRunner().invoke(app, ["ui", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "--host" in result.output and "--port" in result.output
    assert "ui" in CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"}).output


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _health(port: int) -> str | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
            return response.read().decode()
    except OSError:
        return None


def test_prepro_ui_serves_on_a_loopback_port_from_any_directory(tmp_path: Path) -> None:
    """A real server (about 2.5 s to its first health answer, so not marked slow)."""
    port = _free_port()
    command = [str(Path(sys.executable).with_name("prepro")), "ui", "--host", "127.0.0.1", "--port", str(port)]
    env = {**os.environ, "PREPRO_HOME": str(tmp_path / "home")}
    server = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        deadline, answer = time.monotonic() + 60, None
        while answer is None and time.monotonic() < deadline and server.poll() is None:
            time.sleep(0.5)
            answer = _health(port)
        assert answer == "ok", f"no health answer; exit code {server.poll()}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the session started above: prepro became the Streamlit server
        output = server.communicate(timeout=30)[0].decode()
    assert f"prepro UI on http://127.0.0.1:{port}" in output
