"""Passwords, stored only as slow salted argon2 hashes: activation passwords (in their
keypad form) and staff passwords."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ivr.keypad import keypad_signature

_hasher = PasswordHasher()


def hash_activation_password(password: str) -> str:
    """The argon2 hash of the keys a caller presses for the password."""
    return _hasher.hash(keypad_signature(password))


def activation_password_matches(password_hash: str, typed_keys: str) -> bool:
    """Whether the typed keys are the password's keypad form (constant-time in argon2)."""
    try:
        return _hasher.verify(password_hash, typed_keys)
    except (VerificationError, InvalidHashError):
        return False


def hash_staff_password(password: str) -> str:
    """The argon2 hash of a staff member's console password."""
    return _hasher.hash(password)


def staff_password_matches(password_hash: str, password: str) -> bool:
    """Whether the password is the one hashed (constant-time in argon2)."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


#: A hash to verify against when the username is unknown, so both cases take as long.
UNKNOWN_USER_HASH = _hasher.hash("no such user")
