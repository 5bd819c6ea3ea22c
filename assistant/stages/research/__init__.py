"""The research stage: the research brief of a product request (requirements, standards, analogues, materials,
production type, risks and open questions), RESEARCH_BRIEF.md."""

from assistant.stages.base import Stage
from assistant.stages.research.draft import check_brief, draft_research, header_for
from assistant.stages.research.export import EXPORTERS
from assistant.stages.research.model import ResearchRequest, load_brief, load_request, parse_request, read_requests


def _subject(value: ResearchRequest) -> str:
    return value.id


STAGE = Stage(
    name="research",
    summary="research brief of a product request (requirements, standards, materials, production type, risks)",
    author="engineer",
    input_label="request",
    load_input=load_request,
    parse_input=parse_request,
    read_inputs=read_requests,
    draft=draft_research,
    check=check_brief,
    load_draft=load_brief,
    subject=_subject,
    exporters=EXPORTERS,
    header=header_for,
)
