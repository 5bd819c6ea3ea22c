"""Retrieved text is data: find instruction-like sentences planted in documents and keep them out of prompts."""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_INSTRUCTION_PATTERNS = (
    r"\b(ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,60}\b(instructions?|prompts?|rules?|guidelines|directions)\b",
    r"\byou are now\b|\bact as\b[^.!?\n]{0,40}\b(assistant|ai|model|system)\b",
    r"\b(system|developer)\s+(prompt|message|instructions?)\b",
    r"\bnew instructions?\b|\bfollowing instructions? instead\b",
    r"\b(respond|reply|answer|say|output|print|write)\b[^.!?\n]{0,30}\b(only|exactly|verbatim)\b[^.!?\n]{0,20}[\"'“«]",
    r"</?\s*(system|assistant|user|passages?|instructions?)\s*>",
    r"^\s*(system|assistant)\s*:",
)
_INSTRUCTION = re.compile("|".join(f"(?:{p})" for p in _INSTRUCTION_PATTERNS), re.I | re.M)
_DELIMITER = re.compile(r"</?\s*passages?\b[^>]*>", re.I)


def instruction_like(text: str) -> list[str]:
    """Sentences of the text that read as instructions to an AI model."""
    return [s.strip() for s in _SENTENCE.split(text) if s.strip() and _INSTRUCTION.search(s)]


def neutralize(text: str) -> tuple[str, list[str]]:
    """The text without instruction-like sentences or prompt delimiters, and the sentences removed."""
    removed = instruction_like(text)
    for sentence in removed:
        text = text.replace(sentence, "[instruction-like text removed]")
    return _DELIMITER.sub("", text), removed
