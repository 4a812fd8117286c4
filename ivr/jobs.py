"""Background jobs: on rq when REDIS_URL is set, otherwise run inline; scheduled jobs on rq."""
from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import logging
from typing import Iterator, Optional, Sequence

from flask import Flask, current_app, has_app_context
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry

log = logging.getLogger(__name__)

QUEUE_NAME = "hotline"
_worker_app: Optional[Flask] = None


def init_app(app: Flask) -> None:
    """Create the app's rq queue when Redis is configured."""
    url = app.config.get("REDIS_URL")
    if url:
        app.extensions["rq.queue"] = Queue(QUEUE_NAME, connection=Redis.from_url(url))


def enqueue(function: str, *args: object, job_id: Optional[str] = None,
            retry_seconds: Sequence[int] = ()) -> None:
    """Run `package.module.function(*args)` as a job: on rq, or inline without Redis.

    With `retry_seconds`, rq runs a failed job again after each of these waits. As on rq,
    a job that fails inline does not fail the caller: it is logged, and the check that
    watches its work picks it up again. When Redis cannot take a job, it runs inline
    instead: slower, but not lost.
    """
    queue: Optional[Queue] = current_app.extensions.get("rq.queue")
    if queue is not None:
        retry = Retry(max=len(retry_seconds), interval=list(retry_seconds)) if retry_seconds else None
        try:
            queue.enqueue(function, *args, job_id=job_id, retry=retry)
            return
        except RedisError as exc:
            log.warning("Redis refused job %s (%s); running it inline", job_id or function, exc)
    run_inline(function, *args)


def run_inline(function: str, *args: object) -> None:
    """Import `package.module.function` and call it; a failure is logged, not raised."""
    module, _, name = function.rpartition(".")
    try:
        getattr(importlib.import_module(module), name)(*args)
    except Exception:
        log.exception("job %s%r failed", function, args)


def schedule(at: dt.datetime, function: str, *args: object, job_id: Optional[str] = None) -> bool:
    """Run `package.module.function(*args)` at a moment, on rq; False without Redis.

    rq runs scheduled jobs only on a worker started with `--with-scheduler`. Without Redis
    nothing is scheduled, nor when Redis refuses the job: a periodic command must then do the
    work (see `hotline billing cutoff`).
    """
    queue: Optional[Queue] = current_app.extensions.get("rq.queue")
    if queue is None:
        return False
    try:
        queue.enqueue_at(at, function, *args, job_id=job_id)
    except RedisError as exc:
        log.warning("Redis refused scheduled job %s (%s)", job_id or function, exc)
        return False
    return True


@contextlib.contextmanager
def job_app() -> Iterator[Flask]:
    """The app a job runs in: the current one inline, one per worker process on rq."""
    global _worker_app
    if has_app_context():
        yield current_app._get_current_object()
        return
    if _worker_app is None:
        from app import create_app

        _worker_app = create_app()
    with _worker_app.app_context():
        yield _worker_app
