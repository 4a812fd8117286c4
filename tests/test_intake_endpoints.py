"""The raw-mail endpoint (bearer token) and the customer interface's signed requests."""
import json
import time

import pytest
from sqlalchemy import func, select

from ivr.models import IntakeItem, Ticket
from tests import mails
from tests.intake_steps import add_customer, receipts
from webhooks.intake_auth import hmac_signature

TOKEN = "intake-token-for-tests"
SECRET = "customer-interface-secret"


@pytest.fixture
def intake_app(app):
    app.config.update(INTAKE_TOKEN=TOKEN, CUSTOMER_INTERFACE_SECRET=SECRET)
    return app


def test_a_raw_mail_with_the_token_becomes_a_ticket(intake_app, client, session, smtp):
    response = client.post("/intake/mail", data=mails.ATTACHMENTS, content_type="message/rfc822",
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 202
    assert response.json["ticket"] == "T-000001" and response.json["receipt"] == "pending"
    assert session.scalar(select(IntakeItem)).raw == mails.ATTACHMENTS
    assert len(smtp.received) == 1


@pytest.mark.parametrize("headers, status, reason", [
    ({}, 401, "Authorization: Bearer <token> is missing"),
    ({"Authorization": "Bearer wrong"}, 403, "the bearer token is wrong"),
    ({"Authorization": f"Basic {TOKEN}"}, 401, "is missing"),
])
def test_raw_mail_without_the_token_is_refused_and_not_stored(intake_app, client, session, headers, status, reason):
    response = client.post("/intake/mail", data=mails.HTML_ONLY, headers=headers)
    assert response.status_code == status and reason in response.get_data(as_text=True)
    assert session.scalar(select(func.count(IntakeItem.id))) == 0


def test_without_a_configured_token_the_endpoint_refuses_everyone(app, client):
    response = client.post("/intake/mail", data=mails.HTML_ONLY, headers={"Authorization": "Bearer "})
    assert response.status_code == 403 and "INTAKE_TOKEN" in response.get_data(as_text=True)


def test_an_empty_or_oversized_raw_mail_is_refused_with_the_reason(intake_app, client):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    empty = client.post("/intake/mail", data=b"  \r\n", headers=auth)
    assert empty.status_code == 400 and "the body is empty" in empty.get_data(as_text=True)
    intake_app.config["INTAKE_MAX_BYTES"] = 100
    big = client.post("/intake/mail", data=mails.HTML_ONLY, headers=auth)
    assert big.status_code == 413 and "larger than 100 bytes" in big.get_data(as_text=True)


def signed_post(client, payload, secret: str = SECRET, at: int | None = None):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    stamp = str(at if at is not None else int(time.time()))
    return client.post("/intake/customer-interface", data=body, content_type="application/json",
                       headers={"X-Hotline-Timestamp": stamp,
                                "X-Hotline-Signature": hmac_signature(secret, stamp, body)})


REQUEST = {"customer_number": "10001", "name": "Erika Mustermann", "email": "Erika@Example.de",
           "subject": "Server nicht erreichbar", "message": "Seit 10 Uhr ist alles down.",
           "web_number": "web123"}


def test_a_customer_interface_request_opens_a_ticket_with_the_customer_and_a_receipt(intake_app, client, session, smtp):
    add_customer(session)
    response = signed_post(client, REQUEST)
    assert response.status_code == 201, response.get_data(as_text=True)
    ticket = session.scalar(select(Ticket))
    assert (ticket.customer.customer_number, ticket.contact_address, ticket.web_number,
            ticket.priority) == ("10001", "erika@example.de", "web123", "high")
    [sent] = smtp.received
    assert sent.recipients == ["erika@example.de"] and sent.message["Auto-Submitted"] == "auto-replied"
    assert f"Ihre Ticketnummer ist {ticket.number}" in sent.text


@pytest.mark.parametrize("change, reason", [
    ({"customer_number": "web123"}, "customer_number must be digits"),
    ({"message": ""}, "message is missing"),
    ({"email": "nobody"}, "email is not an email address"),
    ({"subject": 42}, "subject must be a string"),
])
def test_a_bad_customer_interface_request_is_kept_and_answered_with_the_reason(intake_app, client, session, change, reason):
    response = signed_post(client, {**REQUEST, **change})
    assert response.status_code == 400 and reason in response.get_data(as_text=True)
    item = session.scalar(select(IntakeItem))
    assert item.status == "failed" and reason in item.error
    assert session.scalar(select(func.count(Ticket.id))) == 0


def test_a_customer_interface_body_that_is_not_json_is_a_400(intake_app, client):
    response = signed_post(client, b"customer_number=10001")
    assert response.status_code == 400 and "not UTF-8 JSON" in response.get_data(as_text=True)


@pytest.mark.parametrize("secret, age", [("other-secret", 0), (SECRET, 301), (SECRET, -400)])
def test_customer_interface_requests_must_be_signed_and_fresh(intake_app, client, session, secret, age):
    response = signed_post(client, REQUEST, secret=secret, at=int(time.time()) - age)
    assert response.status_code == 403
    assert session.scalar(select(func.count(IntakeItem.id))) == 0


def test_an_unknown_customer_number_from_the_interface_is_still_a_ticket(intake_app, client, session, smtp):
    response = signed_post(client, {**REQUEST, "customer_number": "424242"})
    assert response.status_code == 201
    assert session.scalar(select(Ticket)).customer is None
    assert "Die Kundennummer 424242 kennen wir nicht." in smtp.received[0].text
    assert receipts(session)[0].status == "sent"


def test_when_the_database_cannot_store_a_mail_the_sender_is_told_to_retry(tmp_path):
    from app import create_app

    app = create_app({"DATABASE_URL": "postgresql://postgres@127.0.0.1:1/hotline",
                      "TWILIO_AUTH_TOKEN": "t", "INTAKE_TOKEN": TOKEN})
    response = app.test_client().post("/intake/mail", data=mails.HTML_ONLY,
                                      headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 503 and response.headers["Retry-After"] == "60"
    assert "try again later" in response.get_data(as_text=True)
