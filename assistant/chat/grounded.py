"""Grounded question answering: condense the follow-up, retrieve, answer only from cited passages."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from assistant.chat.calculators import CALCULATE, Computed, locate
from assistant.chat.extractive import compose, extract
from assistant.chat.figures import unsupported_figures
from assistant.citation import Citation
from assistant.llm.client import LLM, Usage
from assistant.llm.model import Model, Step
from assistant.llm.prompts import load_prompt, passages_block
from assistant.llm.sanitize import neutralize
from assistant.retrieval.access import Allowed
from assistant.retrieval.index import KnowledgeIndex
from assistant.retrieval.models import Passage

NO_ANSWER = "The indexed documents do not answer this question."
_MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?\b")
_FOLLOW_UP = re.compile(r"\b(it|its|this|that|these|those|they|them|one|same|above|previous)\b", re.I)


class Turn(BaseModel):
    """One message of the conversation so far."""

    role: Literal["user", "assistant"]
    content: str


class AnswerCitation(Citation):
    """A passage the answer cites, by its marker number."""

    n: int
    title: str = ""
    quote: str = ""


class Answer(BaseModel):
    """An answer with its citations, the provider that made it and what it cost."""

    question: str
    standalone_question: str
    answer: str
    citations: list[AnswerCitation] = Field(default_factory=list)
    provider: str
    grounded: bool
    usage: Usage = Field(default_factory=Usage)
    warnings: list[str] = Field(default_factory=list)


def as_turns(history: Sequence[Turn | dict[str, str] | tuple[str, str]] | None) -> list[Turn]:
    """Accept turns as models, {'role', 'content'} dicts or (role, content) pairs."""
    turns = []
    for item in history or []:
        if isinstance(item, Turn):
            turns.append(item)
        elif isinstance(item, dict):
            turns.append(Turn.model_validate(item))
        else:
            turns.append(Turn(role=item[0], content=item[1]))  # type: ignore[arg-type]
    return turns


def offline_standalone(question: str, history: list[Turn]) -> str:
    """Without an LLM: a short or pronoun-bearing follow-up borrows the previous user question's words."""
    previous = next((t.content for t in reversed(history) if t.role == "user"), None)
    if not previous or (len(question.split()) > 6 and not _FOLLOW_UP.search(question)):
        return question
    if _NUMBER.search(question):  # the follow-up's own numbers replace the earlier ones
        previous = _NUMBER.sub("", previous)
    return f"{question} ({' '.join(previous.split())})"


def cited_numbers(text: str, count: int) -> tuple[list[int], list[int]]:
    """Valid marker numbers in order of first use, and invalid ones."""
    valid: list[int] = []
    invalid: list[int] = []
    for group in _MARKER.findall(text):
        for n in (int(x) for x in group.split(",")):
            bucket = valid if 1 <= n <= count else invalid
            if n not in bucket:
                bucket.append(n)
    return valid, invalid


def _citation(n: int, passage: Passage, section: str | None = None) -> AnswerCitation:
    return AnswerCitation(
        n=n,
        doc=passage.doc,
        page=passage.page,
        section=section or passage.section,
        title=passage.title,
        quote=passage.text[:300],
    )


def _quoted_clause(quote: str, passage: Passage) -> str | None:
    """The clause number a quoted sentence starts with, when it is one of the passage's clauses."""
    head = quote.split(" ", 1)[0].rstrip(".")
    return head if head in passage.clauses else None


@dataclass(frozen=True)
class _Request:
    """What the answering step works on."""

    answer: Answer
    question: str
    passages: list[Passage]
    sink: Callable[[str], None] | None


@dataclass
class GroundedChat:
    """The question-answering chain over one index and one model (an LLM, or the offline model)."""

    index: KnowledgeIndex
    model: Model
    k: int = 5
    min_similarity: float = 0.3
    allowed: Allowed | None = None  # access levels the asker may read (None: every level)

    def ask(
        self,
        question: str,
        history: Sequence[Turn | dict[str, str] | tuple[str, str]] | None = None,
        sink: Callable[[str], None] | None = None,
    ) -> Answer:
        """Answer from the indexed documents; `sink` receives the answer text as it is produced."""
        turns, usage = as_turns(history), Usage()
        computed = self.model.run(CALCULATE, (question, usage))  # a question that gives every quantity
        if computed is not None:
            return self._computed(question, computed, usage, sink)
        standalone = self.model.run(Step("condense", self._condense_offline, self._condense), (question, turns, usage))
        passages = self._relevant(standalone, self.index.search(standalone, k=self.k, allowed=self.allowed))
        answer = Answer(
            question=question,
            standalone_question=standalone,
            answer=NO_ANSWER,
            provider=self.model.label,
            grounded=False,
            usage=usage,
        )
        if not passages:
            if sink:
                sink(NO_ANSWER)
            return answer
        return self.model.run(
            Step("answer", self._extractive, self._generative), _Request(answer, standalone, passages, sink)
        )

    # ---- computed answers: a question that gives every quantity of a formula ---------------------------
    def _computed(self, question: str, computed: Computed, usage: Usage, sink: Callable[[str], None] | None) -> Answer:
        """The calculator's answer, citing the formula's clause(s) with the indexed passage's page and title."""
        citations = []
        for n, source in enumerate(computed.sources, start=1):
            if not self.index.readable(source.doc, self.allowed):
                continue  # the formula is the code's; the document it is cited from is not the asker's to see
            passage = locate(self.index, source, self.allowed)
            cited = _citation(n, passage, source.section) if passage else None
            citations.append(cited or AnswerCitation(n=n, doc=source.doc, section=source.section))
        if sink:
            sink(computed.text)
        return Answer(
            question=question,
            standalone_question=question,
            answer=computed.text,
            citations=citations,
            provider=self.model.label,
            grounded=True,
            usage=usage,
        )

    # ---- retrieval and answering ------------------------------------------------------------------
    @staticmethod
    def _condense_offline(value: tuple[str, list[Turn], Usage]) -> str:
        question, turns, _ = value
        return offline_standalone(question, turns) if turns else question

    @staticmethod
    def _condense(llm: LLM, value: tuple[str, list[Turn], Usage]) -> str:
        question, turns, usage = value
        if not turns:
            return question
        history = "\n".join(f"{t.role}: {t.content}" for t in turns[-6:])
        text, used = llm.complete(
            load_prompt("condense_question").render(history=history, question=question), step="condense"
        )
        usage.add(used)
        return text.strip().splitlines()[0] if text.strip() else question

    def _relevant(self, query: str, passages: list[Passage]) -> list[Passage]:
        """Nothing when the index's nearest chunk is too far from the question; else the passages not far off."""
        if not passages or self.index.top_similarity(query, self.allowed) < self.min_similarity:
            return []
        floor = self.min_similarity * 0.6
        return [p for p in passages if p.similarity is None or p.similarity >= floor]

    def _extractive(self, request: _Request) -> Answer:
        answer, question, passages, sink = request.answer, request.question, request.passages, request.sink
        cleaned = [neutralize(p.text) for p in passages]
        extracts = extract(
            question,
            [text for text, _ in cleaned],
            embed=self.index.embeddings.embed_documents,
            headings=[p.heading for p in passages],
        )
        text = compose(extracts) if extracts else NO_ANSWER
        if sink:
            sink(text)
        if not extracts:
            return answer
        warnings = [
            f"passage [{n}] ({p.citation.label()}): instruction-like text removed"
            for n, (p, (_, removed)) in enumerate(zip(passages, cleaned, strict=True), start=1)
            if removed
        ]
        citations = []
        for n in sorted({e.unit.n for e in extracts}):
            quoted = [e.unit.text for e in extracts if e.unit.n == n]
            citations.append(_citation(n, passages[n - 1], _quoted_clause(quoted[0], passages[n - 1])))
        return answer.model_copy(
            update={"answer": text, "grounded": True, "warnings": warnings, "citations": citations}
        )

    @staticmethod
    def _generative(llm: LLM, request: _Request) -> Answer:
        answer, question, passages, sink = request.answer, request.question, request.passages, request.sink
        block, warnings = passages_block(passages)
        messages = load_prompt("grounded_answer").render(passages=block, question=question)
        if sink:
            text, used = llm.stream(messages, step="answer", sink=sink)
        else:
            text, used = llm.complete(messages, step="answer")
        answer.usage.add(used)
        text = text.strip()
        if not text or text.startswith(NO_ANSWER):
            return answer.model_copy(update={"warnings": warnings})
        valid, invalid = cited_numbers(text, len(passages))
        if invalid:
            warnings.append(f"the model cited passages that do not exist: {invalid}; those markers were removed")
            text = _MARKER.sub(
                lambda m: "" if any(int(x) in invalid for x in m.group(1).split(",")) else m.group(0), text
            )
        if not valid:
            warnings.append("the model cited no passage; check the answer against the passages listed")
            valid = list(range(1, len(passages) + 1))
        invented = unsupported_figures(text, [passages[n - 1].text for n in valid], question)
        if invented:
            warnings.append(f"figures found in no cited passage: {', '.join(invented)}; check them against the sources")
        return answer.model_copy(
            update={
                "answer": text,
                "grounded": True,
                "warnings": warnings,
                "citations": [_citation(n, passages[n - 1]) for n in valid],
            }
        )
