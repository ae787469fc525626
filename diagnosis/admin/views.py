"""Admin console: users (create, deactivate, reset password, change role and area), diagnosis
rounds, and the way to the roster import. Admin only; everything done here is audited."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select

from ..accounts.models import Role, User
from ..accounts.services import AccountError
from ..audit.services import record
from ..bureau.rounds import all_rounds, current_round, save_round
from ..extensions import db
from ..reference.models import Area
from ..roles import role_required
from . import services

bp = Blueprint("admin", __name__, url_prefix="/admin")
PAGE_SIZE = 50


def _ip() -> str:
    return request.remote_addr or ""


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _area_id() -> int | None:
    value = request.form.get("area_id", "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def _role() -> Role:
    try:
        return Role(request.form.get("role", ""))
    except ValueError:
        raise AccountError("role", "请选择角色") from None


@bp.route("/users")
@role_required(Role.ADMIN)
def users():
    q = request.args.get("q", "").strip()[:100]
    query = select(User).order_by(User.created_at.desc(), User.id.desc())
    if q:
        query = query.where(or_(User.email.ilike(f"%{q}%"), User.name.ilike(f"%{q}%"),
                                User.organization.ilike(f"%{q}%")))
    role = request.args.get("role", "")
    if role in {r.value for r in Role}:
        query = query.where(User.role == Role(role))
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    number = request.args.get("page", "1")
    number = int(number) if number.isdigit() and len(number) < 6 else 1
    rows = db.session.scalars(query.limit(PAGE_SIZE).offset((max(number, 1) - 1) * PAGE_SIZE)).all()
    areas = db.session.scalars(select(Area).order_by(Area.position)).all()
    return render_template("admin/users.html", rows=rows, total=total, page=number,
                           pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1), q=q, role=role, areas=areas,
                           roles=list(Role), staff_roles=services.STAFF_ROLES)


def _done(message: str):
    flash(message, "ok")
    return redirect(request.referrer if request.referrer and "/admin/" in request.referrer else url_for(".users"))


def _failed(exc: AccountError):
    flash(f"操作未完成：{exc.message}", "error")
    return redirect(url_for(".users"))


def _carry_out(change, done):
    """Run an account service; on ``AccountError`` roll back and say why, else say ``done`` (a
    message, or a function of what the service returned)."""
    try:
        outcome = change()
    except AccountError as exc:
        db.session.rollback()
        return _failed(exc)
    return _done(done(outcome) if callable(done) else done)


@bp.route("/users", methods=["POST"])
@role_required(Role.ADMIN)
def create_user():
    return _carry_out(lambda: services.create_staff_user(
        current_user, request.form.get("email", ""), request.form.get("name", ""), _role(),
        request.form.get("password", ""), request.form.get("organization", ""), _area_id(), _ip()),
        lambda user: f"已创建账号 {user.email}")


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@role_required(Role.ADMIN)
def set_active(user_id: int):
    user = _user_or_404(user_id)
    active = request.form.get("active") == "1"
    return _carry_out(lambda: services.set_active(current_user, user, active, _ip()),
                      f"已{'启用' if active else '停用'} {user.email}，其所有登录会话已结束")


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@role_required(Role.ADMIN)
def reset_password(user_id: int):
    user = _user_or_404(user_id)
    return _carry_out(lambda: services.reset_password(current_user, user, request.form.get("password", ""), _ip()),
                      f"已重置 {user.email} 的密码，其所有登录会话已结束；请通过安全渠道告知新密码")


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@role_required(Role.ADMIN)
def change_role(user_id: int):
    user = _user_or_404(user_id)
    return _carry_out(lambda: services.change_role(current_user, user, _role(), _area_id(), _ip()),
                      f"已修改 {user.email} 的角色或区域")


@bp.route("/rounds", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def rounds():
    if request.method == "POST":
        name = request.form.get("name", "").strip()[:60]
        try:
            starts_on = date.fromisoformat(request.form.get("starts_on", ""))
            ends_on = date.fromisoformat(request.form.get("ends_on", ""))
            if not name:
                raise ValueError("请填写轮次名称")
            row = save_round(name, starts_on, ends_on, request.form.get("current") == "1")
        except ValueError as exc:
            db.session.rollback()
            message = str(exc) if "日期" in str(exc) or "名称" in str(exc) else "请填写有效的开始和结束日期（YYYY-MM-DD）"
            flash(f"轮次未保存：{message}", "error")
        else:
            record(current_user, "round.save", target=row, ip=_ip(), name=name, starts_on=starts_on.isoformat(),
                   ends_on=ends_on.isoformat(), current=row.is_current)
            db.session.commit()
            flash(f"已保存轮次 {name}", "ok")
        return redirect(url_for(".rounds"))
    return render_template("admin/rounds.html", rounds=all_rounds(), current=current_round())
