"""Who sees what: public messages reach everyone, [Support] questions and private answers
only support and the one customer. Through the real endpoints, several customers at once."""
import pytest

from tests.chat.conftest import messages_of


@pytest.fixture
def room(customer, support):
    """Three customers and support in a conversation with public and private parts."""
    erika, max_, lena = (customer("10001", "Erika Mustermann"), customer("10002", "Max Muster"),
                         customer("10003", "Lena Beispiel"))
    said = {}
    said["erika_private"] = erika.say("Mein FTP-Passwort geht nicht", to_support=True)["id"]
    said["max_public"] = max_.say("Ist der Mailserver langsam?")["id"]
    said["lena_private"] = lena.say("Rechnung 4711 ist falsch", to_support=True)["id"]
    answer = support.say("Ich setze es zurück, Erika", reply_to=said["erika_private"], private=True)
    assert answer.status_code == 201, answer.get_data(as_text=True)
    said["to_erika"] = answer.get_json()["id"]
    said["to_lena"] = support.say("Ich prüfe die Rechnung", reply_to=said["lena_private"],
                                  private=True).get_json()["id"]
    said["support_public"] = support.say("Der Mailserver läuft wieder normal",
                                         reply_to=said["max_public"]).get_json()["id"]
    said["max_to_support"] = max_.say("Danke! Noch eine Frage nur an euch", to_support=True)["id"]
    return erika, max_, lena, support, said


def test_each_customer_receives_the_public_messages_and_only_their_own_private_ones(room):
    erika, max_, lena, support, said = room
    public = {said["max_public"], said["support_public"]}
    expected = {
        erika: public | {said["erika_private"], said["to_erika"]},
        max_: public | {said["max_to_support"]},
        lena: public | {said["lena_private"], said["to_lena"]},
    }
    for someone, ids in expected.items():
        received = [message["id"] for message in messages_of(someone.stream())]
        assert received == sorted(ids), someone.name
        caught_up = [message["id"] for message in messages_of(someone.stream(last_event_id=0))]
        assert caught_up == sorted(ids), someone.name


def test_support_receives_everything_with_who_wrote_and_for_whom(room):
    *_, support, said = room
    messages = messages_of(support.stream())
    assert [message["id"] for message in messages] == sorted(said.values())
    to_erika = next(message for message in messages if message["id"] == said["to_erika"])
    assert (to_erika["private_for"], to_erika["staff"], to_erika["author"]) == ("10001", "anna", "Support")
    question = next(message for message in messages if message["id"] == said["lena_private"])
    assert (question["customer_number"], question["private"]) == ("10003", True)


def test_customers_learn_neither_other_customer_numbers_nor_staff_names(room):
    erika, *_ = room
    for message in messages_of(erika.stream()):
        assert "customer_number" not in message and "private_for" not in message
        assert "reply_to" not in message
        assert "staff" not in message and "anna" not in str(message)
        assert message["mine"] == (message["author"] == "Erika Mustermann")


def test_a_private_answer_goes_to_the_asker_even_when_the_question_was_public(customer, support):
    erika, max_ = customer("10001", "Erika"), customer("10002", "Max")
    question = max_.say("Wie ändere ich meine DNS-Einträge?")
    support.say("Schicken Sie mir Ihre Domain", reply_to=question["id"], private=True)
    assert "Schicken Sie mir Ihre Domain" in max_.bodies()
    assert "Schicken Sie mir Ihre Domain" not in erika.bodies()


def test_a_private_answer_needs_a_customer_message_to_answer(support, customer):
    response = support.say("An wen?", private=True)
    assert response.status_code == 400 and "private answer" in response.get_json()["error"]
    public = support.say("Hallo allerseits").get_json()
    response = support.say("Privat an mich selbst?", reply_to=public["id"], private=True)
    assert response.status_code == 400
    response = support.say("Antwort", reply_to=999999, private=True)
    assert response.status_code == 404 and "999999" in response.get_json()["error"]
    erika = customer("10001", "Erika")
    assert erika.bodies() == ["Hallo allerseits"]


def test_customers_cannot_use_the_console_side(customer, app):
    erika = customer("10001", "Erika")
    response = erika.client.post("/console/chat/messages", json={"body": "Ich bin Support",
                                                                  "reply_to": None, "private": False},
                                 headers={"X-CSRF-Token": erika.csrf()})
    assert response.status_code == 302 and "/console/login" in response.headers["Location"]
    assert erika.client.get("/console/chat/stream").status_code == 302


@pytest.mark.parametrize("role, status", [("agent", 200), ("supervisor", 200), ("admin", 200),
                                          ("finance", 403)])
def test_the_console_chat_is_for_the_roles_that_take_calls(console, make_staff, role, status):
    make_staff(f"user-{role}", role=role)
    console.login(f"user-{role}")
    assert console.client.get("/console/chat").status_code == status
    assert console.client.get("/console/chat/stream").status_code == status


def test_a_forged_to_support_flag_or_body_is_a_400_with_the_reason(customer, support):
    erika = customer("10001", "Erika")
    response = erika.post_raw({"body": "Hallo", "to_support": "yes"})
    assert response.status_code == 400 and "to_support" in response.get_json()["error"]
    response = erika.client.post("/chat/messages", data="kein json",
                                 headers={"X-CSRF-Token": erika.csrf()})
    assert response.status_code == 400 and "JSON" in response.get_json()["error"]
    response = erika.client.post("/chat/messages", json={"body": "Hallo"})
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)
    assert erika.bodies() == []
