"""Background jobs: on rq when REDIS_URL is set, otherwise run inline, after the request."""
from __future__ import annotations

import contextlib
import importlib
import logging
from typing import Iterator, Optional, Sequence

from flask import Flask, current_app, has_app_context
from redis import Redis
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

    With `retry_seconds`, rq runs a failed job again after each of these waits. Inline,
    such a job's failure is logged and not raised: the job has recorded it, and the
    check that watches its work picks it up again.
    """
    queue: Optional[Queue] = current_app.extensions.get("rq.queue")
    if queue is not None:
        retry = Retry(max=len(retry_seconds), interval=list(retry_seconds)) if retry_seconds else None
        queue.enqueue(function, *args, job_id=job_id, retry=retry)
        return
    module, _, name = function.rpartition(".")
    try:
        getattr(importlib.import_module(module), name)(*args)
    except Exception:
        if not retry_seconds:
            raise
        log.exception("job %s%r failed; it is left for the next check", function, args)


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
