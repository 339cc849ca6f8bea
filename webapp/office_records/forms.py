"""One form per office record kind; field names are the record service's data keys."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import DateField, DecimalField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from forms.base import options
from forms.files import EvidenceFiles
from workflows.office_records import documents, organisation, publicity, reporting

ADDRESS_KW = {"list": "area-options", "autocomplete": "off"}
NOTE = {"validators": [Optional(), Length(max=500, message="不超过500字。")]}


class RecordForm(FlaskForm):
    class Meta:
        locales = ["zh"]

    address = StringField("区域", validators=[InputRequired("请填写区域。"), Length(max=400)],
                          description="标准地址全称，从提示中选择。", render_kw=ADDRESS_KW)
    # Fields the service fills itself, or files, which the view stores first.
    derived: tuple[str, ...] = ()
    file_fields: tuple[str, ...] = ()


class PublicityForm(RecordForm):
    held_on = DateField("日期", validators=[InputRequired("请填写日期。")])
    kind = SelectField("类别", choices=options(list(publicity.KINDS.items())))
    place = StringField("地点", validators=[InputRequired("请填写地点。"), Length(max=200)])
    participants = IntegerField("参与人数", validators=[InputRequired("请填写参与人数。"),
                                                    NumberRange(0, 100_000, "参与人数应在 0–100000 之间。")])
    photos = MultipleFileField("照片", validators=[EvidenceFiles()], description="JPG、PNG 或 PDF；修改时新上传的照片追加在原有照片之后。")
    note = TextAreaField("说明", **NOTE)
    file_fields = ("photos",)


class LetterForm(RecordForm):
    person_name = StringField("姓名", validators=[InputRequired("请填写姓名。"), Length(max=64)])
    id_number = StringField("公民身份号码", validators=[InputRequired("请填写公民身份号码。"), Length(max=18)])
    registration_place = StringField("户籍地", validators=[Optional(), Length(max=120)],
                                     description="留空则按身份证号码前六位识别。")
    case_reference = StringField("案件编号", validators=[Optional(), Length(max=40)],
                                 description="查获该人员的案件编号（选填）。")
    sent_on = DateField("寄送日期", validators=[InputRequired("请填写寄送日期。")])
    letter_number = StringField("信函编号", validators=[InputRequired("请填写信函编号。"), Length(max=64)],
                                description="如：东市监致函〔2026〕3号")
    note = TextAreaField("说明", **NOTE)
    derived = ("case_reference",)


class AlertForm(RecordForm):
    period_start = DateField("起始日期", validators=[InputRequired("请填写起始日期。")])
    period_end = DateField("截止日期", validators=[InputRequired("请填写截止日期。")])
    alerts = IntegerField("110传销警情数", validators=[InputRequired("请填写警情数。"),
                                                   NumberRange(0, 1_000_000, "警情数应为不小于 0 的整数。")])
    note = TextAreaField("说明", **NOTE)


class FilingForm(RecordForm):
    case_reference = StringField("立案文书编号", validators=[InputRequired("请填写立案文书编号。"), Length(max=64)])
    filed_on = DateField("立案日期", validators=[InputRequired("请填写立案日期。")])
    transfer_reference = StringField("移送案件编号", validators=[Optional(), Length(max=40)],
                                     description="本系统中移送公安的案件编号（选填）。")
    persons = TextAreaField("移送人员", validators=[Optional(), Length(max=500, message="不超过500字。")])
    receipt = FileField("立案回执", validators=[EvidenceFiles()], description="回执扫描件或照片（PDF、JPG、PNG）。")
    note = TextAreaField("说明", **NOTE)
    derived = ("transfer_reference",)
    file_fields = ("receipt",)


class CaseReportForm(RecordForm):
    case_label = StringField("案件名称", validators=[InputRequired("请填写案件名称。"), Length(max=200)])
    case_kind = SelectField("案件类别", choices=options(list(reporting.CASE_KINDS.items())))
    case_reference = StringField("案件编号", validators=[Optional(), Length(max=40)], description="选填。")
    due_on = DateField("应报备日期", validators=[InputRequired("请填写应报备日期。")])
    reported_on = DateField("报备日期", validators=[Optional()], description="尚未报备的留空。")
    note = TextAreaField("说明", **NOTE)
    derived = ("case_reference",)


class ReportForm(RecordForm):
    kind = SelectField("报送类别", choices=options(list(reporting.REPORT_KINDS.items())))
    period_label = StringField("所属期间", validators=[InputRequired("请填写所属期间。"), Length(max=40)],
                               description="如：2026年10月、2026年第三季度")
    due_on = DateField("应报送日期", validators=[InputRequired("请填写应报送日期。")])
    submitted_on = DateField("报送日期", validators=[Optional()], description="尚未报送的留空。")
    note = TextAreaField("说明", **NOTE)


class GroupForm(RecordForm):
    kind = SelectField("类别", choices=options(list(organisation.KINDS.items())))
    name = StringField("名称", validators=[InputRequired("请填写名称。"), Length(max=200)])
    formed_on = DateField("成立日期", validators=[InputRequired("请填写成立日期。")])
    dissolved_on = DateField("撤销日期", validators=[Optional()])
    members = SelectMultipleField("成员", coerce=int, validate_choice=False,
                                  description="“241”专班：公安 2 名、市场监管 4 名、住房保障 1 名。按住 Ctrl 多选。")
    note = TextAreaField("说明", **NOTE)


class DocumentForm(RecordForm):
    kind = SelectField("类别", choices=options(list(documents.KINDS.items())))
    year = IntegerField("年度", validators=[InputRequired("请填写年度。"), NumberRange(2000, 2100, "年度有误。")])
    title = StringField("标题", validators=[InputRequired("请填写标题。"), Length(max=200)])
    approved_on = DateField("印发（批准）日期", validators=[InputRequired("请填写印发日期。")])
    amount = DecimalField("保障金额（元）", places=2, validators=[Optional()], description="经费保障说明必填。")
    file = FileField("文件", validators=[EvidenceFiles()], description="PDF 或图片；修改时不上传则保留原文件。")
    note = TextAreaField("说明", **NOTE)
    file_fields = ("file",)


FORMS = {"publicity": PublicityForm, "letters": LetterForm, "alerts": AlertForm, "filings": FilingForm,
         "case-reports": CaseReportForm, "reports": ReportForm, "groups": GroupForm, "documents": DocumentForm}


class ImportForm(FlaskForm):
    class Meta:
        locales = ["zh"]

    file = FileField("警情统计表（.xlsx）")
