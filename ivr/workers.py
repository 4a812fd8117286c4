"""The rq worker of the hotline's jobs, with rq's scheduler for jobs due later.

Beside rq's own loop a thread relays the jobs that Redis refused while it was away (kept
in the database by `ivr.jobs`) as soon as Redis answers again.

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
minute here rather than rq's ten minutes. The timing is configurable:
WORKER_MAINTENANCE_SECONDS, WORKER_MONITORING_SECONDS (how often a busy worker checks on its
horse and renews the heartbeat) and WORKER_TTL_SECONDS (an idle worker wakes every TTL - 15 s,
which is also when it looks whether maintenance is due).
"""
from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from typing import Mapping, Optional

from flask import Flask
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Worker
from sqlalchemy.exc import SQLAlchemyError

from ivr import jobs
from ivr.db import engine

log = logging.getLogger(__name__)

#: Seconds between two looks for jobs kept in the database.
RELAY_INTERVAL = 5


@dataclass(frozen=True)
class WorkerTiming:
    """How often a worker cleans the queue's registries, checks its horse, says it is alive."""

    maintenance_seconds: int
    monitoring_seconds: int
    ttl_seconds: int

    @classmethod
    def from_config(cls, config: Mapping) -> "WorkerTiming":
        """The timing with the app's WORKER_*_SECONDS settings."""
        return cls(max(1, int(config["WORKER_MAINTENANCE_SECONDS"])),
                   max(1, int(config["WORKER_MONITORING_SECONDS"])),
                   max(1, int(config["WORKER_TTL_SECONDS"])))


def worker_queue(app: Flask) -> Queue:
    """The jobs queue on a connection of the worker's own: no read timeout for its long polls."""
    return Queue(jobs.QUEUE_NAME, connection=Redis.from_url(app.config["REDIS_URL"]))


def make_worker(queue: Queue, timing: WorkerTiming) -> Worker:
    """An rq worker on the queue with the timing."""
    return Worker([queue], connection=queue.connection,
                  maintenance_interval=timing.maintenance_seconds,
                  job_monitoring_interval=timing.monitoring_seconds,
                  worker_ttl=timing.ttl_seconds)


def relay_once(app: Flask, queue: Queue) -> int:
    """Relay the kept jobs to rq; 0 and a warning if Redis or the database is away."""
    with app.app_context():
        try:
            return jobs.relay_pending(queue)
        except (RedisError, SQLAlchemyError) as exc:
            log.warning("kept jobs not relayed yet: %s", exc)
            return 0


def relay_forever(app: Flask, queue: Queue, stop: threading.Event) -> None:
    """Relay kept jobs every RELAY_INTERVAL seconds until `stop` is set."""
    while not stop.wait(RELAY_INTERVAL):
        relay_once(app, queue)


def run_worker(app: Flask, burst: bool = False, timing: Optional[WorkerTiming] = None) -> None:
    """Work the app's queue until stopped (or empty, with `burst`); runs in an app context.

    rq runs each job in a forked process: there the inherited database connections are
    dropped unused, as SQLAlchemy asks after a fork.
    """
    database = engine()
    os.register_at_fork(after_in_child=lambda: database.dispose(close=False))
    queue = worker_queue(app)
    relay_once(app, queue)
    stop = threading.Event()
    if not burst:
        threading.Thread(target=relay_forever, args=(app, worker_queue(app), stop),
                         name="relay", daemon=True).start()
    try:
        make_worker(queue, timing or WorkerTiming.from_config(app.config)).work(
            with_scheduler=True, burst=burst)
    finally:
        stop.set()
