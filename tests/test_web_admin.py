"""Administration: users, passwords, five-contract assignments, process versions."""
from __future__ import annotations

import io
from pathlib import Path

import sqlalchemy as sa

from web_fixtures import (PASSWORD, ROOM, app, client, instance, login_as,  # noqa: F401  (fixtures)
                          ready_task, start_case, task_ids, text, user_id)
from workflows.engine.models import ProcessVersion
from workflows.org.accounts import by_username
from workflows.org.models import Area, FiveContractAssignment

BPMN = Path(__file__).resolve().parent.parent / "bpmn"
NEW_USER = {"username": "wjs_market3", "display_name": "市场监管 钱多多", "roles": ["market"],
            "area": "吴家山街", "department": "", "phone": "13800001111", "password": "a-long-password",
            "confirm": "a-long-password", "active": "y"}


def test_user_list(login_as):
    page = text(login_as("admin").get("/admin/users"))
    assert "wjs_grid" in page and "网格员 陈小红" in page and "吴家山街第一社区花园小区" in page
    assert "wjs_grid" in text(login_as("admin").get("/admin/users?q=grid"))
    assert "wjs_police1" not in text(login_as("admin").get("/admin/users?q=grid"))


def test_create_a_user_who_can_then_log_in(services, login_as, app):
    admin = login_as("admin")
    r = admin.post("/admin/users/new", data=NEW_USER)
    assert r.status_code == 302, text(r)
    with services.db.read() as s:
        user = by_username(s, "wjs_market3")
        assert user.roles == "market" and user.area.full_name == "吴家山街" and user.active
        assert "a-long-password" not in user.password_hash
    assert "wjs_market3" in text(admin.get("/admin/users"))
    c = app.test_client()
    assert c.post("/login", data={"username": "wjs_market3", "password": "a-long-password"}).status_code == 302


def test_create_user_validation(login_as):
    admin = login_as("admin")
    cases = [
        ({"username": "wjs_grid"}, "用户名 wjs_grid 已存在。"),
        ({"username": "Bad Name"}, "用户名格式不正确"),
        ({"roles": []}, "请至少选择一个角色。"),
        ({"area": "火星"}, "找不到这个区域"),
        ({"password": "short", "confirm": "short"}, "密码至少 10 位。"),
        ({"confirm": "something-else"}, "两次输入的密码不一致。"),
        ({"phone": "2345678"}, "电话号码格式不正确"),
    ]
    for change, message in cases:
        r = admin.post("/admin/users/new", data={**NEW_USER, **change})
        assert r.status_code == 422 and message in text(r), message
        assert "市场监管 钱多多" in text(r)  # typed values kept


def test_edit_roles_and_area(services, login_as):
    admin = login_as("admin")
    uid = user_id(services, "wjs_police2")
    page = text(admin.get(f"/admin/users/{uid}"))
    assert "民警 李卫东" in page and 'value="吴家山街"' in page
    r = admin.post(f"/admin/users/{uid}", data={"display_name": "民警 李卫东", "roles": ["police", "supervisor"],
                                               "area": "金银湖街", "department": "", "phone": "", "active": "y"})
    assert r.status_code == 302
    with services.db.read() as s:
        user = by_username(s, "wjs_police2")
        assert user.role_set == {"police", "supervisor"} and user.area.full_name == "金银湖街"


def test_disable_a_user_ends_their_session(services, login_as):
    victim = login_as("wjs_grid")
    assert victim.get("/").status_code == 200
    admin = login_as("admin")
    uid = user_id(services, "wjs_grid")
    r = admin.post(f"/admin/users/{uid}", data={"display_name": "网格员 陈小红", "roles": ["grid"],
                                               "area": "吴家山街第一社区花园小区", "department": "", "phone": ""})
    assert r.status_code == 302
    assert "已停用" in text(admin.get("/admin/users"))
    assert "/login" in victim.get("/").headers["Location"]


def test_an_admin_cannot_lock_themselves_out(services, login_as):
    admin = login_as("admin")
    uid = user_id(services, "admin")
    r = admin.post(f"/admin/users/{uid}", data={"display_name": "系统管理员", "roles": ["supervisor"],
                                               "area": "东西湖区", "department": "", "phone": "", "active": "y"})
    assert r.status_code == 422 and "不能停用自己的账号或取消自己的管理员角色" in text(r)


def test_reset_password_logs_out_and_lifts_login_delays(services, login_as, app, clock):
    victim = login_as("wjs_grid")
    bad = app.test_client()
    for _ in range(5):
        bad.post("/login", data={"username": "wjs_grid", "password": "wrong"})
    admin = login_as("admin")
    uid = user_id(services, "wjs_grid")
    assert "登录受限" in text(admin.get("/admin/users"))
    r = admin.post(f"/admin/users/{uid}/password", data={"password": "brand-new-pass", "confirm": "brand-new-pass"})
    assert r.status_code == 302
    assert "已为 网格员 陈小红 重置密码" in text(admin.get(r.headers["Location"]))
    assert "/login" in victim.get("/").headers["Location"]  # the old session is gone
    c = app.test_client()
    assert c.post("/login", data={"username": "wjs_grid", "password": PASSWORD}).status_code == 401
    assert c.post("/login", data={"username": "wjs_grid", "password": "brand-new-pass"}).status_code == 302


def test_reset_password_validation(services, login_as):
    admin = login_as("admin")
    uid = user_id(services, "wjs_grid")
    r = admin.post(f"/admin/users/{uid}/password", data={"password": "short", "confirm": "short"},
                   follow_redirects=True)
    assert "密码未重置：密码至少 10 位。" in text(r)


def test_unlock(services, login_as, app):
    bad = app.test_client()
    for _ in range(5):
        bad.post("/login", data={"username": "wjs_grid", "password": "wrong"})
    admin = login_as("admin")
    uid = user_id(services, "wjs_grid")
    assert "解除登录限制" in text(admin.get(f"/admin/users/{uid}"))
    assert admin.post(f"/admin/users/{uid}/unlock").status_code == 302
    assert bad.post("/login", data={"username": "wjs_grid", "password": PASSWORD}).status_code == 302


def test_five_contract_assignments(services, login_as):
    admin = login_as("admin")
    page = text(admin.get("/admin/assignments?q=吴家山街第一社区花园小区1栋1单元"))
    assert "第 1 级 · 楼栋长" in page and "楼栋长 钱桂英" in page
    with services.db.read() as s:
        unit = s.scalar(sa.select(Area).where(Area.full_name == "吴家山街第一社区花园小区1栋1单元"))
    assert "楼栋长 钱桂英" in text(admin.get(f"/admin/assignments/{unit.id}"))
    shequ = user_id(services, "shequ")
    r = admin.post(f"/admin/assignments/{unit.id}", data={"user": str(shequ)})
    assert r.status_code == 302
    with services.db.read() as s:
        holder = s.scalar(sa.select(FiveContractAssignment.user_id).where(
            FiveContractAssignment.area_id == unit.id, FiveContractAssignment.level == 1))
    assert holder == shequ
    # A new matter at that unit goes to the new holder.
    m = start_case(login_as("wjs_leader"), address=ROOM, title="事项", kind="five_contracts", note="复查")
    assert ready_task(services, m, "handle_matter") in task_ids(text(login_as("shequ").get("/")))
    # Clearing it leaves the level unassigned.
    assert admin.post(f"/admin/assignments/{unit.id}", data={"user": ""}).status_code == 302
    assert "（未指定）" in text(admin.get("/admin/assignments?q=吴家山街第一社区花园小区1栋1单元"))


def test_rooms_have_no_five_contract_level(services, login_as):
    with services.db.read() as s:
        room = s.scalar(sa.select(Area.id).where(Area.full_name == ROOM))
    assert login_as("admin").get(f"/admin/assignments/{room}").status_code == 404


def test_process_versions_and_the_cases_on_them(services, login_as):
    case_id = start_case(login_as("wjs_grid"))
    admin = login_as("admin")
    page = text(admin.get("/admin/processes"))
    assert "六步工作法案件" in page and "五包责任事项" in page and "当前" in page
    with services.db.read() as s:
        version_id = s.scalar(sa.select(ProcessVersion.id).where(ProcessVersion.process_id == "six_step_case")
                              .order_by(ProcessVersion.id.desc()))
    page = text(admin.get(f"/admin/processes/{version_id}"))
    assert f'href="/cases/{case_id}"' in page and "共 1 件案件按此版本办理" in page


def test_upload_a_new_diagram_version(services, login_as):
    admin = login_as("admin")
    xml = (BPMN / "five_contracts.bpmn").read_text(encoding="utf-8")
    # The same file again: nothing new.
    r = admin.post("/admin/processes", data={"diagram": (io.BytesIO(xml.encode()), "five_contracts.bpmn")},
                   content_type="multipart/form-data", follow_redirects=True)
    assert "完全相同" in text(r)
    running = start_case(login_as("wjs_leader"), kind="five_contracts", title="旧版本上的事项", note="x")
    changed = xml.replace('name="责任人处置"', 'name="责任人处置（新版）"')
    r = admin.post("/admin/processes", data={"diagram": (io.BytesIO(changed.encode()), "five_contracts.bpmn")},
                   content_type="multipart/form-data", follow_redirects=True)
    assert "已部署新版本：五包责任事项" in text(r)
    with services.db.read() as s:
        versions = s.scalars(sa.select(ProcessVersion).where(ProcessVersion.process_id == "five_contracts")
                             .order_by(ProcessVersion.id)).all()
    assert len(versions) == 2
    assert instance(services, running).version_id == versions[0].id  # the running case keeps its version
    new = start_case(login_as("wjs_leader"), kind="five_contracts", title="新版本上的事项", note="x")
    assert instance(services, new).version_id == versions[1].id


def test_a_broken_diagram_is_refused_with_its_problems(services, login_as):
    admin = login_as("admin")
    broken = b'<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">' \
             b'<bpmn:process id="x" isExecutable="true"><bpmn:startEvent id="s"/></bpmn:process></bpmn:definitions>'
    r = admin.post("/admin/processes", data={"diagram": (io.BytesIO(broken), "broken.bpmn")},
                   content_type="multipart/form-data")
    assert r.status_code == 422 and "流程图未通过检查，未部署。" in text(r) and "检查发现以下问题" in text(r)
    with services.db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(ProcessVersion)
                        .where(ProcessVersion.process_id == "x")) == 0
    r = admin.post("/admin/processes", data={"diagram": (io.BytesIO(b"x"), "notes.txt")},
                   content_type="multipart/form-data")
    assert r.status_code == 422 and "只能上传 .bpmn 文件。" in text(r)


def test_a_diagram_with_a_step_that_has_no_form_is_refused(services, login_as):
    admin = login_as("admin")
    xml = (BPMN / "five_contracts.bpmn").read_text(encoding="utf-8")
    # A renamed task id is a new step: no form exists for it, so nobody could do it once deployed.
    renamed = xml.replace('"handle_matter"', '"handle_matter_new"').replace(">handle_matter<", ">handle_matter_new<")
    assert renamed != xml
    r = admin.post("/admin/processes", data={"diagram": (io.BytesIO(renamed.encode()), "five_contracts.bpmn")},
                   content_type="multipart/form-data")
    assert r.status_code == 422 and "没有对应的办理表单" in text(r) and "handle_matter_new" in text(r)
    with services.db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(ProcessVersion)
                        .where(ProcessVersion.process_id == "five_contracts")) == 1
