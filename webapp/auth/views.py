"""Login, logout and changing one's own password (forced at the first login and after a reset)."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length

from workflows.exceptions import ValidationFailed
from workflows.org import accounts
from workflows.org.models import User

from ..access import resolved, safe_next
from ..db import read_session, services
from .identity import Identity

bp = Blueprint("auth", __name__)

# Pages a user who must change their password may still reach.
OPEN_WHILE_FORCED = {"auth.change_password", "auth.logout", "auth.login", "static"}


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名"), Length(max=64)])
    password = PasswordField("密码", validators=[DataRequired("请输入密码"), Length(max=200)])


class ChangePasswordForm(FlaskForm):
    current = PasswordField("当前密码", validators=[InputRequired("请输入当前密码。"), Length(max=200)])
    password = PasswordField("新密码", validators=[InputRequired("请输入新密码。"), Length(max=200)])
    confirm = PasswordField("确认新密码", validators=[EqualTo("password", "两次输入的新密码不一致。")])


def client_address() -> str:
    """The client's address as this process sees it (behind a proxy: see DACHUAN_PROXY_HOPS)."""
    return (request.remote_addr or "unknown")[:64]


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with user name and password."""
    if current_user.is_authenticated:
        return redirect(url_for("tasks.inbox"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        result = accounts.attempt_login(services(), form.username.data, form.password.data, client_address())
        if result.user_id is not None:
            user = read_session().scalar(sa.select(User).where(User.id == result.user_id))
            login_user(Identity(user))
            target = safe_next(request.args.get("next")) or url_for("tasks.inbox")
            if result.must_change_password:
                session["after_password_change"] = target
                flash("首次登录或密码已由管理员重置，请先设置您自己的密码。", "info")
                return redirect(url_for("auth.change_password"))
            return redirect(target)
        flash(result.message, "error")
        status = 401 if result.message == accounts.GENERIC_FAILURE else 429
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out everywhere (a POST with the CSRF token, so another site cannot log a user out)."""
    accounts.logout(services(), current_user.id)
    logout_user()
    flash("您已退出登录。", "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change my password; every other session of mine ends, this one goes on."""
    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            accounts.change_password(services(), current_user.id, form.current.data, form.password.data)
        except ValidationFailed as exc:
            for name, messages in exc.errors.items():
                form[name].errors = list(form[name].errors) + messages
            status = 422
        else:
            # The change raised the session generation: carry this browser over to the new one (read in a
            # new session: the request's own still holds its snapshot from before the change).
            with services().db.read() as s:
                user = s.get(User, current_user.id)
                login_user(Identity(user))
            flash("密码已修改，其他设备上的登录已全部失效。", "success")
            return redirect(safe_next(session.pop("after_password_change", None)) or url_for("tasks.inbox"))
    elif request.method == "POST":
        status = 422
    return render_template("auth/password.html", form=form,
                           forced=current_user.must_change_password), status


@bp.before_app_request
def _force_password_change():
    """A user whose password an administrator chose reaches nothing but the change page until they change it."""
    user = resolved(current_user)
    if user.is_authenticated and user.must_change_password and request.endpoint not in OPEN_WHILE_FORCED:
        if request.path.startswith("/api/"):
            return None  # API clients authenticate with their own keys, not with this session
        return redirect(url_for("auth.change_password"))
    return None
