"""The hotline's own processes for tests: `hotline serve` (gunicorn) and `hotline worker`.

Each runs as a subprocess on a database of its own; every helper stops what it started,
also when the test fails.
"""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator, Optional

import requests

from ivr import schema
from tests.conftest import AUTH_TOKEN, POSTGRES_ADMIN_URL, POSTGRES_TEST_DB
from tests.ports import free_port

HOTLINE = str(Path(sys.executable).with_name("hotline"))


def fresh_postgres_database(suffix: str) -> str:
    """A new PostgreSQL database `<test database>_<suffix>`, migrated to head; its URL."""
    url = schema.create_empty_database(POSTGRES_ADMIN_URL, f"{POSTGRES_TEST_DB}_{suffix}")
    schema.upgrade(url)
    return url


def hotline_env(database_url: str, redis_url: Optional[str] = None, **extra: str) -> dict:
    """The environment of a hotline process: its database, Redis (or none), test secrets."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("REDIS_URL", "PUBLIC_BASE_URL", "PROMETHEUS_MULTIPROC_DIR")}
    env.update(DATABASE_URL=database_url, TWILIO_AUTH_TOKEN=AUTH_TOKEN,
               SECRET_KEY="test-secret", PYTHONUNBUFFERED="1", **extra)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def children_of(pid: int) -> list[int]:
    """The direct child processes of a process (Linux /proc)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


def descendants_of(pid: int) -> list[int]:
    """Every process below a process, children first."""
    found = []
    for child in children_of(pid):
        found += [child, *descendants_of(child)]
    return found


def is_alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def kill(pid: int, sig: int = signal.SIGKILL) -> None:
    """Send a signal to a process that may be gone already."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)


def stop(process: subprocess.Popen, grace: float = 10) -> None:
    """Stop a process and everything it started: SIGTERM, then SIGKILL after `grace` s."""
    family = descendants_of(process.pid)
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
    for pid in family:
        kill(pid)


def wait_until(condition, timeout: float, what: str, interval: float = 0.1):
    """Poll `condition()` until it returns something true; fail with `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@contextlib.contextmanager
def gunicorn(env: dict, log_path: Path, workers: int = 3, threads: int = 4) -> Iterator[str]:
    """`hotline serve` on a free port until the block ends; yields its base URL."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [HOTLINE, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
             "--threads", str(threads)], env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until(lambda: answers(base_url, process, log_path), 30, "gunicorn to answer")
            yield base_url
        finally:
            stop(process)


def answers(base_url: str, process: subprocess.Popen, log_path: Path) -> bool:
    """Whether the server answers a page; fails at once if its process has ended."""
    if process.poll() is not None:
        raise AssertionError(f"the server exited ({process.returncode}):\n"
                             + log_path.read_text(errors="replace")[-3000:])
    try:
        return requests.get(base_url + "/console/login", timeout=2).status_code == 200
    except requests.RequestException:
        return False


class WorkerProcess:
    """`hotline worker` as a subprocess, with access to its work horse."""

    def __init__(self, env: dict, log_path: Path):
        self.log_path = log_path
        self.log = open(log_path, "ab")
        self.process = subprocess.Popen([HOTLINE, "worker"], env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        self.family: set[int] = set()

    def horse(self) -> Optional[int]:
        """The pid of the work horse running a job now, if any (rq forks it into a process
        group of its own)."""
        for child in children_of(self.process.pid):
            self.family.add(child)
            with contextlib.suppress(ProcessLookupError):
                if os.getpgid(child) == child and is_alive(child):
                    return child
        return None

    def kill_all(self) -> None:
        """SIGKILL the worker and every process it started, at once."""
        self.family.update(descendants_of(self.process.pid))
        self.process.kill()
        for pid in self.family:
            kill(pid)
        self.process.wait(10)

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        """Stop the worker and whatever it started."""
        self.family.update(descendants_of(self.process.pid))
        stop(self.process)
        for pid in self.family:
            kill(pid)
        self.log.close()
