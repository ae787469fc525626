from __future__ import annotations

import enum
import secrets
from datetime import datetime, timezone

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..reference.models import Area, Industry
from .passwords import hash_password, verify_password


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def new_session_token() -> str:
    return secrets.token_hex(16)


class Role(str, enum.Enum):
    ENTERPRISE = "enterprise"
    PROVIDER = "provider"
    BUREAU = "bureau"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {"enterprise": "企业用户", "provider": "服务商", "bureau": "主管部门", "admin": "管理员"}[self.value]


class Enterprise(db.Model):
    __tablename__ = "enterprise"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    industry_code: Mapped[str] = mapped_column(ForeignKey("industry.code"), index=True)
    above_scale: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_name: Mapped[str] = mapped_column(String(60))
    contact_phone: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    area: Mapped[Area] = relationship()
    industry: Mapped[Industry] = relationship()


class ProviderOrganization(db.Model):
    """A solution provider (服务商) company. It registers itself; an admin or the city bureau approves
    it. Its users see the diagnoses shared with it only while it is approved."""

    __tablename__ = "provider_organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # Organizations made by ``create-user --organization`` (operators) have no code on file.
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    service_areas: Mapped[list[str]] = mapped_column(JSON, default=list)     # area codes; empty: whole city
    specialties: Mapped[list[str]] = mapped_column(JSON, default=list)       # keys of providers.specialties
    contact_name: Mapped[str] = mapped_column(String(60), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)   # pending|approved|rejected
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def approved(self) -> bool:
        return self.status == "approved"


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(db.Enum(Role, native_enum=False, length=20,
                                               values_callable=lambda e: [m.value for m in e]))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))
    organization: Mapped[str] = mapped_column(String(200), default="")
    # A provider user belongs to one provider organization (``organization`` keeps its name).
    provider_organization_id: Mapped[int | None] = mapped_column(ForeignKey("provider_organization.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of the id a login session stores (``get_id``): replacing it ends every session of the
    # user at once (logout, password change), and a session cannot be forged from the user id alone.
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    enterprise: Mapped[Enterprise | None] = relationship()
    area: Mapped[Area | None] = relationship()
    provider_organization: Mapped[ProviderOrganization | None] = relationship()

    def get_id(self) -> str:  # Flask-Login: what the session cookie holds
        return f"{self.id}:{self.session_token}"

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return verify_password(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active


class ApiToken(db.Model):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()
