"""Reply deadlines: 24 hours for a normal request, a few hours with high priority for an
unannounced outage."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Mapping

#: Words that mark a report of a server failure, in German and English.
OUTAGE_WORDS = re.compile(
    r"\b(ausfall|ausgefallen|serverausfall|störung|stoerung|gestört|gestoert|"
    r"nicht\s+(?:mehr\s+)?erreichbar|down|offline|outage|server\s*error|"
    r"internal\s+server\s+error|50[23]\s+(?:bad\s+gateway|service\s+unavailable))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Deadline:
    """When a ticket must be answered, and with which priority."""

    priority: str  # normal | high
    due_at: dt.datetime


def is_outage_report(text: str) -> bool:
    """Whether the text reports a failure (Ausfall, Störung, down, nicht erreichbar, ...)."""
    return OUTAGE_WORDS.search(text) is not None


def deadline_for(text: str, received_at: dt.datetime, settings: Mapping) -> Deadline:
    """The deadline of a request with this subject and text, received at that moment."""
    if is_outage_report(text):
        return Deadline("high", received_at + dt.timedelta(hours=settings["OUTAGE_DUE_HOURS"]))
    return Deadline("normal", received_at + dt.timedelta(hours=settings["TICKET_DUE_HOURS"]))
