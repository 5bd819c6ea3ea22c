"""What the documents add to a request: quoted requirements, the standards they come from, analogues.

Each topic says when it applies to a request, what to retrieve, and which sentence of the retrieved passages
states the requirement. The sentence is quoted word for word (“…”) with the clause it stands in, so a check can
find it again; the lead before the quote carries only numbers of the request or of the tools (a bearing's bore).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.citation import Citation
from assistant.retrieval.models import Passage
from assistant.stages.base import Retrieved
from assistant.stages.research.facts import RequestFacts
from assistant.stages.research.model import Reference
from assistant.stages.research.words import PART_WORDS

Retrieve = Callable[[str], Retrieved]
QUOTE = re.compile(r"“([^”]+)”")
_CLAUSE = re.compile(r"^(\d+(?:\.\d+)+)\s+(.*)$")
_FIT = re.compile(r"\b(?:js|[kmjn])6\b")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a passage and the clause it stands in."""

    text: str
    citation: Citation


@dataclass(frozen=True)
class Quote:
    """A requirement found in a document: its lead, the quoted sentence, where it stands, and why it matters."""

    lead: str
    sentence: Sentence
    why: str

    @property
    def text(self) -> str:
        """The requirement as the brief writes it: `lead — “sentence”`."""
        return f"{self.lead} — “{self.sentence.text}”"


def sentences(passage: Passage) -> list[Sentence]:
    """The sentences of a passage (table rows count as one), each cited with its own clause number."""
    clause = passage.section
    found = []
    for raw in passage.text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or set(line) <= set("|-: "):
            continue
        match = _CLAUSE.match(line)
        if match:
            clause, line = match.group(1), match.group(2)
        for text in re.split(r"(?<=[a-z0-9)%])\.\s+(?=[A-Z])", line):
            text = text.strip()
            if text:
                found.append(Sentence(text, Citation(doc=passage.doc, section=clause, page=passage.page)))
    return found


def normalized(text: str) -> str:
    """Text compared for containment: case and runs of white space ignored, the final full stop dropped."""
    return " ".join(text.split()).casefold().rstrip(".")


def contains(passage: Passage, claim: str) -> bool:
    """True when the passage holds the claim word for word (case and spacing aside)."""
    return normalized(claim) in normalized(passage.text)


def claim_of(text: str) -> str:
    """What a document-origin requirement claims: its quoted sentence, or the whole text when nothing is quoted."""
    match = QUOTE.search(text)
    return match.group(1) if match else text


def lead_of(text: str) -> str:
    """The words before the quote of a requirement."""
    return QUOTE.sub("", text).strip().rstrip(":—-– ").strip()


# ---- topics ----------------------------------------------------------------------------------------------


def _bearing_lead(facts: RequestFacts, sentence: str) -> str:
    fit = _FIT.search(sentence)
    if facts.kind == "housing":
        return "Bores for the outer rings of " + ", ".join(f"{b.label}" for b in facts.bearings) + " bearings: H7"
    seats = "; ".join(f"{b.label} bearings: Ø{b.low:g} {fit.group(0) if fit else ''}".rstrip() for b in facts.bearings)
    return f"Bearing seats for {seats}"


def _words(pattern: str) -> Callable[[RequestFacts], bool]:
    return lambda facts: bool(re.search(pattern, facts.text, re.I))


@dataclass(frozen=True)
class Topic:
    """When a topic applies, what to retrieve, which sentence to quote, and how the requirement is led in."""

    name: str
    applies: Callable[[RequestFacts], bool]
    query: str
    pattern: str
    why: str
    lead: Callable[[RequestFacts, str], str]
    requirement: bool = True  # False: a standard to cite, not a requirement


def _fixed(text: str) -> Callable[[RequestFacts, str], str]:
    return lambda facts, sentence: text


TOPICS: tuple[Topic, ...] = (
    Topic(
        "bearing seat fit",
        lambda f: bool(f.bearings) and f.kind != "housing",
        "shaft seat fit for a rotating inner ring of a rolling bearing k6 m6",
        r"\bshaft seat\b.*\b(?:js|[kmjn])6\b",
        "fits of rolling-bearing seats",
        _bearing_lead,
    ),
    Topic(
        "bearing bore fit",
        lambda f: bool(f.bearings) and f.kind == "housing",
        "housing bore for the stationary outer ring of a rolling bearing H7",
        r"\bhousing bore is H7\b",
        "fits of rolling-bearing housing bores",
        _bearing_lead,
    ),
    Topic(
        "bearing seat finish",
        lambda f: bool(f.bearings),
        "bearing seats on shafts ground IT6 Ra housing bores IT7",
        r"[Bb]earing seats on shafts are normally ground",
        "accuracy and roughness of bearing seats",
        _fixed("Accuracy and roughness of the bearing seats"),
    ),
    Topic(
        "keyed joint",
        _words(r"\bkey(?:ed|way|ways|s)?\b"),
        "key section b x h selected by the shaft diameter keyway depth",
        r"key section b x h is selected by the shaft diameter",
        "parallel key sizes by shaft diameter",
        _fixed("Keyed joint: key section by the shaft diameter"),
    ),
    Topic(
        "keyway finish",
        _words(r"\bkey(?:ed|way|ways)\b"),
        "working side faces of keyways roughness Ra",
        r"working side faces of keyways",
        "roughness of keyways",
        _fixed("Roughness of the keyway faces"),
    ),
    Topic(
        "hardness needed",
        lambda f: f.surface_implied and f.hardness is None,
        "functional need for hardness gear teeth splines wear surfaces journals heat treatment hardness range",
        r"functional need for hardness",
        "hardness of working surfaces stated on the drawing",
        _fixed("Working surfaces: heat treatment and hardness range to be stated"),
    ),
    Topic(
        "local hardening",
        lambda f: f.treatment == "induction" or (f.treatment is None and f.surface_implied and f.kind == "shaft"),
        "induction hardening is local shaft journals splines gear rims",
        r"[Ii]nduction hardening is local",
        "local (induction) hardening of working surfaces",
        _fixed("Local hardening of the working surfaces"),
    ),
    Topic(
        "hardened finish",
        lambda f: f.hardness is not None and f.hardness.low_hrc > 35,
        "cutting uneconomic above HRC 35 hardened surfaces finished by grinding",
        r"surfaces hardened above that level are finished by grinding",
        "finishing of hardened surfaces",
        _fixed("Finishing of the hardened surfaces"),
    ),
    Topic(
        "coating",
        lambda f: bool(set(f.environment) & {"outdoor", "wet", "corrosive", "sea water"}),
        "coatings written in the technical requirements designation GOST 9.306 zinc coating",
        r"Coatings are written in the technical requirements",
        "designation of protective coatings",
        _fixed("Protective coating named in the technical requirements"),
    ),
    Topic(
        "cast blank",
        lambda f: f.kind in {"housing", "bracket", "flange"},
        "housings covers and brackets of complex shape cast in every production type",
        r"Housings, covers and brackets of complex shape",
        "choice of the blank",
        lambda f, s: f"Blank of the {f.noun}",
    ),
    Topic(
        "shaft blank",
        lambda f: f.kind == "shaft",
        "stepped shaft made from bar or from a forging",
        r"stepped shaft is made from bar",
        "choice of the blank",
        lambda f, s: f"Blank of the {f.noun}",
    ),
    Topic(
        "thread class",
        _words(r"\bM\d+(?:[x×]\d+(?:\.\d+)?)?\b|\bthread"),
        "medium quality 6H 6g general-purpose machine threads",
        r"Medium quality 6H/6g is used",
        "tolerance classes of metric threads",
        _fixed("Thread tolerance class"),
    ),
    Topic(
        "gear accuracy",
        lambda f: f.kind == "gear",
        "accuracy of gear teeth accuracy grade GOST 1643 ISO 1328 on the drawing",
        r"accuracy of gear teeth is the accuracy grade",
        "accuracy grade of gear teeth",
        _fixed("Accuracy grade of the teeth on the drawing"),
    ),
    Topic(
        "spline centring",
        _words(r"\bsplines?\b|\bsplined\b"),
        "spline centring surface coaxiality hub and shaft",
        r"centring surface fixes the coaxiality",
        "centring of spline connections",
        _fixed("Spline centring"),
    ),
    Topic(
        "general tolerances",
        lambda f: True,
        "general tolerances for dimensions without individual tolerance ISO 2768-1 classes",
        r"ISO 2768-1 \(Russian equivalent",
        "general tolerances of untoleranced dimensions",
        _fixed("General tolerances"),
        requirement=False,
    ),
    Topic(
        "technical requirements",
        lambda f: True,
        "technical requirements above the title block ordered GOST 2.316",
        r"Technical requirements are placed above the title block",
        "order of the technical requirements on the drawing",
        _fixed("Technical requirements"),
        requirement=False,
    ),
)


def quote_topic(topic: Topic, facts: RequestFacts, passages: Sequence[Passage]) -> Quote | None:
    """The first sentence of the passages that states the topic's requirement, quoted with its lead."""
    for passage in passages:
        for sentence in sentences(passage):
            if re.search(topic.pattern, sentence.text):
                return Quote(topic.lead(facts, sentence.text), sentence, topic.why)
    return None


@dataclass
class Found:
    """What the documents gave a request: quotes (requirements), standards only cited, and the retrieval problem."""

    requirements: list[Quote]
    standards: list[Quote]
    problem: str | None


def find_quotes(facts: RequestFacts, retrieve: Retrieve) -> Found:
    """Quote every applicable topic from the knowledge base; an empty or unreachable one gives its problem."""
    found = Found([], [], None)
    for topic in TOPICS:
        if not topic.applies(facts):
            continue
        retrieved = retrieve(topic.query)
        if retrieved.problem:
            found.problem = retrieved.problem
            break
        quote = quote_topic(topic, facts, retrieved.passages)
        if quote:
            (found.requirements if topic.requirement else found.standards).append(quote)
    return found


def standards_of(quotes: Sequence[Quote]) -> list[Reference]:
    """One reference per quoted clause, with why it matters."""
    seen: dict[tuple[str, str | None], Reference] = {}
    for q in quotes:
        c = q.sentence.citation
        seen.setdefault((c.doc, c.section), Reference(doc=c.doc, section=c.section, page=c.page, why=q.why))
    return list(seen.values())


def analogues(
    facts: RequestFacts, retrieve: Retrieve, approved: Sequence[Reference] = (), limit: int = 3
) -> list[Reference]:
    """Worked examples of similar parts in the knowledge base, after `approved` analogues.

    `approved` is the hook for the store of approved drafts (a later stage): references to approved routes or
    briefs of similar parts, listed first.
    """
    if not facts.kind:
        return list(approved)
    words = PART_WORDS[facts.kind]
    features = " ".join(sorted({q.kind.value for q in facts.quantities}))
    retrieved = retrieve(f"worked example {facts.kind} {features}")
    found = list(approved)
    for passage in retrieved.passages:
        for s in sentences(passage):
            if re.match(r"Worked example", s.text) and re.search(rf"\b(?:{words})\b", s.text, re.I):
                why = f"worked example of a similar {facts.noun}: {s.text[:140]}"
                found.append(Reference(doc=s.citation.doc, section=s.citation.section, page=s.citation.page, why=why))
    unique: dict[tuple[str, str | None], Reference] = {}
    for ref in found:
        unique.setdefault((ref.doc, ref.section), ref)
    return list(unique.values())[: len(approved) + limit]
