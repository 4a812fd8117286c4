"""Benchmark: the keypad-signature lookup of activation with 1,000,000 pending web accounts.

Creates (or reuses) the PostgreSQL database `hotline_bench_activation`, migrates it, fills it
with N pending web accounts by set-based SQL, then times `ivr.activation.candidates` for
random signatures that exist and that do not. Target: median under 5 ms.

    .venv/bin/python benchmarks/activation_lookup.py [--accounts 1000000] [--lookups 2000]
"""
from __future__ import annotations

import argparse
import random
import statistics
import time

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from ivr import schema
from ivr.activation import candidates

ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DATABASE = "hotline_bench_activation"
URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{DATABASE}"

FILL = """
INSERT INTO customers (customer_number, name, created_at) VALUES ('1', 'Bench', now())
ON CONFLICT DO NOTHING;
INSERT INTO web_accounts (web_number, customer_id, domain, keypad_signature, status,
                          failed_passwords, lockouts)
SELECT 'web' || n, (SELECT id FROM customers WHERE customer_number = '1'),
       'd' || n || '.de', signature(n), 'pending', 0, 0
FROM generate_series(1, :accounts) AS n;
"""
SIGNATURE = """
CREATE OR REPLACE FUNCTION signature(n bigint) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT translate(substr(md5(n::text), 1, 12), 'abcdef', '234567') || '*33' $$;
"""


def prepare(accounts: int) -> None:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :d"),
                                    {"d": DATABASE}).scalar()
        if not exists:
            connection.execute(text(f"CREATE DATABASE {DATABASE}"))
    admin.dispose()
    schema.upgrade(URL)
    engine = create_engine(URL)
    with engine.begin() as connection:
        have = connection.execute(text("SELECT count(*) FROM web_accounts")).scalar()
        if have != accounts:
            connection.execute(text("TRUNCATE web_accounts, activation_failures CASCADE"))
            connection.execute(text(SIGNATURE))
            started = time.perf_counter()
            for statement in FILL.strip().split(";\n"):
                connection.execute(text(statement), {"accounts": accounts})
            print(f"filled {accounts:,} accounts in {time.perf_counter() - started:.1f} s")
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE web_accounts"))
    engine.dispose()


def measure(accounts: int, lookups: int) -> None:
    engine = create_engine(URL)
    rng = random.Random(7)
    with engine.connect() as connection:
        known = [connection.execute(text("SELECT signature(:n)"), {"n": rng.randint(1, accounts)}).scalar()
                 for _ in range(lookups // 2)]
    unknown = ["".join(rng.choice("23456789") for _ in range(12)) + "*33" for _ in range(lookups // 2)]
    timings = []
    with Session(engine) as session:
        for keys in known + unknown:
            started = time.perf_counter()
            found = candidates(session, keys)
            timings.append((time.perf_counter() - started) * 1000)
            if keys in known[:1]:
                assert found, "a known signature found nothing"
    timings.sort()
    print(f"{lookups} lookups over {accounts:,} pending accounts: "
          f"median {statistics.median(timings):.3f} ms, "
          f"p99 {timings[int(len(timings) * 0.99) - 1]:.3f} ms, max {timings[-1]:.3f} ms")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=2000)
    args = parser.parse_args()
    prepare(args.accounts)
    measure(args.accounts, args.lookups)


if __name__ == "__main__":
    main()
