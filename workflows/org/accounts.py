"""Users and passwords (hashed with werkzeug's scrypt; plain text is never stored), logging in (throttled,
workflows.org.throttle), changing one's password and ending a user's sessions."""
from __future__ import annotations

import functools
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from workflows import audit
from workflows.exceptions import ValidationFailed
from workflows.org import throttle
from workflows.org.access import active_user
from workflows.org.models import User
from workflows.org.passwords import password_problem

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


def check_new_password(password: str, username: str, field: str = "password") -> None:
    """Refuse a weak password with the reason, on the form field it came from."""
    problem = password_problem(password or "", username)
    if problem:
        raise ValidationFailed({field: [problem]})


def set_password(user: User, password: str) -> None:
    user.password_hash = generate_password_hash(password)


def verify_password(user: User, password: str) -> bool:
    return check_password_hash(user.password_hash, password)


def by_username(session: Session, username: str) -> User | None:
    return session.scalar(sa.select(User).where(User.username == username))


def end_sessions(session: Session, now, user: User, reason: str, actor_id: int | None) -> None:
    """Every session the user has open, on any machine, ends: their cookies carry an older generation."""
    user.session_generation += 1
    audit.record(session, now, "sessions_ended", actor_id, user_id=user.id, reason=reason)


@functools.cache
def _dummy_hash() -> str:
    """Checked against when the user does not exist, so a wrong name takes as long as a wrong password."""
    return generate_password_hash("not-a-password")


@dataclass
class LoginResult:
    user_id: int | None
    message: str = ""
    must_change_password: bool = False


def throttled_message(seconds: int) -> str:
    wait = f"{seconds} 秒" if seconds < 120 else f"{(seconds + 59) // 60} 分钟"
    return f"登录尝试过于频繁，请 {wait}后再试。忘记密码请联系系统管理员重置。"


def attempt_login(services, username: str, password: str, address: str) -> LoginResult:
    """One login attempt from a client address in one unit of work: throttled per account, per address and
    per both; unknown names and wrong passwords get the same answers."""
    now = services.workflow.now()
    username = username.strip()
    with services.db.unit_of_work() as s:
        user = by_username(s, username)
        wait = throttle.wait_seconds(s, now, username, address, user.id if user else None)
        if wait:
            return LoginResult(None, throttled_message(wait))
        if user is None:
            check_password_hash(_dummy_hash(), password)
        if user is None or not verify_password(user, password) or not user.active:
            delay = throttle.record_failure(s, now, username, address)
            audit.record(s, now, "login_failed", user.id if user else None, username=username[:64],
                         address=address)
            if delay:
                audit.record(s, now, "login_throttled", user.id if user else None, username=username[:64],
                             address=address, seconds=delay)
            return LoginResult(None, GENERIC_FAILURE)
        throttle.record_success(s, now, username, address, user.id)
        return LoginResult(user.id, must_change_password=user.must_change_password)


def logout(services, user_id: int) -> None:
    """Logging out ends every session of the user, so a cookie copied before it no longer works."""
    with services.db.unit_of_work() as s:
        user = s.get(User, user_id)
        if user is not None:
            end_sessions(s, services.workflow.now(), user, "logout", user_id)


def change_password(services, user_id: int, current: str, new: str) -> None:
    """The user's own change: the current password, then a new one that passes the rules and differs from it.
    Every other session of the user ends."""
    with services.db.unit_of_work() as s:
        user = active_user(s, user_id)
        if not verify_password(user, current or ""):
            raise ValidationFailed({"current": ["当前密码不正确。"]})
        check_new_password(new, user.username, "password")
        if verify_password(user, new):
            raise ValidationFailed({"password": ["新密码不能与当前密码相同。"]})
        set_password(user, new)
        forced = user.must_change_password
        user.must_change_password = False
        now = services.workflow.now()
        audit.record(s, now, "password_changed", user.id, forced=forced)
        end_sessions(s, now, user, "password_changed", user.id)


def lift_login_delays(services, username: str) -> int:
    """The server operator's way back in (the `dachuan unlock` command): lift every login wait on an account,
    whoever caused it; audited. Returns how many counters were lifted."""
    with services.db.unit_of_work() as s:
        user = by_username(s, username.strip())
        lifted = throttle.clear_account(s, username)
        audit.record(s, services.workflow.now(), "user_unlocked", None, user_id=user.id if user else None,
                     username=username[:64], lifted=lifted, via="command line")
        return lifted
