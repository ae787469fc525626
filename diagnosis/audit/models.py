"""The audit trail: one row per thing someone did or looked at that others may need to account for."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User, utcnow
from ..extensions import db


class AuditEvent(db.Model):
    """Append-only: rows are written by ``audit.services.record`` and never updated or deleted.

    ``enterprise_id`` and ``area_id`` say whose trail the event belongs to, so an enterprise reads
    the events about its own diagnoses and a bureau the events in its area; ``diagnosis_id`` links
    the diagnosis concerned, if any.
    """

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_enterprise_time", "enterprise_id", "created_at"),
        Index("ix_audit_event_area_time", "area_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    actor_role: Mapped[str] = mapped_column(String(20), default="")
    action: Mapped[str] = mapped_column(String(60), index=True)
    target_type: Mapped[str] = mapped_column(String(40), default="")
    target_id: Mapped[int | None] = mapped_column()
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))
    diagnosis_id: Mapped[int | None] = mapped_column(ForeignKey("diagnosis.id", ondelete="SET NULL"), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip: Mapped[str] = mapped_column(String(45), default="")

    actor: Mapped[User | None] = relationship()
