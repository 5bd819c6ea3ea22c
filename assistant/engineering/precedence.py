"""The precedence diagram of a line's work elements (takt-and-line-balancing.md §3.3): elements, their order with
every predecessor first, and errors that name unknown, repeated or cyclic elements."""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Element:
    """A work element: id, time per piece (min) and the ids of its immediate predecessors."""

    id: str
    time: float
    predecessors: tuple[str, ...] = ()


class PrecedenceError(ValueError):
    """The precedence diagram is not a graph without cycles over known elements; `elements` names the culprits."""

    def __init__(self, message: str, elements: Sequence[str]) -> None:
        super().__init__(message)
        self.elements = tuple(elements)


def _check_elements(elements: Sequence[Element]) -> dict[str, Element]:
    if not elements:
        raise ValueError("no work elements to balance")
    by_id: dict[str, Element] = {}
    for e in elements:
        if e.id in by_id:
            raise PrecedenceError(f"element {e.id!r} is listed twice", [e.id])
        if not (math.isfinite(e.time) and e.time >= 0):
            raise ValueError(f"element {e.id!r}: time must be a number of minutes ≥ 0 (got {e.time})")
        by_id[e.id] = e
    for e in elements:
        unknown = [p for p in e.predecessors if p not in by_id]
        if unknown:
            raise PrecedenceError(
                f"element {e.id!r} has unknown predecessor(s) {', '.join(map(repr, unknown))}", [e.id, *unknown]
            )
    return by_id


def _cycle_among(left: Sequence[str], by_id: dict[str, Element]) -> list[str]:
    """A cycle among the elements Kahn's algorithm could not order (each has a predecessor among them).

    Walks back from the first of them through predecessors until an element repeats; the cycle is given forward,
    from its element listed first.
    """
    path: list[str] = []
    node = left[0]
    while node not in path:
        path.append(node)
        node = next(p for p in by_id[node].predecessors if p in left)
    cycle = list(reversed(path[path.index(node) :]))
    first = min(range(len(cycle)), key=lambda i: left.index(cycle[i]))
    return cycle[first:] + cycle[:first]


def topological_order(elements: Sequence[Element]) -> tuple[str, ...]:
    """Element ids with every predecessor first (ties in input order); PrecedenceError names unknown or cyclic ones."""
    by_id = _check_elements(elements)
    rank = {e.id: i for i, e in enumerate(elements)}
    waiting = {e.id: len(set(e.predecessors)) for e in elements}
    followers: dict[str, list[str]] = {e.id: [] for e in elements}
    for e in elements:
        for p in set(e.predecessors):
            followers[p].append(e.id)
    ready = [rank[i] for i, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        done = elements[heapq.heappop(ready)].id
        order.append(done)
        for f in followers[done]:
            waiting[f] -= 1
            if waiting[f] == 0:
                heapq.heappush(ready, rank[f])
    if len(order) < len(elements):
        placed = set(order)
        cycle = _cycle_among([e.id for e in elements if e.id not in placed], by_id)
        raise PrecedenceError(f"cyclic precedence: {' → '.join([*cycle, cycle[0]])}", cycle)
    return tuple(order)
