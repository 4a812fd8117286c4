"""Benchmark of the call-queue view: how fast a new caller shows, and what a poll costs.

    .venv/bin/python benchmarks/queue_view.py [--database-url URL] [--callers 10] [--waiting 200]

1. Live update: a caller enters the queue by signed webhook requests against a live
   server; the time until the agent's page in Chromium shows the row (goal: within 2 s).
2. Poll cost: the time of one GET /console/queue/state with many callers waiting.

Without --database-url a scratch SQLite file is used; a PostgreSQL URL must name an empty
database that may be written to.
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from app import create_app  # noqa: E402
from ivr import schema  # noqa: E402
from ivr.db import new_session, utcnow  # noqa: E402
from ivr.models import Call  # noqa: E402
from ivr.simulator import SimulatedCall  # noqa: E402
from ivr.staff import add_staff  # noqa: E402

TOKEN = "benchmark-token-0123456789"
PASSWORD = "benchmark password"


def build_app(database_url: str):
    schema.upgrade(database_url)
    app = create_app({"DATABASE_URL": database_url, "TWILIO_AUTH_TOKEN": TOKEN,
                      "SECRET_KEY": "benchmark", "REDIS_URL": None})
    with app.app_context(), new_session() as session, session.begin():
        add_staff(session, "bench", "agent", PASSWORD, "+4923811230001").status = "paused"
    return app


def enter_queue(base_url: str, number: int) -> None:
    call = SimulatedCall(base_url=base_url, auth_token=TOKEN, caller=f"+49238197387{number:02d}")
    call.post("/twilio/voice")
    call.post("/twilio/step?state=greeting", Digits="")
    call.post("/twilio/step?state=menu", Digits="1")
    call.post("/twilio/step?state=support_number", Digits="*")
    call.post("/twilio/queue/wait")


def live_update(app, callers: int) -> list[float]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{server.server_port}"
    seconds = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(base_url + "/console/login")
            page.fill("input[name=username]", "bench")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_selector("#my-status:has-text('paused')")
            for number in range(callers):
                enter_queue(base_url, number)
                entered = time.monotonic()
                page.wait_for_function(
                    f"document.querySelectorAll('#waiting tbody tr').length === {number + 1}",
                    timeout=10_000, polling=20)
                seconds.append(time.monotonic() - entered)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return seconds


def poll_cost(app, waiting: int, rounds: int = 30) -> list[float]:
    now = utcnow()
    with app.app_context(), new_session() as session, session.begin():
        for number in range(waiting):
            session.add(Call(call_sid=f"CA-bench-{number}", caller=f"+4923819{number:06d}",
                             state="queue", intent="support",
                             enqueued_at=now - dt.timedelta(seconds=number)))
    client = app.test_client()
    client.get("/console/login")
    with client.session_transaction() as cookie:
        token = cookie["csrf"]
    client.post("/console/login", data={"username": "bench", "password": PASSWORD, "csrf_token": token})
    seconds = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get("/console/queue/state")
        seconds.append(time.perf_counter() - started)
        assert response.status_code == 200 and len(response.get_json()["waiting"]) >= waiting
    return seconds


def report(label: str, seconds: list[float]) -> None:
    ms = sorted(s * 1000 for s in seconds)
    print(f"{label}: n={len(ms)} median {statistics.median(ms):.0f} ms, "
          f"max {ms[-1]:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--callers", type=int, default=10)
    parser.add_argument("--waiting", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite"
        app = build_app(url)
        report("caller in the queue -> row on the agent's page", live_update(app, args.callers))
        report(f"GET /console/queue/state with {args.waiting}+ waiting", poll_cost(app, args.waiting))
        app.extensions["db.engine"].dispose()


if __name__ == "__main__":
    main()
