"""Entry only from the customer account: a signed, short-lived token naming the customer."""
import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from ivr.chat.tokens import SALT, make_entry_token
from tests.chat.conftest import CHAT_SECRET, ChatCustomer


class SignedLongAgo(TimestampSigner):
    """Signs as if it were ten minutes ago."""

    def get_timestamp(self) -> int:
        return int(time.time()) - 600


@pytest.fixture
def erika(app):
    return ChatCustomer(app.test_client(), "10001", "Erika Mustermann")


def test_a_valid_token_lets_the_customer_in_under_their_name(erika):
    response = erika.enter()
    assert response.status_code == 302 and response.headers["Location"] == "/chat/"
    page = erika.client.get("/chat/")
    assert page.status_code == 200
    assert "Erika Mustermann" in page.get_data(as_text=True) and "10001" in page.get_data(as_text=True)


def test_without_a_token_there_is_no_entry_and_the_page_says_where_to_go(erika):
    response = erika.enter("")
    assert response.status_code == 401
    assert "aus Ihrem Kundenaccount" in response.get_data(as_text=True)
    assert erika.client.get("/chat/").status_code == 401


def test_a_token_signed_with_another_secret_is_refused(erika):
    response = erika.enter(make_entry_token("not-the-shared-secret", "10001", "Erika"))
    assert response.status_code == 403 and "ungültig" in response.get_data(as_text=True)
    assert erika.client.get("/chat/stream").status_code == 401


def test_a_changed_token_is_refused(erika):
    token = make_entry_token(CHAT_SECRET, "10001", "Erika")
    other = make_entry_token(CHAT_SECRET, "10002", "Max")
    forged = other.split(".")[0] + "." + ".".join(token.split(".")[1:])
    assert erika.enter(forged).status_code == 403


def test_an_expired_token_is_refused_with_the_reason(erika, app):
    app.config["CHAT_TOKEN_SECONDS"] = 120
    token = URLSafeTimedSerializer(CHAT_SECRET, salt=SALT, signer=SignedLongAgo).dumps(
        {"customer_number": "10001", "name": "Erika"})
    response = erika.enter(token)
    assert response.status_code == 403 and "abgelaufen" in response.get_data(as_text=True)
    app.config["CHAT_TOKEN_SECONDS"] = 900
    assert erika.enter(token).status_code == 302


def test_a_token_for_another_purpose_is_refused(erika):
    token = URLSafeTimedSerializer(CHAT_SECRET, salt="something-else").dumps(
        {"customer_number": "10001", "name": "Erika"})
    assert erika.enter(token).status_code == 403


@pytest.mark.parametrize("payload", [{"customer_number": "web123", "name": "Erika"},
                                     {"customer_number": "10001", "name": "  "},
                                     {"customer_number": 10001, "name": "Erika"},
                                     ["10001", "Erika"]])
def test_a_signed_token_without_a_customer_number_and_name_is_a_400(erika, payload):
    token = URLSafeTimedSerializer(CHAT_SECRET, salt=SALT).dumps(payload)
    response = erika.enter(token)
    assert response.status_code == 400 and "Kundennummer" in response.get_data(as_text=True)


def test_without_a_shared_secret_nobody_enters(erika, app):
    app.config["CHAT_SHARED_SECRET"] = None
    response = erika.enter(make_entry_token("any", "10001", "Erika"))
    assert response.status_code == 503 and "nicht eingerichtet" in response.get_data(as_text=True)


def test_the_display_name_loses_control_characters_and_markup_stays_text(erika, support):
    erika.name = "Erika\x00 <b>M.</b>\n"
    erika.enter()
    page = erika.client.get("/chat/").get_data(as_text=True)
    assert "Erika &lt;b&gt;M.&lt;/b&gt;" in page and "<b>M.</b>" not in page
    message = erika.say("Hallo")
    assert message["author"] == "Erika <b>M.</b>"


def test_the_chat_session_ends_after_its_time(erika, app):
    app.config["CHAT_SESSION_SECONDS"] = -1
    erika.enter()
    assert erika.client.get("/chat/").status_code == 401
    assert erika.post_raw({"body": "Hallo"}).status_code == 401


def test_the_entry_page_posts_the_token_from_the_fragment_so_that_no_url_carries_it(erika):
    page = erika.client.get("/chat/enter").get_data(as_text=True)
    assert 'method="post"' in page and "location.hash" in page and "replaceState" in page
    assert erika.client.get("/chat/").status_code == 401


def test_the_entry_post_needs_the_pages_csrf_token(erika):
    response = erika.client.post("/chat/enter", data={
        "token": make_entry_token(CHAT_SECRET, "10001", "Erika")})
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)


def test_the_link_command_prints_a_link_the_chat_lets_in(app, erika):
    result = app.test_cli_runner().invoke(args=["chat", "link", "--customer", "10001",
                                                "--name", "Erika Mustermann",
                                                "--base-url", "https://hotline.example.net/"])
    assert result.exit_code == 0, result.output
    link = result.output.strip()
    assert link.startswith("https://hotline.example.net/chat/enter#token=")
    assert erika.enter(link.split("#token=")[1]).status_code == 302
    assert "Erika Mustermann" in erika.client.get("/chat/").get_data(as_text=True)


def test_the_link_command_needs_the_secret(app):
    app.config["CHAT_SHARED_SECRET"] = None
    result = app.test_cli_runner().invoke(args=["chat", "link", "--customer", "10001", "--name", "E"])
    assert result.exit_code == 2 and "CHAT_SHARED_SECRET" in result.output
