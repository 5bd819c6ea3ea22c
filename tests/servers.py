"""Real servers for tests: start a process on a free loopback port and wait until it answers."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from assistant.subprocesses import stop


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running(
    command: Sequence[str], ready_url: str, log: Path, timeout: float = 120.0, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen]:
    """Run the command until the context ends; fail with its log if ready_url never answers."""
    with log.open("wb") as sink:
        process = subprocess.Popen(
            list(command), stdout=sink, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
        )
        try:
            deadline = time.monotonic() + timeout
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"{command[0]} exited early:\n{log.read_text(errors='replace')[-3000:]}")
                try:
                    with urllib.request.urlopen(ready_url, timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(
                            f"{ready_url} not ready:\n{log.read_text(errors='replace')[-3000:]}"
                        ) from None
                    time.sleep(0.3)
            yield process
        finally:
            stop(process, wait_s=15)
