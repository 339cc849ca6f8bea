"""Checking a password, counting failures and locking an account for a while after too many."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from werkzeug.security import check_password_hash, generate_password_hash

from workflows import audit
from workflows.org.accounts import by_username, verify_password

GENERIC_FAILURE = "用户名或密码错误。"
# Checked against when the user does not exist, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-password")


@dataclass
class LoginResult:
    user_id: int | None
    message: str = ""


def locked_message(until: datetime, now: datetime) -> str:
    minutes = max(1, int((until - now).total_seconds() + 59) // 60)
    return f"连续登录失败次数过多，账号已临时锁定，请 {minutes} 分钟后再试，或联系系统管理员解锁。"


def attempt(db, username: str, password: str, now: datetime, max_failures: int, lock_minutes: int) -> LoginResult:
    """One login attempt in one transaction: success resets the counter, failures may lock the account."""
    with db.unit_of_work() as s:
        user = by_username(s, username.strip())
        if user is None:
            check_password_hash(_DUMMY_HASH, password)
            return LoginResult(None, GENERIC_FAILURE)
        if user.locked_until and user.locked_until > now:
            return LoginResult(None, locked_message(user.locked_until, now))
        if not verify_password(user, password) or not user.active:
            user.failed_logins += 1
            audit.record(s, now, "login_failed", user.id, failures=user.failed_logins)
            if user.failed_logins >= max_failures:
                user.locked_until = now + timedelta(minutes=lock_minutes)
                user.failed_logins = 0
                audit.record(s, now, "login_locked", user.id, until=str(user.locked_until))
                return LoginResult(None, locked_message(user.locked_until, now))
            return LoginResult(None, GENERIC_FAILURE)
        user.failed_logins, user.locked_until = 0, None
        return LoginResult(user.id)
