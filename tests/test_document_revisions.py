"""Replacing a document keeps the revision an approved draft cites: on a real index, store and workspace."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.api import LOCAL_USER, Assistant, Role
from assistant.errors import InputError
from assistant.store import revisions
from tests.conftest import make_settings
from tests.workspace_kit import EXAMPLE, people, routing_draft

OLD = "# Fits\n\n## 3 Bearing seats\n3.1 A rotating shaft seat takes k6 ALPHA under normal loads.\n"
NEW = "# Fits\n\n## 3 Bearing seats\n3.1 A rotating shaft seat takes m6 BETA under heavy loads.\n"


@pytest.fixture
def helper(tmp_path: Path, embeddings) -> Assistant:
    assistant = Assistant(make_settings(tmp_path / "home"))
    assistant.index._embeddings = embeddings
    return assistant


def _approved_citing_fits(helper: Assistant) -> int:
    """A routing draft citing fits.md §3.1, saved by a technologist and approved by a reviewer; its id."""
    ws = helper.workspace
    team = people(ws)
    content = routing_draft()
    content["sources"] = [*content.get("sources", []), {"doc": "fits.md", "section": "3.1", "page": None}]
    draft_id = ws.save_version(team[Role.TECHNOLOGIST], "routing", content, EXAMPLE).draft_id
    ws.approve(team[Role.REVIEWER], draft_id, 1, "as drawn", force=True)
    return draft_id


def test_an_uploaded_replacement_keeps_the_approved_revision(helper: Assistant) -> None:
    helper.upload([("fits.md", OLD.encode())], revision="A")
    draft_id = _approved_citing_fits(helper)
    (before,) = helper.workspace.approved_revisions(LOCAL_USER, draft_id)
    assert (before.doc, before.revision, before.superseded, before.section) == ("fits.md", "A", False, "3.1")

    helper.upload([("fits.md", NEW.encode())], replaces="fits.md", revision="B")
    (after,) = helper.workspace.approved_revisions(LOCAL_USER, draft_id)
    assert (after.sha256, after.revision, after.superseded) == (before.sha256, "A", True)
    approved = helper.cited_page("fits.md", None, "3.1", sha256=after.sha256)
    assert "ALPHA" in approved.passage and "BETA" not in approved.passage
    assert "BETA" in helper.cited_page("fits.md", None, "3.1").passage
    assert [r.revision for r in revisions.list_revisions(helper.index.store, "fits.md")] == ["A", "B"]


def test_a_file_edited_in_place_and_reindexed_keeps_the_content_indexed_before(
    helper: Assistant, tmp_path: Path
) -> None:
    source = tmp_path / "fits.md"
    source.write_text(OLD)
    helper.ingest([source], revision="A")
    draft_id = _approved_citing_fits(helper)
    source.write_text(NEW)  # the old bytes are gone from the user's folder
    assert helper.ingest([source], revision="B").files[0].status == "updated"
    (cited,) = helper.workspace.approved_revisions(LOCAL_USER, draft_id)
    assert cited.superseded and "ALPHA" in helper.cited_page("fits.md", None, "3.1", sha256=cited.sha256).passage


def test_a_revision_never_indexed_here_is_an_error_not_another_file(helper: Assistant) -> None:
    helper.upload([("fits.md", OLD.encode())])
    with pytest.raises(InputError, match=r"revision 0123456789ab of 'fits.md' is not kept here"):
        helper.cited_page("fits.md", None, "3.1", sha256="0123456789ab" * 5)


def test_a_draft_never_approved_lists_no_approved_sources(helper: Assistant) -> None:
    ws = helper.workspace
    team = people(ws)
    draft_id = ws.save_version(team[Role.TECHNOLOGIST], "routing", routing_draft(), EXAMPLE).draft_id
    assert ws.approved_revisions(team[Role.REVIEWER], draft_id) == []
