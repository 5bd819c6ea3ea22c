"""A scripted chat model for unit tests of chain logic, registered like any provider."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from assistant.config import Settings
from assistant.llm.client import LLM

Script = Callable[[list[BaseMessage]], str]


class ScriptedChatModel(BaseChatModel):
    """Replies with script(messages)."""

    script: Script

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self.script(messages)))])

    def bind_tools(self, tools: Any, **kwargs: Any) -> Any:
        """Tools are accepted and ignored: the script's reply text is the answer (as from a plain-JSON server)."""
        return self.bind(**kwargs)


def scripted_provider(script: Script, seen: list | None = None) -> Callable[[Settings, Any], LLM]:
    """A provider factory for CHAT_PROVIDERS whose model follows the script."""

    def recording(messages: list[BaseMessage]) -> str:
        if seen is not None:
            seen.append(messages)
        return script(messages)

    def factory(settings: Settings, store: Any) -> LLM:
        model = ScriptedChatModel(script=recording)
        return LLM("scripted", "script-1", model, None, store=store, cache=settings.cache_enabled)

    return factory


def prompt_text(messages: list[BaseMessage]) -> str:
    """Everything the model was sent, as one string."""
    return "\n".join(str(m.content) for m in messages)


def raising(exc: Exception) -> Script:
    """A script whose model fails with `exc` (a timeout, a server error) instead of replying."""

    def fail(messages: list[BaseMessage]) -> str:
        raise exc

    return fail
