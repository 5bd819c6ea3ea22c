"""What the held-out requests taught the research stage, as general rules: parts that must not rust (or are
wetted) are never of a rusting grade, material words about another part do not restrict this one, valve sizes
and threads are quantities, a word right after a size names it, and asking for a casting while excluding
castings is a contradiction."""

from __future__ import annotations

from assistant.catalog import load_catalog
from assistant.engineering.requests import Kind, parse_quantities
from assistant.stages.research.facts import request_facts
from assistant.stages.research.materials import rank
from assistant.stages.research.model import ResearchRequest
from assistant.stages.research.review import contradictions, needs_of, open_questions
from assistant.stages.research.words import read_limits

CATALOG = load_catalog()


def facts_of(text: str, constraints: list[str] | None = None):
    return request_facts(ResearchRequest(id="T-1", request=text, constraints=constraints or []), CATALOG)


def grades(text: str, constraints: list[str] | None = None) -> list[str]:
    facts = facts_of(text, constraints)
    return [r.material.grade for r in rank(CATALOG.materials, needs_of(facts))]


def test_a_part_that_must_not_rust_is_never_of_a_rusting_grade() -> None:
    proposed = grades("Bracket for a mast near the sea coast. It must not rust and cannot be painted, 400 N.")
    assert proposed and {CATALOG_GROUP[g] for g in proposed} <= {"stainless", "copper_alloy", "aluminium"}
    wetted = grades("Pump shaft wetted by cooling water, HRC 40 minimum, 4 kW at 2900 rpm.")
    assert wetted and {CATALOG_GROUP[g] for g in wetted} == {"stainless"}


def test_a_material_word_about_another_part_does_not_restrict_this_one() -> None:
    limits = read_limits("Bronze bush. It runs on a 45 mm stainless shaft at 1450 rpm.", [], "bushing")
    assert "stainless" not in limits.named and "copper_alloy" in limits.named
    proposed = grades("Bushing of a sea-water pump; it runs on a 45 mm stainless shaft, lubricated by the water.")
    assert proposed and all(CATALOG_GROUP[g] == "copper_alloy" for g in proposed)


def test_valve_sizes_threads_and_the_word_after_a_size_are_read() -> None:
    found = {(q.kind, q.low, q.label) for q in parse_quantities("DN50 valve; 30 mm diameter, 900 mm long, M16 thread")}
    assert (Kind.NOMINAL, 50.0, "") in found
    assert (Kind.THREAD, 16.0, "M16") in found
    assert (Kind.LENGTH, 30.0, "diameter") in found and (Kind.LENGTH, 900.0, "length") in found


def test_asking_for_a_casting_and_excluding_castings_is_a_contradiction_and_a_question() -> None:
    facts = facts_of("Valve body DN50, 12 kg, 300 a year.", ["must be cast", "no castings, machine from bar only"])
    clashes = contradictions(facts, CATALOG.materials)
    assert any("casting" in c for c in clashes)
    assert any(q.startswith("Which demand holds?") and "casting" in q for q in open_questions(facts, None, clashes))


CATALOG_GROUP = {m.grade: m.group for m in CATALOG.materials}
