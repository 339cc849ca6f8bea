"""Administration and login bookkeeping as services (workflows.org.admin, workflows.org.accounts): each one
unit of work, audited, and refused to anyone but an administrator."""
import pytest
import sqlalchemy as sa

from workflows.audit.models import AuditEvent
from workflows.exceptions import PermissionDenied, WorkflowError
from workflows.org import accounts, admin
from workflows.org.models import FiveContractAssignment, User

PASSWORD = "longenough123"


def events(services, kind: str) -> list[AuditEvent]:
    with services.db.read() as s:
        return list(s.scalars(sa.select(AuditEvent).where(AuditEvent.kind == kind)))


def test_an_administrator_creates_updates_and_resets_an_account(services, lookup):
    actor = lookup.user("admin")
    area = lookup.area("吴家山街")
    user_id = admin.create_user(services, actor, username="new_grid", password=PASSWORD, display_name="网格员 新",
                                roles=["grid"], area_id=area, department_id=None, phone="")
    assert accounts.attempt_login(services, "new_grid", PASSWORD, "10.0.0.1").user_id == user_id
    with pytest.raises(WorkflowError, match="已存在"):
        admin.create_user(services, actor, username="new_grid", password=PASSWORD, display_name="x",
                          roles=["grid"], area_id=area, department_id=None, phone="")
    admin.update_user(services, actor, user_id, display_name="网格员 新", roles=["grid", "police"], area_id=area,
                      department_id=None, phone="13800000000", active=False)
    admin.reset_password(services, actor, user_id, "anotherpassword1")
    with services.db.read() as s:
        user = s.get(User, user_id)
        assert user.roles == "grid police" and not user.active
    [created] = events(services, "user_created")
    assert created.actor_id == actor and created.details["username"] == "new_grid"
    [updated] = events(services, "user_updated")
    assert updated.details["before"]["active"] is True and updated.details["after"]["active"] is False
    assert len(events(services, "password_reset")) == 1


def test_only_an_administrator_administers(services, lookup):
    supervisor = lookup.user("dubanban")
    target = lookup.user("wjs_grid")
    with pytest.raises(PermissionDenied, match="系统管理员"):
        admin.create_user(services, supervisor, username="intruder", password=PASSWORD, display_name="x",
                          roles=["admin"], area_id=None, department_id=None, phone="")
    with pytest.raises(PermissionDenied):
        admin.reset_password(services, supervisor, target, PASSWORD)
    with pytest.raises(PermissionDenied):
        admin.set_assignment(services, supervisor, lookup.area("吴家山街"), 5, supervisor)
    with services.db.read() as s:
        assert s.scalar(sa.select(User).where(User.username == "intruder")) is None
    assert events(services, "user_created") == [] and events(services, "assignment_changed") == []


def test_five_contract_assignment_is_set_moved_and_removed(services, lookup):
    actor, street = lookup.user("admin"), lookup.area("吴家山街")
    admin.set_assignment(services, actor, street, 5, lookup.user("jiedao"))
    admin.set_assignment(services, actor, street, 5, None)
    with services.db.read() as s:
        assert s.scalar(sa.select(FiveContractAssignment).where(FiveContractAssignment.area_id == street,
                                                               FiveContractAssignment.level == 5)) is None
    assert [e.details["user_id"] for e in events(services, "assignment_changed")] == [lookup.user("jiedao"), None]


def test_failed_logins_delay_the_account_and_an_administrator_lifts_the_delay(services, lookup):
    for _ in range(4):
        assert accounts.attempt_login(services, "wjs_grid", "wrong", "10.0.0.1").message == accounts.GENERIC_FAILURE
    waiting = accounts.attempt_login(services, "wjs_grid", "dachuan2026", "10.0.0.1")
    assert waiting.user_id is None and "过于频繁" in waiting.message and "锁定" not in waiting.message
    assert len(events(services, "login_failed")) == 4 and len(events(services, "login_throttled")) == 1
    admin.unlock(services, lookup.user("admin"), lookup.user("wjs_grid"))
    assert accounts.attempt_login(services, "wjs_grid", "dachuan2026", "10.0.0.1").user_id == lookup.user("wjs_grid")
    # An unknown name gets the same answer as a wrong password.
    assert accounts.attempt_login(services, "nobody", "x", "10.0.0.2").message == accounts.GENERIC_FAILURE