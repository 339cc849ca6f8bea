"""Every validation message of every task form, as an officer sees it after submitting; nothing typed is lost."""
from __future__ import annotations

import io

import pytest

from web_fixtures import (ID_A, ID_B, ID_C, STEP_DATA, STEP_USER, app, client,  # noqa: F401  (fixtures)
                          complete_step, errors_in, login_as, make_id, ready_names, ready_task, start_case,
                          submit, text)

# The test clock stands at 2026-11-23 17:00 Beijing time.
TOMORROW = "2026-11-24"

THREE_PERSONS = {**STEP_DATA["entry"], "persons-2-name": "王五", "persons-2-id_number": ID_C}
ALL_BRANCHES = {"persons-0-classification": "participant", "persons-1-classification": "core",
                "persons-2-classification": "crime", "house_is_rental": "yes", "house_prior_catches": "1",
                "landlord_official": "yes", "landlord_name": "王房东"}


def walk_to(services, login_as, step: str) -> int:
    """A fresh case whose `step` is ready (comparison chosen so that every branch but rectify_house opens)."""
    case_id = start_case(login_as("wjs_grid"))
    order = ["sweep", "entry", "initial_check", "evidence", "comparison"]
    for name in order:
        if step in ready_names(services, case_id):
            return case_id
        data = THREE_PERSONS if name == "entry" else STEP_DATA[name]
        if name == "comparison":
            data = dict(STEP_DATA["comparison"], **ALL_BRANCHES)
            if step == "rectify_house":
                data.update(house_prior_catches="0", landlord_official="no")
        complete_step(services, login_as, case_id, name, data)
    if step == "close_case":
        for name in sorted(ready_names(services, case_id)):
            complete_step(services, login_as, case_id, name)
    assert step in ready_names(services, case_id)
    return case_id


def rejected(services, login_as, case_id, step, data, files=None):
    c = login_as(STEP_USER.get(step, "wjs_market1"))
    r = submit(c, ready_task(services, case_id, step), data, files)
    assert r.status_code == 422, f"{step} accepted {data}"
    assert step in ready_names(services, case_id)  # still open: nothing was completed
    page = text(r)
    assert "提交的内容有误" in page
    return page


CASES = {
    "sweep": [
        ({}, ["请填写摸排日期。", "请选择房屋类别。", "请选择是否可疑。"]),
        ({**STEP_DATA["sweep"], "swept_on": TOMORROW}, ["摸排日期不能晚于今天。"]),
        ({**STEP_DATA["sweep"], "note": ""}, ["认定可疑时请写明情况说明。"]),
        ({**STEP_DATA["sweep"], "occupants": "500"}, ["居住人数应在 0–200 之间。"]),
        ({**STEP_DATA["sweep"], "house_type": "palace"}, ["不是有效的选择。"]),
    ],
    "entry": [
        ({**STEP_DATA["entry"], "officers-1-name": "", "officers-1-badge": ""},
         ["入户须有 2 名以上执法人员（《禁止传销条例》第十五条）。"]),
        ({**STEP_DATA["entry"], "officers-1-badge": ""}, ["请填写执法证号或警号。"]),
        ({**STEP_DATA["entry"], "officers-1-badge": "420001"}, ["同一执法证号/警号填写了两次。"]),
        ({**STEP_DATA["entry"], "entered_at": TOMORROW + "T08:00"}, ["入户时间不能晚于当前时间。"]),
        ({**STEP_DATA["entry"], "entered_at": ""}, ["请填写入户时间。"]),
        ({**STEP_DATA["entry"], "door_opened": ""}, ["请选择是否开门。"]),
        ({**STEP_DATA["entry"], "persons-0-name": "", "persons-0-id_number": "", "persons-0-phone": "",
          "persons-0-bank_card": "", "persons-1-name": "", "persons-1-id_number": ""},
         ["开门入户的，请至少登记 1 名在场人员。"]),
        ({**STEP_DATA["entry"], "persons-0-id_number": ""}, ["请填写身份证号码。"]),
        ({**STEP_DATA["entry"], "persons-0-name": ""}, ["请填写姓名。"]),
        ({**STEP_DATA["entry"], "persons-0-id_number": "42010619900101"}, ["身份证号码应为 18 位。"]),
        ({**STEP_DATA["entry"], "persons-0-id_number": "42010619900101123A"},
         ["身份证号码前 17 位应为数字，最后一位为数字或 X。"]),
        ({**STEP_DATA["entry"], "persons-0-id_number": ID_A[:-1] + ("0" if ID_A[-1] != "0" else "1")},
         ["身份证号码校验位不正确，请逐位核对。"]),
        ({**STEP_DATA["entry"], "persons-0-id_number": make_id("420106", "19900230")},
         ["身份证号码中的出生日期不存在。"]),
        ({**STEP_DATA["entry"], "persons-0-id_number": make_id("420106", "20300101")},
         ["身份证号码中的出生日期晚于今天。"]),
        ({**STEP_DATA["entry"], "persons-0-id_number": make_id("990000", "19900101")},
         ["身份证号码前 6 位不是有效的行政区划代码。"]),
        ({**STEP_DATA["entry"], "persons-1-id_number": ID_A}, ["同一身份证号码填写了两次。"]),
        ({**STEP_DATA["entry"], "persons-0-phone": "2345678"},
         ["电话号码格式不正确：手机号为 1 开头的 11 位数字，固话如 027-83891234，集团短号为 3–6 位数字。"]),
        ({**STEP_DATA["entry"], "persons-0-bank_card": "6222-abc"}, ["银行卡号应为 12–19 位数字。"]),
    ],
    "watch_house": [
        ({"watched_on": "2026-11-23", "note": ""}, ["请填写蹲守复查情况。"]),
        ({"watched_on": TOMORROW, "note": "x"}, ["复查日期不能晚于今天。"]),
    ],
    "initial_check": [
        ({**STEP_DATA["initial_check"], "mlm_indicators": []},
         ["认定发现传销的，请至少勾选一项传销特征（《禁止传销条例》第七条）。"]),
        ({**STEP_DATA["initial_check"], "findings": ""}, ["请填写初查情况。"]),
        ({**STEP_DATA["initial_check"], "mlm_found": ""}, ["请选择是否发现传销活动。"]),
    ],
    "evidence": [
        ({**STEP_DATA["evidence"], "evidence_summary": ""}, ["请填写证据摘要。"]),
        ({**STEP_DATA["evidence"], "seized_items": "电脑 2 台"},
         ["有查封、扣押物品的，须经事先书面批准（《禁止传销条例》第十四条）。"]),
        ({**STEP_DATA["evidence"], "collected_on": TOMORROW}, ["取证日期不能晚于今天。"]),
    ],
    "comparison": [
        ({**STEP_DATA["comparison"], **ALL_BRANCHES, "persons-1-classification": ""}, ["请为该人员选择分类。"]),
        ({**STEP_DATA["comparison"], **ALL_BRANCHES, "house_prior_catches": ""},
         ["请填写该房屋此前涉传次数（没有填 0）。"]),
        ({**STEP_DATA["comparison"], **ALL_BRANCHES, "house_prior_catches": "-1"}, ["次数应在 0–99 之间。"]),
        ({**STEP_DATA["comparison"], **ALL_BRANCHES, "landlord_official": ""},
         ["请选择房东是否为党员或公职人员。"]),
    ],
    "handle_participants": [
        ({**STEP_DATA["handle_participants"], "measures": []}, ["请至少选择一项处置措施。"]),
        ({**STEP_DATA["handle_participants"], "result": ""}, ["请填写处置结果。"]),
    ],
    "penalty_core": [
        ({**STEP_DATA["penalty_core"], "parties-0-role": ""}, ["请为该骨干成员选择违法行为类别。"]),
    ],
    "transfer_police": [
        ({**STEP_DATA["transfer_police"], "decided_on": "2026-11-23", "transferred_on": "2026-11-20"},
         ["移送日期不能早于决定移送日期。"]),
        ({**STEP_DATA["transfer_police"], "receiving_unit": ""}, ["请填写接收机关。"]),
    ],
    "penalty_landlord": [
        ({**STEP_DATA["penalty_landlord"], "landlord_id_number": ""}, ["请填写房东身份证号码。"]),
    ],
    "transfer_discipline": [
        ({**STEP_DATA["transfer_discipline"], "transferred_on": ""}, ["请填写移送日期。"]),
    ],
    "rectify_house": [
        ({**STEP_DATA["rectify_house"], "measures": ["seizure"]},
         ["请选择责令改正或责令停止为传销提供房屋（至少一项）。"]),
    ],
    "close_case": [
        ({**STEP_DATA["close_case"], "summary": "已结案"}, ["结案报告至少写 10 个字。"]),
        ({k: v for k, v in STEP_DATA["close_case"].items() if k != "blacklist_confirmed"},
         ["结案前须确认涉案人员已录入黑名单。"]),
    ],
}


@pytest.mark.parametrize("step", list(CASES))
def test_each_message_is_shown_and_the_input_kept(services, login_as, step):
    if step == "watch_house":
        case_id = start_case(login_as("wjs_grid"))
        complete_step(services, login_as, case_id, "sweep")
        complete_step(services, login_as, case_id, "entry", {**STEP_DATA["entry"], "door_opened": "no"})
    else:
        case_id = walk_to(services, login_as, step)
    for data, messages in CASES[step]:
        page = rejected(services, login_as, case_id, step, data)
        shown = errors_in(page)
        for message in messages:
            assert any(message in e for e in shown), f"{step}: {message!r} not in {shown}"
        # What was typed comes back (free text and ID numbers are the painful ones to retype).
        for key, value in data.items():
            if isinstance(value, str) and len(value) > 3 and key.endswith(("name", "id_number", "note", "summary")):
                assert value in page, f"{step}: {key}={value!r} was not kept"


def test_the_entry_form_keeps_every_row_typed(services, login_as):
    case_id = walk_to(services, login_as, "entry")
    data = {**THREE_PERSONS, "persons-2-id_number": "123"}
    page = rejected(services, login_as, case_id, "entry", data)
    for value in ("王建国", "李卫东", "张三", ID_A, "李四", ID_B, "王五", "13912345678", "6222021234567890123"):
        assert value in page


def test_rows_can_be_added_and_removed_without_javascript(services, login_as):
    case_id = walk_to(services, login_as, "entry")
    police = login_as("wjs_police1")
    task_id = ready_task(services, case_id, "entry")
    r = submit(police, task_id, {**STEP_DATA["entry"], "_action": "add:persons"})
    assert r.status_code == 200 and 'name="persons-2-name"' in text(r) and "张三" in text(r)
    r = submit(police, task_id, {**STEP_DATA["entry"], "_action": "remove:persons:0"})
    assert r.status_code == 200 and "张三" not in text(r) and "李四" in text(r)
    assert "entry" in ready_names(services, case_id)  # row buttons never complete the task


def test_evidence_files_are_checked(services, login_as, app):
    case_id = walk_to(services, login_as, "evidence")
    cases = [
        ([(io.BytesIO(b"MZ\x90\x00"), "tool.exe")], "只能上传 JPG、PNG 或 PDF 文件：tool.exe"),
        ([(io.BytesIO(b"MZ\x90\x00" * 10), "photo.jpg")], "文件内容与扩展名不符"),
        ([(io.BytesIO(b""), "empty.pdf")], "文件是空的：empty.pdf"),
    ]
    for files, message in cases:
        page = rejected(services, login_as, case_id, "evidence", STEP_DATA["evidence"], {"files": files})
        assert any(message in e for e in errors_in(page)), (message, errors_in(page))
    app.config["UPLOAD_MAX_FILE_BYTES"] = 1024 * 1024
    big = b"\xff\xd8\xff" + b"\x00" * (1024 * 1024 + 1)
    page = rejected(services, login_as, case_id, "evidence", STEP_DATA["evidence"],
                    {"files": [(io.BytesIO(big), "big.jpg")]})
    assert any("单个文件不能超过 1 MB：big.jpg" in e for e in errors_in(page))


def test_a_request_over_the_size_limit_gets_the_413_page(services, login_as, app):
    case_id = walk_to(services, login_as, "evidence")
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    c = login_as("wjs_market1")
    r = submit(c, ready_task(services, case_id, "evidence"), STEP_DATA["evidence"],
               {"files": [(io.BytesIO(b"%PDF-" + b"0" * 100_000), "big.pdf")]})
    assert r.status_code == 413 and "上传的文件太大" in text(r)
    assert "evidence" in ready_names(services, case_id)


def test_the_five_contracts_form(services, login_as):
    c = login_as("wjs_leader")
    matter = start_case(c, kind="five_contracts", title="1单元三停一换失效", note="101室水电已恢复")
    louzhang = login_as("louzhang")
    task_id = ready_task(services, matter, "handle_matter")
    r = submit(louzhang, task_id, {"handled_on": "", "resolved": "", "result": ""})
    assert r.status_code == 422
    shown = errors_in(text(r))
    for message in ("请填写处置日期。", "请选择是否已处置完毕。", "请填写处置情况。"):
        assert message in shown
    r = submit(louzhang, task_id, {**STEP_DATA["handle_matter"], "handled_on": TOMORROW})
    assert "处置日期不能晚于今天。" in errors_in(text(r))
    assert submit(louzhang, task_id, STEP_DATA["handle_matter"]).status_code == 302
