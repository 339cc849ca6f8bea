"""创无 pages: a community applies, the street, namer and inspectors act through their task forms (with a photo),
the certificate prints, the lists, coverage and register export to XLSX, and nobody sees another area's records."""
import io

import sqlalchemy as sa
from openpyxl import load_workbook

from web_fixtures import app, client, errors_in, login_as, ready_task, submit, text, user_id  # noqa: F401
from workflows.pyramid_free.models import Naming

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
SELF = {"score_hotline": "10", "score_ledger": "5", "score_publicity_board": "5", "score_screening": "5"}


def _community_id(services) -> int:
    from workflows.org.models import Area
    with services.db.read() as s:
        return s.scalar(sa.select(Area.id).where(Area.full_name == "吴家山街第一社区"))


def _naming(services) -> Naming:
    with services.db.read() as s:
        return s.scalar(sa.select(Naming).order_by(Naming.id.desc()).limit(1))


def test_apply_inspect_name_and_print_the_certificate(services, login_as):
    community = login_as("cw_community")
    bad = community.post("/pyramid-free/apply", data={"community_id": _community_id(services), "year": "2026",
                                                      **SELF, "score_hotline": "99"})
    assert bad.status_code == 422 and "0 至 10 分之间" in text(bad) and 'value="5"' in text(bad)
    r = community.post("/pyramid-free/apply", data={"community_id": _community_id(services), "year": "2026", **SELF})
    assert r.status_code == 302, errors_in(text(r))
    inst = _naming(services).instance_id
    r = submit(login_as("cw_street"), ready_task(services, inst, "street_forward"), {"forwarded": "yes", "opinion": "同意"})
    assert r.status_code == 302
    r = submit(login_as("cw_namer"), ready_task(services, inst, "namer_review"), {"accepted": "yes", "reasons": ""})
    assert r.status_code == 302
    inspector = login_as("cw_police")
    task = ready_task(services, inst, "acceptance")
    page = text(inspector.get(f"/tasks/{task}"))
    assert "公布举报电话" in page and "唐志刚" in page
    rows = {f"items-{n}-code": code for n, code in enumerate(["hotline", "ledger", "publicity_board", "screening"])}
    scores = {f"items-{n}-score": s for n, s in enumerate(["10", "5", "5", "5"])}
    data = {"inspector_ids": [str(user_id(services, "cw_police")), str(user_id(services, "cw_market"))],
            **rows, **scores, "findings": "现场检查，入户走访10户"}
    r = submit(inspector, task, data, {"files": (io.BytesIO(JPEG), "宣传栏.jpg")})
    assert r.status_code == 302, errors_in(text(r))
    r = submit(login_as("cw_namer"), ready_task(services, inst, "naming"), {"naming_note": "同意命名"})
    assert r.status_code == 302
    naming = _naming(services)
    namer = login_as("cw_namer")
    page = text(namer.get(f"/pyramid-free/{naming.id}"))
    assert "已命名" in page and "查看并打印命名证书" in page and "按种子重新抽取结果一致" in page
    assert "所依据的记录" in page and "无数据" in page
    pdf = namer.get(f"/notices/{naming.certificate_notice_id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    # The named list exports per street; coverage shows the street at 50%.
    book = load_workbook(io.BytesIO(namer.get("/pyramid-free?status=named&export=xlsx").data))
    assert [c.value for c in book.active[2]][2] == "吴家山街第一社区"
    cover = text(namer.get("/pyramid-free/coverage?year=2026"))
    assert "50.0%" in cover
    assert community.get(f"/pyramid-free/{naming.id}").status_code == 200
    assert login_as("jyh_market").get(f"/pyramid-free/{naming.id}").status_code == 403


def test_the_platform_register_refuses_a_bad_credit_code_and_keeps_the_form(login_as):
    namer = login_as("cw_namer")
    r = namer.post("/pyramid-free/platforms", data={"name": "某某直播", "operator": "某某公司",
                                                   "credit_code": "91110000600037341X", "platform_type": "live"})
    assert r.status_code == 422 and "统一社会信用代码无效" in text(r) and 'value="某某直播"' in text(r)
    r = namer.post("/pyramid-free/platforms", data={"name": "某某直播", "operator": "某某公司",
                                                   "credit_code": "91110000600037341L", "platform_type": "live"})
    assert r.status_code == 302
    book = load_workbook(io.BytesIO(namer.get("/pyramid-free/platforms?export=xlsx").data))
    assert [c.value for c in book.active[2]][1:4] == ["某某直播", "某某公司", "91110000600037341L"]
    assert login_as("wjs_grid").post("/pyramid-free/platforms", data={
        "name": "x", "operator": "y", "credit_code": "91110000600037341L", "platform_type": "live"}).status_code == 403


def test_redrawing_the_households_shows_the_new_ones_on_the_inspection_form(services, login_as):
    from workflows.pyramid_free.models import LotDraw
    from engine_helpers import Lookup
    from pf_helpers import Creation
    cw = Creation(services, Lookup(services))
    naming_id = cw.apply()
    inst = cw.to_acceptance(naming_id)
    namer = login_as("cw_namer")
    assert namer.post(f"/pyramid-free/{naming_id}/redraw").status_code == 302
    with services.db.read() as s:
        first, second = s.scalars(sa.select(LotDraw).order_by(LotDraw.id)).all()
    assert first.seed != second.seed
    page = text(login_as("cw_police").get(f"/tasks/{ready_task(services, inst, 'acceptance')}"))
    with services.db.read() as s:
        from workflows.org.models import Area
        name = s.get(Area, second.picked[0]).full_name
    assert "本次随机抽签入户走访的住户" in page and name in page
    page = text(namer.get(f"/pyramid-free/{naming_id}"))
    assert second.seed in page and first.seed in page
    # Someone without the namer's or inspectors' role may not draw again.
    assert login_as("wjs_grid").post(f"/pyramid-free/{naming_id}/redraw", follow_redirects=True).status_code in (200, 403)
    with services.db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(LotDraw)) == 2


def test_the_revocation_notice_prints(services, login_as):
    import subprocess
    from engine_helpers import Lookup
    from pf_helpers import FULL, Creation
    from workflows.pyramid_free import watching
    cw = Creation(services, Lookup(services))
    naming_id = cw.named()
    with services.db.unit_of_work() as s:
        watch = watching.open_reinspection(services.workflow.context(s, None), subject="community",
                                           subject_id=cw.lookup.area("吴家山街第一社区"), reason="群体性事件")
    cw.do(watch, "reinspect", cw.inspection(FULL, serious_problems=["mass_incident"]), "cw_police")
    cw.do(watch, "decide_revocation", {"revoke": True, "reason": "因传销引发群体性事件"}, "cw_namer")
    naming = cw.naming(naming_id)
    namer = login_as("cw_namer")
    assert "因传销引发群体性事件" in text(namer.get(f"/pyramid-free/{naming_id}"))
    pdf = namer.get(f"/notices/{naming.revocation_notice_id}.pdf")
    assert pdf.status_code == 200
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf.data, capture_output=True, check=True).stdout.decode()
    flat = "".join(out.split())
    assert "取消“无传销”命名通知书" in flat and "因传销引发群体性事件" in flat and "谁命名，谁负责" in flat


def test_a_platform_page_records_reports_and_files_an_application(services, login_as):
    from workflows.pyramid_free import platforms
    platform_id = platforms.save_platform(services, user_id(services, "cw_namer"), name="某某直播",
                                          operator="某某公司", credit_code="91110000600037341L", platform_type="live")
    namer = login_as("cw_namer")
    bad = namer.post(f"/pyramid-free/platforms/{platform_id}", data={"period": "2026年三季度",
                                                                    "reported_on": "2026-10-08"})
    assert bad.status_code == 422 and "报送期间格式应为 2026Q4" in text(bad)
    r = namer.post(f"/pyramid-free/platforms/{platform_id}", data={
        "period": "2026q3", "reported_on": "2026-10-08", "items_removed": "12", "assistance_requests": "2",
        "assistance_hours": "6"})
    assert r.status_code == 302
    r = namer.post(f"/pyramid-free/platforms/{platform_id}/apply", data={"year": "2026"})
    assert r.status_code == 302 and "/pyramid-free/" in r.headers["Location"]
    page = text(namer.get(f"/pyramid-free/platforms/{platform_id}"))
    assert "2026Q3" in page and "2026 年申报" in page and "申报中" in page
    book = load_workbook(io.BytesIO(namer.get(f"/pyramid-free/platforms/{platform_id}?export=xlsx").data))
    assert [c.value for c in book.active[2]][:3] == ["2026Q3", "2026-10-08", 12]
    assert login_as("wjs_market1").get(f"/pyramid-free/platforms/{platform_id}").status_code == 403


def test_the_list_searches_by_name_and_a_platform_entry_is_edited(services, login_as):
    from engine_helpers import Lookup
    from pf_helpers import Creation
    from workflows.pyramid_free import platforms
    Creation(services, Lookup(services)).apply()
    namer = login_as("cw_namer")
    assert "吴家山街第一社区" in text(namer.get("/pyramid-free?q=第一社区"))
    assert "吴家山街第一社区" not in text(namer.get("/pyramid-free?q=第二社区"))
    platform_id = platforms.save_platform(services, user_id(services, "cw_namer"), name="某某直播",
                                          operator="某某公司", credit_code="91110000600037341L", platform_type="live")
    form = text(namer.get(f"/pyramid-free/platforms/{platform_id}/edit"))
    assert 'value="某某直播"' in form
    data = {"name": "某某直播（新）", "operator": "某某公司", "credit_code": "91110000600037341L",
            "platform_type": "live", "liaison_name": "刘洋", "liaison_phone": "13800001111"}
    bad = namer.post(f"/pyramid-free/platforms/{platform_id}/edit", data={**data, "credit_code": "123"})
    assert bad.status_code == 422 and "统一社会信用代码无效" in text(bad) and "某某直播（新）" in text(bad)
    assert namer.post(f"/pyramid-free/platforms/{platform_id}/edit", data=data).status_code == 302
    assert "某某直播（新）" in text(namer.get(f"/pyramid-free/platforms/{platform_id}"))


def test_the_namer_sees_the_self_assessment_and_the_street_opinion(services, login_as):
    from engine_helpers import Lookup
    from pf_helpers import Creation
    cw = Creation(services, Lookup(services))
    naming_id = cw.apply()
    inst = cw.naming(naming_id).instance_id
    cw.do(inst, "street_forward", {"forwarded": True, "opinion": "材料齐全"}, "cw_street")
    page = text(login_as("cw_namer").get(f"/tasks/{ready_task(services, inst, 'namer_review')}"))
    assert "自评得分 100.0 分" in page and "街道意见：材料齐全" in page
