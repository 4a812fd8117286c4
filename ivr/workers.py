"""The rq worker of the hotline's jobs, with rq's scheduler for jobs due later.

What rq does when a worker dies (rq 3.0):

- A work horse (the forked process running one job) that dies, e.g. killed by the OOM
  killer, is noticed at once by its worker, which fails the job; a job enqueued with a
  `Retry` is then scheduled again after its next interval, otherwise it goes to the
  FailedJobRegistry.
- A worker that dies as a whole leaves its job in the StartedJobRegistry. Once the job's
  heartbeat has expired (rq keeps it for the monitoring interval + 60 s), the next
  registry maintenance of any worker of the queue fails it as abandoned, with the same
  choice: retried if it has retries left, else failed.

So jobs that must not be lost are enqueued with retries, and the maintenance runs every
minute here rather than rq's ten minutes. The timing can be changed in the environment:
WORKER_MAINTENANCE_SECONDS, WORKER_MONITORING_SECONDS (how often a busy worker checks on its
horse and renews the heartbeat) and WORKER_TTL_SECONDS (an idle worker wakes every TTL - 15 s,
which is also when it looks whether maintenance is due).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping, Optional

from flask import Flask
from rq import Worker

from ivr.db import engine


@dataclass(frozen=True)
class WorkerTiming:
    """How often a worker cleans the queue's registries, checks its horse, says it is alive."""

    maintenance_seconds: int = 60
    monitoring_seconds: int = 30
    ttl_seconds: int = 75

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> "WorkerTiming":
        """The timing with the WORKER_*_SECONDS settings of the environment."""
        def seconds(name: str, default: int) -> int:
            value = environ.get(name)
            return max(1, int(value)) if value else default

        return cls(seconds("WORKER_MAINTENANCE_SECONDS", cls.maintenance_seconds),
                   seconds("WORKER_MONITORING_SECONDS", cls.monitoring_seconds),
                   seconds("WORKER_TTL_SECONDS", cls.ttl_seconds))


def make_worker(app: Flask, timing: WorkerTiming) -> Worker:
    """An rq worker on the app's queue with the timing."""
    queue = app.extensions["rq.queue"]
    return Worker([queue], connection=queue.connection,
                  maintenance_interval=timing.maintenance_seconds,
                  job_monitoring_interval=timing.monitoring_seconds,
                  worker_ttl=timing.ttl_seconds)


def run_worker(app: Flask, burst: bool = False, timing: Optional[WorkerTiming] = None) -> None:
    """Work the app's queue until stopped (or empty, with `burst`); runs in an app context.

    rq runs each job in a forked process: there the inherited database connections are
    dropped unused, as SQLAlchemy asks after a fork.
    """
    worker = make_worker(app, timing or WorkerTiming.from_environment())
    database = engine()
    os.register_at_fork(after_in_child=lambda: database.dispose(close=False))
    worker.work(with_scheduler=True, burst=burst)
