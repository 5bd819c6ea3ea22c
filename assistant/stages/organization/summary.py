"""The plan's summary: offline, a few sentences built from its figures; with an LLM, the same rewritten from the
figures and the retrieved passages. A summary that states a figure the plan does not have is refused (the offline
one is kept, with a warning); an LLM that fails leaves the offline summary and an `llm-failed` warning."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.chat.figures import unsupported_figures
from assistant.citation import Citation
from assistant.errors import ProviderError
from assistant.llm.client import LLM
from assistant.llm.model import Step
from assistant.llm.prompts import load_prompt, passages_block
from assistant.retrieval.models import Passage
from assistant.stages.base import StageContext
from assistant.stages.findings import Severity, count, merge_findings, warning
from assistant.stages.organization.flow import number
from assistant.stages.organization.model import OrgRule
from assistant.stages.organization.plan import OrgPlan

_MARK = re.compile(r"\[(\d+)\]")


def _line(plan: OrgPlan) -> list[str]:
    available = f" ({number(plan.available_min_per_day)} min available a day)" if plan.available_min_per_day else ""
    proven = ", proven the fewest" if plan.balance and plan.balance.optimal else ""
    return [
        f"Line {plan.plan_id}: takt {number(plan.takt_min)} min{available}.",
        f"{number(plan.total_work_min)} min of work per piece on {len(plan.stations)} stations (theoretical minimum "
        f"{plan.min_stations}), efficiency {plan.efficiency:.1%}, balance delay {plan.balance_delay:.1%} "
        f"({plan.method}{proven}).",
    ]


def _sections(plan: OrgPlan) -> list[str]:
    text = []
    if plan.equipment:
        machines, operators = sum(e.machines for e in plan.equipment), sum(e.operators for e in plan.equipment)
        text.append(f"{machines} machines and {operators} operators.")
    if plan.kanban:
        text.append("Kanban: " + "; ".join(f"{k.item} {k.cards} cards" for k in plan.kanban) + ".")
    if plan.simulation:
        s = plan.simulation
        verdict = "met" if s.meets_demand else "may be missed"
        text.append(
            f"Simulated throughput {number(s.throughput_per_shift)} per shift ({number(s.ci_low)}.."
            f"{number(s.ci_high)}) against a demand of {number(s.demand_per_shift)}: {verdict}; "
            f"bottleneck station {s.bottleneck}."
        )
    if plan.schedule:
        s2 = plan.schedule
        text.append(f"Launch order {', '.join(s2.sequence)} ({s2.method}), makespan {number(s2.makespan_min)} min.")
    if plan.cost:
        c = plan.cost
        line = f"Cost {number(c.per_piece)} per piece, {number(c.per_year)} a year at batch {c.batch_size}"
        if c.break_even and c.break_even.whole_batch is not None:
            line += f"; {c.break_even.cheaper_large} is no dearer from a batch of {c.break_even.whole_batch}"
        text.append(line + ".")
    if plan.salbp2:
        text.append(f"On {plan.salbp2.stations} stations the least cycle is {number(plan.salbp2.cycle_min)} min.")
    return text


def offline_summary(plan: OrgPlan) -> str:
    """A few sentences from the plan's figures, and how many findings need a look."""
    text = _line(plan) + _sections(plan)
    errors, warnings = count(plan.findings, Severity.ERROR), count(plan.findings, Severity.WARNING)
    if errors or warnings:
        text.append(f"{errors} error(s) and {warnings} warning(s) to review.")
    return " ".join(text)


# ---- the LLM's wording


@dataclass(frozen=True)
class _Wording:
    """What the wording step works on: the plan with its offline summary, and the context (retrieval)."""

    plan: OrgPlan
    ctx: StageContext


def _keep(value: _Wording) -> OrgPlan:
    return value.plan


def _query(plan: OrgPlan) -> str:
    extra = [name for name in ("kanban", "simulation", "schedule", "cost") if getattr(plan, name)]
    return f"takt time line balancing stations efficiency {' '.join(extra)}"


def _cited(text: str, passages: list[Passage]) -> tuple[str, list[Citation]]:
    cited = [passages[int(n) - 1].citation for n in _MARK.findall(text) if 1 <= int(n) <= len(passages)]

    def label(match: re.Match[str]) -> str:
        n = int(match.group(1))
        return f"[{passages[n - 1].citation.label()}]" if 1 <= n <= len(passages) else ""

    return _MARK.sub(label, text), cited


def _with_warning(plan: OrgPlan, rule: OrgRule, message: str) -> OrgPlan:
    return plan.model_copy(update={"findings": merge_findings([*plan.findings, warning(rule, message)])})


def _reword(llm: LLM, value: _Wording) -> OrgPlan:
    """The summary rewritten from the plan's figures and the passages; refused if it adds a figure."""
    plan = value.plan
    passages = value.ctx.retrieve(_query(plan)).passages
    block, _ = passages_block(passages)
    figures = plan.model_dump_json(exclude={"summary", "five_s"})
    messages = load_prompt("organization_summary").render(
        passages=block or "(none)", plan=figures, summary=plan.summary or ""
    )
    try:
        text, _ = llm.complete(messages, "organization_summary")
    except ProviderError as exc:
        return _with_warning(
            plan, OrgRule.LLM_FAILED, f"{llm.provider} model {llm.model_name}: {exc}; the offline summary is kept"
        )
    text = " ".join(text.split())
    added = unsupported_figures(text, [figures, plan.summary or ""])
    if not text or added:
        what = f"states figures the plan does not have ({', '.join(added[:6])})" if added else "was empty"
        return _with_warning(plan, OrgRule.FIGURES, f"the LLM's summary {what}; the offline summary is kept")
    worded, cited = _cited(text, passages)
    sources = list({(c.doc, c.section): c for c in [*plan.sources, *cited]}.values())
    return plan.model_copy(update={"summary": worded, "sources": sources, "provider": llm.label})


SUMMARY = Step("organization_summary", _keep, _reword)


def summarise(ctx: StageContext, plan: OrgPlan) -> OrgPlan:
    """The plan with its offline summary, reworded by the LLM when the model is one."""
    offline = plan.model_copy(update={"summary": offline_summary(plan)})
    return ctx.model.run(SUMMARY, _Wording(offline, ctx))
