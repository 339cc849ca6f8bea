"""Sample notice fields for every type, and what poppler says about a PDF (text, fonts, page size)."""
from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import sqlalchemy as sa

from workflows.cases.models import CasePerson
from workflows.notices.service import NoticeService

ROOM = "吴家山街第一社区花园小区1栋1单元101室"
CONTACT = {"contact_person": "赵晓明", "contact_phone": "027-83890000"}

# Valid resident ID numbers (check digit right): Beijing Dongcheng, Jiangxi De'an, Hubei Wuchang (a woman).
ID_BEIJING = "110101199003074477"
ID_JIANGXI = "360426199101010012"
ID_WUCHANG_F = "420106198808080022"

SAMPLES: dict[str, dict] = {
    "rectification_order": dict(CONTACT, party_name="刘大成", party_id=ID_WUCHANG_F, party_address=ROOM,
                                facts="你将位于花园小区1栋1单元101室的房屋出租给传销人员聚集、居住和培训。",
                                violation="premises", corrections="立即清退承租的传销人员，不得再向传销人员出租房屋。",
                                deadline="2026-12-08"),
    "lease_termination": dict(CONTACT, landlord_name="刘大成", house_address=ROOM, tenant_name="王某",
                              facts="现场查获传销人员8名。", deadline="2026-12-08"),
    "utility_cutoff": dict(CONTACT, house_address=ROOM, landlord_name="刘大成", water_supplier="东西湖区自来水公司",
                           power_supplier="国网武汉市东西湖区供电公司", gas_supplier="", effective_date="2026-11-24",
                           lock_changed_on="2026-11-23", lock_executor="周志强、王建国", witnesses="钱桂英（楼栋长）",
                           key_keeper="吴家山街第一社区居委会"),
    "registration_letter": dict(CONTACT, person_name="张三", id_number=ID_JIANGXI, caught_on="2026-11-20",
                                caught_place="东西湖区吴家山街花园小区",
                                handling="经法制教育，本人已认识到传销的危害，已于2026年11月22日遣返原籍。"),
    "penalty_decision": dict(party_name="李四", party_id=ID_BEIJING, party_address="北京市东城区某街1号",
                             role="introducer",
                             facts="当事人自2026年8月起以“资本运作”为名，介绍、诱骗他人参加传销，共发展下线12人。",
                             evidence=["现场检查笔录", "询问笔录3份", "银行流水"], fine_yuan="150000",
                             confiscation="违法所得人民币36000元", payment="中国工商银行武汉东西湖支行（非税收入账户）"),
    "crime_transfer": dict(CONTACT, police_authority="武汉市公安局东西湖区分局", case_name="“资本运作”传销案",
                           suspects=["王五", "赵六"], facts="经查，该组织参与人员达130余人，层级3级以上。"),
    "discipline_transfer": dict(CONTACT, authority="中共武汉市东西湖区纪律检查委员会", landlord_name="孙某",
                                identity="中共党员", work_unit="某区直单位科员", house_address=ROOM,
                                facts="该房屋两次被查获用于传销。", attachments=["现场检查笔录复印件"]),
    "complaint_reply": dict(CONTACT, complainant_name="陈女士", received_on="2026-11-02",
                            complaint_summary="花园小区1栋疑似传销窝点",
                            handling="接到举报后，执法人员于11月3日入户检查，查获传销人员8名。",
                            result="对2名骨干成员立案处罚，6名参与人员教育遣返。"),
    "naming_certificate": dict(community_name="吴家山街第一社区", accepted_on="2026-11-10"),
}


def notices(services) -> NoticeService:
    return NoticeService.for_services(services)


def start_case(services, lookup, title="花园小区窝点") -> int:
    return services.workflow.start("six_step_case", {}, lookup.user("wjs_grid"), lookup.area(ROOM),
                                   title).instance_id


def add_persons(services, instance_id: int, persons: list[tuple[str, str]]) -> list[int]:
    """Persons found in a case, as the entry step records them."""
    with services.db.unit_of_work() as s:
        rows = [CasePerson(instance_id=instance_id, name=name, id_number=number, classification="participant")
                for name, number in persons]
        s.add_all(rows)
        s.flush()
        return [r.id for r in rows]


def classify(services, person_ids: list[int], classification: str) -> None:
    """The classification the comparison step gives persons (participant, core, crime)."""
    with services.db.unit_of_work() as s:
        s.execute(sa.update(CasePerson).where(CasePerson.id.in_(person_ids)).values(classification=classification))


def count(services, model, *where) -> int:
    with services.db.read() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _poppler(pdf: bytes, *args: str) -> str:
    """Run a poppler tool on the PDF; "PDF" in `args` stands for the file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "notice.pdf"
        path.write_bytes(pdf)
        argv = [str(path) if a == "PDF" else a for a in args]
        return subprocess.run(argv, check=True, capture_output=True, text=True).stdout


def pdf_text(pdf: bytes) -> str:
    return _poppler(pdf, "pdftotext", "PDF", "-")


def flat(text: str) -> str:
    """Text without line breaks, spaces and page numbers ("— 1 —"), so wrapped lines still match a phrase."""
    return re.sub(r"—\d+—", "", "".join(text.split()))


def pdf_fonts(pdf: bytes) -> list[dict]:
    """pdffonts rows as dicts (name, type, emb, ...), columns cut where the header's dashes say."""
    lines = _poppler(pdf, "pdffonts", "PDF").splitlines()
    header, dashes, rows = lines[0], lines[1], lines[2:]
    spans, start = [], 0
    for part in dashes.split(" "):
        spans.append((start, start + len(part)))
        start += len(part) + 1
    names = [header[a:b].strip() for a, b in spans]
    return [{n: row[a:b].strip() for n, (a, b) in zip(names, spans)} for row in rows if row.strip()]


def pdf_info(pdf: bytes) -> dict[str, str]:
    out = {}
    for line in _poppler(pdf, "pdfinfo", "PDF").splitlines():
        key, _, value = line.partition(":")
        out[key.strip()] = value.strip()
    return out
