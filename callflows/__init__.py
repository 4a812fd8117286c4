"""The call flows: one machine over the tables of greeting, menu, support, activation, info
and queue."""
from __future__ import annotations

from typing import Mapping

from callflows import activation, greeting, info, menu, queue, support
from callflows.engine import Machine

FLOWS = (greeting, menu, support, activation, info, queue)
FIRST_STATE = "greeting"


def build_machine(settings: Mapping) -> Machine:
    """The machine with every flow's states, timeouts taken from the settings."""
    machine = Machine()
    for flow in FLOWS:
        machine.add(*flow.states(settings))
    return machine
