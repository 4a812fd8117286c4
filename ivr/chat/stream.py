"""Server-sent events for the chat: the room's messages as they come, and online/offline.

Each message event carries the message id as its event id. A browser that reconnects
sends it back as Last-Event-ID and gets exactly the messages after it. A stream without
it starts with the room's recent history. Every stream ends after CHAT_STREAM_SECONDS so
that it cannot hold a worker for long; its `retry` tells the browser to come back at once.
"""
from __future__ import annotations

import json
import time
from typing import Callable, Iterator, Optional

from flask import Response, current_app, request, stream_with_context
from sqlalchemy.orm import Session

from ivr.chat import presence
from ivr.chat.exceptions import ChatError
from ivr.chat.messages import Viewer, latest_messages, message_json, messages_after
from ivr.db import new_session, utcnow

RETRY_MILLISECONDS = 500
BATCH = 200


def event(data: dict, event_id: Optional[int] = None, name: Optional[str] = None) -> str:
    """One event in the text/event-stream format; the data is one line of JSON."""
    lines = []
    if event_id is not None:
        lines.append(f"id: {event_id}")
    if name:
        lines.append(f"event: {name}")
    lines.append("data: " + json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    return "\n".join(lines) + "\n\n"


def last_event_id() -> Optional[int]:
    """The Last-Event-ID the browser sent back on reconnecting (or `?after=`, for a page
    that opens a new stream itself); None on a first connect."""
    value = (request.headers.get("Last-Event-ID") or request.args.get("after") or "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        raise ChatError("Last-Event-ID (or after) must be the id of a chat message (digits)")
    return int(value)


def room_events(viewer: Viewer, after_id: Optional[int],
                on_poll: Optional[Callable[[Session], None]] = None) -> Iterator[str]:
    """The viewer's events until the stream's time is up: messages, status changes, pings."""
    config = current_app.config
    deadline = time.monotonic() + config["CHAT_STREAM_SECONDS"]
    ttl = config["CHAT_PRESENCE_SECONDS"]
    yield f"retry: {RETRY_MILLISECONDS}\n\n"
    online = None
    while True:
        with new_session() as session:
            if on_poll is not None:
                on_poll(session)
            if after_id is None:
                batches = [latest_messages(session, viewer, config["CHAT_HISTORY_MESSAGES"])]
            else:
                batches = []
                while True:
                    batch = messages_after(session, viewer, after_id, BATCH)
                    batches.append(batch)
                    if len(batch) < BATCH:
                        break
                    after_id = batch[-1].id
            now_online = presence.chat_online(session, utcnow(), ttl)
            payloads = [message_json(message, viewer) for batch in batches for message in batch]
        if now_online != online:
            online = now_online
            yield event({"online": online}, name="status")
        for payload in payloads:
            yield event(payload, event_id=payload["id"])
        after_id = payloads[-1]["id"] if payloads else (after_id or 0)
        if time.monotonic() >= deadline:
            return
        time.sleep(config["CHAT_POLL_SECONDS"])
        yield ": ping\n\n"


def event_stream(viewer: Viewer, on_poll: Optional[Callable[[Session], None]] = None) -> Response:
    """The streaming response for a viewer, picking up after the browser's Last-Event-ID."""
    after_id = last_event_id()
    return Response(stream_with_context(room_events(viewer, after_id, on_poll)),
                    mimetype="text/event-stream",
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
