"""The per-submission summary the bureau aggregates (``DiagnosisSummary``), written when a
diagnosis is submitted (``assessments.signals.diagnosis_submitted``)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import update

from ..assessments.models import Diagnosis
from ..extensions import db
from .models import DiagnosisSummary


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def summary_values(diagnosis: Diagnosis) -> dict[str, Any]:
    data = diagnosis.result.data if diagnosis.result else {}
    sme, cmmm, profile = data.get("sme") or {}, data.get("cmmm") or {}, diagnosis.profile or {}
    return {
        "diagnosis_id": diagnosis.id, "enterprise_id": diagnosis.enterprise_id,
        "submitted_at": diagnosis.submitted_at, "is_latest": True,
        "sme_grade": _int(sme.get("grade")), "sme_label": str(sme.get("grade_label") or ""),
        "cmmm_level": _int(cmmm.get("level")), "cmmm_label": str(cmmm.get("level_label") or ""),
        **{key: _int(profile.get(key)) for key in ("key_processes_total", "key_processes_nc", "equipment_total",
                                                   "equipment_networked", "robots", "smart_lines", "smart_workshops")},
        "on_cloud": bool(profile.get("cloud_layers")),
        "lianghua_status": str(profile.get("lianghua_status") or ""),
    }


def record_submission(diagnosis: Diagnosis, **_) -> None:
    """Add the submission's summary row and make it the enterprise's latest."""
    db.session.execute(update(DiagnosisSummary).where(DiagnosisSummary.enterprise_id == diagnosis.enterprise_id)
                       .values(is_latest=False))
    db.session.add(DiagnosisSummary(**summary_values(diagnosis)))
    db.session.commit()


def rebuild_summaries(batch: int = 500) -> int:
    """Recompute every summary row from the submitted diagnoses' newest results (after an upgrade
    that adds the table to existing data, or after a rescoring); returns the number of rows."""
    from sqlalchemy import delete, func, insert, select
    from sqlalchemy.orm import selectinload

    from ..assessments.models import SUBMITTED

    db.session.execute(delete(DiagnosisSummary))
    last_id, written = 0, 0
    while True:
        rows = db.session.scalars(select(Diagnosis).options(selectinload(Diagnosis.results))
                                  .where(Diagnosis.status == SUBMITTED, Diagnosis.id > last_id)
                                  .order_by(Diagnosis.id).limit(batch)).all()
        if not rows:
            break
        db.session.execute(insert(DiagnosisSummary), [dict(summary_values(d), is_latest=False) for d in rows])
        written += len(rows)
        last_id = rows[-1].id
        db.session.expunge_all()
    ranked = select(DiagnosisSummary.diagnosis_id, func.row_number().over(
        partition_by=DiagnosisSummary.enterprise_id,
        order_by=(DiagnosisSummary.submitted_at.desc(), DiagnosisSummary.diagnosis_id.desc())).label("rank")).subquery()
    db.session.execute(update(DiagnosisSummary).where(DiagnosisSummary.diagnosis_id.in_(
        select(ranked.c.diagnosis_id).where(ranked.c.rank == 1))).values(is_latest=True))
    db.session.commit()
    return written
