"""What an operation does, as the card writes it: transitions in the imperative with the surfaces and sizes
("Finish-turn surface F1 to Ø40k6, Ra 0.8"), and the cutting fluid (route-review-rules.md 6.6, 7.1)."""

from __future__ import annotations

from assistant.engineering.types import Process, Requirement

_VERB = {
    "turning": "turn",
    "boring": "bore",
    "milling": "mill",
    "drilling": "drill",
    "countersinking": "countersink",
    "reaming": "ream",
    "broaching": "broach",
    "grinding": "grind",
    "superfinishing": "superfinish",
    "gear_cutting": "cut",
    "gear_finishing": "finish",
}
_STAGE = {"rough": "Rough-", "semi_finish": "Semi-finish-", "finish": "Finish-", "fine": "Fine-"}
_NOUN = {
    "external_cylinder": "surface",
    "hole": "hole",
    "plane": "plane",
    "end_face": "end face",
    "keyway": "keyway",
    "slot": "slot",
    "groove": "groove",
    "chamfer": "chamfer",
    "gear_teeth": "teeth",
    "spline": "splines",
}
_THREAD_VERB = {
    "tap": "Tap",
    "thread_die": "Cut with a die",
    "thread_die_6g": "Cut with a die",
    "thread_roll": "Roll",
    "thread_grind": "Grind",
}


def _size(req: Requirement) -> str:
    if req.feature_type in {"external_cylinder", "hole"} and req.size:
        return f"Ø{req.size:g}{req.fit or ''}"
    if req.feature_type in {"keyway", "slot"} and req.width:
        return f"{req.width:g}{req.fit or ''}"
    return ""


def target(req: Requirement) -> str:
    """Size, tolerance and roughness the drawing asks ("Ø40k6, Ra 0.8"; "IT12, Ra 12.5" without a size)."""
    if req.feature_type in {"external_thread", "internal_thread"}:
        return req.designation or f"M{req.size:g}"
    if req.feature_type == "gear_teeth":
        return f"grade {req.it}, Ra {req.ra:g}"
    size = _size(req)
    tolerance = "" if req.fit else f"IT{req.it}, "
    return f"{size}, Ra {req.ra:g}" if size and req.fit else f"{size + ' ' if size else ''}{tolerance}Ra {req.ra:g}"


def transition_text(process: Process, req: Requirement, final: bool, stock_left: float) -> str:
    """One transition in the imperative: the finishing step names the drawing's target, earlier ones the stock left."""
    count = f" ({req.count} places)" if req.count > 1 else ""
    if req.feature_type in {"external_thread", "internal_thread"} and process.kind == "threading":
        verb = _THREAD_VERB.get(process.code, "Turn")
        return f"{verb} thread {req.feature_id} {target(req)}{count}"
    if process.code == "tap_drill":
        return f"Drill tap hole for {req.feature_id} {target(req)}{count}"
    verb = _VERB.get(process.kind, process.name.lower())
    action = (
        f"{_STAGE.get(process.stage, '')}{verb}"
        if process.kind in {"turning", "boring", "milling", "grinding"}
        else verb.capitalize()
    )
    noun = _NOUN.get(req.feature_type, req.feature_type.replace("_", " "))
    end = f"to {target(req)}" if final else f"leaving {round(stock_left, 2):g} mm per side" if stock_left else ""
    return " ".join(part for part in (action, noun, req.feature_id, end) if part) + count


# Cutting fluid by operation family and material group (route-review-rules.md, Table 6)
_FAMILY = {
    "turning": "cutting",
    "boring": "cutting",
    "milling": "cutting",
    "drilling": "cutting",
    "countersinking": "cutting",
    "facing_centering": "cutting",
    "reaming": "reaming",
    "threading": "threading",
    "broaching": "threading",
    "gear_cutting": "gears",
    "gear_finishing": "gears",
    "grinding": "grinding",
    "superfinishing": "grinding",
}
_COOLANT = {
    ("cutting", "steel"): "emulsion 3-5 %",
    ("cutting", "stainless"): "emulsion of higher concentration",
    ("cutting", "cast_iron"): "dry (compressed air)",
    ("cutting", "aluminium"): "emulsion",
    ("cutting", "copper_alloy"): "emulsion",
    ("reaming", "steel"): "emulsion",
    ("reaming", "stainless"): "sulphurised oil",
    ("reaming", "cast_iron"): "dry",
    ("threading", "steel"): "sulphurised cutting oil",
    ("threading", "stainless"): "sulphurised cutting oil",
    ("threading", "cast_iron"): "dry",
    ("gears", "steel"): "cutting oil",
    ("gears", "stainless"): "cutting oil",
    ("gears", "cast_iron"): "dry",
    ("grinding", "steel"): "grinding emulsion",
    ("grinding", "stainless"): "synthetic coolant",
    ("grinding", "cast_iron"): "grinding emulsion",
}


def coolant(kind: str, group: str) -> str | None:
    """The cutting fluid of an operation kind on a material group; None for operations that cut nothing."""
    family = _FAMILY.get(kind)
    if family is None:
        return None
    return _COOLANT.get((family, group), "emulsion")
