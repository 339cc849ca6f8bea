"""Throttling failed logins, kept in the database so that every web process counts the same failures.

No account is ever locked: after a few failures, further attempts under a key are not even heard until a
delay has passed, and the delay doubles with each further failure (up to a cap). Three keys are counted:

- the account name and the client address together: the usual brake on someone guessing one password;
- the client address alone: one machine trying many accounts;
- the account name alone, over every address: many machines guessing one account. This one never blocks an
  address the account has logged in from before, so an attack from elsewhere cannot keep the owner (the
  administrator above all) out.

Unknown account names are counted exactly like real ones, so the answers tell nobody which names exist.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflows.org.models import LoginThrottle


@dataclass(frozen=True)
class Policy:
    pair_free: int = 3        # failures of one name from one address before delays start
    address_free: int = 20    # failures from one address, any names
    account_free: int = 10    # failures on one name, any addresses
    first_delay_s: int = 2    # the first delay; each further failure doubles it
    max_delay_s: int = 15 * 60
    forget_after: timedelta = timedelta(days=1)  # counters idle this long start again from zero


def _keys(username: str, address: str) -> dict[str, str]:
    name = username.strip().lower()[:64]
    return {"pair": f"pair:{name}|{address}"[:200], "address": f"addr:{address}"[:200], "account": f"acct:{name}"}


def _known_key(user_id: int, address: str) -> str:
    return f"known:{user_id}:{address}"[:200]


def wait_seconds(s: Session, now: datetime, username: str, address: str, user_id: int | None) -> int:
    """How long this attempt must wait (0: hear it). The account-wide key is skipped for a known address."""
    keys = _keys(username, address)
    wanted = [keys["pair"], keys["address"]]
    if user_id is None or s.get(LoginThrottle, _known_key(user_id, address)) is None:
        wanted.append(keys["account"])
    until = s.scalar(sa.select(sa.func.max(LoginThrottle.blocked_until)).where(LoginThrottle.key.in_(wanted)))
    if until is None or until <= now:
        return 0
    return max(1, int((until - now).total_seconds() + 0.999))


def _row(s: Session, key: str, now: datetime) -> LoginThrottle:
    row = s.get(LoginThrottle, key, with_for_update=True)
    if row is not None:
        return row
    try:
        # Another web process may insert the same key at the same moment: then count on its row.
        with s.begin_nested():
            row = LoginThrottle(key=key, failures=0, updated_at=now)
            s.add(row)
            s.flush()
        return row
    except IntegrityError:
        return s.get(LoginThrottle, key, with_for_update=True, populate_existing=True)


def record_failure(s: Session, now: datetime, username: str, address: str,
                   policy: Policy = Policy()) -> int:
    """Count a failed attempt under every key; returns the longest delay it started (0: none)."""
    free = {"pair": policy.pair_free, "address": policy.address_free, "account": policy.account_free}
    longest = 0
    for kind, key in _keys(username, address).items():
        row = _row(s, key, now)
        if row.updated_at < now - policy.forget_after:
            row.failures = 0
        row.failures += 1
        row.updated_at = now
        over = row.failures - free[kind]
        if over > 0:
            delay = min(policy.max_delay_s, policy.first_delay_s * 2 ** min(over - 1, 20))
            row.blocked_until = now + timedelta(seconds=delay)
            longest = max(longest, delay)
    s.flush()
    # Old counters go, so a flood of made-up names does not grow the table without end.
    s.execute(sa.delete(LoginThrottle).where(LoginThrottle.updated_at < now - policy.forget_after,
                                             ~LoginThrottle.key.startswith("known:")))
    return longest


def record_success(s: Session, now: datetime, username: str, address: str, user_id: int) -> None:
    """A right password from this address: its own counters start again and the address becomes known."""
    keys = _keys(username, address)
    s.execute(sa.delete(LoginThrottle).where(LoginThrottle.key.in_([keys["pair"], keys["address"]])))
    known = _row(s, _known_key(user_id, address), now)
    known.updated_at = now


def clear_account(s: Session, username: str) -> int:
    """An administrator lifts every delay on an account (from any address); returns how many were lifted."""
    name = username.strip().lower()
    result = s.execute(sa.delete(LoginThrottle).where(
        sa.or_(LoginThrottle.key == f"acct:{name}", LoginThrottle.key.startswith(f"pair:{name}|", autoescape=True))))
    return result.rowcount or 0


def blocked_accounts(s: Session, now: datetime) -> set[str]:
    """The account names waiting out a delay now (for the administrator's user list)."""
    keys = s.scalars(sa.select(LoginThrottle.key).where(LoginThrottle.blocked_until > now,
                                                        sa.or_(LoginThrottle.key.startswith("acct:"),
                                                               LoginThrottle.key.startswith("pair:"))))
    return {k.split(":", 1)[1].split("|", 1)[0] for k in keys}
