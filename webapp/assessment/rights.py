"""What the assessment pages offer a user; the service decides again on every action (this only hides buttons)."""
from __future__ import annotations

from workflows.org.roles import ADMIN, SUPERVISOR

# The inspector who enters the rows the records cannot score.
ASSESSOR = "assessor"


def may(user) -> dict[str, bool]:
    roles = user.role_set if user.is_authenticated else set()
    return {"run": bool(roles & {SUPERVISOR, ADMIN}),
            "enter": bool(roles & {ASSESSOR, SUPERVISOR}),
            "override": SUPERVISOR in roles,
            "publish": SUPERVISOR in roles}


def may_view(user) -> bool:
    """Whether the 考评 menu is worth showing: an account that answers for a street or the district."""
    if not user.is_authenticated:
        return False
    account = user.user
    if account.area is None:
        return ADMIN in account.role_set
    return account.area.kind in ("district", "street") or bool(account.role_set & {ASSESSOR, SUPERVISOR})
