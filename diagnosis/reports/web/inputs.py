"""The report input of a stored diagnosis: enterprise, result, pinned documents, peers, review."""
from __future__ import annotations

from ... import catalog
from ...assessments import services
from ...assessments.models import Diagnosis, DiagnosisResult
from ..content.input import ReportInput
from .peers import peer_averages


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
        number=report_number(diagnosis.number, result.sequence),
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
        generated_at=result.created_at,
    )


def report_number(diagnosis_number: str, sequence: int) -> str:
    """The report number of a diagnosis's result: stable and unique (diagnosis number, result sequence)."""
    return f"{diagnosis_number}-{sequence:02d}"
