"""Scholl's SALBP benchmark data; the reader lives in assistant/evaluation/salbp.py (kept here for the scripts)."""

from __future__ import annotations

from pathlib import Path

from assistant.evaluation.paths import shared_data
from assistant.evaluation.salbp import Instance, known_optima, parse_in2, read_in2

ROOT = Path(__file__).resolve().parent.parent
SALBP = shared_data("benchmarks/salbp")

__all__ = ["ROOT", "SALBP", "Instance", "known_optima", "parse_in2", "read_in2"]
