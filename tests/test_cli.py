"""The `hotline` commands, and `hotline call` playing callers against a real server."""
import io

import pytest
from sqlalchemy import select

from ivr.models import Call, Notice
from ivr.simulator import SimulatedCall
from tests.conftest import AUTH_TOKEN

CSV = ("customer_number,name,email,phone,web_number,domain,activation_password\n"
       "10001,Erika Mustermann,erika@example.de,,web123,example.de,geheim\n")


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_customers_import_command_reports_counts_and_bad_lines(runner, tmp_path, session):
    path = tmp_path / "customers.csv"
    path.write_text(CSV + "x,Bad,,,web9,bad.de,\n", encoding="utf-8")
    result = runner.invoke(args=["customers", "import", str(path)])
    assert result.exit_code == 1
    assert "line 3: customer_number 'x' is not 1 to 20 digits" in result.output
    assert "1 created, 0 updated, 1 refused" in result.output


def test_notices_add_and_list(runner, session):
    result = runner.invoke(args=["notices", "add", "--kind", "outage", "--text", "Mailserver gestört",
                                 "--text-en", "Mail server down"])
    assert result.exit_code == 0, result.output
    notice = session.scalar(select(Notice))
    assert (notice.kind, notice.text_de, notice.text_en) == ("outage", "Mailserver gestört", "Mail server down")
    assert "Mailserver gestört" in runner.invoke(args=["notices", "list"]).output


def test_notices_add_refuses_an_end_before_the_start(runner):
    result = runner.invoke(args=["notices", "add", "--kind", "maintenance", "--text", "x",
                                 "--starts", "2026-12-01T10:00", "--ends", "2026-12-01T09:00"])
    assert result.exit_code != 0 and "end after it starts" in result.output


def test_db_upgrade_command_migrates_an_empty_database(tmp_path):
    from app import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/new.sqlite", "TWILIO_AUTH_TOKEN": "t"})
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0 and "database at heads" in result.output


def test_hotline_call_prints_what_the_caller_hears(runner, live_server, session):
    from ivr.customers import import_customers

    import_customers(session, io.StringIO(CSV))
    session.commit()
    result = runner.invoke(args=["call", "--url", live_server, "--from", "+4915112345678",
                                 "--keys", "_", "1", "123#", "10001#"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Willkommen beim Kundensupport."
    assert "[keys 123#]" in lines
    assert lines[lines.index("[keys 123#]") + 1].startswith("Das ist Ihre Webnummer.")
    assert "Kundennummer 1 0 0 0 1. Vielen Dank." in lines
    assert "[queue support]" in lines and "Die Wartezeit ist für Sie kostenlos." in lines
    call = session.scalar(select(Call))
    assert (call.status, call.line_type, call.queue_result) == ("completed", "mobile", "hangup")


def test_hotline_call_keys_as_documented_reach_the_queue_verified(runner, live_server, session):
    from ivr.customers import import_customers

    import_customers(session, io.StringIO(CSV))
    session.commit()
    result = runner.invoke(args=["call", "--url", live_server, "--keys", "1", "10001#"])
    assert result.exit_code == 0, result.output
    assert "Kundennummer 1 0 0 0 1. Vielen Dank." in result.output.splitlines()
    assert session.scalar(select(Call)).customer.customer_number == "10001"


def test_simulated_caller_hangs_up_when_out_of_keys(live_server):
    transcript = SimulatedCall(base_url=live_server, auth_token=AUTH_TOKEN, caller="+4923811234567").play([])
    assert transcript[-1] == "[caller hangs up]"
    assert "For English, press 8." in transcript


def test_simulated_caller_with_a_wrong_token_is_refused(live_server):
    with pytest.raises(RuntimeError, match="403"):
        SimulatedCall(base_url=live_server, auth_token="wrong", caller="+4923811234567").play([])
