"""The research stage on a real small index: the brief, its checks (each rule planted in a correct brief),
an empty knowledge base, the LLM's wording and its failure, and the exports."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import BaseMessage

from assistant.api import Assistant, Retrieval
from assistant.catalog import load_catalog
from assistant.errors import InputError, ProviderError
from assistant.llm.providers import CHAT_PROVIDERS
from assistant.resources import knowledge_dir
from assistant.stages.findings import Severity
from assistant.stages.research.documents import analogues
from assistant.stages.research.facts import request_facts
from assistant.stages.research.model import Reference, ResearchBrief, ResearchRule, load_request
from tests.conftest import make_settings
from tests.scripted import prompt_text, raising, scripted_provider

R = ResearchRule
REQUEST = {
    "id": "RQ-01",
    "request": "Output shaft for a 5 kW two-stage reducer, 1450 rpm input, outdoor use, 3000 units a year, "
    "bearing seats for 6208 bearings, keyed coupling.",
    "constraints": ["no imported steels"],
}
HARD = {
    "id": "RQ-02",
    "request": "Splined shaft, bearings 6306, journals induction hardened to HRC 50..54, 500 a year.",
}
DOCS = [
    "tolerances-and-fits.md",
    "keys-and-keyways.md",
    "heat-treatment.md",
    "eskd-documents.md",
    "blanks.md",
    "chains-external-cylinders.md",
]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory, embeddings: Any) -> Assistant:
    """Six shipped documents, indexed."""
    helper = Assistant(make_settings(tmp_path_factory.mktemp("research") / "home"))
    helper.index._embeddings = embeddings
    helper.ingest([knowledge_dir() / "corpus" / doc for doc in DOCS])
    return helper


@pytest.fixture(scope="module")
def brief(shipped: Assistant) -> ResearchBrief:
    return shipped.draft("research", REQUEST)


def _rules(findings: list[Any], severity: Severity | None = None) -> set[str]:
    return {f.rule for f in findings if severity is None or f.severity == severity}


def test_the_contract_request_gives_a_complete_checked_brief(shipped: Assistant, brief: ResearchBrief) -> None:
    assert brief.request_id == "RQ-01" and brief.provider == "offline"
    assert [r.n for r in brief.requirements] == list(range(1, len(brief.requirements) + 1))
    texts = [r.text for r in brief.requirements if r.origin == "request"]
    assert texts[:5] == [
        "Transmit 5 kW",
        "Rotational speed 1450 rpm",
        "Environment: outdoor",
        "Annual volume 3000 units a year",
        "Bearing seats for 6208 bearings (bore Ø40 mm)",
    ]
    seat = next(r for r in brief.requirements if r.origin == "document" and "Ø40 k6" in r.text)
    assert seat.text.startswith("Bearing seats for 6208 bearings: Ø40 k6 — “For a rotating inner ring")
    assert [(s.doc, s.section) for s in seat.sources] == [("tolerances-and-fits.md", "6.2")]
    assert {"tolerances-and-fits.md", "keys-and-keyways.md", "eskd-documents.md"} <= {s.doc for s in brief.standards}
    assert all(s.why for s in brief.standards) and brief.analogues[0].doc == "chains-external-cylinders.md"
    top = brief.materials[0]
    assert (top.grade, top.cost_class, top.machinability) == ("Steel 45", "low", 1.0)
    assert ("materials.yaml", "Steel 45") in {(s.doc, s.section) for s in top.sources}
    assert ("materials-steels.md", "8.4") in {(s.doc, s.section) for s in top.sources}
    assert brief.production.model_dump() == {"annual_volume": 3000, "type": "medium batch"}
    assert any(
        r.startswith("Machining effort low: a rough route of the shaft (Ø50 × 240 mm, Steel 45)") for r in brief.risks
    )
    assert any("output speed" in q for q in brief.open_questions)
    assert not _rules(brief.findings, Severity.ERROR) and R.ASSUMPTION in _rules(brief.findings)
    assert shipped.check("research", brief.model_dump(), REQUEST) == []
    assert {(s.doc, s.section) for s in seat.sources} <= {(s.doc, s.section) for s in brief.sources}


def _renumber(brief: ResearchBrief) -> None:
    for n, r in enumerate(brief.requirements, start=1):
        r.n = n


def _document(brief: ResearchBrief) -> Any:
    return next(r for r in brief.requirements if r.origin == "document")


def _swap_numbers(b: ResearchBrief) -> None:
    b.requirements[0].n, b.requirements[1].n = 2, 1


def _drop_power(b: ResearchBrief) -> None:
    b.requirements = [r for r in b.requirements if r.text != "Transmit 5 kW"]
    _renumber(b)


def _invent_number(b: ResearchBrief) -> None:
    b.requirements[0].text = "Transmit 5 kW with a safety factor of 1.7"


def _unsource(b: ResearchBrief) -> None:
    _document(b).sources = []


def _misquote(b: ResearchBrief) -> None:
    r = _document(b)
    r.text = r.text.replace("usually k6", "usually p6")


def _wrong_clause(b: ResearchBrief) -> None:
    _document(b).sources[0].section = "5.7"


def _unknown_grade(b: ResearchBrief) -> None:
    b.materials[0].grade = "Unobtainium"


def _wrong_cost(b: ResearchBrief) -> None:
    b.materials[0].cost_class = "high"


def _cast_iron_shaft(b: ResearchBrief) -> None:
    b.materials[0].grade = "SCh20"
    b.materials[0].machinability, b.materials[0].cost_class = 1.1, "low"


def _mass_production(b: ResearchBrief) -> None:
    b.production.type = "mass"


def _unknown_type(b: ResearchBrief) -> None:
    b.production.type = "huge batch"


def _other_volume(b: ResearchBrief) -> None:
    b.production.annual_volume = 5000


@pytest.mark.parametrize(
    ("plant", "rule", "severity"),
    [
        (_swap_numbers, R.NUMBERING, Severity.ERROR),
        (_drop_power, R.QUANTITY_MISSING, Severity.ERROR),
        (_invent_number, R.NUMBER_NOT_IN_REQUEST, Severity.WARNING),
        (_unsource, R.DOCUMENT_UNSOURCED, Severity.ERROR),
        (_misquote, R.CLAIM_NOT_IN_SOURCE, Severity.ERROR),
        (_wrong_clause, R.CLAIM_NOT_IN_SOURCE, Severity.ERROR),
        (_unknown_grade, R.MATERIAL_UNKNOWN, Severity.ERROR),
        (_wrong_cost, R.MATERIAL_PROPERTIES, Severity.WARNING),
        (_cast_iron_shaft, R.MATERIAL_EXCLUDED, Severity.WARNING),
        (_mass_production, R.PRODUCTION_TYPE, Severity.ERROR),
        (_unknown_type, R.PRODUCTION_TYPE, Severity.ERROR),
        (_other_volume, R.PRODUCTION_TYPE, Severity.ERROR),
    ],
)
def test_each_check_catches_its_error_planted_in_a_correct_brief(
    shipped: Assistant, brief: ResearchBrief, plant: Callable[[ResearchBrief], None], rule: str, severity: Severity
) -> None:
    broken = brief.model_copy(deep=True)
    plant(broken)
    findings = shipped.check("research", broken, REQUEST)
    assert {(f.rule, f.severity) for f in findings} == {(rule, severity)}, findings


def test_a_grade_that_cannot_reach_the_hardness_or_is_excluded_is_an_error(shipped: Assistant) -> None:
    hard = shipped.draft("research", HARD)
    assert hard.materials and not _rules(hard.findings, Severity.ERROR)
    assert all(m.grade != "St3" for m in hard.materials)
    soft = hard.model_copy(deep=True)
    soft.materials[0].grade, soft.materials[0].machinability, soft.materials[0].cost_class = "St3", 1.3, "low"
    findings = shipped.check("research", soft, HARD)
    assert {(f.rule, f.severity) for f in findings} == {
        (R.MATERIAL_HARDNESS, Severity.ERROR),
        (R.MATERIAL_EXCLUDED, Severity.WARNING),  # St3 is not induction-hardened either
    }
    assert any(f.message.startswith("St3 may not be proposed: it cannot reach HRC 50..54") for f in findings)
    limited = {**REQUEST, "constraints": ["no stainless"]}
    stainless = shipped.draft("research", limited).model_copy(deep=True)
    stainless.materials[0].grade, stainless.materials[0].machinability = "20Kh13", 0.6
    stainless.materials[0].cost_class = "medium"
    assert _rules(shipped.check("research", stainless, limited)) == {R.MATERIAL_EXCLUDED}
    with pytest.raises(InputError, match="the brief is for request RQ-02 but the request is RQ-01"):
        shipped.check("research", hard, REQUEST)


def test_an_empty_knowledge_base_is_a_finding_not_a_crash(tmp_path: Path, brief: ResearchBrief) -> None:
    empty = Assistant(make_settings(tmp_path / "empty"))
    drafted = empty.draft("research", REQUEST)
    (problem,) = [f for f in drafted.findings if f.rule == R.NO_DOCUMENTS]
    assert problem.severity == Severity.WARNING and problem.message.startswith("drafted without documents: ")
    assert [r.origin for r in drafted.requirements] == ["request"] * len(drafted.requirements)
    assert not drafted.standards and not drafted.analogues and drafted.materials == brief.materials
    assert _rules(empty.check("research", brief, REQUEST)) == {R.SOURCE_UNVERIFIED}


def test_requests_without_quantities_or_with_contradictions_say_so(shipped: Assistant) -> None:
    vague = shipped.draft("research", "A cover for an electrical cabinet.")
    assert R.NO_QUANTITIES in _rules(vague.findings, Severity.WARNING)
    assert any("annual volume" in q for q in vague.open_questions) and vague.production.type is None
    clash = {"id": "RQ-10", "request": "Aluminium bracket, hardened to HRC 55, 500 units a year.",
             "constraints": ["no heat treatment"], "annual_volume": 800}  # fmt: skip
    drafted = shipped.draft("research", clash)
    messages = [f.message for f in drafted.findings if f.rule == R.CONTRADICTORY_CONSTRAINTS]
    assert messages == [
        "annual_volume 800 differs from the volume the text states (500 a year)",
        "HRC 55 needs a heat treatment, which the constraints exclude",
        "no aluminium grade of the catalogue reaches HRC 55",
    ]
    assert R.NO_MATERIAL in _rules(drafted.findings, Severity.ERROR) and drafted.materials == []
    assert sum(r.startswith("Contradiction: ") for r in drafted.risks) == 3


def test_approved_analogues_come_first(shipped: Assistant) -> None:
    facts = request_facts(load_request(REQUEST), load_catalog())
    approved = [Reference(doc="RQ-00.json", section=None, why="approved brief of a similar output shaft")]
    found = analogues(facts, lambda query: Retrieval(shipped.search(query, k=6)), approved)
    assert found[0] == approved[0] and len(found) == 4 and found[1].doc == "chains-external-cylinders.md"


# ---- the LLM's wording ------------------------------------------------------------------------------------


@pytest.fixture
def fresh(shipped: Assistant) -> Assistant:
    """The same index, with no LLM cache and no model kept from another test's script."""
    helper = Assistant(make_settings(shipped.settings.home, cache_enabled=False))
    helper.index._embeddings = shipped.index._embeddings
    return helper


def _words(invent: bool) -> Callable[[list[BaseMessage]], str]:
    def script(messages: list[BaseMessage]) -> str:
        text = prompt_text(messages)
        if "<request>" not in text:  # the routing stage's wording of the rough route: not this test's
            raise ProviderError("only the research prompt is scripted")
        requirements = json.loads(text.split("Requirements (numbered; document ones with their lead and quote):")[1])
        documents = [r["n"] for r in requirements if r["origin"] == "document"]
        leads = [{"n": documents[0], "lead": "Seats of the 6208 bearings on the shaft"}]
        leads.append({"n": documents[1], "lead": "Grind the seats to 0.4 µm" if invent else "Seat finish"})
        restated = "A 5 kW output shaft on 6208 bearings, outdoors, 3000 a year."
        return json.dumps({"restated": restated, "leads": leads})

    return script


def test_the_llm_restates_and_words_but_numbers_stay_the_requests(
    fresh: Assistant, brief: ResearchBrief, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(CHAT_PROVIDERS, "scripted", scripted_provider(_words(invent=True)))
    worded = fresh.draft("research", REQUEST, provider="scripted")
    assert worded.provider == "scripted:script-1"
    assert worded.restated == "A 5 kW output shaft on 6208 bearings, outdoors, 3000 a year."
    first, second = [r for r in worded.requirements if r.origin == "document"][:2]
    assert first.text.startswith("Seats of the 6208 bearings on the shaft — “For a rotating inner ring")
    assert second.text == [r for r in brief.requirements if r.origin == "document"][1].text
    (repair,) = [f for f in worded.findings if f.rule == R.LLM_REPAIR]
    assert "changed its numbers or quote" in repair.message
    assert not _rules(worded.findings, Severity.ERROR) and worded.materials == brief.materials
    assert fresh.check("research", worded, REQUEST) == []


@pytest.mark.parametrize(
    ("script", "why"),
    [
        (raising(ProviderError("the LLM endpoint http://127.0.0.1:9/v1 did not answer")), "did not answer"),
        (lambda messages: '{"restated": 5}', "output did not fit the brief schema"),
    ],
)
def test_a_failed_llm_keeps_the_offline_brief_with_a_warning(
    fresh: Assistant, brief: ResearchBrief, monkeypatch: pytest.MonkeyPatch, script: Any, why: str
) -> None:
    monkeypatch.setitem(CHAT_PROVIDERS, "scripted", scripted_provider(script))
    drafted = fresh.draft("research", REQUEST, provider="scripted")
    (failed,) = [f for f in drafted.findings if f.rule == R.LLM_FAILED]
    assert failed.severity == Severity.WARNING and failed.message.startswith("scripted model script-1: ")
    assert why in failed.message and failed.message.endswith("; the offline brief is shown")
    assert drafted.provider == "offline" and drafted.requirements == brief.requirements


# ---- exports ----------------------------------------------------------------------------------------------


def test_the_exports_show_the_same_brief(shipped: Assistant, brief: ResearchBrief) -> None:
    data = json.loads(shipped.export("research", brief, "json", REQUEST))
    assert set(data) == set(ResearchBrief.model_fields) and data["requirements"][0]["origin"] == "request"
    markdown = shipped.export("research", brief, "md", REQUEST).decode()
    assert markdown.startswith("# Research brief — RQ-01\n\n- **Request:** Output shaft for a 5 kW")
    for heading in ("Restated", "Requirements", "Materials (best first)", "Standards", "Risks", "Open questions"):
        assert f"\n## {heading}\n" in markdown
    assert "| 1 | Transmit 5 kW | request |  |" in markdown and "| Steel 45 |" in markdown
    exported = shipped.export_file("research", brief, "docx", REQUEST)
    assert exported.name == "RQ-01.docx" and not exported.text
    body = zipfile.ZipFile(io.BytesIO(exported.data)).read("word/document.xml").decode()
    assert "Research brief — RQ-01" in body and "Transmit 5 kW" in body and "Steel 45" in body
    assert shipped.export("research", brief, "md").decode().startswith("# Research brief — RQ-01\n\n- **Production:**")
