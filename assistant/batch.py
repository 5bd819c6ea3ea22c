"""Batch drafting of any stage: many inputs, concurrently, with progress, per-item errors and resume from a folder."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.errors import InputError, PreproError
from assistant.export import render, write_atomically
from assistant.progress import ProgressFn
from assistant.stages.base import Stage
from assistant.stages.findings import Severity, count


class BatchItem(BaseModel):
    """What happened to one item (a part, for routing) of the batch."""

    label: str
    part_id: str | None = None
    status: Literal["drafted", "skipped", "failed"]
    output: str | None = None
    error: str | None = None
    errors: int = 0
    warnings: int = 0
    seconds: float = 0.0
    draft: Any = Field(default=None, exclude=True)


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


def slug(text: str) -> str:
    """A file-name-safe version of an item id."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text)


def _plan(
    stage: Stage, records: list[tuple[str, Any]], outdir: Path | None, fmt: str
) -> tuple[list[BatchItem], list[tuple[str, Any, Path | None]]]:
    """Outcomes known before drafting (bad, duplicate or already drafted items) and the items left to draft."""
    items: list[BatchItem] = []
    todo: list[tuple[str, Any, Path | None]] = []
    seen: set[str] = set()
    for label, record in records:
        try:
            spec = stage.parse_input(record, label)
        except PreproError as exc:
            part_id = str(record.get("id")) if isinstance(record, dict) else None
            items.append(BatchItem(label=label, part_id=part_id, status="failed", error=str(exc)))
            continue
        subject = stage.subject(spec)
        if subject in seen:
            items.append(
                BatchItem(
                    label=label,
                    part_id=subject,
                    status="failed",
                    error=f"{subject}: the {stage.input_label} id appears twice in the batch",
                )
            )
            continue
        seen.add(subject)
        target = outdir / stage.file_name(slug(subject), fmt) if outdir else None
        if target is not None and target.is_file() and target.stat().st_size > 0:
            items.append(BatchItem(label=label, part_id=subject, status="skipped", output=str(target)))
        else:
            todo.append((label, spec, target))
    return items, todo


def run_batch(
    stage: Stage,
    draft: Callable[[Any], Any],
    items: Path | str | Sequence[Any],
    outdir: Path | None = None,
    concurrency: int = 4,
    fmt: str = "json",
    progress: ProgressFn | None = None,
    header: Callable[[Any], Any] | None = None,
) -> BatchResult:
    """Draft every item; a bad one is reported and the others go on; items with an output file are skipped."""
    if concurrency < 1:
        raise InputError(f"concurrency must be at least 1 (got {concurrency})")
    if fmt not in stage.exporters:
        raise InputError(f"unknown format '{fmt}' (choose from: {', '.join(stage.exporters)})")
    started = time.perf_counter()
    done, todo = _plan(stage, stage.records(items), outdir, fmt)
    if outdir:
        outdir.mkdir(parents=True, exist_ok=True)

    def work(label: str, spec: Any, target: Path | None) -> BatchItem:
        begun, subject = time.perf_counter(), stage.subject(spec)
        try:
            result = draft(spec)
            if target is not None:
                write_atomically(target, render(stage.exporters, result, fmt, header(spec) if header else None))
        except PreproError as exc:
            return BatchItem(
                label=label, part_id=subject, status="failed", error=str(exc), seconds=time.perf_counter() - begun
            )
        return BatchItem(
            label=label,
            part_id=subject,
            status="drafted",
            output=str(target) if target else None,
            errors=count(result.findings, Severity.ERROR),
            warnings=count(result.findings, Severity.WARNING),
            seconds=time.perf_counter() - begun,
            draft=result,
        )

    total = len(done) + len(todo)
    if progress:
        progress(len(done), total, "starting")
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for future in as_completed([pool.submit(work, *job) for job in todo]):
            done.append(future.result())
            if progress:
                progress(len(done), total, done[-1].part_id or done[-1].label)
    return BatchResult(items=done, seconds=time.perf_counter() - started, concurrency=concurrency)
