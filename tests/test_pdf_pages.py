"""Real-layout PDFs: every passage cites the page that holds it, running lines go, structure is not invented."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import DocumentError
from assistant.retrieval.chunking import chunk_blocks
from assistant.retrieval.loaders import load_document
from assistant.retrieval.structure import parse_blocks
from tests.docfiles import make_pdf

FILLER = "The joint is assembled with lubricated fasteners and inspected after each installation step."
PARTS = ("flange", "bracket", "housing", "cover", "shaft", "lever", "plate", "gear", "bushing", "disk")


def _body(page: int, lines: int) -> list[str]:
    """Running text that differs from line to line and page to page, as real pages do."""
    return [f"Step {page}-{i}: the {PARTS[(page + i) % 10]} is fastened and its torque recorded." for i in range(lines)]


def _running(n: int, total: int) -> tuple[list[str], list[str]]:
    header = [
        "Multiprogram/Project Common-Use Document",
        "ED33",
        "Document No.: XYZ-STD-12 Revision: C Title: Fastener Control",
        f"& Control Practices Effective Date: 05/01/02 Page {n} of {total}",
        "CHECK THE MASTER LIST VERIFY THAT THIS IS THE CORRECT VERSION BEFORE USE",
    ]
    footer = [f"{n} of {total}", "Downloaded from http://www.example.org"]
    return header, footer


def test_a_paragraph_that_runs_onto_the_next_page_is_cited_there(tmp_path: Path) -> None:
    total = 4
    pages = []
    for n in range(1, total + 1):
        header, footer = _running(n, total)
        body = [f"{n} {PARTS[n].title()} joints", *_body(n, 30)]
        if n == 2:
            body += ["The torque wrench shall be calibrated", "every ninety days against a traceable standard."]
        if n == 3:
            body = ["after the first use of the tool, the calibration interval is recorded in the log.", *body]
        pages.append(header + body + footer)
    loaded = load_document(make_pdf(tmp_path / "std.pdf", pages))
    text = "\n".join(p.text for p in loaded.pages)
    for running in ("CHECK THE MASTER LIST", "Page 3 of 4", "ED33", "Document No.", "3 of 4", "Downloaded"):
        assert running not in text, running
    chunks = chunk_blocks(parse_blocks(loaded.pages, False), loaded.title, 200, 30)
    assert all(c.page is not None for c in chunks)
    by_text = {c.page: c.text for c in chunks if "calibration interval" in c.text or "ninety days" in c.text}
    assert "calibration interval is recorded" in by_text[3] and "ninety days" in by_text[2]
    assert [c.section for c in chunks if "calibration interval" in c.text] == ["2"], "the clause it continues"


def test_contents_lines_are_not_clauses_and_the_body_clauses_are(tmp_path: Path) -> None:
    contents = [f"3.{n} SECTION TITLE {n} 3-{n}. . . . . . . . . . . . . . . . ." for n in range(1, 12)]
    contents[2] = "3.3 CALCULATION OF THE MAXIMUM AND MINIMUM PRELOADS 3-5. . . "
    body = [["3.0 CRITERIA", "3.1 Scope", FILLER], ["3.2 Preload", "3.2.1 The preload is measured.", FILLER]]
    blocks = parse_blocks(load_document(make_pdf(tmp_path / "toc.pdf", [["CONTENTS", *contents], *body])).pages, False)
    numbers = [b.number for b in blocks if b.number]
    assert numbers == ["3.0", "3.1", "3.2", "3.2.1"]
    assert blocks[[b.number for b in blocks].index("3.2.1")].page == 3


def test_a_lone_capital_letter_is_not_a_clause(tmp_path: Path) -> None:
    pages = [["1 Scope", "1.1 Bolts are preloaded.", "R Rationale: a preloaded joint does not separate.", FILLER]]
    blocks = parse_blocks(load_document(make_pdf(tmp_path / "r.pdf", pages)).pages, False)
    assert "R" not in [b.number for b in blocks]


def test_title_from_the_cover_before_a_junk_metadata_title(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "t.pdf", [["1 Scope", FILLER]], title="dxga71c.tmp", cover="CRITERIA FOR PRELOADED BOLTS"
    )
    assert load_document(path).title == "CRITERIA FOR PRELOADED BOLTS"
    plain = make_pdf(tmp_path / "m.pdf", [["1 Scope", FILLER]], title="Microsoft Word - STD-12.doc")
    assert load_document(plain).title == FILLER


def test_a_scan_with_only_a_download_stamp_is_reported_as_scanned(tmp_path: Path) -> None:
    stamp = ["Downloaded from http://www.everyspec.com"]
    path = make_pdf(tmp_path / "scan.pdf", [stamp, stamp, stamp, stamp])
    with pytest.raises(DocumentError, match=r"none of its 4 pages has a text layer .*scanned"):
        load_document(path)


def test_the_chunks_of_one_page_come_back_as_one_passage(tmp_path: Path, index) -> None:
    clause_one = ["1 Scope", *_body(1, 25), "1.2 The torque wrench is calibrated every ninety days."]
    clause_two = ["2 Preload", *_body(2, 25), "2.1 Preload loss is measured after relaxation."]
    path = make_pdf(tmp_path / "two.pdf", [clause_one + clause_two, ["3 Records", *_body(3, 5)]])
    index.ingest([path])
    passages = index.search("torque wrench calibration and preload loss measured", k=5)
    pages = [(p.doc, p.page) for p in passages]
    assert len(pages) == len(set(pages)), "one passage per page"
    first = next(p for p in passages if p.page == 1)
    assert "ninety days" in first.text and "relaxation" in first.text
    assert first.text.index("ninety days") < first.text.index("relaxation"), "in reading order"
