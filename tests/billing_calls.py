"""Finished calls arranged directly in the database, for rating and export tests."""
from __future__ import annotations

import datetime as dt

from ivr.models import Call

UTC = dt.timezone.utc


def finished_call(session, sid: str, start: dt.datetime, talk_seconds: int,
                  caller: str = "+4923819738700", line_type: str = "fixed",
                  customer=None, **changes) -> Call:
    """A completed call: announced, charged from 25 s after `start`, `talk_seconds` long."""
    charging = start + dt.timedelta(seconds=25)
    values = dict(call_sid=sid, caller=caller, line_type=line_type, called="+499001410520",
                  started_at=start, announced_at=start + dt.timedelta(seconds=2),
                  charging_started_at=charging, status="completed",
                  ended_at=charging + dt.timedelta(seconds=talk_seconds),
                  duration_seconds=25 + talk_seconds, customer=customer)
    values.update(changes)
    call = Call(**values)
    session.add(call)
    return call
