"""The rq worker of the hotline's jobs, with rq's scheduler for jobs due later.

Beside rq's own loop a thread relays the jobs that Redis refused while it was away (kept
in the database by `ivr.jobs`) as soon as Redis answers again.
"""
from __future__ import annotations

import logging
import os
import threading

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


def worker_queue(app: Flask) -> Queue:
    """The jobs queue on a connection of the worker's own: no read timeout for its long polls."""
    return Queue(jobs.QUEUE_NAME, connection=Redis.from_url(app.config["REDIS_URL"]))


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


def run_worker(app: Flask, burst: bool = False) -> None:
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
        Worker([queue], connection=queue.connection).work(with_scheduler=True, burst=burst)
    finally:
        stop.set()
