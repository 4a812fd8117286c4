"""Benchmark: rate and export a month of 1,000,000 calls on PostgreSQL.

Creates a database of its own (default `hotline_bench_billing`, dropped and created
again), fills it with customers and finished calls by set-based SQL, then times, each as
its own `hotline` process with its peak memory:

1. `hotline billing rate --month 2026-11`   (every call rated into a charge record)
2. `hotline billing export --format csv`    (and datev, summary), to files
3. a plain `COPY (SELECT ...) TO STDOUT WITH CSV` of the same rows, for comparison.

    .venv/bin/python benchmarks/billing_month.py [--calls 1000000] [--database NAME]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
MONTH = "2026-11"
HOTLINE = str(Path(sys.executable).with_name("hotline"))

CUSTOMERS = """
INSERT INTO customers (customer_number, name, created_at)
SELECT (10000 + g)::text, 'Kunde ' || g, now() FROM generate_series(1, 5000) AS g
"""

#: One call every 2.592 s through November: fixed, mobile and unclassified callers, most
#: with a customer number, all queued; every 97th hung up during the price announcement.
CALLS = """
INSERT INTO calls (call_sid, caller, line_type, called, language, state, tries, customer_id,
                   started_at, announced_at, charging_started_at, enqueued_at,
                   queue_free_announced_at, left_queue_at, queue_result, queue_seconds,
                   ended_at, status, duration_seconds)
SELECT 'CA' || lpad(g::text, 32, '0'),
       CASE WHEN g %% 3 = 0 THEN '+49151' || lpad((g %% 100000000)::text, 8, '0')
            WHEN g %% 50 = 1 THEN 'anonymous'
            ELSE '+492381' || lpad((g %% 10000000)::text, 7, '0') END,
       CASE WHEN g %% 3 = 0 THEN 'mobile' WHEN g %% 50 = 1 THEN 'unknown' ELSE 'fixed' END,
       '+499001410520', 'de', 'goodbye', 0,
       CASE WHEN g %% 4 = 0 THEN NULL ELSE 1 + g %% 5000 END,
       s, s + interval '2 s', CASE WHEN g %% 97 = 0 THEN NULL ELSE s + interval '25 s' END,
       s + interval '40 s', s + interval '40 s', s + interval '40 s' + q * interval '1 s',
       'bridged', q, s + interval '40 s' + (q + talk) * interval '1 s', 'completed',
       40 + q + talk
FROM (SELECT g, timestamptz '2026-11-01 00:00:00+00' + g * interval '2.592 s' AS s,
             (g * 7919) %% 600 AS q, 1 + (g * 104729) %% 1500 AS talk
      FROM generate_series(0::bigint, %(calls)s - 1) AS g) AS generated
"""

COPY = """
COPY (SELECT c.call_sid, c.started_at, c.ended_at, c.caller, r.line_type, k.customer_number,
             r.tariff_name, r.billable_seconds, r.billed_units, r.price_per_minute, r.net,
             r.vat, r.gross, r.zero_reason
      FROM calls c JOIN charge_records r ON r.call_id = c.id
      LEFT JOIN customers k ON k.id = c.customer_id
      WHERE c.started_at >= '2026-11-01' AND c.started_at < '2026-12-01'
      ORDER BY c.started_at, c.id) TO STDOUT WITH CSV
"""


def run(label: str, args: list[str], env: dict) -> tuple[float, int]:
    """Run a command; its wall time in seconds and peak memory in MiB."""
    start = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{label} failed with status {status}")
    peak = usage.ru_maxrss // 1024
    print(f"{label:<28} {seconds:8.1f} s   peak {peak:5d} MiB", flush=True)
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--database", default="hotline_bench_billing")
    options = parser.parse_args()
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + options.database

    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {options.database} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {options.database}")
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DATABASE_URL": url, "HOTLINE_INSTANCE_PATH": folder}
        env.pop("REDIS_URL", None)
        subprocess.run([HOTLINE, "db", "upgrade"], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        start = time.perf_counter()
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(CUSTOMERS)
            connection.execute(CALLS, {"calls": options.calls})
            connection.execute("ANALYZE")
        print(f"{options.calls} calls generated in {time.perf_counter() - start:.1f} s")

        run("rate (billing rate)", [HOTLINE, "billing", "rate", "--month", MONTH], env)
        for form in ("csv", "datev", "summary"):
            output = Path(folder) / f"export.{form}"
            run(f"export --format {form}",
                [HOTLINE, "billing", "export", "--month", MONTH, "--format", form,
                 "--output", str(output)], env)
            print(f"{'':<28} {output.stat().st_size / 2**20:8.1f} MiB written")
        run("COPY ... TO STDOUT WITH CSV",
            ["psql", "-X", "-q", "-d", url, "-c", " ".join(COPY.split())], env)
        with psycopg.connect(url) as connection:
            count, gross = connection.execute(
                "SELECT count(*), sum(gross) FROM charge_records").fetchone()
        print(f"{count} charge records, {gross:.2f} EUR gross")


if __name__ == "__main__":
    main()
