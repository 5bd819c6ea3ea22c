"""Fixtures, cutting tools and measuring instruments picked from the tooling catalogue."""

from __future__ import annotations

from dataclasses import replace

from assistant.catalog import load_catalog
from assistant.engineering.tooling import (
    PROFILOMETER,
    cutting_tool_for,
    fixture_for,
    measuring_tool_for,
    measuring_tools_for,
)
from assistant.engineering.types import CuttingTool, Fixture, MeasuringTool, Requirement

CATALOG = load_catalog()

FIXTURES = (
    Fixture("Chuck", ("turning", "boring"), ("bushing", "disk")),
    Fixture("Centres", ("turning", "grinding"), ("shaft",)),
    Fixture("Collet", ("turning",), ("shaft", "bushing")),
)
TOOLS = (
    CuttingTool(
        "Carbide rough tool", ("turning",), ("rough",), ("external_cylinder", "end_face"), ("steel", "cast_iron")
    ),
    CuttingTool("PCD finish tool", ("turning",), ("finish", "fine"), ("external_cylinder",), ("aluminium",)),
    CuttingTool(
        "Carbide finish tool", ("turning",), ("finish", "fine"), ("external_cylinder",), ("steel", "aluminium")
    ),
)
GAUGES = (
    MeasuringTool(PROFILOMETER, ("external_cylinder", "hole"), 1, 100000),
    MeasuringTool("Caliper 150", ("external_cylinder", "hole"), 12, 150),
    MeasuringTool("Caliper 300", ("external_cylinder", "hole"), 12, 300),
    MeasuringTool("Micrometer 0-25", ("external_cylinder",), 7, 25),
    MeasuringTool("Micrometer 25-50", ("external_cylinder",), 7, 50),
    MeasuringTool("Snap gauge", ("external_cylinder",), 6, 360),
    MeasuringTool("Comparator", ("external_cylinder",), 5, 180),
)


def req(feature_type="external_cylinder", it=14, ra=12.5, size=40.0, length=50.0, width=0.0) -> Requirement:
    return Requirement("F1", feature_type, it, ra, size, length, width=width)


def test_fixture_is_the_first_listed_for_kind_and_part_kind():
    assert fixture_for("turning", "shaft", FIXTURES) == "Centres"
    assert fixture_for("turning", "bushing", FIXTURES) == "Chuck"
    assert fixture_for("grinding", "shaft", FIXTURES) == "Centres"


def test_fixture_none_when_nothing_matches():
    assert fixture_for("milling", "shaft", FIXTURES) is None
    assert fixture_for("boring", "shaft", FIXTURES) is None


def test_catalogue_fixture_for_turning_a_shaft_is_centres():
    assert (
        fixture_for("turning", "shaft", CATALOG.fixtures) == "Centres with face driver and revolving tailstock centre"
    )


def test_cutting_tool_is_the_first_matching_kind_stage_feature_and_group():
    assert cutting_tool_for("turning", "rough", "end_face", "steel", TOOLS) == "Carbide rough tool"
    assert cutting_tool_for("turning", "fine", "external_cylinder", "aluminium", TOOLS) == "PCD finish tool"
    assert cutting_tool_for("turning", "finish", "external_cylinder", "steel", TOOLS) == "Carbide finish tool"


def test_cutting_tool_none_when_any_criterion_fails():
    assert cutting_tool_for("turning", "rough", "external_cylinder", "aluminium", TOOLS) is None
    assert cutting_tool_for("turning", "semi_finish", "external_cylinder", "steel", TOOLS) is None
    assert cutting_tool_for("milling", "rough", "external_cylinder", "steel", TOOLS) is None
    assert cutting_tool_for("turning", "finish", "end_face", "steel", TOOLS) is None


def test_measuring_tool_is_the_coarsest_adequate_one():
    assert measuring_tool_for(req(it=14), GAUGES) == "Caliper 150"
    assert measuring_tool_for(req(it=8), GAUGES) == "Micrometer 25-50"
    assert measuring_tool_for(req(it=7), GAUGES) == "Micrometer 25-50"
    assert measuring_tool_for(req(it=6), GAUGES) == "Snap gauge"
    assert measuring_tool_for(req(it=5), GAUGES) == "Comparator"


def test_measuring_tool_must_be_large_enough():
    assert measuring_tool_for(req(it=14, size=200), GAUGES) == "Caliper 300"
    assert measuring_tool_for(req(it=7, size=60), GAUGES) == "Snap gauge"
    assert measuring_tool_for(req(it=5, size=200), GAUGES) is None


def test_measuring_tool_none_finer_than_any_instrument_and_profilometer_never_chosen():
    assert measuring_tool_for(req(it=4), GAUGES) is None


def test_measuring_tool_for_a_feature_type_no_instrument_covers():
    assert measuring_tool_for(req(feature_type="gear_teeth", it=8), GAUGES) is None


def test_measuring_tool_size_falls_back_to_length_then_width():
    assert measuring_tool_for(req(it=7, size=0.0, length=20.0), GAUGES) == "Micrometer 0-25"
    assert measuring_tool_for(req(it=7, size=0.0, length=0.0, width=40.0), GAUGES) == "Micrometer 25-50"


def test_profilometer_added_for_ra_1_6_or_finer_and_names_deduplicated():
    names = measuring_tools_for([req(it=8, ra=1.6), req(it=8, ra=3.2)], GAUGES)
    assert names == ["Micrometer 25-50", PROFILOMETER]


def test_no_profilometer_for_coarse_roughness():
    assert measuring_tools_for([req(it=14, ra=3.2), req(it=12, ra=12.5)], GAUGES) == ["Caliper 150"]


def test_catalogue_measuring_tools_for_a_k6_journal_and_an_h7_bore():
    journal = replace(req(it=6, ra=0.8, size=40), fit="k6")
    bore = req(feature_type="hole", it=7, ra=0.8, size=30)
    assert measuring_tools_for([journal, bore], CATALOG.measuring_tools) == [
        "Limit snap gauge GO/NO-GO k6 (GOST 24853 tolerances)",  # a gauge made to the journal's class
        "Dial bore gauge NI 18-50 mm, 0.01 mm (GOST 868)",
        PROFILOMETER,
    ]


def test_gauges_are_made_to_the_class_of_the_surface():
    thread = replace(req(feature_type="internal_thread", it=7, ra=3.2, size=10), designation="M10-7H")
    shaft = replace(req(it=6, ra=0.8, size=40), fit="js6")
    names = measuring_tools_for([thread, shaft], CATALOG.measuring_tools)
    assert "Thread plug gauge GO/NO-GO 7H" in names and "Limit snap gauge GO/NO-GO js6 (GOST 24853 tolerances)" in names


def test_gear_shaving_takes_a_shaving_cutter_and_gear_grinding_a_worm():
    def tool(code: str) -> str | None:
        process = CATALOG.processes[code]
        return cutting_tool_for(process.kind, process.stage, "gear_teeth", "steel", CATALOG.cutting_tools, process.code)

    assert tool("shave") == "Disc shaving cutter class A, P6M5 (GOST 8570)"
    assert tool("gear_grind") == "Grinding worm (threaded wheel) 25A F100 V for generating gear grinding"
