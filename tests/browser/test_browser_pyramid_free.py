"""In a real browser: a community applies to be named pyramid-free, the street forwards, the namer accepts, the
police inspector scores the checklist (with a photo), the namer names it, and the certificate prints as a PDF
whose text holds the title, the number and the community."""
from __future__ import annotations

import re
import subprocess

import pytest
import sqlalchemy as sa
from test_browser_case import Officer

from workflows.engine.models import ProcessInstance
from workflows.pyramid_free.models import Naming

COMMUNITY = "吴家山街第一社区"
NUMBER = re.compile(r"\S+〔\d{4}〕\d+号")
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


class CwOfficer(Officer):
    counter = 0

    def shot(self, name: str) -> None:
        CwOfficer.counter += 1
        self.page.screenshot(path=str(self.shots / f"cw-{CwOfficer.counter:02d}-{self.username}-{name}.png"),
                             full_page=True)


def flat(text: str) -> str:
    return "".join(text.split())


def _reference(services) -> str:
    with services.db.read() as s:
        return s.scalar(sa.select(ProcessInstance.reference).join(Naming, Naming.instance_id == ProcessInstance.id))


@pytest.mark.browser
def test_apply_inspect_name_and_print_the_certificate(live, browser, shots_dir, tmp_path):
    base, services, _clock = live
    community = CwOfficer(browser, base, shots_dir, "cw_community")
    page = community.page
    community.go("/pyramid-free/apply", "apply")
    page.select_option("#community_id", label=COMMUNITY)
    for code, score in (("hotline", "10"), ("ledger", "5"), ("publicity_board", "5"), ("screening", "4")):
        page.fill(f"#score_{code}", score)
    page.click("button:has-text('提交申报')")
    page.wait_for_load_state()
    assert "已提交创建申报" in page.inner_text("body"), page.inner_text("main")[:400]
    community.shot("applied")
    community.close()
    reference = _reference(services)

    street = CwOfficer(browser, base, shots_dir, "cw_street")
    street.open_task(reference, "街道审核转报")
    street.page.check("input[name=forwarded][value=yes]")
    street.page.fill("#opinion", "材料齐全，同意转报")
    street.submit("已完成")
    street.close()

    namer = CwOfficer(browser, base, shots_dir, "cw_namer")
    namer.open_task(reference, "命名单位受理审查")
    namer.page.check("input[name=accepted][value=yes]")
    namer.submit("已完成")

    police = CwOfficer(browser, base, shots_dir, "cw_police")
    police.open_task(reference, "验收检查评分")
    form = police.page
    form.locator("label.choice", has_text="唐志刚").locator("input").check()
    form.locator("label.choice", has_text="许文静").locator("input").check()
    for n, score in enumerate(["10", "5", "5", "5"]):
        form.fill(f"#items-{n}-score", score)
        form.fill(f"#items-{n}-note", "现场核实")
    form.fill("#findings", "入户走访抽签住户，宣传栏、台账齐全")
    photo = tmp_path / "宣传栏.jpg"
    photo.write_bytes(JPEG)
    form.set_input_files("#files", str(photo))
    police.submit("已完成")
    police.close()

    namer.open_task(reference, "命名并颁发证书")
    namer.page.fill("#naming_note", "验收达标，同意命名")
    namer.submit("已完成")
    with services.db.read() as s:
        naming_id = s.scalar(sa.select(Naming.id))
    namer.go(f"/pyramid-free/{naming_id}", "named")
    page = namer.page
    assert "已命名" in page.inner_text("main") and "按种子重新抽取结果一致" in page.inner_text("main")
    page.click("a:has-text('查看并打印命名证书')")
    page.wait_for_load_state()
    number = NUMBER.search(page.inner_text("h1")).group(0)
    assert number.startswith("东打传办创无〔")
    page.click("a:has-text('打印（PDF）')")
    page.wait_for_load_state()
    response = page.request.get(page.url)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    path = shots_dir / "cw-naming-certificate.pdf"
    path.write_bytes(response.body())
    text = flat(subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout)
    assert "无传销社区（村）" in text and number in text and COMMUNITY in text, text[:400]
    assert "\ufffd" not in text
    namer.close()
