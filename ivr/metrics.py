"""Prometheus metrics at /metrics: webhook latency, calls in progress, queue, jobs.

Latencies are counted in each process; under gunicorn the processes write them to the
folder in PROMETHEUS_MULTIPROC_DIR and /metrics adds them up (see ivr.serving). Calls in
progress, the queue and the jobs are read from the database and Redis when scraped, so
every process and host reports the same truth. With METRICS_TOKEN set, /metrics wants
it as a bearer token.
"""
from __future__ import annotations

import datetime as dt
import hmac
import os
import time

from flask import Blueprint, Flask, Response, current_app, g, request

from ivr.serving import METRICS_DIR_VARIABLE

if os.environ.get(METRICS_DIR_VARIABLE):  # prometheus_client writes there as it loads
    os.makedirs(os.environ[METRICS_DIR_VARIABLE], exist_ok=True)

from prometheus_client import (CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter,
                               Histogram, generate_latest)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from redis.exceptions import RedisError
from rq.registry import FailedJobRegistry
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from ivr.db import new_session, utcnow
from ivr.health import database_reachable, redis_reachable
from ivr.models import Call, PendingJob
from ivr.queue import queue_length

bp = Blueprint("metrics", __name__)

#: An open call older than this lost its final status callback: it is not in progress.
STALE_AFTER = dt.timedelta(hours=2)

WEBHOOK_SECONDS = Histogram(
    "hotline_webhook_seconds", "Time to answer a webhook, by route.", ["endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0))
WEBHOOK_RESPONSES = Counter(
    "hotline_webhook_responses", "Webhook answers, by route and HTTP status.", ["endpoint", "status"])
INLINE_JOB_FAILURES = Counter(
    "hotline_inline_job_failures", "Jobs run inline (without Redis) that raised.")


def start_timer() -> None:
    """Note when the request began."""
    g.metrics_started = time.perf_counter()


def observe(response: Response) -> Response:
    """Count a webhook's answer and the time it took."""
    started = g.pop("metrics_started", None)
    if started is not None and request.blueprint in current_app.extensions.get("webhooks", ()):
        endpoint = request.endpoint or "unknown"
        WEBHOOK_SECONDS.labels(endpoint).observe(time.perf_counter() - started)
        WEBHOOK_RESPONSES.labels(endpoint, str(response.status_code)).inc()
    return response


class StateCollector:
    """Gauges read from the database and Redis at each scrape; a store that is away is 0 in
    hotline_up, and its gauges are left out rather than failing the scrape."""

    def collect(self):
        database, redis = database_reachable(), redis_reachable()
        up = GaugeMetricFamily("hotline_up", "Whether this instance reaches the store.",
                               labels=["store"])
        up.add_metric(["database"], int(database))
        if redis is not None:
            up.add_metric(["redis"], int(redis))
        yield up
        if database:
            yield from self.database_gauges()
        if redis:
            yield from self.redis_gauges(current_app.extensions["rq.queue"])

    @staticmethod
    def database_gauges():
        now = utcnow()
        try:
            with new_session() as session:
                in_progress = session.scalar(select(func.count(Call.id)).where(
                    Call.ended_at.is_(None), Call.started_at > now - STALE_AFTER))
                waiting = queue_length(session)
                kept = session.scalar(select(func.count(PendingJob.id)))
        except SQLAlchemyError:
            return
        yield gauge("hotline_calls_in_progress", "Calls not ended yet.", in_progress)
        yield gauge("hotline_queue_length", "Callers waiting in the queue.", waiting)
        yield gauge("hotline_jobs_kept", "Jobs Redis refused, waiting in the database.", kept)

    @staticmethod
    def redis_gauges(queue):
        try:
            queued, failed = queue.count, FailedJobRegistry(queue=queue).count
        except RedisError:
            return
        yield gauge("hotline_jobs_queued", "Jobs waiting for a worker.", queued)
        yield gauge("hotline_jobs_failed", "Jobs that failed on a worker (rq's failed registry).",
                    failed)


def gauge(name: str, documentation: str, value: float | None) -> GaugeMetricFamily:
    """A gauge with one value."""
    return GaugeMetricFamily(name, documentation, value=value or 0)


def process_registry() -> CollectorRegistry:
    """The counters and histograms: of all gunicorn processes, or of this one."""
    if not os.environ.get(METRICS_DIR_VARIABLE):
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    return registry


def authorised() -> bool:
    """Whether the request may read the metrics."""
    token = current_app.config.get("METRICS_TOKEN")
    if not token:
        return True
    given = request.headers.get("Authorization", "")
    return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


@bp.get("/metrics")
def metrics() -> Response:
    """The metrics in Prometheus' text format."""
    if not authorised():
        return Response("a valid bearer token is required\n", status=401, mimetype="text/plain",
                        headers={"WWW-Authenticate": "Bearer"})
    state = CollectorRegistry(auto_describe=False)
    state.register(StateCollector())
    body = generate_latest(process_registry()) + generate_latest(state)
    return Response(body, content_type=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    """Serve /metrics and time the webhooks."""
    app.register_blueprint(bp)
    app.before_request(start_timer)
    app.after_request(observe)
