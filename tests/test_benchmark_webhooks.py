"""The webhook benchmark's call script and bare app, played in-process (no timing here)."""
from sqlalchemy import select

from benchmarks.webhooks.bare import create_bare_app
from benchmarks.webhooks.inprocess import play_in_process
from ivr.models import Call, Customer
from ivr.simulator import CallScript, Request, parse_twiml
from tests.conftest import AUTH_TOKEN


def test_a_benchmark_call_reaches_the_queue_verified_and_ends_with_a_status_callback(client, session):
    session.add(Customer(customer_number="100001", name="Kunde 1"))
    session.commit()
    script = CallScript(keys=["_", "1", "100001#"], caller="+4923819000001", queue_waits=3)
    exchanges = play_in_process(client, script, AUTH_TOKEN)
    paths = [request.path for request, _, _ in exchanges]
    assert paths == ["/twilio/voice", "/twilio/step?state=greeting", "/twilio/step?state=menu",
                     "/twilio/step?state=support_number", "/twilio/queue/wait",
                     "/twilio/queue/wait", "/twilio/queue/wait", "/twilio/queue/left",
                     "/twilio/status"]
    assert [status for _, status, _ in exchanges] == [200] * 8 + [204]
    call = session.scalar(select(Call))
    assert call.customer.customer_number == "100001"
    assert (call.queue_result, call.status) == ("hangup", "completed")


def test_the_bare_app_answers_the_same_requests_with_valid_twiml():
    client = create_bare_app().test_client()
    for path in ("/twilio/voice", "/twilio/step?state=menu", "/twilio/queue/wait"):
        response = client.post(path, data={"CallSid": "CA1"})
        assert response.status_code == 200 and response.mimetype == "application/xml"
        assert parse_twiml(response.get_data(as_text=True)).find("Gather") is not None
    assert not Request("/twilio/status").expects_twiml
