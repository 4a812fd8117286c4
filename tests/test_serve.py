"""`hotline serve`: gunicorn with several processes, whose metrics /metrics adds up."""
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families
from twilio.request_validator import RequestValidator

from ivr import schema
from tests.conftest import AUTH_TOKEN
from tests.smtp_sink import free_port


@pytest.fixture
def gunicorn(tmp_path):
    """`hotline serve` with two processes on a migrated SQLite file."""
    database = f"sqlite:///{tmp_path / 'hotline.sqlite'}"
    schema.upgrade(database)
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "PROMETHEUS_MULTIPROC_DIR"}
    env.update(DATABASE_URL=database, TWILIO_AUTH_TOKEN=AUTH_TOKEN, SECRET_KEY="test-secret",
               HOTLINE_INSTANCE_PATH=str(tmp_path / "instance"))
    env.pop("REDIS_URL", None)
    hotline = Path(sys.executable).with_name("hotline")
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        server = subprocess.Popen([str(hotline), "serve", "--bind", f"127.0.0.1:{port}",
                                   "--workers", "2", "--threads", "2"], env=env,
                                  stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if requests.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not answer: " + log.read_text())
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(tmp_path / "instance", ignore_errors=True)


def incoming_calls_counted(base: str) -> float:
    text = requests.get(f"{base}/metrics", timeout=5).text
    return sum(sample.value for family in text_string_to_metric_families(text)
               for sample in family.samples
               if sample.name == "hotline_webhook_seconds_count"
               and sample.labels.get("endpoint") == "twilio.incoming")


def test_serve_answers_webhooks_and_adds_up_the_processes_metrics(gunicorn):
    validator = RequestValidator(AUTH_TOKEN)
    url = f"{gunicorn}/twilio/voice"
    for number in range(20):  # a connection each, so that both processes take calls
        params = {"CallSid": f"CA{number:032d}", "From": "+4923819738700",
                  "To": "+499001410520", "CallStatus": "ringing"}
        response = requests.post(url, data=params, timeout=10, headers={
            "X-Twilio-Signature": validator.compute_signature(url, params)})
        assert response.status_code == 200
        assert "<Say" in response.text
    assert [incoming_calls_counted(gunicorn) for _ in range(10)] == [20.0] * 10
