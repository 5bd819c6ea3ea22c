"""Chat conversations kept per user, and their messages (with the citations of each answer as JSON)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from assistant.store.core import Store
from assistant.store.schema import conversations, messages

# The records' fields follow their tables' column order: rows are read into them by position.


@dataclass(frozen=True)
class ConversationRecord:
    """One conversation of a user."""

    id: int
    user_name: str
    title: str
    created_at: str


@dataclass(frozen=True)
class MessageRecord:
    """One message of a conversation: who spoke (user or assistant), the text, its citations' JSON."""

    id: int
    conversation_id: int
    role: str
    content: str
    citations: str
    at: str


def create_conversation(store: Store, user_name: str, title: str, at: str) -> ConversationRecord:
    """Start a conversation."""
    with store.transaction() as conn:
        insert = conversations.insert().values(user_name=user_name, title=title, created_at=at)
        new_id = int(conn.execute(insert.returning(conversations.c.id)).scalar_one())
    return ConversationRecord(new_id, user_name, title, at)


def get_conversation(store: Store, conversation_id: int) -> ConversationRecord | None:
    """A conversation by id."""
    with store.reading() as conn:
        row = conn.execute(select(conversations).where(conversations.c.id == conversation_id)).one_or_none()
    return ConversationRecord(*row) if row else None


def list_conversations(store: Store, user_name: str) -> list[ConversationRecord]:
    """A user's conversations, newest first."""
    query = select(conversations).where(conversations.c.user_name == user_name).order_by(conversations.c.id.desc())
    with store.reading() as conn:
        return [ConversationRecord(*r) for r in conn.execute(query)]


def add_message(store: Store, conversation_id: int, role: str, content: str, citations: str, at: str) -> MessageRecord:
    """Append a message to a conversation."""
    row = {"conversation_id": conversation_id, "role": role, "content": content, "citations": citations, "at": at}
    with store.transaction() as conn:
        new_id = int(conn.execute(messages.insert().values(**row).returning(messages.c.id)).scalar_one())
    return MessageRecord(new_id, conversation_id, role, content, citations, at)


def list_messages(store: Store, conversation_id: int) -> list[MessageRecord]:
    """A conversation's messages in the order they were written."""
    query = select(messages).where(messages.c.conversation_id == conversation_id).order_by(messages.c.id)
    with store.reading() as conn:
        return [MessageRecord(*r) for r in conn.execute(query)]


def delete_conversation(store: Store, conversation_id: int) -> bool:
    """Delete a conversation and its messages; False if there was none."""
    with store.transaction() as conn:
        return conn.execute(conversations.delete().where(conversations.c.id == conversation_id)).rowcount == 1
