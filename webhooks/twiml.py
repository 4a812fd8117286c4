"""Rendering a call flow's script as TwiML with Twilio's VoiceResponse."""
from __future__ import annotations

from typing import Mapping
from urllib.parse import urlencode

from twilio.twiml.voice_response import VoiceResponse

import prompts
from callflows.script import Ask, DialAgent, Hangup, Line, Music, Pause, Queue, Say, Script

STEP_PATH = "/twilio/step"
QUEUE_WAIT_PATH = "/twilio/queue/wait"
QUEUE_LEFT_PATH = "/twilio/queue/left"
AGENT_DIAL_PATH = "/twilio/agent/dial"
AGENT_ANSWERED_PATH = "/twilio/agent/answered"
AGENT_DONE_PATH = "/twilio/agent/done"


def agent_url(path: str, agent_id: int) -> str:
    """An agent webhook's path for one agent."""
    return f"{path}?{urlencode({'agent': agent_id})}"


def step_url(state: str) -> str:
    """Where a state's Gather sends the keys."""
    return f"{STEP_PATH}?{urlencode({'state': state})}"


def say(parent, line: Line, language: str, settings: Mapping) -> None:
    """Add a <Say> of one catalog line in its language's voice."""
    language = line.language or language
    parent.say(
        prompts.text(line.key, language, **line.params),
        voice=settings[f"SAY_VOICE_{language.upper()}"],
        language=settings["SAY_LANGUAGE"][language],
    )


def render(script: Script, language: str, settings: Mapping) -> VoiceResponse:
    """The TwiML document for a script, spoken in the call's language."""
    response = VoiceResponse()
    for action in script:
        if isinstance(action, Ask):
            lines = list(action.lines)
            while lines and not lines[0].barge_in:
                say(response, lines.pop(0), language, settings)
            gather = response.gather(
                input="dtmf",
                action=step_url(action.state),
                method="POST",
                timeout=action.keys.timeout,
                finish_on_key=action.keys.finish_on_key,
                action_on_empty_result=True,
                **({"num_digits": action.keys.num_digits} if action.keys.num_digits else {}),
            )
            for line in lines:
                say(gather, line, language, settings)
        elif isinstance(action, Say):
            say(response, action.line, language, settings)
        elif isinstance(action, Pause):
            response.pause(length=action.seconds)
        elif isinstance(action, Music):
            response.play(action.url)
        elif isinstance(action, Queue):
            response.enqueue(action.name, wait_url=QUEUE_WAIT_PATH, wait_url_method="POST",
                             action=QUEUE_LEFT_PATH, method="POST")
        elif isinstance(action, DialAgent):
            dial = response.dial(action=agent_url(AGENT_DONE_PATH, action.agent_id), method="POST",
                                 timeout=action.timeout)
            answered = f"{AGENT_ANSWERED_PATH}?{urlencode({'agent': action.agent_id, 'call': action.call_sid})}"
            dial.number(action.number, url=answered, method="POST")
        elif isinstance(action, Hangup):
            response.hangup()
        else:  # pragma: no cover - a new action type without a renderer
            raise TypeError(f"cannot render {action!r}")
    return response
