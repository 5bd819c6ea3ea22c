"""prepro: drafting assistant for the technological preparation of production."""

from assistant.api import Assistant
from assistant.config import Settings
from assistant.errors import PreproError
from assistant.retrieval.models import Citation, IngestReport, Passage, Source

__all__ = ["Assistant", "Citation", "IngestReport", "Passage", "PreproError", "Settings", "Source"]
