"""prepro's exceptions: each message names the input, the bad value and the next step."""

from __future__ import annotations


class PreproError(Exception):
    """Base of every error prepro raises on purpose; the CLI prints it as one line."""

    exit_code = 1


class InputError(PreproError):
    """The user's input is wrong (a file, a part spec, an argument); fixing the input fixes it."""

    exit_code = 2


class DocumentError(InputError):
    """A document cannot be read (corrupt, encrypted, empty, no text layer)."""


class ConfigError(PreproError):
    """A setting is missing or invalid; the message names the setting to change."""


class PrivacyError(ConfigError):
    """A non-loopback endpoint was configured while PREPRO_LOCAL_ONLY forbids it."""


class ProviderError(PreproError):
    """The LLM or embedding endpoint failed: unreachable, key rejected, bad response."""


class KnowledgeBaseError(PreproError):
    """The index is missing, empty or inconsistent."""


class EmptyIndexError(KnowledgeBaseError):
    """Nothing is indexed yet under PREPRO_HOME (or in the configured database)."""


class EmbeddingMismatchError(KnowledgeBaseError):
    """The index was built with another embedding model than the settings name."""


class VectorStoreError(KnowledgeBaseError):
    """The Chroma collection cannot be opened or queried (server down, files unreadable)."""


class PermissionDenied(PreproError):
    """A user's role does not allow an action (checked by the workspace, whichever front end asks)."""

    exit_code = 3


class AuthenticationError(PreproError):
    """A login failed (wrong name or password, account locked or disabled) or a session is unknown or expired."""

    exit_code = 3


class EditConflict(PreproError):
    """A draft was saved by someone else since the version an edit was based on; nothing was overwritten."""

    def __init__(self, message: str, *, current_version: int, author: str, changes: str) -> None:
        super().__init__(message)
        self.current_version = current_version  # the version to reload and reapply the edit on
        self.author = author  # who saved it
        self.changes = changes  # their change: a unified diff of the draft's JSON
