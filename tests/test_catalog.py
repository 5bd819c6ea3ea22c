"""The catalogues: the shipped files load into typed values; a broken file names its file, entry and field."""

import shutil
from pathlib import Path

import pytest
import yaml

from assistant.catalog import load_catalog
from assistant.engineering.norm_types import Allowances, CentreHole, ProductionTypes, TimeNorms, VolumeBand
from assistant.engineering.operations import MACHINING_KINDS
from assistant.engineering.types import Capability, Machine, PartClass
from assistant.errors import ConfigError
from assistant.resources import catalog_dir


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the shipped catalogues to break."""
    return Path(shutil.copytree(catalog_dir(), tmp_path / "catalog"))


def edit(folder: Path, name: str, change) -> None:
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def error_of(folder: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_catalog(folder)
    return str(caught.value)


# ---- the shipped catalogues ------------------------------------------------------------------------


def test_shipped_catalogues_load():
    catalog = load_catalog()
    assert len(catalog.processes) == 49
    assert len(catalog.heat_treatments) == 7
    assert len(catalog.machines) == 95
    assert len(catalog.materials) == 28
    assert (len(catalog.fixtures), len(catalog.cutting_tools), len(catalog.measuring_tools)) == (34, 96, 67)
    assert isinstance(catalog.norms, TimeNorms)
    assert isinstance(catalog.production, ProductionTypes)
    assert isinstance(catalog.allowances, Allowances)


def test_load_catalog_is_cached():
    assert load_catalog() is load_catalog()


def test_shipped_values_round_trip():
    catalog = load_catalog()
    turn = catalog.processes["turn_rough"]
    assert turn.capability["aluminium"] == Capability(12, 6.3)
    assert turn.cost == 1.0
    assert turn.cutting == {
        "v": {"steel": 120, "stainless": 80, "cast_iron": 90, "aluminium": 350, "copper_alloy": 180},
        "feed": 0.5,
        "depth": 3.0,
    }
    assert catalog.processes["grind_int_finish"].hardened == Capability(7, 0.8)
    assert catalog.processes["broach_hole"].min_production == "large_batch"
    assert (catalog.processes["countersink"].min_d, catalog.processes["countersink"].max_d) == (10, 100)
    assert catalog.heat_treatments["case_hardening"].cycle_min == 720.0
    saw = catalog.machine("8G662")
    assert saw is not None
    assert (saw.hourly_cost, saw.setup_time_min, saw.max_size, saw.accuracy_it) == (24.0, 8, (6000.0, 150.0, 150.0), 13)
    steel20 = next(m for m in catalog.materials if m.grade == "Steel 20")
    assert (steel20.hardening, steel20.max_hrc, steel20.supplied_hb, steel20.source.section) == ("case", 60, 163, "3.2")
    assert "Сталь 20" in steel20.aliases
    hole = catalog.chains["hole"]
    assert hole[2].steps == ("drill", "ream") and hole[2].max_d == 12
    assert not hole[16].hardened_ok


def test_shipped_norms_round_trip():
    catalog = load_catalog()
    norms = catalog.norms
    assert norms.approach_mm == 3.0
    assert norms.install_min[0] == (1.0, 0.2)
    assert norms.step_min == {"universal": 0.15, "cnc": 0.05, "special": 0.05}
    assert (norms.measure_min.coarse, norms.measure_min.fine) == (0.08, 0.2)
    assert norms.allowances_pct["grinding"] == (9.0, 4.0)
    assert norms.saw_rate_mm2_min["stainless"] == 1200.0
    assert norms.centre_hole == CentreHole(depth=6.0, feed=0.05, v=20.0, diameter=4.0)
    assert (norms.inspection.base_min, norms.inspection.per_fine_feature_min) == (0.5, 0.6)
    assert (norms.setup_default_min, norms.piece_time_max_min) == (20.0, 480.0)
    assert catalog.production.thresholds[0] == VolumeBand(1.0, (10, 1500, 75000, 200000))
    assert catalog.production.automation["large_batch"] == ("special", "cnc", "universal")
    assert catalog.production.fill_factor == 0.65
    assert catalog.allowances.bar_diameter[0] == (18.0, 2.0)
    assert catalog.allowances.bar_sizes[-1] == 270.0
    assert (catalog.allowances.plate_side, catalog.allowances.saw_kerf_mm) == (3.0, 2.0)


# ---- the shipped equipment catalogue: the limits route-card checks use ---------------------------------

ROTATIONAL_ONLY = (PartClass.ROTATIONAL,)
STROKE_TYPES = ("broaching", "shaping")  # the tool strokes: no spindle speed


def machining_machines() -> list[Machine]:
    return [m for m in load_catalog().machines if MACHINING_KINDS & set(m.kinds)]


def test_every_machining_machine_has_part_classes_power_envelope_and_speed_range():
    machines = machining_machines()
    assert len(machines) > 60
    for m in machines:
        assert m.part_classes, m.model
        assert m.power_kw and m.power_kw > 0, m.model
        assert m.max_size is not None or (m.max_diameter is not None and m.max_length is not None), m.model
        if any(word in m.type for word in STROKE_TYPES):
            assert m.rpm_min is None and m.rpm_max is None, m.model
        else:
            assert m.rpm_min is not None and m.rpm_max is not None, m.model
            assert 0 < m.rpm_min <= m.rpm_max, m.model


def test_spindle_speeds_are_ranges_except_on_single_speed_wheel_spindles():
    single_speed = {m.model for m in machining_machines() if m.rpm_min is not None and m.rpm_min == m.rpm_max}
    assert single_speed == {"3G71", "3L722"}  # surface grinders: one wheel speed


def test_passport_speed_ranges_of_well_known_machines():
    catalog = load_catalog()
    expected = {"16K20": (12.5, 1600, 11), "6R12": (31.5, 1600, 7.5), "2N135": (31.5, 1400, 4), "3M151": (50, 500, 10)}
    for model, (low, high, power) in expected.items():
        machine = catalog.machine(model)
        assert machine is not None
        assert (machine.rpm_min, machine.rpm_max, machine.power_kw) == (low, high, power)


def test_honing_machines_internal_grinders_and_boring_machines_give_their_bore_range():
    machines = [
        m
        for m in load_catalog().machines
        if any(word in m.type for word in ("honing", "internal grinder", "boring machine"))
    ]
    assert {"3G833", "3K227", "3K228", "2A622", "2E440A"} <= {m.model for m in machines}
    for m in machines:
        assert m.min_hole_diameter is not None and m.max_hole_diameter is not None, m.model
        assert 0 < m.min_hole_diameter < m.max_hole_diameter, m.model


def test_lathes_round_grinders_and_gear_machines_take_rotational_work_only():
    rotational = [
        m
        for m in machining_machines()
        if "lathe" in m.type
        or "turning" in m.type
        or any(word in m.type for word in ("cylindrical grinder", "centreless grinder", "internal grinder"))
        or {"gear_cutting", "gear_finishing"} & set(m.kinds)
    ]
    assert len(rotational) > 30
    for m in rotational:
        assert m.part_classes == ROTATIONAL_ONLY, m.model


def test_horizontal_boring_machines_take_prismatic_work_only():
    boring = [m for m in load_catalog().machines if "horizontal boring" in m.type]
    assert boring
    assert all(m.part_classes == (PartClass.PRISMATIC,) for m in boring)


def test_machines_for_any_part_name_no_part_class():
    catalog = load_catalog()
    for kind in ("blank", "heat_treatment", "washing"):
        assert all(not m.part_classes for m in catalog.machines if kind in m.kinds), kind


def test_the_catalogue_has_the_special_machines_route_cards_call_for():
    machines = load_catalog().machines
    vertical_lathe = [m for m in machines if "vertical lathe" in m.type]
    assert vertical_lathe and all({"turning", "boring"} <= set(m.kinds) for m in vertical_lathe)
    assert all(m.max_diameter > m.max_length for m in vertical_lathe)
    nitriding = [
        m
        for m in machines
        if "heat_treatment" in m.kinds and "nitriding" in f"{m.name} {m.type} {catalog_notes(m.model)}".lower()
    ]
    assert nitriding
    assert any("centre-hole" in m.type and "grinding" in m.kinds for m in machines)
    assert any("lapping" in m.type and "superfinishing" in m.kinds for m in machines)
    assert any("chamfering" in m.type and "gear_finishing" in m.kinds for m in machines)
    bar_automatics = [m for m in machines if "automatic" in m.type]
    assert {"single-spindle automatic", "multi-spindle automatic"} <= {m.type for m in bar_automatics}


def test_the_nitriding_furnace_notes_give_its_temperature_range():
    assert "480-650 °C" in catalog_notes("SShAM-6.12/7")


def catalog_notes(model: str) -> str:
    """The notes of a machine in the shipped equipment.yaml (the engineering value drops them)."""
    data = yaml.safe_load((catalog_dir() / "equipment.yaml").read_text(encoding="utf-8"))
    return next(m.get("notes", "") for m in data["machines"] if m["model"] == model)


# ---- broken catalogues ----------------------------------------------------------------------------


def test_a_machine_without_hourly_cost_is_named(folder):
    edit(folder, "equipment.yaml", lambda d: d["machines"][1].pop("hourly_cost"))
    assert error_of(folder).startswith("equipment.yaml: machine 8G681: hourly_cost: Field required")


def test_a_process_whose_cost_is_text_is_named(folder):
    edit(folder, "processes.yaml", lambda d: d["processes"]["turn_semi"].update(cost="cheap"))
    message = error_of(folder)
    assert message.startswith("processes.yaml: process turn_semi: cost: Input should be a valid number")


def test_an_unknown_key_in_a_material_is_named(folder):
    edit(folder, "materials.yaml", lambda d: d["materials"][3].update(colour="grey"))
    assert error_of(folder).startswith("materials.yaml: material Steel 45: colour: Extra inputs are not permitted")


def test_invalid_yaml_names_the_file(folder):
    (folder / "tools.yaml").write_text("fixtures: [unclosed\n", encoding="utf-8")
    message = error_of(folder)
    assert message.startswith("tools.yaml: ") and "not valid YAML at line 2" in message


def test_a_missing_file_names_the_file(folder):
    (folder / "chains.yaml").unlink()
    message = error_of(folder)
    assert message.startswith("chains.yaml: ") and "cannot be read" in message


def test_an_entry_without_its_name_is_named_by_position(folder):
    edit(folder, "tools.yaml", lambda d: d["measuring_tools"][0].pop("name"))
    assert error_of(folder).startswith("tools.yaml: measuring tool #1: name: Field required")


def test_a_chain_option_is_named_by_feature_type_and_number(folder):
    edit(folder, "chains.yaml", lambda d: d["chains"]["hole"]["options"][2].update(max_d="twelve"))
    assert error_of(folder).startswith("chains.yaml: chain hole option 3: max_d: Input should be a valid number")


def test_a_chain_step_that_is_no_process_is_named(folder):
    edit(folder, "chains.yaml", lambda d: d["chains"]["plane"]["options"][0].update(steps=["mill_rouhg"]))
    assert error_of(folder).startswith("chains.yaml: chain plane option 1: steps: mill_rouhg is not a process")


def test_a_norm_table_without_its_fallback_row_is_named(folder):
    edit(folder, "norms.yaml", lambda d: d["time_norms"]["allowances_pct"].pop("default"))
    message = error_of(folder)
    assert message.startswith("norms.yaml: time_norms: allowances_pct: ") and "'default'" in message


def test_a_misspelt_cutting_key_is_named(folder):
    edit(folder, "processes.yaml", lambda d: d["processes"]["drill"]["cutting"].update(feed_per_dia=0.02))
    assert error_of(folder).startswith("processes.yaml: process drill: cutting.feed_per_dia: Extra inputs")


def test_a_machine_whose_lowest_speed_is_above_its_highest_is_named(folder):
    def swap(data):
        machine = next(m for m in data["machines"] if m["model"] == "16K20")
        machine.update(rpm_min=2000, rpm_max=1600)

    edit(folder, "equipment.yaml", swap)
    message = error_of(folder)
    assert message.startswith("equipment.yaml: machine 16K20: ")
    assert "rpm_min 2000 is above rpm_max 1600" in message
