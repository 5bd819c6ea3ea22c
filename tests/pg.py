"""A throwaway PostgreSQL server for tests: initdb into a temp dir, pg_ctl start on a free loopback port."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.servers import free_port

PG_USER = "postgres"  # the server's superuser, and the OS user the server runs as when the tests run as root


def find_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl: Debian's /usr/lib/postgresql/<newest>/bin, else the PATH."""
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda f: int(Path(f).parent.name), reverse=True)
    on_path = shutil.which("initdb")
    if on_path:
        folders.append(str(Path(on_path).resolve().parent))
    return next((Path(f) for f in folders if (Path(f) / "initdb").exists() and (Path(f) / "pg_ctl").exists()), None)


@dataclass(frozen=True)
class PgServer:
    """A running server: its port, and databases created on demand."""

    port: int

    def url(self, database: str, driver: str = "postgresql") -> str:
        """A URL for a database on this server (trust authentication: no password)."""
        return f"{driver}://{PG_USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new, empty database; returns its URL (plain postgresql://, as a user would write it)."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _as_server_user(root: Path) -> list[str]:
    """initdb refuses to run as root: then the server runs as `postgres`, which gets the folder."""
    if os.geteuid() != 0:
        return []
    try:
        user = pwd.getpwnam(PG_USER)
    except KeyError:
        raise RuntimeError(f"running as root, but there is no '{PG_USER}' user to run PostgreSQL as") from None
    for path in (root, *root.rglob("*")):
        os.chown(path, user.pw_uid, user.pw_gid)
    return ["runuser", "-u", PG_USER, "--"]


def _run(command: list[str], log: Path) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}\n{tail}")


@contextmanager
def running(binaries: Path) -> Iterator[PgServer]:
    """Start a fresh cluster on a free loopback port (socket in its own folder); remove it all at the end."""
    root = Path(tempfile.mkdtemp(prefix="prepro-pg-"))  # not under pytest's 0700 folder: `postgres` must reach it
    data, sockets, log = root / "data", root / "sockets", root / "server.log"
    sockets.mkdir()
    user = _as_server_user(root)
    port = free_port()
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    try:
        _run(
            [
                *user,
                str(binaries / "initdb"),
                "-D",
                str(data),
                "-U",
                PG_USER,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-locale",
                "-N",
            ],
            log,
        )
        _run([*user, str(binaries / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"], log)
        try:
            yield PgServer(port)
        finally:
            _run([*user, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], log)
    finally:
        shutil.rmtree(root, ignore_errors=True)
