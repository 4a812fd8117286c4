"""Background jobs: on rq when REDIS_URL is set, otherwise run inline; scheduled jobs on rq.

A job that Redis cannot take (Redis stopped, say) is kept in the database as a
`PendingJob`; the worker relays it to Redis once Redis answers again, so it is not lost.
"""
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
from sqlalchemy import select

from ivr.db import new_session
from ivr.metrics import INLINE_JOB_FAILURES
from ivr.models import PendingJob

log = logging.getLogger(__name__)

QUEUE_NAME = "hotline"
#: Seconds a webhook waits for Redis before it keeps the job in the database instead.
REDIS_TIMEOUT = 2
#: Jobs relayed from the database to Redis in one transaction.
RELAY_BATCH = 100
_worker_app: Optional[Flask] = None


def init_app(app: Flask) -> None:
    """Create the app's rq queue when Redis is configured."""
    url = app.config.get("REDIS_URL")
    if url:
        connection = Redis.from_url(url, socket_connect_timeout=REDIS_TIMEOUT,
                                    socket_timeout=REDIS_TIMEOUT)
        app.extensions["rq.queue"] = Queue(QUEUE_NAME, connection=connection)


def enqueue(function: str, *args: object, job_id: Optional[str] = None,
            retry_seconds: Sequence[int] = (), urgent: bool = False) -> None:
    """Run `package.module.function(*args)` as a job: on rq, or inline without Redis.

    With `retry_seconds`, rq runs a failed job again after each of these waits. As on rq,
    a job that fails inline does not fail the caller: it is logged, and the check that
    watches its work picks it up again. When Redis cannot take a job, it is kept in the
    database until Redis can (see `relay_pending`); an `urgent` job, whose work cannot wait
    for Redis (putting callers through to agents), runs inline instead.
    """
    queue: Optional[Queue] = current_app.extensions.get("rq.queue")
    if queue is None:
        run_inline(function, *args)
        return
    try:
        push(queue, function, args, job_id, retry_seconds)
    except RedisError as exc:
        if urgent:
            log.warning("Redis refused job %s (%s); running it inline", job_id or function, exc)
            run_inline(function, *args)
            return
        log.warning("Redis refused job %s (%s); kept for later", job_id or function, exc)
        keep_for_later(function, args, job_id, retry_seconds)


def run_inline(function: str, *args: object) -> None:
    """Import `package.module.function` and call it; a failure is logged, not raised."""
    module, _, name = function.rpartition(".")
    try:
        getattr(importlib.import_module(module), name)(*args)
    except Exception:
        log.exception("job %s%r failed", function, args)
        INLINE_JOB_FAILURES.inc()


def schedule(at: dt.datetime, function: str, *args: object, job_id: Optional[str] = None) -> bool:
    """Run `package.module.function(*args)` at a moment, on rq; False without Redis.

    rq runs scheduled jobs only on a worker with its scheduler (`hotline worker`). Without
    Redis nothing is scheduled: a periodic command must then do the work (see `hotline
    billing cutoff`). A job Redis refuses is kept in the database until Redis can take it.
    """
    queue: Optional[Queue] = current_app.extensions.get("rq.queue")
    if queue is None:
        return False
    try:
        push(queue, function, args, job_id, (), at)
    except RedisError as exc:
        log.warning("Redis refused scheduled job %s (%s); kept for later", job_id or function, exc)
        keep_for_later(function, args, job_id, (), at)
    return True


def push(queue: Queue, function: str, args: Sequence[object], job_id: Optional[str],
         retry_seconds: Sequence[int], at: Optional[dt.datetime] = None) -> None:
    """Give a job to rq: now, or at a moment."""
    retry = Retry(max=len(retry_seconds), interval=list(retry_seconds)) if retry_seconds else None
    if at is None:
        queue.enqueue(function, *args, job_id=job_id, retry=retry)
    else:
        queue.enqueue_at(at, function, *args, job_id=job_id, retry=retry)


def keep_for_later(function: str, args: Sequence[object], job_id: Optional[str],
                   retry_seconds: Sequence[int], at: Optional[dt.datetime] = None) -> None:
    """Keep a job Redis refused in the database, in a transaction of its own."""
    with new_session() as session, session.begin():
        session.add(PendingJob(function=function, args=list(args), job_id=job_id,
                               retry_seconds=list(retry_seconds), run_at=at))


def relay_pending(queue: Queue) -> int:
    """Give the jobs kept in the database to rq, oldest first; the number relayed.

    Each batch is locked (other relays skip it) and deleted in the transaction that gives
    it to rq. Should Redis fail half-way, the batch stays and comes again: a job may then
    reach rq twice, which every job here allows (they are idempotent, and a job id given
    twice names the same rq job).
    """
    relayed = 0
    while True:
        with new_session() as session, session.begin():
            batch = session.scalars(select(PendingJob).order_by(PendingJob.id)
                                    .limit(RELAY_BATCH).with_for_update(skip_locked=True)).all()
            for job in batch:
                push(queue, job.function, job.args, job.job_id, job.retry_seconds, job.run_at)
                session.delete(job)
        relayed += len(batch)
        if len(batch) < RELAY_BATCH:
            return relayed


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
