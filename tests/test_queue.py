"""The queue: free waiting announced from the first moment (§ 115 TKG), results recorded."""
import datetime as dt

import pytest

from ivr.calls import find_call
from ivr.models import Call
from ivr.queue import expected_wait_seconds
from tests.twiml import spoken, verbs


@pytest.fixture
def queued(twilio):
    twilio.to_menu()
    twilio.keys("menu", "1")
    twilio.keys("support_number", "*")
    return twilio


def test_first_wait_says_position_expected_wait_and_that_waiting_is_free(queued, session):
    now = dt.datetime.now(dt.timezone.utc)
    for minutes in (3, 2):
        session.add(Call(call_sid=f"CA-earlier-{minutes}", enqueued_at=now - dt.timedelta(minutes=minutes)))
    session.commit()
    root = queued.twiml("/twilio/queue/wait", QueuePosition="1", QueueTime="0")
    assert spoken(root) == ["Sie sind an Position 3.",
                            "Die voraussichtliche Wartezeit beträgt etwa 6 Minuten.",
                            "Die Wartezeit ist für Sie kostenlos."]
    assert verbs(root)[-1] == "Pause" and root[-1].get("length") == "30"
    call = find_call(session, queued.call_sid)
    assert call.queue_free_announced_at is not None
    assert call.queue_free_announced_at >= call.enqueued_at


def test_hold_music_plays_between_announcements_when_configured(queued, app):
    app.config["HOLD_MUSIC_URL"] = "https://example.net/hold.mp3"
    root = queued.twiml("/twilio/queue/wait", QueuePosition="1")
    assert verbs(root)[-1] == "Play"
    assert root[-1].text == "https://example.net/hold.mp3"


def test_position_is_counted_from_the_database_not_taken_from_twilio(queued, session):
    now = dt.datetime.now(dt.timezone.utc)
    session.add(Call(call_sid="CA-earlier", enqueued_at=now - dt.timedelta(minutes=3)))
    session.add(Call(call_sid="CA-left", enqueued_at=now - dt.timedelta(minutes=4),
                     left_queue_at=now, queue_result="redirected"))
    session.add(Call(call_sid="CA-gone", enqueued_at=now - dt.timedelta(minutes=5), ended_at=now))
    session.commit()
    root = queued.twiml("/twilio/queue/wait", QueuePosition="7")
    assert spoken(root)[0] == "Sie sind an Position 2."


def test_a_caller_whose_activation_failed_is_put_first(queued, session):
    now = dt.datetime.now(dt.timezone.utc)
    session.add(Call(call_sid="CA-earlier", enqueued_at=now - dt.timedelta(minutes=3)))
    session.commit()
    call = find_call(session, queued.call_sid)
    call.intent = "activation_failed"
    session.commit()
    root = queued.twiml("/twilio/queue/wait", QueuePosition="2")
    assert spoken(root)[0] == "Sie sind an Position 1."


def test_expected_wait_comes_from_recent_answered_callers(session):
    now = dt.datetime.now(dt.timezone.utc)
    for minutes, result in [(30, "bridged"), (20, "bridged"), (10, "bridged"), (5, "hangup")]:
        session.add(Call(call_sid=f"CA{minutes}", left_queue_at=now - dt.timedelta(minutes=minutes),
                         queue_result=result))
    session.commit()
    # answered every 10 minutes lately: the third in line waits about 30 minutes
    assert expected_wait_seconds(session, 3, now, default=120) == 1800
    assert expected_wait_seconds(session, 1, now + dt.timedelta(hours=2), default=120) == 120


def test_english_callers_hear_the_queue_in_english(twilio):
    twilio.start()
    twilio.keys("greeting", "8")
    twilio.keys("greeting", "")
    twilio.keys("menu", "1")
    twilio.keys("support_number", "*")
    root = twilio.twiml("/twilio/queue/wait", QueuePosition="1")
    assert spoken(root) == ["You are number 1 in the queue.",
                            "The expected waiting time is about 2 minutes.",
                            "Waiting is free of charge for you."]


def test_leaving_the_queue_records_result_and_time(queued, session):
    root = queued.twiml("/twilio/queue/left", QueueResult="hangup", QueueTime="42")
    assert verbs(root) == ["Hangup"]
    call = find_call(session, queued.call_sid)
    assert (call.queue_result, call.queue_seconds) == ("hangup", 42)
    assert call.left_queue_at >= call.enqueued_at


def test_a_redirected_caller_is_left_to_the_redirect(queued, session):
    root = queued.twiml("/twilio/queue/left", QueueResult="redirected", QueueTime="12")
    assert verbs(root) == []
    call = find_call(session, queued.call_sid)
    assert (call.queue_result, call.queue_seconds, call.state) == ("redirected", 12, "queue")


def test_bridged_caller_is_thanked_after_the_agent_call(queued):
    root = queued.twiml("/twilio/queue/left", QueueResult="bridged", QueueTime="7")
    assert verbs(root) == ["Say", "Hangup"]
    assert spoken(root) == ["Vielen Dank für Ihren Anruf. Auf Wiederhören."]


@pytest.mark.parametrize("result", ["queue-full", "error", "system-error"])
def test_a_queue_that_cannot_take_the_caller_leads_back_to_the_menu(queued, result):
    root = queued.twiml("/twilio/queue/left", QueueResult=result, QueueTime="0")
    text = spoken(root)
    assert text[0] == "Leider können wir Sie gerade nicht in die Warteschlange aufnehmen."
    assert root.find("Gather").get("action") == "/twilio/step?state=menu"


def test_a_repeated_enqueue_action_counts_the_queue_time_once_and_repeats_the_answer(queued, session):
    first = queued.twiml("/twilio/queue/left", QueueResult="queue-full", QueueTime="15")
    again = queued.twiml("/twilio/queue/left", QueueResult="queue-full", QueueTime="15")
    assert first.find("Gather").get("action") == again.find("Gather").get("action") \
        == "/twilio/step?state=menu"
    assert find_call(session, queued.call_sid).queue_seconds == 15


def test_a_repeated_action_after_a_redirect_is_left_to_the_redirect_too(queued, session):
    queued.twiml("/twilio/queue/left", QueueResult="redirected", QueueTime="12")
    assert verbs(queued.twiml("/twilio/queue/left", QueueResult="redirected", QueueTime="12")) == []
    assert find_call(session, queued.call_sid).queue_seconds == 12
