"""The technological stage: the route card of a part (operations, equipment, tooling, setup and piece times)."""

from assistant.parts.model import PartSpec, parse_part
from assistant.parts.readers import load_part, read_part_data
from assistant.stages.base import Stage
from assistant.stages.routing.draft import check_draft, draft_routing, header_for
from assistant.stages.routing.export import EXPORTERS
from assistant.stages.routing.model import load_draft


def _subject(value: PartSpec) -> str:
    return value.id


STAGE = Stage(
    name="routing",
    summary="route card of a part (operations, machines, tooling, setup and piece times)",
    author="technologist",
    input_label="part spec",
    load_input=load_part,
    parse_input=parse_part,
    read_inputs=read_part_data,
    draft=draft_routing,
    check=check_draft,
    load_draft=load_draft,
    subject=_subject,
    exporters=EXPORTERS,
    header=header_for,
    suffixes={"opcard": "opcard.docx"},  # the operation cards, beside the route card's .docx
)
