"""GET /health: whether this instance reaches PostgreSQL and Redis (200, else 503).

For monitoring and for a new instance's readiness. A load balancer in front of Twilio's
webhooks should look at GET /health/live instead: with a store away the webhooks still
answer (an apology and the queue, or jobs kept for later), which is better for a caller
than no answer at all. Without REDIS_URL jobs run inline and Redis is reported as not
configured, which is healthy.
"""
from __future__ import annotations

import logging
from typing import Optional

from flask import Blueprint, Flask, current_app, jsonify
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ivr.db import engine

log = logging.getLogger(__name__)

bp = Blueprint("health", __name__)


def database_reachable() -> bool:
    """Whether the database answers a trivial query."""
    try:
        with engine().connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        log.warning("health: database unreachable: %s", exc.__class__.__name__)
        return False
    return True


def redis_reachable() -> Optional[bool]:
    """Whether Redis answers a ping; None when jobs run inline without Redis."""
    queue = current_app.extensions.get("rq.queue")
    if queue is None:
        return None
    try:
        return bool(queue.connection.ping())
    except RedisError as exc:
        log.warning("health: Redis unreachable: %s", exc.__class__.__name__)
        return False


def describe(reachable: Optional[bool]) -> str:
    return {True: "ok", False: "unreachable", None: "not configured"}[reachable]


@bp.get("/health")
def health():
    """Both stores' state as JSON; 503 when one that is configured does not answer."""
    database, redis = database_reachable(), redis_reachable()
    healthy = database and redis is not False
    body = {"status": "ok" if healthy else "failing",
            "database": describe(database), "redis": describe(redis)}
    return jsonify(body), 200 if healthy else 503


@bp.get("/health/live")
def live():
    """The process answers; nothing else is checked."""
    return jsonify({"status": "ok"})


def init_app(app: Flask) -> None:
    """Serve /health."""
    app.register_blueprint(bp)
