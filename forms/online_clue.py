"""网络传销线索（四步工作法）: one form per user task of bpmn/online_clue.bpmn."""
from __future__ import annotations

from wtforms import IntegerField, MultipleFileField, RadioField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from workflows.online_clues.hooks import RISKS
from workflows.online_clues.models import TIERS
from workflows.online_clues.service import credit_code_problem
from workflows.penalties.parties import PARTY_KINDS

from .base import TaskForm, as_bool, iso, options, yes_no
from .files import EvidenceFiles, chosen_files
from .six_step_case import date_field, long_text
from .validators import id_number_problem

FILE_HINT = "截图、录屏截图或扫描件：JPG、PNG、PDF，单个不超过 10 MB。仅有权查看本线索的人员可下载。"
FILE_TYPES = {"accept": ".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"}


def count_field(label: str) -> IntegerField:
    return IntegerField(label, validators=[Optional(), NumberRange(0, 10_000_000, f"{label}应为不小于 0 的整数。")],
                        render_kw={"inputmode": "numeric"})


class MonitorForm(TaskForm):
    guidance = ("线上监测：核查网址、应用、小程序、直播间等线上内容，固定电子证据（截图、录屏、页面存档），"
                "研判是否具有“拉人头、入门费、团队计酬”等传销特征（《禁止传销条例》第七条）。利用互联网等媒体发布"
                "传销信息的，由市场监管部门会同电信等有关部门查处（第九条）。")
    suspected = yes_no("是否涉嫌网络传销", "请选择是否涉嫌网络传销。")
    monitoring_note = long_text("监测情况", "请填写监测情况。")
    files = MultipleFileField("电子证据", validators=[EvidenceFiles()], description=FILE_HINT, render_kw=FILE_TYPES)

    def uploads(self) -> list:
        return chosen_files(self.files.data)

    def to_data(self) -> dict:
        return {"suspected": as_bool(self.suspected.data), "monitoring_note": self.monitoring_note.data.strip()}


class VerifyForm(TaskForm):
    guidance = ("线下实证：落地核查运营主体、服务器和资金账户，走访参与人员，查明组织的人数和层级。"
                "人数和层级包括组织者、领导者本人及其本层级。")
    confirmed = yes_no("是否查实涉嫌传销", "请选择是否查实。")
    verification_note = long_text("实证情况", "请填写线下实证情况。")
    member_count = count_field("参与人数")
    levels = count_field("层级数")
    files = MultipleFileField("证据材料", validators=[EvidenceFiles()], description=FILE_HINT, render_kw=FILE_TYPES)

    def validate(self, extra_validators=None):
        # Here rather than as field validators: Optional() ends a blank count's checks before they could run.
        ok = super().validate(extra_validators)
        if self.confirmed.data == "yes":
            for field, what in ((self.member_count, "参与人数"), (self.levels, "层级数")):
                if not field.data and not field.errors:
                    field.errors = [f"查实的，请填写{what}（大于 0）。"]
                    ok = False
        return ok

    def uploads(self) -> list:
        return chosen_files(self.files.data)

    def to_data(self) -> dict:
        confirmed = as_bool(self.confirmed.data)
        return {"confirmed": confirmed, "verification_note": self.verification_note.data.strip(),
                "member_count": (self.member_count.data or 0) if confirmed else 0,
                "levels": (self.levels.data or 0) if confirmed else 0}


class ReportUpForm(TaskForm):
    guidance = ("逐级上报并确定处置措施（多措处置）：一般情形约谈或警示；构成违法的依法予以行政处罚。"
                "传销组织“其组织内部参与传销活动人员在三十人以上且层级在三级以上的，应当对组织者、领导者追究刑事责任”"
                "（最高人民法院、最高人民检察院、公安部《关于办理组织领导传销活动刑事案件适用法律若干问题的意见》一），"
                "涉嫌犯罪的，应当依法移送公安机关立案侦查（《禁止传销条例》第十三条）。")
    tier = RadioField("处置措施", choices=options(list(TIERS.items())), validators=[InputRequired("请选择处置措施。")])
    report_note = long_text("上报意见", "请填写上报意见。")
    party_kind = RadioField("当事人类型", choices=options(list(PARTY_KINDS.items())), default="organisation",
                            description="单位和个人的听证标准不同（《行政处罚法》第六十三条）。")
    party_name = StringField("当事人", validators=[Length(max=200)], description="行政处罚的单位或个人名称。")
    party_code = StringField("统一社会信用代码或身份证号码", validators=[Length(max=18)],
                             description="单位填统一社会信用代码，个人填身份证号码。")
    penalty_facts = long_text("违法事实", description="行政处罚的，简要写明违法事实。")

    def validate_tier(self, field):
        reached = self.context.get("threshold_reached")
        if reached and field.data != "criminal":
            raise ValidationError("该组织已达刑事追诉标准（三十人以上且层级在三级以上），应移送公安机关。")
        if reached is False and field.data == "criminal":
            raise ValidationError("人数或层级未达刑事追诉标准，请选择约谈警示或行政处罚。")

    def validate_party_name(self, field):
        if self.tier.data == "penalty" and not (field.data or "").strip():
            raise ValidationError("行政处罚的，请填写当事人。")

    def validate_party_code(self, field):
        code = (field.data or "").strip().upper()
        if self.tier.data != "penalty" or not code:
            return
        if self.party_kind.data == "person":
            problem = id_number_problem(code, self.now.date())
            if problem:
                raise ValidationError(f"{problem}个人请填写有效的身份证号码，不清楚的可留空。")
        elif credit_code_problem(code):
            raise ValidationError("请填写有效的统一社会信用代码（单位），不清楚的可留空。")

    def to_data(self) -> dict:
        penalty = self.tier.data == "penalty"
        return {"tier": self.tier.data, "report_note": self.report_note.data.strip(),
                "party_kind": self.party_kind.data if penalty else "",
                "party_name": (self.party_name.data or "").strip() if penalty else "",
                "party_code": (self.party_code.data or "").strip().upper() if penalty else "",
                "penalty_facts": (self.penalty_facts.data or "").strip() if penalty else ""}


MEASURES = [("interview", "约谈"), ("warning", "警示（告诫）")]


class InterviewForm(TaskForm):
    guidance = "约谈或警示：约谈平台或运营主体负责人，责令删除涉传信息、关停相关账号，并对参与人员开展警示教育。"
    measure = RadioField("措施", choices=options(MEASURES), validators=[InputRequired("请选择措施。")])
    interviewed_on = date_field("约谈（警示）日期", "约谈（警示）日期")
    counterpart = StringField("约谈对象", validators=[InputRequired("请填写约谈对象。"), Length(max=200)])
    interview_note = long_text("约谈（警示）情况", "请填写约谈（警示）情况。")

    def to_data(self) -> dict:
        return {"measure": self.measure.data, "interviewed_on": iso(self.interviewed_on.data),
                "counterpart": self.counterpart.data.strip(), "interview_note": self.interview_note.data.strip()}


class TransferPoliceForm(TaskForm):
    guidance = ("移送公安机关：本机关负责人批准移送的，应当在 24 小时内向同级公安机关移送（《行政执法机关移送涉嫌"
                "犯罪案件的规定》第五条），附涉嫌犯罪案件移送书、涉嫌犯罪案件情况的调查报告、涉案物品清单、有关检验报告"
                "或者鉴定结论及其他有关涉嫌犯罪的材料（第六条）。")
    transfer_letter_no = StringField("移送书文号", validators=[InputRequired("请填写移送书文号。"), Length(max=60)])
    transferred_on = date_field("移送日期", "移送日期")
    materials = long_text("移送材料", "请填写随案移送的材料。")

    def to_data(self) -> dict:
        return {"transfer_letter_no": self.transfer_letter_no.data.strip(),
                "transferred_on": iso(self.transferred_on.data), "materials": self.materials.data.strip()}


class PoliceReceiptForm(TaskForm):
    guidance = ("公安机关在涉嫌犯罪案件移送书的回执上签字（《行政执法机关移送涉嫌犯罪案件的规定》第七条），"
                "自接受之日起 3 日内审查，决定立案或者不予立案，并书面通知移送案件的行政执法机关（第八条）。")
    police_accepted = yes_no("是否立案", "请选择是否立案。")
    police_case_no = StringField("立案（回执）编号", validators=[Length(max=60)])
    receipt_note = long_text("回执情况", "请填写回执情况。")

    def to_data(self) -> dict:
        return {"police_accepted": as_bool(self.police_accepted.data),
                "police_case_no": (self.police_case_no.data or "").strip(),
                "receipt_note": self.receipt_note.data.strip()}


class AftermathForm(TaskForm):
    guidance = ("稳妥善后：摸清受害人员，做好教育疏导、劝返和追赃挽损，研判引发群体性事件的风险；"
                "风险高的，报督办领导制定维稳处置预案。")
    victim_count = count_field("受害人数")
    victims_note = long_text("善后情况", "请填写善后情况。")
    mass_incident_risk = RadioField("群体性事件风险", choices=options(list(RISKS.items())),
                                    validators=[InputRequired("请选择群体性事件风险。")])

    def to_data(self) -> dict:
        return {"victim_count": self.victim_count.data or 0, "victims_note": self.victims_note.data.strip(),
                "mass_incident_risk": self.mass_incident_risk.data}


class StabilityPlanForm(TaskForm):
    guidance = "群体性事件风险高：明确责任单位和人员、信息报送、现场处置和舆情应对措施。"
    stability_plan = long_text("维稳处置预案", "请填写维稳处置预案。")

    def to_data(self) -> dict:
        return {"stability_plan": self.stability_plan.data.strip()}


FORMS = {
    "monitor": MonitorForm,
    "verify": VerifyForm,
    "report_up": ReportUpForm,
    "interview": InterviewForm,
    "transfer_police": TransferPoliceForm,
    "police_receipt": PoliceReceiptForm,
    "aftermath": AftermathForm,
    "stability_plan": StabilityPlanForm,
}
