"""Errors of the hotline's domain, with messages an operator can act on."""


class HotlineError(Exception):
    """Base of the hotline's own errors."""


class BadImportRow(HotlineError):
    """A row of a customer import that cannot be taken; the message says why."""


class BadRequestSignature(HotlineError):
    """A webhook's signature is wrong or too old, or no key is configured; the message says which."""


class MissingRequestSignature(BadRequestSignature):
    """A webhook came without its signature or token."""


class BadIntakeRequest(HotlineError):
    """A request to the intake that cannot be taken as it is; the message says why."""


class MailNotSent(HotlineError):
    """The SMTP server refused or could not be reached; the send is tried again."""


class TicketNotFound(HotlineError):
    """No ticket has that number."""


class TicketClosed(HotlineError):
    """The ticket is closed; reopen it by a new message before replying."""


class ReplyNotPossible(HotlineError):
    """A reply cannot be sent: no text, or the ticket has no email address."""


class LoginRefused(HotlineError):
    """A console login that is not let in: wrong name or password, or a locked account."""


class BadStaffAccount(HotlineError):
    """A staff account that cannot be created as asked; the message says why."""


class StatusRefused(HotlineError):
    """A status change an agent cannot make now; the message says why."""
