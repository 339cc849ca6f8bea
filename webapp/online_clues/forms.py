"""The clue ledger's form: the service checks the facts (date, 统一社会信用代码); this form holds what was typed."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from forms.base import options
from forms.files import EvidenceFiles, chosen_files
from workflows.online_clues.models import SOURCES

LINES_HINT = "每行一个。"


class Required:
    """Marks a field as required on the page; the service checks it (with the other facts) and says why."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        pass


class ClueForm(FlaskForm):
    class Meta:
        locales = ["zh"]

    source = SelectField("线索来源", choices=options(list(SOURCES.items())), default="monitoring", validators=[Required()])
    # Text, not a DateField: a wrong date comes back with the service's message and the text as typed.
    received_on = StringField("接收日期", validators=[Required()], render_kw={"type": "date", "placeholder": "2026-11-23"})
    area_id = SelectField("所属辖区", coerce=int, choices=[], validate_choice=False, validators=[Required()])
    scheme_name = StringField("项目或平台名称", validators=[Required(), Length(max=200, message="不能超过 200 个字。")],
                              description="涉嫌传销的项目、“平台”或 App 对外使用的名称。")
    aliases = TextAreaField("别名", validators=[Length(max=2000)], description="曾用名、简称、谐音名。" + LINES_HINT)
    urls = TextAreaField("网址", validators=[Length(max=4000)], description="网站、推广链接、直播间链接。" + LINES_HINT)
    app_ids = TextAreaField("应用或小程序标识", validators=[Length(max=2000)],
                            description="App 包名、小程序 AppID、公众号名称等。" + LINES_HINT)
    platform_name = StringField("涉及的网络平台", validators=[Length(max=200)],
                                description="发布涉传信息所在的平台（如某短视频平台），选填。")
    platform_credit_code = StringField("平台统一社会信用代码", validators=[Length(max=30)],
                                       description="18 位，选填；填写后，线索查实时该平台若已命名“无传销网络平台”，将触发复查。",
                                       render_kw={"autocomplete": "off"})
    summary = TextAreaField("线索摘要", validators=[Length(max=4000)])
    screenshots = MultipleFileField("截图", validators=[EvidenceFiles()],
                                    description="JPG、PNG 或 PDF，单个不超过 10 MB。",
                                    render_kw={"accept": ".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"})

    def fields(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "source", "received_on", "area_id", "scheme_name", "aliases", "urls", "app_ids", "platform_name",
            "platform_credit_code", "summary")}

    def uploads(self) -> list:
        return chosen_files(self.screenshots.data)
