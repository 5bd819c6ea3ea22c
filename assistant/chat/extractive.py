"""Offline answers: the units of the best passages that answer the question, quoted verbatim with their markers.

The passages are cut into units (assistant/chat/units.py): sentences, table rows under their header, lists and
formula blocks. Each unit is scored against the question by the terms and two-word phrases it shares, its
meaning (when an embedding function is given), the designations it names, for a table row how well its key
cell names the question's subject, and by what the question asks for: a value, a list, a formula or a reason.
The best units make the answer, one line per quoted line with its passage marker.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.chat.units import (
    CLAUSE,
    FORMULA,
    LIST,
    ROW,
    SENTENCE,
    Unit,
    continuation,
    flat_windows,
    formula_terms,
    plain_words,
    sibling_lists,
    table_intro,
    units,
)
from assistant.retrieval.keyword import tokenize

__all__ = ["Extract", "Question", "Unit", "compose", "extract", "read_question", "score_units", "select", "units"]

Embed = Callable[[list[str]], list[list[float]]]

_NUMBER = re.compile(r"(?<![\w.])(?:[ØøM⌀]\s?)?(\d+(?:[.,]\d+)?)(?![\w.]*\d)")
_QUANTITY = re.compile(
    r"(?<![\w.])(?:[ØøM⌀]\s?)?(\d+(?:[.,]\d+)?)(?![\w.]*\d)(?:\s?(mm|µm|μm|um|min|s|h|kg|%|°C|°|MPa|kN|N|m)\b)?"
)
_UNIT_AFTER = re.compile(r"(?:mm|m|µm|um|min|s|h|kg|g|rpm|kW|MPa|N)\b")
_NUMBER_WORDS = dict(
    zip(("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"), range(2, 11), strict=True)
)
_RANGE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:\.\.|…|–|-|to)\s*(\d+(?:\.\d+)?)")
_UP_TO = re.compile(r"(?:\bup to|\bto|≤|<=)\s*(\d+(?:\.\d+)?)", re.I)
_OVER = re.compile(r"(?:\bover|\babove|\bmore than|>)\s*(\d+(?:\.\d+)?)", re.I)
_WORDS = re.compile(r"[\w\-.]+")
_CODE = re.compile(r"^(?:[A-Z]|[A-Z]+\d+[A-Za-z]?\d*)$")  # line B, M02, E3, H7: designations matched as written
# stems of the words that frame a question rather than name its subject: they make no unit relevant
_FRAMING = frozenset(
    {"what", "which", "how", "doe", "do", "did", "should", "shall", "can", "could", "would", "may", "must", "use"}
    | {"give", "given", "get", "my", "we", "you", "your", "need", "want", "when", "where", "who", "whom", "whi"}
    | {"way", "much", "mani", "kind", "type", "usual", "typic"}
)
_SCOPE = re.compile(r"^(?:[\d.]+\s+)?This (?:document|standard|section|part|annex|guide)\b", re.I)
_EXAMPLE = re.compile(r"^(?:[\d.A-Z]+\s+)?(?:(?:Worked )?examples?\b|For (?:example|instance)\b)", re.I)
_REASON = re.compile(
    r"\b(?:because|since|so|therefore|hence|thus|to avoid|in order to|due to|otherwise|prevents?|would)\b", re.I
)

_LIST_QUESTION = re.compile(
    r"\b(?:steps|stages|kinds|types|levels|components|elements|sections|phases|indicators|categories|principles|"
    r"rules|symbols|letters|codes|items|parts of)\b|\b(?:in )?what order\b|\bmake up\b|\blist\b|"
    r"\bwhat (?:information|data)\b|\bwhich (?:data|information)\b",
    re.I,
)
_FORMULA_QUESTION = re.compile(
    r"\b(?:what|which) (?:is|are) the (?:[\w-]+ ){0,4}?formulas?\b|\bformulas? (?:for|of)\b|\bequation\b|"
    r"\bmake up\b|\bconsists? of\b|\bcomponents\b|\bhow (?:is|are|do i|do you|does one|to) (?:\w+ ){0,6}?"
    r"(?:calculated|computed|obtained|determined|calculate|compute|estimated|found|get)\b",
    re.I,
)
_VALUE_QUESTION = re.compile(
    r"\b(?:how (?:much|many|big|deep|long|large|high|thick|wide|fast|often|quickly)|what (?:\w+ ){0,3}?"
    r"(?:value|grade|ra|it|hardness|temperature|size|speed|feed|depth|allowance|tolerance|range|diameter|"
    r"pitch|length|factor|time|percentage|share|accuracy|roughness|clearance|deviation|dimensions?)|"
    r"which (?:\w+ ){0,3}?(?:grade|class|size|section|fit|value|tolerance|diameter))\b",
    re.I,
)
_WHY_QUESTION = re.compile(r"^\s*why\b|\bwhy (?:is|are|do|does|must|should|can)\b|\bwhat is the reason\b", re.I)

# a further unit joins the answer when it scores this share of the best one (less when it covers new terms)
_NEAR, _NEAR_NEW, _NOVELTY = 0.5, 0.3, 2.0


@dataclass(frozen=True)
class Extract:
    """A unit chosen for the answer, with its score and the question terms it covers."""

    unit: Unit
    score: float
    covers: frozenset[str] = frozenset()


# ---- the question -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """The question's terms, phrases, numbers, words and designations, and what kind of answer it asks for."""

    terms: frozenset[str]
    pairs: frozenset[tuple[str, str]]
    numbers: tuple[float, ...]
    quantities: frozenset[tuple[float, str]]
    words: frozenset[str]
    plain: frozenset[str]
    codes: frozenset[str]
    wants_list: bool
    wants_formula: bool
    wants_value: bool
    wants_reason: bool


def read_question(question: str) -> Question:
    """Stemmed terms (without the words that only frame a question), numbers (Ø40 and "two" included), designations
    and whether the question asks for a list, a formula, a value or a reason."""
    stems = [t for t in tokenize([question])[0] if t not in _FRAMING]
    spelled = [float(_NUMBER_WORDS[w]) for w in re.findall(r"[a-z]+", question.lower()) if w in _NUMBER_WORDS]
    numbers = (*numbers_of(question), *spelled)
    return Question(
        terms=frozenset(stems),
        pairs=frozenset(itertools.pairwise(stems)),
        numbers=numbers,
        quantities=frozenset(quantities(question)),
        words=frozenset(_WORDS.findall(question)),
        plain=frozenset(plain_words(question)),
        codes=frozenset(codes(question)),
        wants_list=bool(_LIST_QUESTION.search(question)),
        wants_formula=bool(_FORMULA_QUESTION.search(question)),
        wants_value=bool(numbers) or bool(_VALUE_QUESTION.search(question)),
        wants_reason=bool(_WHY_QUESTION.search(question)),
    )


def codes(question: str) -> list[str]:
    """Designations in the question (line B, M02, E3, H7): single capitals or capitals with digits."""
    words = re.findall(r"\w+", question)
    return [w for i, w in enumerate(words) if _CODE.match(w) and w != "I" and not (i == 0 and w == "A")]


def numbers_of(text: str) -> list[float]:
    """Numbers of the text (Ø40 and M12 included), not those that are part of a name (40Kh, 5S) or a code (M02, 005)."""
    return [
        float(m.group(1).replace(",", "."))
        for m in _NUMBER.finditer(text)
        if (not re.match(r"[A-Za-zА-я]", text[m.end() :]) or _UNIT_AFTER.match(text[m.end() :]))
        and not re.match(r"0\d", m.group(1))
    ]


def quantities(text: str) -> set[tuple[float, str]]:
    """The numbers of the text with the unit written after them ("" when none): 25 mm is not 25 µm."""
    found = set()
    for m in _QUANTITY.finditer(text):
        if not re.match(r"0\d", m.group(1)):
            found.add((float(m.group(1).replace(",", ".")), (m.group(2) or "").lower().replace("μ", "µ")))
    return found


def shared_quantity(asked: frozenset[tuple[float, str]], found: set[tuple[float, str]]) -> bool:
    """A quantity of the question in the text: the same number, with the same unit or one of them without."""
    return any(a == b and (u == v or not u or not v) for a, u in asked for b, v in found)


def in_range(numbers: Sequence[float], text: str) -> bool:
    """True when a number falls in a size range of the text: `over a to b` (a < x <= b), `up to b`, `over a`."""
    if any(float(a) < x <= float(b) for a, b in _RANGE.findall(text) for x in numbers):
        return True
    if _RANGE.search(text):
        return False
    below = any(x <= float(b) for b in _UP_TO.findall(text) for x in numbers)
    return below or any(x > float(a) for a in _OVER.findall(text) for x in numbers)


# ---- table rows -------------------------------------------------------------------------------------------


def key_match(unit: Unit, question: Question) -> float:
    """How well a row's key cells name what the question asks about: 1 for a key whose size range holds a number
    of the question, or that names a designation of it, or whose every word and number the question has; 0.8 for
    a key that holds every number of the question; otherwise the share of its words and numbers in the question."""
    return max((_cell_match(key, question) for key in unit.keys), default=0.0)


def _cell_match(key: str, question: Question) -> float:
    asked = set(question.numbers)
    if asked and in_range(question.numbers, key):
        return 1.0
    named = [w for w in _WORDS.findall(key) if len(w) <= 4 and any(c.isupper() for c in w)]
    if any(w in question.words for w in named):
        return 1.0
    if any(re.fullmatch(re.escape(w) + r"\d+", code) for w in named if w.isalpha() for code in question.codes):
        return 0.8  # the key names the family of a designation of the question: line M for line M02
    numbers = set(numbers_of(key))
    words = {w for w in plain_words(re.sub(r"\d+(?:[.,]\d+)?", " ", key)) if len(w) > 1}
    if not numbers and not words:
        return 0.0
    stemmed = sum(0.7 for w in words - question.plain if set(tokenize([w])[0]) & question.terms)
    share = (len(numbers & asked) + len(words & question.plain) + stemmed) / (len(numbers) + len(words))
    return max(share, 0.8 if asked and asked <= numbers else 0.0)


def best_keys(candidates: list[Unit], question: Question) -> dict[int, float]:
    """The key match of each row (by index) whose key matches best in its table: in a table of Steel 35, Steel 45
    and 40Kh rows a question on Steel 45 keeps that row, not Steel 35 for sharing "steel"."""
    matches = {i: key_match(u, question) for i, u in enumerate(candidates) if u.kind == ROW}
    best: dict[tuple[int, str | None], float] = {}
    for i, match in matches.items():
        table = (candidates[i].n, candidates[i].header)
        best[table] = max(best.get(table, 0.0), match)
    return {i: m for i, m in matches.items() if m > 0 and m >= best[(candidates[i].n, candidates[i].header)]}


def _numeric_key(unit: Unit, question: Question) -> bool:
    asked = set(question.numbers)
    return bool(asked) and any(
        in_range(question.numbers, key) or ((found := set(numbers_of(key))) and found <= asked) for key in unit.keys
    )


# ---- scoring ----------------------------------------------------------------------------------------------


def kind_weight(unit: Unit, question: Question) -> float:
    """Multiplier for what the unit is against what the question asks; 0 drops it (a list for a question that
    asks for no list, a formula block for one that asks for no formula)."""
    first = unit.quoted[0]
    weight = 1.0
    if unit.kind == SENTENCE and table_intro(first):
        weight *= 0.8
    if _SCOPE.search(first) and not question.wants_list:
        weight *= 0.6
    if _EXAMPLE.search(first) and not shared_quantity(question.quantities, quantities(unit.text)):
        weight *= 0.55  # a definition before a worked example, unless the example has the question's quantities
    if question.wants_reason:
        weight *= 1.25 if _REASON.search(unit.text) else 0.85
    if unit.kind == LIST:
        weight *= 1.0 + 0.1 * min(len(unit.quoted), 5) if question.wants_list else 0.0
    if unit.kind == FORMULA:
        weight *= 1.6 if question.wants_formula else 0.0
    elif question.wants_formula and formula_terms(unit.text):
        weight *= 1.3
    if question.wants_value and unit.kind != LIST:
        weight *= 1.15 if any(ch.isdigit() for ch in CLAUSE.sub("", unit.text)) else 0.85
    return weight


def _opening(unit: Unit, question: Question, weights: dict[str, float]) -> float:
    """Weight of the question terms and designations that open a sentence, that is its subject ("The line R
    records ...", "Defective parts are never sent ...")."""
    if unit.kind != SENTENCE:
        return 0.0
    words = CLAUSE.sub("", unit.text + " ").split()[:6]
    named = max(weights.values(), default=0.0) if question.codes & set(re.findall(r"\w+", " ".join(words))) else 0.0
    return sum(weights[t] for t in question.terms & set(tokenize([" ".join(words)])[0])) + named


def _score(unit: Unit, question: Question, lexical: float, meaning: float, phrase: float, key: float) -> float:
    """Terms, meaning, two-word phrases and designations shared with the question; a row adds how well its key
    names the question's subject (`key` is 0 unless it is the best key of its table); then the weight of the
    unit's kind for the question, and the rank of its passage."""
    named = set(re.findall(r"\w+", unit.scored_text))  # a row names the columns of its header too
    score = lexical + meaning + 0.3 * phrase + (0.4 * len(question.codes & named) / len(question.codes or {""}))
    if unit.kind == ROW:
        score += 0.5 * key + (0.4 if key and _numeric_key(unit, question) else 0.0)
        score *= 1.0 if key > 0 else 0.5
    return score * kind_weight(unit, question) / (1 + 0.1 * (unit.n - 1))


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def candidates_of(question: Question, passages: list[str], headings: Sequence[str] = ()) -> list[Unit]:
    """The units of the passages, with windows of run-together PDF tables, and for a list question the clauses
    under a heading that names what is asked ("6 Rules of kanban"); a sentence that only introduces a table is
    left out when table rows are at hand."""
    found = [u for n, text in enumerate(passages, start=1) for u in units(n, text)]
    found += [w for u in found for w in flat_windows(u, question.terms)]
    if question.wants_list:
        named = [n for n, heading in enumerate(headings, start=1) if question.terms & set(tokenize([heading])[0])]
        found += [u for n in named for u in sibling_lists(n, passages[n - 1].splitlines(), alike=False)]
    if any(u.kind == ROW for u in found):
        found = [u for u in found if not (u.kind == SENTENCE and table_intro(u.text))]
    return found


def score_units(
    question: str, passages: list[str], embed: Embed | None = None, headings: Sequence[str] = ()
) -> tuple[list[Extract], dict[str, float]]:
    """Every unit that shares a term with the question (itself, or through the heading of its passage), scored,
    and the weight of each question term (the weights sum to 1)."""
    asked = read_question(question)
    candidates = candidates_of(asked, passages, headings)
    if not candidates or not asked.terms:
        return [], {}
    stems = tokenize([u.scored_text for u in candidates])
    idf = {t: math.log(1 + len(stems) / (1 + sum(t in s for s in stems))) for t in asked.terms}
    weights = {t: w / sum(idf.values()) for t, w in idf.items()}
    titled = [asked.terms.intersection(t) for t in tokenize(list(headings))] if headings else []
    titled += [frozenset()] * (len(passages) - len(titled))
    shared = [i for i, u in enumerate(candidates) if asked.terms.intersection(stems[i]) or titled[u.n - 1]]
    texts = [question] + [candidates[i].scored_text for i in shared]
    vectors = dict(zip([-1, *shared], embed(texts), strict=True)) if embed else {}
    keys = best_keys(candidates, asked)
    scored = []
    for i in shared:
        unit = candidates[i]
        covers = frozenset(asked.terms.intersection(stems[i]))
        under = titled[unit.n - 1] - covers
        lexical = sum(weights[t] for t in covers) + 0.5 * sum(weights[t] for t in under)
        lexical += 0.3 * _opening(unit, asked, weights)
        meaning = _cosine(vectors[-1], vectors[i]) if vectors else 0.0
        phrase = len(asked.pairs & set(itertools.pairwise(stems[i]))) / len(asked.pairs) if asked.pairs else 0.0
        if (score := _score(unit, asked, lexical, meaning, phrase, keys.get(i, 0.0))) > 0:
            scored.append(Extract(unit, score, covers))
    return scored, weights


# ---- the answer -------------------------------------------------------------------------------------------


def extract(
    question: str,
    passages: list[str],
    limit: int = 3,
    embed: Embed | None = None,
    headings: Sequence[str] = (),
) -> list[Extract]:
    """The best units (at most `limit`; rows of one table count as one) in reading order, passage n = index + 1;
    none when no unit shares a term with the question. `headings` are the passages' section headings."""
    scored, weights = score_units(question, passages, embed, headings)
    chosen = select(scored, limit, weights)
    used = {line for e in chosen for line in e.unit.quoted}
    for e in list(chosen):
        if (tail := continuation(e.unit, passages)) and tail.text not in used:
            chosen.append(Extract(tail, e.score, e.covers))
    return sorted(chosen, key=lambda e: (e.unit.n, passages[e.unit.n - 1].find(e.unit.quoted[0])))


def select(scored: list[Extract], limit: int, weights: dict[str, float]) -> list[Extract]:
    """Greedy choice: the best extract, then those that score near it, or fairly near when they cover question
    terms the chosen ones do not (the second half of a two-part question); no line is quoted twice."""
    ranked = sorted(scored, key=lambda e: -e.score)
    chosen: list[Extract] = []
    used: list[str] = []
    covered: set[str] = set()
    while ranked and len(chosen) < 2 * limit and len({c.unit.header or id(c) for c in chosen}) < limit:
        best = chosen[0].score if chosen else ranked[0].score
        options = []
        for e in ranked:
            novelty = sum(weights[t] for t in e.covers - covered)
            near = e.score >= (_NEAR_NEW if novelty >= 0.1 else _NEAR) * best
            if near and not any(line in old or old in line for line in e.unit.quoted for old in used):
                options.append((e.score * (1 + _NOVELTY * novelty), e))
        if not options:
            break
        pick = max(options, key=lambda o: o[0])[1]
        ranked.remove(pick)
        chosen.append(pick)
        used += pick.unit.quoted
        covered |= pick.covers
    return chosen


def compose(extracts: list[Extract]) -> str:
    """The quoted lines, the last line of each unit with its passage marker; a table's header lines are printed
    once before its rows, so a row reads with its column names."""
    lines: list[str] = []
    header: str | None = None
    for e in extracts:
        if e.unit.header and e.unit.header != header:
            lines += e.unit.header.splitlines()
        header = e.unit.header
        lines += [*e.unit.quoted[:-1], f"{e.unit.quoted[-1]} [{e.unit.n}]"]
    return "\n".join(lines)
