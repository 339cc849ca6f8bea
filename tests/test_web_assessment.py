"""The assessment pages: a street's supervisor runs an assessment, reads its score sheet, opens the records behind a
deduction, an inspector enters a manual row with a photo, the supervisor overrides a computed row with a reason and
publishes (the page then is read-only; re-running makes version 2); XLSX and PDF carry the sheet; the ranking; and
another street's officer sees none of it."""
from __future__ import annotations

import io
import re
import subprocess
from decimal import Decimal

import sqlalchemy as sa
from openpyxl import load_workbook

from assessment_web_helpers import (JPEG, PERIOD, add_assessor, findings_by_rule, get_run, run_via_form,
                                    street_id)
from web_fixtures import app, client, login_as, text  # noqa: F401
from workflows.assessment.models import AssessmentEvidence, AssessmentRow
from workflows.assessment.rules import BY_ID, RULES, Method, second_levels
from workflows.vocabulary import AssessmentStatus


def _rows(services, run_id: int) -> dict[str, AssessmentRow]:
    with services.db.read() as s:
        return {r.rule_id: r for r in s.scalars(sa.select(AssessmentRow).where(AssessmentRow.run_id == run_id))}


def _room(services, run_id: int, methods: set, need: Decimal = Decimal("0.5")) -> str:
    """A rule of one of `methods` whose row lost nothing yet and whose second level can still lose `need`."""
    rows = _rows(services, run_id)
    lost: dict[str, Decimal] = {}
    for row in rows.values():
        key = BY_ID[row.rule_id].second_key
        lost[key] = lost.get(key, Decimal(0)) + row.deduction
    levels = second_levels()
    for rule in RULES:
        if rule.method in methods and rows[rule.id].deduction == 0 and rule.cap >= need \
                and levels[rule.second_key][1] - lost.get(rule.second_key, Decimal(0)) >= need:
            return rule.id
    raise AssertionError(f"no {methods} row with room left")


def _flat(value: str) -> str:
    return "".join(value.split())


def test_run_the_sheet_and_the_records_behind_a_deduction(services, login_as, monkeypatch):
    leader = login_as("wjs_leader")
    run_id = run_via_form(leader, services)
    run = get_run(services, run_id)
    assert run.status == AssessmentStatus.DRAFT and run.version == 1
    page = text(leader.get(f"/assessment/{run_id}"))
    for group in ("组织保障", "宣传教育", "清查打击", "投诉举报", "基础管控", "创建工作"):
        assert group in page
    assert run.number in page and "第 1 版" in page and "草稿" in page
    total = f"{run.total:.2f}".rstrip("0").rstrip(".")
    assert f"<strong>{total}</strong> 分" in page
    # Every rule is a row, in the Annex's order.
    positions = [page.index(f'id="row-{rule.id}"') for rule in RULES]
    assert positions == sorted(positions)
    # The settings and the seed are shown.
    assert "两次以上" in page and "警告是否计为行政处罚" in page and str(run.seed) in page
    # The rows with findings link to exactly their records.
    found = findings_by_rule(services, run_id)
    assert found, "the demo district has months without sweeps: some computed row must have findings"
    rule_id, items = next(iter(found.items()))
    assert f"/assessment/{run_id}/rows/{rule_id}" in page
    drill = text(leader.get(f"/assessment/{run_id}/rows/{rule_id}"))
    listed = re.findall(r'<td data-label="记录">(.*?)</td>', drill, re.S)
    assert len(listed) == len(items)
    for item, cell in zip(items, listed):
        assert item.label in cell.replace("&amp;", "&")
        if item.url:
            assert f'href="{item.url}"' in cell
    # A page at a time: every record once, over the pages, in the same order.
    from webapp.assessment import views
    monkeypatch.setattr(views, "FINDINGS_PAGE", 4)
    paged = []
    for n in range(1, -(-len(items) // 4) + 1):
        html = text(leader.get(f"/assessment/{run_id}/rows/{rule_id}?page={n}"))
        assert f"共 {len(items)} 条" in html
        paged += re.findall(r'<td data-label="记录">(.*?)</td>', html, re.S)
    assert paged == listed
    # The whole list as XLSX.
    book = load_workbook(io.BytesIO(leader.get(f"/assessment/{run_id}/rows/{rule_id}?export=xlsx").data)).active
    assert [r[1] for r in book.iter_rows(min_row=2, values_only=True)] == [f.label for f in items]
    # A row without findings lists none; an unknown rule is a 404.
    quiet = next(rule.id for rule in RULES if rule.id not in found)
    assert "本项没有扣分记录" in text(leader.get(f"/assessment/{run_id}/rows/{quiet}"))
    assert leader.get(f"/assessment/{run_id}/rows/9.9.9").status_code == 404
    # The list shows the run.
    assert run.number in text(leader.get("/assessment"))


def test_another_street_sees_nothing(services, login_as):
    run_id = run_via_form(login_as("wjs_leader"), services)
    rule_id = RULES[0].id
    other = login_as("jyh_market")
    for path in (f"/assessment/{run_id}", f"/assessment/{run_id}/rows/{rule_id}", f"/assessment/{run_id}.xlsx",
                 f"/assessment/{run_id}.pdf", f"/assessment/{run_id}/rows/{rule_id}?export=xlsx"):
        r = other.get(path)
        assert r.status_code == 403, path
        assert "考评" not in r.headers.get("Content-Disposition", "")
    assert get_run(services, run_id).number not in text(other.get("/assessment"))
    assert other.get("/assessment/999999").status_code == 404
    assert other.get(f"/assessment/{run_id}/publish").status_code == 405
    r = other.post(f"/assessment/{run_id}/publish")
    assert r.status_code == 403 and get_run(services, run_id).status == AssessmentStatus.DRAFT
    # The district office sees it.
    assert login_as("dubanban").get(f"/assessment/{run_id}").status_code == 200


def test_run_form_errors_keep_what_was_typed(services, login_as):
    leader = login_as("wjs_leader")
    r = leader.post("/assessment/run", data={"area_id": street_id(services, "吴家山街"), "start": "2026-11-01",
                                             "end": "2026-01-31"})
    assert r.status_code == 422 and "结束日期不能早于开始日期" in text(r)
    assert 'value="2026-11-01"' in text(r) and 'value="2026-01-31"' in text(r)
    r = leader.post("/assessment/run", data={"area_id": street_id(services, "吴家山街"), "start": "", "end": "x"})
    assert r.status_code == 422 and "请填写考评期间的开始日期" in text(r)
    # Another street is not offered (and not accepted).
    r = leader.post("/assessment/run", data={"area_id": street_id(services, "金银湖街"), **PERIOD})
    assert r.status_code == 422 and "金银湖街" not in re.sub(r"<option.*?</option>", "", text(r))
    # An officer without the right gets the page without the form, and a refusal for a post.
    grid = login_as("wjs_market1")
    assert "开展考评" not in text(grid.get("/assessment"))


def test_manual_entry_with_a_photo_and_an_override_with_a_reason(app, services, login_as):
    leader = login_as("wjs_leader")
    run_id = run_via_form(leader, services)
    assessor = login_as(add_assessor(services))
    manual_id = _room(services, run_id, {Method.MANUAL, Method.BOTH})
    url = f"/assessment/{run_id}/rows/{manual_id}/manual"
    form = text(assessor.get(url))
    assert BY_ID[manual_id].scoring[:10] in form
    # Bad input: not a number, then over the row's cap; the note is kept each time.
    r = assessor.post(url, data={"deduction": "半分", "note": "查阅台账，缺宣传记录"})
    assert r.status_code == 422 and "查阅台账，缺宣传记录" in text(r) and 'class="error"' in text(r)
    for odd in ("sNaN", "Infinity"):
        r = assessor.post(url, data={"deduction": odd, "note": "查阅台账，缺宣传记录"})
        assert r.status_code == 422 and "扣分须为数字" in text(r) and "查阅台账，缺宣传记录" in text(r)
    over = BY_ID[manual_id].cap + 1
    r = assessor.post(url, data={"deduction": str(over), "note": "查阅台账，缺宣传记录"})
    assert r.status_code == 422 and f"最多扣 {BY_ID[manual_id].cap} 分" in text(r)
    assert "查阅台账，缺宣传记录" in text(r)
    r = assessor.post(url, data={"deduction": "0.5", "note": ""})
    assert r.status_code == 422 and "请说明检查情况" in text(r) and 'value="0.5"' in text(r)
    r = assessor.post(url, data={"deduction": "0.5", "note": "暗访两个小区，未见宣传栏",
                                 "file": (io.BytesIO(b"MZ\x90\x00"), "宣传栏.jpg")}, content_type="multipart/form-data")
    assert r.status_code == 422 and "文件内容与扩展名不符" in text(r) and "请重新选择佐证材料" in text(r)
    assert "暗访两个小区，未见宣传栏" in text(r) and _rows(services, run_id)[manual_id].manual_deduction is None
    # The evidence files' size limit applies (here set low).
    app.config["UPLOAD_MAX_FILE_BYTES"] = 1024 * 1024
    big = JPEG + b"\x00" * (1024 * 1024)
    r = assessor.post(url, data={"deduction": "0.5", "note": "暗访两个小区，未见宣传栏",
                                 "file": (io.BytesIO(big), "宣传栏.jpg")}, content_type="multipart/form-data")
    assert r.status_code == 422 and "单个文件不能超过 1 MB" in text(r)
    app.config["UPLOAD_MAX_FILE_BYTES"] = 10 * 1024 * 1024
    r = assessor.post(url, data={"deduction": "0.5", "note": "暗访两个小区，未见宣传栏",
                                 "file": (io.BytesIO(JPEG), "宣传栏.jpg")}, content_type="multipart/form-data")
    assert r.status_code == 302
    before = get_run(services, run_id).total
    row = _rows(services, run_id)[manual_id]
    assert row.manual_deduction == Decimal("0.5") and row.deduction == Decimal("0.5")
    page = text(leader.get(f"/assessment/{run_id}"))
    assert "暗访两个小区，未见宣传栏" in page and "宣传栏.jpg" in page
    with services.db.read() as s:
        evidence = s.scalar(sa.select(AssessmentEvidence).where(AssessmentEvidence.run_id == run_id))
    photo = leader.get(f"/assessment/{run_id}/evidence/{evidence.id}")
    assert photo.status_code == 200 and photo.data == JPEG
    assert login_as("jyh_market").get(f"/assessment/{run_id}/evidence/{evidence.id}").status_code == 403

    # An override: the inspector may not; the supervisor must give a reason.
    computed_id = _room(services, run_id, {Method.COMPUTED}, Decimal(1))
    url = f"/assessment/{run_id}/rows/{computed_id}/override"
    r = assessor.post(url, data={"deduction": "1", "reason": "台账另有记录"})
    assert r.status_code == 403 and _rows(services, run_id)[computed_id].override_deduction is None
    r = leader.post(url, data={"deduction": "1", "reason": ""})
    assert r.status_code == 422 and "请填写核定理由" in text(r) and 'value="1"' in text(r)
    r = leader.post(url, data={"deduction": "1", "reason": "暗访发现两处未登记的涉传出租屋"})
    assert r.status_code == 302
    after = get_run(services, run_id)
    assert after.total == before - Decimal(1)
    page = text(leader.get(f"/assessment/{run_id}"))
    assert "核定理由：暗访发现两处未登记的涉传出租屋" in page and "吴家山街分管领导（督办）" in page
    # The printed report carries both, with who entered them.
    pdf = leader.get(f"/assessment/{run_id}.pdf").data
    printed = _flat(subprocess.run(["pdftotext", "-", "-"], input=pdf, check=True, capture_output=True).stdout.decode())
    assert "录入说明：暗访两个小区，未见宣传栏（考评人员（吴家山街））" in printed and "宣传栏.jpg" in printed
    assert "核定理由：暗访发现两处未登记的涉传出租屋（吴家山街分管领导（督办））" in printed
    # A manual row offers no override form; a computed row no manual form.
    assert leader.get(f"/assessment/{run_id}/rows/{computed_id}/manual").status_code == 404


def test_publish_freezes_the_page_and_re_running_makes_a_new_version(services, login_as):
    leader = login_as("wjs_leader")
    run_id = run_via_form(leader, services)
    manual_id = _room(services, run_id, {Method.MANUAL, Method.BOTH})
    assert f"/rows/{manual_id}/manual" in text(leader.get(f"/assessment/{run_id}"))
    r = leader.post(f"/assessment/{run_id}/publish")
    assert r.status_code == 302
    run = get_run(services, run_id)
    assert run.status == AssessmentStatus.PUBLISHED
    page = text(leader.get(f"/assessment/{run_id}"))
    assert "已发布" in page and "已定稿" in page
    assert "/manual" not in page and "/override" not in page and f"/assessment/{run_id}/publish" not in page
    r = leader.post(f"/assessment/{run_id}/rows/{manual_id}/manual", data={"deduction": "1", "note": "补录"})
    assert r.status_code == 302
    assert "已发布定稿" in text(leader.get(r.headers["Location"]))
    assert _rows(services, run_id)[manual_id].manual_deduction is None and get_run(services, run_id).total == run.total
    r = leader.post(f"/assessment/{run_id}/rerun")
    assert r.status_code == 302
    new_id = int(r.headers["Location"].rsplit("/", 1)[1])
    new = get_run(services, new_id)
    assert new.version == 2 and new.status == AssessmentStatus.DRAFT and new.supersedes_id == run_id
    page = text(leader.get(f"/assessment/{new_id}"))
    assert "第 2 版" in page and f"/assessment/{run_id}" in page


def test_xlsx_and_pdf_carry_the_sheet(services, login_as, tmp_path):
    leader = login_as("wjs_leader")
    run_id = run_via_form(leader, services)
    # What an officer types never becomes a formula in the workbook.
    computed_id = _room(services, run_id, {Method.COMPUTED}, Decimal(1))
    formula = '=HYPERLINK("http://evil.example","点我")'
    assert leader.post(f"/assessment/{run_id}/rows/{computed_id}/override",
                       data={"deduction": "1", "reason": formula}).status_code == 302
    run = get_run(services, run_id)
    r = leader.get(f"/assessment/{run_id}.xlsx")
    assert r.status_code == 200 and r.headers["Cache-Control"].startswith("private")
    sheet = load_workbook(io.BytesIO(r.data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:2] == ["序号", "一级指标"]
    assert [v[0] for v in values[1:len(RULES) + 1]] == [rule.id for rule in RULES]
    by_label = {v[1]: v[2] for v in values if v[0] is None and v[1]}
    assert Decimal(str(by_label["总得分"])) == run.total and by_label["编号"] == run.number
    rows = _rows(services, run_id)
    for v in values[1:len(RULES) + 1]:
        assert Decimal(str(v[13])) == rows[v[0]].deduction
    reason = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == computed_id)[12]
    assert reason.value == formula and reason.data_type == "s" and reason.quotePrefix
    r = leader.get(f"/assessment/{run_id}.pdf")
    assert r.status_code == 200 and r.data.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(r.data)
    printed = _flat(subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                                   text=True).stdout)
    total = f"{run.total:.2f}".rstrip("0").rstrip(".")
    assert f"总得分：{total}分" in printed and _flat(run.number) in printed
    assert "吴家山街打击传销工作检查考评计分表" in printed and "草稿" in printed


def test_ranking_orders_the_streets_each_sees_its_own(services, login_as):
    office = login_as("dubanban")
    wjs = run_via_form(office, services, "吴家山街")
    jyh = run_via_form(office, services, "金银湖街")
    page = text(office.get(f"/assessment/ranking?start={PERIOD['start']}&end={PERIOD['end']}"))
    totals = {name: get_run(services, run_id).total for name, run_id in (("吴家山街", wjs), ("金银湖街", jyh))}
    first = max(totals, key=lambda k: (totals[k], k == "吴家山街"))
    assert page.index("吴家山街") > 0 and page.index("金银湖街") > 0
    if totals["吴家山街"] != totals["金银湖街"]:
        second = "金银湖街" if first == "吴家山街" else "吴家山街"
        assert page.index(first) < page.index(second)
    assert ">未考评<" in page and "长青街" in page
    own = text(login_as("wjs_leader").get(f"/assessment/ranking?start={PERIOD['start']}&end={PERIOD['end']}"))
    assert "吴家山街" in own and "金银湖街" not in own
    bad = login_as("wjs_leader").get("/assessment/ranking?start=2026-13-01")
    assert bad.status_code == 200 and "日期格式有误" in text(bad)


def test_no_input_gives_a_server_error_on_the_assessment_pages(app, services, login_as):
    """As the whole-app fuzz test, but as a supervisor with a draft run, so the posts reach the service."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from test_security_fuzz import COMMON_FIELDS, build, nasty_text, path_int

    leader = login_as("wjs_leader")
    run_id = run_via_form(leader, services)
    manual_id = next(rule.id for rule in RULES if rule.method != Method.COMPUTED)
    failures = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] != "assessment":
            continue
        for method in sorted(rule.methods & {"GET", "POST"}):
            args = {name: (st.one_of(st.just(run_id), path_int) if type(conv).__name__ == "IdConverter"
                           else st.one_of(st.just(manual_id), nasty_text.filter(lambda t: "/" not in t and t)))
                    for name, conv in rule._converters.items()}
            names = ["area_id", "start", "end", "deduction", "note", "reason", "street", "year"] + COMMON_FIELDS

            @given(path=st.fixed_dictionaries(args), fields=st.dictionaries(st.sampled_from(names), nasty_text,
                                                                             max_size=6))
            @settings(max_examples=4, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            def check(path, fields):
                url = build(rule, path)
                try:
                    r = leader.get(url, query_string=fields) if method == "GET" else leader.post(url, data=fields)
                except Exception as exc:  # the test app lets errors through instead of answering 500
                    failures.append(f"{method} {url[:80]!r} {str(fields)[:200]}: {type(exc).__name__}: {exc}")
                    return
                if r.status_code >= 500:
                    failures.append(f"{method} {url[:80]!r} {str(fields)[:200]}: {r.status_code}")

            check()
    assert failures == [], "\n".join(failures[:20])


def test_all_streets_go_through_the_worker_with_progress(services, login_as):
    from webapp import jobs
    from workflows.org.demo import STREETS

    office = login_as("dubanban")
    form = text(office.get("/assessment"))
    assert "全部街道" in form
    r = office.post("/assessment/run", data={"area_id": "0", **PERIOD})
    assert r.status_code == 302 and "/assessment/jobs/" in r.headers["Location"]
    progress = text(office.get(r.headers["Location"]))
    assert "排队中" in progress and 'http-equiv="refresh"' in progress
    # Only the officer who queued it follows it.
    assert login_as("wjs_leader").get(r.headers["Location"]).status_code == 404
    jobs.worker(services).run_until_idle()
    done = text(office.get(r.headers["Location"]))
    assert "已完成" in done and f"已完成 {len(STREETS)} / {len(STREETS)}" in done and 'http-equiv' not in done
    ranking = text(office.get(f"/assessment/ranking?start={PERIOD['start']}&end={PERIOD['end']}"))
    assert ">未考评<" not in ranking and all(street in ranking for street in STREETS)
    listed = text(office.get("/assessment?year=2026"))
    assert listed.count("第 1 版") == len(STREETS)
    # A street's supervisor cannot queue the district.
    leader = login_as("wjs_leader")
    assert "全部街道" not in text(leader.get("/assessment"))


def test_the_district_wide_administrator_picks_the_district(services, login_as):
    from webapp import jobs
    from workflows.assessment.models import AssessmentRun
    from workflows.org.areas import add_area

    from workflows.org.models import User

    with services.db.unit_of_work() as s:
        other = add_area(s, "江岸区", "district")
        add_area(s, "大智街", "street", other)
        other_id = other.id
        # The district-wide administrator: the admin role and no area.
        s.scalar(sa.select(User).where(User.username == "admin")).area_id = None
    admin = login_as("admin")
    form = text(admin.get("/assessment"))
    assert "东西湖区 全部街道" in form and "江岸区 全部街道" in form
    r = admin.post("/assessment/run", data={"area_id": str(-other_id), **PERIOD})
    assert r.status_code == 302
    jobs.worker(services).run_until_idle()
    with services.db.read() as s:
        assessed = set(s.scalars(sa.select(AssessmentRun.area_path)))
    assert len(assessed) == 1 and next(iter(assessed)).startswith(f"/{other_id}/")
    page = text(admin.get(f"/assessment/ranking?district={other_id}&start={PERIOD['start']}&end={PERIOD['end']}"))
    assert "江岸区街道考评排名" in page and "大智街" in page and "吴家山街" not in page
    # Everybody else keeps their own district, whatever they ask for.
    own = text(login_as("dubanban").get(f"/assessment/ranking?district={other_id}"))
    assert "东西湖区街道考评排名" in own and "大智街" not in own


def test_every_assessment_form_needs_its_csrf_token(services, login_as, tmp_path):
    from webapp import create_app
    from web_fixtures import PASSWORD

    run_id = run_via_form(login_as("wjs_leader"), services)
    guarded = create_app({"SERVICES": services, "TESTING": True, "SECRET_KEY": "test",
                          "UPLOAD_FOLDER": str(tmp_path / "uploads")}).test_client()

    def token(path: str) -> str:
        tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', text(guarded.get(path))).group(0)
        return re.search(r'value="([^"]+)"', tag).group(1)

    r = guarded.post("/login", data={"username": "wjs_leader", "password": PASSWORD, "csrf_token": token("/login")})
    assert r.status_code == 302
    manual_id = next(rule.id for rule in RULES if rule.method == Method.MANUAL)
    computed_id = next(rule.id for rule in RULES if rule.method == Method.COMPUTED)
    for path, data in ((f"/assessment/{run_id}/publish", {}), (f"/assessment/{run_id}/rerun", {}),
                       ("/assessment/run", {"area_id": street_id(services, "吴家山街"), **PERIOD}),
                       (f"/assessment/{run_id}/rows/{manual_id}/manual", {"deduction": "0.5", "note": "说明"}),
                       (f"/assessment/{run_id}/rows/{computed_id}/override", {"deduction": "1", "reason": "理由"})):
        r = guarded.post(path, data=data)
        assert r.status_code == 400 and "CSRF" in text(r), path
    assert get_run(services, run_id).status == AssessmentStatus.DRAFT
    r = guarded.post(f"/assessment/{run_id}/publish", data={"csrf_token": token(f"/assessment/{run_id}")})
    assert r.status_code == 302 and get_run(services, run_id).status == AssessmentStatus.PUBLISHED
