"""Any parameters on any webhook: a 2xx (with valid TwiML where TwiML is expected), or a 4xx
with a reason, never a 500. Each request is signed the way its provider signs, so that the
fuzz reaches the view; unsigned and wrongly signed requests are refused with a 4xx.

`test_every_webhook_is_fuzzed` lists the app's webhook routes, so that a new one cannot
be added without a fuzz test here.
"""
import base64
import functools
import io
import json
import time
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.test import encode_multipart

from ivr.models import Call, Customer, Staff
from tests import fax_documents, mails
from tests.intake_steps import add_customer
from webhooks.intake_auth import hmac_signature

FUZZ = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

#: URL prefixes of routes that providers and our own senders call (beside the blueprints
#: the app lists as webhooks).
WEBHOOK_PREFIXES = ("/twilio/", "/intake/", "/telnyx/", "/webhook", "/hooks/")
VOICE_ROUTES = {"twilio.incoming": "/twilio/voice", "twilio.step": "/twilio/step",
                "twilio.queue_wait": "/twilio/queue/wait",
                "twilio.queue_left": "/twilio/queue/left", "twilio.status": "/twilio/status"}
AGENT_ROUTES = {"twilio_agent.dial": "/twilio/agent/dial",
                "twilio_agent.answered": "/twilio/agent/answered",
                "twilio_agent.done": "/twilio/agent/done"}
INTAKE_ROUTES = {"intake.mail": "/intake/mail",
                 "intake.customer_interface": "/intake/customer-interface",
                 "intake.fax_received": "/intake/fax", "intake.telnyx_fax": "/intake/telnyx/fax"}
FUZZED = {**VOICE_ROUTES, **AGENT_ROUTES, **INTAKE_ROUTES}

INTAKE_TOKEN = "intake-token-for-fuzzing"
INTERFACE_SECRET = "customer-interface-secret-for-fuzzing"
FAX_SECRET = "fax-secret-for-fuzzing"
NOWHERE = "http://127.0.0.1:1"  # nothing listens: a media download fails at once

NASTY = st.sampled_from(["", " ", "completed", "hangup", "bridged", "answered", "no-answer",
                         "1", "-1", "0", "99999999999999999999", "1e9", "CA1", "\x00", "CA\x00",
                         "1\x00#", "x" * 5000, "ü€𝄞", "\ufffd", "<Response/>", "' OR 1=1 --"])
VALUES = st.one_of(st.text(max_size=300), st.from_regex(r"[0-9*#]{0,30}", fullmatch=True), NASTY)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | VALUES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner,
                                                                max_size=3),
    max_leaves=8)
CONTENT_TYPES = st.sampled_from([None, "application/json", "text/plain", "message/rfc822",
                                 "multipart/form-data", "application/octet-stream",
                                 "multipart/form-data; boundary=x", "a/" + "b" * 400])


def check_answer(response, twiml: bool) -> None:
    """Never a 5xx; TwiML with a <Response> root when TwiML is expected; a 4xx says why."""
    body = response.get_data(as_text=True)
    assert response.status_code < 500, body
    if 200 <= response.status_code < 300 and twiml and response.status_code != 204:
        assert response.mimetype == "application/xml", body
        assert ET.fromstring(body).tag == "Response", body
    elif response.status_code >= 400:
        assert body.strip(), f"{response.status_code} without a reason"


# Which routes are webhooks ----------------------------------------------------------------

def webhook_endpoints(app) -> dict[str, str]:
    """The app's routes that providers or our own senders call, by endpoint."""
    return {rule.endpoint: rule.rule for rule in app.url_map.iter_rules()
            if rule.endpoint.split(".")[0] in app.extensions["webhooks"]
            or rule.rule.startswith(WEBHOOK_PREFIXES)}


def test_every_webhook_is_fuzzed(app):
    assert webhook_endpoints(app) == FUZZED


# Twilio: the voice webhooks -----------------------------------------------------------------

FIELDS = ["CallSid", "From", "To", "Digits", "CallStatus", "CallDuration", "SequenceNumber",
          "Timestamp", "QueuePosition", "QueueTime", "QueueResult", "AccountSid"]
STATES = st.sampled_from(["greeting", "menu", "support_number", "activation_domain",
                          "activation_password", "queue", ""]) | st.text(max_size=50)
PARAMS = st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=len(FIELDS))


@FUZZ
@given(path=st.sampled_from(sorted(VOICE_ROUTES.values())), state=STATES, params=PARAMS,
       known_call=st.booleans())
def test_any_parameters_get_twiml_or_a_reason(twilio, path, state, params, known_call):
    if known_call:
        params["CallSid"] = twilio.call_sid
    url = f"{path}?state={state}" if path == "/twilio/step" else path
    data = dict(params)
    response = twilio.client.post(url, data=data,
                                  headers={"X-Twilio-Signature": twilio.sign(url, data)})
    check_answer(response, twiml=True)
    if response.status_code == 200:
        root = ET.fromstring(response.get_data(as_text=True))
        assert len(root) > 0 or params.get("QueueResult") == "redirected"


# Twilio: the agent's leg --------------------------------------------------------------------

AGENT_FIELDS = ["CallSid", "ParentCallSid", "From", "To", "CallStatus", "DialCallStatus",
                "DialCallDuration", "DialCallSid", "AccountSid"]
AGENT_PARAMS = st.dictionaries(st.sampled_from(AGENT_FIELDS), VALUES, max_size=len(AGENT_FIELDS))
#: The agent query parameter: the real agent, another number, or anything.
AGENT_ARGUMENT = st.one_of(st.just("<agent>"), st.none(), VALUES)


def agent_on_call(session, call_sid: str) -> Staff:
    """An agent with a phone who took the call (both made once per test)."""
    agent = session.scalar(select(Staff).where(Staff.username == "fuzz-agent"))
    if agent is None:
        agent = Staff(username="fuzz-agent", role="agent", phone="+4923811230001",
                      password_hash="-", status="busy")
        session.add(agent)
        session.flush()
    call = session.scalar(select(Call).where(Call.call_sid == call_sid))
    if call is None:
        call = Call(call_sid=call_sid, caller="+4923819738700", state="queue", intent="support")
        session.add(call)
    call.agent_id = agent.id
    session.commit()
    return agent


@FUZZ
@given(path=st.sampled_from(sorted(AGENT_ROUTES.values())), agent=AGENT_ARGUMENT,
       call=st.one_of(st.just("<call>"), st.none(), VALUES), params=AGENT_PARAMS,
       known_call=st.booleans())
def test_agent_leg_webhooks_get_twiml_or_a_reason(twilio, session, path, agent, call, params,
                                                  known_call):
    agent_id = agent_on_call(session, twilio.call_sid).id
    if known_call:
        params["CallSid"] = twilio.call_sid
    query = {"agent": str(agent_id) if agent == "<agent>" else agent,
             "call": twilio.call_sid if call == "<call>" else call}
    query = {key: value for key, value in query.items() if value is not None}
    url = path + (f"?{urlencode(query)}" if query else "")
    response = twilio.client.post(url, data=params,
                                  headers={"X-Twilio-Signature": twilio.sign(url, params)})
    check_answer(response, twiml=True)


def test_a_query_with_percent_encoded_utf8_keeps_a_valid_signature(twilio, session):
    agent_on_call(session, twilio.call_sid)
    url = "/twilio/agent/answered?agent=%C3%BC"
    response = twilio.client.post(url, data={"CallSid": twilio.call_sid},
                                  headers={"X-Twilio-Signature": twilio.sign(
                                      url, {"CallSid": twilio.call_sid})})
    assert response.status_code == 200


# The intake: raw mail (bearer token), customer interface and fax (HMAC), Telnyx (Ed25519) ----

@pytest.fixture
def intake_app(app, smtp):
    app.config.update(INTAKE_TOKEN=INTAKE_TOKEN, CUSTOMER_INTERFACE_SECRET=INTERFACE_SECRET,
                      FAX_WEBHOOK_SECRET=FAX_SECRET)
    return app


@pytest.fixture
def telnyx_key(app) -> Ed25519PrivateKey:
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    app.config["TELNYX_PUBLIC_KEY"] = base64.b64encode(public).decode()
    return key


def hmac_headers(secret: str, body: bytes) -> dict[str, str]:
    stamp = str(int(time.time()))
    return {"X-Hotline-Timestamp": stamp,
            "X-Hotline-Signature": hmac_signature(secret, stamp, body)}


def telnyx_headers(key: Ed25519PrivateKey, body: bytes) -> dict[str, str]:
    stamp = str(int(time.time()))
    signature = base64.b64encode(key.sign(stamp.encode() + b"|" + body)).decode()
    return {"telnyx-timestamp": stamp, "telnyx-signature-ed25519": signature}


def post(client, path: str, body: bytes, content_type, headers: dict):
    if content_type:
        headers = {**headers, "Content-Type": content_type}
    return client.post(path, data=body, headers=headers)


MAIL_LINES = st.lists(st.sampled_from([
    "From: Erika <erika@example.de>", "From: ", "To: support@candan.eu", "Subject: Hilfe",
    "Subject: =?utf-8?B?w7xiZXI=?=", "Message-ID: <a@b>", "In-Reply-To: <T-000001@x>",
    "Content-Type: multipart/mixed; boundary=b", "Content-Type: text/html; charset=bogus",
    "Content-Transfer-Encoding: base64", "Auto-Submitted: auto-replied", "--b", "--b--", "",
    "Kundennummer 10001", "=C3=BC", "\x00", "x" * 2000]), max_size=20)
MAIL_BODIES = st.one_of(
    st.binary(max_size=2000),
    MAIL_LINES.map(lambda lines: "\r\n".join(lines).encode("utf-8", "surrogatepass")),
    st.sampled_from([mails.ATTACHMENTS, mails.HTML_ONLY, mails.BOUNCE, mails.QUOTED_PRINTABLE]))


@FUZZ
@given(body=MAIL_BODIES)
def test_any_raw_mail_is_taken_or_refused_with_a_reason(intake_app, client, body):
    response = client.post("/intake/mail", data=body, content_type="message/rfc822",
                           headers={"Authorization": f"Bearer {INTAKE_TOKEN}"})
    check_answer(response, twiml=False)


INTERFACE_KEYS = ["customer_number", "name", "email", "subject", "message", "web_number"]
INTERFACE_REQUEST = {"customer_number": "10001", "name": "Erika Mustermann",
                     "email": "erika@example.de", "subject": "Server down", "message": "Hilfe",
                     "web_number": "web123"}
#: A valid request with some fields changed or left out, or anything at all.
INTERFACE_BODIES = st.one_of(
    st.binary(max_size=500),
    JSON_VALUES.map(lambda value: json.dumps(value).encode()),
    st.tuples(st.dictionaries(st.sampled_from(INTERFACE_KEYS), JSON_VALUES, max_size=3),
              st.sets(st.sampled_from(INTERFACE_KEYS), max_size=2)).map(
        lambda change: json.dumps({**{key: value for key, value in INTERFACE_REQUEST.items()
                                      if key not in change[1]}, **change[0]}).encode()),
    st.just(json.dumps(INTERFACE_REQUEST).encode()))


@FUZZ
@given(body=INTERFACE_BODIES, content_type=CONTENT_TYPES)
def test_any_customer_interface_request_is_taken_or_refused(intake_app, client, session, body,
                                                            content_type):
    if session.scalar(select(Customer.id).limit(1)) is None:
        add_customer(session)
    response = post(client, "/intake/customer-interface", body, content_type,
                    hmac_headers(INTERFACE_SECRET, body))
    check_answer(response, twiml=False)


@functools.lru_cache(maxsize=1)
def small_pdf() -> bytes:
    return fax_documents.blank_pdf(1)


DOCUMENTS = st.one_of(st.none(), st.binary(max_size=300), st.just(b"%PDF-1.4\n"),
                      st.builds(lambda: small_pdf()))
FAX_FIELDS = st.dictionaries(st.sampled_from(["from", "to", "pages", "other"]), VALUES, max_size=4)


@FUZZ
@given(document=DOCUMENTS, fields=FAX_FIELDS, multipart=st.booleans(), content_type=CONTENT_TYPES)
def test_any_fax_is_taken_or_refused(intake_app, client, document, fields, multipart, content_type):
    if multipart:
        values = dict(fields)
        if document is not None:
            values["document"] = (io.BytesIO(document), "fax.pdf")
        boundary, body = encode_multipart(values)
        content_type = f"multipart/form-data; boundary={boundary}"
    else:
        body = document or b""
    response = post(client, "/intake/fax", body, content_type, hmac_headers(FAX_SECRET, body))
    check_answer(response, twiml=False)


TELNYX_PAYLOADS = st.fixed_dictionaries({}, optional={
    "media_url": st.sampled_from([f"{NOWHERE}/fax.pdf", "ftp://x/fax.pdf", "https://", ""])
    | JSON_VALUES,
    "fax_id": JSON_VALUES, "from": JSON_VALUES, "to": JSON_VALUES, "page_count": JSON_VALUES})
TELNYX_EVENTS = st.fixed_dictionaries({}, optional={
    "event_type": st.sampled_from(["fax.received", "fax.delivered"]) | JSON_VALUES,
    "id": st.sampled_from(["evt-1", "evt-2", "e" * 300]) | JSON_VALUES,
    "payload": TELNYX_PAYLOADS | JSON_VALUES})
TELNYX_RECEIVED = {"event_type": "fax.received", "id": "evt-1", "record_type": "event",
                   "payload": {"fax_id": "fax-1", "from": "+4923811234567",
                               "to": "+4923819738779", "media_url": f"{NOWHERE}/fax.pdf",
                               "page_count": 2}}
TELNYX_BODIES = st.one_of(
    st.binary(max_size=300),
    JSON_VALUES.map(lambda value: json.dumps(value).encode()),
    st.fixed_dictionaries({"data": TELNYX_EVENTS | JSON_VALUES}).map(
        lambda value: json.dumps(value).encode()),
    st.tuples(TELNYX_EVENTS, TELNYX_PAYLOADS).map(lambda change: json.dumps({"data": {
        **TELNYX_RECEIVED, **change[0],
        "payload": {**TELNYX_RECEIVED["payload"], **change[1]}}}).encode()))


@FUZZ
@given(body=TELNYX_BODIES, content_type=CONTENT_TYPES)
def test_any_telnyx_event_is_taken_or_refused(app, client, telnyx_key, body, content_type):
    response = post(client, "/intake/telnyx/fax", body, content_type,
                    telnyx_headers(telnyx_key, body))
    check_answer(response, twiml=False)


# Without the provider's proof: refused with a 4xx and the reason ----------------------------

def wrong_proof(path: str, body: bytes) -> list[dict[str, str]]:
    """Headers that prove nothing, or prove it wrongly, for the route's own check."""
    if path.startswith("/twilio/"):
        return [{}, {"X-Twilio-Signature": "AAAA"},
                {"X-Twilio-Signature": base64.b64encode(b"x" * 20).decode()}]
    if path == "/intake/mail":
        return [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {INTAKE_TOKEN}"}]
    if path == "/intake/telnyx/fax":
        other = Ed25519PrivateKey.generate()
        return [{}, telnyx_headers(other, body),
                {"telnyx-timestamp": "0", "telnyx-signature-ed25519": "not base64!"}]
    return [{}, hmac_headers("another secret", body),
            {"X-Hotline-Timestamp": "yesterday", "X-Hotline-Signature": "sha256=00"}]


@pytest.mark.parametrize("path", sorted(FUZZED.values()))
def test_requests_without_a_valid_proof_are_refused_with_a_reason(intake_app, telnyx_key, client,
                                                                  path):
    body = b"CallSid=CA1&From=%2B4923819738700&CallStatus=completed"
    for headers in wrong_proof(path, body):
        response = client.post(path, data=body, headers={
            **headers, "Content-Type": "application/x-www-form-urlencoded"})
        assert 400 <= response.status_code < 500, (path, headers, response.status_code)
        assert response.get_data(as_text=True).strip(), (path, headers)


# Found while fuzzing --------------------------------------------------------------------------

def test_a_telnyx_event_with_a_long_id_delivered_twice_is_a_duplicate(app, client, session,
                                                                      telnyx_key):
    body = json.dumps({"data": {**TELNYX_RECEIVED, "id": "evt-" + "7" * 150}}).encode()
    first = post(client, "/intake/telnyx/fax", body, "application/json",
                 telnyx_headers(telnyx_key, body))
    again = post(client, "/intake/telnyx/fax", body, "application/json",
                 telnyx_headers(telnyx_key, body))
    assert first.status_code == 202 and again.json == {"item": again.json["item"],
                                                       "duplicate": True}
