"""Writes for provider organizations: self-registration with the first user, approval, and the
directory enterprises browse (approved organizations only)."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError

from ..accounts.credit_code import credit_code_problem, normalize
from ..accounts.models import ProviderOrganization, Role, User, utcnow
from ..accounts.passwords import hash_password, password_problem
from ..accounts.services import EMAIL_UNAVAILABLE, AccountError, email_taken
from ..audit.services import record, register_actions
from ..extensions import db
from ..reference.models import Area
from .specialties import SPECIALTIES

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
STATUS_LABELS = {PENDING: "待审核", APPROVED: "已通过", REJECTED: "未通过"}

register_actions(**{
    "provider.register": "服务商注册",
    "provider.approve": "审核通过服务商",
    "provider.reject": "驳回服务商注册",
})


@dataclass
class ProviderRegistration:
    organization_name: str
    credit_code: str
    contact_name: str
    contact_phone: str
    email: str
    password: str
    specialties: list[str] = field(default_factory=list)
    service_areas: list[str] = field(default_factory=list)     # area codes; empty: the whole city
    description: str = ""


def register_provider(reg: ProviderRegistration) -> User:
    """A pending organization and its first user (who can log in, but sees nothing shared until
    the organization is approved). Raises ``AccountError`` naming the field."""
    name = reg.organization_name.strip()
    if len(name) < 4:
        raise AccountError("organization_name", "请填写服务商的完整名称（至少 4 个字）")
    code = normalize(reg.credit_code)
    problem = credit_code_problem(code)
    if problem:
        raise AccountError("credit_code", problem)
    unknown = [s for s in reg.specialties if s not in SPECIALTIES]
    if not reg.specialties or unknown:
        raise AccountError("specialties", "请至少选择一项服务专长")
    known_areas = set(db.session.scalars(select(Area.code)))
    if any(a not in known_areas for a in reg.service_areas):
        raise AccountError("service_areas", "服务区域不在本市范围内")
    if not reg.contact_name.strip():
        raise AccountError("contact_name", "请填写联系人")
    if not reg.contact_phone.strip():
        raise AccountError("contact_phone", "请填写联系电话")
    problem = password_problem(reg.password, reg.email)
    if problem:
        raise AccountError("password", problem)
    password_hash = hash_password(reg.password)
    if db.session.scalar(select(ProviderOrganization.id).where(ProviderOrganization.credit_code == code)):
        raise AccountError("credit_code", "该统一社会信用代码已注册，请使用已有账号登录")
    if db.session.scalar(select(ProviderOrganization.id).where(ProviderOrganization.name == name)):
        raise AccountError("organization_name", "该名称的服务商已注册")
    if email_taken(reg.email):
        raise AccountError("email", EMAIL_UNAVAILABLE)
    org = ProviderOrganization(name=name, credit_code=code, specialties=list(dict.fromkeys(reg.specialties)),
                               service_areas=list(dict.fromkeys(reg.service_areas)),
                               contact_name=reg.contact_name.strip(), contact_phone=reg.contact_phone.strip(),
                               description=reg.description.strip(), status=PENDING)
    user = User(email=reg.email.strip().lower(), name=reg.contact_name.strip(), role=Role.PROVIDER,
                organization=name, provider_organization=org, password_hash=password_hash)
    db.session.add_all([org, user])
    db.session.flush()
    record(user, "provider.register", target=org, organization=name)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AccountError("credit_code", "该服务商已注册（名称、信用代码或邮箱已被使用）") from None
    return user


def can_decide(user: User) -> bool:
    """Approving providers: the admin, or a city (unscoped) bureau."""
    return user.role == Role.ADMIN or (user.role == Role.BUREAU and user.area_id is None)


def decide(org: ProviderOrganization, actor: User, approve: bool, note: str = "") -> None:
    org.status = APPROVED if approve else REJECTED
    org.decided_at = utcnow()
    org.decision_note = note.strip()[:500]
    record(actor, "provider.approve" if approve else "provider.reject", target=org, organization=org.name)
    db.session.commit()


def directory(specialty: str | None = None, area_code: str | None = None) -> list[ProviderOrganization]:
    """Approved organizations, optionally with a specialty and serving an area (an organization
    with no service areas serves the whole city)."""
    orgs = db.session.scalars(_approved().order_by(ProviderOrganization.name)).all()
    if specialty:
        orgs = [o for o in orgs if specialty in (o.specialties or [])]
    if area_code:
        orgs = [o for o in orgs if not o.service_areas or area_code in o.service_areas]
    return orgs


def _approved() -> Select:
    return select(ProviderOrganization).where(ProviderOrganization.status == APPROVED)


def approved_organization(organization_id: int | None) -> ProviderOrganization | None:
    if organization_id is None:
        return None
    return db.session.scalar(_approved().where(ProviderOrganization.id == organization_id))
