"""Run the webhook benchmark: the hotline against a bare Flask app, same gunicorn, same load.

    python -m benchmarks.webhooks [--calls 200] [--workers N] [--threads 8] [--duration 20 | --rounds R] [--think-ms 0]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Optional

from benchmarks.webhooks import load, report, servers
from ivr import serving
from ivr.simulator import CallScript

AUTH_TOKEN = "benchmark-auth-token-0123456789abcdef"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.webhooks",
                                     description="The hotline's webhooks under load, beside a bare Flask app.")
    parser.add_argument("--calls", type=int, default=200, help="concurrent simulated calls")
    parser.add_argument("--workers", type=int, default=None,
                        help=f"gunicorn processes (default {serving.default_workers()})")
    parser.add_argument("--threads", type=int, default=serving.DEFAULT_THREADS,
                        help="threads per gunicorn process")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds measured per app")
    parser.add_argument("--rounds", type=int, default=None,
                        help="calls per caller instead of a duration")
    parser.add_argument("--think-ms", type=float, default=0.0,
                        help="mean pause of a caller before each next request, +-50%% (0: closed loop)")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of load before measuring")
    parser.add_argument("--queue-waits", type=int, default=3, help="wait URL requests per call")
    parser.add_argument("--customers", type=int, default=5000, help="customers seeded")
    parser.add_argument("--database", default="hotline_bench")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    return parser.parse_args()


def caller_number(number: int) -> str:
    return f"+4923819{number:06d}"


def hotline_script(args):
    def make(number: int, round_: int) -> CallScript:
        customer = servers.customer_number(number * 997 + round_, args.customers)
        return CallScript(keys=["_", "1", f"{customer}#"], caller=caller_number(number),
                          queue_waits=args.queue_waits)

    return make


def measure(target: load.Target, make_script, args, server_pid: int,
            worker_pid: Optional[int] = None) -> report.Row:
    """One load run with the CPU its server, worker, database and the machine used meanwhile."""
    pids = [server_pid] + ([worker_pid] if worker_pid else [])
    before = [servers.tree_cpu_seconds(pid) for pid in pids]
    database_before = servers.database_cpu_seconds(args.database)
    busy_before, total_before = servers.machine_busy_seconds()
    measurement = asyncio.run(load.run(target, make_script, args.calls,
                                       None if args.rounds else args.duration, args.rounds,
                                       args.think_ms, args.warmup))
    busy_after, total_after = servers.machine_busy_seconds()
    used = [servers.tree_cpu_seconds(pid) - cpu for pid, cpu in zip(pids, before)] + [0.0]
    database = servers.database_cpu_used(database_before, servers.database_cpu_seconds(args.database))
    # the warm-up ran before the window too: only the window's share is the run's
    share = measurement.wall_seconds / (measurement.wall_seconds + args.warmup)
    return report.Row(measurement, used[0] * share, used[1] * share, database * share,
                      (busy_after - busy_before) / max(total_after - total_before, 1e-9))


def main() -> int:
    args = arguments()
    workers = args.workers or serving.default_workers()
    logs = Path(tempfile.mkdtemp(prefix="hotline-bench-"))
    print(f"database {args.database}: migrating, {args.customers} customers; logs in {logs}", flush=True)
    url = servers.fresh_database(args.database, args.customers)
    servers.flush_redis()
    hotline_port, bare_port = servers.free_port(), servers.free_port()
    env = {"DATABASE_URL": url, "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "SECRET_KEY": "benchmark",
           "REDIS_URL": servers.REDIS_URL, "HOTLINE_INSTANCE_PATH": str(logs / "instance")}
    pool = [str(w) for w in ("--workers", workers, "--threads", args.threads)]
    processes = {
        "hotline": servers.start([servers.HOTLINE, "serve", "--bind", f"127.0.0.1:{hotline_port}", *pool],
                                 {**env, "PROMETHEUS_MULTIPROC_DIR": str(logs / "metrics-hotline")},
                                 logs / "hotline.log"),
        "worker": servers.start([servers.HOTLINE, "worker"], env, logs / "worker.log"),
        "bare": servers.start([sys.executable, "-m", "benchmarks.webhooks.bare", "--bind",
                               f"127.0.0.1:{bare_port}", *pool],
                              {"PROMETHEUS_MULTIPROC_DIR": str(logs / "metrics-bare")}, logs / "bare.log"),
    }
    try:
        servers.wait_for_port(hotline_port, processes["hotline"])
        servers.wait_for_port(bare_port, processes["bare"])
        hotline = load.Target("hotline", f"http://127.0.0.1:{hotline_port}", AUTH_TOKEN)
        bare = load.Target("bare", f"http://127.0.0.1:{bare_port}", AUTH_TOKEN)
        recorded = asyncio.run(load.probe(hotline, hotline_script(args)(10**6 - 1, 0)))
        print("one call's requests: " + ", ".join(r.path for r in recorded), flush=True)
        bare_row = measure(bare, lambda n, _r: load.Replay(recorded, caller_number(n)), args,
                           processes["bare"].pid)
        hotline_row = measure(hotline, hotline_script(args), args,
                              processes["hotline"].pid, processes["worker"].pid)
    finally:
        for process in processes.values():
            servers.stop(process)
    settings = {"calls": args.calls, "workers": workers, "threads": args.threads,
                "cpus": os.cpu_count(),
                "window": f"{args.rounds} calls per caller" if args.rounds else f"{args.duration:g} s",
                "think_ms": f"{args.think_ms:g}", "queue_waits": args.queue_waits,
                "requests_per_call": len(recorded)}
    print(report.render(settings, hotline_row, bare_row), flush=True)
    if args.json:
        args.json.write_text(json.dumps({"settings": settings, "rows": {
            row.measurement.target: {"rps": row.requests_per_second,
                                     "p50_ms": report.percentile(row.measurement.latencies, 0.5),
                                     "p99_ms": report.percentile(row.measurement.latencies, 0.99),
                                     "errors": row.measurement.errors,
                                     "client_cpu": row.measurement.client_cpu_seconds / row.measurement.wall_seconds,
                                     "server_cpu": row.server_cpu_seconds / row.measurement.wall_seconds,
                                     "rq_cpu": row.worker_cpu_seconds / row.measurement.wall_seconds,
                                     "db_cpu": row.database_cpu_seconds / row.measurement.wall_seconds}
            for row in (bare_row, hotline_row)}}, indent=2))
    hotline_ok = hotline_row.measurement.errors == 0
    return 0 if hotline_ok else 1


if __name__ == "__main__":
    sys.exit(main())
