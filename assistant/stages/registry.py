"""The stages prepro drafts, by name: the API, batch runs, the CLI and the UI dispatch through this table."""

from __future__ import annotations

from assistant.errors import InputError
from assistant.stages import design, organization, research, routing
from assistant.stages.base import Stage

REGISTRY: dict[str, Stage] = {
    "routing": routing.STAGE,
    "design": design.STAGE,
    "research": research.STAGE,
    "organization": organization.STAGE,
}


def get_stage(name: str) -> Stage:
    """A stage by name; an unknown name lists the stages there are."""
    if name not in REGISTRY:
        raise InputError(f"unknown stage '{name}' (available: {', '.join(REGISTRY)})")
    return REGISTRY[name]
