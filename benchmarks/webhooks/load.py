"""The load generator: concurrent simulated calls, signed like Twilio, over keep-alive HTTP.

Each of N callers plays calls one after another on one asyncio loop (aiohttp). A caller
sends its next request as soon as the answer before arrived (closed loop), or after a
pause of `think_ms` on average (paced; each pause drawn from 0.5 to 1.5 times that). The calls follow `ivr.simulator.CallScript`: the hotline's TwiML
decides the next request. Against the bare app, `Replay` sends the same requests again.
"""
from __future__ import annotations

import asyncio
import random
import resource
import secrets
import time
from dataclasses import dataclass, field
from typing import Callable, Generator, Optional, Protocol

import aiohttp
from yarl import URL

from ivr.simulator import CallScript, Request, parse_twiml, signature

#: An answer slower than this counts as an error (Twilio gives up after 15 s).
REQUEST_TIMEOUT_SECONDS = 15


class Script(Protocol):
    def form(self, request: Request) -> dict[str, str]: ...
    def requests(self) -> Generator[Request, Optional[str], None]: ...


@dataclass
class Replay:
    """A call that sends recorded requests as a new call, checking each answer is TwiML."""

    recorded: list[Request]
    caller: str
    call_sid: str = field(default_factory=lambda: "CA" + secrets.token_hex(16))

    def form(self, request: Request) -> dict[str, str]:
        return CallScript(keys=(), caller=self.caller, call_sid=self.call_sid).form(request)

    def requests(self) -> Generator[Request, Optional[str], None]:
        for request in self.recorded:
            answer = yield request
            if request.expects_twiml:
                parse_twiml(answer or "")


@dataclass
class Target:
    """A server under load and how to sign for it."""

    name: str
    base_url: str
    auth_token: str


@dataclass
class Measurement:
    """What one load run measured."""

    target: str
    latencies: list[float] = field(default_factory=list)  # seconds, requests in the window
    by_path: dict[str, list[float]] = field(default_factory=dict)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    calls_finished: int = 0
    wall_seconds: float = 0.0
    client_cpu_seconds: float = 0.0

    def error(self, text: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(text[:300])


class Client:
    """Signed POSTs to one target over a shared pool of keep-alive connections."""

    def __init__(self, target: Target, http: aiohttp.ClientSession):
        self.target = target
        self.http = http
        self.base = target.base_url.rstrip("/")

    async def send(self, script: Script, request: Request) -> tuple[int, str]:
        url = request.path if "://" in request.path else self.base + request.path
        data = script.form(request)
        headers = {"X-Twilio-Signature": signature(self.target.auth_token, url, data)}
        async with self.http.post(URL(url, encoded=True), data=data, headers=headers) as response:
            return response.status, await response.text()


async def play(client: Client, script: Script, measurement: Optional[Measurement],
               deadline: float, think: float, record: Optional[list[Request]] = None) -> bool:
    """Play one call to its end (or the deadline); False if it ended in an error."""
    steps = script.requests()
    answer: Optional[str] = None
    first = True
    while True:
        try:
            request = steps.send(answer)
        except StopIteration:
            return True
        except ValueError as exc:  # the answer before was no TwiML
            if measurement:
                measurement.error(f"{client.target.name}: invalid TwiML: {exc}")
            return False
        if think and not first:
            await asyncio.sleep(random.uniform(0.5, 1.5) * think)  # callers fall out of step
        first = False
        if time.monotonic() >= deadline:
            return True
        if record is not None:
            record.append(request)
        started = time.perf_counter()
        try:
            status, answer = await client.send(script, request)
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            if measurement:
                measurement.error(f"{client.target.name} {request.path}: {exc!r}")
            return False
        if measurement and time.monotonic() < deadline:
            seconds = time.perf_counter() - started
            measurement.latencies.append(seconds)
            measurement.by_path.setdefault(request.path, []).append(seconds)
        if not 200 <= status < 300:
            if measurement:
                measurement.error(f"{client.target.name} {request.path}: HTTP {status} {answer[:200]}")
            return False


def connector(calls: int) -> aiohttp.TCPConnector:
    return aiohttp.TCPConnector(limit=calls + 10, keepalive_timeout=4, ttl_dns_cache=None)


async def probe(target: Target, script: Script) -> list[Request]:
    """Play one call alone; the requests it sent (errors raise)."""
    record: list[Request] = []
    measurement = Measurement(target.name)
    async with aiohttp.ClientSession(connector=connector(1)) as http:
        await play(Client(target, http), script, measurement, float("inf"), 0.0, record)
    if measurement.errors:
        raise RuntimeError("; ".join(measurement.error_samples))
    return record


async def run(target: Target, make_script: Callable[[int, int], Script], calls: int,
              seconds: Optional[float], rounds: Optional[int], think_ms: float,
              warmup_seconds: float) -> Measurement:
    """N concurrent callers for `seconds` (or `rounds` calls each), after a warm-up."""
    think = think_ms / 1000
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    async with aiohttp.ClientSession(connector=connector(calls), timeout=timeout) as http:
        client = Client(target, http)

        async def caller(number: int, measurement: Optional[Measurement], deadline: float,
                         limit: Optional[int]) -> None:
            if think:
                await asyncio.sleep(random.uniform(0, think))  # callers do not ring at once
            played = 0
            while time.monotonic() < deadline and (limit is None or played < limit):
                ok = await play(client, make_script(number, played), measurement, deadline, think)
                played += 1
                if measurement and ok and time.monotonic() < deadline:
                    measurement.calls_finished += 1

        if warmup_seconds:
            warm = time.monotonic() + warmup_seconds
            await asyncio.gather(*(caller(n, None, warm, None) for n in range(calls)))
        measurement = Measurement(target.name)
        deadline = time.monotonic() + seconds if seconds else float("inf")
        cpu = resource.getrusage(resource.RUSAGE_SELF)
        started = time.monotonic()
        await asyncio.gather(*(caller(n, measurement, deadline, rounds) for n in range(calls)))
        measurement.wall_seconds = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
        measurement.client_cpu_seconds = (after.ru_utime - cpu.ru_utime) + (after.ru_stime - cpu.ru_stime)
    return measurement
