"""Workspace commands: `prepro users ...` (accounts) and `prepro audit ...` (verify the log, unusual activity).

The CLI runs as the local trusted caller (whoever owns PREPRO_HOME or the database URL): it needs no login,
and what it changes is audited as `local`. With PREPRO_USER set, it acts as that account: its role applies.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from assistant.cli.common import FORMAT_OPTION, Format, assistant, console, err_console

if TYPE_CHECKING:
    from assistant.api import User

users_app = typer.Typer(help="Accounts of the review workspace (runs as the local admin).", no_args_is_help=True)
audit_app = typer.Typer(help="The audit log: verify its hash chain, flag unusual activity.", no_args_is_help=True)

ROLE_HELP = "engineer, technologist (draft and edit), reviewer (approve), admin (users, documents, audit)."
CLEARANCE_HELP = "public, internal or restricted: the documents read (default: admin restricted, others internal)."


def _actor() -> User:
    """PREPRO_USER's account, else the local trusted caller."""
    from assistant.api import LOCAL_USER

    return assistant().acting_user() or LOCAL_USER


def _password(given: str | None) -> str:
    return given if given is not None else typer.prompt("password", hide_input=True, confirmation_prompt=True)


@users_app.command("init")
def init() -> None:
    """Create the first admin (PREPRO_ADMIN_PASSWORD, or a one-time password printed once)."""
    made = assistant().workspace.first_admin()
    if made is None:
        console.print("accounts exist already; nothing to do")
    elif made.password:
        console.print(f"created '{made.name}' with the one-time password: {made.password}", highlight=False)
        err_console.print("it is shown only now; log in and change it", highlight=False)
    else:
        console.print(f"created '{made.name}' with the password from PREPRO_ADMIN_PASSWORD", highlight=False)


@users_app.command("add")
def add(
    name: str = typer.Argument(..., help="User name: letters, digits, '.', '-', '_'."),
    role: str = typer.Option(..., "--role", "-r", help=ROLE_HELP),
    password: str | None = typer.Option(None, "--password", help="The password (prompted when not given)."),
    clearance: str | None = typer.Option(None, "--clearance", help=CLEARANCE_HELP),
) -> None:
    """Create an account."""
    made = assistant().workspace.add_user(_actor(), name, role, _password(password), clearance)
    console.print(f"added {made.name} ({made.role}, reads up to {made.clearance})", highlight=False)


@users_app.command("clearance")
def clearance(
    name: str = typer.Argument(..., help="The user."),
    level: str = typer.Argument(..., help=CLEARANCE_HELP),
) -> None:
    """Set the most confidential access level of documents a user reads."""
    changed = assistant().workspace.set_clearance(_actor(), name, level)
    console.print(f"{changed.name} reads up to {changed.clearance}", highlight=False)


@users_app.command("list")
def list_users(format: Format = FORMAT_OPTION) -> None:
    """List the accounts."""
    found = assistant().workspace.users(_actor())
    if format is Format.json:
        typer.echo(json.dumps([asdict(u) for u in found], indent=2))
        return
    table = Table("name", "role", "clearance", "active", "created")
    for user in found:
        active = ("yes" if user.active else "no") + (", must change password" if user.must_change_password else "")
        table.add_row(user.name, user.role, user.clearance or "", active, user.created_at)
    console.print(table)
    if not found:
        console.print("no accounts yet: `prepro users init` creates the first admin")


@users_app.command("password")
def password(
    name: str = typer.Argument(..., help="The user."),
    new: str | None = typer.Option(None, "--password", help="The new password (prompted when not given)."),
) -> None:
    """Set a user's password (also unlocks the account and ends its sessions)."""
    assistant().workspace.set_password(_actor(), name, _password(new))
    console.print(f"password of {name} set", highlight=False)


@users_app.command("disable")
def disable(
    name: str = typer.Argument(..., help="The user."),
    enable: bool = typer.Option(False, "--enable", help="Enable the account again instead."),
) -> None:
    """Disable an account (its sessions end) or, with --enable, enable it again."""
    assistant().workspace.set_active(_actor(), name, enable)
    console.print(f"{name} {'enabled' if enable else 'disabled'}", highlight=False)


@audit_app.command("verify")
def verify() -> None:
    """Recompute the audit log's hash chain and compare its end with the anchor outside the database; exit 1
    when a row was edited, deleted or inserted, or the newest rows were deleted (no anchor yet: a warning)."""
    check = assistant().workspace.verify_audit(_actor())
    if check.ok:
        console.print(check.describe(), style="yellow" if check.unanchored else None, markup=False, highlight=False)
        return
    err_console.print(f"[red]{check.describe()}[/red]", highlight=False)
    raise typer.Exit(1)


@audit_app.command("anomalies")
def anomalies(
    days: int = typer.Option(28, "--days", help="Days of the log to look at."),
    format: Format = FORMAT_OPTION,
) -> None:
    """Flag unusual activity (bulk exports, many downloads, off-hours work, failed logins) per user and day."""
    zone = datetime.now().astimezone().tzinfo or UTC  # days and working hours in this machine's time zone
    found = assistant().workspace.anomalies(_actor(), days=days, tz=zone)
    if format is Format.json:
        typer.echo(json.dumps([asdict(a) for a in found], ensure_ascii=False, indent=2))
        return
    if not found:
        console.print(f"nothing unusual in the last {days} days")
    for item in found:
        console.print(f"[yellow]{item.pattern:<14}[/yellow] {item.explanation}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the `users` and `audit` command groups to the root app."""
    app.add_typer(users_app, name="users")
    app.add_typer(audit_app, name="audit")
