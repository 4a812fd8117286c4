"""How the console shows numbers, durations and times."""
from __future__ import annotations

import datetime as dt
from typing import Optional
from zoneinfo import ZoneInfo

from flask import Flask, current_app

SHOWN_HEAD = 5
SHOWN_TAIL = 2


def mask_number(number: Optional[str]) -> str:
    """A caller number with its middle hidden: "+4923•••••••00"; "anonymous" without one."""
    if not number:
        return "anonymous"
    if len(number) <= SHOWN_HEAD + SHOWN_TAIL:
        return "•" * len(number)
    hidden = len(number) - SHOWN_HEAD - SHOWN_TAIL
    return number[:SHOWN_HEAD] + "•" * hidden + number[-SHOWN_TAIL:]


def duration(seconds: Optional[float]) -> str:
    """Seconds as m:ss or h:mm:ss; "–" for none."""
    if seconds is None:
        return "–"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def percent(share: Optional[float]) -> str:
    """A share 0..1 as a whole percentage; "–" for none."""
    return "–" if share is None else f"{round(share * 100)} %"


def zone() -> ZoneInfo:
    """The time zone the console shows times in."""
    return ZoneInfo(current_app.config["CONSOLE_TIMEZONE"])


def local_time(moment: Optional[dt.datetime], fmt: str = "%d.%m.%Y %H:%M") -> str:
    """A UTC moment in the console's time zone."""
    return "" if moment is None else moment.astimezone(zone()).strftime(fmt)


def register_filters(app: Flask) -> None:
    """Make the helpers available as Jinja filters."""
    app.jinja_env.filters.update(masked=mask_number, duration=duration, percent=percent,
                                 local_time=local_time, local_input=local_input)


def parse_local(value: Optional[str]) -> Optional[dt.datetime]:
    """A form's "YYYY-MM-DDTHH:MM" in the console's time zone, as UTC; None when empty.

    ValueError names the value when it is not a time.
    """
    value = (value or "").strip()
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date and time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone())
    return moment.astimezone(dt.timezone.utc)


def local_input(moment: Optional[dt.datetime]) -> str:
    """A UTC moment as a datetime-local form value in the console's time zone."""
    return "" if moment is None else moment.astimezone(zone()).strftime("%Y-%m-%dT%H:%M")
