"""A private PostgreSQL server for fault tests: its own data folder, port and socket folder.

The test owns it completely: it can stop it (fast or immediate, as a crash would) and start
it again while the app keeps running. Nothing else on the machine is touched.
"""
from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator, Optional

import pytest
from sqlalchemy import create_engine, text

from ivr import schema
from tests.ports import free_port

BIN_DIR = Path(os.environ.get("TEST_POSTGRES_BIN_DIR", "/usr/lib/postgresql/15/bin"))
DATABASE = "hotline_pgfault"
SUPERUSER = "postgres"


def binaries_missing() -> list[str]:
    """The PostgreSQL programs this module needs that are not installed."""
    return [name for name in ("initdb", "pg_ctl", "postgres") if not (BIN_DIR / name).is_file()]


class PostgresCluster:
    """A PostgreSQL cluster in a temporary folder, listening on 127.0.0.1 only."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="hotline_pgfault_"))
        self.data = self.root / "data"
        self.sockets = self.root / "sockets"
        self.log = self.root / "server.log"
        self.port = free_port()
        self._as_postgres = os.geteuid() == 0
        self.sockets.mkdir()
        if self._as_postgres:  # initdb and postgres refuse to run as root
            owner = pwd.getpwnam(SUPERUSER)
            for path in (self.root, self.sockets):
                os.chown(path, owner.pw_uid, owner.pw_gid)

    def url(self, database: str = DATABASE) -> str:
        """The SQLAlchemy URL of a database in this cluster."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", SUPERUSER, "--"] if self._as_postgres else []
        result = subprocess.run(prefix + list(command), capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n"
                               f"{result.stdout}{result.stderr}\n{log[-3000:]}")

    def init(self) -> None:
        """Create the cluster's data folder (trust authentication, UTF-8)."""
        self._run(str(BIN_DIR / "initdb"), "-D", str(self.data), "-U", SUPERUSER,
                  "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync")

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = (f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c full_page_writes=off -c max_connections=60")
        self._run(str(BIN_DIR / "pg_ctl"), "start", "-D", str(self.data), "-l", str(self.log),
                  "-w", "-t", "60", "-o", options)

    def first_start(self, attempts: int = 3) -> None:
        """Start the server for the first time, on another free port if one was taken meanwhile."""
        for attempt in range(attempts):
            try:
                self.start()
                return
            except RuntimeError:
                if attempt == attempts - 1:
                    raise
                self.port = free_port()

    def stop(self, mode: str = "fast") -> None:
        """Stop the server: `fast` ends sessions cleanly, `immediate` kills it like a crash."""
        self._run(str(BIN_DIR / "pg_ctl"), "stop", "-D", str(self.data), "-m", mode,
                  "-w", "-t", "60")

    def is_running(self) -> bool:
        """Whether the server's postmaster is up."""
        return (self.data / "postmaster.pid").exists()

    def create_database(self, name: str, template: Optional[str] = None) -> str:
        """Create a database (a copy of `template` if given); its URL."""
        admin = create_engine(self.url("postgres").replace("postgresql://", "postgresql+psycopg://"),
                              isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                copy = f" TEMPLATE {template}" if template else ""
                connection.execute(text(f"CREATE DATABASE {name}{copy}"))
        finally:
            admin.dispose()
        return self.url(name)

    def remove(self) -> None:
        """Stop the server if it runs and delete its folder."""
        if self.is_running():
            try:
                self.stop("immediate")
            except RuntimeError:
                pass
        shutil.rmtree(self.root, ignore_errors=True)


def unavailable(reason: str) -> None:
    """Fail in CI, where the fault tests must run; skip elsewhere."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"private PostgreSQL cluster unavailable in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def pg_cluster() -> Iterator[PostgresCluster]:
    """A private, running PostgreSQL cluster with a migrated template database `hotline_pgfault`.

    Locally the tests are skipped when the PostgreSQL programs are missing; in CI (CI=true)
    that fails them. Any other problem setting the cluster up is an error everywhere.
    """
    missing = binaries_missing()
    if missing:
        unavailable(f"PostgreSQL programs missing in {BIN_DIR}: {', '.join(missing)}")
    cluster = PostgresCluster()
    try:
        cluster.init()
        cluster.first_start()
        schema.upgrade(cluster.create_database(DATABASE))
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def pg_database(pg_cluster) -> str:
    """A fresh migrated database in the private cluster for one test (a copy of the template)."""
    if not pg_cluster.is_running():
        pg_cluster.start()
    return pg_cluster.create_database(f"{DATABASE}_{next(_DATABASE_NUMBERS)}", template=DATABASE)


_DATABASE_NUMBERS = itertools.count(1)
