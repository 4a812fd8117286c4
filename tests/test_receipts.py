"""Receipts are sent by a retried job; one not sent within the hour is reported."""
import datetime as dt

import pytest
from redis import Redis
from rq import Queue, SimpleWorker
from rq.registry import ScheduledJobRegistry

from ivr import jobs
from ivr.deadlines import is_outage_report
from ivr.models import OutgoingMail
from ivr.outbox import send_outgoing, smtp_server
from tests import mails
from tests.conftest import REDIS_TEST_URL
from tests.intake_steps import receipts, take


@pytest.mark.parametrize("text", [
    "Serverausfall seit 8 Uhr", "Störung beim Mailserver", "Webseite nicht erreichbar",
    "my site is down", "500 Internal Server Error", "Seite ist nicht mehr erreichbar",
    "server error on checkout", "Alles ausgefallen"])
def test_outage_words_are_recognised(text):
    assert is_outage_report(text)


@pytest.mark.parametrize("text", ["Download der Rechnung", "Frage zum Tarif", "Countdown läuft",
                                  "Wie erreiche ich das Kundeninterface?"])
def test_ordinary_requests_are_not_outages(text):
    assert not is_outage_report(text)


def test_smtp_urls_are_read_with_their_security_and_credentials():
    server = smtp_server("smtp+starttls://relay%40candan.eu:s3cr%2Ft@mail.candan.eu")
    assert (server.host, server.port, server.tls, server.user, server.password) == \
        ("mail.candan.eu", 587, "starttls", "relay@candan.eu", "s3cr/t")
    assert smtp_server("smtps://mail.candan.eu").port == 465
    with pytest.raises(ValueError, match="is not smtp://"):
        smtp_server("http://mail.candan.eu")


def test_a_refused_receipt_stays_pending_and_a_later_run_sends_it(app, session, smtp):
    smtp.refuse = True
    take(app, mails.QUOTED_PRINTABLE)
    [receipt] = receipts(session)
    assert (receipt.status, receipt.attempts) == ("pending", 1)
    assert "451" in receipt.reason and smtp.received == []
    smtp.refuse = False
    with app.app_context():
        send_outgoing(receipt.id)
        send_outgoing(receipt.id)  # a second run of the same job sends nothing more
    [receipt] = receipts(session)
    assert (receipt.status, receipt.attempts, receipt.reason) == ("sent", 2, None)
    assert len(smtp.received) == 1


def test_on_rq_a_failed_receipt_is_scheduled_again_and_then_sent(redis_app, session, smtp):
    take(redis_app, mails.QUOTED_PRINTABLE)
    queue = Queue(jobs.QUEUE_NAME, connection=Redis.from_url(REDIS_TEST_URL))
    [job] = queue.jobs
    assert job.func_name == "ivr.outbox.send_outgoing" and job.retries_left == 5
    assert receipts(session)[0].status == "pending"  # the intake did not wait for SMTP
    smtp.refuse = True
    with redis_app.app_context():
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
    assert job.id in ScheduledJobRegistry(queue=queue).get_job_ids()
    assert receipts(session)[0].attempts == 1 and smtp.received == []
    smtp.refuse = False
    queue.enqueue_job(job.fetch(job.id, connection=queue.connection))  # the retry falls due
    with redis_app.app_context():
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
    assert receipts(session)[0].status == "sent" and len(smtp.received) == 1


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_the_check_reports_receipts_unsent_after_an_hour_and_resends_them(app, session, smtp, runner):
    smtp.refuse = True
    take(app, mails.QUOTED_PRINTABLE)
    result = runner.invoke(args=["receipts", "check"])
    assert (result.exit_code, result.output.strip()) == (0, "0 late mails, 0 unread items")
    receipt = session.get(OutgoingMail, receipts(session)[0].id)
    receipt.created_at -= dt.timedelta(minutes=61)
    session.commit()
    result = runner.invoke(args=["receipts", "check"])
    assert result.exit_code == 1
    assert result.output.startswith("late receipt\tT-000001\terika@example.de\t61 min\t1 attempts\t")
    smtp.refuse = False
    result = runner.invoke(args=["receipts", "check", "--resend"])
    assert "1 mails handed to the send job again" in result.output
    assert len(smtp.received) == 1
    assert runner.invoke(args=["receipts", "check"]).exit_code == 0


def test_the_check_reports_stored_mail_that_was_not_read(app, session, smtp, runner, monkeypatch):
    from ivr import mail_intake

    monkeypatch.setattr(mail_intake, "take_mail", lambda *_: 1 / 0)
    taken = take(app, mails.HTML_ONLY)
    result = runner.invoke(args=["receipts", "check"])
    assert result.exit_code == 1
    assert f"unread email\titem {taken.item_id}\t" in result.output
    assert "ZeroDivisionError" in result.output


def test_stored_mail_that_failed_is_read_again_by_command(app, session, smtp, runner, monkeypatch):
    from ivr import mail_intake

    real = mail_intake.take_mail
    monkeypatch.setattr(mail_intake, "take_mail", lambda *_: 1 / 0)
    taken = take(app, mails.HTML_ONLY)
    monkeypatch.setattr(mail_intake, "take_mail", real)
    result = runner.invoke(args=["mail-reread", str(taken.item_id)])
    assert (result.exit_code, result.output.strip()) == (0, f"item {taken.item_id}: ticket T-000001")
    assert len(smtp.received) == 1
    again = runner.invoke(args=["mail-reread", str(taken.item_id)])
    assert again.exit_code == 1 and "not an unread stored mail" in again.output


def test_the_check_reports_an_agents_reply_unsent_after_an_hour(app, session, smtp, runner):
    from ivr.agent_desk import reply_to_ticket
    from ivr.db import utcnow
    from tests.intake_steps import ticket

    number = take(app, mails.QUOTED_PRINTABLE).ticket_number
    smtp.refuse = True
    with app.app_context():
        reply = reply_to_ticket(session, ticket(session, number), agent="Anna", text="Antwort",
                                now=utcnow(), settings=app.config)
        reply.mail.created_at -= dt.timedelta(minutes=90)
        session.commit()
    result = runner.invoke(args=["receipts", "check"])
    assert result.exit_code == 1
    assert result.output.startswith(f"late reply\t{number}\terika@example.de\t90 min\t0 attempts")
