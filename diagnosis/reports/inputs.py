"""Builds the report input of a stored diagnosis: enterprise, result, pinned documents, peers, review."""
from __future__ import annotations

from sqlalchemy import select

from .. import catalog
from ..accounts.models import Enterprise
from ..assessments import services
from ..assessments.models import SUBMITTED, Diagnosis, DiagnosisResult
from ..extensions import db
from .context import ReportInput

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


def report_input(diagnosis: Diagnosis, result: DiagnosisResult | None = None) -> ReportInput:
    result = result or diagnosis.result
    docs = services.documents(diagnosis)
    ent = diagnosis.enterprise
    review = services.latest_review(diagnosis)
    documents = {"profile": docs.profile.data}
    if docs.sme:
        documents["sme"] = docs.sme.data
    if docs.cmmm:
        documents["cmmm"] = docs.cmmm.data
    targets = catalog.library().of_kind("targets")
    return ReportInput(
        number=diagnosis.number,
        enterprise={"name": ent.name, "credit_code": ent.credit_code, "area": ent.area.name,
                    "industry": ent.industry.label, "above_scale": ent.above_scale, "contact_name": ent.contact_name},
        submitted_at=diagnosis.submitted_at,
        questionnaire_title=docs.suite.title,
        result=result.data,
        profile=diagnosis.profile,
        answers=diagnosis.answers,
        documents=documents,
        targets=targets[0].data if targets else None,
        peers=peer_averages(diagnosis),
        review=({"provider": review.provider.organization or review.provider.name, "reviewer": review.provider.name,
                 "opinion": review.opinion, "date": review.created_at} if review else None),
    )
