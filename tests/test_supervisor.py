"""The supervisor's figures and the notices they keep for the hotline."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from ivr.figures import figures, start_of_day
from ivr.models import Call, Notice
from ivr.notices import active_notices
from tests.twiml import spoken

BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 11, 25, 13, 30, tzinfo=dt.timezone.utc)  # 14:30 in Berlin


def answered_call(session, sid, entered_ago, waited, talked=None):
    entered = NOW - dt.timedelta(minutes=entered_ago)
    session.add(Call(call_sid=sid, enqueued_at=entered, left_queue_at=entered + dt.timedelta(seconds=waited),
                     queue_result="redirected", answered_at=entered + dt.timedelta(seconds=waited),
                     talk_seconds=talked))


@pytest.fixture
def day(session, make_staff):
    answered_call(session, "CA-morning", entered_ago=300, waited=10, talked=200)  # 09:30 Berlin
    answered_call(session, "CA-fast", entered_ago=10, waited=15, talked=100)
    answered_call(session, "CA-slow", entered_ago=12, waited=45, talked=None)
    session.add(Call(call_sid="CA-gave-up", enqueued_at=NOW - dt.timedelta(minutes=5),
                     left_queue_at=NOW - dt.timedelta(minutes=4), queue_result="hangup"))
    session.add(Call(call_sid="CA-yesterday", enqueued_at=NOW - dt.timedelta(days=1),
                     left_queue_at=NOW - dt.timedelta(days=1), queue_result="hangup"))
    session.add(Call(call_sid="CA-waiting", enqueued_at=NOW - dt.timedelta(seconds=95)))
    session.commit()
    make_staff("anna", status="available")
    make_staff("ben", phone="+4923811230002", status="paused")
    make_staff("carl", phone="+4923811230003", status="paused")
    make_staff("fiona", role="finance")


def test_figures_of_today_and_the_last_15_minutes(session, day):
    result = figures(session, NOW, BERLIN, service_seconds=20)
    assert (result.waiting, result.longest_wait_seconds) == (1, 95)
    assert result.agents == {"offline": 0, "available": 1, "paused": 2, "on_call": 0, "wrap_up": 0}
    today, recent = result.today, result.recent
    assert (today.answered, today.abandoned) == (3, 1)
    assert today.service_level == pytest.approx(2 / 3)
    assert today.average_answer_seconds == pytest.approx((10 + 15 + 45) / 3)
    assert today.average_talk_seconds == pytest.approx(150)
    assert (recent.answered, recent.abandoned, recent.service_level) == (2, 1, 0.5)
    assert recent.average_talk_seconds == pytest.approx(100)


def test_the_hourly_chart_counts_by_local_hour(session, day):
    hours = figures(session, NOW, BERLIN, service_seconds=20).hours
    assert len(hours) == 15  # 00:00 to 14:00 Berlin
    assert (hours[9].answered, hours[14].answered, hours[14].abandoned) == (1, 2, 1)
    assert sum(h.answered for h in hours) == 3


def test_the_day_starts_at_local_midnight():
    assert start_of_day(NOW, BERLIN) == dt.datetime(2026, 11, 24, 23, 0, tzinfo=dt.timezone.utc)


def test_no_answered_calls_give_no_service_level(session):
    result = figures(session, NOW, BERLIN, service_seconds=20)
    assert result.today.service_level is None and result.today.average_answer_seconds is None


def test_the_page_shows_the_figures_and_a_chart(console, make_staff, session):
    make_staff("sue", role="supervisor")
    session.add(Call(call_sid="CA-waiting", enqueued_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=65)))
    session.commit()
    console.login("sue")
    page = console.client.get("/console/supervisor").get_data(as_text=True)
    assert 'id="fig-waiting">1<' in page
    assert 'id="fig-longest">1:0' in page
    assert '<svg id="hourly-chart"' in page and 'class="answered"' in page
    data = console.client.get("/console/supervisor/figures").get_json()
    assert data["waiting"] == 1 and set(data["today"]) >= {"answered", "service_level"}


@pytest.fixture
def sue(console, make_staff):
    make_staff("sue", role="supervisor")
    console.login("sue")
    return console


def test_a_notice_made_here_is_read_by_the_hotline(sue, session, twilio):
    response = sue.form("/console/supervisor/notices", kind="outage", text_de="Mailserver gestört",
                        text_en="Mail server down", starts_at="", ends_at="")
    assert response.status_code == 303
    twilio.to_menu()
    root = twilio.keys("menu", "3")
    assert "Mailserver gestört" in " ".join(spoken(root))


def test_a_notice_is_edited_and_ended(sue, session):
    sue.form("/console/supervisor/notices", kind="maintenance", text_de="Wartung", starts_at="", ends_at="")
    notice = session.scalar(select(Notice))
    page = sue.client.get(f"/console/supervisor/notices/{notice.id}").get_data(as_text=True)
    assert "Wartung" in page
    response = sue.form(f"/console/supervisor/notices/{notice.id}", kind="outage", text_de="Störung",
                        text_en="", starts_at="2026-11-25T08:00", ends_at="")
    assert response.status_code == 303
    session.expire_all()
    notice = session.get(Notice, notice.id)
    assert (notice.kind, notice.text_de) == ("outage", "Störung")
    assert notice.starts_at == dt.datetime(2026, 11, 25, 7, 0, tzinfo=dt.timezone.utc)
    assert sue.form(f"/console/supervisor/notices/{notice.id}/end").status_code == 303
    assert active_notices(session, dt.datetime.now(dt.timezone.utc)) == []


def test_a_bad_notice_is_refused_with_the_reason(sue, session):
    response = sue.form("/console/supervisor/notices", kind="outage", text_de="x",
                        starts_at="2026-12-01T10:00", ends_at="2026-12-01T09:00")
    assert response.status_code == 400 and "end after it starts" in response.get_data(as_text=True)
    response = sue.form("/console/supervisor/notices", kind="outage", text_de="x", starts_at="tomorrow")
    assert response.status_code == 400 and "not a date and time" in response.get_data(as_text=True)
    assert session.scalar(select(Notice)) is None


def test_a_notice_form_without_the_csrf_token_is_refused(sue, session):
    response = sue.client.post("/console/supervisor/notices", data={"kind": "outage", "text_de": "x"})
    assert response.status_code == 400
    assert session.scalar(select(Notice)) is None


def test_an_agent_cannot_change_notices(console, make_staff):
    make_staff("anna")
    console.login("anna")
    assert console.form("/console/supervisor/notices", kind="outage", text_de="x").status_code == 403
