"""The design-for-manufacture review: one check per rule of design-review-rules.md, each wrapping a pure rule of
assistant/engineering/dfm.py and saying what is wrong, the fix, and what it costs in the routing draft. This module
holds the part-level and feature-series rules (sections 3-8) and the order of all checks; roughness, tolerance and
fit rules are in tolerances.py."""

from __future__ import annotations

from collections.abc import Callable

from assistant.engineering import dfm
from assistant.engineering.requirements import parse_thread
from assistant.engineering.routing import is_external
from assistant.engineering.types import Requirement
from assistant.parts.model import Feature, PartSpec
from assistant.parts.sanity import outside_envelope
from assistant.stages.design.clauses import at, join
from assistant.stages.design.model import DesignRule
from assistant.stages.design.review import Review
from assistant.stages.design.tolerances import (
    check_fit_function,
    check_ra_vs_it,
    check_tolerance_equipment,
    check_tolerance_function,
)
from assistant.stages.findings import Finding, Severity

# ---- 3 hardness


def check_hardness(part: PartSpec, review: Review) -> list[Finding]:
    """A hardness the material cannot reach (error), or a surface treatment the notes do not name (warning)."""
    facts = review.facts
    if facts.hardness is None or not facts.material_known:
        return []
    issue = dfm.hardness_issue(facts.hardness, facts.material, part.notes or "")
    if issue is None:
        return []
    ops = review.operations(kinds={"heat_treatment", "grinding", "superfinishing"})
    cost = f"it costs {', '.join(op.label for op in ops)} in the route draft" if ops else ""
    if issue.unreachable:
        others = dfm.materials_reaching(facts.hardness, review.catalog.materials, facts.group)
        fix = (
            f"fix: choose a grade that reaches it ({', '.join(others)}) or lower the hardness"
            if others
            else ("fix: lower the hardness or choose a hardenable grade")
        )
        return [at(Severity.ERROR, DesignRule.HARDNESS_UNREACHABLE, join(issue.problem, fix), None, "3.1")]
    fix = "fix: name the treatment and its case depth in the notes (e.g. 'F1 induction hardened, h 1.5..2')"
    message = join(issue.problem, fix, cost)
    return [at(Severity.WARNING, DesignRule.HARDNESS_UNREACHABLE, message, None, "3.2")]


# ---- 4 blank


def check_blank(part: PartSpec, review: Review) -> list[Finding]:
    """A blank the material cannot be (error), or tooling the annual volume does not pay for (warning)."""
    facts = review.facts
    if part.blank is None:
        return []
    diameters = [f.diameter for f in part.features if f.type == "external_cylinder" and f.diameter]
    steps = dfm.step_ratio([*diameters, *([part.envelope.diameter] if part.envelope.diameter else [])])
    issue = dfm.blank_issue(part.blank, facts.material, facts.production, part.kind, steps, facts.material_known)
    if issue is None:
        return []
    blank = review.route.blank
    planned = f"the route draft plans {blank.kind.replace('_', ' ')}: {blank.size}" if blank else ""
    kinds = ", ".join(k.replace("_", " ") for k in facts.material.blanks)
    if issue.impossible:
        fix = f"fix: choose one of {kinds}, or a grade made as {part.blank.replace('_', ' ')}"
        return [at(Severity.ERROR, DesignRule.BLANK_UNSUITABLE, join(issue.problem, fix, planned), None, "4.1")]
    if part.blank not in facts.material.blanks:
        fix = f"fix: order it as one of {kinds}, or confirm the supplier stocks it"
        return [at(Severity.WARNING, DesignRule.BLANK_UNSUITABLE, join(issue.problem, fix, planned), None, "4.1")]
    stock = [k for k in facts.material.blanks if k in dfm.STOCK_BLANKS] or ["rolled_bar"]
    fix = f"fix: make it from {stock[0].replace('_', ' ')}, which needs no tooling"
    section = {"stamping": "4.2", "forging": "4.3"}.get(part.blank, "4.4")
    message = join(f"{issue.problem} ({part.annual_volume} parts a year)", fix, planned)
    return [at(Severity.WARNING, DesignRule.BLANK_UNSUITABLE, message, None, section)]


# ---- 5 envelope


def check_envelope(part: PartSpec, review: Review) -> list[Finding]:
    """A feature that does not fit inside the part (parts/sanity.py)."""
    return [
        at(
            Severity.ERROR,
            DesignRule.FEATURE_OUTSIDE_ENVELOPE,
            join(f"{fid}: {why}", "fix: correct the feature size or the envelope; the part cannot be made"),
            fid,
            "5.1",
        )
        for fid, why in outside_envelope(part, review.facts.requirements)
    ]


# ---- 6 deep holes


def check_deep_holes(part: PartSpec, review: Review) -> list[Finding]:
    """A hole deeper than a twist drill series reaches, worse at a tight tolerance."""
    found = []
    cored = review.facts.cored_above
    for feature in part.features:
        if feature.type != "hole" or not feature.diameter:
            continue
        if cored is not None and feature.diameter > cored:
            continue  # the hole is in the blank (tube bore, cored casting hole): it is bored, not drilled
        req = review.facts.requirements[feature.id]
        hole = dfm.deep_hole(feature.diameter, feature.depth or feature.length or 0.0, req.it, part.notes or "")
        if hole is None:
            continue
        depth = f"Ø{feature.diameter:g} is {hole.ratio:g} diameters deep"
        if hole.beyond_long_series:
            what = "beyond long-series twist drills: it needs gun drilling or extra-long drills"
        else:
            what = "beyond one twist-drilling pass: it needs a long-series drill and peck cycles"
        small = "a drill under 3 mm breaks easily at that depth" if hole.small else ""
        tight = f"IT{req.it} on such a hole needs a deep-hole process the notes do not name" if hole.impossible else ""
        fix = "fix: shorten the hole, drill from both sides, enlarge it or relax the grade (or name the process)"
        message = join(f"{depth}, {what}", small, tight, fix, review.made_by(feature.id))
        severity = Severity.ERROR if hole.impossible else Severity.WARNING
        found.append(at(severity, DesignRule.DEEP_HOLE, message, feature.id, "6.3" if hole.impossible else "6.2"))
    return found


# ---- 7-8 thread and keyway series


def check_thread_series(part: PartSpec, review: Review) -> list[Finding]:
    """A metric thread whose diameter and pitch are not an ISO 261 / GOST 8724 combination."""
    found = []
    for feature in part.features:
        if feature.type not in {"external_thread", "internal_thread"} or not feature.designation:
            continue
        try:
            diameter, pitch, _ = parse_thread(feature.designation)
        except ValueError:
            continue  # not a metric designation: the rule says nothing
        pitches = dfm.thread_pitches(diameter)
        if pitches is None or any(abs(p - pitch) < 1e-6 for p in pitches):
            continue
        listed = (
            f"ISO 261 gives M{diameter:g} pitches {', '.join(f'{p:g}' for p in pitches)}"
            if pitches
            else (f"M{diameter:g} is not an ISO 261 diameter")
        )
        nearest = min(pitches, key=lambda p: abs(p - pitch)) if pitches else None
        cls = f"-{feature.designation.rsplit('-', 1)[1]}" if "-" in feature.designation else ""
        fix = f"fix: use M{diameter:g}x{nearest:g}{cls}" if nearest else "fix: choose a listed diameter"
        message = join(
            f"{feature.designation} is not a standard thread: {listed}",
            "it costs special taps or dies and special thread gauges",
            fix,
            review.made_by(feature.id),
        )
        found.append(at(Severity.ERROR, DesignRule.THREAD_SERIES, message, feature.id, "7.2"))
    return found


def _shaft_diameters(part: PartSpec, feature: Feature, req: Requirement) -> list[float]:
    """Where a keyway sits: its own diameter, else the cylinders (a hub keyway: the bores) long enough to carry it,
    else the largest of them (design-review-rules.md 8.1)."""
    if feature.diameter:
        return [feature.diameter]
    kind = "external_cylinder" if is_external(req, part.kind) else "hole"
    seats = [(f.diameter, f.length or f.depth or 0.0) for f in part.features if f.type == kind and f.diameter]
    long_enough = [d for d, length in seats if length >= (feature.length or 0.0)]
    largest = max((d for d, _ in seats), default=None)
    return long_enough or ([largest] if largest else [])


def check_keyway_series(part: PartSpec, review: Review) -> list[Finding]:
    """A keyway width that is not the GOST 23360 key width for the diameter it sits on."""
    found = []
    for feature in part.features:
        if feature.type != "keyway" or not feature.width:
            continue
        diameters = _shaft_diameters(part, feature, review.facts.requirements[feature.id])
        if not diameters or dfm.keyway_fits(feature.width, diameters):
            continue
        standard = ", ".join(f"Ø{d:g}: {dfm.key_width(d):g}" for d in diameters if dfm.key_width(d))
        series = "" if dfm.is_key_width(feature.width) else f"; {feature.width:g} mm is not a key width at all"
        message = join(
            f"keyway width {feature.width:g} does not match GOST 23360 for its shaft ({standard}){series}",
            "a key outside the range weakens the shaft or the hub, and a non-standard width needs a special cutter",
            f"fix: use the standard width {dfm.key_width(max(diameters)) or feature.width:g} mm",
            review.made_by(feature.id),
        )
        found.append(at(Severity.WARNING, DesignRule.KEYWAY_SERIES, message, feature.id, "8.2"))
    return found


Check = Callable[[PartSpec, Review], list[Finding]]
CHECKS: tuple[Check, ...] = (
    check_envelope,
    check_hardness,
    check_blank,
    check_ra_vs_it,
    check_tolerance_equipment,
    check_tolerance_function,
    check_fit_function,
    check_deep_holes,
    check_thread_series,
    check_keyway_series,
)


def review_part(part: PartSpec, review: Review) -> list[Finding]:
    """Every design-for-manufacture finding on the part, in the order of design-review-rules.md."""
    return [item for check in CHECKS for item in check(part, review)]
