"""Every /twilio/* request needs a valid X-Twilio-Signature for the URL Twilio used."""
import pytest
from twilio.request_validator import RequestValidator

from tests.conftest import AUTH_TOKEN, Twilio

ROUTES = ["/twilio/voice", "/twilio/step?state=menu", "/twilio/queue/wait",
          "/twilio/queue/left", "/twilio/status"]
PARAMS = {"CallSid": "CA" + "2" * 32, "From": "+4923819738700", "CallStatus": "in-progress"}


@pytest.mark.parametrize("path", ROUTES)
def test_request_without_signature_is_refused(client, path):
    response = client.post(path, data=PARAMS)
    assert response.status_code == 403
    assert "X-Twilio-Signature" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ROUTES)
def test_request_with_a_wrong_signature_is_refused(client, path):
    signature = RequestValidator("some-other-token").compute_signature("http://localhost" + path, PARAMS)
    assert client.post(path, data=PARAMS, headers={"X-Twilio-Signature": signature}).status_code == 403


def test_signature_over_other_parameters_is_refused(client):
    signature = RequestValidator(AUTH_TOKEN).compute_signature("http://localhost/twilio/voice", PARAMS)
    tampered = {**PARAMS, "From": "+491701234567"}
    assert client.post("/twilio/voice", data=tampered,
                       headers={"X-Twilio-Signature": signature}).status_code == 403


def test_signature_covers_the_query_string(client):
    signature = RequestValidator(AUTH_TOKEN).compute_signature(
        "http://localhost/twilio/step?state=menu", PARAMS)
    response = client.post("/twilio/step?state=support_number", data=PARAMS,
                           headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403


def test_behind_a_proxy_the_public_url_is_checked(app, client):
    app.config["PUBLIC_BASE_URL"] = "https://hotline.example.net/"
    public = Twilio(client, base_url="https://hotline.example.net")
    assert public.post("/twilio/voice").status_code == 200
    assert public.post("/twilio/step?state=greeting", Digits="").status_code == 200
    local = Twilio(client)
    local.call_sid = "CA" + "3" * 32
    assert local.post("/twilio/voice").status_code == 403


def test_sha256_signature_settings_are_honoured(client):
    url = "http://localhost/twilio/voice"
    signature = RequestValidator(AUTH_TOKEN).compute_signature(url, PARAMS, "HMAC_SHA256")
    headers = {"X-Twilio-Signature": signature,
               "X-Twilio-Webhooks-Signature-Settings": "algorithm=HMAC_SHA256"}
    assert client.post("/twilio/voice", data=PARAMS, headers=headers).status_code == 200
    headers["X-Twilio-Webhooks-Signature-Settings"] = ""
    assert client.post("/twilio/voice", data=PARAMS, headers=headers).status_code == 403


def test_without_a_configured_token_a_generated_local_one_is_used(tmp_path, monkeypatch):
    from app import create_app
    from ivr.config import DEV_TOKEN_FILE

    monkeypatch.delenv("TWILIO_AUTH_TOKEN", raising=False)
    monkeypatch.setenv("HOTLINE_INSTANCE_PATH", str(tmp_path))
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite"})
    token = app.config["TWILIO_AUTH_TOKEN"]
    assert len(token) == 32 and (tmp_path / DEV_TOKEN_FILE).read_text() == token
    assert (tmp_path / DEV_TOKEN_FILE).stat().st_mode & 0o077 == 0
    assert create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite"}).config["TWILIO_AUTH_TOKEN"] == token
