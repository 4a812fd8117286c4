"""Message size, the rate per customer, and text that stays text."""
import datetime as dt

from sqlalchemy import update

from ivr.models import ChatMessage


def test_a_message_up_to_the_size_limit_is_taken_and_a_longer_one_refused(customer, support, app):
    limit = app.config["CHAT_MAX_MESSAGE_CHARS"]
    erika = customer("10001", "Erika")
    assert len(erika.say("x" * limit)["body"]) == limit
    response = erika.post_raw({"body": "x" * (limit + 1)})
    assert response.status_code == 413
    assert f"höchstens {limit} Zeichen" in response.get_json()["error"]
    response = support.say("y" * (limit + 1))
    assert response.status_code == 413
    assert erika.bodies() == ["x" * limit]


def test_an_empty_message_is_refused(customer, support):
    erika = customer("10001", "Erika")
    for body in ["", "   \n ", None, 42]:
        response = erika.post_raw({"body": body})
        assert response.status_code == 400 and response.get_json()["error"], body
    assert support.say(" ").status_code == 400


def test_control_characters_are_dropped_and_lines_kept(customer, support):
    erika = customer("10001", "Erika")
    assert erika.say("Zeile 1\r\nZeile\x00 2\x1b")["body"] == "Zeile 1\nZeile 2"


def test_markup_is_kept_as_text_for_the_page_to_show_as_text(customer, support):
    erika = customer("10001", "Erika")
    markup = '<img src=x onerror="alert(1)"> & <b>fett</b>'
    assert erika.say(markup)["body"] == markup
    page = erika.client.get("/chat/").get_data(as_text=True)
    assert "<img" not in page


def test_too_many_messages_get_a_429_telling_when_to_retry(customer, support, session, app):
    app.config.update(CHAT_RATE_MESSAGES=3, CHAT_RATE_SECONDS=60)
    erika, max_ = customer("10001", "Erika"), customer("10002", "Max")
    for number in range(3):
        erika.say(f"Nachricht {number}")
    response = erika.post_raw({"body": "eine zu viel", "to_support": True})
    assert response.status_code == 429
    retry = int(response.headers["Retry-After"])
    assert 1 <= retry <= 60
    assert f"in {retry} Sekunden" in response.get_json()["error"]
    assert max_.say("Ich darf noch")["body"] == "Ich darf noch"
    assert "eine zu viel" not in support_bodies(support)
    session.execute(update(ChatMessage).where(ChatMessage.customer_number == "10001")
                    .values(sent_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=61)))
    session.commit()
    assert erika.say("jetzt wieder")["body"] == "jetzt wieder"


def support_bodies(support):
    return [event.data["body"] for event in support.stream() if event.name == "message"]
