"""Password rules and checks: long enough, not common, not guessable from the account.

The common-password list is a data file (``common-passwords.txt`` beside this module). Checking a
password always costs one hash verification, also for an email nobody registered
(``verify_nobody``), so the time a login takes does not tell whether the account exists.
"""
from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from flask import current_app, has_app_context
from werkzeug.security import check_password_hash, generate_password_hash

COMMON_PASSWORDS = Path(__file__).with_name("common-passwords.txt")
DEFAULT_MIN_LENGTH = 10
MAX_LENGTH = 200


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def min_length() -> int:
    if has_app_context():
        return int(current_app.config.get("PASSWORD_MIN_LENGTH", DEFAULT_MIN_LENGTH))
    return DEFAULT_MIN_LENGTH


def _is_run(text: str) -> bool:
    """Consecutive characters: 23456789, abcdefgh, 98765432."""
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:])}
    return steps in ({1}, {-1})


def password_problem(password: str, email: str = "") -> str | None:
    """None if ``password`` may be used by the account ``email``; otherwise why not, in Chinese."""
    password = password or ""
    need = min_length()
    if len(password) < need:
        return f"密码至少 {need} 位"
    if len(password) > MAX_LENGTH:
        return f"密码不能超过 {MAX_LENGTH} 位"
    lowered = password.lower()
    if lowered in common_passwords():
        return "这个密码太常见，很容易被猜中，请换一个"
    if len(set(lowered)) <= 2 or _is_run(lowered):
        return "密码不能是重复或连续的字符（如 11111111、12345678、abcdefgh），请换一个"
    email = (email or "").strip().lower()
    account = email.split("@")[0]
    if email and (email in lowered or (len(account) >= 4 and account in lowered)):
        return "密码不能包含登录邮箱，请换一个"
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password or "")


@lru_cache(maxsize=1)
def _nobodys_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def verify_nobody(password: str) -> bool:
    """The same work as checking a real account's password; always False."""
    verify_password(_nobodys_hash(), password)
    return False
