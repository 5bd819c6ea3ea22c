"""The API the UI calls beyond the workspace: cited pages (pypdfium2), draft tables and their edits, stage inputs
from samples and uploads, and uploads within their limits."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from assistant import uploads
from assistant.api import LOCAL_USER, Assistant, PermissionDenied
from assistant.draft_table import ROW, apply_rows, edited, rows_of
from assistant.errors import InputError
from assistant.pages_view import HIGHLIGHT, cited_page, in_context, render_page
from assistant.retrieval.access import readable_up_to
from assistant.stages.findings import Finding, Severity
from tests.conftest import make_settings
from tests.docfiles import make_pdf

ROOT = Path(__file__).resolve().parent.parent
SH_001 = ROOT / "evals" / "datasets" / "parts" / "SH-001.yaml"
PASSAGE = "5.2 Fine turning of steel reaches Ra 1.6 µm with a sharp carbide insert at a feed of 0.1 mm/rev."


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    lines = [
        "Turning",
        "5.2 Fine turning of steel reaches Ra 1.6 µm with a sharp carbide insert",
        "at a feed of 0.1 mm/rev.",
    ]
    return make_pdf(tmp_path / "turning.pdf", [["Contents", "of the standard"], lines])


def _yellow(png: bytes) -> int:
    """Pixels tinted by the highlight (white paper under it turns pale yellow)."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    red, green, blue = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    return int(((red > 240) & (green > 220) & (green < 250) & (blue < 200)).sum())


def test_a_pdf_page_is_drawn_with_the_passage_highlighted(pdf: Path) -> None:
    drawn = render_page(pdf, 2, PASSAGE)
    assert drawn.found >= 20  # of the passage's 24 words (the page's text layer splits some differently)
    assert _yellow(drawn.page) > 500
    assert drawn.excerpt is not None
    page, band = Image.open(io.BytesIO(drawn.page)), Image.open(io.BytesIO(drawn.excerpt))
    assert band.height < page.height / 3  # the lines of the passage with a margin, not the page
    assert HIGHLIGHT[3] < 255  # semi-transparent: the words stay readable


def test_a_passage_that_is_not_on_the_page_lights_nothing(pdf: Path) -> None:
    drawn = render_page(pdf, 1, PASSAGE)
    assert (drawn.found, drawn.excerpt) == (0, None)
    assert cited_page(pdf, "turning.pdf", 1, PASSAGE).note.startswith("the passage's words were not found")


def test_a_page_outside_the_pdf_is_a_note_not_a_crash(pdf: Path) -> None:
    view = cited_page(pdf, "turning.pdf", 9, PASSAGE)
    assert view.image is None and "pages 1 to 2" in view.note and view.passage == PASSAGE


def test_a_markdown_passage_is_shown_in_its_context() -> None:
    text = "# Grinding\n\n## 4 Accuracy\n4.1 Finish grinding reaches\nIT6 on journals.\n\n## 5 Wheels\n5.1 Corundum.\n"
    before, found, after = in_context(text, "4.1 Finish grinding reaches IT6 on journals.") or ("", "", "")
    assert (before, found) == ("# Grinding\n\n## 4 Accuracy", "4.1 Finish grinding reaches\nIT6 on journals.")
    assert after.startswith("## 5 Wheels")
    assert in_context(text, "nothing like it here") is None


def test_a_restricted_citation_is_not_opened_for_a_staff_reader(tmp_path: Path, embeddings) -> None:
    helper = Assistant(make_settings(tmp_path / "home"))
    helper.index._embeddings = embeddings
    (tmp_path / "pricing.md").write_text("# Prices\n\n1.1 Bar stock costs 2 a kilo.\n")
    helper.ingest([tmp_path / "pricing.md"], access="restricted")
    with pytest.raises(InputError, match="no indexed document named 'pricing.md'"):
        helper.cited_page("pricing.md", None, "Bar stock costs", readable_up_to("internal"))
    assert helper.cited_page("pricing.md", None, "Bar stock costs", readable_up_to("restricted")).passage


@pytest.fixture(scope="module")
def routing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Assistant, dict]:
    helper = Assistant(make_settings(tmp_path_factory.mktemp("home")))
    return helper, helper.draft("routing", SH_001).model_dump(mode="json")


def test_an_unchanged_table_gives_back_the_same_draft(routing: tuple[Assistant, dict]) -> None:
    helper, draft = routing
    again = apply_rows("routing", draft, rows_of("routing", draft))
    assert helper.check("routing", again, SH_001) == helper.check("routing", draft, SH_001)
    from assistant.stages.routing.model import load_draft

    assert load_draft(again) == load_draft(draft)


def test_table_edits_change_remove_and_add_rows(routing: tuple[Assistant, dict]) -> None:
    _, draft = routing
    rows = rows_of("routing", draft)
    rows[0]["Setup time, min"] = -5.0
    rows[1]["Tools"] = "Saw blade; Gauge"
    new = {**rows[-1], ROW: float("nan"), "No": "999"}
    changed = apply_rows("routing", draft, [rows[0], rows[1], *rows[3:], new])
    numbers = [op["number"] for op in changed["operations"]]
    assert numbers == [op["number"] for op in draft["operations"][:2]] + [
        op["number"] for op in draft["operations"][3:]
    ] + ["999"]
    assert changed["operations"][0]["setup_time_min"] == -5.0
    assert changed["operations"][1]["tools"] == ["Saw blade", "Gauge"]
    assert changed["operations"][0]["rationale"] == draft["operations"][0]["rationale"]  # fields not in the table kept


def test_a_cell_that_is_not_a_number_names_its_row(routing: tuple[Assistant, dict]) -> None:
    _, draft = routing
    rows = rows_of("routing", draft)
    rows[2]["Piece time, min"] = "about two"
    with pytest.raises(InputError, match="row 3, Piece time, min: 'about two' is not a number"):
        apply_rows("routing", draft, rows)


def test_an_edit_is_rechecked_and_keeps_the_drafters_own_findings(routing: tuple[Assistant, dict]) -> None:
    helper, draft = routing
    own = Finding(severity=Severity.WARNING, rule="no-documents", message="the knowledge base is empty")
    with_own = {**draft, "findings": [own.model_dump(mode="json")]}
    rows = rows_of("routing", with_own)
    rows[0]["Setup time, min"] = -5.0
    result = edited("routing", with_own, rows, lambda value: helper.check("routing", value, SH_001))
    assert [f.rule for f in result.findings] == ["time-not-positive", "no-documents"]  # errors first
    assert [f["rule"] for f in result.content["findings"]] == ["time-not-positive", "no-documents"]
    (shown,) = rows_of("routing", result.content, result.findings)[:1]
    assert shown["Findings"] == "⛔ time-not-positive"


def test_samples_and_uploaded_inputs_are_read_by_the_stage() -> None:
    assert Assistant.samples("routing")["SH-001"] == SH_001
    assert Assistant.read_input("routing", "SH-001")["id"] == "SH-001"
    plan = Assistant.read_input("organization", "LINE-02")
    assert Path(plan["routing"]).is_absolute()  # relative paths of a sample plan resolved against its folder
    csv = b"id,name,material,feature_id,feature_type,feature_diameter\nP-1,Pin,Steel 45,F1,external_cylinder,20\n"
    assert Assistant.read_input("routing", "pins.csv", csv)["features"] == [
        {"id": "F1", "type": "external_cylinder", "diameter": 20}
    ]
    with pytest.raises(InputError, match="no sample 'SH-999'"):
        Assistant.read_input("routing", "SH-999")


def test_uploads_keep_their_limits(tmp_path: Path, pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError, match="not '.exe'"):
        uploads.check_upload("tool.exe", b"MZ")
    with pytest.raises(InputError, match="cannot replace turning.pdf: give a .pdf file"):
        uploads.check_upload("turning.md", b"# x", replaces="turning.pdf")
    monkeypatch.setattr(uploads, "MAX_PAGES", 1)
    with pytest.raises(InputError, match="has 2 pages; the limit is 1"):
        uploads.keep_uploads(tmp_path / "up", [("a.md", b"# fine"), ("turning.pdf", pdf.read_bytes())])
    assert not (tmp_path / "up").exists()  # nothing written when one file is refused
    monkeypatch.setattr(uploads, "MAX_MB", 0.000_001)
    with pytest.raises(InputError, match="the limit is"):
        uploads.check_upload("a.md", b"# twelve chars")


def test_an_upload_by_a_non_admin_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    helper = Assistant(make_settings(tmp_path / "home"))
    engineer = helper.workspace.add_user(LOCAL_USER, "eng", "engineer", "password-1")
    with pytest.raises(PermissionDenied, match="may not add or remove documents"):
        helper.upload([("a.md", b"# A\n\n1.1 Text.\n")], engineer)
    assert not (tmp_path / "home" / "uploads").exists()
