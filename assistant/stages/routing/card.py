"""The route card's content, whatever it is rendered as: the header, the machine written once, the O lines of an
operation (setups and transitions, or its features), the cutting values of the R rows, and the rows of the GOST
3.1118 card in order (M, A, B, O, T) with their columns and the signature fields."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.engineering.operations import KINDS
from assistant.stages.routing.model import Cutting, Equipment, Operation, RoutingDraft


@dataclass(frozen=True)
class CardHeader:
    """The header of a route card: part, material, blank and production data."""

    part_id: str
    name: str = ""
    material: str = ""
    hardness: str = ""
    blank: str = ""
    mass_kg: float | None = None
    annual_volume: int | None = None
    batch_size: int | None = None
    production: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def rows(self) -> list[tuple[str, str]]:
        """Label and value pairs, empty values left out."""
        pairs = [
            ("Part", f"{self.part_id} {self.name}".strip()),
            ("Material", self.material),
            ("Hardness", self.hardness),
            ("Blank", self.blank),
            ("Mass, kg", f"{self.mass_kg:.2f}" if self.mass_kg else ""),
            ("Annual volume", str(self.annual_volume or "")),
            ("Batch size", str(self.batch_size or "")),
            ("Production type", self.production.replace("_", " ")),
            *self.extra.items(),
        ]
        return [(label, value) for label, value in pairs if value]


def workshop(op: Operation) -> str:
    """Workshop of an operation (machining unless blank preparation or heat treatment)."""
    return KINDS[op.kind].workshop


def section(op: Operation) -> str:
    """Section of the workshop where an operation is done."""
    return KINDS[op.kind].section


# ---- equipment: model and name, once (route-review-rules.md, clause 7.4)

_FILLER = frozenset({"machine", "and", "with", "for", "the", "of", "a", "an", "type"})
_SUFFIXES = ("ing", "er", "s")


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _stems(text: str) -> set[str]:
    """The significant words of a text, lower-case and stemmed ("grinder" and "grinding" both "grind")."""
    words = re.findall(r"[a-z0-9']+", text.lower().replace("-", " "))
    return {_stem(w) for w in words if w not in _FILLER and re.search(r"[a-z]", w) and len(w) > 1}


def _same(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    return a == b or (len(short) >= 4 and long.startswith(short))


def _covered(phrase: str, text: str) -> bool:
    """Whether every significant word of `phrase` is already in `text`."""
    words = _stems(text)
    return all(any(_same(p, w) for w in words) for p in _stems(phrase))


def machine_label(model: str, name: str, kind: str) -> str:
    """How a machine is written on the card: model and name, the catalogue type added only when they lack it.

    A descriptive model ("Chamber jet washing machine") that already shares words with the name stands alone, so
    that nothing reads twice ("Chamber jet washing machine washing machine").
    """
    label = model.strip()
    if name and not (_stems(model) & _stems(name)):
        label = f"{label} {name}".strip()
    if kind and not _covered(kind, label):
        label = f"{label}, {kind}" if name and label else f"{label} {kind}".strip()
    return label


def equipment_label(equipment: Equipment) -> str:
    """The equipment of an operation as model and name, with the name from the equipment catalogue."""
    from assistant.catalog import load_catalog

    machine = load_catalog().machine(equipment.model)
    return machine_label(equipment.model, machine.name if machine else "", equipment.type)


# ---- the content of the operations (O rows) and their tooling (T rows)


def number(value: float | None) -> str:
    """A number as printed on a card: up to three decimals, no trailing zeros; empty for None."""
    if value is None:
        return ""
    return f"{value:.3f}".rstrip("0").rstrip(".")


def feature_content(op: Operation) -> str:
    """The O line of an operation without setups: its name and the surfaces (features) it works."""
    if not op.features:
        return op.name
    noun = "surface" if len(op.features) == 1 else "surfaces"
    return f"{op.name}: {noun} {', '.join(op.features)}"


def content_lines(op: Operation) -> list[str]:
    """The O lines of an operation: "Setup A" and one numbered line per transition, else the feature line."""
    lines: list[str] = []
    for setup in op.setups:
        lines.append(f"Setup {setup.id}" + (f": {setup.clamping}" if setup.clamping else ""))
        lines += [f"{t.n}. {t.text}" for t in setup.transitions]
    return lines or [feature_content(op)]


def tooling(op: Operation) -> list[str]:
    """The T lines of an operation: fixtures, cutting tools, measuring tools."""
    return [*op.fixtures, *op.tools, *op.measuring]


def cutting_values(cutting: Cutting) -> tuple[str, str, str, str, str]:
    """The R row of a transition: depth t, feed s, spindle speed n, cutting speed v, main time To."""
    return (
        number(cutting.depth_mm),
        number(cutting.feed_mm_rev),
        number(cutting.rpm),
        number(cutting.speed_m_min),
        number(cutting.main_time_min),
    )


def cutting_text(cutting: Cutting) -> str:
    """Cutting data in one line, the values that are known."""
    units = ("t {} mm", "s {} mm/rev", "n {} rev/min", "v {} m/min", "To {} min")
    return ", ".join(u.format(v) for u, v in zip(units, cutting_values(cutting), strict=True) if v)


def main_time(op: Operation) -> float | None:
    """To of an operation: the sum of its transitions' main times, None when none is known."""
    times = [t.cutting.main_time_min for s in op.setups for t in s.transitions if t.cutting]
    known = [t for t in times if t is not None]
    return sum(known) if known else None


# ---- the route card (GOST 3.1118): one row per service line

COLUMNS = (
    "Sym",
    "No",
    "Workshop",
    "Section",
    "Workplace",
    "Oper.",
    "Operation (code, name)",
    "Equipment (model, name)",
    "Profession",
    "Grade",
    "Tp.z., min",
    "Tsht, min",
)
CONTENT_FROM = 2  # M, O and T rows write their content from this column to the last, in one wide cell
SIGNATURES = ("Developed (Razrab.)", "Checked (Prover.)", "Approved (Utv.)", "Standards control (N.kontr.)")
SIGNATURE_COLUMNS = ("", "Name", "Signature", "Date")


@dataclass(frozen=True)
class CardRow:
    """One service line of a card: A and B rows fill the columns, M, O and T rows carry one content text."""

    symbol: str
    cells: tuple[str, ...] = ()
    text: str = ""


def material_rows(draft: RoutingDraft, header: CardHeader) -> list[CardRow]:
    """The M01 (material) and M02 (blank, masses, consumption rate, KIM) lines, those that are known."""
    rows = [CardRow("M", text=header.material)] if header.material else []
    parts: list[str] = []
    blank = draft.blank
    if blank is not None:
        parts.append(f"blank {blank.kind} {blank.size}".strip())
    elif header.blank:
        parts.append(f"blank {header.blank}")
    if parts and header.mass_kg:
        parts.append(f"part mass MD {header.mass_kg:.2f} kg")
    if blank is not None:
        parts += [
            f"{label} {value}"
            for label, value in (
                ("blank mass MZ", f"{blank.mass_kg:.2f} kg" if blank.mass_kg is not None else ""),
                (
                    "consumption rate N.rash.",
                    f"{blank.consumption_kg:.2f} kg" if blank.consumption_kg is not None else "",
                ),
                ("KIM", f"{blank.utilisation:.2f}" if blank.utilisation is not None else ""),
            )
            if value
        ]
    if parts:
        rows.append(CardRow("M", text="; ".join(parts)))
    return rows


def operation_rows(op: Operation) -> list[CardRow]:
    """The A, B, O and T lines of one operation."""
    a = (workshop(op), section(op), "", op.number, op.name, "", "", "", "", "")
    b = (
        "",
        "",
        "",
        "",
        "",
        equipment_label(op.equipment),
        op.profession,
        str(op.worker_grade or ""),
        number(op.setup_time_min),
        number(op.piece_time_min),
    )
    return [
        CardRow("A", a),
        CardRow("B", b),
        *(CardRow("O", text=line) for line in content_lines(op)),
        *(CardRow("T", text=item) for item in tooling(op)),
    ]


def card_rows(draft: RoutingDraft, header: CardHeader) -> list[CardRow]:
    """Every service line of the route card: M01/M02, then A, B, O, T per operation."""
    rows = material_rows(draft, header)
    for op in draft.operations:
        rows += operation_rows(op)
    return rows
