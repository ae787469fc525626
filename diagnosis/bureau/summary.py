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
