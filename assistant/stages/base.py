"""What every stage is: an input it reads, a draft it makes, checks, and exporters — plus what it may ask for.

A stage is a `Stage` value in `assistant.stages.REGISTRY`; the API, batch runs, the CLI and the UI reach
every stage through it. A stage's draft is a pydantic model (its contract's JSON) carrying `findings`
and `provider`; `subject` names what the draft is about (a part id, a request id), which is the key a
stored draft and its versions are filed under.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from assistant.catalog import Catalog
from assistant.errors import InputError
from assistant.export import Exporter
from assistant.llm.model import Model
from assistant.retrieval.models import Passage
from assistant.stages.findings import Finding


class Retrieved(Protocol):
    """Passages for a query, and why there are none when the knowledge base could not give any."""

    passages: list[Passage]
    problem: str | None


class StageContext(Protocol):
    """What a stage may ask of the assistant while drafting: catalogues, a model, documents, other stages."""

    @property
    def catalog(self) -> Catalog:
        """The engineering catalogues."""
        ...

    @property
    def model(self) -> Model:
        """The model chain steps run on (an LLM, or the offline model)."""
        ...

    def retrieve(self, query: str, k: int = 6) -> Retrieved:
        """Passages from the knowledge base; an empty or unreachable index is reported, not raised."""
        ...

    @property
    def options(self) -> Mapping[str, str]:
        """Options of this draft the caller chose (routing: `equipment`)."""
        ...

    def draft(
        self, stage: str, source: Any, options: Mapping[str, str] | None = None, worded: bool = True
    ) -> BaseModel:
        """Another stage's draft (design and research call routing; organization reads routing drafts), with
        that stage's options; `worded=False` makes it offline (the engineering content, without an LLM's
        wording), for a caller that reads only its figures."""
        ...

    def report(self, done: int, total: int, what: str) -> None:
        """Progress of long work inside the draft (the LLM's operations), shown by the CLI and UI."""
        ...


Records = list[tuple[str, Any]]
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Stage:
    """One stage of the preparation of production, as the registry holds it.

    - `load_input`: a model, a dict, a file path or text → the validated input (errors name the field).
    - `parse_input`: one raw record and its label (`parts.csv#3`) → the validated input.
    - `read_inputs`: a file or folder → labelled raw records, for batch runs.
    - `draft`: the complete draft from rules and tools; with an LLM model the stage refines it (Step).
    - `check`: findings on any draft (the stage's, a person's, an LLM's) against its input.
    - `load_draft`: a draft from a model, a dict or a JSON file.
    - `subject`: the id a draft is filed under; `header`: what exporters print above the draft.
    """

    name: str
    summary: str
    author: str  # the role that drafts and edits this stage: engineer (research, design) or technologist
    input_label: str
    load_input: Callable[[Any], Any]
    parse_input: Callable[[Any, str], Any]
    read_inputs: Callable[[Path], Records]
    draft: Callable[[StageContext, Any], BaseModel]
    check: Callable[[StageContext, Any, Any], list[Finding]]
    load_draft: Callable[[Any], BaseModel]
    subject: Callable[[Any], str]
    exporters: Mapping[str, Exporter]
    header: Callable[[StageContext, Any], Any] = lambda ctx, value: None
    text_formats: frozenset[str] = field(default_factory=lambda: frozenset({"json", "md"}))
    suffixes: Mapping[str, str] = field(default_factory=dict)  # file extension of a format, when not its name

    def file_name(self, subject: str, fmt: str) -> str:
        """`<subject>.<extension>` of a draft exported in a format."""
        return f"{subject}.{self.suffixes.get(fmt, fmt)}"

    def records(self, items: Path | str | Sequence[Any]) -> Records:
        """Labelled raw inputs from a file, a folder, or a list of inputs given in Python."""
        if isinstance(items, (str, Path)):
            return self.read_inputs(Path(items))
        return [
            (f"item#{n}", item.model_dump() if isinstance(item, BaseModel) else item)
            for n, item in enumerate(items, start=1)
        ]


def load_model(kind: type[M], value: M | dict[str, Any] | str | Path, what: str) -> M:
    """A stage's draft (`what`, e.g. "routing draft") from a model, a dict or a JSON file; a malformed one is
    an input error naming the file and the first fields at fault."""
    if isinstance(value, kind):
        return value
    label = "draft"
    if not isinstance(value, dict):
        path = Path(str(value))
        label = path.name
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise InputError(f"{label}: cannot read the draft JSON ({exc})") from exc
    try:
        return kind.model_validate(value)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5])
        raise InputError(f"{label}: not a {what} ({problems})") from None
