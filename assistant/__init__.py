"""prepro: drafting assistant for the technological preparation of production."""

from assistant.api import Assistant
from assistant.chat.grounded import Answer, AnswerCitation, Turn
from assistant.citation import Citation
from assistant.config import Settings
from assistant.errors import PreproError
from assistant.llm.client import Usage
from assistant.retrieval.models import IngestReport, Passage, Source
from assistant.retrieval.retriever import PreproRetriever

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
