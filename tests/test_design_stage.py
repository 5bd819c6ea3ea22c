"""The design stage end to end: `draft design` gives the technical assignment (GOST 15.016 sections with their
sources), the BOM and the review; exports render; bad input names the field; an empty knowledge base is a finding;
an LLM rewords the sections from the passages without touching the numbers, and its failure keeps the offline
draft; `check design` re-runs the review on any draft and reports what the draft lost."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from langchain_core.messages import BaseMessage

from assistant.api import Assistant
from assistant.errors import InputError, ProviderError
from assistant.llm.providers import CHAT_PROVIDERS
from assistant.resources import knowledge_dir
from assistant.stages.design.model import DesignDraft, DesignRule, SectionTitle
from assistant.stages.findings import Severity
from tests.conftest import make_settings
from tests.scripted import prompt_text, raising, scripted_provider

DATASET = Path(__file__).resolve().parent.parent / "evals" / "datasets" / "design" / "parts"
SHAFT = DATASET / "DS-101.yaml"  # a clean shaft with a key in its BOM
GEAR = DATASET / "DS-102.yaml"  # a clean gear without components
DEFECTS = DATASET / "DS-223.yaml"  # three planted defects


@pytest.fixture(scope="module")
def helper(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """An assistant over an empty knowledge base."""
    return Assistant(make_settings(tmp_path_factory.mktemp("design-stage") / "home"))


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory, embeddings) -> Assistant:
    """An assistant whose knowledge base holds the documents the design stage cites."""
    helper = Assistant(make_settings(tmp_path_factory.mktemp("design-kb") / "home", cache_enabled=False))
    helper.index._embeddings = embeddings
    corpus = knowledge_dir() / "corpus"
    helper.ingest([corpus / name for name in ("design-review-rules.md", "threads-metric.md", "keys-and-keyways.md")])
    return helper


@pytest.fixture
def worder(indexed: Assistant, embeddings) -> Assistant:
    """A fresh assistant over the same knowledge base (models are cached per assistant and provider name)."""
    helper = Assistant(make_settings(indexed.settings.home, cache_enabled=False))
    helper.index._embeddings = embeddings
    return helper


def _draft(helper: Assistant, source: object, provider: str | None = None) -> DesignDraft:
    draft = helper.draft("design", source, provider=provider)
    assert isinstance(draft, DesignDraft)
    return draft


# ---- the draft


def test_the_draft_has_the_gost_15016_sections_each_with_sources(helper: Assistant) -> None:
    draft = _draft(helper, SHAFT)
    assert draft.part_id == "DS-101" and draft.provider == "offline"
    assert [s.title for s in draft.technical_assignment.sections] == [t.value for t in SectionTitle]
    assert all(s.text and s.sources for s in draft.technical_assignment.sections)
    requirements = draft.technical_assignment.sections[1].text
    assert "F1 external cylinder Ø45 k6 (IT6), Ra 0.8 µm, length 25, 2 places, bearing seat." in requirements
    material = draft.technical_assignment.sections[2]
    assert "40Kh" in material.text and "The route draft starts from Bar D" in material.text
    assert {"materials-steels.md", "blanks.md"} <= {s.doc for s in material.sources}
    acceptance = draft.technical_assignment.sections[5].text
    route = helper.draft("routing", SHAFT)
    assert f"{route.operations[-1].number} {route.operations[-1].name}" in acceptance  # the final inspection
    assert {(c.doc, c.section) for c in material.sources} <= {(c.doc, c.section) for c in draft.sources}


def test_the_bom_comes_from_the_components_and_is_empty_without_them(helper: Assistant) -> None:
    shaft = _draft(helper, SHAFT).model_dump(mode="json")
    assert shaft["bom"] == [
        {"position": 1, "name": "Key 12x8x50", "quantity": 1, "material": "Steel 45", "note": "GOST 23360"}
    ]
    assert _draft(helper, GEAR).bom == []


def test_the_json_is_the_contract_and_loads_back(helper: Assistant) -> None:
    draft = _draft(helper, DEFECTS)
    data = json.loads(helper.export("design", draft, "json", DEFECTS))
    assert set(data) == {"part_id", "technical_assignment", "bom", "findings", "sources", "provider"}
    thread = next(f for f in data["findings"] if f["rule"] == "thread-series")
    assert thread["severity"] == "error" and thread["feature"] == "F3" and "operation" in thread
    assert thread["sources"][0] == {"doc": "design-review-rules.md", "section": "7.2", "page": None}
    assert DesignDraft.model_validate(data) == draft


def test_markdown_and_docx_render(helper: Assistant) -> None:
    import docx

    draft = _draft(helper, SHAFT)
    markdown = helper.export("design", draft, "md", SHAFT).decode()
    assert markdown.startswith("# Technical assignment — DS-101 Output shaft, improved")
    assert "## 5 Applicable standards" in markdown and "| 1 | Key 12x8x50 | 1 | Steel 45 | GOST 23360 |" in markdown
    exported = helper.export_file("design", draft, "docx", SHAFT)
    assert exported.name == "DS-101.docx" and not exported.text
    document = docx.Document(io.BytesIO(exported.data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == [
        "Technical assignment — DS-101 Output shaft, improved",
        "1 Purpose and scope",
        "2 Technical requirements",
    ]
    assert "Bill of materials" in headings and "Design review" in headings
    assert document.tables[1].rows[1].cells[1].text == "Key 12x8x50"
    assert b"DS-101" in helper.export("design", draft.model_dump(), "md")  # without a part: the id alone


def test_bad_input_names_the_part_the_feature_and_the_field(helper: Assistant) -> None:
    with pytest.raises(InputError, match=r"DS-9/F1: function must be one of .* \(got 'spinning'\)"):
        helper.draft(
            "design",
            {
                "id": "DS-9",
                "name": "x",
                "material": "Steel 45",
                "features": [{"id": "F1", "type": "external_cylinder", "diameter": 20, "function": "spinning"}],
            },
        )
    with pytest.raises(InputError, match=r"not a design draft \(bom.0.position: Input should be greater than"):
        helper.check("design", {"part_id": "DS-101", "bom": [{"position": 0, "name": "Key", "quantity": 1}]}, SHAFT)
    with pytest.raises(InputError, match="the draft is for part DS-102 but the part spec is DS-101"):
        helper.check("design", _draft(helper, GEAR), SHAFT)


def test_an_empty_knowledge_base_is_a_finding_not_a_crash(helper: Assistant) -> None:
    draft = _draft(helper, SHAFT)
    (missing,) = [f for f in draft.findings if f.rule == DesignRule.NO_DOCUMENTS]
    assert missing.severity == Severity.WARNING and "is empty" in missing.message
    standards = draft.technical_assignment.sections[4]
    assert "ISO 261 (GOST 8724)" in standards.text and "GOST 23360" in standards.text


def test_the_standards_cite_the_retrieved_passages(indexed: Assistant) -> None:
    draft = _draft(indexed, SHAFT)
    assert not [f for f in draft.findings if f.rule == DesignRule.NO_DOCUMENTS]
    standards = draft.technical_assignment.sections[4]
    retrieved = [
        s for s in standards.sources if s.doc in {"design-review-rules.md", "threads-metric.md", "keys-and-keyways.md"}
    ]
    assert "(named in " in standards.text and retrieved


# ---- the LLM's wording


def _section_text(messages: list[BaseMessage]) -> str:
    return prompt_text(messages).split("<section>\n")[1].split("\n</section>")[0]


def test_an_llm_rewords_the_sections_and_cites_the_passages(worder: Assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(CHAT_PROVIDERS, "scripted", scripted_provider(lambda m: f"{_section_text(m)} [1]"))
    offline = _draft(worder, SHAFT)
    worded = _draft(worder, SHAFT, provider="scripted")
    assert worded.provider == "scripted:script-1"
    for before, after in zip(offline.technical_assignment.sections, worded.technical_assignment.sections, strict=True):
        assert (
            after.text.startswith(before.text)
            and after.text.endswith("]")
            and len(after.sources) >= len(before.sources)
        )
    assert [f.rule for f in worded.findings] == [f.rule for f in offline.findings]
    assert worder.check("design", worded, SHAFT) == []


def test_an_llm_that_adds_a_number_is_refused_section_by_section(
    worder: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(
        CHAT_PROVIDERS, "scripted", scripted_provider(lambda m: f"{_section_text(m)} Torque 7777 Nm [1].")
    )
    offline = _draft(worder, SHAFT)
    worded = _draft(worder, SHAFT, provider="scripted")
    assert worded.technical_assignment == offline.technical_assignment and worded.provider == "offline"
    (refused,) = [f for f in worded.findings if f.rule == DesignRule.LLM_REPAIR]
    assert refused.message.count("added numbers the spec and tools do not give (7777)") == 6


@pytest.mark.parametrize(
    ("script", "why"),
    [
        (raising(ProviderError("the LLM endpoint http://127.0.0.1:9/v1 did not answer")), "did not answer"),
        (raising(ProviderError("the LLM endpoint rejected the key (401)")), "rejected the key (401)"),
    ],
)
def test_a_failed_llm_keeps_the_offline_draft_with_a_warning(
    worder: Assistant, monkeypatch: pytest.MonkeyPatch, script: object, why: str
) -> None:
    monkeypatch.setitem(CHAT_PROVIDERS, "scripted", scripted_provider(script))  # type: ignore[arg-type]
    offline = _draft(worder, SHAFT)
    drafted = _draft(worder, SHAFT, provider="scripted")
    assert drafted.technical_assignment == offline.technical_assignment and drafted.provider == "offline"
    (failed,) = [f for f in drafted.findings if f.rule == DesignRule.LLM_FAILED]
    assert failed.severity == Severity.WARNING and failed.message.startswith("scripted model script-1: ")
    assert why in failed.message and failed.message.endswith("; the offline draft is shown")


# ---- check: any draft against its part


def test_check_re_runs_the_review_on_the_drafts_part(helper: Assistant) -> None:
    draft = _draft(helper, DEFECTS)
    checked = helper.check("design", draft, DEFECTS)
    assert {(f.rule, f.feature) for f in checked} == {
        (DesignRule.THREAD_SERIES, "F3"),
        (DesignRule.KEYWAY_SERIES, "F4"),
        (DesignRule.DEEP_HOLE, "F7"),
    }


def test_check_reports_what_an_edited_draft_lost(helper: Assistant) -> None:
    data = _draft(helper, DEFECTS).model_dump(mode="json")
    sections = data["technical_assignment"]["sections"]
    sections[1]["text"] = sections[1]["text"].replace("Ø25", "Ø26")  # a number the spec does not give
    sections[3]["sources"] = []
    del sections[4]  # Applicable standards
    data["findings"] = [f for f in data["findings"] if f["rule"] != "thread-series"]
    data["bom"] = [{"position": 1, "name": "Impeller", "quantity": 1}]
    checked = {(f.rule, f.feature): f for f in helper.check("design", data, DEFECTS)}
    assert "'Applicable standards'" in checked[(DesignRule.SECTION_MISSING, None)].message
    assert "'Operating conditions and reliability'" in checked[(DesignRule.SECTION_UNSOURCED, None)].message
    assert "states 26" in checked[(DesignRule.NUMBER_UNSUPPORTED, None)].message
    assert "the BOM has 1 lines where the spec's components give 0" in checked[(DesignRule.BOM_MISMATCH, None)].message
    dropped = checked[(DesignRule.FINDING_MISSING, "F3")]
    assert "does not carry the error thread-series on F3" in dropped.message
    assert (DesignRule.THREAD_SERIES, "F3") in checked


def test_the_design_stage_is_registered(helper: Assistant) -> None:
    assert "design" in helper.stages() and "routing" in helper.stages()
