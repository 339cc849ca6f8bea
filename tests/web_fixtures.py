"""Shared fixtures and helpers for the web tests (import with `from web_fixtures import *`).

`services` (tests/conftest.py) gives a migrated database with the demo district, on SQLite and on
PostgreSQL; these fixtures put the Flask app on top and drive it the way a browser would.
"""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from stdnum.cn import ric

from webapp import create_app
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.org.models import User

PASSWORD = "dachuan2026"
ROOM = "吴家山街第一社区花园小区1栋1单元101室"
JYH_ROOM = "金银湖街第一社区花园小区1栋1单元101室"


def make_id(prefix: str = "420106", birth: str = "19900101", seq: str = "123") -> str:
    """A resident ID number with a correct check digit."""
    body = prefix + birth + seq
    return body + ric.calc_check_digit(body + "0")


ID_A = make_id("420106", "19900101", "123")   # local (Hubei)
ID_B = make_id("360426", "19850612", "456")   # non-local
ID_C = make_id("430102", "19781130", "789")   # non-local


@pytest.fixture
def app(services, tmp_path):
    return create_app({"SERVICES": services, "TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "test",
                       "UPLOAD_FOLDER": str(tmp_path / "uploads")})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login_as(app):
    """login_as("wjs_grid") -> a fresh test client with that user logged in."""
    def _login(username: str, password: str = PASSWORD):
        c = app.test_client()
        r = c.post("/login", data={"username": username, "password": password})
        assert r.status_code == 302, f"login of {username} failed: {r.status_code}"
        return c
    return _login


def text(response) -> str:
    return response.get_data(as_text=True)


def task_ids(html: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r'/tasks/([0-9a-f-]{36})"', html)))


def ready_task(services, instance_id: int, task_name: str) -> str:
    with services.db.read() as s:
        task_id = s.scalar(sa.select(HumanTask.id).where(HumanTask.instance_id == instance_id,
                                                         HumanTask.task_name == task_name,
                                                         HumanTask.state == "ready"))
    assert task_id, f"no ready {task_name} in instance {instance_id}"
    return task_id


def ready_names(services, instance_id: int) -> set[str]:
    with services.db.read() as s:
        return set(s.scalars(sa.select(HumanTask.task_name).where(HumanTask.instance_id == instance_id,
                                                                  HumanTask.state == "ready")))


def instance(services, instance_id: int) -> ProcessInstance:
    with services.db.read() as s:
        return s.get(ProcessInstance, instance_id)


def user_id(services, username: str) -> int:
    with services.db.read() as s:
        return s.scalar(sa.select(User.id).where(User.username == username))


def start_case(client, address: str = ROOM, title: str = "花园小区1栋1单元101室疑似传销窝点", kind: str = "six_step_case",
               note: str = "") -> int:
    r = client.post("/cases/new", data={"kind": kind, "address": address, "title": title, "source": "sweep",
                                        "note": note})
    assert r.status_code == 302, text(r)
    return int(r.headers["Location"].rsplit("/", 1)[1])


# Valid submissions for every step, as a browser posts them.
STEP_DATA = {
    "sweep": {"swept_on": "2026-11-22", "house_type": "rental", "occupants": "6",
              "sweep_flags": ["non_local", "non_family"], "suspicious": "yes", "note": "多名外地青年合租，白天聚集上课"},
    "entry": {"entered_at": "2026-11-23T10:00", "officers-0-name": "王建国", "officers-0-badge": "420001",
              "officers-1-name": "李卫东", "officers-1-badge": "420002", "door_opened": "yes",
              "persons-0-name": "张三", "persons-0-id_number": ID_A, "persons-0-phone": "13912345678",
              "persons-0-bank_card": "6222021234567890123", "persons-0-classification": "",
              "persons-1-name": "李四", "persons-1-id_number": ID_B, "persons-1-phone": "",
              "persons-1-bank_card": "", "persons-1-classification": "",
              "note": "屋内 2 人，现场有传销资料"},
    "watch_house": {"watched_on": "2026-11-23", "note": "晚间有灯光，人员进出频繁"},
    "initial_check": {"checked_on": "2026-11-23", "mlm_found": "yes", "mlm_indicators": ["entry_fee", "lectures"],
                      "findings": "要求缴纳 69800 元入门费，每日授课"},
    "evidence": {"collected_on": "2026-11-23", "evidence_summary": "笔记本 3 本，授课资料一批，询问笔录 2 份",
                 "seized_items": "", "note": ""},
    "comparison": {"persons-0-classification": "participant", "persons-1-classification": "core",
                   "house_is_rental": "yes", "house_prior_catches": "0", "landlord_name": "王房东",
                   "landlord_official": "no"},
    "handle_participants": {"measures": ["education", "sent_home", "letter"],
                            "handled_on": "2026-11-23", "result": "已教育并遣返，已致信户籍地"},
    "penalty_core": {"parties-0-role": "introducer", "result": "已对骨干成员启动行政处罚程序"},
    "transfer_police": {"receiving_unit": "东西湖区公安分局", "decided_on": "2026-11-23",
                        "transferred_on": "2026-11-23", "result": "已移送"},
    "rectify_house": {"measures": ["rectify_order", "seizure"],
                      "handled_on": "2026-11-23", "result": "已责令改正并落实三停一换"},
    "penalty_landlord": {"landlord_name": "王房东", "landlord_id_number": ID_C, "landlord_address": "",
                         "result": "已对房东启动行政处罚程序"},
    "transfer_discipline": {"receiving_unit": "东西湖区纪委监委", "transferred_on": "2026-11-23",
                            "result": "已移交"},
    "close_case": {"closed_on": "2026-11-23", "summary": "各项处置均已完成，涉案人员录入黑名单。",
                   "blacklist_confirmed": "y"},
    "handle_matter": {"handled_on": "2026-11-23", "resolved": "yes", "result": "已上门核实并整改"},
}

# Who does each step of the demo case in 吴家山街.
STEP_USER = {"sweep": "wjs_grid", "watch_house": "wjs_grid", "entry": "wjs_police1", "transfer_police": "wjs_police1",
             "rectify_house": "wjs_housing"}


def submit(client, task_id: str, data: dict, files: dict | None = None):
    payload = dict(data)
    if files:
        payload.update(files)
    return client.post(f"/tasks/{task_id}", data=payload, content_type="multipart/form-data")


def complete_step(services, login, instance_id: int, task_name: str, data: dict | None = None, user: str | None = None):
    """Complete one ready step through the web form; returns the response (a redirect on success)."""
    c = login(user or STEP_USER.get(task_name, "wjs_market1"))
    r = submit(c, ready_task(services, instance_id, task_name), data or STEP_DATA[task_name])
    assert r.status_code == 302, f"{task_name}: {r.status_code} {errors_in(text(r))}"
    return r


def session_written(response) -> bool:
    """Whether the response signs a session cookie."""
    return any(h.startswith("session=") for h in response.headers.getlist("Set-Cookie"))


def forms_without_token(html: str) -> list[str]:
    """The POST forms of a page that do not carry the form token (CSRF), by their opening tag."""
    missing = []
    for part in html.split("<form")[1:]:
        opening, _, body = part.partition(">")
        if 'method="post"' in opening and 'name="csrf_token"' not in body.split("</form>", 1)[0]:
            missing.append("<form" + opening + ">")
    return missing


def errors_in(html: str) -> list[str]:
    return re.findall(r'<div class="error" role="alert">([^<]+)</div>', html)
