"""Clause detection and chunking respect the structure of standards and the token bound."""

from __future__ import annotations

import itertools

from assistant.llm.tokens import count_tokens
from assistant.retrieval.chunking import chunk_blocks, document_label
from assistant.retrieval.document import Block, Page
from assistant.retrieval.structure import ClauseTracker, parse_blocks


def _blocks(text: str, markdown: bool = False, page: int | None = 1):
    return parse_blocks((Page(page, text),), markdown)


def test_plain_text_clauses_and_headings() -> None:
    blocks = _blocks("4 Tolerances\n4.1 Journals are made\nto IT6 and ground.\n4.2 Holes are reamed.\n5 Roughness\n")
    assert [(b.kind, b.number) for b in blocks] == [
        ("heading", "4"),
        ("clause", "4.1"),
        ("clause", "4.2"),
        ("heading", "5"),
    ]
    assert blocks[1].text == "4.1 Journals are made to IT6 and ground."


def test_numbers_that_do_not_continue_the_numbering_are_text() -> None:
    blocks = _blocks(
        "3 Values\n3.1 Table gives the sizes.\n18 30 13 21 33\n12 Bolts are tightened later.\n3.2 Next clause."
    )
    numbers = [b.number for b in blocks if b.number]
    assert numbers == ["3", "3.1", "3.2"]


def test_tracker_accepts_children_siblings_and_annexes() -> None:
    tracker = ClauseTracker()
    for number in ["1", "1.1", "1.1.1", "1.2", "2", "2.1", "A", "A.1", "B.1"]:
        assert tracker.plausible(number), number
        tracker.accept(number)
    assert not tracker.plausible("7.3")


def test_hyphenated_line_ends_are_mended() -> None:
    blocks = _blocks("2 Terms\n2.1 The tolerance toler-\nance grade is IT7.")
    assert blocks[1].text == "2.1 The tolerance tolerance grade is IT7."


def test_markdown_headings_clauses_and_tables() -> None:
    text = "# Fits\n\n## 3 Grades\n3.1 Table 1 gives grades.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n3.2 Next.\n"
    blocks = _blocks(text, markdown=True, page=None)
    assert [(b.kind, b.number) for b in blocks] == [
        ("heading", None),
        ("heading", "3"),
        ("clause", "3.1"),
        ("table", None),
        ("clause", "3.2"),
    ]


def test_chunks_start_at_headings_and_carry_citations() -> None:
    text = "# Fits\n\n## 3 Grades\n3.1 First.\n3.2 Second.\n\n## 4 Fits\n4.1 Third.\n"
    chunks = chunk_blocks(_blocks(text, markdown=True, page=7), "Fits", max_tokens=200)
    assert [(c.section, c.clauses, c.page) for c in chunks] == [("3.1", ("3.1", "3.2"), 7), ("4.1", ("4.1",), 7)]
    assert chunks[0].context == "Fits › 3 Grades"
    assert chunks[1].index_text.startswith("Fits › 4 Fits\n4.1 Third.")


def test_long_tables_split_between_rows_with_header_repeated() -> None:
    rows = "\n".join(f"| {n}..{n + 3} mm | IT{n % 12 + 1} | {n * 7} µm | note {n} |" for n in range(1, 120))
    text = f"## 3 Values\n3.1 Table 1 gives values.\n\n| Size | Grade | Tol | Note |\n|---|---|---|---|\n{rows}\n"
    chunks = chunk_blocks(_blocks(text, markdown=True), "Values", max_tokens=120)
    table_chunks = [c for c in chunks if "| Size |" in c.text]
    assert len(table_chunks) > 3
    for chunk in table_chunks:
        assert chunk.text.count("| Size | Grade | Tol | Note |") == 1
        body = [ln for ln in chunk.text.splitlines() if ln.startswith("| ") and "Size" not in ln]
        assert all(ln.count("|") == 5 for ln in body), "a row was torn"
        assert chunk.section == "3.1", "table chunks cite the clause that introduces the table"
    seen = [ln for c in table_chunks for ln in c.text.splitlines() if "note" in ln]
    assert len(seen) == 119


def test_chunks_are_token_bounded_with_overlap() -> None:
    sentence = "The cutting speed for rough turning of Steel 45 with carbide inserts is about 120 m/min."
    text = "## 2 Data\n2.1 " + " ".join(f"{sentence} Case {n}." for n in range(40)) + "\n"
    chunks = chunk_blocks(_blocks(text, markdown=True), "Data", max_tokens=100, overlap=30)
    assert len(chunks) > 3
    assert all(count_tokens(c.text) <= 100 for c in chunks)
    for first, second in itertools.pairwise(chunks):
        assert first.text.split(". ")[-1].strip(".") in second.text, "consecutive windows overlap"


def test_table_cells_taken_for_clauses_are_demoted_when_numbering_resumes() -> None:
    text = "3 Inserts\n3.1 Designation\n3.1.1 The code has positions.\n4 Size\n12\n5 Thickness\n04\n3.1.2 Other letters exist."
    blocks = _blocks(text)
    assert [b.number for b in blocks if b.number] == ["3", "3.1", "3.1.1", "3.1.2"]
    assert any(b.kind == "para" and b.text.startswith("4 Size") for b in blocks)


def test_lowercase_lines_after_numbers_are_not_clauses_in_pdf_text() -> None:
    blocks = _blocks("2 Terms\n2.1 First clause.\n3 size\n2.2 Second clause.")
    assert [b.number for b in blocks if b.number] == ["2", "2.1", "2.2"]


def test_a_heading_describes_only_the_clauses_under_its_number() -> None:
    blocks = [
        Block("heading", "5.3 Lot control", 3, "5.3"),
        Block("clause", "5.3.1 A lot number is listed on each packing list.", 3, "5.3.1"),
        Block("clause", "5.5 Inventory control. Fasteners are stored apart.", 3, "5.5"),
    ]
    chunks = chunk_blocks(blocks, "Fastener control", max_tokens=200)
    assert [(c.clauses, c.heading) for c in chunks] == [(("5.3.1",), "5.3 Lot control"), (("5.5",), "")]
    assert chunks[1].context == "Fastener control"


def test_the_document_number_of_the_file_name_labels_every_chunk() -> None:
    assert document_label("MSFC-STD-2594C_Fastener_Control.pdf", "Fastener control") == (
        "MSFC-STD-2594C Fastener Control · Fastener control"
    )
    assert document_label("cutting-data.md", "Cutting data") == "Cutting data"
    assert document_label("gost-2.109.md", "GOST-2.109 general requirements") == "GOST-2.109 general requirements"
    chunks = chunk_blocks(_blocks("4.1 Bolts are torqued.", page=2), document_label("NSTS_08307.pdf", "Bolts"))
    assert chunks[0].index_text.startswith("NSTS 08307 · Bolts")
