"""Staff accounts of the console: creating them and checking logins, with lock-out."""
from __future__ import annotations

import datetime as dt
import re
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from ivr.exceptions import BadStaffAccount, LoginRefused
from ivr.models import Staff
from ivr.passwords import UNKNOWN_USER_HASH, hash_staff_password, staff_password_matches
from ivr.phone import caller_line

ROLES = ("agent", "supervisor", "finance", "admin")
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
MIN_PASSWORD_LENGTH = 10


def find_staff(session: Session, username: str) -> Optional[Staff]:
    """The staff account with that username, if any."""
    return session.scalar(select(Staff).where(Staff.username == username.strip().lower()))


def add_staff(session: Session, username: str, role: str, password: str,
              phone: Optional[str] = None) -> Staff:
    """A new staff account; agents need a phone number the hotline can dial."""
    username = username.strip().lower()
    if not USERNAME.fullmatch(username):
        raise BadStaffAccount(f"username {username!r} must be 2 to 64 of a-z 0-9 . _ -")
    if role not in ROLES:
        raise BadStaffAccount(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise BadStaffAccount(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    number = None
    if phone:
        number, line_type = caller_line(phone)
        if line_type == "unknown":
            raise BadStaffAccount(f"phone {phone!r} is not a valid phone number")
    if role == "agent" and number is None:
        raise BadStaffAccount("an agent needs --phone, the number their calls are put through to")
    if find_staff(session, username) is not None:
        raise BadStaffAccount(f"username {username!r} is taken")
    staff = Staff(username=username, role=role, phone=number,
                  password_hash=hash_staff_password(password))
    session.add(staff)
    session.flush()
    return staff


def authenticate(session: Session, username: str, password: str, now: dt.datetime,
                 max_failures: int, lock_seconds: int) -> Staff:
    """The staff member for a correct login; LoginRefused otherwise.

    After `max_failures` wrong passwords in a row the account is locked for `lock_seconds`,
    and during that time even the right password is refused. The caller commits either way,
    so that failures are counted.
    """
    staff = find_staff(session, username)
    if staff is None:
        staff_password_matches(UNKNOWN_USER_HASH, password)  # the same time as a known name
        raise LoginRefused("unknown username or wrong password")
    if staff.locked_until is not None and staff.locked_until > now:
        raise LoginRefused("too many failed logins: the account is locked for a while")
    if not staff_password_matches(staff.password_hash, password):
        staff.failed_logins += 1
        if staff.failed_logins >= max_failures:
            staff.failed_logins = 0
            staff.locked_until = now + dt.timedelta(seconds=lock_seconds)
        raise LoginRefused("unknown username or wrong password")
    staff.failed_logins = 0
    staff.locked_until = None
    return staff
