"""Provider actions go through Twilio's real REST client to the configured API server."""
import base64

import pytest

from ivr import telephony
from tests.conftest import AUTH_TOKEN

SID = "CA" + "4" * 32


def test_redirect_posts_the_new_twiml_url_to_the_call_resource(app, twilio_api):
    with app.app_context():
        telephony.redirect(SID, "https://hotline.example.net/twilio/agent?agent=3")
    [request] = twilio_api.requests
    assert request.path == f"/2010-04-01/Accounts/{app.config['TWILIO_ACCOUNT_SID']}/Calls/{SID}.json"
    assert request.form == {"Url": "https://hotline.example.net/twilio/agent?agent=3", "Method": "POST"}
    user, _, password = base64.b64decode(request.authorization.split()[1]).decode().partition(":")
    assert (user, password) == (app.config["TWILIO_ACCOUNT_SID"], AUTH_TOKEN)


def test_hang_up_completes_the_call(app, twilio_api):
    with app.app_context():
        telephony.hang_up(SID)
    assert twilio_api.requests[0].form == {"Status": "completed"}


def test_a_refused_action_is_a_telephony_error_naming_the_call(app, twilio_api):
    twilio_api.status = 404
    with app.app_context(), pytest.raises(telephony.TelephonyError, match=SID):
        telephony.hang_up(SID)
