"""A simulated caller: plays a call against a running hotline the way Twilio would.

It signs each request like Twilio, follows the TwiML (Say, Gather, Redirect, Pause, Play,
Enqueue, Hangup), types one key sequence per Gather and reports what the caller hears.

`CallScript` is the caller without the network: it yields each request and is sent the
answer, so that the same call can be played over `requests` (`SimulatedCall`) or by an
asynchronous load generator (`benchmarks.webhooks`).
"""
from __future__ import annotations

import email.utils
import secrets
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Callable, Generator, Iterable, Mapping, Optional
from urllib.parse import urljoin

import requests
from twilio.request_validator import RequestValidator

SILENCE = "_"
HOTLINE_NUMBER = "+499001410520"
MAX_REQUESTS = 200
STATUS_PATH = "/twilio/status"


class InvalidTwiML(ValueError):
    """An answer that is not a TwiML document."""


@dataclass(frozen=True)
class Request:
    """One webhook request of a call: the path (or URL) and the parameters of its event."""

    path: str
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def expects_twiml(self) -> bool:
        """Whether Twilio expects TwiML back (the status callback answers without)."""
        return self.path != STATUS_PATH


def parse_twiml(text: str) -> ET.Element:
    """The <Response> document of an answer; InvalidTwiML if it is none."""
    try:
        document = ET.fromstring(text)
    except ET.ParseError as exc:
        raise InvalidTwiML(f"not XML: {text[:200]!r}") from exc
    if document.tag != "Response":
        raise InvalidTwiML(f"root element <{document.tag}>, not <Response>")
    return document


def signature(auth_token: str, url: str, data: Mapping[str, str]) -> str:
    """The X-Twilio-Signature of a POST of `data` to the absolute `url`."""
    return RequestValidator(auth_token).compute_signature(url, data)


@dataclass
class CallScript:
    """What one caller does: the requests of the call in turn, each after the answer before.

    `requests()` is a generator: it yields a `Request` and must be sent the answer's text.
    The caller types `keys` one sequence per Gather, hangs up when they run out, and in the
    queue hears the wait URL's announcement `queue_waits` times before hanging up there.
    The status callback of the finished call comes last.
    """

    keys: Iterable[str]
    caller: str
    called: str = HOTLINE_NUMBER
    call_sid: str = field(default_factory=lambda: "CA" + secrets.token_hex(16))
    account_sid: str = "AC" + "0" * 32
    queue_waits: int = 1
    hear: Callable[[str], None] = lambda _line: None
    clock: Callable[[], float] = time.monotonic
    started: float = 0.0

    def form(self, request: Request) -> dict[str, str]:
        """The form Twilio posts for a request of this call."""
        return {"CallSid": self.call_sid, "AccountSid": self.account_sid, "From": self.caller,
                "To": self.called, "CallStatus": "in-progress", "Direction": "inbound",
                **request.params}

    def requests(self) -> Generator[Request, Optional[str], None]:
        """The call's requests; send each one's answer text back in."""
        self.started = self.clock()
        pending = list(self.keys)
        request: Optional[Request] = Request("/twilio/voice")
        for _ in range(MAX_REQUESTS):
            if request is None:
                break
            document = parse_twiml((yield request) or "")
            request = self.follow(document, pending)
            if isinstance(request, ET.Element):
                yield from self.wait_in_queue(request)
                request = None
        yield self.status()

    def follow(self, document: ET.Element, pending: list[str]):
        """Act out one TwiML document: the next request, the <Enqueue> verb, or None."""
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
                    return None
                keys = pending.pop(0)
                finish = verb.get("finishOnKey", "#")
                digits = "" if keys == SILENCE else keys
                if finish and digits.endswith(finish):
                    digits = digits[: -len(finish)]
                self.hear(f"[keys {keys}]")
                return Request(verb.get("action"), {"Digits": digits})
            elif verb.tag == "Redirect":
                return Request(verb.text)
            elif verb.tag == "Enqueue":
                return verb
            elif verb.tag == "Hangup":
                self.hear("[hotline hangs up]")
                return None
        return None

    def wait_in_queue(self, verb: ET.Element) -> Generator[Request, Optional[str], None]:
        """Hear the waiting announcements, then hang up in the queue."""
        self.hear(f"[queue {verb.text}]")
        entered = self.clock()
        for _ in range(max(1, self.queue_waits)):
            seconds = str(int(self.clock() - entered))
            wait = parse_twiml((yield Request(verb.get("waitUrl"), {
                "QueuePosition": "1", "QueueTime": seconds, "CurrentQueueSize": "1",
                "AvgQueueTime": "0"})) or "")
            for say in wait.iter("Say"):
                self.hear(say.text or "")
        self.hear("[caller hangs up in the queue]")
        if verb.get("action"):
            parse_twiml((yield Request(verb.get("action"), {
                "QueueResult": "hangup", "QueueTime": str(int(self.clock() - entered))})) or "")

    def status(self) -> Request:
        """The status callback of the finished call."""
        return Request(STATUS_PATH, {"CallStatus": "completed",
                                     "CallDuration": str(int(self.clock() - self.started)),
                                     "Timestamp": email.utils.formatdate(usegmt=True)})


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
    http: requests.Session = field(default_factory=requests.Session)

    def hear(self, line: str) -> None:
        self.transcript.append(line)
        self.echo(line)

    def script(self, keys: Iterable[str] = (), queue_waits: int = 1) -> CallScript:
        """The script of this call with these keys."""
        return CallScript(keys=keys, caller=self.caller, called=self.called,
                          call_sid=self.call_sid, account_sid=self.account_sid,
                          queue_waits=queue_waits, hear=self.hear)

    def post(self, url: str, **params: str) -> requests.Response:
        """POST signed form parameters to a URL of the hotline."""
        url = urljoin(self.base_url.rstrip("/") + "/", url)
        data = self.script().form(Request(url, params))
        response = self.http.post(url, data=data,
                                  headers={"X-Twilio-Signature": signature(self.auth_token, url, data)},
                                  timeout=30)
        if response.status_code >= 400:
            raise RuntimeError(f"{url} answered {response.status_code}: {response.text[:200]}")
        return response

    def play(self, keys: Iterable[str], queue_waits: int = 1) -> list[str]:
        """Call the hotline, type the key sequences in turn, hang up when they run out."""
        steps = self.script(keys, queue_waits).requests()
        answer = None
        try:
            while True:
                request = steps.send(answer)
                answer = self.post(request.path, **request.params).text
        except StopIteration:
            pass
        return self.transcript
