"""Roughness, tolerance and fit against the grade, the plant's equipment and the surface's function
(design-review-rules.md sections 2, 9, 10 and 11)."""

from __future__ import annotations

from dataclasses import replace

from assistant.engineering import dfm
from assistant.engineering.fits import ToleranceClass, tolerance_class
from assistant.parts.model import Feature, PartSpec
from assistant.stages.design.clauses import at, join
from assistant.stages.design.model import DesignRule
from assistant.stages.design.review import Review
from assistant.stages.findings import Finding, Severity


def _toleranced(feature: Feature) -> bool:
    return feature.it is not None or feature.fit is not None


# ---- 2 roughness and IT grade

RA_TYPES = frozenset({"external_cylinder", "hole", "plane", "end_face", "keyway", "slot", "groove", "spline"})


def check_ra_vs_it(part: PartSpec, review: Review) -> list[Finding]:
    """Ra far finer than the grade needs (a finishing step for nothing), or too coarse to hold the grade."""
    found = []
    for feature in part.features:
        if feature.type not in RA_TYPES or feature.ra is None or not _toleranced(feature):
            continue
        req = review.facts.requirements[feature.id]
        verdict = dfm.ra_vs_it(req.it, req.ra, feature.function)
        if verdict is None:
            continue
        low, high = verdict.usual
        usual = f"Ra {low:g}..{high:g} is usual for IT{req.it}"
        if verdict.too_fine:
            cost = review.forced(feature.id, review.extra_steps(req, dfm.relaxed_ra(req)))
            message = join(
                f"Ra {req.ra:g} is far finer than IT{req.it} needs ({usual})",
                cost or "it asks for a finer finish than the grade needs",
                f"fix: specify Ra {high:g} unless the function needs the finer finish",
            )
            found.append(at(Severity.WARNING, DesignRule.RA_VS_IT, message, feature.id, "2.2"))
            continue
        what = "cannot hold" if verdict.impossible else "hardly holds"
        message = join(
            f"Ra {req.ra:g} is too coarse for IT{req.it} ({usual}): a surface that rough {what} the tolerance",
            f"fix: specify Ra {high:g} or finer (or relax the grade); the grade needs that finish anyway",
            review.made_by(feature.id),
        )
        severity = Severity.ERROR if verdict.impossible else Severity.WARNING
        found.append(at(severity, DesignRule.RA_VS_IT, message, feature.id, "2.2"))
    return found


# ---- 9-11 tolerance, function and fit


def check_tolerance_equipment(part: PartSpec, review: Review) -> list[Finding]:
    """A grade finer than any chain of the catalogue holds economically on a catalogue machine: one grade finer
    only with care (warning), two or more grades finer not at all (error)."""
    found = []
    for feature in part.features:
        if not _toleranced(feature) and feature.type not in dfm.NO_GRADE_TYPES:
            continue
        req = review.facts.requirements[feature.id]
        finest = review.finest(req)
        if finest is None or req.it >= finest.it:
            continue
        beyond = finest.it - req.it > dfm.CARE_GRADES
        best = f"IT{finest.it} by {' → '.join(finest.chain).lower()}"
        what = "cannot hold" if beyond else "holds only with care (selective assembly, extra passes, scrap)"
        message = join(
            f"IT{req.it} on this {feature.type.replace('_', ' ')} is finer than the catalogue's processes and machines "
            f"hold economically (best: {best}); the plant {what}",
            f"fix: relax it to IT{finest.it}, or name the equipment (lapping, jig grinding) that holds it",
            review.made_by(feature.id),
        )
        severity = Severity.ERROR if beyond else Severity.WARNING
        found.append(
            at(severity, DesignRule.TOLERANCE_BEYOND_EQUIPMENT, message, feature.id, "9.2" if beyond else "9.1")
        )
    return found


def check_tolerance_function(part: PartSpec, review: Review) -> list[Finding]:
    """A grade finer than the feature's function needs."""
    found = []
    for feature in part.features:
        needed = dfm.function_grade(feature.function, feature.type)
        if needed is None or not _toleranced(feature):
            continue
        req = review.facts.requirements[feature.id]
        if req.it >= needed:
            continue
        cost = review.forced(feature.id, review.extra_steps(req, replace(req, it=needed)))
        function = str(feature.function).replace("_", " ")
        message = join(
            f"IT{req.it} is tighter than a {function} surface needs (IT{needed} or coarser)",
            cost or "the route needs no extra step for it, but the narrower tolerance costs gauges and scrap",
            f"fix: specify IT{needed}",
        )
        found.append(at(Severity.WARNING, DesignRule.TOLERANCE_TIGHTER_THAN_FUNCTION, message, feature.id, "10.2"))
    return found


def check_fit_function(part: PartSpec, review: Review) -> list[Finding]:
    """A fit that contradicts the feature's function (clearance on a press fit, a wrong bearing seat ...)."""
    found = []
    for feature in part.features:
        if not feature.fit or feature.function not in {"press_fit", "sliding_fit", "bearing_seat"}:
            continue
        try:
            cls: ToleranceClass = tolerance_class(feature.fit)
        except ValueError:
            continue
        size = feature.diameter or feature.width or 0.0
        character = dfm.fit_character(review.limits, size, cls) if size else None
        issue = dfm.fit_issue(feature.function, cls, character)
        if issue is None:
            continue
        section = "11.3" if feature.function == "bearing_seat" else "11.2"
        fix = f"fix: change the fit of {feature.id} to suit its function"
        message = join(issue.problem, fix, review.made_by(feature.id))
        severity = Severity.ERROR if issue.error else Severity.WARNING
        found.append(at(severity, DesignRule.FIT_CONTRADICTS_FUNCTION, message, feature.id, section))
    return found
