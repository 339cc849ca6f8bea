"""Administration forms: users, passwords, five-contract assignments, diagram uploads."""
from __future__ import annotations

import re

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, Optional, ValidationError

from forms.base import MultiCheckboxField, options
from forms.validators import Phone
from workflows.org.passwords import password_problem
from workflows.org.roles import ROLE_NAMES

ROLE_CHOICES = list(ROLE_NAMES.items())
USERNAME_RE = re.compile(r"^[a-z][a-z0-9_.-]{2,63}$")


class _Form(FlaskForm):
    class Meta:
        locales = ["zh"]


class StrongPassword:
    """The account rules (workflows.org.passwords) on the form: common, trivial and too short refused in place."""

    def __init__(self, username_field: str | None = None):
        self.username_field = username_field

    def __call__(self, form, field):
        username = form[self.username_field].data if self.username_field and self.username_field in form else ""
        problem = password_problem(field.data or "", username or "")
        if problem:
            raise ValidationError(problem)


def password_field(label: str = "密码", username_field: str | None = None):
    return PasswordField(label, validators=[InputRequired("请填写密码。"),
                                            Length(min=10, max=200, message="密码至少 10 位。"),
                                            StrongPassword(username_field)])


class UserForm(_Form):
    display_name = StringField("姓名/显示名", validators=[InputRequired("请填写姓名。"), Length(max=64)])
    roles = MultiCheckboxField("角色", choices=options(ROLE_CHOICES))
    area = StringField("所属区域", validators=[InputRequired("请填写所属区域。")],
                       description="标准地址全称，如 吴家山街 或 吴家山街第一社区花园小区；用户只能看到该区域内的案件。",
                       render_kw={"list": "area-options", "autocomplete": "off"})
    department = SelectField("所属单位", coerce=str, validate_choice=False)
    phone = StringField("电话", validators=[Optional(), Phone()])
    active = BooleanField("账号启用", default=True)

    def validate_roles(self, field):
        if not field.data:
            raise ValidationError("请至少选择一个角色。")


class NewUserForm(UserForm):
    username = StringField("用户名", validators=[InputRequired("请填写用户名。")],
                           description="小写字母开头，3–64 位，可含数字、下划线、点和短横线。")
    password = password_field("初始密码", "username")
    confirm = PasswordField("确认密码", validators=[EqualTo("password", "两次输入的密码不一致。")])

    def validate_username(self, field):
        if field.data and not USERNAME_RE.match(field.data):
            raise ValidationError("用户名格式不正确：小写字母开头，3–64 位，可含数字、下划线、点和短横线。")


class PasswordForm(_Form):
    password = password_field("新密码")
    confirm = PasswordField("确认新密码", validators=[EqualTo("password", "两次输入的密码不一致。")])


class AssignmentForm(_Form):
    user = SelectField("责任人", coerce=str, validate_choice=False)


class DiagramForm(_Form):
    diagram = FileField("BPMN 流程图文件", description="从 Camunda Modeler 或 bpmn.io 导出的 .bpmn 文件，上传前先通过检查。")

    def validate_diagram(self, field):
        f = field.data
        if not f or not getattr(f, "filename", ""):
            raise ValidationError("请选择 .bpmn 文件。")
        if not f.filename.lower().endswith((".bpmn", ".xml")):
            raise ValidationError("只能上传 .bpmn 文件。")
