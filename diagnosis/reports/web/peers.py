"""Peer averages: maturity sub-domain scores of comparable enterprises, for the report and the
result page (shown only when enough enterprises are comparable)."""
from __future__ import annotations

from sqlalchemy import select

from ...accounts.models import Enterprise
from ...assessments.models import SUBMITTED, Diagnosis, DiagnosisResult
from ...extensions import db

MIN_PEERS = 5


def peer_averages(diagnosis: Diagnosis) -> dict | None:
    """Average maturity sub-domain scores of other enterprises' latest submitted diagnoses in the same
    industry (or else the same area), when at least ``MIN_PEERS`` exist."""
    ent = diagnosis.enterprise
    for basis, condition in (("同行业", Enterprise.industry_code == ent.industry_code),
                             ("同区域", Enterprise.area_id == ent.area_id)):
        latest = (select(Diagnosis.enterprise_id, db.func.max(DiagnosisResult.id).label("rid"))
                  .join(DiagnosisResult, DiagnosisResult.diagnosis_id == Diagnosis.id)
                  .join(Enterprise, Enterprise.id == Diagnosis.enterprise_id)
                  .where(Diagnosis.status == SUBMITTED, Diagnosis.enterprise_id != ent.id, condition)
                  .group_by(Diagnosis.enterprise_id).subquery())
        rows = db.session.scalars(select(DiagnosisResult.data).join(latest, latest.c.rid == DiagnosisResult.id)).all()
        scores: dict[str, list[float]] = {}
        count = 0
        for data in rows:
            cmmm = data.get("cmmm")
            if not cmmm:
                continue
            count += 1
            for key, sd in cmmm["subdomains"].items():
                if sd.get("score") is not None:
                    scores.setdefault(key, []).append(sd["score"])
        if count >= MIN_PEERS:
            return {"basis": basis, "count": count,
                    "subdomains": {k: round(sum(v) / len(v), 3) for k, v in scores.items()}}
    return None
