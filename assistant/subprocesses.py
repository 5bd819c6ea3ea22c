"""Child processes prepro starts (llama.cpp's server, the eval's stub server): stopping them for sure."""

from __future__ import annotations

import subprocess


def stop(process: subprocess.Popen, wait_s: float = 10) -> None:
    """Ask a child process to end, and kill it when it has not ended within `wait_s` seconds."""
    process.terminate()
    try:
        process.wait(timeout=wait_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
