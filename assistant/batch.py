"""Batch drafting: many parts, concurrently, with progress, per-part errors and resume from an output folder."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.errors import InputError, PreproError
from assistant.export import export
from assistant.parts import PartSpec, parse_part, read_part_data, slug
from assistant.retrieval.index import ProgressFn
from assistant.route_card import RoutingDraft


class BatchItem(BaseModel):
    """What happened to one part of the batch."""

    label: str
    part_id: str | None = None
    status: Literal["drafted", "skipped", "failed"]
    output: str | None = None
    error: str | None = None
    errors: int = 0
    warnings: int = 0
    seconds: float = 0.0
    draft: RoutingDraft | None = Field(default=None, exclude=True)


class BatchResult(BaseModel):
    """Per-part outcomes of a batch run and its totals."""

    items: list[BatchItem] = Field(default_factory=list)
    seconds: float = 0.0
    concurrency: int = 1

    def count(self, status: str) -> int:
        """Parts with the given status."""
        return sum(1 for item in self.items if item.status == status)

    def summary(self) -> str:
        """One line: counts and time."""
        flagged = sum(1 for i in self.items if i.errors)
        return (
            f"{self.count('drafted')} drafted, {self.count('skipped')} skipped (already drafted), "
            f"{self.count('failed')} failed, {flagged} with error findings; {self.seconds:.1f} s "
            f"at concurrency {self.concurrency}"
        )


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def _records(parts: Path | str | Sequence[PartSpec | dict[str, Any]]) -> list[tuple[str, Any]]:
    if isinstance(parts, (str, Path)):
        return read_part_data(Path(parts))
    return [(f"item#{n}", p.model_dump() if isinstance(p, PartSpec) else p) for n, p in enumerate(parts, start=1)]


def _plan(
    records: list[tuple[str, Any]], outdir: Path | None, fmt: str
) -> tuple[list[BatchItem], list[tuple[str, PartSpec, Path | None]]]:
    """Outcomes known before drafting (bad, duplicate or already drafted parts) and the parts left to draft."""
    items: list[BatchItem] = []
    todo: list[tuple[str, PartSpec, Path | None]] = []
    seen: set[str] = set()
    for label, record in records:
        try:
            spec = parse_part(record, label)
        except PreproError as exc:
            part_id = str(record.get("id")) if isinstance(record, dict) else None
            items.append(BatchItem(label=label, part_id=part_id, status="failed", error=str(exc)))
            continue
        if spec.id in seen:
            items.append(
                BatchItem(
                    label=label,
                    part_id=spec.id,
                    status="failed",
                    error=f"{spec.id}: the part id appears twice in the batch",
                )
            )
            continue
        seen.add(spec.id)
        target = outdir / f"{slug(spec.id)}.{fmt}" if outdir else None
        if target is not None and target.is_file() and target.stat().st_size > 0:
            items.append(BatchItem(label=label, part_id=spec.id, status="skipped", output=str(target)))
        else:
            todo.append((label, spec, target))
    return items, todo


def run_batch(
    draft: Callable[[PartSpec], RoutingDraft],
    parts: Path | str | Sequence[PartSpec | dict[str, Any]],
    outdir: Path | None = None,
    concurrency: int = 4,
    fmt: str = "json",
    progress: ProgressFn | None = None,
    header: Callable[[PartSpec], Any] | None = None,
) -> BatchResult:
    """Draft every part; a bad part is reported and the others go on; parts with an output file are skipped."""
    if concurrency < 1:
        raise InputError(f"concurrency must be at least 1 (got {concurrency})")
    started = time.perf_counter()
    items, todo = _plan(_records(parts), outdir, fmt)
    if outdir:
        outdir.mkdir(parents=True, exist_ok=True)

    def work(label: str, spec: PartSpec, target: Path | None) -> BatchItem:
        begun = time.perf_counter()
        try:
            result = draft(spec)
            if target is not None:
                _write_atomically(target, export(result, fmt, header(spec) if header else None))
        except PreproError as exc:
            return BatchItem(
                label=label, part_id=spec.id, status="failed", error=str(exc), seconds=time.perf_counter() - begun
            )
        return BatchItem(
            label=label,
            part_id=spec.id,
            status="drafted",
            output=str(target) if target else None,
            errors=sum(f.severity == "error" for f in result.findings),
            warnings=sum(f.severity == "warning" for f in result.findings),
            seconds=time.perf_counter() - begun,
            draft=result,
        )

    total = len(items) + len(todo)
    if progress:
        progress(len(items), total, "starting")
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for future in as_completed([pool.submit(work, *job) for job in todo]):
            items.append(future.result())
            if progress:
                progress(len(items), total, items[-1].part_id or items[-1].label)
    return BatchResult(items=items, seconds=time.perf_counter() - started, concurrency=concurrency)
