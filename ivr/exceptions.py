"""Errors of the hotline's domain, with messages an operator can act on."""


class HotlineError(Exception):
    """Base of the hotline's own errors."""


class BadImportRow(HotlineError):
    """A row of a customer import that cannot be taken; the message says why."""
