"""The design stage: a part's technical assignment (GOST 15.016 sections), its BOM and a design-for-manufacture
review of its specification (shared/contracts/DESIGN_REVIEW.md)."""

from assistant.parts.model import PartSpec, parse_part
from assistant.parts.readers import load_part, read_part_data
from assistant.stages.base import Stage
from assistant.stages.design.draft import check_draft, draft_design, header_for
from assistant.stages.design.export import EXPORTERS
from assistant.stages.design.model import load_draft


def _subject(value: PartSpec) -> str:
    return value.id


STAGE = Stage(
    name="design",
    summary="technical assignment, BOM and design-for-manufacture review of a part",
    author="engineer",
    input_label="part spec",
    load_input=load_part,
    parse_input=parse_part,
    read_inputs=read_part_data,
    draft=draft_design,
    check=check_draft,
    load_draft=load_draft,
    subject=_subject,
    exporters=EXPORTERS,
    header=header_for,
)
