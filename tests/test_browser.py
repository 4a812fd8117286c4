"""The console in a real browser (Debian's Chromium driven by Playwright) against a live server."""
from __future__ import annotations

import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from ivr.simulator import SimulatedCall
from tests.conftest import AUTH_TOKEN, STAFF_PASSWORD
from tests.test_finance import rated_month, runner  # noqa: F401 (fixtures)

LIVE_UPDATE_MS = 2000  # a change shows within 2 s


@pytest.fixture
def page(chromium):
    context = chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def log_in(page, base_url: str, username: str) -> None:
    page.goto(base_url + "/console/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", STAFF_PASSWORD)
    page.click("button[type=submit]")


def caller_enters_the_queue(base_url: str, caller: str = "+4923819738700") -> SimulatedCall:
    """Signed webhook requests as Twilio sends them: greeting, menu 1, no number, queue."""
    call = SimulatedCall(base_url=base_url, auth_token=AUTH_TOKEN, caller=caller)
    call.post("/twilio/voice")
    call.post("/twilio/step?state=greeting", Digits="")
    call.post("/twilio/step?state=menu", Digits="1")
    call.post("/twilio/step?state=support_number", Digits="*")
    call.post("/twilio/queue/wait", QueuePosition="1", QueueTime="0")
    return call


def test_an_agent_sees_a_new_caller_takes_them_and_follows_the_call(app, live_server, page, make_staff,
                                                                    twilio_api):
    app.config["WRAP_UP_SECONDS"] = 2
    anna = make_staff("anna")
    log_in(page, live_server, "anna")
    expect(page).to_have_url(live_server + "/console/queue")
    expect(page.locator("#my-status")).to_have_text("offline")
    page.fill("#pause-reason", "reading mail")
    page.click("button[data-status=paused]")
    expect(page.locator("#my-status")).to_have_text("paused")
    expect(page.locator("#my-reason")).to_have_text("(reading mail)")

    call = caller_enters_the_queue(live_server)
    row = page.locator("#waiting tbody tr")
    expect(row).to_have_count(1, timeout=LIVE_UPDATE_MS)
    expect(row.locator(".caller")).to_have_text("+4923•••••••00")
    expect(row.locator(".customer")).to_have_text("unverified")
    expect(row.locator(".intent")).to_have_text("support")
    expect(row.locator(".language")).to_have_text("de")

    row.locator("button.take").click()
    expect(page.locator("#my-status")).to_have_text("on a call", timeout=LIVE_UPDATE_MS)
    expect(page.locator("#waiting tbody tr")).to_have_count(0, timeout=LIVE_UPDATE_MS)
    expect(page.locator("#pop-customer")).to_have_text("unverified caller")
    [redirect] = twilio_api.requests
    assert redirect.form["Url"] == f"{live_server}/twilio/agent/dial?agent={anna.id}"

    call.post(f"/twilio/agent/dial?agent={anna.id}")
    call.post(f"/twilio/agent/answered?agent={anna.id}", CallSid="CA" + "5" * 32,
              ParentCallSid=call.call_sid)
    expect(page.locator("#screen-pop")).to_contain_text("connected", timeout=LIVE_UPDATE_MS)
    call.post(f"/twilio/agent/done?agent={anna.id}", DialCallStatus="completed", DialCallDuration="61")
    expect(page.locator("#my-status")).to_have_text("wrap-up", timeout=LIVE_UPDATE_MS)
    expect(page.locator("#my-status")).to_have_text("available", timeout=2000 + LIVE_UPDATE_MS)


def test_two_agents_clicking_the_same_caller_one_gets_them_the_other_is_told(
        live_server, chromium, make_staff, twilio_api):
    make_staff("anna", status="paused")
    make_staff("ben", phone="+4923811230002", status="paused")
    pages = []
    for name in ("anna", "ben"):
        page = chromium.new_context().new_page()
        log_in(page, live_server, name)
        pages.append(page)
    caller_enters_the_queue(live_server)
    for page in pages:
        expect(page.locator("#waiting tbody tr")).to_have_count(1, timeout=LIVE_UPDATE_MS)
    # ben's page stops refreshing, so he still sees the caller anna is about to take
    pages[1].route("**/console/queue/state", lambda route: route.abort())
    pages[0].locator("button.take").click()
    expect(pages[0].locator("#my-status")).to_have_text("on a call")
    pages[1].locator("button.take").click()
    expect(pages[1].locator("#message")).to_contain_text("taken by someone else")
    expect(pages[1].locator("#my-status")).to_have_text("paused")
    assert len(twilio_api.requests) == 1
    for page in pages:
        page.context.close()


def test_a_finance_user_is_refused_the_queue(live_server, page, make_staff):
    make_staff("fiona", role="finance")
    log_in(page, live_server, "fiona")
    response = page.goto(live_server + "/console/queue")
    assert response.status == 403
    expect(page.locator("#forbidden")).to_have_text("This page is not for the finance role.")


def test_a_wrong_password_shows_the_reason(live_server, page, make_staff):
    make_staff("anna")
    page.goto(live_server + "/console/login")
    page.fill("input[name=username]", "anna")
    page.fill("input[name=password]", "not the password")
    page.click("button[type=submit]")
    expect(page.locator("#login-error")).to_have_text("unknown username or wrong password")


def test_the_queue_view_keeps_updating_after_a_server_restart(app, page, make_staff):
    first = make_server("127.0.0.1", 0, app, threaded=True)
    port = first.server_port
    base_url = f"http://127.0.0.1:{port}"
    thread = threading.Thread(target=first.serve_forever, daemon=True)
    thread.start()
    make_staff("anna", status="paused")
    log_in(page, base_url, "anna")
    expect(page.locator("#my-status")).to_have_text("paused")
    first.shutdown()
    first.server_close()
    thread.join()
    expect(page.locator("#connection")).to_be_visible(timeout=LIVE_UPDATE_MS + 1000)

    second = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=second.serve_forever, daemon=True)
    thread.start()
    try:
        caller_enters_the_queue(base_url)
        expect(page.locator("#waiting tbody tr")).to_have_count(1, timeout=LIVE_UPDATE_MS + 1000)
        expect(page.locator("#connection")).to_be_hidden()
    finally:
        second.shutdown()
        second.server_close()
        thread.join()


def test_a_supervisor_adds_a_notice_in_the_browser(live_server, page, make_staff):
    make_staff("sue", role="supervisor")
    log_in(page, live_server, "sue")
    expect(page).to_have_url(live_server + "/console/supervisor")
    page.select_option("select[name=kind]", "outage")
    page.fill("textarea[name=text_de]", "Webserver 3 gestört")
    page.click("text=Add notice")
    expect(page.locator("#notices")).to_contain_text("Webserver 3 gestört")
    page.locator("#notices button", has_text="End now").click()
    expect(page.locator("#notices")).to_contain_text("No notices in force or to come.")


def test_an_agent_opens_a_ticket_from_the_list_replies_and_closes_it(app, live_server, page, make_staff,
                                                                   session, smtp):
    from tests import mails
    from tests.intake_steps import add_customer, take

    add_customer(session)
    number = take(app, mails.QUOTED_PRINTABLE).ticket_number
    make_staff("anna")
    log_in(page, live_server, "anna")
    page.click("nav >> text=Tickets")
    expect(page).to_have_url(live_server + "/console/tickets")
    row = page.locator(f"#tickets tr[data-number='{number}']")
    expect(row.locator(".customer")).to_have_text("10001")
    expect(row.locator(".due")).to_contain_text("due in 23:59:")
    row.locator(".number a").click()
    expect(page.locator("#ticket-number")).to_have_text(number)
    expect(page.locator("#messages")).to_contain_text("wie kann ich das Passwort meines Postfachs ändern?")

    page.fill("#reply-text", "Unter Postfächer → Passwort.")
    page.click("#send-reply")
    expect(page.locator(".flash.info")).to_have_text(f"Reply to {number} sent to erika@example.de.")
    expect(page.locator("#ticket-status")).to_have_text("answered")
    expect(page.locator("#messages .message.out .body")).to_have_text("Unter Postfächer → Passwort.")
    sent = smtp.received[-1]
    assert sent.message["Subject"].startswith(f"[{number}] Re:")
    assert sent.message["In-Reply-To"] == "<5f2c1a.qp@example.de>"

    page.click("#close-ticket")
    expect(page).to_have_url(live_server + "/console/tickets")
    expect(page.locator(".flash.info")).to_have_text(f"Ticket {number} closed.")
    expect(page.locator("#no-tickets")).to_be_visible()


def test_a_finance_user_sees_the_month_and_downloads_its_csv(live_server, page, make_staff,
                                                               rated_month, runner, tmp_path):
    make_staff("fiona", role="finance", phone=None)
    log_in(page, live_server, "fiona")
    expect(page).to_have_url(live_server + "/console/finance")
    page.fill("input[name=month]", "2026-11")
    page.click("#month-picker button[type=submit]")
    expect(page).to_have_url(live_server + "/console/finance?month=2026-11")
    expect(page.locator("svg#daily-revenue rect.revenue")).to_have_count(30)
    day = page.locator('#daily tr[data-day="2026-11-04"]')
    expect(day.locator(".calls")).to_have_text("3")
    expect(day.locator(".minutes")).to_have_text("3.0")
    expect(day.locator(".gross")).to_have_text("2.70")
    expect(page.locator("#month-total .gross")).to_have_text("4.05")

    with page.expect_download() as info:
        page.click("#downloads a:has-text('Calls (CSV')")
    download = info.value
    assert download.suggested_filename == "calls-2026-11.csv"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    expected = runner.invoke(args=["billing", "export", "--month", "2026-11"]).stdout_bytes
    assert path.read_bytes() == expected and b"CA-5" in expected
