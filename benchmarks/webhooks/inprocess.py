"""Calls played in-process through a Flask test client: for tests and for profiling."""
from __future__ import annotations

from typing import Optional

from ivr.simulator import Request, signature

TEST_CLIENT_BASE = "http://localhost"


def play_in_process(client, script, auth_token: str) -> list[tuple[Request, int, str]]:
    """Play a call script through a Flask test client: each request, its status and answer."""
    exchanges = []
    steps = script.requests()
    answer: Optional[str] = None
    while True:
        try:
            request = steps.send(answer)
        except StopIteration:
            return exchanges
        data = script.form(request)
        headers = {"X-Twilio-Signature": signature(auth_token, TEST_CLIENT_BASE + request.path, data)}
        response = client.post(request.path, data=data, headers=headers)
        answer = response.get_data(as_text=True)
        exchanges.append((request, response.status_code, answer))
