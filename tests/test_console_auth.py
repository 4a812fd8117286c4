"""Console login: sessions, lock-out, CSRF, and which role may use which page."""
import datetime as dt

import pytest
from sqlalchemy import select

from ivr.models import Staff
from tests.conftest import STAFF_PASSWORD

FINANCE_PAGES = ["/console/finance", "/console/finance?month=2026-11",
                 "/console/finance/export/csv?month=2026-11",
                 "/console/finance/export/datev?month=2026-11",
                 "/console/finance/export/summary?month=2026-11"]
PAGES = ["/console/queue", "/console/queue/state", "/console/supervisor",
         "/console/supervisor/figures", *FINANCE_PAGES]
ALLOWED = {
    "agent": {"/console/queue", "/console/queue/state"},
    "supervisor": set(PAGES) - set(FINANCE_PAGES),
    "admin": set(PAGES),
    "finance": set(FINANCE_PAGES),
}


def test_login_with_the_right_password_starts_a_session(console, make_staff):
    make_staff("anna")
    response = console.login("anna")
    assert response.status_code == 302 and response.headers["Location"] == "/console/"
    assert console.client.get("/console/").headers["Location"] == "/console/queue"
    assert console.client.get("/console/queue").status_code == 200


def test_a_wrong_password_is_refused_with_a_reason(console, make_staff):
    make_staff("anna")
    response = console.login("anna", "wrong password!")
    assert response.status_code == 401
    assert "wrong password" in response.get_data(as_text=True)
    assert console.client.get("/console/queue").status_code == 302


def test_repeated_failures_lock_the_account_even_for_the_right_password(console, make_staff, session, app):
    make_staff("anna")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert console.login("anna", "wrong password!").status_code == 401
    response = console.login("anna", STAFF_PASSWORD)
    assert response.status_code == 401 and "locked" in response.get_data(as_text=True)
    anna = session.scalar(select(Staff).where(Staff.username == "anna"))
    anna.locked_until = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)
    session.commit()
    assert console.login("anna", STAFF_PASSWORD).status_code == 302


def test_an_unknown_user_is_told_the_same_as_a_wrong_password(console):
    response = console.login("nobody", "whatever pass")
    assert response.status_code == 401 and "unknown username or wrong password" in response.get_data(as_text=True)


def test_a_login_without_the_csrf_token_is_refused(client, make_staff):
    make_staff("anna")
    response = client.post("/console/login", data={"username": "anna", "password": STAFF_PASSWORD})
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)


def test_json_posts_need_the_csrf_header(console, make_staff):
    make_staff("anna")
    console.login("anna")
    response = console.client.post("/console/queue/status", json={"status": "available"})
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)
    assert console.json("/console/queue/status", {"status": "available"}).status_code == 200


def test_logout_ends_the_session_and_takes_the_agent_offline(console, make_staff, session):
    make_staff("anna", status="available")
    console.login("anna")
    assert console.form("/console/logout").status_code == 302
    assert console.client.get("/console/queue").status_code == 302
    assert session.scalar(select(Staff.status).where(Staff.username == "anna")) == "offline"


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_requests_go_to_the_login_page(client, page):
    response = client.get(page)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/console/login?next=")


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_each_role_reaches_its_pages_and_is_refused_the_others(console, make_staff, role):
    make_staff(f"user-{role}", role=role)
    console.login(f"user-{role}")
    for page in PAGES:
        with console.client.get(page) as response:
            status = response.status_code
        assert status == (200 if page in ALLOWED[role] else 403), (role, page, status)


def test_login_goes_on_to_a_local_next_page_only(console, make_staff):
    make_staff("sue", role="supervisor")
    console.client.get("/console/login")
    response = console.client.post("/console/login?next=//evil.example/x", data={
        "username": "sue", "password": STAFF_PASSWORD, "csrf_token": console.token()})
    assert response.headers["Location"] == "/console/"
    console.form("/console/logout")
    console.client.get("/console/login")
    response = console.client.post("/console/login?next=/console/supervisor", data={
        "username": "sue", "password": STAFF_PASSWORD, "csrf_token": console.token()})
    assert response.headers["Location"] == "/console/supervisor"


def test_the_password_is_stored_only_as_an_argon2_hash(make_staff):
    anna = make_staff("anna")
    assert anna.password_hash.startswith("$argon2") and STAFF_PASSWORD not in anna.password_hash
