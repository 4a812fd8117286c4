"""Activation of web accounts by phone: domain by keypad signature, password by hash.

Nothing here tells a caller whether a domain exists: a domain that matches no account and a
wrong password give the same answer, and a locked account or a throttled caller look like a
wrong password too. Typed password keys are never stored or logged.
"""
from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ivr.models import ActivationFailure, WebAccount
from ivr.passwords import activation_password_matches, hash_activation_password

#: Wrong passwords for one account before it is locked.
FAILURES_BEFORE_LOCK = 5
#: The first lock; each further lock doubles it, up to MAX_LOCK.
FIRST_LOCK = dt.timedelta(minutes=15)
MAX_LOCK = dt.timedelta(days=1)
#: Wrong passwords from one caller number, across accounts, before it is throttled.
CALLER_FAILURES_ALLOWED = 10
CALLER_WINDOW = dt.timedelta(hours=1)
#: A hash verified when no account matched, so that the answer takes as long either way.
_DUMMY_HASH = hash_activation_password("0000000000")


class Result(enum.Enum):
    """What a domain and password attempt came to."""

    ACTIVATED = "activated"
    ALREADY_ACTIVE = "already_active"
    NOT_MATCHED = "not_matched"


@dataclass(frozen=True)
class Attempt:
    """The result, and the account when the password matched."""

    result: Result
    account: Optional[WebAccount] = None


def lock_duration(lockouts: int) -> dt.timedelta:
    """How long the n-th lock (1, 2, ...) of an account lasts."""
    return min(MAX_LOCK, FIRST_LOCK * 2 ** max(0, lockouts - 1))


def caller_throttled(session: Session, caller: Optional[str], now: dt.datetime) -> bool:
    """Whether the caller number has failed too often lately, across accounts."""
    if not caller:
        return False
    recent = session.scalar(
        select(func.count(ActivationFailure.id)).where(
            ActivationFailure.caller == caller, ActivationFailure.at > now - CALLER_WINDOW
        )
    )
    return (recent or 0) >= CALLER_FAILURES_ALLOWED


def candidates(session: Session, domain_keys: str) -> list[WebAccount]:
    """The web accounts whose domain is typed with these keys (indexed lookup)."""
    return list(session.scalars(
        select(WebAccount).where(WebAccount.keypad_signature == domain_keys).order_by(WebAccount.id)
    ))


def attempt(session: Session, domain_keys: str, password_keys: str, caller: Optional[str],
            call_sid: str, now: dt.datetime) -> Attempt:
    """Check a typed domain and password; activate the pending account they name."""
    if caller_throttled(session, caller, now):
        activation_password_matches(_DUMMY_HASH, password_keys)
        return Attempt(Result.NOT_MATCHED)
    open_accounts = [a for a in candidates(session, domain_keys)
                     if a.activation_password_hash and not _locked(a, now)]
    if not open_accounts:
        activation_password_matches(_DUMMY_HASH, password_keys)
    for account in open_accounts:
        if activation_password_matches(account.activation_password_hash, password_keys):
            return _matched(session, account, caller, call_sid, now)
    for account in open_accounts:
        _count_failure(account, now)
    session.add(ActivationFailure(at=now, caller=caller, call_sid=call_sid,
                                  web_account_id=open_accounts[0].id if len(open_accounts) == 1 else None))
    return Attempt(Result.NOT_MATCHED)


def _locked(account: WebAccount, now: dt.datetime) -> bool:
    return account.locked_until is not None and account.locked_until > now


def _count_failure(account: WebAccount, now: dt.datetime) -> None:
    account.failed_passwords += 1
    if account.failed_passwords >= FAILURES_BEFORE_LOCK:
        account.lockouts += 1
        account.locked_until = now + lock_duration(account.lockouts)
        account.failed_passwords = 0


def _matched(session: Session, account: WebAccount, caller: Optional[str], call_sid: str,
             now: dt.datetime) -> Attempt:
    account.failed_passwords = 0
    account.lockouts = 0
    account.locked_until = None
    if caller:
        session.execute(delete(ActivationFailure).where(ActivationFailure.caller == caller))
    if account.status == "active":
        return Attempt(Result.ALREADY_ACTIVE, account)
    account.status = "active"
    account.activated_at = now
    account.activation_call_sid = call_sid
    account.activation_caller = caller
    return Attempt(Result.ACTIVATED, account)


def unlock(session: Session, account: WebAccount) -> None:
    """Lift the account's lock and forget the failures counted against it."""
    account.failed_passwords = 0
    account.lockouts = 0
    account.locked_until = None
    session.execute(delete(ActivationFailure).where(ActivationFailure.web_account_id == account.id))


def set_password(account: WebAccount, password: str) -> None:
    """Store a new activation password (only its hash)."""
    account.activation_password_hash = hash_activation_password(password)
