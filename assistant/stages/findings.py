"""Findings: what a check says about a draft, in one shape for every stage, and how findings are merged."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, Field

from assistant.citation import Citation


class Severity(StrEnum):
    """How much a finding matters: an error blocks approval, a warning asks for a look, info explains."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


def _omit_none(value: object) -> bool:
    return value is None


def _omit_empty(value: list[Citation]) -> bool:
    return not value


class Finding(BaseModel):
    """A check's result on a draft; `rule` is one of the stage's rule ids (a StrEnum member)."""

    severity: Severity
    rule: str
    operation: str | None = None
    feature: str | None = Field(default=None, exclude_if=_omit_none)
    message: str
    sources: list[Citation] = Field(default_factory=list, exclude_if=_omit_empty)


def finding(
    severity: Severity,
    rule: str,
    message: str,
    operation: str | None = None,
    feature: str | None = None,
    sources: Iterable[Citation] = (),
) -> Finding:
    """A finding; `rule` is stored as its plain string value."""
    return Finding(
        severity=severity,
        rule=str(rule),
        operation=operation,
        feature=feature,
        message=message,
        sources=list(sources),
    )


def error(rule: str, message: str, operation: str | None = None, feature: str | None = None) -> Finding:
    """A finding of severity error."""
    return finding(Severity.ERROR, rule, message, operation, feature)


def warning(rule: str, message: str, operation: str | None = None, feature: str | None = None) -> Finding:
    """A finding of severity warning."""
    return finding(Severity.WARNING, rule, message, operation, feature)


def info(rule: str, message: str, operation: str | None = None, feature: str | None = None) -> Finding:
    """A finding of severity info."""
    return finding(Severity.INFO, rule, message, operation, feature)


def merge_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Drop repeated findings (same rule, operation, feature), keeping the first."""
    unique: dict[tuple[str, str | None, str | None], Finding] = {}
    for item in findings:
        unique.setdefault((item.rule, item.operation, item.feature), item)
    return list(unique.values())


def count(findings: Iterable[Finding], severity: Severity) -> int:
    """How many findings have the given severity."""
    return sum(f.severity == severity for f in findings)
