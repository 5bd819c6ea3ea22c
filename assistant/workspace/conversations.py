"""Chat conversations kept per user: start one, add the question and the cited answer, resume it later.

A conversation belongs to the user who started it; nobody else reads it (admins neither: questions can be
confidential). `turns` gives the history in the form `Assistant.ask(question, history=...)` takes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from assistant.errors import InputError, PermissionDenied
from assistant.store import Store
from assistant.store import conversations as stored
from assistant.store.conversations import ConversationRecord, MessageRecord
from assistant.workspace.roles import User

SPEAKERS = ("user", "assistant")
TITLE_CHARS = 80


@dataclass(frozen=True)
class Message:
    """One message of a conversation, its citations as JSON values."""

    id: int
    conversation_id: int
    role: str
    content: str
    citations: list[Any]
    at: str


def _message(record: MessageRecord) -> Message:
    return Message(
        record.id, record.conversation_id, record.role, record.content, json.loads(record.citations), record.at
    )


def start(store: Store, user: User, title: str, at: str) -> ConversationRecord:
    """A new conversation of a user (its title: the first question, shortened)."""
    clean = " ".join(title.split()) or "conversation"
    return stored.create_conversation(store, user.name, clean[:TITLE_CHARS], at)


def owned(store: Store, user: User, conversation_id: int) -> ConversationRecord:
    """A conversation of this user; another user's is refused, an unknown id is an input error."""
    found = stored.get_conversation(store, conversation_id)
    if found is None:
        raise InputError(f"there is no conversation {conversation_id}; list your conversations to find its id")
    if found.user_name != user.name and not user.local:
        raise PermissionDenied(
            f"user '{user.name}' (role {user.role}) may not read conversation {conversation_id}: it belongs to "
            "another user"
        )
    return found


def add(
    store: Store, conversation: ConversationRecord, role: str, content: str, citations: Sequence[Any], at: str
) -> Message:
    """Append a message (role `user` or `assistant`; citations: models or JSON values)."""
    if role not in SPEAKERS:
        raise InputError(f"a message is from {' or '.join(SPEAKERS)}, not '{role}'")
    plain = [c.model_dump(mode="json") if isinstance(c, BaseModel) else c for c in citations]
    cited = json.dumps(plain, ensure_ascii=False)
    return _message(stored.add_message(store, conversation.id, role, content, cited, at))


def messages(store: Store, conversation: ConversationRecord) -> list[Message]:
    """A conversation's messages in order."""
    return [_message(m) for m in stored.list_messages(store, conversation.id)]


def turns(found: Sequence[Message]) -> list[dict[str, str]]:
    """The messages as the history `Assistant.ask` takes."""
    return [{"role": m.role, "content": m.content} for m in found]
