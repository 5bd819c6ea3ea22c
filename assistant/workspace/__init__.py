"""The review workspace: accounts and logins, drafts with versions and reviews, the audit log, conversations.

`Workspace` is the one object the UI, the CLI and Python callers use (through `Assistant.workspace`). Every
method takes the acting `User` first, checks the permission table (roles.py) against the user's role as
the database has it now (a role carried in a `User` value is not trusted), acts, and writes the audit log.
`LOCAL_USER` is the trusted local caller without a login (CLI, batch): allowed everything, audited as
`local`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any, Protocol

from assistant.config import Settings
from assistant.errors import AuthenticationError, ConfigError, InputError, PermissionDenied
from assistant.retrieval.access import access_level
from assistant.stages.registry import get_stage
from assistant.store import Store
from assistant.store import audit as audit_log
from assistant.store import reviews as stored
from assistant.store import users as accounts_table
from assistant.store.audit import AuditRecord
from assistant.store.conversations import ConversationRecord
from assistant.store.conversations import list_conversations as _list_conversations
from assistant.store.reviews import CommentRecord, DecisionRecord, DraftRecord
from assistant.workspace import accounts, audit, conversations, reviews, sources
from assistant.workspace.accounts import SESSION_FOR, TIME_COST, FirstAdmin, Session
from assistant.workspace.audit import Anomaly, AuditAction, AuditCheck
from assistant.workspace.clock import Clock, stamp, utc_now
from assistant.workspace.conversations import Message
from assistant.workspace.diff import Change, Diff
from assistant.workspace.reviews import Decision, ReviewState, Version
from assistant.workspace.roles import (
    LOCAL_USER,
    PERMISSIONS,
    Action,
    Role,
    User,
    parse_role,
    require,
    require_author,
)
from assistant.workspace.sources import ApprovedRevision

__all__ = [
    "LOCAL_USER",
    "PERMISSIONS",
    "Action",
    "Anomaly",
    "ApprovedRevision",
    "AuditAction",
    "AuditCheck",
    "AuditRecord",
    "Change",
    "CommentRecord",
    "ConversationRecord",
    "DecisionRecord",
    "Diff",
    "DraftRecord",
    "FirstAdmin",
    "Message",
    "ReviewState",
    "Role",
    "Session",
    "User",
    "Version",
    "Workspace",
]


class Exported(Protocol):
    """An exported file as the Assistant renders it (assistant.api.ExportedFile)."""

    @property
    def name(self) -> str:
        """The file name."""
        ...

    @property
    def data(self) -> bytes:
        """The content."""
        ...


ErrorsOf = Callable[[str, Any, Any], list[str]]  # (stage, draft, input) → the messages of its error findings
ExportFn = Callable[[str, Any, str, Any], Exported]  # (stage, draft, format, input) → the file


def _stored_errors(_stage: str, draft: Any, _source: Any) -> list[str]:
    """The error findings a draft carries (when no checker is given to run the stage's checks again)."""
    findings = draft.get("findings", []) if isinstance(draft, dict) else []
    return [str(f.get("message", f)) for f in findings if isinstance(f, dict) and f.get("severity") == "error"]


class Workspace:
    """Accounts, reviewed drafts, audit and conversations over one store; every call names the acting user."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        errors_of: ErrorsOf = _stored_errors,
        exporter: ExportFn | None = None,
        revision_of: sources.RevisionOf | None = None,
        clock: Clock = utc_now,
        time_cost: int = TIME_COST,
        session_for: timedelta = SESSION_FOR,
    ) -> None:
        self.store, self.settings = store, settings
        self._errors_of, self._exporter, self._clock = errors_of, exporter, clock
        self._revision_of = revision_of or sources.stored_revision(store)
        self._time_cost, self._session_for = time_cost, session_for

    # ---- the checks and the log every method goes through ----------------------------------------
    def require(self, user: User, action: Action) -> User:
        """The user as the database knows them now, if allowed the action; else PermissionDenied."""
        if user.local:
            return user
        record = accounts_table.get_user(self.store, user.name)
        if record is None:
            raise PermissionDenied(f"user '{user.name}' has no account here; log in with an account an admin made")
        current = accounts.to_user(record)
        require(current, action)
        return current

    def require_stage(self, user: User, action: Action, stage: str) -> User:
        """As `require`, and the user's role must be the stage's author role (drafting and editing a stage)."""
        current = self.require(user, action)
        require_author(current, stage, get_stage(stage).author)
        return current

    def record(
        self, user: User | str, action: AuditAction, target: str, version: int | None = None, detail: str = ""
    ) -> AuditRecord:
        """Append to the audit log (also for events outside the workspace: downloads in the UI), and move the
        anchor outside the database (PREPRO_HOME/audit-anchor.json) to the new row."""
        name = user if isinstance(user, str) else user.name
        anchor = audit.anchor_path(self.settings.home)
        return audit.record(self.store, self._clock(), name, AuditAction(action), target, version, detail, anchor)

    def _at(self) -> str:
        return stamp(self._clock())

    # ---- accounts and sessions -----------------------------------------------------------------------
    def first_admin(self) -> FirstAdmin | None:
        """On the first start (no accounts), create `admin` from PREPRO_ADMIN_PASSWORD or with a one-time
        password returned here to show once; None when accounts exist."""
        made = accounts.first_admin(self.store, self.settings, self._at(), self._time_cost)
        if made:
            how = "generated one-time password" if made.password else "PREPRO_ADMIN_PASSWORD"
            self.record(LOCAL_USER, AuditAction.FIRST_ADMIN, f"user:{made.name}", detail=how)
        return made

    def login(self, name: str, password: str) -> Session:
        """Log in; AuthenticationError when the name or password is wrong, or the account locked or disabled."""
        try:
            user = accounts.login(self.store, name, password, self._clock(), self._time_cost)
        except AuthenticationError as exc:
            self.record(name, AuditAction.LOGIN_FAILED, f"user:{name}", detail=str(exc))
            raise
        session = accounts.open_session(self.store, user, self._clock(), self._session_for)
        self.record(user, AuditAction.LOGIN, f"user:{name}")
        return session

    def authenticate(self, token: str) -> User:
        """The user of a live session token; AuthenticationError when it expired or is unknown."""
        return accounts.session_user(self.store, token, self._clock())

    def logout(self, token: str) -> None:
        """End a session."""
        try:
            user = self.authenticate(token)
        except AuthenticationError:
            return
        accounts.close_session(self.store, token)
        self.record(user, AuditAction.LOGOUT, f"user:{user.name}")

    def add_user(self, actor: User, name: str, role: Role | str, password: str, clearance: str | None = None) -> User:
        """Create an account (admins); `clearance` defaults to the role's (admins restricted, others internal).
        An admin in the workspace hands out a one-time password the new user must change at the first login."""
        self.require(actor, Action.MANAGE_USERS)
        made = accounts.create_user(
            self.store, name, role, password, self._at(), self._time_cost, clearance=clearance, one_time=not actor.local
        )
        detail = f"role {made.role}, clearance {made.clearance}"
        self.record(actor, AuditAction.USER_CREATE, f"user:{made.name}", detail=detail)
        return made

    def users(self, actor: User) -> list[User]:
        """Every account (admins)."""
        self.require(actor, Action.MANAGE_USERS)
        return [accounts.to_user(r) for r in accounts_table.list_users(self.store)]

    def account(self, name: str) -> User:
        """The account a name gives (PREPRO_USER for the CLI and Python API) as the database has it now;
        AuthenticationError when there is none or it is disabled."""
        record = accounts_table.get_user(self.store, name)
        if record is None:
            raise AuthenticationError(f"PREPRO_USER names '{name}', who has no account here; unset it or add the user")
        if not record.active:
            raise AuthenticationError(f"PREPRO_USER names '{name}', whose account is disabled")
        return accounts.to_user(record)

    def _user(self, name: str) -> User:
        record = accounts_table.get_user(self.store, name)
        if record is None:
            known = ", ".join(r.name for r in accounts_table.list_users(self.store))
            raise InputError(f"there is no user '{name}' (users: {known or 'none'})")
        return accounts.to_user(record)

    def set_role(self, actor: User, name: str, role: Role | str) -> User:
        """Change a user's role (admins)."""
        self.require(actor, Action.MANAGE_USERS)
        new = parse_role(role)
        old = self._user(name)
        accounts_table.update_user(self.store, name, role=new.value)
        self.record(actor, AuditAction.USER_CHANGE, f"user:{name}", detail=f"role {old.role} -> {new}")
        return replace(old, role=new)

    def set_clearance(self, actor: User, name: str, clearance: str) -> User:
        """Change the most confidential access level a user reads (admins)."""
        self.require(actor, Action.MANAGE_USERS)
        new = access_level(clearance)
        old = self._user(name)
        accounts_table.update_user(self.store, name, clearance=new.value)
        self.record(actor, AuditAction.USER_CHANGE, f"user:{name}", detail=f"clearance {old.clearance} -> {new}")
        return replace(old, clearance=new)

    def set_active(self, actor: User, name: str, active: bool) -> User:
        """Enable or disable an account (admins); disabling ends its sessions."""
        self.require(actor, Action.MANAGE_USERS)
        old = self._user(name)
        accounts_table.update_user(self.store, name, active=active)
        if not active:
            accounts_table.end_sessions_of(self.store, name)
        self.record(actor, AuditAction.USER_CHANGE, f"user:{name}", detail="enabled" if active else "disabled")
        return replace(old, active=active)

    def set_password(self, actor: User, name: str, password: str, current: str | None = None) -> None:
        """Set a password: your own (give the current one) or anyone's (admins); ends the user's sessions.
        A password an admin in the workspace sets for someone else is one-time: that user must change it."""
        own = actor.name == name and not actor.local
        if own:
            accounts.login(self.store, name, current or "", self._clock(), self._time_cost)
            if password == current:
                raise InputError("the new password is the current one; choose another")
        else:
            self.require(actor, Action.MANAGE_USERS)
            self._user(name)
        hashed = accounts.hash_password(password, self._time_cost)
        one_time = not own and not actor.local
        accounts_table.update_user(self.store, name, password_hash=hashed, must_change_password=one_time)
        accounts_table.end_sessions_of(self.store, name)
        detail = "one-time password set" if one_time else "password set"
        self.record(actor, AuditAction.USER_CHANGE, f"user:{name}", detail=detail)

    # ---- drafts and reviews --------------------------------------------------------------------------
    def save_version(
        self,
        user: User,
        stage: str,
        draft: Any,
        input: Any,
        expected_version: int | None = None,
        note: str = "",
    ) -> Version:
        """Save a draft of a stage for its input as a new version on top of `expected_version` (None: a new
        draft); EditConflict, showing the other's change, when someone saved in between."""
        acting = self.require_stage(user, Action.EDIT, stage)
        saved = reviews.save_version(self.store, acting.name, stage, draft, input, expected_version, note, self._at())
        self.record(acting, AuditAction.SAVE, f"{stage}/{saved.subject}", saved.version, note)
        return saved

    def drafts(self, user: User, stage: str | None = None, state: ReviewState | str | None = None) -> list[DraftRecord]:
        """The stored drafts, optionally of one stage or in one review state."""
        self.require(user, Action.READ)
        return stored.list_drafts(self.store, stage, reviews.parse_state(state).value if state else None)

    def get_draft(self, user: User, draft_id: int) -> DraftRecord:
        """A draft by id."""
        self.require(user, Action.READ)
        return reviews.get_draft(self.store, draft_id)

    def find_draft(self, user: User, stage: str, subject: str) -> DraftRecord | None:
        """The draft of a stage for a subject (a part id, a request id), if saved."""
        self.require(user, Action.READ)
        return stored.find_draft(self.store, stage, subject)

    def version(self, user: User, draft_id: int, version: int | None = None) -> Version:
        """A version of a draft (the latest by default)."""
        self.require(user, Action.READ)
        return reviews.get_version(self.store, reviews.get_draft(self.store, draft_id), version)

    def history(self, user: User, draft_id: int) -> list[Version]:
        """Every version of a draft, oldest first."""
        self.require(user, Action.READ)
        return reviews.history(self.store, reviews.get_draft(self.store, draft_id))

    def diff(self, user: User, draft_id: int, first: int, second: int) -> Diff:
        """What changed from one version of a draft to another: unified diff and per-row summary."""
        self.require(user, Action.READ)
        return reviews.compare(self.store, reviews.get_draft(self.store, draft_id), first, second)

    def comments(self, user: User, draft_id: int) -> list[CommentRecord]:
        """A draft's comments, oldest first."""
        self.require(user, Action.READ)
        return stored.list_comments(self.store, reviews.get_draft(self.store, draft_id).id)

    def decisions(self, user: User, draft_id: int) -> list[DecisionRecord]:
        """A draft's review decisions, oldest first."""
        self.require(user, Action.READ)
        return stored.list_decisions(self.store, reviews.get_draft(self.store, draft_id).id)

    def approved_revisions(self, user: User, draft_id: int) -> list[ApprovedRevision]:
        """The documents the latest approved version cites, each at the revision it was approved against and
        whether it has been replaced since (none when the draft was never approved)."""
        approval = sources.latest_approval(self.decisions(user, draft_id))
        if approval is None:
            return []
        approved = reviews.get_version(self.store, reviews.get_draft(self.store, draft_id), approval.version)
        return sources.approved_revisions(self.store, approval, approved.content)

    def comment(self, user: User, draft_id: int, text: str, version: int | None = None) -> CommentRecord:
        """Comment on a version of a draft (the latest by default)."""
        acting = self.require(user, Action.COMMENT)
        if not text.strip():
            raise InputError("a comment needs some text")
        found = reviews.get_version(self.store, reviews.get_draft(self.store, draft_id), version)
        made = stored.add_comment(self.store, draft_id, found.version, acting.name, text, self._at())
        self.record(acting, AuditAction.COMMENT, f"{found.stage}/{found.subject}", found.version)
        return made

    def submit(self, user: User, draft_id: int, version: int) -> DraftRecord:
        """Put the latest version of a draft up for review."""
        found = reviews.get_draft(self.store, draft_id)
        acting = self.require_stage(user, Action.EDIT, found.stage)
        draft = reviews.submit(self.store, found, version, self._at())
        self.record(acting, AuditAction.SUBMIT, reviews.label(draft), version)
        return draft

    def approve(
        self, user: User, draft_id: int, version: int, comment: str = "", force: bool = False
    ) -> DecisionRecord:
        """Approve a version (reviewers); refused while the stage's checks find errors in it, unless `force`
        (then the errors are recorded in the audit log)."""
        acting = self.require(user, Action.REVIEW)
        draft = reviews.get_draft(self.store, draft_id)
        found = reviews.get_version(self.store, draft, version)
        errors = self._errors_of(draft.stage, found.content, found.input)
        if errors and not force:
            shown = "; ".join(errors[:5])
            raise InputError(
                f"version {version} of {reviews.label(draft)} has {len(errors)} error finding(s): {shown}; have "
                "them fixed, or approve with force=True (recorded in the audit log)"
            )
        made = reviews.decide(self.store, acting.name, draft, version, Decision.APPROVE, comment, self._at())
        sources.record_approval(self.store, made, found.content, self._revision_of)
        action = AuditAction.APPROVE_FORCED if errors else AuditAction.APPROVE
        self.record(acting, action, reviews.label(draft), version, "; ".join(errors) or comment)
        return made

    def reject(self, user: User, draft_id: int, version: int, comment: str) -> DecisionRecord:
        """Reject a version (reviewers), saying why."""
        return self._decide(user, draft_id, version, Decision.REJECT, comment)

    def request_changes(self, user: User, draft_id: int, version: int, comment: str) -> DecisionRecord:
        """Send a version back for changes (reviewers), saying which."""
        return self._decide(user, draft_id, version, Decision.REQUEST_CHANGES, comment)

    def _decide(self, user: User, draft_id: int, version: int, decision: Decision, comment: str) -> DecisionRecord:
        acting = self.require(user, Action.REVIEW)
        draft = reviews.get_draft(self.store, draft_id)
        made = reviews.decide(self.store, acting.name, draft, version, decision, comment, self._at())
        self.record(acting, AuditAction(decision.value), reviews.label(draft), version, comment)
        return made

    def export(self, user: User, draft_id: int, fmt: str, version: int | None = None) -> Exported:
        """A version of a draft (the latest by default) as a file in one of its stage's formats."""
        acting = self.require(user, Action.EXPORT)
        if self._exporter is None:
            raise ConfigError("this workspace cannot render files: use Assistant().workspace, which can")
        found = reviews.get_version(self.store, reviews.get_draft(self.store, draft_id), version)
        exported = self._exporter(found.stage, found.content, fmt, found.input)
        self.record(acting, AuditAction.EXPORT, f"{found.stage}/{found.subject}", found.version, fmt)
        return exported

    # ---- the audit log -------------------------------------------------------------------------------
    def audit_log(
        self, user: User, since: datetime | None = None, of_user: str | None = None, limit: int | None = 500
    ) -> list[AuditRecord]:
        """The newest rows of the audit log (admins), oldest first."""
        self.require(user, Action.AUDIT)
        return audit_log.entries(self.store, stamp(since) if since else None, user_name=of_user, limit=limit)

    def verify_audit(self, user: User) -> AuditCheck:
        """Recompute the audit log's hash chain and compare its end with the anchor outside the database (admins)."""
        self.require(user, Action.AUDIT)
        return audit.verify(self.store, audit.anchor_path(self.settings.home))

    def anomalies(self, user: User, days: int = 28, tz: tzinfo = UTC, now: datetime | None = None) -> list[Anomaly]:
        """Unusual activity in the last `days` days (admins), each with its explanation (see workspace.audit)."""
        self.require(user, Action.AUDIT)
        return audit.anomalies(self.store, now or self._clock(), days, tz)

    # ---- conversations -------------------------------------------------------------------------------
    def start_conversation(self, user: User, title: str) -> ConversationRecord:
        """A new conversation of the user (titled by its first question)."""
        acting = self.require(user, Action.CHAT)
        made = conversations.start(self.store, acting, title, self._at())
        self.record(acting, AuditAction.CONVERSATION, f"conversation:{made.id}")
        return made

    def conversations(self, user: User) -> list[ConversationRecord]:
        """The user's own conversations, newest first."""
        acting = self.require(user, Action.CHAT)
        return _list_conversations(self.store, acting.name)

    def messages(self, user: User, conversation_id: int) -> list[Message]:
        """A conversation of the user's, message by message (to resume it)."""
        acting = self.require(user, Action.CHAT)
        return conversations.messages(self.store, conversations.owned(self.store, acting, conversation_id))

    def add_message(
        self, user: User, conversation_id: int, role: str, content: str, citations: Sequence[Any] = ()
    ) -> Message:
        """Append a question (`user`) or an answer (`assistant`, with its citations) to the user's conversation."""
        acting = self.require(user, Action.CHAT)
        found = conversations.owned(self.store, acting, conversation_id)
        return conversations.add(self.store, found, role, content, citations, self._at())

    def turns(self, user: User, conversation_id: int) -> list[dict[str, str]]:
        """A conversation as the `history` Assistant.ask takes."""
        return conversations.turns(self.messages(user, conversation_id))
