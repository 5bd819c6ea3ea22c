"""Checks of the values an engineering formula is given: errors that name the value and what it was."""

from __future__ import annotations


def positive(**values: float) -> None:
    """Each value is greater than zero, else a ValueError naming it."""
    for name, value in values.items():
        if not value > 0:
            raise ValueError(f"{name} must be greater than zero (got {value})")


def not_negative(**values: float) -> None:
    """Each value is zero or more, else a ValueError naming it."""
    for name, value in values.items():
        if value < 0:
            raise ValueError(f"{name} must not be negative (got {value})")
