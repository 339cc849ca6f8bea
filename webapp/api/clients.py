"""Administration of API client systems: list them and create one, showing its token once."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Regexp

from workflows.complaints import service as complaints
from workflows.complaints.models import ApiClient
from workflows.org.areas import area_by_address
from workflows.org.models import Area

from ..access import role_required
from ..db import read_session, services

bp = Blueprint("api_clients", __name__, url_prefix="/admin/api-clients")


class ApiClientForm(FlaskForm):
    class Meta:
        locales = ["zh"]

    name = StringField("系统名称", validators=[DataRequired("请填写系统名称。"), Length(max=64, message="不超过64个字符。"),
                                            Regexp(r"^[\w\u4e00-\u9fff.-]+$", message="只能使用中文、字母、数字、点、横线和下划线。")],
                       description="如 12315平台；提交的举报在台账中以此名称标明来源。")
    area = StringField("受理辖区", validators=[DataRequired("请选择受理辖区。"), Length(max=400)],
                       description="举报没有标准地址时按此辖区受理，一般为区。",
                       render_kw={"list": "area-options", "autocomplete": "off"})


def _clients():
    return read_session().execute(sa.select(ApiClient, Area.full_name).outerjoin(Area, Area.id == ApiClient.area_id)
                                  .order_by(ApiClient.created_at)).all()


def _areas():
    return list(read_session().scalars(sa.select(Area).where(Area.kind.in_(("district", "street")))
                                       .order_by(Area.path)))


@bp.route("", methods=["GET", "POST"])
@role_required("admin")
def index():
    """Client systems; creating one shows its token this once (only a hash is stored)."""
    form = ApiClientForm()
    token, status = None, 200
    if form.validate_on_submit():
        name = form.name.data.strip()
        area = area_by_address(read_session(), form.area.data)
        if area is None:
            form.area.errors = ["找不到这个区域，请从提示中选择。"]
        elif read_session().scalar(sa.select(ApiClient.id).where(ApiClient.name == name)) is not None:
            form.name.errors = ["已有同名的接口客户端。"]
        else:
            token = complaints.create_api_client(services(), name, area.id)
            form = ApiClientForm(formdata=None)
        if token is None:
            status = 422
    elif form.is_submitted():
        status = 422
    return render_template("api/clients.html", form=form, token=token, clients=_clients(), areas=_areas()), status
