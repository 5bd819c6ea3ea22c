"""The route card (GOST 3.1118) and the operation card (GOST 3.1404) as a technologist reads them: content in the
O rows (never the planner's reasoning), equipment written once, M01/M02 blank lines, signature fields, R rows."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest

from assistant.api import Assistant
from assistant.catalog import load_catalog
from assistant.stages.routing.card import machine_label, number
from assistant.stages.routing.export import EXPORTERS
from assistant.stages.routing.model import BlankInfo, Cutting, RoutingDraft, Setup, Transition
from tests.conftest import make_settings

EXAMPLE = Path(__file__).resolve().parent.parent / "evals" / "datasets" / "parts" / "SH-001.yaml"
REASONING = ("USD/h", "cheapest", "Tpc-calc", "preferred for this production type", "part fits its envelope")
SIGNATURE_LABELS = ("Developed", "Checked", "Approved", "Standards control")
TRANSITIONS = (
    "Turn surface F1 to Ø40k6 Ra 0.8 over length 85",
    "Chamfer 1×45°",
    "Turn surface F2 to Ø52h12",
)


@pytest.fixture(scope="module")
def helper(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return Assistant(make_settings(tmp_path_factory.mktemp("cards") / "home"))


@pytest.fixture(scope="module")
def engine(helper: Assistant) -> RoutingDraft:
    """The offline draft as the engine makes it (with or without setups and blank, as it stands)."""
    return helper.draft("routing", EXAMPLE)


@pytest.fixture(scope="module")
def plain(engine: RoutingDraft) -> RoutingDraft:
    """The draft with no setups, coolant or blank: what a route-level draft looks like."""
    ops = [op.model_copy(update={"setups": [], "coolant": None}) for op in engine.operations]
    return engine.model_copy(update={"operations": ops, "blank": None})


@pytest.fixture(scope="module")
def detailed(plain: RoutingDraft) -> RoutingDraft:
    """The same draft with setups, transitions and cutting data on the finish turning, and the blank."""
    ops = list(plain.operations)
    i = next(i for i, op in enumerate(ops) if op.kind == "turning")
    setups = [
        Setup(
            id="A",
            transitions=[
                Transition(
                    n=1,
                    text=TRANSITIONS[0],
                    cutting=Cutting(depth_mm=0.25, feed_mm_rev=0.12, speed_m_min=180, rpm=1430, main_time_min=0.42),
                ),
                Transition(n=2, text=TRANSITIONS[1]),
            ],
        ),
        Setup(
            id="B",
            transitions=[
                Transition(
                    n=1,
                    text=TRANSITIONS[2],
                    cutting=Cutting(depth_mm=0.5, feed_mm_rev=0.2, speed_m_min=165, rpm=1010, main_time_min=0.31),
                )
            ],
        ),
    ]
    ops[i] = ops[i].model_copy(update={"setups": setups, "coolant": "Emulsion 5 %"})
    blank = BlankInfo(kind="Rolled bar", size="Ø55×245", mass_kg=4.57, consumption_kg=4.87, utilisation=0.49)
    return plain.model_copy(update={"operations": ops, "blank": blank})


def _unique_cells(row: Any) -> list[str]:
    """The texts of a DOCX row, a merged cell once."""
    seen: list[Any] = []
    texts: list[str] = []
    for cell in row.cells:
        if cell._tc in seen:
            continue
        seen.append(cell._tc)
        texts.append(cell.text)
    return texts


def _docx(data: bytes) -> tuple[Any, list[list[str]], str]:
    """The document, the rows of all its tables, and all its text."""
    import docx

    document = docx.Document(io.BytesIO(data))
    rows = [_unique_cells(row) for table in document.tables for row in table.rows]
    text = "\n".join([p.text for p in document.paragraphs] + ["\n".join(r) for r in rows])
    return document, rows, text


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    card = load_workbook(io.BytesIO(data))["Route card"]
    return [["" if v is None else str(v) for v in row] for row in card.iter_rows(values_only=True)]


def _card_lines(rows: list[list[str]], symbol: str) -> list[list[str]]:
    """The service lines of a route card with one symbol (first column), line number checked."""
    lines = [r for r in rows if r and r[0] == symbol and len(r) > 2]
    assert all(re.fullmatch(r"\d{2,}", r[1]) for r in lines), "every service line has its line number"
    return lines


def _content(rows: list[list[str]], symbol: str) -> list[str]:
    return [r[2] for r in _card_lines(rows, symbol)]


def _check_route_card(rows: list[list[str]], text: str, draft: RoutingDraft) -> None:
    """What both the DOCX and the XLSX route card must show."""
    for phrase in REASONING:
        assert phrase not in text, f"reasoning on the card: {phrase!r}"
    assert all(op.rationale not in text for op in draft.operations if op.rationale)
    assert [r[5] for r in _card_lines(rows, "A")] == [op.number for op in draft.operations]
    o_rows = _content(rows, "O")
    assert "Setup A" in o_rows and "Setup B" in o_rows
    assert f"1. {TRANSITIONS[0]}" in o_rows and f"2. {TRANSITIONS[1]}" in o_rows and f"1. {TRANSITIONS[2]}" in o_rows
    assert "Drilling: surface F5" in o_rows, "an operation without setups lists its features"
    assert "Final inspection" in o_rows
    m_rows = [(r[1], r[2]) for r in _card_lines(rows, "M")]
    assert m_rows[0] == ("01", "Steel 45")
    assert m_rows[1][0] == "02" and all(
        value in m_rows[1][1] for value in ("Rolled bar", "Ø55×245", "MZ 4.57", "N.rash. 4.87", "KIM 0.49")
    )
    equipment = [r[7] for r in _card_lines(rows, "B")]
    assert "16K20F3 CNC lathe" in equipment and "Chamber jet washing machine" in equipment
    assert not any("washing machine washing machine" in e.lower() or "lathe lathe" in e for e in equipment)
    finish = next(op for op in draft.operations if op.kind == "turning")
    b = next(
        r for r in _card_lines(rows, "B") if r[7] == "16K20F3 CNC lathe" and r[11] == number(finish.piece_time_min)
    )
    assert (b[8], b[9], b[10]) == (finish.profession, str(finish.worker_grade), "30")
    assert "Centres with face driver and revolving tailstock centre" in _content(rows, "T")
    labels = [r[0] for r in rows if r]
    assert all(any(label.startswith(s) for label in labels) for s in SIGNATURE_LABELS)
    last_line = max(i for i, r in enumerate(rows) if r and r[0] in "MABOT" and len(r) > 2)
    assert all(i > last_line for i, r in enumerate(rows) if r and r[0].startswith(SIGNATURE_LABELS)), (
        "signatures at the bottom"
    )


def test_docx_route_card_has_content_rows_and_signatures(helper: Assistant, detailed: RoutingDraft) -> None:
    from docx.enum.section import WD_ORIENT

    document, rows, text = _docx(helper.export("routing", detailed, "docx", EXAMPLE))
    page = document.sections[0]
    assert page.orientation == WD_ORIENT.LANDSCAPE and page.page_width > page.page_height
    card = document.tables[1]
    assert [c.text for c in card.rows[0].cells][:2] == ["Sym", "No"]
    assert "Equipment (model, name)" in text and "Tp.z., min" in text and "Tsht, min" in text
    assert "SH-001 Output shaft" in text and "Steel 45" in text
    assert not any("|" in cell for row in rows for cell in row), "no fields joined by '|'"
    _check_route_card(rows, text, detailed)


def test_xlsx_route_card_matches_the_docx(helper: Assistant, detailed: RoutingDraft) -> None:
    rows = _xlsx_rows(helper.export("routing", detailed, "xlsx", EXAMPLE))
    _check_route_card(rows, "\n".join("\t".join(r) for r in rows), detailed)


def test_cards_without_setups_or_blank_list_the_features(helper: Assistant, plain: RoutingDraft) -> None:
    _, rows, text = _docx(helper.export("routing", plain, "docx", EXAMPLE))
    for found in (rows, _xlsx_rows(helper.export("routing", plain, "xlsx", EXAMPLE))):
        o_rows = _content(found, "O")
        assert not any(line.startswith("Setup") for line in o_rows)
        expected = [op for op in plain.operations if op.features]
        assert expected and all(
            any(line.startswith(f"{op.name}: surface") and ", ".join(op.features) in line for line in o_rows)
            for op in expected
        )
        assert _content(found, "M")[0] == "Steel 45"
    assert "USD/h" not in text and "cheapest" not in text


def test_operation_card_carries_setups_transitions_and_r_rows(helper: Assistant, detailed: RoutingDraft) -> None:
    assert "opcard" in EXPORTERS
    data = helper.export("routing", detailed, "opcard", EXAMPLE)
    assert data[:2] == b"PK", "a DOCX file"
    document, rows, text = _docx(data)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 2")]
    assert headings == [f"Operation {op.number} {op.name}" for op in detailed.operations]
    for phrase in REASONING:
        assert phrase not in text
    assert ["O", "Setup A"] in rows and ["O", f"1. {TRANSITIONS[0]}"] in rows and ["O", f"2. {TRANSITIONS[1]}"] in rows
    assert ["R", "transition 1", "0.25", "0.12", "1430", "180", "0.42"] in rows
    assert ["R", "transition 1", "0.5", "0.2", "1010", "165", "0.31"] in rows
    assert sum(1 for r in rows if r[0] == "R") == 2, "no R row for a transition without cutting data"
    assert ["T", "Outside micrometer MK 25-50 mm, 0.01 mm (GOST 6507)"] in rows
    flat = [cell for r in rows for cell in r]
    turning = next(op for op in detailed.operations if op.kind == "turning")
    i = flat.index("Coolant", flat.index(f"{turning.number} {turning.name}"))
    assert flat[i + 1] == "Emulsion 5 %"
    assert flat[flat.index("To, min", i) + 1] == "0.73"  # 0.42 + 0.31
    assert flat[flat.index("Coolant") + 1] == "-", "no coolant given: a dash"
    assert ["O", "Drilling: surface F5"] in rows
    assert text.count("Standards control") == len(detailed.operations), "signature fields on every card"


def test_markdown_review_view_keeps_the_reasoning(helper: Assistant, detailed: RoutingDraft) -> None:
    md = helper.export("routing", detailed, "md", EXAMPLE).decode()
    assert "**Why:**" in md and "USD/h" in md
    assert f"1. {TRANSITIONS[0]} (t 0.25 mm, s 0.12 mm/rev, n 1430 rev/min, v 180 m/min, To 0.42 min)" in md
    assert "- **M02:** blank Rolled bar Ø55×245" in md and "**Coolant:** Emulsion 5 %" in md
    table = [line for line in md.splitlines() if line.startswith("| ")]
    assert any("| Chamber jet washing machine |" in line for line in table)
    assert not any("washing machine washing machine" in line.lower() for line in table)


def test_the_engines_draft_renders_in_every_format(helper: Assistant, engine: RoutingDraft) -> None:
    for fmt in ("docx", "opcard"):
        _, rows, text = _docx(helper.export("routing", engine, fmt, EXAMPLE))
        assert not any(phrase in text for phrase in REASONING)
        transitions = [t.text for op in engine.operations for s in op.setups for t in s.transitions]
        assert all(any(cell.endswith(step) for r in rows for cell in r) for step in transitions)
    rows = _xlsx_rows(helper.export("routing", engine, "xlsx", EXAMPLE))
    assert len(_card_lines(rows, "A")) == len(engine.operations)


def test_machine_labels_write_model_and_name_once() -> None:
    repeated = re.compile(r"\b([\w-]+(?: [\w-]+)*),? \1\b", re.IGNORECASE)
    for m in load_catalog().machines:
        label = machine_label(m.model, m.name, m.type)
        assert label.startswith(m.model), label
        assert label.lower().count(m.type.lower()) <= 1, label
        assert not repeated.search(label), f"doubled words in {label!r}"
    assert machine_label("16K20", "Screw-cutting lathe", "lathe") == "16K20 Screw-cutting lathe"
    assert machine_label("3M151", "Cylindrical grinding machine", "cylindrical grinder") == (
        "3M151 Cylindrical grinding machine"
    )
    assert machine_label("Chamber jet washing machine", "Jet washing machine (chamber type)", "washing machine") == (
        "Chamber jet washing machine"
    )
    assert machine_label("16K20 lathe", "", "lathe") == "16K20 lathe", "a model not in the catalogue"
    assert machine_label("Zeiss Contura 7/10/6", "Coordinate measuring machine", "CMM") == (
        "Zeiss Contura 7/10/6 Coordinate measuring machine, CMM"
    )
