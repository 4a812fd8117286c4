"""`hotline staff add` and `hotline staff list`."""
import pytest
from sqlalchemy import select

from ivr.models import Staff
from ivr.passwords import staff_password_matches

PASSWORD = "a long enough secret"


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_staff_add_asks_for_the_password_twice_and_stores_a_hash(runner, session):
    result = runner.invoke(args=["staff", "add", "Anna", "--role", "agent", "--phone", "02381 1230001"],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "staff anna added as agent" in result.output
    assert PASSWORD not in result.output
    anna = session.scalar(select(Staff))
    assert (anna.username, anna.role, anna.phone, anna.status) == ("anna", "agent", "+4923811230001", "offline")
    assert staff_password_matches(anna.password_hash, PASSWORD)


def test_staff_add_refuses_differing_passwords(runner, session):
    result = runner.invoke(args=["staff", "add", "sue", "--role", "supervisor"],
                           input=f"{PASSWORD}\nsomething else\n")
    assert result.exit_code != 0
    assert session.scalar(select(Staff)) is None


@pytest.mark.parametrize("args, reason", [
    (["anna", "--role", "agent"], "an agent needs --phone"),
    (["anna", "--role", "agent", "--phone", "12"], "not a valid phone number"),
    (["a b", "--role", "finance"], "must be 2 to 64"),
    (["fred", "--role", "finance", "--password", "short"], "at least 10 characters"),
])
def test_staff_add_refuses_bad_accounts_with_the_reason(runner, args, reason):
    extra = [] if "--password" in args else ["--password", PASSWORD]
    result = runner.invoke(args=["staff", "add", *args, *extra])
    assert result.exit_code != 0 and reason in result.output


def test_a_username_is_taken_once(runner):
    args = ["staff", "add", "sue", "--role", "supervisor", "--password", PASSWORD]
    assert runner.invoke(args=args).exit_code == 0
    result = runner.invoke(args=args)
    assert result.exit_code != 0 and "is taken" in result.output


def test_staff_list_shows_role_phone_and_status(runner, make_staff):
    make_staff("anna", status="available")
    output = runner.invoke(args=["staff", "list"]).output
    assert "anna\tagent\t+4923811230001\tavailable" in output


def test_staff_unlock_lifts_a_lock_out(runner, make_staff, session):
    import datetime as dt

    anna = make_staff("anna")
    anna.locked_until = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=10)
    session.commit()
    result = runner.invoke(args=["staff", "unlock", "anna"])
    assert result.exit_code == 0 and "unlocked" in result.output
    session.expire_all()
    assert session.get(Staff, anna.id).locked_until is None
    assert runner.invoke(args=["staff", "unlock", "nobody"]).exit_code != 0
