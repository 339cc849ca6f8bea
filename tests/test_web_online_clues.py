"""The online clue pages: recording with screenshots, bad input kept with clear messages, the list, filters and
export, the clue page and its timeline, the steps' forms, and another street seeing nothing."""
import io
from datetime import timedelta

import sqlalchemy as sa
from openpyxl import load_workbook

from web_fixtures import app, client, errors_in, login_as, ready_task, submit, text  # noqa: F401  (fixtures)
from pf_helpers import name_platform
from workflows.audit.models import AuditEvent
from workflows.engine.models import ProcessInstance
from workflows.online_clues.models import OnlineClue
from workflows.online_clues.service import local_today
from workflows.penalties.models import PenaltyCase
from workflows.pyramid_free.models import Naming

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CREDIT_CODE = "91110000600037341L"


def form(**kw):
    data = {"source": "monitoring", "received_on": "2026-01-05", "scheme_name": "百富优选",
            "aliases": "百富商城", "urls": "https://baifu.example.cn/", "app_ids": "wx1234567890abcdef",
            "platform_name": "某某短视频平台", "platform_credit_code": CREDIT_CODE, "summary": "拉人头返利"}
    data.update(kw)
    return data


def only_clue(services) -> OnlineClue:
    with services.db.read() as s:
        return s.scalars(sa.select(OnlineClue)).one()


def test_recording_a_clue_with_a_screenshot(login_as, services):
    market = login_as("wjs_market1")
    page = market.get("/online-clues/new")
    assert page.status_code == 200 and "登记网络传销线索" in text(page)
    r = market.post("/online-clues/new", data=form(screenshots=(io.BytesIO(PNG), "直播间截图.png")),
                    content_type="multipart/form-data")
    assert r.status_code == 302, errors_in(text(r))
    clue = only_clue(services)
    assert [f["name"] for f in clue.screenshots] == ["直播间截图.png"]
    show = text(market.get(r.headers["Location"]))
    assert clue.reference in show and "线上监测" in show and "登记线索" in show  # open step and timeline
    shot = market.get(f"/online-clues/{clue.id}/screenshots/{clue.screenshots[0]['sha256']}")
    assert shot.status_code == 200 and shot.data == PNG


def test_bad_input_is_refused_clearly_and_kept(login_as, services):
    market = login_as("wjs_market1")
    tomorrow = (local_today(services.workflow.now()) + timedelta(days=1)).isoformat()
    r = market.post("/online-clues/new", data=form(platform_credit_code="91110000600037341X", received_on=tomorrow,
                                                   scheme_name="百富优选二期"))
    assert r.status_code == 422
    html = text(r)
    assert "统一社会信用代码校验位不正确，请核对是否抄错" in errors_in(html)
    assert any(e.startswith("接收日期不能晚于今天") for e in errors_in(html))
    assert 'value="百富优选二期"' in html and 'value="91110000600037341X"' in html  # nothing typed is lost
    with services.db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(OnlineClue)) == 0


def test_a_grid_worker_may_not_record_clues(login_as):
    assert login_as("wjs_grid").get("/online-clues/new").status_code == 403


def test_another_street_sees_nothing_of_the_clue(login_as, services):
    market = login_as("wjs_market1")
    market.post("/online-clues/new", data=form(screenshots=(io.BytesIO(PNG), "a.png")),
                content_type="multipart/form-data")
    clue = only_clue(services)
    other = login_as("jyh_market")
    assert other.get(f"/online-clues/{clue.id}").status_code == 404
    assert other.get(f"/online-clues/{clue.id}/screenshots/{clue.screenshots[0]['sha256']}").status_code == 404
    assert other.get(f"/online-clues/{clue.id}/edit").status_code == 404
    assert clue.reference not in text(other.get("/online-clues"))
    rows = list(load_workbook(io.BytesIO(other.get("/online-clues/export").data)).active.iter_rows(values_only=True))
    assert len(rows) == 1  # the header only
    assert clue.reference in text(login_as("dubanban").get("/online-clues"))  # the district sees every street


def test_list_filters_and_export(login_as, services):
    market = login_as("wjs_market1")
    market.post("/online-clues/new", data=form(scheme_name="甲项目", received_on="2025-12-30", aliases=""))
    market.post("/online-clues/new", data=form(scheme_name="乙项目", aliases="乙商城"))
    assert "甲项目" in text(market.get("/online-clues?year=2025")) and \
        "乙项目" not in text(market.get("/online-clues?year=2025"))
    assert "乙项目" in text(market.get("/online-clues?q=乙商城"))
    assert "没有找到线索" in text(market.get("/online-clues?status=dismissed"))
    bad = market.get("/online-clues?status=xyz")
    assert bad.status_code == 422 and "请选择列表中的状态" in text(bad)
    bad = market.get("/online-clues?year=二〇二六")
    assert bad.status_code == 422 and "年度应为 2000–2100 之间的四位数" in text(bad)
    r = market.get("/online-clues/export?year=2026")
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    rows = list(load_workbook(io.BytesIO(r.data)).active.iter_rows(values_only=True))
    assert [row[3] for row in rows[1:]] == ["乙项目"]


def test_the_steps_run_through_their_forms(login_as, services):
    market = login_as("wjs_market1")
    market.post("/online-clues/new", data=form())
    clue = only_clue(services)
    inst = clue.instance_id
    r = submit(market, ready_task(services, inst, "monitor"), {"suspected": "yes", "monitoring_note": "拉人头返利",
                                                               "files": (io.BytesIO(PNG), "监测截图.png")})
    assert r.status_code == 302, errors_in(text(r))
    r = submit(market, ready_task(services, inst, "verify"), {"confirmed": "yes", "verification_note": "查实",
                                                              "member_count": "", "levels": "3"})
    assert r.status_code == 422 and "查实的，请填写参与人数（大于 0）。" in errors_in(text(r))
    r = submit(market, ready_task(services, inst, "verify"), {"confirmed": "yes", "verification_note": "查实",
                                                              "member_count": "40", "levels": "5"})
    assert r.status_code == 302
    leader = login_as("wjs_leader")
    task = ready_task(services, inst, "report_up")
    inbox = text(leader.get("/"))
    assert "逐级上报、确定处置措施" in inbox and "网络传销线索" in inbox
    assert "三十人以上且层级在三级以上" in text(leader.get(f"/tasks/{task}"))
    r = submit(leader, task, {"tier": "interview", "report_note": "上报"})
    assert r.status_code == 422 and any("应移送公安机关" in e for e in errors_in(text(r)))
    assert submit(leader, task, {"tier": "criminal", "report_note": "上报"}).status_code == 302
    page = text(market.get(f"/online-clues/{clue.id}"))
    # The clue's platform is not in the 创无 register: nothing to re-inspect, and the timeline says so.
    assert "已达到" in page and "移送公安机关" in page and "平台未命名" in page and "待关联" not in page
    assert "完成“逐级上报、确定处置措施”" in page


def test_correcting_the_ledger_is_audited(login_as, services):
    market = login_as("wjs_market1")
    market.post("/online-clues/new", data=form())
    clue = only_clue(services)
    edit = market.get(f"/online-clues/{clue.id}/edit")
    assert edit.status_code == 200 and 'value="百富优选"' in text(edit)
    r = market.post(f"/online-clues/{clue.id}/edit", data=form(aliases="百富商城\n百富会员"))
    assert r.status_code == 302
    with services.db.read() as s:
        (changes,) = s.scalars(sa.select(AuditEvent.details).where(AuditEvent.kind == "clue_updated")).all()
    assert list(changes["changes"]) == ["aliases"]
    assert "修改台账：别名" in text(market.get(f"/online-clues/{clue.id}"))


def test_repeated_complaints_show_their_clue_and_the_clue_has_its_process_page(login_as, services):
    market = login_as("wjs_market1")
    report = {"channel": "online", "content": "金元宝商城拉人头返利", "address": "", "anonymous": "y",
              "online_mlm": "y", "subject_name": "金元宝商城", "subject_kind": "platform"}
    for _ in range(3):
        r = market.post("/complaints/new", data=report)
        assert r.status_code == 302, errors_in(text(r))
    clue = only_clue(services)
    complaint_page = text(market.get(r.headers["Location"]))
    assert "网络传销线索" in complaint_page and clue.reference in complaint_page
    process_page = market.get(f"/cases/{clue.instance_id}")
    assert process_page.status_code == 200 and "线上监测" in text(process_page)
    assert market.get(f"/cases/{clue.instance_id}/diagram.bpmn").status_code == 200


def to_report_up(login_as, services, **fields) -> int:
    market = login_as("wjs_market1")
    market.post("/online-clues/new", data=form(**fields))
    inst = only_clue(services).instance_id
    submit(market, ready_task(services, inst, "monitor"), {"suspected": "yes", "monitoring_note": "疑似"})
    submit(market, ready_task(services, inst, "verify"), {"confirmed": "yes", "verification_note": "查实",
                                                          "member_count": "12", "levels": "2"})
    return inst


def test_a_penalty_names_a_valid_party_and_opens_the_penalty_procedure(login_as, services):
    inst = to_report_up(login_as, services, platform_credit_code="", platform_name="")
    leader = login_as("wjs_leader")
    task = ready_task(services, inst, "report_up")
    assert "当事人类型" in text(leader.get(f"/tasks/{task}"))
    r = submit(leader, task, {"tier": "penalty", "report_note": "上报", "party_kind": "organisation",
                              "party_name": "", "party_code": "91110000600037341X", "penalty_facts": "拉人头"})
    assert r.status_code == 422
    assert set(errors_in(text(r))) == {"行政处罚的，请填写当事人。", "请填写有效的统一社会信用代码（单位），不清楚的可留空。"}
    assert 'value="91110000600037341X"' in text(r)  # kept as typed
    r = submit(leader, task, {"tier": "penalty", "report_note": "上报", "party_kind": "person",
                              "party_name": "王某", "party_code": CREDIT_CODE, "penalty_facts": "拉人头"})
    assert r.status_code == 422 and any("身份证号码" in e for e in errors_in(text(r)))
    r = submit(leader, task, {"tier": "penalty", "report_note": "上报", "party_kind": "organisation",
                              "party_name": "某某科技有限公司", "party_code": CREDIT_CODE, "penalty_facts": "拉人头"})
    assert r.status_code == 302
    with services.db.read() as s:
        row = s.scalars(sa.select(PenaltyCase)).one()
        penalty_ref = s.get(ProcessInstance, row.instance_id).reference
    clue = only_clue(services)
    market = login_as("wjs_market1")
    page = market.get(f"/online-clues/{clue.id}").get_data(as_text=True)
    assert f'href="/penalties/{row.instance_id}"' in page and penalty_ref in page
    # The procedure's page names its party as a company and leads back to the clue it came from.
    procedure = market.get(f"/penalties/{row.instance_id}")
    assert procedure.status_code == 200
    shown = text(procedure)
    assert "某某科技有限公司" in shown and CREDIT_CODE in shown and "<dt>当事人类型</dt><dd>单位</dd>" in shown
    assert clue.reference in shown and "网络传销线索" in shown
    back = market.get(f"/online-clues/instance/{clue.instance_id}")
    assert back.status_code == 302 and back.headers["Location"].endswith(f"/online-clues/{clue.id}")


def test_the_reinspection_link_leads_to_the_platforms_naming_for_who_may_see_it(login_as, services, lookup):
    _platform_id, naming_id = name_platform(services, lookup, CREDIT_CODE)
    inst = to_report_up(login_as, services)
    clue = only_clue(services)
    with services.db.read() as s:
        naming = s.get(Naming, naming_id)
        watch_ref = s.get(ProcessInstance, naming.watch_instance_id).reference
    # The district's namer sees the platform's record: the clue page links to it.
    namer_page = login_as("cw_namer").get(f"/online-clues/{clue.id}").get_data(as_text=True)
    assert f'href="/pyramid-free/{naming_id}"' in namer_page and watch_ref in namer_page
    assert login_as("cw_namer").get(f"/pyramid-free/{naming_id}").status_code == 200
    # A street officer sees the clue, not the district's record: the page names it without a link.
    street = login_as("wjs_market1")
    page = street.get(f"/online-clues/{clue.id}").get_data(as_text=True)
    assert watch_ref in page and f'href="/pyramid-free/{naming_id}"' not in page and "不在您的辖区内" in page
    assert street.get(f"/pyramid-free/{naming_id}").status_code in (403, 404)
    assert inst == clue.instance_id


def test_the_clue_page_offers_a_step_only_to_who_may_do_it(login_as, services):
    market = login_as("wjs_market1")
    market.post("/online-clues/new", data=form())
    clue = only_clue(services)
    task = ready_task(services, clue.instance_id, "monitor")
    assert f"/tasks/{task}" in text(market.get(f"/online-clues/{clue.id}"))
    police = text(login_as("wjs_police1").get(f"/online-clues/{clue.id}"))
    assert "线上监测" in police and f"/tasks/{task}" not in police
