"""Any parameters on any webhook: a 2xx with valid TwiML, or a 4xx with a reason, never 500."""
import xml.etree.ElementTree as ET

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FIELDS = ["CallSid", "From", "To", "Digits", "CallStatus", "CallDuration", "SequenceNumber",
          "Timestamp", "QueuePosition", "QueueTime", "QueueResult", "AccountSid"]
PATHS = ["/twilio/voice", "/twilio/step", "/twilio/queue/wait", "/twilio/queue/left",
         "/twilio/status"]
STATES = st.sampled_from(["greeting", "menu", "support_number", "activation_domain",
                          "activation_password", "queue", ""]) | st.text(max_size=50)
VALUES = st.one_of(st.text(max_size=300), st.from_regex(r"[0-9*#]{0,30}", fullmatch=True),
                   st.sampled_from(["completed", "hangup", "bridged", "1", "-1", "CA1", "\x00",
                                    "CA\x00", "1\x00#", "x" * 5000, "ü€𝄞", "\ud800".encode(
                                        "utf-8", "surrogatepass").decode("utf-8", "replace")]))
PARAMS = st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=len(FIELDS))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(PATHS), state=STATES, params=PARAMS,
       known_call=st.booleans())
def test_any_parameters_get_twiml_or_a_reason(twilio, path, state, params, known_call):
    if known_call:
        params["CallSid"] = twilio.call_sid
    url = f"{path}?state={state}" if path == "/twilio/step" else path
    data = {key: value for key, value in params.items()}
    response = twilio.client.post(url, data=data,
                                  headers={"X-Twilio-Signature": twilio.sign(url, data)})
    assert response.status_code < 500, response.get_data(as_text=True)
    if response.status_code == 200:
        root = ET.fromstring(response.get_data(as_text=True))
        assert root.tag == "Response"
        assert len(root) > 0 or params.get("QueueResult") == "redirected"
    elif response.status_code >= 400:
        assert response.get_data(as_text=True).strip()
