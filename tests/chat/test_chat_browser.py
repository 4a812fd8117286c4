"""The chat in Chromium: a customer asks support privately, the agent answers privately,
and another customer in the room sees neither."""
import re

from playwright.sync_api import expect

from ivr.chat.tokens import make_entry_token
from tests.chat.conftest import CHAT_SECRET
from tests.conftest import STAFF_PASSWORD


def enter_as_customer(browser_context, base_url, number, name):
    page = browser_context().new_page()
    page.goto(f"{base_url}/chat/enter#token={make_entry_token(CHAT_SECRET, number, name)}")
    expect(page).to_have_url(f"{base_url}/chat/")
    return page


def send(page, text, to_support=None):
    if to_support is not None:
        page.locator("#to-support").set_checked(to_support)
    page.fill("#body", text)
    page.click("#composer button[type=submit]")
    expect(page.locator("#body")).to_have_value("")


def test_a_private_question_and_answer_stay_between_the_customer_and_support(
        live_chat, browser_context, make_staff):
    make_staff("anna")
    agent = browser_context().new_page()
    agent.goto(f"{live_chat}/console/login?next=/console/chat")
    agent.fill("input[name=username]", "anna")
    agent.fill("input[name=password]", STAFF_PASSWORD)
    agent.click("form.login button[type=submit]")
    expect(agent.locator("#status")).to_have_text("offline")
    agent.locator("#available").check()
    expect(agent.locator("#status")).to_have_text("online")

    erika = enter_as_customer(browser_context, live_chat, "10001", "Erika Mustermann")
    max_ = enter_as_customer(browser_context, live_chat, "10002", "Max Muster")
    for customer in (erika, max_):
        expect(customer.locator("#offline")).to_be_hidden()
        expect(customer.locator("#composer")).to_be_visible()

    question = "Mein FTP-Passwort geht nicht <b>mehr</b>"
    send(erika, question, to_support=True)
    send(max_, "Hallo zusammen", to_support=False)

    asked = agent.locator("#messages li", has_text="Mein FTP-Passwort")
    expect(asked.locator(".tag")).to_have_text("[Support]")
    expect(asked.locator(".text")).to_have_text(question)
    asked.locator("button.reply-private").click()
    expect(agent.locator("#reply-target")).to_contain_text("Private answer to Erika Mustermann (10001)")
    send(agent, "Ich setze es zurück, die Mail kommt gleich")

    answer = erika.locator("#messages li", has_text="Ich setze es zurück")
    expect(answer.locator(".tag")).to_have_text("[privat]")
    expect(answer.locator(".author")).to_have_text("Support")
    expect(erika.locator("#messages li .text", has_text="Mein FTP-Passwort")).to_have_text(question)
    assert erika.locator("#messages b").count() == 0

    send(agent, "Guten Morgen allen")
    expect(max_.locator("#messages li", has_text="Guten Morgen allen")).to_be_visible()
    max_texts = max_.locator("#messages li .text").all_text_contents()
    assert max_texts == ["Hallo zusammen", "Guten Morgen allen"]
    expect(erika.locator("#messages li", has_text="Guten Morgen allen")).to_be_visible()
    erika_texts = erika.locator("#messages li .text").all_text_contents()
    assert erika_texts == [question, "Hallo zusammen", "Ich setze es zurück, die Mail kommt gleich",
                           "Guten Morgen allen"]

    agent.locator("#available").uncheck()
    expect(agent.locator("#status")).to_have_text("offline")
    expect(max_.locator("#offline")).to_be_visible()
    expect(max_.locator("#offline")).to_contain_text("support@candan.eu")
    expect(max_.locator("#offline")).to_contain_text(re.compile(r"9001 410520 \(0,45 EUR/Min"))
    expect(max_.locator("#composer")).to_be_hidden()


def test_a_browser_reconnecting_between_streams_gets_each_message_once(
        live_chat, browser_context, customer, support):
    support.available(True)
    erika = enter_as_customer(browser_context, live_chat, "10001", "Erika")
    send(erika, "erste")
    first_stream = erika.locator("#messages li")
    expect(first_stream).to_have_count(1)
    # Each stream lasts 2 s; messages keep coming while the browser reconnects in between.
    for number in range(6):
        support.say(f"Antwort {number}")
        expect(erika.locator("#messages li", has_text=f"Antwort {number}")).to_have_count(1)
    texts = erika.locator("#messages li .text").all_text_contents()
    assert texts == ["erste"] + [f"Antwort {number}" for number in range(6)]


def test_a_link_without_a_token_ends_on_a_page_that_says_where_to_enter(live_chat, browser_context):
    page = browser_context().new_page()
    page.goto(f"{live_chat}/chat/enter")
    expect(page.locator("#refused")).to_contain_text("aus Ihrem Kundenaccount")
    page = browser_context().new_page()
    page.goto(f"{live_chat}/chat/enter#token=forged.token.value")
    expect(page.locator("#refused")).to_contain_text("ungültig")
    expect(page).to_have_url(f"{live_chat}/chat/enter")
