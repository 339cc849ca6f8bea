"""Login and logout."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from workflows.org import accounts
from workflows.org.models import User

from ..access import safe_next
from ..db import read_session, services
from .identity import Identity

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名"), Length(max=64)])
    password = PasswordField("密码", validators=[DataRequired("请输入密码"), Length(max=200)])


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with user name and password."""
    if current_user.is_authenticated:
        return redirect(url_for("tasks.inbox"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        cfg = current_app.config
        result = accounts.attempt_login(services(), form.username.data, form.password.data,
                                        cfg["LOGIN_MAX_FAILURES"], cfg["LOGIN_LOCK_MINUTES"])
        if result.user_id is not None:
            user = read_session().scalar(sa.select(User).where(User.id == result.user_id))
            login_user(Identity(user))
            return redirect(safe_next(request.args.get("next")) or url_for("tasks.inbox"))
        flash(result.message, "error")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out (a POST with the CSRF token, so another site cannot log a user out)."""
    logout_user()
    flash("您已退出登录。", "info")
    return redirect(url_for("auth.login"))
