"""Prompt templates as files in prompts/, loaded by name and filled strictly."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from assistant.errors import ConfigError
from assistant.llm.sanitize import neutralize
from assistant.resources import prompts_dir
from assistant.retrieval.models import Passage

_VARIABLE = re.compile(r"\{\{\s*(\w+)\s*\}\}")
_SECTION = re.compile(r"^\[(system|user)\]\s*$", re.M)


@dataclass(frozen=True)
class Prompt:
    """A system and a user template; variables are written {{ name }}."""

    name: str
    system: str
    user: str

    @property
    def variables(self) -> set[str]:
        """Names the templates expect."""
        return set(_VARIABLE.findall(self.system + self.user))

    def render(self, **values: str) -> list[BaseMessage]:
        """Messages with every variable filled; a missing or unexpected variable is an error."""
        missing, extra = self.variables - set(values), set(values) - self.variables
        if missing or extra:
            raise ConfigError(f"prompt '{self.name}': missing variables {sorted(missing)}, unexpected {sorted(extra)}")

        def fill(template: str) -> str:
            return _VARIABLE.sub(lambda m: str(values[m.group(1)]), template).strip()

        return [SystemMessage(fill(self.system)), HumanMessage(fill(self.user))]


@lru_cache(maxsize=32)
def load_prompt(name: str) -> Prompt:
    """The prompt prompts/<name>.md, split into its [system] and [user] sections."""
    path = prompts_dir() / f"{name}.md"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in prompts_dir().glob("*.md")))
        raise ConfigError(f"prompt file {path} not found (available: {known or 'none'})")
    parts = _SECTION.split(path.read_text(encoding="utf-8"))
    sections = dict(zip(parts[1::2], parts[2::2], strict=True))
    if set(sections) != {"system", "user"}:
        raise ConfigError(f"prompt file {path} needs a [system] and a [user] section")
    return Prompt(name, sections["system"], sections["user"])


def passages_block(passages: list[Passage]) -> tuple[str, list[str]]:
    """The passages as delimited, numbered data, with instruction-like sentences removed."""
    parts, warnings = [], []
    for n, passage in enumerate(passages, start=1):
        text, removed = neutralize(passage.text)
        if removed:
            warnings.append(f"passage [{n}] ({passage.citation.label()}): instruction-like text removed")
        attrs = f'n="{n}" doc="{passage.doc}" section="{passage.section or ""}" page="{passage.page or ""}"'
        parts.append(f"<passage {attrs}>\n{text}\n</passage>")
    return "\n".join(parts), warnings
