"""Login, logout, enterprise self-registration, and recovering a forgotten password."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, logout_user
from wtforms.fields.choices import SelectChoice

from ..reference.services import area_choices, industry_choices
from .. import mail
from .forms import ForgotPasswordForm, LoginForm, RegisterForm, ResetPasswordForm
from .next_url import safe_next
from .sessions import sign_in, sign_out
from .reset import user_for_reset_token
from .self_service import request_reset, reset_password
from .services import AccountError, Registration, authenticate, register_enterprise

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():  # rate-limited: diagnosis.rate_limits
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append("邮箱或密码不正确")
        else:
            sign_in(user)
            return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    sign_out(current_user._get_current_object())
    flash("已退出登录。", "info")
    return redirect(url_for("auth.login"))


@bp.route("/register", methods=["GET", "POST"])
def register():  # rate-limited: diagnosis.rate_limits
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = RegisterForm()
    form.area_id.choices = [SelectChoice(v, label) for v, label in [("", "请选择")] + area_choices()]
    form.industry_code.choices = [SelectChoice(v, label) for v, label in [("", "请选择")] + industry_choices()]
    if form.validate_on_submit():
        try:
            user = register_enterprise(Registration(
                enterprise_name=form.enterprise_name.data, credit_code=form.credit_code.data,
                area_id=int(form.area_id.data), industry_code=form.industry_code.data,
                above_scale=form.above_scale.data, contact_name=form.contact_name.data,
                contact_phone=form.contact_phone.data, email=form.email.data, password=form.password.data))
        except AccountError as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            sign_in(user)
            flash("注册成功，欢迎使用智造诊断。", "success")
            return redirect(url_for("enterprise.home"))
    return render_template("auth/register.html", form=form)


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():  # rate-limited: diagnosis.rate_limits
    """The same answer whether or not the email has an account."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = ForgotPasswordForm()
    if mail.configured() and form.validate_on_submit():
        request_reset(form.email.data, ip=request.remote_addr or "")
        return render_template("auth/forgot_password.html", form=form, sent=True, mail_configured=True)
    return render_template("auth/forgot_password.html", form=form, sent=False, mail_configured=mail.configured())


@bp.route("/reset-password/<token>", methods=["GET", "POST"], endpoint="reset_password")
def reset_password_view(token: str):
    user = user_for_reset_token(token)
    if user is None:
        return render_template("auth/reset_invalid.html"), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            reset_password(user, form.password.data, form.password2.data, ip=request.remote_addr or "")
        except AccountError as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            logout_user()            # whoever was signed in in this browser: sign in afresh
            flash("密码已重置，所有已登录的设备均已退出。请用新密码登录。", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form, user=user)
