"""Substitutes (代班): the substitute gets the absent officer's tasks, old and new, for the period only; the audit
keeps both names; it ends by itself."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from web_fixtures import (ROOM, app, client, login_as, ready_task, start_case,  # noqa: F401  (fixtures)
                          task_ids, text, user_id)
from workflows.audit.models import AuditEvent
from workflows.exceptions import PermissionDenied, ValidationFailed
from workflows.substitutes import service as substitutes


def matter(login_as, address=ROOM, title="101室三停一换失效"):
    return start_case(login_as("wjs_leader"), address=address, title=title, kind="five_contracts", note="需复查")


def test_the_substitute_does_the_absent_officers_tasks_during_the_period_only(services, login_as, clock):
    old = ready_task(services, matter(login_as), "handle_matter")  # 楼栋长 钱桂英's (level 1)
    louzhang, shequ = user_id(services, "louzhang"), user_id(services, "shequ")
    now = services.workflow.now()
    substitutes.set_substitute(services, louzhang, shequ, now, now + timedelta(days=2), "住院")
    new = ready_task(services, matter(login_as, address="吴家山街第一社区花园小区1栋1单元102室", title="新到"),
                     "handle_matter")
    inbox = text(login_as("shequ").get("/"))
    assert {old, new} <= set(task_ids(inbox)) and "代 楼栋长 钱桂英" in inbox and "您正在代班" in inbox
    r = login_as("shequ").post(f"/tasks/{old}", data={"handled_on": "2026-11-23", "resolved": "yes",
                                                     "result": "已复查，水电切断"})
    assert r.status_code == 302, text(r)
    with services.db.read() as s:
        event = s.scalar(sa.select(AuditEvent).where(AuditEvent.task_id == old, AuditEvent.kind == "completed"))
        assert event.actor_id == shequ and event.details["on_behalf_of"] == louzhang
        assert event.details["on_behalf_of_name"] == "楼栋长 钱桂英"
    # It ends by itself: two days later the task is back with its holder alone.
    clock.advance(days=2, minutes=1)
    assert new not in task_ids(text(login_as("shequ").get("/")))
    assert login_as("shequ").get(f"/tasks/{new}").status_code == 403
    with pytest.raises(PermissionDenied):
        services.workflow.complete(new, {"resolved": True, "result": "x"}, shequ)
    assert new in task_ids(text(login_as("louzhang").get("/")))


def test_the_substitutes_page_sets_and_ends_a_substitution(services, login_as):
    page = login_as("wjs_market1")
    form = text(page.get("/substitutes"))
    assert "市场监管 孙丽华（" in form and "账号 wjs_market2" in form and "民警 王建国" not in form
    r = page.post("/substitutes", data={"substitute": str(user_id(services, "wjs_market2")),
                                        "starts_at": "2026-11-23T08:00", "ends_at": "2026-11-22T08:00",
                                        "reason": "外出培训"})
    assert r.status_code == 422 and "结束时间须晚于开始时间" in text(r) and "外出培训" in text(r)
    r = page.post("/substitutes", data={"substitute": str(user_id(services, "wjs_market2")),
                                        "starts_at": "2026-11-23T08:00", "ends_at": "2026-11-30T18:00",
                                        "reason": "外出培训"})
    assert r.status_code == 302
    assert "孙丽华" in text(page.get("/substitutes")) and "提前结束" in text(page.get("/substitutes"))
    assert "代 市场监管 赵晓明" in text(login_as("wjs_market2").get("/substitutes"))
    with services.db.read() as s:
        kinds = list(s.scalars(sa.select(AuditEvent.kind).where(AuditEvent.kind.like("substitute_%"))))
        sub_id = s.scalar(sa.text("SELECT id FROM substitution"))
    assert kinds == ["substitute_set"]
    assert page.post(f"/substitutes/{sub_id}/end").status_code == 302
    assert "未设置代班人" in text(page.get("/substitutes"))


def test_a_substitute_needs_the_same_post_and_no_overlap(services):
    market1, market2, police = (user_id(services, u) for u in ("wjs_market1", "wjs_market2", "wjs_police1"))
    now = services.workflow.now()
    with pytest.raises(ValidationFailed) as err:
        substitutes.set_substitute(services, market1, police, now, now + timedelta(days=1), "外出")
    assert "没有相同岗位" in err.value.errors["substitute"][0]
    substitutes.set_substitute(services, market1, market2, now, now + timedelta(days=1), "外出")
    with pytest.raises(ValidationFailed) as err:
        substitutes.set_substitute(services, market1, market2, now + timedelta(hours=1), now + timedelta(days=3), "再")
    assert "已设有代班人" in err.value.errors["starts_at"][0]
    with pytest.raises(PermissionDenied):
        substitutes.set_substitute(services, market1, market2, now, now + timedelta(days=1), "代设", absent_id=police)
