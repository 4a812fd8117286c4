"""A simulated caller: plays a call against a running hotline the way Twilio would.

It signs each request like Twilio, follows the TwiML (Say, Gather, Redirect, Pause, Play,
Enqueue, Hangup), types one key sequence per Gather and reports what the caller hears.
"""
from __future__ import annotations

import email.utils
import secrets
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional
from urllib.parse import urljoin

import requests
from twilio.request_validator import RequestValidator

SILENCE = "_"
HOTLINE_NUMBER = "+499001410520"
MAX_REQUESTS = 200


@dataclass
class SimulatedCall:
    """One simulated call and its transcript."""

    base_url: str
    auth_token: str
    caller: str
    called: str = HOTLINE_NUMBER
    call_sid: str = field(default_factory=lambda: "CA" + secrets.token_hex(16))
    account_sid: str = "AC" + "0" * 32
    echo: Callable[[str], None] = lambda _line: None
    transcript: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    http: requests.Session = field(default_factory=requests.Session)

    def hear(self, line: str) -> None:
        self.transcript.append(line)
        self.echo(line)

    def post(self, url: str, **params: str) -> requests.Response:
        """POST signed form parameters to a URL of the hotline."""
        url = urljoin(self.base_url.rstrip("/") + "/", url)
        data = {"CallSid": self.call_sid, "AccountSid": self.account_sid, "From": self.caller,
                "To": self.called, "CallStatus": "in-progress", "Direction": "inbound", **params}
        signature = RequestValidator(self.auth_token).compute_signature(url, data)
        response = self.http.post(url, data=data, headers={"X-Twilio-Signature": signature},
                                  timeout=30)
        if response.status_code >= 400:
            raise RuntimeError(f"{url} answered {response.status_code}: {response.text[:200]}")
        return response

    def play(self, keys: Iterable[str]) -> list[str]:
        """Call the hotline, type the key sequences in turn, hang up when they run out."""
        pending = list(keys)
        url: Optional[str] = "/twilio/voice"
        params: dict[str, str] = {}
        for _ in range(MAX_REQUESTS):
            if url is None:
                break
            document = ET.fromstring(self.post(url, **params).text)
            url, params = self.follow(document, pending)
        self.finish()
        return self.transcript

    def follow(self, document: ET.Element, pending: list[str]) -> tuple[Optional[str], dict]:
        """Act out one TwiML document; where the call goes next, if anywhere."""
        for verb in document:
            if verb.tag == "Say":
                self.hear(verb.text or "")
            elif verb.tag == "Pause":
                self.hear(f"[pause {verb.get('length', '1')} s]")
            elif verb.tag == "Play":
                self.hear("[music]")
            elif verb.tag == "Gather":
                for say in verb.iter("Say"):
                    self.hear(say.text or "")
                if not pending:
                    self.hear("[caller hangs up]")
                    return None, {}
                keys = pending.pop(0)
                finish = verb.get("finishOnKey", "#")
                digits = "" if keys == SILENCE else keys
                if finish and digits.endswith(finish):
                    digits = digits[: -len(finish)]
                self.hear(f"[keys {keys}]")
                return verb.get("action"), {"Digits": digits}
            elif verb.tag == "Redirect":
                return verb.text, {}
            elif verb.tag == "Enqueue":
                return self.wait_in_queue(verb)
            elif verb.tag == "Hangup":
                self.hear("[hotline hangs up]")
                return None, {}
        return None, {}

    def wait_in_queue(self, verb: ET.Element) -> tuple[None, dict]:
        """Hear the first waiting announcement, then hang up in the queue."""
        self.hear(f"[queue {verb.text}]")
        entered = time.monotonic()
        wait = ET.fromstring(self.post(verb.get("waitUrl"), QueuePosition="1", QueueTime="0",
                                       CurrentQueueSize="1", AvgQueueTime="0").text)
        for say in wait.iter("Say"):
            self.hear(say.text or "")
        self.hear("[caller hangs up in the queue]")
        if verb.get("action"):
            self.post(verb.get("action"), QueueResult="hangup",
                      QueueTime=str(int(time.monotonic() - entered)))
        return None, {}

    def finish(self) -> None:
        """Send the status callback of the finished call."""
        self.post("/twilio/status", CallStatus="completed",
                  CallDuration=str(int(time.monotonic() - self.started)),
                  Timestamp=email.utils.formatdate(usegmt=True))
