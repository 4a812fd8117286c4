"""Errors of billing, with messages an operator can act on."""
from __future__ import annotations

from ivr.exceptions import HotlineError


class BillingError(HotlineError):
    """Base of the billing errors."""


class NoTariff(BillingError, LookupError):
    """No tariff in the table is valid for the line at that moment."""


class TariffRefused(BillingError, ValueError):
    """A tariff that breaks the premium-rate rules; the message gives every reason."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


class BadMonth(BillingError, ValueError):
    """A month that is not written YYYY-MM."""
