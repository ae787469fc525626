"""The signed-in user's own account: password change (every role) and the enterprise's details."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from ..reference.services import area_choices, industry_choices
from ..roles import role_required
from .forms import ChangePasswordForm, EnterpriseDetailsForm
from .models import Role
from .self_service import EnterpriseDetails, change_password, update_enterprise
from .services import AccountError
from .sessions import sign_in

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            change_password(user, form.current_password.data, form.new_password.data, form.new_password2.data,
                            ip=request.remote_addr or "")
        except AccountError as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            sign_in(user)           # every other session has ended; this browser stays signed in
            flash("密码已修改。其他设备上的登录已全部退出。", "success")
            return redirect(url_for("home.index"))
    return render_template("account/password.html", form=form)


@bp.route("/enterprise", methods=["GET", "POST"])
@role_required(Role.ENTERPRISE)
def profile():
    enterprise = current_user.enterprise
    form = EnterpriseDetailsForm(obj=None if request.method == "POST" else enterprise)
    if request.method == "GET":
        form.area_id.data = str(enterprise.area_id)
    form.area_id.choices = [SelectChoice(v, label) for v, label in [("", "请选择")] + area_choices()]
    form.industry_code.choices = [SelectChoice(v, label) for v, label in [("", "请选择")] + industry_choices()]
    if form.validate_on_submit():
        try:
            changed = update_enterprise(current_user._get_current_object(), EnterpriseDetails(
                contact_name=form.contact_name.data, contact_phone=form.contact_phone.data,
                area_id=int(form.area_id.data), industry_code=form.industry_code.data,
                above_scale=form.above_scale.data), ip=request.remote_addr or "")
        except AccountError as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            flash("企业信息已保存。" if changed else "企业信息没有变化。", "success" if changed else "info")
            return redirect(url_for("enterprise.home"))
    return render_template("account/enterprise.html", form=form, enterprise=enterprise)
