"""`prepro eval run --dry-run`: the LLM calls, tokens and cost a run would spend, before spending them.

Per case, each suite's drafts make a known number of calls of about a known size (measured on the bundled model:
a 13-operation route card is three calls of about 1,500 prompt and 320 completion tokens). The judge asks one
verdict per statement and passage set, about four per answer statement with three statements an answer. These are
estimates, upper bounds where the cache already holds replies (a cached reply or verdict costs nothing).
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.llm.tokens import count_tokens
from assistant.resources import prompts_dir

PASSAGE_TOKENS = 220  # a chunk is bounded at 200 cl100k tokens, plus its delimiters and attributes
# suite -> (calls per case, the prompt they use, extra prompt tokens per call, completion tokens per call)
PER_CASE: dict[str, tuple[float, str, int, int]] = {
    "answers": (1, "grounded_answer", 5 * PASSAGE_TOKENS + 30, 150),
    "routing": (3, "route_card", 1000, 320),
    "design": (5, "design_section", 3 * PASSAGE_TOKENS + 150, 250),
    "research": (1, "research_brief", 4 * PASSAGE_TOKENS + 300, 400),
    "organization": (1, "organization_summary", 400, 150),
}
JUDGE_CALLS_PER_ANSWER = 12
JUDGE_PROMPT_EXTRA = PASSAGE_TOKENS * 2 + 40
JUDGE_COMPLETION = 40


@dataclass(frozen=True)
class Estimate:
    """Calls and tokens of one part of a run (a suite's drafts, or the judge)."""

    what: str
    calls: int
    prompt_tokens: int
    completion_tokens: int

    def cost(self, price: tuple[float, float]) -> float:
        """USD at (prompt, completion) USD per million tokens."""
        return (self.prompt_tokens * price[0] + self.completion_tokens * price[1]) / 1_000_000


def _prompt_tokens(name: str) -> int:
    return count_tokens((prompts_dir() / f"{name}.md").read_text(encoding="utf-8"))


def estimate(cases: dict[str, int], repeats: int, llm_under_test: bool, judged: bool) -> list[Estimate]:
    """Estimates per suite (cases per suite as selected) for the provider under test and for the judge."""
    rows = []
    for suite, count in sorted(cases.items()):
        if llm_under_test and suite in PER_CASE:
            per_case, prompt, extra, completion = PER_CASE[suite]
            calls = round(per_case * count * repeats)
            rows.append(Estimate(suite, calls, calls * (_prompt_tokens(prompt) + extra), calls * completion))
    answers = cases.get("answers", 0)
    if judged and answers:
        calls = JUDGE_CALLS_PER_ANSWER * answers * repeats
        size = _prompt_tokens("eval_judge") + JUDGE_PROMPT_EXTRA
        rows.append(Estimate("judge", calls, calls * size, calls * JUDGE_COMPLETION))
    return rows
