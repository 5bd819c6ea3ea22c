"""Canonical results: scores without NaN, aggregates over the cases they apply to, byte-stable JSON."""

from __future__ import annotations

import json
import math

import pytest

from assistant.errors import ConfigError
from assistant.evaluation.cases import LONG, read_jsonl, select
from assistant.evaluation.metrics import NotApplicable, Ratio
from assistant.evaluation.results import aggregate, canonical_json, combine_repeats, decode, encode


def test_aggregate_pools_ratios_and_counts_not_applicable_by_reason():
    agg = aggregate([1.0, 0.0, NotApplicable("refused"), Ratio(1, 2), NotApplicable("refused")], seed=0)
    assert agg["value"] == pytest.approx(2 / 4)  # (1 + 0 + 1) / (1 + 1 + 2)
    assert agg["n"] == 3 and agg["not_applicable"] == {"refused": 2}
    low, high = agg["ci95"]
    assert 0.0 <= low <= agg["value"] <= high <= 1.0


def test_an_aggregate_over_no_case_has_no_value():
    agg = aggregate([NotApplicable("in-domain question")], seed=0)
    assert agg == {"n": 0, "not_applicable": {"in-domain question": 1}}


def test_scores_round_trip_through_json():
    for score in (0.25, Ratio(3, 4), NotApplicable("no planted defect")):
        assert decode(json.loads(json.dumps(encode(score)))) == score


def test_repeats_combine_into_their_mean():
    assert combine_repeats([1.0, 0.0, NotApplicable("x")]) == 0.5
    assert combine_repeats([Ratio(1, 2), Ratio(2, 2)]) == Ratio(1.5, 2)
    assert combine_repeats([NotApplicable("x")]) == NotApplicable("x")


def test_canonical_json_is_sorted_rounded_and_refuses_nan():
    text = canonical_json({"b": 1 / 3, "a": [-0.0, 2.0]})
    assert text == canonical_json({"a": [0.0, 2.0], "b": 0.3333333}) and text.endswith("\n")
    assert text.index('"a"') < text.index('"b"') and "0.333333" in text and "-0.0" not in text
    with pytest.raises(ValueError):
        canonical_json({"x": math.nan})


def test_cases_file_format_and_selection(tmp_path):
    path = tmp_path / "mine.jsonl"
    path.write_text(
        '{"id": "q1", "tags": ["fact"], "input": "Q?", "expected": {"doc": "a.md"}}\n\n'
        '{"id": "q2", "input": "Q2?"}\n{"id": "q3", "input": "Q3?"}\n',
        encoding="utf-8",
    )
    cases = read_jsonl(path, extra_tags=("mine",), default_every=2)
    assert [c.tags for c in cases] == [("fact", "mine"), ("mine", LONG), ("mine",)]
    assert [c.id for c in select(cases, (), long=False)] == ["q1", "q3"]
    assert [c.id for c in select(cases, ("fact",), long=True)] == ["q1"]
    assert [c.id for c in select(cases, ("mine",), long=False)] == ["q1", "q2", "q3"]  # a tag asked for: long too
    assert [c.id for c in select(cases, (), long=False, ids=("q2",))] == ["q2"]
    path.write_text('{"id": "q1", "tags": ["x"], "inptu": "typo"}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"mine.jsonl:1: .*input"):
        read_jsonl(path)
