"""prepro: drafting assistant for the technological preparation of production."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.lazy import lazy_exports

if TYPE_CHECKING:
    from assistant.api import Assistant
    from assistant.chat.grounded import Answer, AnswerCitation, Turn
    from assistant.citation import Citation
    from assistant.config import Settings
    from assistant.errors import PreproError
    from assistant.llm.client import Usage
    from assistant.retrieval.models import IngestReport, Passage, Source
    from assistant.retrieval.retriever import PreproRetriever

# the public names and the modules they live in; each is imported on first use, so that importing a
# submodule (the CLI, the store) does not pay for LangChain, SQLAlchemy and the rest up front
_EXPORTS = {
    "Answer": "assistant.chat.grounded",
    "AnswerCitation": "assistant.chat.grounded",
    "Assistant": "assistant.api",
    "Citation": "assistant.citation",
    "IngestReport": "assistant.retrieval.models",
    "Passage": "assistant.retrieval.models",
    "PreproError": "assistant.errors",
    "PreproRetriever": "assistant.retrieval.retriever",
    "Settings": "assistant.config",
    "Source": "assistant.retrieval.models",
    "Turn": "assistant.chat.grounded",
    "Usage": "assistant.llm.client",
}

__all__ = [
    "Answer",
    "AnswerCitation",
    "Assistant",
    "Citation",
    "IngestReport",
    "Passage",
    "PreproError",
    "PreproRetriever",
    "Settings",
    "Source",
    "Turn",
    "Usage",
]


__getattr__ = lazy_exports(__name__, _EXPORTS, globals())


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
