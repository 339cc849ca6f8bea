"""创无申报、验收与命名: one form per user task of bpmn/pyramid_free_naming.bpmn (the scored checklist form is
shared with the re-inspections)."""
from __future__ import annotations

from wtforms import FieldList, FormField, HiddenField, MultipleFileField, StringField, TextAreaField
from wtforms.validators import Length, ValidationError

from .base import MultiCheckboxField, RowForm, TaskForm, as_bool, fill_rows, options, yes_no
from .files import EvidenceFiles, chosen_files
from .six_step_case import long_text


class ItemRow(RowForm):
    code = HiddenField()
    item = TextAreaField("检查项目（满分）", render_kw={"readonly": True, "rows": 2})
    score = StringField("得分", render_kw={"inputmode": "decimal", "size": 4})
    note = StringField("检查记录", validators=[Length(max=500, message="不能超过 500 字。")])


class ChecklistForm(TaskForm):
    """The scored checklist: the manual items by hand (with photos or documents); the records score the rest."""

    guidance = ("按“部门互动、信息采集、宣传教育、责任落实、监管打击”五项机制逐项评分；可由本系统记录计算的项目"
                "（两书一备案、按期巡查、五包落实、举报按时办结、近12个月窝点与回流、宣传活动）提交时自动计算，"
                "并列明所依据的记录。验收须由公安和市场监管至少两名验收人员共同进行。")
    fixed_rows = ("items",)
    inspector_ids = MultiCheckboxField("验收人员（至少两名，须有公安和市场监管人员）")
    items = FieldList(FormField(ItemRow), "人工评分项目")
    findings = long_text("检查情况", "请填写检查情况。")
    files = MultipleFileField("现场照片或台账文件", validators=[EvidenceFiles()],
                              description="JPG、PNG、PDF，单个不超过 10 MB；人工评分的项目须附依据。",
                              render_kw={"accept": ".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf",
                                         "capture": "environment"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.inspector_ids.choices = options(
            [(str(c["id"]), c["name"]) for c in self.context.get("inspector_choices", [])])
        self.manual = [i for i in self.context.get("checklist_items", []) if i.get("mode") == "manual"]
        drawn = self.context.get("sample_households") or []
        if drawn:
            self.findings.description = "本次随机抽签入户走访的住户：" + "、".join(drawn)

    def prefill(self) -> None:
        fill_rows(self.items, [{"code": i["code"], "item": f"{i['mechanism']}：{i['title']}（{i['weight']}分）"}
                               for i in self.manual], len(self.manual))

    def validate_inspector_ids(self, field):
        if len(field.data or []) < 2:
            raise ValidationError("请选择至少两名验收人员。")

    def validate_items(self, field):
        weights = {i["code"]: i["weight"] for i in self.manual}
        problems = []
        for entry in field.entries:
            code, raw = entry.form.code.data, (entry.form.score.data or "").strip()
            try:
                value = float(raw)
            except ValueError:
                problems.append(f"{entry.form.item.data or code}：请填写得分")
                continue
            if code in weights and not 0 <= value <= weights[code]:
                problems.append(f"{entry.form.item.data}：得分应在 0 至 {weights[code]} 分之间")
        if problems:
            raise ValidationError("；".join(problems))

    def uploads(self) -> list:
        return chosen_files(self.files.data)

    def to_data(self) -> dict:
        entries = {e.form.code.data: {"score": float(e.form.score.data), "note": (e.form.note.data or "").strip()}
                   for e in self.items.entries if e.form.code.data}
        return {"inspector_ids": [int(i) for i in self.inspector_ids.data], "entries": entries,
                "findings": self.findings.data.strip()}


class ApplicationFacts:
    """Shows the step what the application says so far (self-assessment score, the street's opinion)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        facts = []
        if self.context.get("self_score") is not None:
            facts.append(f"自评得分 {self.context['self_score']} 分")
        if self.context.get("opinion"):
            facts.append(f"街道意见：{self.context['opinion']}")
        if facts:
            self.guidance = f"{self.guidance}（{'；'.join(facts)}）"


class StreetForwardForm(ApplicationFacts, TaskForm):
    guidance = "街道审核社区（村）的申报材料和自评，符合条件的转报命名单位；不符合的写明理由退回。"
    forwarded = yes_no("是否转报命名单位", "请选择是否转报。")
    opinion = long_text("审核意见", description="退回的须写明理由。")

    def validate_opinion(self, field):
        if self.forwarded.data == "no" and not (field.data or "").strip():
            raise ValidationError("退回须写明理由。")

    def to_data(self) -> dict:
        return {"forwarded": as_bool(self.forwarded.data), "opinion": (self.opinion.data or "").strip()}


class NamerReviewForm(ApplicationFacts, TaskForm):
    guidance = "命名单位审查申报：受理的，系统按存储的随机种子抽取入户走访的住户，转验收人员验收；不予受理的写明理由。"
    accepted = yes_no("是否受理", "请选择是否受理。")
    reasons = long_text("审查意见", description="不予受理的须写明理由。")

    def validate_reasons(self, field):
        if self.accepted.data == "no" and not (field.data or "").strip():
            raise ValidationError("不予受理须写明理由。")

    def to_data(self) -> dict:
        return {"accepted": as_bool(self.accepted.data), "reasons": (self.reasons.data or "").strip()}


class NamingForm(TaskForm):
    guidance = "验收达标，予以命名：提交后即签发带编号的命名证书，并按配置安排定期复查（谁命名，谁负责）。"
    naming_note = long_text("命名意见", "请填写命名意见。")

    def to_data(self) -> dict:
        return {"naming_note": self.naming_note.data.strip()}


FORMS = {"street_forward": StreetForwardForm, "namer_review": NamerReviewForm, "acceptance": ChecklistForm,
         "naming": NamingForm}
