"""The rq worker of the hotline's jobs, with rq's scheduler for jobs due later."""
from __future__ import annotations

import os

from flask import Flask
from rq import Worker

from ivr.db import engine


def run_worker(app: Flask, burst: bool = False) -> None:
    """Work the app's queue until stopped (or empty, with `burst`); runs in an app context.

    rq runs each job in a forked process: there the inherited database connections are
    dropped unused, as SQLAlchemy asks after a fork.
    """
    queue = app.extensions["rq.queue"]
    database = engine()
    os.register_at_fork(after_in_child=lambda: database.dispose(close=False))
    Worker([queue], connection=queue.connection).work(with_scheduler=True, burst=burst)
