"""Caller numbers: E.164 form and line type (mobile, fixed, unknown) with phonenumbers."""
from __future__ import annotations

from typing import Optional

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

DEFAULT_REGION = "DE"

MOBILE_TYPES = {PhoneNumberType.MOBILE}
FIXED_TYPES = {PhoneNumberType.FIXED_LINE, PhoneNumberType.VOIP}


def caller_line(raw: Optional[str]) -> tuple[Optional[str], str]:
    """The caller's number in E.164 and its line type; unparseable numbers stay as given."""
    if not raw:
        return None, "unknown"
    raw = raw.strip()[:40]
    try:
        number = phonenumbers.parse(raw, DEFAULT_REGION)
    except NumberParseException:
        return raw, "unknown"
    if not phonenumbers.is_valid_number(number):
        return raw, "unknown"
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    kind = phonenumbers.number_type(number)
    if kind in MOBILE_TYPES:
        return e164, "mobile"
    if kind in FIXED_TYPES:
        return e164, "fixed"
    return e164, "unknown"
