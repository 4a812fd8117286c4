"""`hotline serve`: gunicorn with several processes, whose metrics /metrics adds up."""
import requests
from prometheus_client.parser import text_string_to_metric_families
from twilio.request_validator import RequestValidator

from ivr import schema
from tests.conftest import AUTH_TOKEN
from tests.servers import gunicorn, hotline_env


def incoming_calls_counted(base: str) -> float:
    text = requests.get(f"{base}/metrics", timeout=5).text
    return sum(sample.value for family in text_string_to_metric_families(text)
               for sample in family.samples
               if sample.name == "hotline_webhook_seconds_count"
               and sample.labels.get("endpoint") == "twilio.incoming")


def timing_processes(folder) -> set[str]:
    """The processes that have written webhook timings (a file per process)."""
    return {path.stem.split("_")[-1] for path in folder.glob("histogram_*.db")}


def test_serve_answers_webhooks_and_adds_up_the_processes_metrics(tmp_path):
    database = f"sqlite:///{tmp_path / 'hotline.sqlite'}"
    schema.upgrade(database)
    folder = tmp_path / "metrics"
    env = hotline_env(database, HOTLINE_INSTANCE_PATH=str(tmp_path / "instance"),
                      PROMETHEUS_MULTIPROC_DIR=str(folder))
    validator = RequestValidator(AUTH_TOKEN)
    with gunicorn(env, tmp_path / "gunicorn.log", workers=2, threads=2) as base:
        assert requests.get(f"{base}/health", timeout=5).json()["database"] == "ok"
        url = f"{base}/twilio/voice"
        sent = 0
        while sent < 20 or len(timing_processes(folder)) < 2:  # until both processes took calls
            assert sent < 500, "one process took every call"
            params = {"CallSid": f"CA{sent:032d}", "From": "+4923819738700",
                      "To": "+499001410520", "CallStatus": "ringing"}
            response = requests.post(url, data=params, timeout=10, headers={
                "X-Twilio-Signature": validator.compute_signature(url, params)})
            assert response.status_code == 200
            assert "<Say" in response.text
            sent += 1
        assert [incoming_calls_counted(base) for _ in range(10)] == [float(sent)] * 10


def test_serve_makes_the_metrics_folder_it_is_given(tmp_path):
    database = f"sqlite:///{tmp_path / 'hotline.sqlite'}"
    schema.upgrade(database)
    folder = tmp_path / "run" / "metrics"  # as systemd's RuntimeDirectory leaves it: absent
    env = hotline_env(database, HOTLINE_INSTANCE_PATH=str(tmp_path / "instance"),
                      PROMETHEUS_MULTIPROC_DIR=str(folder))
    with gunicorn(env, tmp_path / "gunicorn.log", workers=1, threads=1) as base:
        assert "hotline_up" in requests.get(f"{base}/metrics", timeout=5).text
    assert folder.is_dir()
