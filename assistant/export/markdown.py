"""The route card as Markdown, for reading and review."""

from __future__ import annotations

from assistant.export.card import CardHeader
from assistant.route_card import RoutingDraft


def _cell(text: str) -> str:
    return text.replace("|", "/").replace("\n", " ")


def to_markdown(draft: RoutingDraft, header: CardHeader) -> bytes:
    """Header, the operations table, each operation's tooling and rationale, findings and sources."""
    lines = [f"# Route card — {header.part_id} {header.name}".rstrip(), ""]
    lines += [f"- **{label}:** {value}" for label, value in header.rows()[1:]] + [
        f"- **Drafted by:** {draft.provider}",
        "",
    ]
    lines += [
        "| No | Operation | Kind / stage | Features | Equipment | Tsetup, min | Tpiece, min |",
        "|---|---|---|---|---|---|---|",
    ]
    for op in draft.operations:
        kind = f"{op.kind} / {op.stage}" if op.stage else op.kind
        lines.append(
            f"| {op.number} | {_cell(op.name)} | {kind} | {', '.join(op.features)} | "
            f"{op.equipment.model} {_cell(op.equipment.type)} | {op.setup_time_min} | {op.piece_time_min} |"
        )
    lines.append("")
    for op in draft.operations:
        lines += [f"## {op.number} {op.name}", ""]
        for label, items in (("Fixtures", op.fixtures), ("Tools", op.tools), ("Measuring", op.measuring)):
            if items:
                lines.append(f"- **{label}:** {'; '.join(items)}")
        lines.append(f"- **Worker:** {op.profession}, grade {op.worker_grade}")
        lines.append(f"- **Why:** {op.rationale}")
        cites = ", ".join(f"{s.doc} §{s.section}" if s.section else s.doc for s in op.sources)
        lines += [f"- **Sources:** {cites}", ""]
    lines += ["## Findings", ""]
    lines += [
        f"- **{f.severity}** `{f.rule}`{' op ' + f.operation if f.operation else ''}"
        f"{' ' + f.feature if f.feature else ''}: {f.message}"
        for f in draft.findings
    ] or ["- none"]
    lines += ["", "## Sources", ""]
    lines += [
        f"- {s.doc}" + (f" §{s.section}" if s.section else "") + (f", p. {s.page}" if s.page else "")
        for s in draft.sources
    ]
    return ("\n".join(lines) + "\n").encode()
