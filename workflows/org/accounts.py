"""Users and passwords (hashed with werkzeug's scrypt; plain text is never stored), and logging in: checking
a password, counting failures and locking an account for a while after too many."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from workflows import audit
from workflows.org.models import User

GENERIC_FAILURE = "用户名或密码错误。"


def add_user(session: Session, username: str, password: str | None, display_name: str, roles: str,
             area=None, department=None, phone: str = "", password_hash: str | None = None) -> User:
    """Create a user; pass `password_hash` to reuse one hash (demo accounts share a password)."""
    user = User(username=username, password_hash=password_hash or generate_password_hash(password),
                display_name=display_name,
                roles=roles, area_id=area.id if area else None, department_id=department.id if department else None,
                phone=phone)
    session.add(user)
    session.flush()
    return user


def set_password(user: User, password: str) -> None:
    user.password_hash = generate_password_hash(password)


def verify_password(user: User, password: str) -> bool:
    return check_password_hash(user.password_hash, password)


def by_username(session: Session, username: str) -> User | None:
    return session.scalar(sa.select(User).where(User.username == username))


@functools.cache
def _dummy_hash() -> str:
    """Checked against when the user does not exist, so a wrong name takes as long as a wrong password."""
    return generate_password_hash("not-a-password")


@dataclass
class LoginResult:
    user_id: int | None
    message: str = ""


def locked_message(until: datetime, now: datetime) -> str:
    minutes = max(1, int((until - now).total_seconds() + 59) // 60)
    return f"连续登录失败次数过多，账号已临时锁定，请 {minutes} 分钟后再试，或联系系统管理员解锁。"


def attempt_login(services, username: str, password: str, max_failures: int,
                  lock_minutes: int) -> LoginResult:
    """One login attempt in one unit of work: success resets the counter, failures are audited and may lock
    the account."""
    now = services.workflow.now()
    with services.db.unit_of_work() as s:
        user = by_username(s, username.strip())
        if user is None:
            check_password_hash(_dummy_hash(), password)
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
