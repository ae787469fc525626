from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, ForeignKey, String, Table, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Enterprise, ProviderOrganization, User, utcnow
from ..extensions import db

DRAFT = "draft"
SUBMITTED = "submitted"
SUBMISSION = 1          # the sequence number of the result scored when a diagnosis is submitted


class QuestionnaireVersion(db.Model):
    """The exact content of one data file, kept for every version a diagnosis was answered on."""

    __tablename__ = "questionnaire_version"
    __table_args__ = (UniqueConstraint("key", "sha256", name="uq_questionnaire_version_key_sha"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    # Tens of kilobytes of JSON, needed only the first time a process meets this version
    # (catalog.document keeps the parsed document): not loaded with the row.
    content: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


diagnosis_instruments = Table(
    "diagnosis_instrument",
    db.metadata,
    Column("diagnosis_id", ForeignKey("diagnosis.id", ondelete="CASCADE"), primary_key=True),
    Column("questionnaire_version_id", ForeignKey("questionnaire_version.id"), primary_key=True),
)


class Diagnosis(db.Model):
    __tablename__ = "diagnosis"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    questionnaire_key: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20), default=DRAFT, index=True)
    profile: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A revision (after a provider asked for clarification) names the diagnosis it revises.
    revision_of_id: Mapped[int | None] = mapped_column(ForeignKey("diagnosis.id"))
    # Optimistic concurrency: every write of a draft (a stage save, the submission) adds one to the
    # version, and only if the version it read is still the stored one; ``field_versions`` maps
    # "profile.<key>" / "answers.<id>" to the version that last changed that value, so a page
    # rendered at version v can tell which of its fields were changed elsewhere since.
    version: Mapped[int] = mapped_column(default=0)
    field_versions: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)

    # Loaded with the diagnosis: every page about one shows its enterprise (and the site header the
    # logged-in user's, which is then found in the session instead of queried again).
    enterprise: Mapped[Enterprise] = relationship(lazy="joined", innerjoin=True)
    created_by: Mapped[User] = relationship()
    instruments: Mapped[list[QuestionnaireVersion]] = relationship(secondary=diagnosis_instruments)
    results: Mapped[list["DiagnosisResult"]] = relationship(
        back_populates="diagnosis", order_by="DiagnosisResult.sequence", cascade="all, delete-orphan")

    @property
    def is_submitted(self) -> bool:
        return self.status == SUBMITTED

    @property
    def result(self) -> "DiagnosisResult | None":
        """The current result: the newest scoring of the submitted answers."""
        return self.results[-1] if self.results else None

    @property
    def number(self) -> str:
        year = (self.submitted_at or self.created_at).year
        return f"ZZ{year}-{self.id:06d}"


def _next_sequence(context) -> int:
    """A row added without a sequence number gets the one after the diagnosis's newest. Two writers
    racing for the same number are stopped by the unique constraint, not by this default."""
    table = DiagnosisResult.__table__
    diagnosis_id = context.get_current_parameters()["diagnosis_id"]
    newest = context.connection.scalar(
        select(func.max(table.c.sequence)).where(table.c.diagnosis_id == diagnosis_id))
    return (newest or 0) + 1


class DiagnosisResult(db.Model):
    """A scoring of a submitted diagnosis. Rescoring adds a row; rows are never updated.

    ``sequence`` numbers a diagnosis's results: ``SUBMISSION`` (1) is the one scored when it was
    submitted, each rescoring adds the next. The unique pair (diagnosis, sequence) is what makes
    "one submission, one result row" hold even if two submits of one diagnosis ever got that far.
    """

    __tablename__ = "diagnosis_result"
    __table_args__ = (UniqueConstraint("diagnosis_id", "sequence", name="uq_diagnosis_result_sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    diagnosis_id: Mapped[int] = mapped_column(ForeignKey("diagnosis.id", ondelete="CASCADE"), index=True)
    sequence: Mapped[int] = mapped_column(default=_next_sequence)
    scoring_version: Mapped[str] = mapped_column(String(40))
    rules_version: Mapped[str] = mapped_column(String(64), default="")
    digest: Mapped[str] = mapped_column(String(64), default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    diagnosis: Mapped[Diagnosis] = relationship(back_populates="results")


class Share(db.Model):
    """An enterprise shares a submitted diagnosis with a provider organization (all its users see it
    while the share is active and the organization approved). Revoking keeps the row."""

    __tablename__ = "diagnosis_share"
    __table_args__ = (UniqueConstraint("diagnosis_id", "organization_id", name="uq_diagnosis_share_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    diagnosis_id: Mapped[int] = mapped_column(ForeignKey("diagnosis.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("provider_organization.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    last_opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    diagnosis: Mapped[Diagnosis] = relationship()
    organization: Mapped[ProviderOrganization] = relationship()
    last_opened_by: Mapped[User | None] = relationship(foreign_keys=[last_opened_by_id])

    @property
    def active(self) -> bool:
        return self.revoked_at is None


REVIEW_DRAFT, REVIEW_PUBLISHED, REVIEW_RETURNED = "draft", "published", "returned"


class Review(db.Model):
    """A provider organization's review of a shared diagnosis.

    Each organization has at most one draft (updated in place while the provider writes); publishing
    it, or returning the diagnosis for clarification, turns the draft into a numbered version
    (``version``, per diagnosis) that is never changed again: earlier versions are kept.
    ``domains``: maturity element -> opinion; ``verifications``: answer key -> {"status": "verified" |
    "disputed", "comment", "found"}; ``recommendations``: {"decisions": {id: {"decision": "accepted" |
    "rejected", "reason"}}, "added": [catalog ids]}; ``verified``: the levels recomputed on the verified
    answers, stored when the version is made.
    """

    __tablename__ = "diagnosis_review"
    __table_args__ = (UniqueConstraint("diagnosis_id", "version", name="uq_diagnosis_review_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    diagnosis_id: Mapped[int] = mapped_column(ForeignKey("diagnosis.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("provider_organization.id"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[str] = mapped_column(String(20), default=REVIEW_PUBLISHED)
    version: Mapped[int | None] = mapped_column()
    opinion: Mapped[str] = mapped_column(Text)
    domains: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    verifications: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recommendations: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    verified: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    provider: Mapped[User] = relationship()
    organization: Mapped[ProviderOrganization | None] = relationship()
