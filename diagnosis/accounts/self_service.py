"""What users do to their own account: recover a forgotten password by email, change the password,
keep the enterprise's details current. Each change is audited in the transaction that makes it.

Asking for a reset link never tells whether the email has an account: the answer is the same, and a
link is mailed only to an active account when a mail server is configured (``diagnosis.mail``);
without one the page sends the user to the administrator, who resets passwords.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

from flask import current_app, url_for
from sqlalchemy import func, select

from .. import mail
from ..audit.services import record, register_actions
from ..extensions import db
from ..reference.models import Area, Industry
from .models import Enterprise, User
from .reset import reset_token, set_password
from .services import AccountError

register_actions(**{
    "account.reset_requested": "申请重置密码",
    "account.password_reset": "通过邮件链接重置密码",
    "account.password_changed": "修改密码",
    "enterprise.profile_updated": "修改企业信息",
})

RESET_SUBJECT = "智造诊断：重置密码"


def request_reset(email: str, ip: str = "") -> threading.Thread | None:
    """Mail a reset link to the active account with this email, if there is one and mail is set up.

    What the page says must not depend on it, and neither may how long the answer takes: the
    message is sent (and the request audited) in a background thread, after the same lookup either
    way. Returns that thread (None when nothing is sent), for callers that wait for it."""
    if not mail.configured():
        return None
    user = db.session.scalar(select(User).where(func.lower(User.email) == (email or "").strip().lower()))
    if user is None or not user.active:
        return None
    link = url_for("auth.reset_password", token=reset_token(user), _external=True)
    hours = current_app.config.get("PASSWORD_RESET_HOURS", 2)
    body = (f"{user.name}，您好：\n\n有人（可能是您本人）申请重置智造诊断账号 {user.email} 的密码。"
            f"如需重置，请在 {hours:g} 小时内打开下面的链接设置新密码（链接只能使用一次）：\n\n{link}\n\n"
            f"如果不是您本人申请，请忽略本邮件，原密码仍然有效。\n")
    thread = threading.Thread(target=_send_reset, args=(current_app._get_current_object(), user.id, body, ip),
                              name="password-reset-mail", daemon=True)
    thread.start()
    return thread


def _send_reset(app, user_id: int, body: str, ip: str) -> None:
    with app.app_context():
        user = db.session.get(User, user_id)
        if user is not None and mail.send(user.email, RESET_SUBJECT, body):
            # Whoever asked is not signed in (perhaps not the owner): no actor, the account is the target.
            record(None, "account.reset_requested", enterprise=user.enterprise, target=user, ip=ip)
            db.session.commit()
        db.session.remove()


def reset_password(user: User, password: str, password2: str, ip: str = "") -> None:
    """Set the new password of a reset link's user; ends every session (the link stops working)."""
    if password != password2:
        raise AccountError("password2", "两次输入的密码不一致")
    _set_audited(user, password, "password", "account.password_reset", ip)


def change_password(user: User, current: str, password: str, password2: str, ip: str = "") -> None:
    """The user's own password change: needs the current password; ends every session and API token
    of the user (the caller signs this browser in again)."""
    if not user.check_password(current or ""):
        raise AccountError("current_password", "当前密码不正确")
    if password != password2:
        raise AccountError("new_password2", "两次输入的密码不一致")
    if password == current:
        raise AccountError("new_password", "新密码不能与当前密码相同")
    _set_audited(user, password, "new_password", "account.password_changed", ip)


def _set_audited(user: User, password: str, field: str, action: str, ip: str) -> None:
    record(user, action, enterprise=user.enterprise, target=user, ip=ip)
    try:
        set_password(user, password, field=field)      # commits the audit row with the change
    except AccountError:
        db.session.rollback()
        raise


@dataclass
class EnterpriseDetails:
    """What an enterprise keeps current itself (name and credit code change through the admin)."""

    contact_name: str
    contact_phone: str
    area_id: int
    industry_code: str
    above_scale: bool


def update_enterprise(user: User, details: EnterpriseDetails, ip: str = "") -> list[str]:
    """Write the enterprise's details; returns the names of the fields that changed (audited with
    their old and new values; nothing is written when none did)."""
    enterprise: Enterprise | None = user.enterprise
    if enterprise is None:
        raise AccountError("contact_name", "只有企业用户可以修改企业信息")
    if db.session.get(Area, details.area_id) is None:
        raise AccountError("area_id", "请选择所在县（市、区）")
    if db.session.get(Industry, details.industry_code) is None:
        raise AccountError("industry_code", "请选择所属行业")
    new = {"contact_name": details.contact_name.strip(), "contact_phone": details.contact_phone.strip(),
           "area_id": details.area_id, "industry_code": details.industry_code, "above_scale": bool(details.above_scale)}
    changes = {k: [getattr(enterprise, k), v] for k, v in new.items() if getattr(enterprise, k) != v}
    if not changes:
        return []
    if "contact_name" in changes and user.name == enterprise.contact_name:
        user.name = new["contact_name"]             # the account was named after the contact
    for key, (_, value) in changes.items():
        setattr(enterprise, key, value)
    record(user, "enterprise.profile_updated", enterprise=enterprise, target=enterprise, ip=ip, changes=changes)
    db.session.commit()
    return list(changes)
