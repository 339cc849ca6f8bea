"""六步工作法案件: one form per user task of bpmn/six_step_case.bpmn."""
from __future__ import annotations

from wtforms import (BooleanField, DateTimeLocalField, FieldList, FormField, IntegerField,
                     MultipleFileField, RadioField, SelectField, StringField, TextAreaField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from workflows.vocabulary import CLASSIFICATIONS, HOUSE_TYPES

from .base import (MultiCheckboxField, OfficerRow, RowForm, TaskForm, as_bool, fill_rows, filled_rows, iso,
                   options, person_dict, person_rows, yes_no)
from .fields import DateField
from .files import EvidenceFiles, chosen_files
from .validators import IdNumber, MinRows, NotFuture, UniqueIn


def date_field(label: str, what: str):
    return DateField(label, validators=[InputRequired(f"请填写{what}。"), NotFuture(f"{what}不能晚于今天。")])


def long_text(label: str, message: str | None = None, max_length: int = 4000, **kwargs):
    # No Optional() for the optional ones: it would stop the chain before conditional checks such as
    # "a note is required when the house is suspicious" (validate_note) can run.
    checks = [InputRequired(message)] if message else []
    return TextAreaField(label, validators=checks + [Length(max=max_length, message=f"不能超过 {max_length} 字。")],
                         **kwargs)


# ---------------------------------------------------------------- 摸排
SWEEP_FLAGS = [
    ("non_local", "租住人员非本省户籍（身份证号码非本省开头）"),
    ("non_family", "非家庭式居住（多人合租、男女混住）"),
    ("no_occupation", "居住人员无正常职业"),
    ("gathering", "人员频繁进出、聚集授课"),
]


class SweepForm(TaskForm):
    guidance = "网格员入户走访摸排：核实房屋类别和居住人员情况；发现可疑情况的，转公安入户核查。"
    swept_on = date_field("摸排日期", "摸排日期")
    house_type = RadioField("房屋类别", choices=options(list(HOUSE_TYPES.items())),
                            validators=[InputRequired("请选择房屋类别。")])
    occupants = IntegerField("居住人数", validators=[Optional(), NumberRange(0, 200, "居住人数应在 0–200 之间。")],
                             render_kw={"inputmode": "numeric"})
    sweep_flags = MultiCheckboxField("发现的可疑情况", choices=options(SWEEP_FLAGS))
    suspicious = yes_no("是否可疑（需公安入户核查）", "请选择是否可疑。")
    note = long_text("情况说明", description="认定可疑时必填：写明看到的情况，供入户民警参考。")

    def validate_note(self, field):
        if self.suspicious.data == "yes" and not (field.data or "").strip():
            raise ValidationError("认定可疑时请写明情况说明。")

    def to_data(self) -> dict:
        return {"suspicious": as_bool(self.suspicious.data), "house_type": self.house_type.data,
                "swept_on": iso(self.swept_on.data), "occupants": self.occupants.data,
                "sweep_flags": list(self.sweep_flags.data or []), "sweep_note": (self.note.data or "").strip()}


# ---------------------------------------------------------------- 入户
class EntryForm(TaskForm):
    guidance = ("入户检查须有 2 名以上执法人员并出示证件（《禁止传销条例》第十五条）。"
                "开门的，逐一登记在场人员身份证号码、手机号码和银行卡号。")
    entered_at = DateTimeLocalField("入户时间", format="%Y-%m-%dT%H:%M",
                                    validators=[InputRequired("请填写入户时间。"), NotFuture("入户时间不能晚于当前时间。")])
    officers = FieldList(FormField(OfficerRow), "执法人员", min_entries=2, validators=[
        MinRows(2, "入户须有 2 名以上执法人员（《禁止传销条例》第十五条）。"),
        UniqueIn("badge", "同一执法证号/警号填写了两次。")])
    door_opened = yes_no("是否开门", "请选择是否开门。")
    persons = person_rows("在场人员", validators=[UniqueIn("id_number", "同一身份证号码填写了两次。")],
                          description="开门的至少登记 1 人；未开门的可不填，转网格员蹲守复查。")
    note = long_text("入户情况")

    def validate_persons(self, field):
        if self.door_opened.data == "yes" and not filled_rows(field):
            raise ValidationError("开门入户的，请至少登记 1 名在场人员。")

    def prefill(self) -> None:
        fill_rows(self.persons, self.context.get("persons") or [], 1)

    def to_data(self) -> dict:
        opened = as_bool(self.door_opened.data)
        return {"door_opened": opened, "entered_at": iso(self.entered_at.data),
                "officers": [{"name": r["name"].strip(), "badge": r["badge"].strip()} for r in filled_rows(self.officers)],
                "persons": [person_dict(r) for r in filled_rows(self.persons)] if opened else
                self.context.get("persons") or [],
                "entry_note": (self.note.data or "").strip()}


# ---------------------------------------------------------------- 蹲守复查
class WatchHouseForm(TaskForm):
    guidance = "未开门的房屋由网格员蹲守复查，掌握人员进出规律后再次通知公安入户。"
    watched_on = date_field("复查日期", "复查日期")
    note = long_text("蹲守复查情况", "请填写蹲守复查情况。")

    def to_data(self) -> dict:
        return {"note": self.note.data.strip(), "watched_on": iso(self.watched_on.data)}


# ---------------------------------------------------------------- 初查
MLM_INDICATORS = [
    ("recruit_fee", "以发展人员数量计酬（拉人头）"),
    ("entry_fee", "缴纳或变相缴纳入门费"),
    ("team_commission", "以下线销售业绩计酬（团队计酬）"),
    ("lectures", "聚集授课、洗脑"),
    ("restraint", "限制人身自由、收缴证件或手机"),
]


class InitialCheckForm(TaskForm):
    guidance = "市场监管部门初查：对照《禁止传销条例》第七条认定是否存在传销活动；未发现的，记录结果结案（查必有果）。"
    checked_on = date_field("初查日期", "初查日期")
    mlm_found = yes_no("是否发现传销活动", "请选择是否发现传销活动。")
    mlm_indicators = MultiCheckboxField("传销特征", choices=options(MLM_INDICATORS))
    findings = long_text("初查情况", "请填写初查情况。")

    def validate_mlm_indicators(self, field):
        if self.mlm_found.data == "yes" and not field.data:
            raise ValidationError("认定发现传销的，请至少勾选一项传销特征（《禁止传销条例》第七条）。")

    def to_data(self) -> dict:
        return {"mlm_found": as_bool(self.mlm_found.data), "checked_on": iso(self.checked_on.data),
                "mlm_indicators": list(self.mlm_indicators.data or []), "check_findings": self.findings.data.strip()}


# ---------------------------------------------------------------- 证据收集
class EvidenceForm(TaskForm):
    guidance = ("收集书证、物证、视听资料，制作询问笔录。查封、扣押须事先经书面批准（《禁止传销条例》第十四条），"
                "期限不超过 30 日（第十八条）。")
    collected_on = date_field("取证日期", "取证日期")
    evidence_summary = long_text("证据摘要", "请填写证据摘要。")
    seized_items = long_text("查封、扣押物品清单", description="没有查封扣押的留空。")
    sealing_approved = BooleanField("查封、扣押已经事先书面批准")
    files = MultipleFileField("证据文件", validators=[EvidenceFiles()],
                              description="照片或扫描件：JPG、PNG、PDF，单个不超过 10 MB。文件按内容校验，仅有权查看本案的人员可下载。",
                              render_kw={"accept": ".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"})

    def validate_sealing_approved(self, field):
        if (self.seized_items.data or "").strip() and not field.data:
            raise ValidationError("有查封、扣押物品的，须经事先书面批准（《禁止传销条例》第十四条）。")

    def uploads(self) -> list:
        return chosen_files(self.files.data)

    def to_data(self) -> dict:
        return {"evidence_summary": self.evidence_summary.data.strip(), "collected_on": iso(self.collected_on.data),
                "seized_items": (self.seized_items.data or "").strip(), "sealing_approved": bool(self.sealing_approved.data)}


# ---------------------------------------------------------------- 信息比对确认
class ClassifyRow(RowForm):
    name = StringField("姓名", render_kw={"readonly": True})
    id_number = StringField("身份证号码", render_kw={"readonly": True})
    classification = SelectField("分类", choices=options([("", "请选择")] + list(CLASSIFICATIONS.items())),
                                 validators=[InputRequired("请为该人员选择分类。")])

    def validate(self, extra_validators=None):
        # Every listed person must be classified, so no row here counts as "left blank".
        return super(RowForm, self).validate(extra_validators)


class ComparisonForm(TaskForm):
    guidance = ("系统已将人员身份证号码与黑名单、既往案件比对（见上表）。请确认每名人员的分类，并核实房屋和房东情况，"
                "系统据此生成分类处置任务。")
    persons = FieldList(FormField(ClassifyRow), "人员分类")
    house_is_rental = yes_no("是否为出租屋", "请选择是否为出租屋。")
    house_prior_catches = IntegerField("该房屋此前涉传次数", validators=[
        InputRequired("请填写该房屋此前涉传次数（没有填 0）。"), NumberRange(0, 99, "次数应在 0–99 之间。")],
        description="首次涉传：责令改正或责令停止提供房屋，必要时查封；再次涉传：对房东行政处罚。",
        render_kw={"inputmode": "numeric"})
    landlord_name = StringField("房东姓名", validators=[Optional(), Length(max=64)])
    landlord_official = yes_no("房东是否为党员或公职人员", "请选择房东是否为党员或公职人员。",
                               description="是的，移交纪检监察机关。")
    note = long_text("比对说明")
    # The persons come from the entry step; here they are only classified, never added or removed.
    fixed_rows = ("persons",)

    def prefill(self) -> None:
        rows = [{"name": p.get("name", ""), "id_number": p.get("id_number", ""),
                 "classification": p.get("classification", "")} for p in self.context.get("persons") or []]
        fill_rows(self.persons, rows, 0)
        # The rental-house registry (when the house is in it) knows the earlier catches and the landlord.
        house = self.context.get("house") or {}
        registered = bool(house.get("registered"))
        self.house_is_rental.data = "yes" if registered or self.context.get("house_type") == "rental" else "no"
        self.house_prior_catches.data = (house.get("prior_catches", 0) if registered
                                         else self.context.get("house_prior_cases", 0))
        if house.get("landlord_official"):
            self.landlord_official.data = "yes"

    def validate_persons(self, field):
        if len(field.entries) != len(self.context.get("persons") or []):
            raise ValidationError("人员名单已变化，请刷新页面后重新分类。")

    def classified_persons(self) -> list[dict]:
        """The persons recorded at entry, with the classification chosen here (matched by position)."""
        persons = []
        for original, entry in zip(self.context.get("persons") or [], self.persons.entries):
            persons.append({**original, "classification": entry.form.classification.data})
        return persons

    def to_data(self) -> dict:
        persons = self.classified_persons()
        kinds = {p["classification"] for p in persons}
        return {"persons": persons, "has_participants": "participant" in kinds, "has_core": "core" in kinds,
                "has_crime": "crime" in kinds, "house_is_rental": as_bool(self.house_is_rental.data),
                "house_prior_catches": int(self.house_prior_catches.data),
                "landlord_official": as_bool(self.landlord_official.data),
                "landlord_name": (self.landlord_name.data or "").strip(),
                "comparison_note": (self.note.data or "").strip()}


# ---------------------------------------------------------------- 分类处置
class HandlingForm(TaskForm):
    """Every handling step ends with a written result (查必有果)."""

    result = long_text("处置结果", "请填写处置结果。")

    def extra_data(self) -> dict:
        return {}

    def to_data(self) -> dict:
        return {"result": self.result.data.strip(), **self.extra_data()}


PARTICIPANT_MEASURES = [("education", "引导教育"), ("sent_home", "遣返"),
                        ("letter", "致传销人员户籍地基层组织一封信")]


class HandleParticipantsForm(HandlingForm):
    guidance = ("普通参与者：引导教育、遣返，并致信户籍地基层组织。提交后为每名普通参与者启动一个行政处罚程序，"
                "在该程序中决定当场警告或罚款（简易程序，200 元以下）、一般程序罚款（2000 元以下，"
                "《禁止传销条例》第二十四条第三款）或仅教育不处罚。")
    measures = MultiCheckboxField("处置措施", choices=options(PARTICIPANT_MEASURES))
    handled_on = date_field("处置日期", "处置日期")

    def validate_measures(self, field):
        if not field.data:
            raise ValidationError("请至少选择一项处置措施。")

    def extra_data(self) -> dict:
        # Every participant gets a procedure of their own (workflows.penalties.case_steps); the role is theirs
        # by classification, never chosen here.
        return {"participant_measures": list(self.measures.data), "participants_handled_on": iso(self.handled_on.data),
                "penalty_parties": [{"name": p.get("name", ""), "id_number": p.get("id_number", ""),
                                     "role": "participant"}
                                    for p in self.context.get("persons") or [] if p.get("classification") == "participant"]}


# The roles a core member may be penalised under (legal_texts.json "fine_ranges"), by the part they played.
CORE_ROLES = [("introducer", "介绍、诱骗、胁迫他人参加传销（10 万元以上 50 万元以下）"),
              ("organiser", "组织策划传销（50 万元以上 200 万元以下）")]


class CoreRoleRow(RowForm):
    name = StringField("姓名", render_kw={"readonly": True})
    id_number = StringField("身份证号码", render_kw={"readonly": True})
    role = SelectField("违法行为类别", choices=options([("", "请选择")] + CORE_ROLES),
                       validators=[InputRequired("请为该骨干成员选择违法行为类别。")])

    def validate(self, extra_validators=None):
        return super(RowForm, self).validate(extra_validators)


class PenaltyCoreForm(HandlingForm):
    guidance = ("骨干成员一律依法予以行政处罚：提交后为每名骨干成员启动行政处罚程序（一般程序：立案、调查取证、告知、"
                "陈述申辩或听证、决定、送达、执行、结案）。行政处罚决定书只在该程序的“决定”环节签发。")
    parties = FieldList(FormField(CoreRoleRow), "骨干成员")
    fixed_rows = ("parties",)

    def prefill(self) -> None:
        fill_rows(self.parties, [{"name": p.get("name", ""), "id_number": p.get("id_number", ""), "role": ""}
                                 for p in self.context.get("persons") or [] if p.get("classification") == "core"], 0)

    def validate_parties(self, field):
        core = [p for p in self.context.get("persons") or [] if p.get("classification") == "core"]
        if len(field.entries) != len(core):
            raise ValidationError("骨干成员名单已变化，请刷新页面后重新填写。")

    def extra_data(self) -> dict:
        core = [p for p in self.context.get("persons") or [] if p.get("classification") == "core"]
        # Names and ID numbers come from the case (matched by position), only the role from the form.
        return {"penalty_parties": [{"name": p.get("name", ""), "id_number": p.get("id_number", ""),
                                     "role": e.form.role.data} for p, e in zip(core, self.parties.entries)]}


class PenaltyLandlordForm(HandlingForm):
    guidance = ("出租屋再次涉传：提交后对房东启动行政处罚程序（《禁止传销条例》第二十六条，5 万元以上 50 万元以下），"
                "行政处罚决定书在该程序的“决定”环节签发。")
    landlord_name = StringField("房东姓名", validators=[InputRequired("请填写房东姓名。"), Length(max=64)])
    landlord_id_number = StringField("房东身份证号码", validators=[InputRequired("请填写房东身份证号码。"), IdNumber()])
    landlord_address = StringField("房东住址", validators=[Optional(), Length(max=200)])

    def prefill(self) -> None:
        self.landlord_name.data = self.context.get("landlord_name", "")

    def extra_data(self) -> dict:
        return {"penalty_parties": [{"name": self.landlord_name.data.strip(),
                                     "id_number": self.landlord_id_number.data,
                                     "address": (self.landlord_address.data or "").strip(), "role": "premises"}]}


class TransferForm(HandlingForm):
    receiving_unit = StringField("接收机关", validators=[InputRequired("请填写接收机关。"), Length(max=120)])
    transferred_on = date_field("移送日期", "移送日期")


class TransferPoliceForm(TransferForm):
    guidance = ("涉嫌犯罪的，3 日内作出移送决定，决定后 24 小时内移送公安机关，附移送书、调查报告、涉案物品清单等"
                "（国务院令第 310 号）。")
    decided_on = date_field("决定移送日期", "决定移送日期")

    def validate_transferred_on(self, field):
        if field.data and self.decided_on.data and field.data < self.decided_on.data:
            raise ValidationError("移送日期不能早于决定移送日期。")

    def extra_data(self) -> dict:
        return {"police_unit": self.receiving_unit.data.strip(), "police_decided_on": iso(self.decided_on.data),
                "police_transferred_on": iso(self.transferred_on.data)}


class TransferDisciplineForm(TransferForm):
    guidance = "房东为党员或公职人员的，移交纪检监察机关处理。"

    def extra_data(self) -> dict:
        return {"discipline_organ": self.receiving_unit.data.strip(),
                "discipline_transferred_on": iso(self.transferred_on.data)}


# The landlord's own measures (ending the lease, changing the lock) are part of what the 责令改正 or 责令停止
# notice tells the landlord to do; cutting utilities is no order of a notice (行政强制法 第十条、第四十三条) and
# happens only at a utility's assistance while the premises are sealed (查封, its own process).
HOUSE_MEASURES = [("rectify_order", "责令改正（出租人自行解除租赁、换锁）"), ("lease_terminated", "责令停止为传销提供房屋"),
                  ("seizure", "查封涉传场所（经负责人批准）")]


class RectifyHouseForm(HandlingForm):
    guidance = ("出租屋首次涉传：警告，责令改正或责令停止为传销提供房屋（由出租人自行解除租赁、换锁）。"
                "需要停水、停电、停气的，申请查封涉传场所，查封期间凭查封决定书请求供应单位协助。")
    measures = MultiCheckboxField("处置措施", choices=options(HOUSE_MEASURES))
    handled_on = date_field("处置日期", "处置日期")

    def validate_measures(self, field):
        chosen = set(field.data or [])
        if not chosen & {"rectify_order", "lease_terminated"}:
            raise ValidationError("请选择责令改正或责令停止为传销提供房屋（至少一项）。")

    def extra_data(self) -> dict:
        return {"house_measures": list(self.measures.data), "house_handled_on": iso(self.handled_on.data)}


# ---------------------------------------------------------------- 结案审核
class CloseCaseForm(TaskForm):
    guidance = "各项处置均已有结果后结案。每名涉传人员录入黑名单，手机号码、银行卡号登记上报。"
    confirm_message = "结案后案件办结，涉案人员录入黑名单，案件不能再办理或修改。确定结案吗？"
    closed_on = date_field("结案日期", "结案日期")
    summary = long_text("结案报告", "请填写结案报告。")
    blacklist_confirmed = BooleanField("涉案人员均已录入黑名单，手机号码、银行卡号已登记上报",
                                       validators=[InputRequired("结案前须确认涉案人员已录入黑名单。")])

    def validate_summary(self, field):
        if field.data and len(field.data.strip()) < 10:
            raise ValidationError("结案报告至少写 10 个字。")

    def to_data(self) -> dict:
        return {"summary": self.summary.data.strip(), "closed_on": iso(self.closed_on.data),
                "blacklist_confirmed": True}


FORMS = {
    "sweep": SweepForm,
    "entry": EntryForm,
    "watch_house": WatchHouseForm,
    "initial_check": InitialCheckForm,
    "evidence": EvidenceForm,
    "comparison": ComparisonForm,
    "handle_participants": HandleParticipantsForm,
    "penalty_core": PenaltyCoreForm,
    "transfer_police": TransferPoliceForm,
    "rectify_house": RectifyHouseForm,
    "penalty_landlord": PenaltyLandlordForm,
    "transfer_discipline": TransferDisciplineForm,
    "close_case": CloseCaseForm,
}
