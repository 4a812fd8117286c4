"""The benchmark's database and server processes, started as production runs them."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from ivr import schema

ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/11"
HOTLINE = str(Path(sys.executable).with_name("hotline"))
REPO = Path(__file__).resolve().parents[2]
FIRST_CUSTOMER_NUMBER = 100001


def fresh_database(name: str, customers: int) -> str:
    """Drop and create the database, migrate it, add the customers; its URL."""
    if not name.startswith("hotline_bench"):
        raise ValueError("the benchmark's database name must start with hotline_bench")
    url = schema.create_empty_database(ADMIN_URL, name)
    schema.upgrade(url)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO customers (customer_number, name, email, created_at) "
            "SELECT (:first + g)::text, 'Kunde ' || g, 'kunde' || g || '@example.de', now() "
            "FROM generate_series(0, :count - 1) AS g"), {"first": FIRST_CUSTOMER_NUMBER, "count": customers})
        connection.execute(text("ANALYZE"))
    engine.dispose()
    return url


def customer_number(index: int, customers: int) -> str:
    """The customer number a caller gives: one of the seeded ones."""
    return str(FIRST_CUSTOMER_NUMBER + index % customers)


def flush_redis() -> None:
    from redis import Redis

    Redis.from_url(REDIS_URL).flushdb()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """A process of its own group, its output to a log file."""
    handle = open(log, "ab")
    return subprocess.Popen(command, env={**os.environ, **env}, cwd=REPO, stdout=handle,
                            stderr=subprocess.STDOUT, start_new_session=True)


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port} after {seconds} s")


def stop(process: subprocess.Popen) -> None:
    """End the process and its children (its own process group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _stat(pid: int) -> list[str]:
    with open(f"/proc/{pid}/stat") as handle:
        return handle.read().rsplit(")", 1)[1].split()


def tree_cpu_seconds(root: int) -> float:
    """CPU time of a process and its descendants, reaped children included."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parents[int(entry)] = int(_stat(int(entry))[1])
            except (OSError, IndexError):
                continue
    tree, grown = {root}, True
    while grown:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        grown, tree = bool(more), tree | more
    ticks, total = os.sysconf("SC_CLK_TCK"), 0
    for pid in tree:
        try:
            fields = _stat(pid)
        except OSError:
            continue
        total += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return total / ticks


def machine_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, all cores."""
    with open("/proc/stat") as handle:
        values = [int(v) for v in handle.readline().split()[1:]]
    idle = values[3] + values[4]
    ticks = os.sysconf("SC_CLK_TCK")
    return (sum(values) - idle) / ticks, sum(values) / ticks


def database_cpu_seconds(database: str) -> dict[int, float]:
    """CPU time of each PostgreSQL backend serving the database, by pid."""
    ticks, used = os.sysconf("SC_CLK_TCK"), {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                title = handle.read().decode(errors="replace")
            if not title.startswith("postgres:") or f" {database} " not in title:
                continue
            fields = _stat(int(entry))
        except OSError:
            continue
        used[int(entry)] = (int(fields[11]) + int(fields[12])) / ticks
    return used


def database_cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds the backends used between two readings (new backends wholly)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())
