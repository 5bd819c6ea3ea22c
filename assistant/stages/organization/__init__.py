"""The organizational stage: the plan of a flow line (shared/contracts/ORG_PLAN.md): takt, line balance, equipment
and operators, kanban and supply, 5S, and on request the launch schedule, cost, simulation and SALBP-2."""

from assistant.stages.base import Stage
from assistant.stages.organization.draft import check_organization, draft_organization, header_for
from assistant.stages.organization.export import EXPORTERS, SUFFIXES
from assistant.stages.organization.loading import load_plan_input, parse_plan, read_plans
from assistant.stages.organization.model import OrgInput
from assistant.stages.organization.plan import load_plan


def _subject(value: OrgInput) -> str:
    return value.id


STAGE = Stage(
    name="organization",
    summary="organizational plan of a line (takt, balance, equipment, kanban and supply, 5S, schedule, cost)",
    author="technologist",
    input_label="plan",
    load_input=load_plan_input,
    parse_input=parse_plan,
    read_inputs=read_plans,
    draft=draft_organization,
    check=check_organization,
    load_draft=load_plan,
    subject=_subject,
    exporters=EXPORTERS,
    header=header_for,
    suffixes=SUFFIXES,
)
