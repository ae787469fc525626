"""The bureau's tables: the official roster of above-scale enterprises, diagnosis rounds, a
per-diagnosis summary kept on submit (what the dashboards aggregate in SQL) and peer snapshots."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import utcnow
from ..extensions import db
from ..reference.models import Area, Industry


class RosterEntry(db.Model):
    """One above-scale enterprise on the bureau's official list. Registered enterprises are matched
    by credit code; the roster, not registration, is the denominator of coverage."""

    __tablename__ = "roster_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    industry_code: Mapped[str] = mapped_column(ForeignKey("industry.code"), index=True)
    contact_name: Mapped[str] = mapped_column(String(60), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    area: Mapped[Area] = relationship()
    industry: Mapped[Industry] = relationship()


class DiagnosisRound(db.Model):
    """A period in which every enterprise on the roster is to complete one diagnosis. Without a
    current round configured, the current calendar year is the round."""

    __tablename__ = "diagnosis_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)          # inclusive
    is_current: Mapped[bool] = mapped_column(Boolean, default=False)


class DiagnosisSummary(db.Model):
    """The figures of a submitted diagnosis that the bureau aggregates, one row per submission,
    written on submit. ``is_latest`` marks each enterprise's newest submission."""

    __tablename__ = "diagnosis_summary"
    __table_args__ = (Index("ix_diagnosis_summary_enterprise_time", "enterprise_id", "submitted_at"),
                      Index("ix_diagnosis_summary_latest", "is_latest", "enterprise_id"))

    diagnosis_id: Mapped[int] = mapped_column(ForeignKey("diagnosis.id", ondelete="CASCADE"), primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    is_latest: Mapped[bool] = mapped_column(Boolean, default=True)
    sme_grade: Mapped[int | None] = mapped_column(Integer)
    sme_label: Mapped[str] = mapped_column(String(40), default="")
    cmmm_level: Mapped[int | None] = mapped_column(Integer)
    cmmm_label: Mapped[str] = mapped_column(String(40), default="")
    key_processes_total: Mapped[int | None] = mapped_column(Integer)
    key_processes_nc: Mapped[int | None] = mapped_column(Integer)
    equipment_total: Mapped[int | None] = mapped_column(Integer)
    equipment_networked: Mapped[int | None] = mapped_column(Integer)
    robots: Mapped[int | None] = mapped_column(Integer)
    smart_lines: Mapped[int | None] = mapped_column(Integer)
    smart_workshops: Mapped[int | None] = mapped_column(Integer)
    on_cloud: Mapped[bool] = mapped_column(Boolean, default=False)
    lianghua_status: Mapped[str] = mapped_column(String(20), default="")


class PeerSnapshot(db.Model):
    """Average maturity sub-domain scores of one peer group, frozen for one period, over at least
    ``MIN_PEERS`` enterprises on the roster: later submissions do not move it, so no single
    enterprise's scores can be recovered by difference."""

    __tablename__ = "peer_snapshot"
    __table_args__ = (UniqueConstraint("period", "basis", "group_key", name="uq_peer_snapshot_group"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(10))
    basis: Mapped[str] = mapped_column(String(20))          # "industry" | "area"
    group_key: Mapped[str] = mapped_column(String(40))
    count: Mapped[int] = mapped_column(Integer)
    subdomains: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


__all__ = ["RosterEntry", "DiagnosisRound", "DiagnosisSummary", "PeerSnapshot"]
