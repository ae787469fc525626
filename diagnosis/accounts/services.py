"""Writes for accounts: registration, user creation, sessions and API tokens."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..reference.models import Area, Industry
from .credit_code import credit_code_problem, normalize
from .models import ApiToken, Enterprise, ProviderOrganization, Role, User, new_session_token, utcnow
from .passwords import hash_password, password_problem, verify_nobody


class AccountError(ValueError):
    """A field-level problem: ``field`` names the form field, ``message`` is shown next to it."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


@dataclass
class Registration:
    enterprise_name: str
    credit_code: str
    area_id: int
    industry_code: str
    above_scale: bool
    contact_name: str
    contact_phone: str
    email: str
    password: str


def email_taken(email: str) -> bool:
    return db.session.scalar(select(User.id).where(func.lower(User.email) == email.strip().lower())) is not None


# Registration cannot succeed with an email that has an account, so refusing it says that the
# account exists; without e-mail verification (no mail server here) that much is unavoidable. The
# message stays neutral, the email is checked last (a probe needs an otherwise valid form with an
# unused credit code, and every miss creates a real account), the work is the same either way, and
# registration attempts are rate-limited per address (diagnosis.rate_limits).
EMAIL_UNAVAILABLE = "无法使用该邮箱注册。如果您已有账号，请直接登录；否则请换一个邮箱。"
CREDIT_CODE_TAKEN = "该统一社会信用代码已注册，请使用已有账号登录"


def register_enterprise(reg: Registration) -> User:
    code = normalize(reg.credit_code)
    problem = credit_code_problem(code)
    if problem:
        raise AccountError("credit_code", problem)
    problem = password_problem(reg.password, reg.email)
    if problem:
        raise AccountError("password", problem)
    if db.session.get(Area, reg.area_id) is None:
        raise AccountError("area_id", "请选择所在县（市、区）")
    if db.session.get(Industry, reg.industry_code) is None:
        raise AccountError("industry_code", "请选择所属行业")
    password_hash = hash_password(reg.password)         # before the checks: the same work either way
    if db.session.scalar(select(Enterprise.id).where(Enterprise.credit_code == code)) is not None:
        raise AccountError("credit_code", CREDIT_CODE_TAKEN)
    if email_taken(reg.email):
        raise AccountError("email", EMAIL_UNAVAILABLE)
    enterprise = Enterprise(name=reg.enterprise_name.strip(), credit_code=code, area_id=reg.area_id,
                            industry_code=reg.industry_code, above_scale=reg.above_scale,
                            contact_name=reg.contact_name.strip(), contact_phone=reg.contact_phone.strip())
    user = User(email=reg.email.strip().lower(), name=reg.contact_name.strip(), role=Role.ENTERPRISE,
                enterprise=enterprise, password_hash=password_hash)
    db.session.add_all([enterprise, user])
    try:
        db.session.commit()
    except IntegrityError:          # the same code or email registered at the same moment
        db.session.rollback()
        if db.session.scalar(select(Enterprise.id).where(Enterprise.credit_code == code)) is not None:
            raise AccountError("credit_code", CREDIT_CODE_TAKEN) from None
        raise AccountError("email", EMAIL_UNAVAILABLE) from None
    return user


def create_user(email: str, password: str, role: Role, name: str = "", organization: str = "",
                area: Area | None = None, enterprise: Enterprise | None = None) -> User:
    email = (email or "").strip()
    limit = User.__table__.c.email.type.length
    if not email or "@" not in email or len(email) > limit:
        raise AccountError("email", f"邮箱格式不正确或超过 {limit} 个字符")
    if email_taken(email):
        raise AccountError("email", f"{email} 已存在")
    if role == Role.ENTERPRISE and enterprise is None:
        raise AccountError("enterprise", "企业用户需关联企业")
    problem = password_problem(password, email)
    if problem:
        raise AccountError("password", problem)
    user = User(email=email.strip().lower(), name=name or email.split("@")[0], role=role,
                organization=organization, area=area, enterprise=enterprise)
    if role == Role.PROVIDER and organization.strip():
        user.provider_organization = provider_organization(organization)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def provider_organization(name: str) -> ProviderOrganization:
    """The provider organization of this name; created approved if missing (an operator creating a
    provider account vouches for it: ``diagnosis create-user --role provider --organization``)."""
    name = name.strip()
    org = db.session.scalar(select(ProviderOrganization).where(ProviderOrganization.name == name))
    if org is None:
        org = ProviderOrganization(name=name, status="approved", decided_at=utcnow(), decision_note="运维创建")
        db.session.add(org)
    return org


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, else None. Costs one password-hash check
    whether or not the email has an account, so timing does not tell which emails are registered."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == (email or "").strip().lower()))
    if user is None:
        verify_nobody(password)
        return None
    if not user.check_password(password or "") or not user.active:
        return None
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, hours: float) -> tuple[str, datetime]:
    """A new bearer token valid for ``hours``; only its hash is stored. Drops the user's expired ones."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    expires = now + timedelta(hours=hours)
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id, ApiToken.expires_at < now))
    db.session.add(ApiToken(user=user, token_hash=_digest(token), expires_at=expires))
    db.session.commit()
    return token, expires


def user_for_token(token: str) -> User | None:
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if row is None:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=timezone.utc)
    if expires < utcnow() or not row.user.active:
        return None
    return row.user


def revoke_token(token: str) -> bool:
    """Ends one bearer token (the API's logout). True if it existed."""
    result = db.session.execute(delete(ApiToken).where(ApiToken.token_hash == _digest(token)))
    db.session.commit()
    return bool(result.rowcount)


def end_all_sessions(user: User) -> None:
    """Ends every login session and API token of ``user``: logout does this, and so must a password
    change or a deactivation. Sessions hold ``user.get_id()``, which changes with the new token."""
    user.session_token = new_session_token()
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    db.session.commit()
