"""Errors of the hotline's domain, with messages an operator can act on."""


class HotlineError(Exception):
    """Base of the hotline's own errors."""


class BadImportRow(HotlineError):
    """A row of a customer import that cannot be taken; the message says why."""


class LoginRefused(HotlineError):
    """A console login that is not let in: wrong name or password, or a locked account."""


class BadStaffAccount(HotlineError):
    """A staff account that cannot be created as asked; the message says why."""


class StatusRefused(HotlineError):
    """A status change an agent cannot make now; the message says why."""
