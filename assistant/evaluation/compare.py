"""Compare two runs metric by metric: the delta with a seeded paired bootstrap interval, a paired sign-flip
p-value Holm-corrected across every metric compared, and the cases that got worse. Where both runs are of the
deterministic tier (offline, no judge), differences are exact and the cases are compared one by one; the
statistics then say only how far the change would carry to other cases like these."""

from __future__ import annotations

from typing import Any

from assistant.evaluation.metrics import Score, as_unit, value_of
from assistant.evaluation.results import ALL, decode, seed_for
from assistant.evaluation.stats import holm, paired_bootstrap_ci, pooled, sign_flip_p

ALPHA = 0.05


def _scores(suite: dict[str, Any], metric: str) -> dict[str, Score]:
    return {c["id"]: decode(c["scores"][metric]) for c in suite["cases"] if metric in c["scores"]}


def _paired(
    a: dict[str, Score], b: dict[str, Score]
) -> tuple[list[str], list[tuple[float, float]], list[tuple[float, float]]]:
    ids = sorted(i for i in set(a) & set(b) if as_unit(a[i]) is not None and as_unit(b[i]) is not None)
    return ids, [as_unit(a[i]) for i in ids], [as_unit(b[i]) for i in ids]  # type: ignore[misc]


def compare_metric(a: dict[str, Score], b: dict[str, Score], higher_is_better: bool, seed: int) -> dict[str, Any]:
    """One metric over the cases both runs scored: values, delta (b - a), interval, p-value, changed cases."""
    ids, ua, ub = _paired(a, b)
    out: dict[str, Any] = {"n_paired": len(ids), "higher_is_better": higher_is_better}
    if not ids or sum(d for _, d in ua) <= 0 or sum(d for _, d in ub) <= 0:
        return out
    na, da = [u[0] for u in ua], [u[1] for u in ua]
    nb, db = [u[0] for u in ub], [u[1] for u in ub]
    value_a, value_b = pooled(na, da), pooled(nb, db)
    interval = paired_bootstrap_ci((na, da), (nb, db), seed)
    sign = 1 if higher_is_better else -1
    changed = []
    for case in ids:
        before, after = value_of(a[case]), value_of(b[case])
        if before is not None and after is not None and abs(after - before) > 1e-9:
            changed.append({"id": case, "a": before, "b": after, "worse": sign * (after - before) < 0})
    return out | {
        "a": value_a,
        "b": value_b,
        "delta": value_b - value_a,
        "ci95": [interval.low, interval.high],
        "p": sign_flip_p((na, da), (nb, db), seed),
        "worse": sign * (value_b - value_a) < -1e-12,
        "changed": changed,
    }


def compare(a: dict[str, Any], b: dict[str, Any], seed: int = 0, alpha: float = ALPHA) -> dict[str, Any]:
    """Run b against run a: every metric of every suite both ran (over all cases), Holm-corrected."""
    out: dict[str, Any] = {"alpha": alpha, "warnings": []}
    suites: dict[str, Any] = {}
    for name in sorted(set(a["suites"]) & set(b["suites"])):
        sa, sb = a["suites"][name], b["suites"][name]
        if sa.get("dataset_hash") != sb.get("dataset_hash"):
            out["warnings"].append(
                f"{name}: the datasets differ (hash {sa.get('dataset_hash', '?')[:12]} vs {sb.get('dataset_hash', '?')[:12]}); only cases in both are paired"
            )
        metrics = {}
        for metric, spec in sb["metrics"].items():
            if metric in sa["metrics"]:
                seed_m = seed_for(seed, name, ALL, metric)
                metrics[metric] = compare_metric(
                    _scores(sa, metric), _scores(sb, metric), spec["higher_is_better"], seed_m
                )
        ids_a, ids_b = {c["id"] for c in sa["cases"]}, {c["id"] for c in sb["cases"]}
        tier = "deterministic" if _tier(a, sa) == _tier(b, sb) == "deterministic" else "stochastic"
        suites[name] = {
            "tier": tier,
            "metrics": metrics,
            "only_in_a": sorted(ids_a - ids_b),
            "only_in_b": sorted(ids_b - ids_a),
        }
    for name in sorted(set(a["suites"]) ^ set(b["suites"])):
        out["warnings"].append(f"{name}: run in only one of the two runs, not compared")
    if a.get("provider") != b.get("provider") or a.get("support") != b.get("support"):
        out["warnings"].append(
            f"the runs differ in provider or support test ({a.get('provider')}/{a.get('support')} vs {b.get('provider')}/{b.get('support')})"
        )
    _holm(suites, alpha)
    tiers = {entry["tier"] for entry in suites.values()}
    return out | {"suites": suites, "tier": tiers.pop() if len(tiers) == 1 else "mixed"}


def _tier(run: dict[str, Any], suite: dict[str, Any]) -> str:
    """A suite's tier in a run (older runs have only the run's)."""
    return str(suite.get("tier", run.get("tier", "stochastic")))


def _holm(suites: dict[str, Any], alpha: float) -> None:
    """Adjust every p-value for the family of metrics compared, and decide which regressions count."""
    family = {f"{s}/{m}": r["p"] for s, entry in suites.items() for m, r in entry["metrics"].items() if "p" in r}
    adjusted = holm(family)
    for s, entry in suites.items():
        for m, r in entry["metrics"].items():
            if "p" not in r:
                continue
            r["p_holm"] = adjusted[f"{s}/{m}"]
            r["significant"] = r["p_holm"] < alpha
            r["regression"] = r["worse"] and (entry["tier"] == "deterministic" or r["significant"])


def regressed_cases(comparison: dict[str, Any]) -> list[str]:
    """`suite/case: metric a -> b` for every case that got worse on some metric."""
    return [
        f"{s}/{c['id']}: {m} {c['a']:.3f} -> {c['b']:.3f}"
        for s, entry in comparison["suites"].items()
        for m, r in entry["metrics"].items()
        for c in r.get("changed", [])
        if c["worse"]
    ]
