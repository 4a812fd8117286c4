"""Faxes: the document is stored and read (pages, preview of page 1), a ticket opened, a
broken document kept and marked unreadable; by our signed webhook or Telnyx's."""
import base64
import io
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from PIL import Image
from sqlalchemy import func, select

from ivr.fax_document import read_document
from ivr.models import Customer, FaxDocument, IntakeItem, Ticket
from tests import fax_documents
from webhooks.intake_auth import hmac_signature

SECRET = "fax-secret-for-tests"


@pytest.mark.parametrize("make, pages, kind", [
    (lambda: fax_documents.tiff(3), 3, "image/tiff"),
    (lambda: fax_documents.scanned_pdf(2), 2, "application/pdf"),
    (lambda: fax_documents.blank_pdf(4), 4, "application/pdf"),
])
def test_pages_are_counted_and_page_one_previewed(make, pages, kind):
    info = read_document(make())
    assert (info.content_type, info.pages, info.problem) == (kind, pages, None)
    preview = Image.open(io.BytesIO(info.preview_png))
    assert preview.format == "PNG" and preview.width == 800 and preview.height > 1000


def test_the_preview_shows_page_one():
    info = read_document(fax_documents.tiff(2))
    preview = Image.open(io.BytesIO(info.preview_png)).convert("L")
    assert preview.getextrema()[0] < 128  # the page's text is in it, not an empty page


@pytest.mark.parametrize("data, problem", [
    (b"", "the document is empty"),
    (b"GIF89a....", "the document is neither PDF nor TIFF"),
    (fax_documents.scanned_pdf(2)[:300], "unreadable PDF"),
    (fax_documents.tiff(2)[:200], "unreadable TIFF"),
])
def test_broken_documents_are_named_unreadable(data, problem):
    info = read_document(data)
    assert info.problem.startswith(problem) and info.pages is None and info.preview_png is None


@pytest.fixture
def fax_app(app):
    app.config["FAX_WEBHOOK_SECRET"] = SECRET
    return app


def post_fax(client, document: bytes | None, secret: str = SECRET, at: int | None = None, **fields):
    data = {"from": "+4923811234567", "to": "+4923819738779", "pages": "3", **fields}
    if document is not None:
        data["document"] = (io.BytesIO(document), "fax.tif")
    request = client.application.test_request_context("/intake/fax", method="POST", data=data)
    body, content_type = request.request.get_data(), request.request.content_type
    stamp = str(at if at is not None else int(time.time()))
    headers = {"X-Hotline-Timestamp": stamp, "X-Hotline-Signature": hmac_signature(secret, stamp, body),
               "Content-Type": content_type}
    return client.post("/intake/fax", data=body, headers=headers)


def test_a_signed_fax_is_stored_read_and_opens_a_ticket(fax_app, client, session):
    session.add(Customer(customer_number="10001", name="Erika", phone="+4923811234567"))
    session.commit()
    document = fax_documents.tiff(3)
    response = post_fax(client, document)
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.json["readable"] is True
    fax = session.scalar(select(FaxDocument))
    assert (fax.data, fax.pages, fax.declared_pages, fax.problem) == (document, 3, 3, None)
    assert fax.preview_png.startswith(b"\x89PNG")
    ticket = session.scalar(select(Ticket))
    assert (ticket.number, ticket.channel, ticket.subject) == (response.json["ticket"], "fax",
                                                               "Fax von +4923811234567, 3 Seiten")
    assert ticket.customer.customer_number == "10001"
    assert session.get(IntakeItem, response.json["item"]).status == "ticketed"


def test_a_corrupt_fax_is_stored_and_its_ticket_says_it_is_unreadable(fax_app, client, session):
    broken = fax_documents.scanned_pdf(2)[:400]
    response = post_fax(client, broken)
    assert response.status_code == 201 and response.json["readable"] is False
    fax = session.scalar(select(FaxDocument))
    assert fax.data == broken and fax.problem.startswith("unreadable PDF")
    ticket = session.scalar(select(Ticket))
    assert ticket.subject == "Fax von +4923811234567: unlesbar"
    assert ticket.messages[0].body.startswith("Das Fax ist unlesbar: unreadable PDF")


def test_an_empty_fax_document_is_an_unreadable_ticket(fax_app, client, session):
    response = post_fax(client, b"")
    assert response.status_code == 201
    assert session.scalar(select(FaxDocument)).problem == "the document is empty"


def test_a_signed_fax_that_is_not_multipart_is_refused_but_kept(fax_app, client, session):
    response = post_fax(client, None)  # no file: sent form-encoded
    assert response.status_code == 400 and "multipart/form-data" in response.get_data(as_text=True)
    item = session.scalar(select(IntakeItem))
    assert item.status == "failed" and b"from=%2B4923811234567" in item.raw


def test_a_different_page_count_from_the_sender_is_noted(fax_app, client, session):
    post_fax(client, fax_documents.tiff(2), pages="5")
    assert session.scalar(select(Ticket)).messages[0].body == \
        "Fax mit 2 Seite(n). Der Anbieter meldete 5 Seite(n)."


@pytest.mark.parametrize("secret, age, status, reason", [
    ("wrong-secret", 0, 403, "does not match"),
    (SECRET, 3600, 403, "more than 300 s"),
])
def test_unsigned_wrongly_signed_or_old_faxes_are_refused_and_not_stored(
        fax_app, client, session, secret, age, status, reason):
    response = post_fax(client, fax_documents.tiff(1), secret=secret, at=int(time.time()) - age)
    assert response.status_code == status and reason in response.get_data(as_text=True)
    assert session.scalar(select(func.count(IntakeItem.id))) == 0


def test_a_fax_without_signature_headers_is_refused(fax_app, client):
    response = client.post("/intake/fax", data={"from": "+49"})
    assert response.status_code == 401 and "X-Hotline-Signature is missing" in response.get_data(as_text=True)


# Telnyx: Ed25519 over "timestamp|body", media fetched from the URL in a job.

@pytest.fixture
def telnyx_key(app):
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    app.config["TELNYX_PUBLIC_KEY"] = base64.b64encode(public).decode()
    return key


@pytest.fixture
def media_server():
    """A local HTTP server standing in for the storage Telnyx's media_url points to."""
    files: dict[str, tuple[int, bytes]] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            status, data = files.get(self.path, (404, b"not found"))
            self.send_response(status)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", files
    server.shutdown()
    server.server_close()
    thread.join()


def telnyx_event(media_url: str, event_type: str = "fax.received", event_id: str = "evt-1") -> bytes:
    return json.dumps({"data": {
        "event_type": event_type, "id": event_id, "occurred_at": "2026-11-25T10:00:00Z",
        "record_type": "event",
        "payload": {"fax_id": "fax-123", "connection_id": "c1", "direction": "inbound",
                    "from": "+4923811234567", "to": "+4923819738779", "media_url": media_url,
                    "page_count": 2, "status": "received"}}}).encode()


def post_telnyx(client, key, body: bytes, at: int | None = None):
    stamp = str(at if at is not None else int(time.time()))
    signature = base64.b64encode(key.sign(stamp.encode() + b"|" + body)).decode()
    return client.post("/intake/telnyx/fax", data=body, content_type="application/json",
                       headers={"telnyx-timestamp": stamp, "telnyx-signature-ed25519": signature})


def test_a_telnyx_fax_is_fetched_from_its_media_url_and_opens_a_ticket(client, session, telnyx_key, media_server):
    base, files = media_server
    files["/fax-123.pdf"] = (200, fax_documents.scanned_pdf(2))
    body = telnyx_event(f"{base}/fax-123.pdf")
    response = post_telnyx(client, telnyx_key, body)
    assert response.status_code == 202, response.get_data(as_text=True)
    item = session.get(IntakeItem, response.json["item"])
    assert (item.raw, item.external_id, item.status) == (body, "evt-1", "ticketed")
    fax = session.scalar(select(FaxDocument))
    assert (fax.pages, fax.declared_pages, fax.sender, fax.problem) == (2, 2, "+4923811234567", None)
    assert session.scalar(select(Ticket)).subject == "Fax von +4923811234567, 2 Seiten"


def test_a_telnyx_event_delivered_twice_opens_one_ticket(client, session, telnyx_key, media_server):
    base, files = media_server
    files["/f.pdf"] = (200, fax_documents.blank_pdf(1))
    body = telnyx_event(f"{base}/f.pdf")
    assert post_telnyx(client, telnyx_key, body).status_code == 202
    again = post_telnyx(client, telnyx_key, body)
    assert again.status_code == 200 and again.json["duplicate"] is True
    assert session.scalar(select(func.count(Ticket.id))) == 1
    assert session.scalar(select(func.count(IntakeItem.id))) == 2  # both deliveries kept


def test_media_that_is_gone_still_opens_an_unreadable_ticket(client, session, telnyx_key, media_server):
    base, _files = media_server
    post_telnyx(client, telnyx_key, telnyx_event(f"{base}/missing.pdf"))
    fax = session.scalar(select(FaxDocument))
    assert fax.problem == "the document is empty"
    assert session.scalar(select(IntakeItem)).error == "media URL answered HTTP 404"


def test_other_telnyx_events_are_stored_and_ignored(client, session, telnyx_key):
    response = post_telnyx(client, telnyx_key, telnyx_event("https://x", event_type="fax.delivered"))
    assert response.status_code == 200 and response.json["ignored"] == "not a fax.received event"
    assert session.scalar(select(IntakeItem)).status == "ignored"


def test_a_telnyx_request_signed_by_another_key_is_refused(client, session, telnyx_key):
    response = post_telnyx(client, Ed25519PrivateKey.generate(), telnyx_event("https://x"))
    assert response.status_code == 403
    assert "telnyx-signature-ed25519 does not match" in response.get_data(as_text=True)
    assert session.scalar(select(func.count(IntakeItem.id))) == 0


def test_a_replayed_telnyx_request_is_refused(client, telnyx_key):
    response = post_telnyx(client, telnyx_key, telnyx_event("https://x"), at=int(time.time()) - 600)
    assert response.status_code == 403 and "more than 300 s" in response.get_data(as_text=True)


def test_on_rq_the_telnyx_webhook_answers_at_once_and_a_worker_fetches_the_media(
        redis_app, client, session, telnyx_key, media_server):
    from redis import Redis
    from rq import Queue, SimpleWorker

    from ivr import jobs
    from tests.conftest import REDIS_TEST_URL

    base, files = media_server
    files["/late.tif"] = (200, fax_documents.tiff(2))
    response = post_telnyx(client, telnyx_key, telnyx_event(f"{base}/late.tif"))
    assert response.status_code == 202
    assert session.scalar(select(func.count(Ticket.id))) == 0  # the webhook did not wait
    queue = Queue(jobs.QUEUE_NAME, connection=Redis.from_url(REDIS_TEST_URL))
    assert queue.job_ids == [f"fax-media-{response.json['item']}"]
    with redis_app.app_context():
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
    assert session.scalar(select(FaxDocument)).pages == 2
    assert session.scalar(select(Ticket)).subject == "Fax von +4923811234567, 2 Seiten"
