"""`hotline mail-gate`: one raw message on stdin, exit codes as MTAs read them."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from app import create_app
from ivr.models import IntakeItem, Ticket
from tests import mails


def test_a_piped_message_is_stored_and_becomes_a_ticket(app, session, smtp):
    result = app.test_cli_runner().invoke(args=["mail-gate"], input=mails.UMLAUT_OUTAGE)
    assert result.exit_code == 0, result.output
    item = session.scalar(select(IntakeItem))
    assert (item.source, item.raw, item.status) == ("mail-gate", mails.UMLAUT_OUTAGE, "ticketed")
    assert session.scalar(select(Ticket)).subject == "Störung: Webseite nicht erreichbar"
    assert len(smtp.received) == 1


def test_an_empty_message_is_refused_as_bad_data(app):
    result = app.test_cli_runner().invoke(args=["mail-gate"], input=b"\r\n")
    assert result.exit_code == 65


def test_without_a_database_the_mta_is_told_to_try_again_later(tmp_path):
    app = create_app({"DATABASE_URL": "postgresql://postgres@127.0.0.1:1/hotline",
                      "TWILIO_AUTH_TOKEN": "t"})
    result = app.test_cli_runner().invoke(args=["mail-gate"], input=mails.QUOTED_PRINTABLE)
    assert result.exit_code == 75
    assert "try again later" in result.output


def test_the_installed_command_takes_mail_from_a_pipe(database_url, tmp_path, smtp_url):
    hotline = shutil.which("hotline", path=str(Path(sys.executable).parent))
    env = {**os.environ, "DATABASE_URL": database_url, "SMTP_URL": smtp_url[0],
           "HOTLINE_INSTANCE_PATH": str(tmp_path)}
    env.pop("REDIS_URL", None)
    done = subprocess.run([hotline, "mail-gate"], input=mails.HTML_ONLY, env=env,
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    assert smtp_url[1].received[0].message["Subject"].startswith("[T-")


def test_tickets_list_shows_open_tickets_by_deadline(app, session, smtp):
    runner = app.test_cli_runner()
    runner.invoke(args=["mail-gate"], input=mails.QUOTED_PRINTABLE)
    runner.invoke(args=["mail-gate"], input=mails.UMLAUT_OUTAGE)
    lines = runner.invoke(args=["tickets", "list"]).output.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["T-000002", "T-000001"]
    assert lines[0].split("\t")[2:5] == ["high", "open", "email"]
    assert lines[0].endswith("Störung: Webseite nicht erreichbar")
