"""Scholl's SALBP benchmark data (shared/benchmarks/salbp): `.IN2` instances and the README's table of known optima.

`.IN2`: the number of tasks n, then n task times (one per line), then precedence pairs `i,j` (task i before
task j, 1-based), ending with `-1,-1`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from assistant.engineering.precedence import Element


@dataclass(frozen=True)
class Instance:
    """One SALBP instance: task times (task k is times[k - 1]) and precedence pairs (i before j, 1-based)."""

    name: str
    times: tuple[int, ...]
    precedence: tuple[tuple[int, int], ...]

    def elements(self) -> list[Element]:
        """The tasks as work elements with ids "1" … "n"."""
        before: dict[int, list[str]] = {k: [] for k in range(1, len(self.times) + 1)}
        for i, j in self.precedence:
            before[j].append(str(i))
        return [Element(str(k), float(t), tuple(before[k])) for k, t in enumerate(self.times, start=1)]


def parse_in2(text: str, name: str = "") -> Instance:
    """An instance from `.IN2` text; a ValueError names the line that is not as expected."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    try:
        n = int(lines[0])
        times = tuple(int(line) for line in lines[1 : n + 1])
    except (IndexError, ValueError) as exc:
        raise ValueError(f"{name or 'instance'}: expected a task count and {lines[:1]} task times ({exc})") from exc
    if len(times) != n:
        raise ValueError(f"{name or 'instance'}: {n} tasks declared, {len(times)} times given")
    pairs: list[tuple[int, int]] = []
    for line in lines[n + 1 :]:
        i, j = (int(v) for v in line.split(","))
        if (i, j) == (-1, -1):
            break
        if not (1 <= i <= n and 1 <= j <= n):
            raise ValueError(f"{name or 'instance'}: precedence pair {line!r} names a task outside 1…{n}")
        pairs.append((i, j))
    else:
        raise ValueError(f"{name or 'instance'}: the precedence list does not end with -1,-1")
    return Instance(name, times, tuple(pairs))


def read_in2(path: Path) -> Instance:
    """The instance in an `.IN2` file, named after the file."""
    return parse_in2(path.read_text(encoding="utf-8"), path.stem)


def known_optima(readme: str) -> list[tuple[str, int, int]]:
    """(instance, cycle time, m*) for every `c→m*` in the README table; values in parentheses are unverified."""
    cases: list[tuple[str, int, int]] = []
    for line in readme.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 4 or not re.fullmatch(r"[A-Z0-9]+", cells[0]):
            continue
        verified = re.sub(r"\(.*?\)", "", cells[3])
        cases += [(cells[0], int(c), int(m)) for c, m in re.findall(r"(\d+)\s*→\s*(\d+)", verified)]
    return cases
