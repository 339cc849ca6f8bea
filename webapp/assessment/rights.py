"""What the assessment pages offer a user; the service decides again on every action (this only hides buttons)."""
from __future__ import annotations

from workflows.assessment.service import ENTER_ROLES, OVERRIDE_ROLES, PUBLISH_ROLES, RUN_ROLES
from workflows.org.roles import ADMIN


def may(user) -> dict[str, bool]:
    roles = user.role_set if user.is_authenticated else set()
    return {"run": bool(roles & RUN_ROLES), "enter": bool(roles & ENTER_ROLES),
            "override": bool(roles & OVERRIDE_ROLES), "publish": bool(roles & PUBLISH_ROLES)}


def may_view(user) -> bool:
    """Whether the 考评 menu is worth showing: an account that answers for a street or the district, or one of the
    assessment's roles."""
    if not user.is_authenticated:
        return False
    account = user
    if account.area is None:
        return ADMIN in account.role_set
    return account.area.kind in ("district", "street") or bool(account.role_set & (RUN_ROLES | ENTER_ROLES))
