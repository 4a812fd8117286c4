"""With REDIS_URL, routing runs as an rq job that a worker carries out."""
from redis import Redis
from rq import Queue, SimpleWorker

from ivr import jobs
from ivr.calls import find_call
from tests.conftest import REDIS_TEST_URL


def test_a_caller_entering_the_queue_is_routed_by_an_rq_job(redis_app, twilio, twilio_api,
                                                             make_staff, session):
    anna = make_staff("anna", status="available")
    twilio.to_menu()
    twilio.keys("menu", "1")
    twilio.keys("support_number", "*")
    twilio.twiml("/twilio/queue/wait")
    queue = Queue(jobs.QUEUE_NAME, connection=Redis.from_url(REDIS_TEST_URL))
    [job] = queue.jobs
    assert (job.func_name, job.args) == ("ivr.routing.dispatch_job", ("http://localhost",))
    assert twilio_api.requests == []  # the webhook did not wait for it
    with redis_app.app_context():
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
    assert twilio_api.requests[0].form["Url"] == f"http://localhost/twilio/agent/dial?agent={anna.id}"
    session.expire_all()
    assert find_call(session, twilio.call_sid).agent_id == anna.id


def test_callers_waiting_meanwhile_share_the_routing_job_that_has_not_started(redis_app, twilio,
                                                                             twilio_api, session):
    twilio.to_menu()
    twilio.keys("menu", "1")
    twilio.keys("support_number", "*")
    twilio.twiml("/twilio/queue/wait")
    twilio.twiml("/twilio/queue/wait")
    queue = Queue(jobs.QUEUE_NAME, connection=Redis.from_url(REDIS_TEST_URL))
    assert [job.func_name for job in queue.jobs] == ["ivr.routing.dispatch_job"]
    with redis_app.app_context():
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
    twilio.twiml("/twilio/queue/wait")  # after the job started, a new one is needed
    assert [job.func_name for job in queue.jobs] == ["ivr.routing.dispatch_job"]
