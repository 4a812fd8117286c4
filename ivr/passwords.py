"""Activation passwords: stored only as a slow salted hash of their keypad form."""
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
