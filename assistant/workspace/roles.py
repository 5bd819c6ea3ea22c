"""Who may do what: the roles, the actions, the one permission table, and `require` that enforces it.

Authors (engineers and technologists) draft and edit; only reviewers decide on drafts; only admins manage
users and documents and read the audit log. An admin is not a reviewer: approving is kept apart from
administering. The table is checked by the workspace for every front end (UI, CLI, Python API), not by
hiding buttons.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from assistant.errors import InputError, PermissionDenied
from assistant.retrieval.access import AccessLevel, default_clearance, readable_up_to


class Role(StrEnum):
    """A user's role."""

    ENGINEER = "engineer"
    TECHNOLOGIST = "technologist"
    REVIEWER = "reviewer"
    ADMIN = "admin"


class Action(StrEnum):
    """What a user may be allowed to do."""

    READ = "read"
    DRAFT = "draft"
    EDIT = "edit"
    COMMENT = "comment"
    REVIEW = "review"
    EXPORT = "export"
    CHAT = "chat"
    MANAGE_USERS = "manage_users"
    MANAGE_DOCUMENTS = "manage_documents"
    AUDIT = "audit"


_AUTHORS = frozenset({Role.ENGINEER, Role.TECHNOLOGIST})
_EVERYONE = frozenset(Role)

PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.READ: _EVERYONE,
    Action.DRAFT: _AUTHORS,
    Action.EDIT: _AUTHORS,
    Action.COMMENT: _AUTHORS | {Role.REVIEWER},
    Action.REVIEW: frozenset({Role.REVIEWER}),
    Action.EXPORT: _AUTHORS | {Role.REVIEWER},
    Action.CHAT: _EVERYONE,
    Action.MANAGE_USERS: frozenset({Role.ADMIN}),
    Action.MANAGE_DOCUMENTS: frozenset({Role.ADMIN}),
    Action.AUDIT: frozenset({Role.ADMIN}),
}

WHAT: dict[Action, str] = {
    Action.READ: "read drafts, their versions, comments and decisions",
    Action.DRAFT: "draft with a stage",
    Action.EDIT: "save versions of drafts or submit them for review",
    Action.COMMENT: "comment on drafts",
    Action.REVIEW: "approve, reject or request changes on drafts",
    Action.EXPORT: "export drafts",
    Action.CHAT: "chat with the knowledge base",
    Action.MANAGE_USERS: "manage users",
    Action.MANAGE_DOCUMENTS: "add or remove documents of the knowledge base",
    Action.AUDIT: "read the audit log",
}


@dataclass(frozen=True)
class User:
    """Someone acting in the workspace; `local` is the trusted caller without a login (CLI, batch)."""

    name: str
    role: Role
    active: bool = True
    created_at: str = ""
    local: bool = False
    clearance: AccessLevel | None = None  # the most confidential documents read; None: the role's default
    must_change_password: bool = False  # logged in with a one-time or admin-set password

    @property
    def readable(self) -> frozenset[AccessLevel]:
        """The access levels of the documents this user may read (none above the clearance)."""
        return readable_up_to(self.clearance or default_clearance(self.role))


LOCAL_USER = User(
    "local", Role.ADMIN, local=True, clearance=AccessLevel.RESTRICTED
)  # CLI and Python API without a login: trusted, audited as `local`
RESERVED_NAMES = frozenset({LOCAL_USER.name})


def parse_role(text: str | Role) -> Role:
    """A role by name; an unknown one is an input error listing the roles there are."""
    try:
        return Role(str(text).strip().lower())
    except ValueError:
        raise InputError(f"unknown role '{text}' (roles: {', '.join(Role)})") from None


def allowed(user: User, action: Action) -> bool:
    """Whether a user may do an action (the local trusted caller may do anything)."""
    return user.local or (user.active and not user.must_change_password and user.role in PERMISSIONS[action])


def require(user: User, action: Action) -> None:
    """Raise PermissionDenied, naming user, role and action, unless the user may do the action."""
    if allowed(user, action):
        return
    if not user.active:
        raise PermissionDenied(
            f"user '{user.name}' (role {user.role}) may not {WHAT[action]}: the account is disabled; "
            "an admin can enable it again"
        )
    if user.must_change_password:
        raise PermissionDenied(
            f"user '{user.name}' logged in with a one-time or admin-set password: set your own password first"
        )
    roles = " or ".join(sorted(PERMISSIONS[action]))
    raise PermissionDenied(
        f"user '{user.name}' (role {user.role}) may not {WHAT[action]} (action '{action}'); that needs the role "
        f"{roles} — ask an admin to change your role, or ask a {roles} to do it"
    )


def require_author(user: User, stage: str, author: str) -> None:
    """Raise PermissionDenied unless the user's role drafts and edits the stage (whose author role is `author`);
    the local trusted caller drafts every stage."""
    if user.local or user.role == author:
        return
    raise PermissionDenied(
        f"user '{user.name}' (role {user.role}) may not draft or edit {stage} drafts: that stage is a {author}'s"
    )
