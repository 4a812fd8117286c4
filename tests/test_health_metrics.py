"""/health tells whether PostgreSQL and Redis answer; /metrics speaks Prometheus."""
import pytest
from prometheus_client.parser import text_string_to_metric_families

from ivr import jobs


def samples(client, **headers) -> dict[tuple, float]:
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.get_data(as_text=True))
            for sample in family.samples}


def value(found: dict, name: str, **labels) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def test_health_without_redis_is_the_database_alone(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "redis": "not configured"}


def test_health_with_redis(redis_app):
    response = redis_app.test_client().get("/health")
    assert response.status_code == 200
    assert response.json["redis"] == "ok"


def test_health_fails_when_redis_does_not_answer(app, client):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    jobs.init_app(app)
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json == {"status": "failing", "database": "ok", "redis": "unreachable"}


def test_health_fails_when_the_database_does_not_answer(tmp_path):
    from app import create_app

    app = create_app({"DATABASE_URL": "postgresql://postgres@127.0.0.1:1/none",
                      "TWILIO_AUTH_TOKEN": "x", "SECRET_KEY": "x"})
    app.instance_path = str(tmp_path)
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"
    assert app.test_client().get("/health/live").status_code == 200
    metrics = samples(app.test_client())
    assert value(metrics, "hotline_up", store="database") == 0
    assert ("hotline_calls_in_progress", ()) not in metrics


def test_metrics_count_webhooks_calls_and_the_queue(client, twilio):
    before = samples(client)
    twilio.to_menu()
    twilio.keys("menu", "1")
    twilio.keys("support_number", "*")
    twilio.post("/twilio/queue/wait", QueuePosition="1", QueueTime="0")
    after = samples(client)
    assert value(after, "hotline_up", store="database") == 1
    assert value(after, "hotline_calls_in_progress") == 1
    assert value(after, "hotline_queue_length") == 1
    assert value(after, "hotline_jobs_kept") == 0
    for endpoint, count in (("twilio.incoming", 1), ("twilio.step", 3), ("twilio.queue_wait", 1)):
        name = "hotline_webhook_seconds_count"
        assert value(after, name, endpoint=endpoint) - value(before, name, endpoint=endpoint) == count
        name = "hotline_webhook_responses_total"
        assert value(after, name, endpoint=endpoint, status="200") \
            - value(before, name, endpoint=endpoint, status="200") == count

    twilio.post("/twilio/status", CallStatus="completed", CallDuration="60")
    ended = samples(client)
    assert value(ended, "hotline_calls_in_progress") == 0
    assert value(ended, "hotline_queue_length") == 0


def test_metrics_count_failed_and_kept_jobs(redis_app, rq_queue):
    from rq import SimpleWorker

    with redis_app.app_context():
        jobs.enqueue("json.loads", "not json", job_id="broken")
    SimpleWorker([rq_queue], connection=rq_queue.connection).work(burst=True)
    found = samples(redis_app.test_client())
    assert value(found, "hotline_up", store="redis") == 1
    assert value(found, "hotline_jobs_failed") == 1
    assert value(found, "hotline_jobs_queued") == 0

    redis_app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    jobs.init_app(redis_app)
    with redis_app.app_context():
        jobs.enqueue("json.loads", "[]", job_id="later")
    found = samples(redis_app.test_client())
    assert value(found, "hotline_up", store="redis") == 0
    assert value(found, "hotline_jobs_kept") == 1


def test_an_inline_job_that_raises_is_counted(app):
    before = samples(app.test_client())
    with app.app_context():
        jobs.enqueue("json.loads", "not json")
    after = samples(app.test_client())
    assert value(after, "hotline_inline_job_failures_total") \
        - value(before, "hotline_inline_job_failures_total") == 1


@pytest.mark.parametrize("given, status", [(None, 401), ("Bearer wrong", 401),
                                           ("Bearer s3cret-metrics", 200)])
def test_a_metrics_token_is_required_once_set(app, client, given, status):
    app.config["METRICS_TOKEN"] = "s3cret-metrics"
    headers = {"Authorization": given} if given else {}
    assert client.get("/metrics", headers=headers).status_code == status
