"""The catalogues: the shipped files load into typed values; a broken file names its file, entry and field."""

import shutil
from pathlib import Path

import pytest
import yaml

from assistant.catalog import load_catalog
from assistant.engineering.norm_types import Allowances, CentreHole, ProductionTypes, TimeNorms, VolumeBand
from assistant.engineering.types import Capability
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
    assert len(catalog.processes) == 47
    assert len(catalog.heat_treatments) == 4
    assert len(catalog.machines) == 88
    assert len(catalog.materials) == 28
    assert (len(catalog.fixtures), len(catalog.cutting_tools), len(catalog.measuring_tools)) == (33, 96, 67)
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
