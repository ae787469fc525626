from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column

from ...accounts.models import utcnow
from ...extensions import db


class StoredReport(db.Model):
    """A rendered PDF, keyed by (result, template hash, review version): a new rule version, template
    or published review renders anew; the earlier rows stay retrievable as they were."""

    __tablename__ = "stored_report"
    __table_args__ = (UniqueConstraint("result_id", "template_hash", "review_key",
                                       name="uq_stored_report_result_template"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    diagnosis_id: Mapped[int] = mapped_column(ForeignKey("diagnosis.id", ondelete="CASCADE"), index=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("diagnosis_result.id", ondelete="CASCADE"))
    scoring_version: Mapped[str] = mapped_column(String(40))
    template_hash: Mapped[str] = mapped_column(String(64))
    # The published review version the PDF prints ("" when none): see ``storage.review_key``.
    review_key: Mapped[str] = mapped_column(String(40), default="")
    size: Mapped[int] = mapped_column(default=0)
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
